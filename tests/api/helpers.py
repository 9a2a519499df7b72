"""Service accounts and API clients for the API tests."""

from rest_framework.test import APIClient

from governance.roles import Role
from identity.service_accounts import service_account_create, token_issue
from tests.approvals.workflow import person


def admin(username: str = "gina"):
    return person(username, Role.ADMIN, is_staff=True)


def service_account(*scopes: str, name: str = "CI pipeline", by=None):
    """A service account with `scopes` and one token: returns (account, raw token)."""
    by = by or admin(f"admin-for-{name.lower().replace(' ', '-')}")
    account = service_account_create(user=by, name=name, scopes=list(scopes))
    _, raw = token_issue(user=by, account=account, name="tests")
    return account, raw


def token_client(raw: str) -> APIClient:
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Bearer {raw}")
    return client


def session_client(user) -> APIClient:
    client = APIClient()
    client.force_login(user)
    return client
