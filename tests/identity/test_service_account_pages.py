"""The service-account pages: governance admins list the accounts, create one, change its scopes, issue a
token (shown once, the password asked again when it was given too long ago), revoke a token, deactivate
the account, and see what it did; everyone else gets 404."""

import logging
from datetime import timedelta
from unittest import mock

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from approvals.models import ApprovalEvent
from governance import sessions
from governance.limits import NOTE
from governance.roles import Role
from identity.models import ApiToken, ServiceAccount
from identity.service_accounts import (
    service_account_create,
    service_account_deactivate,
    token_authenticate,
    token_issue,
    token_revoke,
)
from tests.approvals.workflow import complete_use_case, person, submit
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db

PASSWORD = "correct horse battery staple"
T0 = 1_800_000_000
LIST = "/people/service-accounts/"


def at(moment):
    return mock.patch.object(sessions, "now", return_value=moment)


@pytest.fixture
def gina(db):
    return UserFactory(username="gina", first_name="Gina", roles=[Role.ADMIN], is_staff=True)


@pytest.fixture
def admin(client, gina):
    """gina, signed in at T0 (her password counts as given then)."""
    with at(T0):
        client.force_login(gina)
    return client


@pytest.fixture
def account(gina):
    return service_account_create(user=gina, name="CI pipeline", scopes=["read"], description="Runs the builds.")


@pytest.fixture
def token(account, gina):
    return token_issue(user=gina, account=account, name="Production")[0]


def page(account) -> str:
    return f"{LIST}{account.pk}/"


def routes(account, token) -> list[tuple[str, str]]:
    base = page(account)
    return [
        ("get", LIST),
        ("get", LIST + "new/"),
        ("post", LIST + "new/"),
        ("get", base),
        ("post", base + "scopes/"),
        ("post", base + "tokens/"),
        ("get", f"{base}tokens/{token.pk}/revoke/"),
        ("post", f"{base}tokens/{token.pk}/revoke/"),
        ("get", base + "deactivate/"),
        ("post", base + "deactivate/"),
    ]


def unchanged(account, token) -> bool:
    account.refresh_from_db()
    token.refresh_from_db()
    return (
        ServiceAccount.objects.count() == 1
        and account.is_active
        and account.scopes == ["read"]
        and ApiToken.objects.count() == 1
        and token.revoked_at is None
    )


# --- Who may


@pytest.mark.parametrize("role", [None, Role.LEGAL, Role.EXECUTIVE, Role.BUSINESS_OWNER])
def test_everyone_but_an_admin_gets_404_on_every_page(client, account, token, role):
    someone = person("someone", *([role] if role else []))
    client.force_login(someone)
    data = {"name": "Mine", "scopes": ["read", "submit"], "password": PASSWORD}
    for method, url in routes(account, token):
        response = client.get(url) if method == "get" else client.post(url, data)
        assert response.status_code == 404, f"{method} {url}"
    assert unchanged(account, token)


def test_the_service_account_itself_gets_404(client, account, token):
    client.force_login(account.user)
    assert client.get(LIST).status_code == 404
    assert client.get(page(account)).status_code == 404


def test_anonymous_is_sent_to_sign_in(client, account, token):
    for method, url in routes(account, token):
        response = getattr(client, method)(url)
        assert response.status_code == 302 and response["Location"].startswith("/login/"), f"{method} {url}"


def test_changes_are_posted_never_got(admin, account):
    for path in ("scopes/", "tokens/"):
        assert admin.get(page(account) + path).status_code == 405
    assert account.tokens.count() == 0


def test_a_404_for_no_account_and_for_another_accounts_token(admin, account, token, gina):
    other = service_account_create(user=gina, name="Gateway", scopes=["gateway"])
    assert admin.get(f"{LIST}999999/").status_code == 404
    assert admin.get(f"{page(other)}tokens/{token.pk}/revoke/").status_code == 404
    assert admin.post(f"{page(other)}tokens/{token.pk}/revoke/").status_code == 404
    token.refresh_from_db()
    assert token.revoked_at is None


# --- The list


