"""Who may manage webhooks: governance admins (and superusers), like the people pages."""

from django.core.exceptions import PermissionDenied

from governance.permissions import has_role
from governance.roles import Role


class WebhooksRefused(PermissionDenied):
    """The actor may not manage webhooks."""


def can_manage_webhooks(user) -> bool:
    return bool(
        user is not None
        and user.is_authenticated
        and user.is_active
        and (user.is_superuser or has_role(user, Role.ADMIN.value))
    )


def refuse_unless_manager(user) -> None:
    if not can_manage_webhooks(user):
        raise WebhooksRefused("Only a governance admin manages webhooks.")
