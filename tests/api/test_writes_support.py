"""What the write endpoints' tests share (no tests here): the people, a pipeline's service account, a request
body, and a session client that sends the CSRF token as a browser does."""

import pytest
from django.urls import reverse
from rest_framework.test import APIClient

from governance.roles import Role
from tests.api.helpers import service_account, session_client, token_client
from tests.approvals.workflow import complete_use_case, person
from tests.factories import AIModelFactory

SHARED = "A team of one."


@pytest.fixture(name="owner")
def owner_fixture(db):
    return person("alice", Role.BUSINESS_OWNER)


@pytest.fixture(name="other_owner")
def other_owner_fixture(db):
    return person("charlie", Role.BUSINESS_OWNER)


@pytest.fixture(name="draft")
def draft_fixture(owner):
    """A complete draft of alice's, who holds its three owner roles."""
    return complete_use_case(owner)


@pytest.fixture(name="pipeline")
def pipeline_fixture(db):
    """A service account with the submit scope, its token, and a client that sends it."""
    account, raw = service_account("submit", name="Build pipeline")
    return account, token_client(raw)


def url(route: str, *args) -> str:
    return reverse(route, args=args)


def new_draft(model=None, **overrides) -> dict:
    """A body that opens a draft: three distinct owners of the world of these tests (alice, charlie, erin)."""
    person("erin", Role.EXECUTIVE)
    person("charlie", Role.BUSINESS_OWNER)
    person("alice", Role.BUSINESS_OWNER)
    body = {
        "title": "Ticket triage",
        "purpose": "Sort incoming tickets by urgency.",
        "business_owner": "alice",
        "technical_owner": "charlie",
        "risk_owner": "erin",
        "primary_model": (model or AIModelFactory()).pk,
        "deployment_mode": "hosted_api",
        "hosting_country": "de",
    }
    body.update(overrides)
    return body


def csrf_client(user) -> APIClient:
    """A signed-in browser: CSRF enforced."""
    client = APIClient(enforce_csrf_checks=True)
    client.force_login(user)
    return client


def with_csrf(client: APIClient) -> APIClient:
    """The same browser once it has read a page: its CSRF cookie, sent back in the header."""
    from django.middleware.csrf import _get_new_csrf_string, _mask_cipher_secret

    secret = _get_new_csrf_string()
    client.cookies["csrftoken"] = secret
    client.credentials(HTTP_X_CSRFTOKEN=_mask_cipher_secret(secret))
    return client


__all__ = ["SHARED", "csrf_client", "new_draft", "session_client", "url", "with_csrf"]
