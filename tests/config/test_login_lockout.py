"""Sign-in throttling: repeated failures lock the username and the address, on the app's and the admin's
sign-in pages; the lockout page is a page of ours (429, never a 500); a governance admin unlocks."""

import pytest
from axes.models import AccessAttempt
from django.test import Client

from governance.roles import Role
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db

PASSWORD = "correct horse battery staple"


def sign_in(client, username, password, *, url="/login/", ip="10.0.0.1"):
    return client.post(url, {"username": username, "password": password}, REMOTE_ADDR=ip)


def fail(client, username, times, **kwargs):
    for _ in range(times):
        response = sign_in(client, username, "wrong password", **kwargs)
        assert response.status_code in (200, 429)


def assert_lockout_page(response, minutes=30):
    assert response.status_code == 429
    text = response.text
    assert "<h1>Sign-in locked</h1>" in text
    assert f"locked for {minutes} minutes" in text
    assert "governance admin" in text
    assert "<main" in text and "Clearance" in text  # the project's layout


def test_the_limit_is_ten_and_the_lock_thirty_minutes_by_default(settings):
    assert settings.AXES_FAILURE_LIMIT == 10
    assert settings.CLEARANCE_LOGIN_LOCKOUT_MINUTES == 30
    assert settings.AXES_LOCKOUT_PARAMETERS == ["username", "ip_address"]
    assert settings.AUTHENTICATION_BACKENDS[0] == "axes.backends.AxesStandaloneBackend"


def test_nine_failures_then_the_right_password_signs_in(client, alice):
    fail(client, "alice", 9)
    response = sign_in(client, "alice", PASSWORD)
    assert response.status_code == 302 and response["Location"] == "/"


def test_ten_failures_lock_the_account_and_the_right_password_is_refused(client, alice):
    fail(client, "alice", 8)
    assert "Sign-in failed" in sign_in(client, "alice", "wrong", ip="10.0.0.8").text  # the ninth
    assert_lockout_page(sign_in(client, "alice", "wrong", ip="10.0.0.8"))  # the tenth failure locks
    response = sign_in(client, "alice", PASSWORD)
    assert_lockout_page(response)
    assert "_auth_user_id" not in client.session


def test_the_lock_holds_for_the_account_from_another_address(client, alice):
    fail(client, "alice", 10, ip="10.0.0.1")
    assert_lockout_page(sign_in(Client(), "alice", PASSWORD, ip="10.9.9.9"))


def test_an_address_failing_across_many_usernames_is_locked(client, alice):
    for n in range(10):
        sign_in(client, f"guess{n}", "wrong", ip="10.0.0.66")
    assert_lockout_page(sign_in(client, "alice", PASSWORD, ip="10.0.0.66"))
    # alice herself is not locked elsewhere: only that address is.
    assert sign_in(Client(), "alice", PASSWORD, ip="10.0.0.2").status_code == 302


def test_the_admin_sign_in_is_locked_too(client, governance_admin):
    governance_admin.set_password(PASSWORD)
    governance_admin.save()
    url = "/admin/login/?next=/admin/"
    fail(client, "gina", 10, url=url)
    response = sign_in(client, "gina", PASSWORD, url=url)
    assert_lockout_page(response)
    # ... and the app's page refuses her as well: the lock is on the account, not the form.
    assert_lockout_page(sign_in(Client(), "gina", PASSWORD, ip="10.7.7.7"))


def test_the_lockout_time_and_limit_come_from_settings(client, alice, settings):
    settings.AXES_FAILURE_LIMIT = 3
    settings.CLEARANCE_LOGIN_LOCKOUT_MINUTES = 5
    fail(client, "alice", 3)
    assert_lockout_page(sign_in(client, "alice", PASSWORD), minutes=5)


def test_a_governance_admin_unlocks_in_the_admin(client, alice, governance_admin):
    fail(client, "alice", 10)
    assert_lockout_page(sign_in(client, "alice", PASSWORD))

    admin = Client()
    admin.force_login(governance_admin)
    listing = admin.get("/admin/axes/accessattempt/")
    assert listing.status_code == 200 and "alice" in listing.text
    attempt = AccessAttempt.objects.get(username="alice")
    confirm = admin.get(f"/admin/axes/accessattempt/{attempt.pk}/delete/")
    assert confirm.status_code == 200
    response = admin.post(f"/admin/axes/accessattempt/{attempt.pk}/delete/", {"post": "yes"})
    assert response.status_code == 302
    assert not AccessAttempt.objects.exists()

    assert sign_in(client, "alice", PASSWORD).status_code == 302


def test_the_admin_list_is_closed_to_other_roles(alice):
    reviewer = UserFactory(username="sam", roles=[Role.SECURITY], is_staff=True)
    for user in (alice, reviewer):
        client = Client()
        client.force_login(user)
        response = client.get("/admin/axes/accessattempt/")
        assert response.status_code in (302, 403)


def test_axes_reset_unlocks(client, alice):
    from axes.utils import reset

    fail(client, "alice", 10)
    reset(username="alice")
    assert sign_in(client, "alice", PASSWORD).status_code == 302


def test_a_success_resets_the_count(client, alice):
    fail(client, "alice", 9)
    assert sign_in(client, "alice", PASSWORD).status_code == 302
    client.logout()
    fail(client, "alice", 9)
    assert sign_in(client, "alice", PASSWORD).status_code == 302


def test_force_login_is_not_counted(client, alice):
    for _ in range(20):
        client.force_login(alice)
    assert not AccessAttempt.objects.exists()


def test_odd_credentials_on_the_locked_page_are_not_a_500(client, alice):
    fail(client, "alice", 10)
    for data in ({"username": "alice"}, {}, {"username": "a" * 5000, "password": "x" * 5000}):
        assert client.post("/login/", data, REMOTE_ADDR="10.0.0.1").status_code in (200, 429)


def test_the_address_comes_from_the_direct_peer_by_default(client, alice):
    # A client cannot choose its address by sending X-Forwarded-For.
    for n in range(10):
        client.post(
            "/login/", {"username": f"x{n}", "password": "w"}, REMOTE_ADDR="10.0.0.5", HTTP_X_FORWARDED_FOR=f"1.1.1.{n}"
        )
    assert_lockout_page(sign_in(client, "alice", PASSWORD, ip="10.0.0.5"))


def test_behind_trusted_proxies_the_forwarded_address_counts(settings, rf):
    from config.login import client_ip

    settings.CLEARANCE_TRUSTED_PROXIES = 1
    request = rf.get("/", REMOTE_ADDR="10.0.0.1", HTTP_X_FORWARDED_FOR="6.6.6.6, 203.0.113.7")
    assert client_ip(request) == "203.0.113.7"
    settings.CLEARANCE_TRUSTED_PROXIES = 2
    assert client_ip(request) == "6.6.6.6"
    settings.CLEARANCE_TRUSTED_PROXIES = 0
    assert client_ip(request) == "10.0.0.1"
    settings.CLEARANCE_TRUSTED_PROXIES = 1
    assert client_ip(rf.get("/", REMOTE_ADDR="10.0.0.1")) == "10.0.0.1"


def test_a_username_too_long_for_any_account_is_a_failed_sign_in(client, alice):
    """Stored by its first 150 characters (no username is longer): on PostgreSQL a longer one was a 500."""
    response = client.post("/login/", {"username": "a" * 5000, "password": "x"}, REMOTE_ADDR="10.0.0.9")
    assert response.status_code == 200
    assert AccessAttempt.objects.get().username == "a" * 150
