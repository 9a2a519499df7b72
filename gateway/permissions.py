"""Who may ask Clearance's runtime questions: gateways (tokens with the gateway scope) and, to try them,
governance admins signed in. The portfolio exports are also for read tokens and executives, who see the
portfolio anyway."""

from governance.permissions import has_role
from governance.roles import Role
from identity.models import ServiceAccount


def _scopes(user) -> frozenset[str] | None:
    return getattr(user, "service_account_scopes", None)


def _is_admin(user) -> bool:
    return bool(user.is_authenticated and user.is_active and (user.is_superuser or has_role(user, Role.ADMIN)))


def can_ask_decision(user) -> bool:
    scopes = _scopes(user)
    if scopes is not None:
        return ServiceAccount.Scope.GATEWAY in scopes
    return _is_admin(user)


def can_read_gateway_portfolio(user) -> bool:
    scopes = _scopes(user)
    if scopes is not None:
        return bool({ServiceAccount.Scope.GATEWAY, ServiceAccount.Scope.READ} & scopes)
    return _is_admin(user) or has_role(user, Role.EXECUTIVE)
