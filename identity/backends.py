"""Password sign-in, which a deployment on single sign-on limits to its break-glass accounts."""

from django.conf import settings
from django.contrib.auth.backends import ModelBackend


def password_sign_in_allowed(username) -> bool:
    """Local passwords are on (CLEARANCE_LOCAL_LOGIN), or `username` is a break-glass account."""
    return settings.CLEARANCE_LOCAL_LOGIN or (username or "") in settings.CLEARANCE_BREAK_GLASS_USERS


class LocalPasswordBackend(ModelBackend):
    """Django's username-and-password backend, refusing every account but the break-glass ones when local
    passwords are off. It serves the app's sign-in page, the admin's and re-authentication alike."""

    def authenticate(self, request, username=None, password=None, **kwargs):
        if username is None:
            username = kwargs.get(self.get_user_model_username_field())
        if not password_sign_in_allowed(username):
            return None
        return super().authenticate(request, username=username, password=password, **kwargs)

    @staticmethod
    def get_user_model_username_field():
        from django.contrib.auth import get_user_model

        return get_user_model().USERNAME_FIELD
