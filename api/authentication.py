"""How the API knows who is asking: a service account's bearer token, or a person's browser session."""

from drf_spectacular.extensions import OpenApiAuthenticationExtension
from rest_framework.authentication import BaseAuthentication, get_authorization_header
from rest_framework.exceptions import AuthenticationFailed

from identity.service_accounts import token_authenticate


class ServiceTokenAuthentication(BaseAuthentication):
    """`Authorization: Bearer clr_…`. A token that is malformed, unknown, revoked, expired or whose account
    is deactivated is a 401; a request without the header falls through to the session."""

    keyword = b"bearer"

    def authenticate(self, request):
        parts = get_authorization_header(request).split()
        if not parts or parts[0].lower() != self.keyword:
            return None
        if len(parts) != 2:
            raise AuthenticationFailed("Send the token as 'Authorization: Bearer <token>'.")
        try:
            raw = parts[1].decode("ascii")
        except UnicodeDecodeError:
            raise AuthenticationFailed("The token is not valid.") from None
        token = token_authenticate(raw)
        if token is None:
            raise AuthenticationFailed("The token is not valid: unknown, revoked or expired.")
        user = token.service_account.user
        # Marks the user as a service account for the permission predicates, with what it may do.
        user.service_account_scopes = frozenset(token.service_account.scopes)
        return user, token

    def authenticate_header(self, request):
        return 'Bearer realm="clearance"'


class ServiceTokenScheme(OpenApiAuthenticationExtension):
    target_class = "api.authentication.ServiceTokenAuthentication"
    name = "serviceToken"

    def get_security_definition(self, auto_schema):
        return {
            "type": "http",
            "scheme": "bearer",
            "description": "A service account's token (clr_…), issued by a governance admin on the people pages.",
        }
