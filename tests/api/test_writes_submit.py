"""POST …/submit/: sending a request to its reviewers, as the submit page does."""

import pytest

from approvals.models import ApprovalEvent, ApprovalRequest
from governance.models import UseCase
from tests.api.helpers import service_account, session_client, token_client
from tests.api.test_writes_support import (  # noqa: F401 (the *_fixture names are fixtures)
    csrf_client,
    draft_fixture,
    new_draft,
    other_owner_fixture,
    owner_fixture,
    pipeline_fixture,
    url,
    with_csrf,
)
from tests.approvals.workflow import business_items, reviewers
from tests.factories import failure_modes_tested

pytestmark = pytest.mark.django_db


def submit_url(reference):
    return url("api_use_case_submit", reference)


def test_it_submits_a_complete_draft(owner, draft):
    response = session_client(owner).post(submit_url(draft.reference))
    assert response.status_code == 201, response.json()
    assert response.json()["status"] == "in_review"
    assert response.json()["round"]["number"] == 1
    assert {"legal", "privacy", "security", "procurement"} <= set(response.json()["round"]["functions"])
    assert ApprovalEvent.objects.get(verb=ApprovalEvent.Verb.SUBMITTED).actor == owner


def test_it_names_every_gap_of_an_incomplete_request(pipeline):
    _, client = pipeline
    reference = client.post(url("api_use_case_create"), new_draft(), format="json").json()["reference"]
    response = client.post(submit_url(reference))
    assert response.status_code == 400
    body = response.json()
    assert body["detail"].startswith(f"{reference} is not complete yet")
    assert len(body["gaps"]) > 3
    assert UseCase.objects.get(reference=reference).status == UseCase.Status.DRAFT


def test_submitting_twice_is_refused(owner, draft):
    client = session_client(owner)
    assert client.post(submit_url(draft.reference)).status_code == 201
    response = client.post(submit_url(draft.reference))
    assert response.status_code == 403
    assert response.json()["detail"] == "A use case that is in review cannot be submitted."
    assert ApprovalRequest.objects.count() == 1


def test_outsiders_get_404(draft, other_owner):
    assert session_client(other_owner).post(submit_url(draft.reference)).status_code == 404
    assert session_client(other_owner).post(submit_url("UC-1999-0001")).status_code == 404


def test_a_reviewer_who_sees_it_gets_403(owner):
    from tests.approvals.workflow import complete_use_case, submit

    use_case = complete_use_case(owner)
    submit(use_case)
    response = session_client(reviewers()["legal"]).post(submit_url(use_case.reference))
    assert response.status_code == 403


def test_a_pipeline_creates_answers_and_submits_and_the_events_name_it(pipeline, owner):
    from tests.factories import RiskFactory  # noqa: F401 (the risk goes through the API below)

    account, client = pipeline
    body = new_draft(
        department="Service desk",
        approved_purpose="Sort tickets; agents read every summary.",
        prohibited_uses="No decisions about customers.",
        data_categories=["customer-records"],
        fallback_models=[new_draft()["primary_model"]],
        log_contents="Prompts and outputs",
        log_location="SIEM",
        log_access="Security operations",
        log_retention_days=90,
        log_prompt_protection="Masked",
        log_retrieval_sources="No retrieval",
        log_tool_execution="No tools",
        log_exceptions="The risk owner approves exceptions",
    )
    reference = client.post(url("api_use_case_create"), body, format="json").json()["reference"]
    risk = {
        "title": "Leak",
        "category": "data",
        "inherent_likelihood": 4,
        "inherent_impact": 4,
        "residual_likelihood": 2,
        "residual_impact": 2,
    }
    assert client.post(url("api_risk_create", reference), risk, format="json").status_code == 201
    for item in business_items():
        assert (
            client.put(
                url("api_checklist_answer", reference, item.code), {"response": "yes"}, format="json"
            ).status_code
            == 200
        )
    use_case = UseCase.objects.get(reference=reference)
    failure_modes_tested(use_case, account.user)
    response = client.post(submit_url(reference))
    assert response.status_code == 201, response.json()
    event = ApprovalEvent.objects.get(use_case=use_case, verb=ApprovalEvent.Verb.SUBMITTED)
    assert event.actor == account.user
    assert use_case.history.first().history_user == account.user
    assert use_case.rounds.get().submitted_by == account.user


@pytest.mark.parametrize("scopes", [("read",), ("gateway",)])
def test_it_refuses_a_token_without_the_submit_scope(scopes, draft):
    _, raw = service_account(*scopes)
    assert token_client(raw).post(submit_url(draft.reference)).status_code == 403


def test_it_refuses_get(owner, draft):
    assert session_client(owner).get(submit_url(draft.reference)).status_code == 405
    draft.refresh_from_db()
    assert draft.status == UseCase.Status.DRAFT


def test_it_needs_the_csrf_token_from_a_browser(owner, draft):
    client = csrf_client(owner)
    assert client.post(submit_url(draft.reference)).status_code == 403
    assert with_csrf(client).post(submit_url(draft.reference)).status_code == 201
