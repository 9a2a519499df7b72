"""PATCH /api/v1/use-cases/<reference>/edit/: editing a request through the request form and `use_case_edit`."""

import pytest

from approvals.models import ApprovalEvent, ApprovalRequest
from governance.models import UseCase
from governance.roles import Role
from tests.api.helpers import service_account, session_client, token_client
from tests.api.test_writes_support import (  # noqa: F401 (the *_fixture names are fixtures)
    SHARED,
    csrf_client,
    draft_fixture,
    new_draft,
    other_owner_fixture,
    owner_fixture,
    pipeline_fixture,
    url,
    with_csrf,
)
from tests.approvals.workflow import approved_use_case, person, reviewers, submit
from tests.factories import AIModelFactory

pytestmark = pytest.mark.django_db


def edit(use_case):
    return url("api_use_case_edit", use_case.reference)


def test_it_edits_a_draft_keeping_what_is_not_sent(owner, draft):
    response = session_client(owner).patch(
        edit(draft), {"title": "Ticket summaries", "owners_shared_reason": SHARED}, format="json"
    )
    assert response.status_code == 200, response.json()
    draft.refresh_from_db()
    assert draft.title == "Ticket summaries"
    assert draft.log_retention_days == 90  # not sent: kept
    assert draft.fallback_models.count() == 1
    assert response.json()["material_changes"] == []
    assert response.json()["review_round"] is None


def test_it_applies_the_request_forms_rules(owner, draft):
    response = session_client(owner).patch(
        edit(draft), {"tool_use": True, "owners_shared_reason": SHARED}, format="json"
    )
    assert response.status_code == 400
    assert response.json() == {"tool_use_detail": ["Describe the tools or agents the model may call."]}
    draft.refresh_from_db()
    assert draft.tool_use is False


def test_outsiders_get_404(draft, other_owner):
    response = session_client(other_owner).patch(edit(draft), {"title": "Mine"}, format="json")
    assert response.status_code == 404
    team = reviewers()
    assert session_client(team["legal"]).patch(edit(draft), {"title": "Mine"}, format="json").status_code == 404


def test_a_reviewer_who_sees_it_gets_403(owner, draft):
    submit(draft)
    reviewer = reviewers()["legal"]
    response = session_client(reviewer).patch(edit(draft), {"title": "Mine"}, format="json")
    assert response.status_code == 403


def test_it_refuses_an_edit_in_review(owner, draft):
    submit(draft)
    response = session_client(owner).patch(
        edit(draft), {"title": "Late", "owners_shared_reason": SHARED}, format="json"
    )
    assert response.status_code == 403
    assert "not while it is in review" in response.json()["detail"]
    draft.refresh_from_db()
    assert draft.title != "Late"


def test_an_approved_request_needs_a_reason(owner):
    use_case, _ = approved_use_case(owner, reviewers())
    response = session_client(owner).patch(
        edit(use_case), {"title": "Renamed", "owners_shared_reason": SHARED}, format="json"
    )
    assert response.status_code == 400
    assert "reason" in response.json()
    ok = session_client(owner).patch(
        edit(use_case), {"title": "Renamed", "owners_shared_reason": SHARED, "reason": "Clearer"}, format="json"
    )
    assert ok.status_code == 200
    assert ok.json()["status"] == "approved"
    assert use_case.history.first().history_change_reason == "Clearer"


def test_a_material_change_is_confirmed_then_suspends_and_opens_a_round(owner):
    use_case, round = approved_use_case(owner, reviewers())
    other = AIModelFactory(name="Replacement")
    body = {"primary_model": other.pk, "owners_shared_reason": SHARED, "reason": "The vendor retired the model."}
    client = session_client(owner)
    refused = client.patch(edit(use_case), body, format="json")
    assert refused.status_code == 400
    assert '["primary_model"]' in refused.json()["confirm_material"][0]
    use_case.refresh_from_db()
    assert use_case.status == UseCase.Status.APPROVED
    response = client.patch(edit(use_case), {**body, "confirm_material": ["primary_model"]}, format="json")
    assert response.status_code == 200, response.json()
    assert response.json()["material_changes"] == ["primary_model"]
    assert response.json()["review_round"] == 2
    assert response.json()["status"] == "in_review"
    round.refresh_from_db()
    assert round.status == ApprovalRequest.Status.SUSPENDED
    assert ApprovalEvent.objects.filter(verb=ApprovalEvent.Verb.SUSPENDED, actor=owner).exists()


def test_a_submit_token_edits_its_own_draft_only(pipeline, draft):
    account, client = pipeline
    created = client.post(url("api_use_case_create"), new_draft(), format="json").json()
    mine = UseCase.objects.get(reference=created["reference"])
    response = client.patch(edit(mine), {"department": "Platform"}, format="json")
    assert response.status_code == 200, response.json()
    assert mine.history.first().history_user == account.user
    assert client.patch(edit(draft), {"department": "Platform"}, format="json").status_code == 404


@pytest.mark.parametrize("scopes", [("read",), ("gateway",)])
def test_it_refuses_a_token_without_the_submit_scope(scopes, draft):
    _, raw = service_account(*scopes)
    assert token_client(raw).patch(edit(draft), {"title": "x"}, format="json").status_code == 403


def test_it_refuses_get(owner, draft):
    assert session_client(owner).get(edit(draft)).status_code == 405


def test_it_needs_the_csrf_token_from_a_browser(owner, draft):
    client = csrf_client(owner)
    body = {"title": "Renamed", "owners_shared_reason": SHARED}
    assert client.patch(edit(draft), body, format="json").status_code == 403
    assert with_csrf(client).patch(edit(draft), body, format="json").status_code == 200


def test_reserved_fields_are_unknown(owner, draft):
    response = session_client(owner).patch(edit(draft), {"status": "approved", "reference": "UC-1"}, format="json")
    assert response.status_code == 400
    assert set(response.json()) == {"status", "reference"}
    assert person("alice", Role.BUSINESS_OWNER) == owner
