from django.apps import AppConfig


class ApprovalsConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "approvals"

    def ready(self):
        from approvals import receivers  # noqa: F401  (connects the registry signal)
