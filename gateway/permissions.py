"""Who may ask Clearance's runtime questions: gateways (tokens with the gateway scope) and, to try them,
governance admins signed in. The portfolio exports are also for read tokens and executives, who see the
portfolio anyway."""

from governance.permissions import has_role, is_governance_admin, service_account_scopes
from governance.roles import Role
from identity.models import ServiceAccount


def can_ask_decision(user) -> bool:
    scopes = service_account_scopes(user)
    if scopes is not None:
        return ServiceAccount.Scope.GATEWAY in scopes
    return is_governance_admin(user)


def can_read_gateway_portfolio(user) -> bool:
    scopes = service_account_scopes(user)
    if scopes is not None:
        return bool({ServiceAccount.Scope.GATEWAY, ServiceAccount.Scope.READ} & scopes)
    return is_governance_admin(user) or has_role(user, Role.EXECUTIVE)
