"""What a service account's token may reach: each view names the scopes it accepts. People signed in with a
session are not limited by scopes; the predicates of each app decide for them, as on the pages."""

from rest_framework.permissions import SAFE_METHODS, BasePermission

from identity.models import ApiToken, ServiceAccount

Scope = ServiceAccount.Scope

# A view that names none: reading takes the read scope (or submit, for the account's own requests);
# changing takes submit.
DEFAULT_READ_SCOPES = frozenset({Scope.READ, Scope.SUBMIT})
DEFAULT_WRITE_SCOPES = frozenset({Scope.SUBMIT})


def token_scopes_for(view, method: str) -> frozenset[str]:
    if method in SAFE_METHODS:
        return frozenset(getattr(view, "read_scopes", DEFAULT_READ_SCOPES))
    return frozenset(getattr(view, "write_scopes", DEFAULT_WRITE_SCOPES))


class TokenScope(BasePermission):
    message = "This token's scopes do not allow this request."

    def has_permission(self, request, view):
        if not isinstance(request.auth, ApiToken):
            return True
        return bool(token_scopes_for(view, request.method) & set(request.auth.service_account.scopes))


class SessionOnly(BasePermission):
    """For what only a person decides (signing off, revoking): no token reaches it."""

    message = "Only a person, signed in, may do this."

    def has_permission(self, request, view):
        return not isinstance(request.auth, ApiToken)
