"""Revoking an approval asks for the password again when it was last given more than
CLEARANCE_REAUTH_MINUTES ago; a wrong one is a failed sign-in (counted towards the lockout) and revokes
nothing."""

from unittest import mock

import pytest
from axes.models import AccessAttempt

from approvals.models import ApprovalRequest
from governance import sessions
from governance.models import UseCase
from tests.approvals.workflow import approved_use_case

pytestmark = pytest.mark.django_db

PASSWORD = "correct horse battery staple"
T0 = 1_800_000_000


def at(moment):
    return mock.patch.object(sessions, "now", return_value=moment)


@pytest.fixture
def approved(alice, team):
    use_case, round = approved_use_case(alice, team)
    return use_case, round


@pytest.fixture
def executive(client, team):
    user = team["executive"]
    user.set_password(PASSWORD)
    user.save()
    with at(T0):
        assert client.post("/login/", {"username": user.username, "password": PASSWORD}).status_code == 302
    return client


def url(use_case) -> str:
    return f"/use-cases/{use_case.reference}/revoke/"


def still_approved(use_case, round) -> bool:
    use_case.refresh_from_db()
    round.refresh_from_db()
    return use_case.status != UseCase.Status.REVOKED and round.status != ApprovalRequest.Status.REVOKED


def test_a_recent_sign_in_revokes_without_the_password(executive, approved, settings):
    use_case, round = approved
    with at(T0 + 9 * 60):
        page = executive.get(url(use_case))
        assert 'type="password"' not in page.text
        response = executive.post(url(use_case), {"reason": "The vendor left the market."})
    assert response.status_code == 302
    assert not still_approved(use_case, round)


def test_an_old_sign_in_is_asked_for_the_password(executive, approved):
    use_case, round = approved
    with at(T0 + 11 * 60):
        page = executive.get(url(use_case))
    assert page.status_code == 200
    assert 'type="password"' in page.text and 'autocomplete="current-password"' in page.text
    assert '<label for="id_password">Your password</label>' in page.text
    assert 'maxlength="1024"' in page.text
    with at(T0 + 11 * 60):
        response = executive.post(url(use_case), {"reason": "The vendor left the market."})
    assert response.status_code == 400
    assert "Enter your password to confirm." in response.text
    assert still_approved(use_case, round)


def test_a_wrong_password_revokes_nothing_and_counts_as_a_failed_sign_in(executive, approved, team):
    use_case, round = approved
    with at(T0 + 11 * 60):
        response = executive.post(url(use_case), {"reason": "The vendor left.", "password": "guess"})
    assert response.status_code == 400
    assert "That is not your password. Nothing was changed" in response.text
    assert 'href="#id_password"' in response.text  # the error summary points at the field
    assert "guess" not in response.text
    assert still_approved(use_case, round)
    assert AccessAttempt.objects.get(username=team["executive"].username).failures_since_start == 1


def test_the_right_password_revokes_and_restarts_the_clock(executive, approved):
    use_case, round = approved
    with at(T0 + 11 * 60):
        response = executive.post(url(use_case), {"reason": "The vendor left.", "password": PASSWORD})
    assert response.status_code == 302
    assert not still_approved(use_case, round)
    assert executive.session[sessions.PASSWORD_AT] == T0 + 11 * 60


def test_a_locked_account_cannot_confirm(executive, approved, team, settings):
    use_case, round = approved
    settings.AXES_FAILURE_LIMIT = 2
    with at(T0 + 11 * 60):
        executive.post(url(use_case), {"reason": "r", "password": "guess"})
        response = executive.post(url(use_case), {"reason": "r", "password": "guess again"})
        assert response.status_code == 429
        response = executive.post(url(use_case), {"reason": "r", "password": PASSWORD})
    assert response.status_code == 429
    assert "Sign-in locked" in response.text
    assert still_approved(use_case, round)


def test_the_password_does_not_replace_the_right_to_revoke(client, approved, charlie, team):
    use_case, round = approved
    legal = team["legal"]
    legal.set_password(PASSWORD)
    legal.save()
    with at(T0):
        client.post("/login/", {"username": legal.username, "password": PASSWORD})
    with at(T0 + 11 * 60):
        response = client.post(url(use_case), {"reason": "r", "password": PASSWORD})
    assert response.status_code == 403
    assert still_approved(use_case, round)


def test_the_window_comes_from_settings(executive, approved, settings):
    use_case, _ = approved
    settings.CLEARANCE_REAUTH_MINUTES = 60
    with at(T0 + 29 * 60):
        assert 'type="password"' not in executive.get(url(use_case)).text
    settings.CLEARANCE_REAUTH_MINUTES = 0
    with at(T0 + 60):
        assert 'type="password"' in executive.get(url(use_case)).text


def test_withdrawing_never_asks_for_the_password(client, alice):
    from tests.approvals.workflow import complete_use_case, submit

    use_case = complete_use_case(alice)
    submit(use_case)
    with at(T0):
        client.post("/login/", {"username": "alice", "password": PASSWORD})
    with at(T0 + 25 * 60):
        page = client.get(f"/use-cases/{use_case.reference}/withdraw/")
    assert page.status_code == 200 and 'type="password"' not in page.text
