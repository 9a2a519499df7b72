"""Single sign-on against a real OpenID Connect provider (tests/e2e/oidc_provider): the app's side through
Django's test client, the provider's pages through HTTP, as a browser would follow them."""

import re
from urllib.parse import parse_qs, urljoin, urlparse

import pytest
import requests
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.contrib.messages import get_messages

from governance.roles import Role
from identity.models import ExternalIdentity, RoleChange
from tests.factories import UserFactory
from tests.sso.provider import APP, PROVIDER_NAME

pytestmark = pytest.mark.django_db


def follow_to_app(client, browser: requests.Session, url: str, *, login: str | None, password: str = "pw"):
    """Follow the provider's redirects and its sign-in form from `url` until it sends the browser back to
    the app; returns the app's response to that request (and whether the provider asked for a password)."""
    asked = False
    for _ in range(12):
        if url.startswith(APP):
            return client.get(url.removeprefix(APP)), asked
        response = browser.get(url, allow_redirects=False)
        if response.is_redirect:
            url = urljoin(url, response.headers["Location"])
            continue
        if 'name="login"' in response.text:
            assert login is not None, "the provider asked for a password"
            asked = True
            action = re.search(r'<form method="post" action="([^"]+)"', response.text).group(1)
            response = browser.post(
                urljoin(url, action), data={"login": login, "password": password}, allow_redirects=False
            )
            assert response.is_redirect, response.text
            url = urljoin(url, response.headers["Location"])
            continue
        if 'id="op.logoutForm"' in response.text:
            form = re.search(
                r'<form id="op.logoutForm" method="post" action="([^"]+)">(.*?)</form>', response.text, re.S
            )
            data = dict(re.findall(r'name="([^"]+)" value="([^"]*)"', form.group(2)))
            data["logout"] = "yes"
            response = browser.post(urljoin(url, form.group(1)), data=data, allow_redirects=False)
            url = urljoin(url, response.headers["Location"])
            continue
        raise AssertionError(f"Unexpected page at the provider ({response.status_code}): {response.text[:500]}")
    raise AssertionError("Too many redirects")


def sign_in(client, login: str, *, browser: requests.Session | None = None, start="/oidc/authenticate/"):
    browser = browser or requests.Session()
    response = client.get(start)
    assert response.status_code == 302, response
    assert response["Location"].startswith("http://127.0.0.1:")
    app_response, asked = follow_to_app(client, browser, response["Location"], login=login)
    return app_response, browser


def messages_of(response) -> list[str]:
    return [str(m) for m in get_messages(response.wsgi_request)]


def roles(user) -> set[str]:
    return set(user.groups.values_list("name", flat=True))


def test_the_authorization_request_uses_pkce_and_the_discovered_endpoint(sso, client):
    response = client.get("/oidc/authenticate/?next=/reviews/")
    location = urlparse(response["Location"])
    query = parse_qs(location.query)
    assert f"{location.scheme}://{location.netloc}{location.path}" == f"{sso.issuer}/auth"
    assert query["code_challenge_method"] == ["S256"]
    assert len(query["code_challenge"][0]) == 43
    assert query["response_type"] == ["code"]
    assert set(query["scope"][0].split()) == {"openid", "email", "profile", "groups"}
    assert query["redirect_uri"] == [f"{APP}/oidc/callback/"]


def test_a_first_sign_in_creates_the_person_with_the_role_of_their_group(sso, client):
    sso.set_account("rlegal", groups=["clearance-legal", "unrelated"], name="Rita Legal", email="rita@example.com")

    response, _ = sign_in(client, "rlegal")

    assert response.status_code == 302 and response["Location"] == "/"
    user = get_user_model().objects.get(username="rlegal")
    assert (user.first_name, user.last_name, user.email) == ("Rita", "Legal", "rita@example.com")
    assert not user.has_usable_password()
    assert roles(user) == {Role.LEGAL}
    identity = ExternalIdentity.objects.get(user=user)
    assert (identity.issuer, identity.subject, identity.groups) == (
        sso.issuer,
        "rlegal",
        ["clearance-legal", "unrelated"],
    )
    change = RoleChange.objects.get(person=user)
    assert (change.action, change.role, change.source, change.actor) == ("granted", Role.LEGAL, "provider", None)
    assert client.get("/reviews/").status_code == 200


def test_next_lands_where_the_person_was_going(sso, client):
    sso.set_account("rlegal", groups=["clearance-legal"])
    response, _ = sign_in(client, "rlegal", start="/oidc/authenticate/?next=/reviews/")
    assert response["Location"] == "/reviews/"


