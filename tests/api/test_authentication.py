"""Who the API lets in: a service account's token (unless revoked, expired, malformed or its account is
deactivated) or a signed-in person; nobody else."""

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone
from rest_framework.test import APIClient

from identity.models import ApiToken
from identity.service_accounts import service_account_deactivate, token_authenticate, token_digest, token_revoke
from tests.api.helpers import admin, service_account, session_client, token_client

pytestmark = pytest.mark.django_db

SCHEMA = "/api/v1/schema/"


def test_it_asks_for_credentials_with_a_bearer_challenge():
    response = APIClient().get(SCHEMA)
    assert response.status_code == 401
    assert response["WWW-Authenticate"] == 'Bearer realm="clearance"'


def test_it_accepts_a_valid_token_and_records_its_use():
    account, raw = service_account("read")
    response = token_client(raw).get(SCHEMA)
    assert response.status_code == 200
    assert account.tokens.get().last_used_at is not None


def test_it_keeps_only_a_digest_of_the_token():
    account, raw = service_account("read")
    token = account.tokens.get()
    assert token.digest == token_digest(raw)
    assert raw not in {token.digest, token.prefix, token.name}
    assert raw.startswith(token.prefix)


@pytest.mark.parametrize("header", ["Bearer", "Bearer a b", "Bearer clr_nope", "Bearer " + "x" * 300, "Bearer clr_é"])
def test_it_refuses_malformed_or_unknown_tokens(header):
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=header.encode("utf-8").decode("latin-1"))
    assert client.get(SCHEMA).status_code == 401


def test_it_refuses_a_revoked_token():
    account, raw = service_account("read")
    token_revoke(user=admin("ann"), token=account.tokens.get())
    assert token_client(raw).get(SCHEMA).status_code == 401


def test_it_refuses_an_expired_token():
    account, raw = service_account("read")
    ApiToken.objects.filter(service_account=account).update(expires_at=timezone.now() - timedelta(seconds=1))
    assert token_client(raw).get(SCHEMA).status_code == 401


def test_it_refuses_every_token_of_a_deactivated_account():
    account, raw = service_account("read")
    service_account_deactivate(user=admin("ann"), account=account)
    assert token_authenticate(raw) is None
    assert token_client(raw).get(SCHEMA).status_code == 401
    assert account.tokens.get().revoked_at is not None


def test_a_service_account_cannot_sign_in_to_the_pages():
    account, _ = service_account("read", "submit")
    assert not account.user.has_usable_password()
    assert not account.user.groups.exists()


def test_it_accepts_a_signed_in_person():
    assert session_client(admin()).get(SCHEMA).status_code == 200


def test_the_token_lookup_is_one_query(django_assert_num_queries):
    account, raw = service_account("read")
    token_authenticate(raw)  # writes the first use
    with django_assert_num_queries(1):
        assert token_authenticate(raw).service_account == account


def test_the_scopes_give_the_account_its_model_permissions():
    reader, _ = service_account("read", name="Reader")
    submitter, _ = service_account("submit", name="Submitter")
    gateway, _ = service_account("gateway", name="Gateway")
    assert reader.user.has_perm("governance.view_usecase")
    assert not reader.user.has_perm("governance.add_usecase")
    assert submitter.user.has_perm("governance.add_usecase")
    assert not submitter.user.has_perm("governance.view_usecase")
    assert not gateway.user.user_permissions.exists()
    assert reverse("api_schema") == SCHEMA
