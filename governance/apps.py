from django.apps import AppConfig
from django.db.models.signals import pre_save


class GovernanceConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "governance"

    def ready(self):
        from governance.history import skip_history_of_raw_saves

        pre_save.connect(skip_history_of_raw_saves, dispatch_uid="governance.skip_history_of_raw_saves")
