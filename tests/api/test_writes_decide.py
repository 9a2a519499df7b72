"""POST /api/v1/signoffs/<id>/decide/: a reviewer decides their function's sign-off, as on the sign page."""

from datetime import timedelta

import pytest
from django.utils import timezone

from approvals.models import ApprovalEvent, Condition, SignOff
from tests.api.helpers import service_account, session_client, token_client
from tests.api.test_writes_support import (  # noqa: F401 (the *_fixture names are fixtures)
    csrf_client,
    draft_fixture,
    other_owner_fixture,
    owner_fixture,
    url,
    with_csrf,
)
from tests.approvals.workflow import answer_items, reviewers, submit

pytestmark = pytest.mark.django_db

CHANGES = {"decision": "request_changes", "comment": "Name the retention period."}


@pytest.fixture
def team(db):
    return reviewers()


@pytest.fixture
def round(draft, team):
    return submit(draft)


def decide_url(signoff):
    return url("api_signoff_decide", signoff.pk)


def legal_of(round):
    return round.signoffs.get(function="legal")


def test_it_records_a_request_for_changes(round, team):
    response = session_client(team["legal"]).post(decide_url(legal_of(round)), CHANGES, format="json")
    assert response.status_code == 200, response.json()
    body = response.json()
    assert body["status"] == "changes_requested"
    assert body["signoff"]["decision"] == "request_changes"
    assert ApprovalEvent.objects.get(verb=ApprovalEvent.Verb.SIGNED).actor == team["legal"]


def test_it_approves_with_conditions_owned_by_an_owner(round, team, owner):
    answer_items(round, "legal", team["legal"])
    due = (timezone.localdate() + timedelta(days=30)).isoformat()
    body = {
        "decision": "approve_with_conditions",
        "comment": "With a DPA.",
        "conditions": [{"description": "Sign the DPA.", "owner": owner.username, "due_on": due}],
    }
    response = session_client(team["legal"]).post(decide_url(legal_of(round)), body, format="json")
    assert response.status_code == 200, response.json()
    condition = Condition.objects.get()
    assert (condition.owner, condition.due_on.isoformat()) == (owner, due)


def test_conditions_follow_the_sign_forms_rules(round, team):
    answer_items(round, "legal", team["legal"])
    due = (timezone.localdate() + timedelta(days=30)).isoformat()
    client = session_client(team["legal"])
    outsider = {"description": "Sign the DPA.", "owner": "lena", "due_on": due}
    response = client.post(
        decide_url(legal_of(round)),
        {"decision": "approve_with_conditions", "comment": "x", "conditions": [outsider]},
        format="json",
    )
    assert response.status_code == 400
    assert "conditions[0].owner" in response.json()
    none = client.post(
        decide_url(legal_of(round)), {"decision": "approve_with_conditions", "comment": "x"}, format="json"
    )
    assert none.status_code == 400
    assert "conditions" in none.json()
    assert legal_of(round).decision == SignOff.Decision.PENDING


def test_every_decision_but_approval_needs_a_comment(round, team):
    response = session_client(team["legal"]).post(decide_url(legal_of(round)), {"decision": "reject"}, format="json")
    assert response.status_code == 400
    assert "comment" in response.json()


def test_approval_waits_for_the_functions_items(round, team):
    response = session_client(team["legal"]).post(decide_url(legal_of(round)), {"decision": "approve"}, format="json")
    assert response.status_code == 400
    assert "Answer your function's checklist items" in response.json()["decision"][0]


def test_a_decided_sign_off_is_not_decided_again(round, team):
    client = session_client(team["legal"])
    assert client.post(decide_url(legal_of(round)), CHANGES, format="json").status_code == 200
    response = client.post(decide_url(legal_of(round)), CHANGES, format="json")
    assert response.status_code == 403


def test_another_function_gets_403_an_outsider_404(round, team, other_owner, owner):
    assert session_client(team["security"]).post(decide_url(legal_of(round)), CHANGES, format="json").status_code == 403
    assert session_client(owner).post(decide_url(legal_of(round)), CHANGES, format="json").status_code == 403
    assert session_client(other_owner).post(decide_url(legal_of(round)), CHANGES, format="json").status_code == 404
    assert (
        session_client(team["legal"]).post(url("api_signoff_decide", 999999), CHANGES, format="json").status_code == 404
    )


@pytest.mark.parametrize("scopes", [("read",), ("submit",), ("read", "submit", "gateway")])
def test_no_token_decides(scopes, round):
    _, raw = service_account(*scopes)
    assert token_client(raw).post(decide_url(legal_of(round)), CHANGES, format="json").status_code == 403
    assert legal_of(round).decision == SignOff.Decision.PENDING


def test_it_refuses_get(round, team):
    assert session_client(team["legal"]).get(decide_url(legal_of(round))).status_code == 405


def test_it_needs_the_csrf_token_from_a_browser(round, team):
    client = csrf_client(team["legal"])
    assert client.post(decide_url(legal_of(round)), CHANGES, format="json").status_code == 403
    assert with_csrf(client).post(decide_url(legal_of(round)), CHANGES, format="json").status_code == 200
