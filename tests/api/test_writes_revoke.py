"""POST …/revoke/: an executive or the risk owner ends an approval, signed in, having confirmed recently."""

import pytest

from approvals.models import ApprovalEvent
from governance import sessions
from governance.models import UseCase
from tests.api.helpers import service_account, session_client, token_client
from tests.api.test_writes_support import (  # noqa: F401 (the *_fixture names are fixtures)
    csrf_client,
    other_owner_fixture,
    owner_fixture,
    url,
    with_csrf,
)
from tests.approvals.workflow import approved_use_case, reviewers

pytestmark = pytest.mark.django_db

REASON = {"reason": "The vendor was sanctioned."}


@pytest.fixture
def team(db):
    return reviewers()


@pytest.fixture
def approved(owner, team):
    use_case, _ = approved_use_case(owner, team)
    return use_case


def revoke_url(use_case):
    return url("api_approval_revoke", use_case.reference)


def test_an_executive_revokes_an_approval(approved, team):
    response = session_client(team["executive"]).post(revoke_url(approved), REASON, format="json")
    assert response.status_code == 200, response.json()
    assert response.json()["status"] == "revoked"
    event = ApprovalEvent.objects.get(verb=ApprovalEvent.Verb.REVOKED)
    assert event.actor == team["executive"]


def test_it_needs_a_reason(approved, team):
    response = session_client(team["executive"]).post(revoke_url(approved), {"reason": ""}, format="json")
    assert response.status_code == 400
    assert response.json() == {"reason": ["Say why the approval is revoked."]}


def test_someone_who_must_confirm_is_sent_to_the_page(approved, team, settings):
    client = session_client(team["executive"])
    session = client.session
    session[sessions.PASSWORD_AT] = sessions.now() - settings.CLEARANCE_REAUTH_MINUTES * 60 - 1
    session.save()
    response = client.post(revoke_url(approved), REASON, format="json")
    assert response.status_code == 403
    assert f"/use-cases/{approved.reference}/revoke/" in response.json()["detail"]
    assert "Confirm" in response.json()["detail"]
    approved.refresh_from_db()
    assert approved.status == UseCase.Status.APPROVED


def test_a_reviewer_gets_403_and_an_outsider_404(approved, team, other_owner):
    assert session_client(team["legal"]).post(revoke_url(approved), REASON, format="json").status_code == 403
    assert session_client(other_owner).post(revoke_url(approved), REASON, format="json").status_code == 404


def test_a_draft_has_no_approval_to_revoke(owner, team):
    from tests.approvals.workflow import complete_use_case

    draft = complete_use_case(owner)
    response = session_client(owner).post(revoke_url(draft), REASON, format="json")
    assert response.status_code == 403
    assert response.json()["detail"] == "Only an approved or suspended approval can be revoked."


def test_revoking_twice_is_refused(approved, team):
    client = session_client(team["executive"])
    assert client.post(revoke_url(approved), REASON, format="json").status_code == 200
    assert client.post(revoke_url(approved), REASON, format="json").status_code == 403


@pytest.mark.parametrize("scopes", [("read",), ("submit",), ("read", "submit", "gateway")])
def test_no_token_revokes(scopes, approved):
    _, raw = service_account(*scopes)
    response = token_client(raw).post(revoke_url(approved), REASON, format="json")
    assert response.status_code == 403
    approved.refresh_from_db()
    assert approved.status == UseCase.Status.APPROVED


def test_it_refuses_get(approved, team):
    assert session_client(team["executive"]).get(revoke_url(approved)).status_code == 405


def test_it_needs_the_csrf_token_from_a_browser(approved, team):
    client = csrf_client(team["executive"])
    assert client.post(revoke_url(approved), REASON, format="json").status_code == 403
    assert with_csrf(client).post(revoke_url(approved), REASON, format="json").status_code == 200
