from django.apps import AppConfig


class ReportsConfig(AppConfig):
    """The reading layer over the whole portfolio: the home page of each role, the executive report and
    its exports. It reads governance, checklist and approvals; none of them reads it."""

    default_auto_field = "django.db.models.BigAutoField"
    name = "reports"
