"""Who may manage webhooks: governance admins (and superusers), like the people pages."""

from django.core.exceptions import PermissionDenied

from governance.permissions import is_governance_admin


class WebhooksRefused(PermissionDenied):
    """The actor may not manage webhooks."""


def can_manage_webhooks(user) -> bool:
    return user is not None and is_governance_admin(user)


def refuse_unless_manager(user) -> None:
    if not can_manage_webhooks(user):
        raise WebhooksRefused("Only a governance admin manages webhooks.")
