"""Signals the registry sends so that later layers can react without the registry knowing them."""

from django.dispatch import Signal

# Sent after a Vendor or AIModel is saved with changes; kwargs: instance, changed (field names), user.
registry_changed = Signal()
