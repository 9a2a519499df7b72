"""PUT …/checklist/<item>/answer/: the caller answers an item of their own function."""

import pytest

from checklist.models import Answer
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
from tests.approvals.workflow import business_items, reviewers, submit
from tests.matrix_fixtures import item_of

pytestmark = pytest.mark.django_db


def answer_url(use_case, item):
    return url("api_checklist_answer", use_case.reference, item)


def test_an_owner_answers_a_business_item_by_code(owner, draft):
    item = business_items()[0]
    body = {"response": "partial", "justification": "EU tenants only."}
    response = session_client(owner).put(answer_url(draft, item.code), body, format="json")
    assert response.status_code == 200, response.json()
    assert response.json()["answer"] == {"item": item.code, **body}
    answer = Answer.objects.get(use_case=draft, item=item)
    assert (answer.response, answer.answered_by) == ("partial", owner)


def test_the_item_may_be_named_by_id(owner, draft):
    item = business_items()[1]
    response = session_client(owner).put(answer_url(draft, item.pk), {"response": "yes"}, format="json")
    assert response.status_code == 200


def test_anything_short_of_yes_needs_a_justification(owner, draft):
    item = business_items()[0]
    response = session_client(owner).put(answer_url(draft, item.code), {"response": "no"}, format="json")
    assert response.status_code == 400
    assert response.json() == {"justification": ["Explain any answer other than yes."]}


def test_a_reviewer_answers_their_functions_items_in_review(owner, draft):
    submit(draft)
    legal = reviewers()["legal"]
    item = item_of("legal")
    response = session_client(legal).put(answer_url(draft, item.code), {"response": "yes"}, format="json")
    assert response.status_code == 200
    other = item_of("security")
    assert (
        session_client(legal).put(answer_url(draft, other.code), {"response": "yes"}, format="json").status_code == 403
    )


def test_owners_answer_nothing_in_review(owner, draft):
    submit(draft)
    item = business_items()[0]
    response = session_client(owner).put(answer_url(draft, item.code), {"response": "yes"}, format="json")
    assert response.status_code == 403
    assert response.json()["detail"] == f"You cannot answer {item.code} on {draft.reference}."


def test_outsiders_get_404(draft, other_owner):
    item = business_items()[0]
    assert (
        session_client(other_owner).put(answer_url(draft, item.code), {"response": "yes"}, format="json").status_code
        == 404
    )


def test_an_unknown_item_is_404(owner, draft):
    for item in ("NOPE-1", "999999", "x" * 200):
        assert session_client(owner).put(answer_url(draft, item), {"response": "yes"}, format="json").status_code == 404


def test_a_submit_token_answers_the_business_items_of_its_own_draft(pipeline, draft):
    account, client = pipeline
    mine = client.post(url("api_use_case_create"), new_draft(), format="json").json()["reference"]
    item = business_items()[0]
    response = client.put(url("api_checklist_answer", mine, item.code), {"response": "yes"}, format="json")
    assert response.status_code == 200
    assert Answer.objects.get(use_case__reference=mine, item=item).history.get().history_user == account.user
    assert client.put(answer_url(draft, item.code), {"response": "yes"}, format="json").status_code == 404
    legal_item = item_of("legal")
    assert (
        client.put(url("api_checklist_answer", mine, legal_item.code), {"response": "yes"}, format="json").status_code
        == 403
    )


@pytest.mark.parametrize("scopes", [("read",), ("gateway",)])
def test_it_refuses_a_token_without_the_submit_scope(scopes, draft):
    _, raw = service_account(*scopes)
    item = business_items()[0]
    assert token_client(raw).put(answer_url(draft, item.code), {"response": "yes"}, format="json").status_code == 403


def test_it_refuses_get(owner, draft):
    assert session_client(owner).get(answer_url(draft, business_items()[0].code)).status_code == 405


def test_it_needs_the_csrf_token_from_a_browser(owner, draft):
    client = csrf_client(owner)
    target = answer_url(draft, business_items()[0].code)
    assert client.put(target, {"response": "yes"}, format="json").status_code == 403
    assert with_csrf(client).put(target, {"response": "yes"}, format="json").status_code == 200
