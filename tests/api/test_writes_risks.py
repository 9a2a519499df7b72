"""Recording, changing and removing risks: POST …/risks/add/, PATCH and DELETE …/risks/<id>/change/."""

import pytest

from governance.models import Risk
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

RISK = {
    "title": "Prompts carry customer identifiers",
    "category": "data",
    "description": "Agents paste whole tickets.",
    "inherent_likelihood": 4,
    "inherent_impact": 5,
    "mitigations": "Identifiers masked.",
    "residual_likelihood": 2,
    "residual_impact": 2,
}


def add(use_case):
    return url("api_risk_create", use_case.reference)


def change(risk):
    return url("api_risk_change", risk.use_case.reference, risk.pk)


def test_it_records_a_risk_and_refreshes_the_tier(owner, draft):
    response = session_client(owner).post(add(draft), RISK, format="json")
    assert response.status_code == 201, response.json()
    risk = Risk.objects.get(pk=response.json()["risk"]["id"])
    assert risk.owner == draft.risk_owner
    assert response.json()["risk"]["residual_score"] == 4
    assert risk.history.get().history_user == owner


def test_it_applies_the_risk_forms_rules(owner, draft):
    body = {**RISK, "residual_likelihood": 5, "residual_impact": 5}
    response = session_client(owner).post(add(draft), body, format="json")
    assert response.status_code == 400
    assert response.json() == {"non_field_errors": ["The residual score cannot be higher than the inherent score."]}
    missing = session_client(owner).post(add(draft), {"title": "x"}, format="json")
    assert missing.status_code == 400
    assert {"category", "inherent_likelihood"} <= set(missing.json())


def test_scores_are_one_to_five(owner, draft):
    response = session_client(owner).post(add(draft), {**RISK, "inherent_impact": 6}, format="json")
    assert response.status_code == 400
    assert "inherent_impact" in response.json()


def test_it_changes_only_what_is_sent(owner, draft):
    risk = draft.risks.get()
    response = session_client(owner).patch(change(risk), {"mitigations": "Masking and review."}, format="json")
    assert response.status_code == 200, response.json()
    risk.refresh_from_db()
    assert risk.mitigations == "Masking and review."
    assert risk.title == "Customer data leaks into prompts"


def test_it_removes_a_risk(owner, draft):
    risk = draft.risks.get()
    response = session_client(owner).delete(change(risk))
    assert response.status_code == 200
    assert response.json()["removed"] == risk.pk
    assert not draft.risks.exists()


def test_outsiders_get_404(draft, other_owner):
    risk = draft.risks.get()
    client = session_client(other_owner)
    assert client.post(add(draft), RISK, format="json").status_code == 404
    assert client.patch(change(risk), {"title": "x"}, format="json").status_code == 404
    assert client.delete(change(risk)).status_code == 404


def test_a_risk_of_another_use_case_is_404(owner, draft):
    from tests.approvals.workflow import complete_use_case

    other = complete_use_case(owner)
    risk = other.risks.get()
    assert session_client(owner).delete(url("api_risk_change", draft.reference, risk.pk)).status_code == 404


def test_risks_do_not_change_in_review(owner, draft):
    submit(draft)
    risk = draft.risks.get()
    for client in (session_client(owner), session_client(reviewers()["security"])):
        assert client.post(add(draft), RISK, format="json").status_code == 403
        assert client.patch(change(risk), {"title": "x"}, format="json").status_code == 403
        assert client.delete(change(risk)).status_code == 403
    assert draft.risks.count() == 1


def test_a_submit_token_changes_the_risks_of_its_own_draft_only(pipeline, draft):
    _, client = pipeline
    assert client.post(add(draft), RISK, format="json").status_code == 404


@pytest.mark.parametrize("scopes", [("read",), ("gateway",)])
def test_it_refuses_a_token_without_the_submit_scope(scopes, draft):
    _, raw = service_account(*scopes)
    assert token_client(raw).post(add(draft), RISK, format="json").status_code == 403


def test_it_refuses_get(owner, draft):
    assert session_client(owner).get(add(draft)).status_code == 405
    assert session_client(owner).get(change(draft.risks.get())).status_code == 405


def test_it_needs_the_csrf_token_from_a_browser(owner, draft):
    client = csrf_client(owner)
    assert client.post(add(draft), RISK, format="json").status_code == 403
    assert with_csrf(client).post(add(draft), RISK, format="json").status_code == 201