def test_the_people_list_links_to_the_service_accounts(admin):
    assert f'href="{LIST}"' in admin.get("/people/").text


def test_the_list_shows_each_account(admin, account, token, gina):
    ApiToken.objects.filter(pk=token.pk).update(last_used_at=timezone.now())
    token_issue(user=gina, account=account, name="Old", expires_at=timezone.now() + timedelta(seconds=1))
    ApiToken.objects.filter(name="Old").update(expires_at=timezone.now() - timedelta(days=1))
    revoked, _ = token_issue(user=gina, account=account, name="Revoked")
    token_revoke(user=gina, token=revoked)
    gone = service_account_create(user=gina, name="Retired gateway", scopes=["gateway"])
    service_account_deactivate(user=gina, account=gone)
    response = admin.get(LIST)
    assert response.status_code == 200
    text = response.text
    assert f'href="{page(account)}">CI pipeline</a>' in text and "Read the portfolio (read-only)" in text
    row = text.split("CI pipeline</a>", 1)[1].split("</tr>", 1)[0]
    assert "<td>1</td>" in row and "<time" in row and "Active" in row  # expired and revoked tokens not counted
    gone_row = text.split("Retired gateway</a>", 1)[1].split("</tr>", 1)[0]
    assert "<td>0</td>" in gone_row and "Never" in gone_row and "Deactivated" in gone_row


def test_the_list_runs_the_same_queries_for_few_and_many_accounts(admin, gina):
    def queries() -> int:
        admin.get(LIST)
        with CaptureQueriesContext(connection) as ctx:
            assert admin.get(LIST).status_code == 200
        return len(ctx.captured_queries)

    service_account_create(user=gina, name="First", scopes=["read"])
    few = queries()
    for i in range(15):
        account = service_account_create(user=gina, name=f"Machine {i}", scopes=["read", "submit"])
        for n in range(2):
            token_issue(user=gina, account=account, name=f"Token {n}")
    assert queries() == few


# --- Creating


def test_an_admin_creates_an_account(admin, gina):
    response = admin.post(
        LIST + "new/", {"name": "Nightly report", "description": "Reads figures.", "scopes": ["read", "gateway"]}
    )
    account = ServiceAccount.objects.get()
    assert response.status_code == 302 and response["Location"] == page(account)
    assert (account.name, account.scopes, account.created_by) == ("Nightly report", ["read", "gateway"], gina)
    assert "Service account “Nightly report” created" in admin.get(response["Location"]).text


def test_the_form_explains_each_scope(admin):
    text = admin.get(LIST + "new/").text
    assert 'type="checkbox" name="scopes" value="read"' in text and 'value="gateway"' in text
    assert "Changes nothing." in text and "Reads nothing else." in text and "Never signs off" in text


@pytest.mark.parametrize(
    ("data", "error"),
    [
        ({"name": "", "scopes": ["read"]}, "This field is required."),
        ({"name": "x" * 101, "scopes": ["read"]}, "Keep this to at most 100 characters"),
        ({"name": "Ok", "description": "x" * (NOTE + 1), "scopes": ["read"]}, "Keep this to at most 2,000"),
        ({"name": "Ok"}, "Choose at least one scope."),
        ({"name": "Ok", "scopes": ["admin"]}, "Select a valid choice."),
        ({"name": "ci PIPELINE", "scopes": ["read"]}, "A service account with this name exists."),
    ],
)
def test_bad_input_is_400_with_the_form(admin, account, data, error):
    response = admin.post(LIST + "new/", data)
    assert response.status_code == 400
    assert error in response.text and "error-summary" in response.text
    assert ServiceAccount.objects.count() == 1


# --- An account's page