def test_a_group_removed_at_the_provider_takes_the_role_away_at_the_next_sign_in(sso, client):
    sso.set_account("rlegal", groups=["clearance-legal"])
    sign_in(client, "rlegal")
    client.post("/logout/")
    sso.set_account("rlegal", groups=["clearance-security"])

    response, _ = sign_in(client, "rlegal")

    user = get_user_model().objects.get(username="rlegal")
    assert roles(user) == {Role.SECURITY}
    assert response.status_code == 302
    assert list(RoleChange.objects.filter(person=user).order_by("id").values_list("action", "role")) == [
        ("granted", Role.LEGAL),
        ("granted", Role.SECURITY),
        ("revoked", Role.LEGAL),
    ]


def test_a_role_the_provider_does_not_manage_is_kept(sso, client):
    sso.set_account("exec", groups=[])
    sign_in(client, "exec")
    user = get_user_model().objects.get(username="exec")
    user.groups.add(Group.objects.get(name=Role.COMPLIANCE))
    client.post("/logout/")

    sign_in(client, "exec")

    assert roles(user) == {Role.COMPLIANCE}


def test_a_person_with_no_mapped_group_is_told_whom_to_ask(sso, client, settings, governance_admin):
    settings.CLEARANCE_ACCESS_CONTACT = "the IT service desk, extension 4321"
    sso.set_account("nobody", groups=["marketing"])

    response, _ = sign_in(client, "nobody")

    assert response.status_code == 302 and response["Location"] == "/no-role/"
    page = client.get("/no-role/")
    text = page.content.decode()
    assert page.status_code == 200
    assert "You have no role in Clearance yet" in text
    assert "Ask the IT service desk, extension 4321." in text
    assert governance_admin.email in text
    assert "marketing" in text and "clearance-legal" in text


def test_the_no_role_page_sends_a_person_with_a_role_home(client, alice):
    client.force_login(alice)
    assert client.get("/no-role/")["Location"] == "/"


def test_a_deactivated_person_cannot_sign_in_through_the_provider(sso, client):
    sso.set_account("gone", groups=["clearance-legal"])
    sign_in(client, "gone")
    client.post("/logout/")
    get_user_model().objects.filter(username="gone").update(is_active=False)

    response, _ = sign_in(client, "gone")

    assert response["Location"] == "/login/"
    assert "Your Clearance account is deactivated. Ask a governance admin." in messages_of(response)
    assert client.get("/reviews/").status_code == 302


def test_a_local_account_with_the_verified_address_is_taken_over_once(sso, client):
    local = UserFactory(username="rita.local", email="Rita@Example.com")
    sso.set_account("rita", groups=["clearance-owners"], email="rita@example.com")

    sign_in(client, "rita")

    local.refresh_from_db()
    assert local.external_identity.subject == "rita"
    assert roles(local) == {Role.BUSINESS_OWNER}
    assert get_user_model().objects.filter(email__iexact="rita@example.com").count() == 1


def test_a_username_taken_locally_gets_a_suffix(sso, client):
    UserFactory(username="sam", email="other@example.com")
    sso.set_account("sam", groups=["clearance-owners"], email="sam.sso@example.com")
    sign_in(client, "sam")
    assert ExternalIdentity.objects.get(subject="sam").user.username == "sam-2"


def test_signing_out_ends_the_session_here_and_at_the_provider(sso, client):
    sso.set_account("rlegal", groups=["clearance-legal"])
    _, browser = sign_in(client, "rlegal")

    response = client.post("/logout/")

    location = urlparse(response["Location"])
    assert f"{location.scheme}://{location.netloc}{location.path}" == f"{sso.issuer}/session/end"
    query = parse_qs(location.query)
    assert query["post_logout_redirect_uri"] == [f"{APP}/login/"] and query["id_token_hint"]
    assert client.get("/reviews/").status_code == 302  # signed out here
    back, _ = follow_to_app(client, browser, response["Location"], login=None)
    assert back.status_code == 200  # the sign-in page
    # Signed out at the provider too: the next sign-in asks for the password again.
    response = client.get("/oidc/authenticate/")
    _, asked = follow_to_app(client, browser, response["Location"], login="rlegal")
    assert asked


def test_the_sign_in_page_offers_the_provider(sso, client):
    text = client.get("/login/").content.decode()
    assert f"Sign in with {PROVIDER_NAME}" in text
    assert 'name="password"' in text


