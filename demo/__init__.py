"""Demo data for the embedded default (`make run`): real models and vendors, demo people and requests.

Everything here exists so that a newcomer sees the whole product in one command. Nothing in the
product imports it; `manage.py seed_demo` is its only caller.
"""
