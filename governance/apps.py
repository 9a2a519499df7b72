from django.apps import AppConfig


class GovernanceConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "governance"

    def ready(self):
        from django.urls import register_converter

        from governance.ids import IdConverter

        # `<id:pk>` in every route: a number out of range is no id (404), not an error from the database.
        register_converter(IdConverter, "id")