def test_an_accounts_page(admin, account, token, gina, alice):
    use_case = complete_use_case(alice, title="Seen")
    submit(use_case)
    ApprovalEvent.objects.create(use_case=use_case, actor=account.user, verb=ApprovalEvent.Verb.SUBMITTED)
    draft = complete_use_case(alice, title="Unseen")
    ApprovalEvent.objects.create(use_case=draft, actor=account.user, verb=ApprovalEvent.Verb.ANSWERED)
    ApprovalEvent.objects.create(use_case=use_case, actor=alice, verb=ApprovalEvent.Verb.COMMENTED)
    response = admin.get(page(account))
    assert response.status_code == 200
    text = response.text
    assert "Runs the builds." in text and account.user.username in text
    assert f"<code>{token.prefix}…</code>" in text and "Production" in text and "by Gina" in text
    assert f'href="/use-cases/{use_case.reference}/">{use_case.reference}</a>' in text
    assert f"{draft.reference} <span" in text and f'href="/use-cases/{draft.reference}/"' not in text
    assert "Posted to the discussion" not in text  # alice's event, not the account's
    assert "Created with the scopes: Read the portfolio (read-only)" in text


def test_the_events_are_the_latest_twenty(admin, account, alice):
    use_case = complete_use_case(alice, title="Busy")
    submit(use_case)
    for _ in range(25):
        ApprovalEvent.objects.create(use_case=use_case, actor=account.user, verb=ApprovalEvent.Verb.COMMENTED)
    assert admin.get(page(account)).text.count("Posted to the discussion") == 20


# --- Scopes


def test_an_admin_changes_the_scopes_and_the_history_says_who(admin, account, gina):
    response = admin.post(page(account) + "scopes/", {"scopes": ["submit", "gateway"]})
    assert response.status_code == 302
    account.refresh_from_db()
    assert account.scopes == ["submit", "gateway"]
    assert type(account.user).objects.get(pk=account.user_id).has_perm("governance.add_usecase")
    text = admin.get(page(account)).text
    assert "Scopes: Read the portfolio (read-only) → Create, change and submit its own requests" in text
    history = text.split('id="history-heading"', 1)[1]
    assert history.count("Gina") == 2


@pytest.mark.parametrize(("data", "error"), [({}, "Choose at least one scope."), ({"scopes": "x"}, "valid choice")])
def test_a_bad_scope_change_is_400(admin, account, data, error):
    response = admin.post(page(account) + "scopes/", data)
    assert response.status_code == 400 and error in response.text
    account.refresh_from_db()
    assert account.scopes == ["read"]


# --- Issuing a token


def test_a_token_is_shown_once_and_never_stored(admin, account, caplog):
    with caplog.at_level(logging.DEBUG):
        response = admin.post(page(account) + "tokens/", {"name": "Staging", "expires_on": ""})
    assert response.status_code == 200
    assert "no-store" in response["Cache-Control"]
    token = account.tokens.get()
    raw = response.context["raw"]
    assert token_authenticate(raw) == token and token.name == "Staging" and token.expires_at is None
    text = response.text
    assert f'value="{raw}" readonly' in text
    assert f'curl -H "Authorization: Bearer {raw}" $CLEARANCE/api/v1/schema/' in text
    assert raw not in caplog.text
    assert raw not in str(dict(admin.session.items()))
    again = admin.get(page(account))
    assert raw not in again.text and f"{token.prefix}…" in again.text
    assert raw not in str(dict(admin.session.items()))


def test_a_token_with_an_expiry(admin, account):
    day = timezone.localdate() + timedelta(days=30)
    response = admin.post(page(account) + "tokens/", {"name": "Trial", "expires_on": day.isoformat()})
    assert response.status_code == 200
    expires = timezone.localtime(account.tokens.get().expires_at)
    assert expires.date() == day and (expires.hour, expires.minute) == (23, 59)


@pytest.mark.parametrize(
    ("data", "error"),
    [
        ({"name": ""}, "This field is required."),
        ({"name": "x" * 101}, "Keep this to at most 100 characters"),
        ({"name": "Old", "expires_on": "2020-01-01"}, "The expiry must be in the future."),
        ({"name": "Bad", "expires_on": "2026-02-30"}, "Enter a valid date."),
        ({"name": "Far", "expires_on": "9999-12-31"}, "at most 5 years ahead"),
    ],
)
def test_bad_token_input_is_400_with_the_form(admin, account, data, error):
    response = admin.post(page(account) + "tokens/", data)
    assert response.status_code == 400 and error in response.text
    assert not account.tokens.exists()


