"""A session ends after 30 minutes without a request and 12 hours after sign-in; an active one is kept."""

from unittest import mock

import pytest

from governance import sessions

pytestmark = pytest.mark.django_db

PASSWORD = "correct horse battery staple"
T0 = 1_800_000_000


def at(moment):
    return mock.patch.object(sessions, "now", return_value=moment)


@pytest.fixture
def signed_in(client, alice):
    with at(T0):
        response = client.post("/login/", {"username": "alice", "password": PASSWORD})
    assert response.status_code == 302
    return client


def test_the_limits_default_to_30_minutes_and_12_hours(settings):
    assert settings.CLEARANCE_SESSION_IDLE_MINUTES == 30
    assert settings.CLEARANCE_SESSION_MAX_HOURS == 12
    assert settings.SESSION_COOKIE_AGE == 12 * 3600


def test_sign_in_starts_the_clocks(signed_in):
    session = signed_in.session
    assert session[sessions.SIGNED_IN_AT] == session[sessions.LAST_SEEN] == session[sessions.PASSWORD_AT] == T0


def test_an_idle_session_is_signed_out_with_a_message(signed_in):
    with at(T0 + 31 * 60):
        response = signed_in.get("/use-cases/")
    assert response.status_code == 302
    assert response["Location"] == "/login/?next=%2Fuse-cases%2F"
    assert "_auth_user_id" not in signed_in.session
    page = signed_in.get(response["Location"])
    assert "You were signed out after 30 minutes without activity" in page.text
    # ... and the next request is an anonymous one.
    assert signed_in.get("/use-cases/")["Location"].startswith("/login/")


def test_an_idle_session_asking_the_api_gets_the_apis_401(signed_in):
    with at(T0 + 31 * 60):
        response = signed_in.get("/api/v1/use-cases/")
    assert response.status_code == 401
    assert response["WWW-Authenticate"].startswith("Bearer")
    assert "_auth_user_id" not in signed_in.session


def test_an_active_session_is_kept_past_the_idle_limit(signed_in):
    for minutes in (20, 40, 60, 80):
        with at(T0 + minutes * 60):
            assert signed_in.get("/use-cases/").status_code == 200
    assert signed_in.session[sessions.LAST_SEEN] == T0 + 80 * 60


def test_a_session_ends_at_its_absolute_lifetime_however_active(signed_in):
    moment = T0
    while moment < T0 + 12 * 3600 - 20 * 60:
        moment += 20 * 60
        with at(moment):
            assert signed_in.get("/use-cases/").status_code == 200
    with at(T0 + 12 * 3600 + 1):
        response = signed_in.get("/use-cases/")
    assert response.status_code == 302 and response["Location"].startswith("/login/")
    assert "limit of 12 hours" in signed_in.get("/login/").text


def test_the_limits_come_from_settings(signed_in, settings):
    settings.CLEARANCE_SESSION_IDLE_MINUTES = 5
    with at(T0 + 4 * 60):
        assert signed_in.get("/use-cases/").status_code == 200
    with at(T0 + 10 * 60):
        assert signed_in.get("/use-cases/").status_code == 302


def test_an_htmx_request_is_sent_to_the_sign_in_page_not_swapped(signed_in):
    with at(T0 + 31 * 60):
        response = signed_in.get("/use-cases/", HTTP_HX_REQUEST="true")
    assert response.status_code == 204
    assert response["HX-Redirect"] == "/login/"
    assert "_auth_user_id" not in signed_in.session


def test_an_expired_post_changes_nothing_and_goes_to_sign_in(signed_in):
    with at(T0 + 31 * 60):
        response = signed_in.post("/use-cases/new/", {"title": "Late"})
    assert response.status_code == 302 and response["Location"] == "/login/"


def test_the_stored_timestamp_is_what_counts(client, alice):
    client.force_login(alice)
    assert client.get("/use-cases/").status_code == 200
    session = client.session
    session[sessions.LAST_SEEN] -= 31 * 60
    session.save()
    assert client.get("/use-cases/").status_code == 302


def test_a_session_from_before_the_limits_gets_its_clocks(client, alice):
    client.force_login(alice)
    session = client.session
    del session[sessions.SIGNED_IN_AT], session[sessions.LAST_SEEN]
    session.save()
    assert client.get("/use-cases/").status_code == 200
    assert sessions.SIGNED_IN_AT in client.session


def test_anonymous_requests_are_untouched(client):
    with at(T0):
        assert client.get("/login/").status_code == 200
    assert sessions.SIGNED_IN_AT not in client.session


def test_an_expired_session_on_the_sign_in_page_just_shows_it(signed_in):
    with at(T0 + 31 * 60):
        response = signed_in.get("/login/")
    assert response.status_code == 302 and response["Location"] == "/login/"
    assert signed_in.get("/login/").status_code == 200


def test_an_expired_session_on_an_admin_page_goes_to_sign_in(client, governance_admin):
    client.force_login(governance_admin)
    session = client.session
    session[sessions.LAST_SEEN] -= 31 * 60
    session.save()
    response = client.get("/admin/")
    assert response.status_code == 302 and response["Location"] == "/login/?next=%2Fadmin%2F"