def test_with_local_passwords_off_only_break_glass_accounts_use_one(sso, client, settings, alice):
    settings.CLEARANCE_LOCAL_LOGIN = False
    settings.CLEARANCE_BREAK_GLASS_USERS = ["breakglass"]
    UserFactory(username="breakglass", is_staff=True, is_superuser=True)

    page = client.get("/login/").content.decode()
    assert "Break-glass sign-in" in page
    refused = client.post("/login/", {"username": alice.username, "password": "correct horse battery staple"})
    assert refused.status_code == 200
    assert "passwords are for break-glass accounts only" in refused.content.decode()
    assert "_auth_user_id" not in client.session
    admin = client.post("/admin/login/", {"username": alice.username, "password": "correct horse battery staple"})
    assert "_auth_user_id" not in client.session and admin.status_code == 200

    allowed = client.post("/login/", {"username": "breakglass", "password": "correct horse battery staple"})
    assert allowed.status_code == 302 and client.session["_auth_user_id"]


def test_a_provider_that_is_down_is_a_message_not_an_error(sso, client, settings):
    settings.CLEARANCE_OIDC_ISSUER = "http://127.0.0.1:9"
    settings.CLEARANCE_OIDC_DISCOVERY_URL = "http://127.0.0.1:9/.well-known/openid-configuration"
    response = client.get("/oidc/authenticate/")
    assert response.status_code == 302 and response["Location"] == "/login/"
    assert "The sign-in service cannot be reached just now. Try again in a moment." in messages_of(response)


def test_a_callback_this_browser_did_not_start_is_refused(sso, client):
    response = client.get("/oidc/callback/?code=forged&state=forged")
    assert response.status_code == 302 and response["Location"] == "/login/"
    client.get("/oidc/authenticate/")  # a state exists now, but not this one
    response = client.get("/oidc/callback/?code=forged&state=forged")
    assert response["Location"] == "/login/"
    assert "That sign-in link has expired or was not started here. Sign in again." in messages_of(response)


def test_a_forged_code_for_a_real_state_is_refused(sso, client):
    start = client.get("/oidc/authenticate/")
    state = parse_qs(urlparse(start["Location"]).query)["state"][0]
    response = client.get(f"/oidc/callback/?code=forged&state={state}")
    assert response["Location"] == "/login/"
    assert "The sign-in service could not confirm who you are. Try again in a moment." in messages_of(response)
    assert "_auth_user_id" not in client.session


def test_an_error_from_the_provider_is_a_failed_sign_in(sso, client):
    start = client.get("/oidc/authenticate/")
    state = parse_qs(urlparse(start["Location"]).query)["state"][0]
    response = client.get(f"/oidc/callback/?error=access_denied&state={state}")
    assert response["Location"] == "/login/"
    assert "The sign-in service did not sign you in." in messages_of(response)


def test_without_single_sign_on_its_routes_are_not_found(client, settings):
    settings.CLEARANCE_OIDC_ISSUER = None
    assert client.get("/oidc/authenticate/").status_code == 404
    assert client.get("/oidc/callback/?code=a&state=b").status_code == 404
    assert "Sign in with" not in client.get("/login/").content.decode()


def test_the_home_page_of_a_person_without_a_role_says_where_to_ask(client):
    client.force_login(UserFactory(username="norole"))
    page = client.get("/")
    assert page.status_code == 200
    assert "You have no role in Clearance yet" in page.text and 'href="/no-role/"' in page.text


def test_the_home_page_of_a_person_with_a_role_does_not(client, alice):
    client.force_login(alice)
    assert "You have no role in Clearance yet" not in client.get("/").text


def test_a_superuser_or_break_glass_account_is_never_taken_over_by_address(sso, client, settings):
    settings.CLEARANCE_BREAK_GLASS_USERS = ["glass"]
    root = UserFactory(username="root", email="root@example.com", is_superuser=True, is_staff=True)
    glass = UserFactory(username="glass", email="glass@example.com")
    sso.set_account("mallory", groups=["clearance-owners"], email="root@example.com")
    sso.set_account("eve", groups=["clearance-owners"], email="glass@example.com")

    sign_in(client, "mallory")
    client.post("/logout/")
    sign_in(client, "eve")

    assert not ExternalIdentity.objects.filter(user__in=[root, glass]).exists()
    assert ExternalIdentity.objects.get(subject="mallory").user.username == "mallory"
    assert ExternalIdentity.objects.get(subject="eve").user.username == "eve"
