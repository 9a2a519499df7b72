"""The service-account services: creating an account, setting its scopes, deactivating it, issuing and
revoking its tokens. Each refuses whoever is not a governance admin and every wrong state; each change is
in the account's history with who made it."""

from datetime import timedelta

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from governance.limits import NOTE
from governance.roles import Role
from identity.models import ApiToken, ServiceAccount
from identity.service_accounts import (
    service_account_create,
    service_account_deactivate,
    service_account_scopes_set,
    token_authenticate,
    token_digest,
    token_issue,
    token_revoke,
)
from tests.approvals.workflow import person

pytestmark = pytest.mark.django_db


@pytest.fixture
def gina(db):
    return person("gina", Role.ADMIN, is_staff=True)


@pytest.fixture
def account(gina):
    return service_account_create(user=gina, name="CI pipeline", scopes=["read"], description="Builds.")


def fresh(user):
    """The user again, without the permission caches of the instance in hand."""
    return type(user).objects.get(pk=user.pk)


# --- Creating


def test_it_creates_an_account_with_its_own_user(gina):
    account = service_account_create(user=gina, name="  CI pipeline ", scopes=["submit", "read"], description="x")
    assert account.name == "CI pipeline" and account.scopes == ["read", "submit"]
    assert account.created_by == gina and account.is_active
    assert account.user.username == "svc-ci-pipeline" and not account.user.has_usable_password()
    assert not account.user.groups.exists()
    assert fresh(account.user).has_perm("governance.add_usecase")
    assert fresh(account.user).has_perm("governance.view_usecase")


@pytest.mark.parametrize("role", [None, Role.LEGAL, Role.EXECUTIVE, Role.BUSINESS_OWNER])
def test_it_refuses_anyone_but_an_admin(role):
    someone = person("someone", *([role] if role else []))
    with pytest.raises(PermissionDenied):
        service_account_create(user=someone, name="Mine", scopes=["read"])
    assert not ServiceAccount.objects.exists()


def test_it_refuses_a_deactivated_admin(gina):
    gina.is_active = False
    with pytest.raises(PermissionDenied):
        service_account_create(user=gina, name="Mine", scopes=["read"])


def test_it_refuses_a_name_taken_whatever_its_case(account, gina):
    with pytest.raises(ValidationError) as refused:
        service_account_create(user=gina, name="ci PIPELINE", scopes=["read"])
    assert refused.value.message_dict == {"name": ["A service account with this name exists."]}


def test_two_names_that_slugify_alike_get_two_users(account, gina):
    other = service_account_create(user=gina, name="CI: pipeline!", scopes=["read"])
    assert other.user.username == "svc-ci-pipeline-2"


@pytest.mark.parametrize(
    ("scopes", "message"),
    [([], "Choose at least one scope."), (None, "Choose at least one scope."), (["admin"], "There is no scope admin.")],
)
def test_it_refuses_empty_or_unknown_scopes(gina, scopes, message):
    with pytest.raises(ValidationError) as refused:
        service_account_create(user=gina, name="Mine", scopes=scopes)
    assert refused.value.message_dict == {"scopes": [message]}
    assert not ServiceAccount.objects.exists()


@pytest.mark.parametrize(
    ("fields", "field"),
    [
        ({"name": "x" * 101}, "name"),
        ({"name": "Ok", "description": "x" * (NOTE + 1)}, "description"),
        ({"name": " "}, "name"),
    ],
)
def test_it_refuses_a_blank_or_overlong_name_or_description(gina, fields, field):
    with pytest.raises(ValidationError) as refused:
        service_account_create(user=gina, scopes=["read"], **fields)
    assert list(refused.value.message_dict) == [field]
    assert not ServiceAccount.objects.exists()


def test_its_creation_is_in_the_history_with_who(account, gina):
    (row,) = account.history.all()
    assert row.history_type == "+" and row.history_user == gina and row.scopes == ["read"]


# --- Scopes


def test_scopes_change_what_the_account_may_do(account, gina):
    user = account.user
    assert fresh(user).has_perm("governance.view_usecase") and not fresh(user).has_perm("governance.add_usecase")
    service_account_scopes_set(user=gina, account=account, scopes=["submit"])
    assert fresh(user).has_perm("governance.add_usecase") and not fresh(user).has_perm("governance.view_usecase")
    service_account_scopes_set(user=gina, account=account, scopes=["gateway"])
    assert not fresh(user).user_permissions.exists()
    account.refresh_from_db()
    assert account.scopes == ["gateway"]


