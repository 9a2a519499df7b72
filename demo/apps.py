from django.apps import AppConfig


class DemoConfig(AppConfig):
    """The demo of the embedded default (`make run`): loads real models and vendors, demo people and
    requests through every layer's services. The top layer: nothing imports it."""

    default_auto_field = "django.db.models.BigAutoField"
    name = "demo"
