"""POST …/withdraw/: its owners take a request out of review, with the reason."""

import pytest

from approvals.models import ApprovalEvent, ApprovalRequest
from governance.limits import NOTE
from governance.models import UseCase
from tests.api.helpers import service_account, session_client, token_client
from tests.api.test_writes_support import (  # noqa: F401 (the *_fixture names are fixtures)
    csrf_client,
    draft_fixture,
    other_owner_fixture,
    owner_fixture,
    pipeline_fixture,
    url,
    with_csrf,
)
from tests.approvals.workflow import reviewers, submit

pytestmark = pytest.mark.django_db

REASON = {"reason": "The project was stopped."}


def withdraw_url(use_case):
    return url("api_use_case_withdraw", use_case.reference)


@pytest.fixture
def in_review(draft):
    submit(draft)
    return draft


def test_it_withdraws_a_request_in_review(owner, in_review):
    response = session_client(owner).post(withdraw_url(in_review), REASON, format="json")
    assert response.status_code == 200, response.json()
    assert response.json()["status"] == "withdrawn"
    assert response.json()["round"]["status"] == ApprovalRequest.Status.WITHDRAWN
    event = ApprovalEvent.objects.get(verb=ApprovalEvent.Verb.WITHDRAWN)
    assert (event.actor, event.data["reason"]) == (owner, "The project was stopped.")


def test_it_needs_a_reason(owner, in_review):
    for body in ({}, {"reason": "   "}):
        response = session_client(owner).post(withdraw_url(in_review), body, format="json")
        assert response.status_code == 400
        assert response.json() == {"reason": ["Say why the request is withdrawn."]}
    in_review.refresh_from_db()
    assert in_review.status == UseCase.Status.IN_REVIEW


def test_the_reason_has_its_limit(owner, in_review):
    response = session_client(owner).post(withdraw_url(in_review), {"reason": "x" * (NOTE + 1)}, format="json")
    assert response.status_code == 400
    assert "reason" in response.json()


def test_a_draft_cannot_be_withdrawn(owner, draft):
    response = session_client(owner).post(withdraw_url(draft), REASON, format="json")
    assert response.status_code == 403
    assert response.json()["detail"] == "Only a request in review can be withdrawn."


def test_outsiders_get_404_and_reviewers_403(in_review, other_owner):
    assert session_client(other_owner).post(withdraw_url(in_review), REASON, format="json").status_code == 404
    assert session_client(reviewers()["legal"]).post(withdraw_url(in_review), REASON, format="json").status_code == 403


def test_a_submit_token_withdraws_its_own_request_only(pipeline, in_review):
    _, client = pipeline
    assert client.post(withdraw_url(in_review), REASON, format="json").status_code == 404


@pytest.mark.parametrize("scopes", [("read",), ("gateway",)])
def test_it_refuses_a_token_without_the_submit_scope(scopes, in_review):
    _, raw = service_account(*scopes)
    assert token_client(raw).post(withdraw_url(in_review), REASON, format="json").status_code == 403


def test_it_refuses_get(owner, in_review):
    assert session_client(owner).get(withdraw_url(in_review)).status_code == 405


def test_it_needs_the_csrf_token_from_a_browser(owner, in_review):
    client = csrf_client(owner)
    assert client.post(withdraw_url(in_review), REASON, format="json").status_code == 403
    assert with_csrf(client).post(withdraw_url(in_review), REASON, format="json").status_code == 200