def test_a_scope_change_is_in_the_history_with_who_and_why(account):
    greta = person("greta", Role.ADMIN)
    service_account_scopes_set(user=greta, account=account, scopes=["read", "gateway"])
    latest = account.history.order_by("-history_id").first()
    assert latest.history_type == "~" and latest.history_user == greta
    assert latest.scopes == ["read", "gateway"] and latest.history_change_reason == "Scopes set by greta"
    assert account.history.count() == 2


def test_a_scope_change_is_refused_to_others_and_on_a_deactivated_account(account, gina):
    with pytest.raises(PermissionDenied):
        service_account_scopes_set(user=person("erin", Role.EXECUTIVE), account=account, scopes=["submit"])
    with pytest.raises(ValidationError):
        service_account_scopes_set(user=gina, account=account, scopes=["nope"])
    service_account_deactivate(user=gina, account=account)
    with pytest.raises(ValidationError, match="deactivated"):
        service_account_scopes_set(user=gina, account=account, scopes=["submit"])
    account.refresh_from_db()
    assert account.scopes == ["read"]


# --- Tokens


def test_it_issues_a_token_kept_as_a_digest(account, gina):
    token, raw = token_issue(user=gina, account=account, name=" Production ")
    assert raw.startswith("clr_") and token.prefix == raw[:12] and token.name == "Production"
    assert token.digest == token_digest(raw) and raw not in {token.digest, token.prefix}
    assert token.created_by == gina and token.expires_at is None
    assert token_authenticate(raw) == token


def test_it_refuses_a_token_to_anyone_but_an_admin(account):
    with pytest.raises(PermissionDenied):
        token_issue(user=person("erin", Role.EXECUTIVE), account=account, name="Mine")
    assert not ApiToken.objects.exists()


@pytest.mark.parametrize(("name", "field"), [("", "name"), ("  ", "name"), ("x" * 101, "name")])
def test_it_refuses_a_token_without_a_fitting_name(account, gina, name, field):
    with pytest.raises(ValidationError) as refused:
        token_issue(user=gina, account=account, name=name)
    assert list(refused.value.message_dict) == [field]


def test_it_refuses_an_expiry_in_the_past(account, gina):
    with pytest.raises(ValidationError) as refused:
        token_issue(user=gina, account=account, name="Old", expires_at=timezone.now() - timedelta(minutes=1))
    assert refused.value.message_dict == {"expires_at": ["The expiry must be in the future."]}
    assert not ApiToken.objects.exists()


def test_a_deactivated_account_gets_no_token(account, gina):
    service_account_deactivate(user=gina, account=account)
    with pytest.raises(ValidationError, match="gets no new tokens"):
        token_issue(user=gina, account=account, name="Again")
    assert not ApiToken.objects.exists()


def test_it_revokes_a_token_once(account, gina):
    token, raw = token_issue(user=gina, account=account, name="Production")
    with pytest.raises(PermissionDenied):
        token_revoke(user=person("erin", Role.EXECUTIVE), token=token)
    revoked = token_revoke(user=gina, token=token)
    assert revoked.revoked_by == gina and revoked.revoked_at is not None
    assert token_authenticate(raw) is None
    with pytest.raises(ValidationError, match="already revoked"):
        token_revoke(user=gina, token=token)


# --- Deactivating


def test_deactivating_revokes_every_token_and_closes_the_user(account, gina):
    first, raw = token_issue(user=gina, account=account, name="One")
    token_issue(user=gina, account=account, name="Two")
    service_account_deactivate(user=gina, account=account)
    account.refresh_from_db()
    assert not account.is_active and not account.user.is_active
    assert set(account.tokens.values_list("revoked_by", flat=True)) == {gina.pk}
    assert token_authenticate(raw) is None
    latest = account.history.order_by("-history_id").first()
    assert latest.deactivated_at is not None and latest.history_user == gina


def test_deactivating_is_refused_to_others_and_twice(account, gina):
    with pytest.raises(PermissionDenied):
        service_account_deactivate(user=person("erin", Role.EXECUTIVE), account=account)
    account.refresh_from_db()
    assert account.is_active
    service_account_deactivate(user=gina, account=account)
    with pytest.raises(ValidationError, match="already deactivated"):
        service_account_deactivate(user=gina, account=account)