def test_a_deactivated_account_gets_no_token(admin, account, gina):
    service_account_deactivate(user=gina, account=account)
    assert "Issue the token" not in admin.get(page(account)).text
    response = admin.post(page(account) + "tokens/", {"name": "Again"})
    assert response.status_code == 400 and "gets no new tokens" in response.text
    assert not account.tokens.exists()


ASKING = [("tokens/", {"name": "Staging"}), ("scopes/", {"scopes": ["submit"]})]


def changed(account) -> bool:
    account.refresh_from_db()
    return account.tokens.exists() or account.scopes != ["read"]


@pytest.mark.parametrize(("path", "data"), ASKING)
def test_an_old_password_must_be_given_again(admin, account, path, data):
    with at(T0 + 11 * 60):
        assert 'autocomplete="current-password"' in admin.get(page(account)).text
        response = admin.post(page(account) + path, data)
    assert response.status_code == 400 and "Enter your password to confirm." in response.text
    assert not changed(account)


@pytest.mark.parametrize(("path", "data"), ASKING)
def test_a_wrong_password_changes_nothing(admin, account, path, data):
    with at(T0 + 11 * 60):
        response = admin.post(page(account) + path, {**data, "password": "guess"})
    assert response.status_code == 400 and "That is not your password" in response.text
    assert not changed(account)


@pytest.mark.parametrize(("path", "data"), ASKING)
def test_the_right_password_does_it(admin, account, path, data):
    with at(T0 + 11 * 60):
        response = admin.post(page(account) + path, {**data, "password": PASSWORD})
    assert response.status_code in (200, 302)
    assert changed(account)


def test_a_recent_password_is_enough(admin, account):
    with at(T0 + 9 * 60):
        assert 'type="password"' not in admin.get(page(account)).text
        assert admin.post(page(account) + "tokens/", {"name": "Staging"}).status_code == 200


# --- Revoking a token


def test_revoking_a_token_asks_first_then_revokes_it(admin, account, gina):
    token, raw = token_issue(user=gina, account=account, name="Production")
    url = f"{page(account)}tokens/{token.pk}/revoke/"
    confirm = admin.get(url)
    assert confirm.status_code == 200 and "is refused (401), at once" in confirm.text
    assert token_authenticate(raw) == token
    response = admin.post(url)
    assert response.status_code == 302 and response["Location"] == page(account)
    token.refresh_from_db()
    assert token.revoked_by == gina and token_authenticate(raw) is None
    assert "is revoked: it no longer works" in admin.get(page(account)).text


def test_revoking_twice_is_refused(admin, account, token, gina):
    token_revoke(user=gina, token=token)
    url = f"{page(account)}tokens/{token.pk}/revoke/"
    confirm = admin.get(url)
    assert "already revoked" in confirm.text and 'method="post"' not in confirm.text.split("<main", 1)[1]
    response = admin.post(url)
    assert response.status_code == 400 and "already revoked" in response.text


# --- Deactivating


def test_deactivating_asks_first_then_stops_every_token(admin, account, gina):
    one, raw_one = token_issue(user=gina, account=account, name="One")
    token_issue(user=gina, account=account, name="Two")
    confirm = admin.get(page(account) + "deactivate/")
    assert confirm.status_code == 200
    assert "All of its tokens stop working at once (2 usable now" in confirm.text
    assert token_authenticate(raw_one) == one
    response = admin.post(page(account) + "deactivate/")
    assert response.status_code == 302
    account.refresh_from_db()
    assert not account.is_active and not account.tokens.filter(revoked_at__isnull=True).exists()
    assert token_authenticate(raw_one) is None
    text = admin.get(page(account)).text
    assert "Deactivated: every token revoked" in text and "Deactivate…" not in text


def test_deactivating_twice_is_refused(admin, account, gina):
    service_account_deactivate(user=gina, account=account)
    assert "already deactivated" in admin.get(page(account) + "deactivate/").text
    response = admin.post(page(account) + "deactivate/")
    assert response.status_code == 400 and "already deactivated" in response.text
