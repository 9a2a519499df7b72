from django.apps import AppConfig
from django.db.models.signals import pre_save


class GovernanceConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "governance"

    def ready(self):
        from django.contrib.auth.signals import user_logged_in
        from django.urls import register_converter

        from governance.history import skip_history_of_raw_saves
        from governance.ids import IdConverter
        from governance.sessions import stamp_sign_in

        user_logged_in.connect(stamp_sign_in, dispatch_uid="governance.stamp_sign_in")
        pre_save.connect(skip_history_of_raw_saves, dispatch_uid="governance.skip_history_of_raw_saves")
        # `<id:pk>` in every route: a number out of range is no id (404), not an error from the database.
        register_converter(IdConverter, "id")
