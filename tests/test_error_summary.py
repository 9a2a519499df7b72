"""A form that failed opens with one error summary: focus lands on it (autofocus, no script), and each
error links to a field that is on the page."""

import re

import pytest

from approvals.conditions import ConditionSpec
from approvals.models import Condition
from approvals.services import signoff_decide
from governance.roles import Role
from tests.approvals.workflow import answer_items, complete_use_case, sign, submit
from tests.factories import UseCaseFactory, UserFactory

pytestmark = pytest.mark.django_db


def summary_of(html: str) -> str:
    found = re.findall(r'<div class="error-summary"[^>]*>.*?</div>', html, re.S)
    assert len(found) == 1, f"{len(found)} error summaries"
    return found[0]


def assert_summary_links_to_fields(html: str, *expected: str) -> list[str]:
    summary = summary_of(html)
    assert 'tabindex="-1"' in summary and "autofocus" in summary and 'role="alert"' in summary
    anchors = re.findall(r'href="#([^"]+)"', summary)
    for anchor in anchors:
        assert html.count(f'id="{anchor}"') == 1, f"#{anchor} is not one element of the page"
    for anchor in expected:
        assert anchor in anchors, f"#{anchor} is not linked from the summary: {anchors}"
    return anchors


def test_the_request_form(client, alice):
    client.force_login(alice)
    response = client.post("/use-cases/new/", {"title": ""})
    assert response.status_code == 400
    assert_summary_links_to_fields(response.text, "id_title", "id_purpose")


def test_the_risk_form(client, alice):
    use_case = UseCaseFactory(user=alice)
    client.force_login(alice)
    response = client.post(f"/use-cases/{use_case.reference}/risks/", {"title": ""})
    assert response.status_code == 400
    assert_summary_links_to_fields(response.text, "id_title")


def test_the_sign_form(client, alice, team):
    round = submit(complete_use_case(alice))
    signoff = round.signoffs.get(function="security")
    answer_items(round, "security", team["security"])
    client.force_login(team["security"])
    response = client.post(f"/reviews/{signoff.pk}/", {"comment": "x"})
    assert response.status_code == 400
    assert_summary_links_to_fields(response.text, "id_decision")


def test_the_sign_form_links_a_condition_row(client, alice, team):
    round = submit(complete_use_case(alice))
    signoff = round.signoffs.get(function="security")
    answer_items(round, "security", team["security"])
    client.force_login(team["security"])
    data = {"decision": "approve_with_conditions", "comment": "x", "condition_1_description": "Egress blocked"}
    response = client.post(f"/reviews/{signoff.pk}/", data)
    assert response.status_code == 400
    anchors = assert_summary_links_to_fields(response.text)
    assert any(anchor.startswith("id_condition_1_") for anchor in anchors), anchors


@pytest.fixture
def condition(alice, team):
    from datetime import timedelta

    from django.utils import timezone

    round = submit(complete_use_case(alice))
    answer_items(round, "legal", team["legal"])
    spec = ConditionSpec("Retention clause signed", alice, timezone.localdate() + timedelta(days=10))
    signoff_decide(
        signoff=round.signoffs.get(function="legal"),
        user=team["legal"],
        decision="approve_with_conditions",
        comment="First this.",
        condition_specs=[spec],
    )
    for function in round.required_functions:
        if function != "legal":
            sign(round, function, team[function])
    return Condition.objects.get(round=round)


def test_the_condition_claim_form(client, alice, condition):
    client.force_login(alice)
    response = client.post(f"/conditions/{condition.pk}/claim/", {"link": "not a link"})
    assert response.status_code == 400
    assert_summary_links_to_fields(response.text, "id_link")


def test_the_condition_waive_form(client, team, condition):
    client.force_login(team["legal"])
    response = client.post(f"/conditions/{condition.pk}/waive/", {"reason": ""})
    assert response.status_code == 400
    assert_summary_links_to_fields(response.text, "id_reason")


def test_the_verify_form(client, alice):
    client.force_login(alice)
    response = client.post("/records/verify/", {"sha256": "not a digest"})
    assert response.status_code == 400
    assert_summary_links_to_fields(response.text)


def test_the_use_case_filters(client, alice):
    client.force_login(alice)
    response = client.get("/use-cases/", {"status": "no-such-status"})
    assert_summary_links_to_fields(response.text, "id_status")


def test_the_report_filters(client):
    client.force_login(UserFactory(username="erin", roles=[Role.EXECUTIVE]))
    response = client.get("/reports/", {"status": "no-such-status", "created_from": "not a date"})
    assert_summary_links_to_fields(response.text, "id_status", "id_created_from")


def test_the_sign_in_form(client, alice):
    response = client.post("/login/", {"username": "alice", "password": "wrong"})
    summary = summary_of(response.text)
    assert "Sign-in failed" in summary and "autofocus" in summary


def test_a_page_that_did_not_fail_has_no_summary(client, alice):
    client.force_login(alice)
    assert 'class="error-summary"' not in client.get("/use-cases/new/").text
