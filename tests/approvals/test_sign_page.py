"""The sign page offers only the decisions the checklist allows, counts the reviewer's open items and
links each to its answer, and says why a plain approval is not offered."""

import re

import pytest

from approvals.models import SignOff
from approvals.permissions import TOOL_USE_ITEM
from checklist.models import Answer
from governance.roles import Function
from tests.approvals.workflow import answer_items, complete_use_case, function_items, submit

pytestmark = pytest.mark.django_db


@pytest.fixture
def round(alice):
    return submit(complete_use_case(alice))


def page(client, round, function, user):
    client.force_login(user)
    response = client.get(f"/reviews/{round.signoffs.get(function=function).pk}/")
    assert response.status_code == 200
    return response.text


def offered(html: str) -> list[str]:
    return re.findall(r'name="decision" value="([a-z_]+)"', html)


def test_with_open_items_it_offers_no_approval_and_links_each_open_item(client, team, round):
    html = page(client, round, Function.LEGAL, team["legal"])
    assert offered(html) == ["request_changes", "reject"]
    items = function_items(round, Function.LEGAL)
    assert f"{len(items)} of your {len(items)} items are open" in html
    for item in items:
        assert f'<a href="#checklist-{item.code}">{item.code}</a>' in html
        assert f'id="checklist-{item.code}"' in html  # the row with the item's answer form


def test_the_count_drops_as_items_are_answered(client, team, round):
    first, *rest = function_items(round, Function.LEGAL)
    answer_items(round, Function.LEGAL, team["legal"], only=[i.code for i in rest])
    html = page(client, round, Function.LEGAL, team["legal"])
    assert f"1 of your {len(rest) + 1} items are open" in html
    assert f'<a href="#checklist-{first.code}">' in html


def test_all_answered_yes_offers_every_decision(client, team, round):
    answer_items(round, Function.LEGAL, team["legal"])
    html = page(client, round, Function.LEGAL, team["legal"])
    assert offered(html) == [d for d in SignOff.Decision.values if d != "pending"]
    assert "items are open" not in html
    assert "Plain approval is not offered" not in html


def test_a_partial_answer_withholds_plain_approval_and_says_why(client, team, round):
    gap = function_items(round, Function.PRIVACY)[0].code
    answer_items(round, Function.PRIVACY, team["privacy"], **{gap: Answer.Response.PARTIAL})
    html = page(client, round, Function.PRIVACY, team["privacy"])
    assert offered(html) == ["approve_with_conditions", "request_changes", "reject"]
    assert "Plain approval is not offered" in html
    assert f'<a href="#checklist-{gap}">{gap}</a> is answered “Partially”' in html


def test_with_tools_security_is_told_why_plain_approval_is_not_offered(client, team, alice):
    round = submit(complete_use_case(alice, tool_use=True, tool_use_detail="Opens tickets."))
    answer_items(round, Function.SECURITY, team["security"])
    html = page(client, round, Function.SECURITY, team["security"])
    assert offered(html) == ["approve_with_conditions", "request_changes", "reject"]
    assert "enables tools or agents" in html


def test_with_tools_a_not_applicable_tool_item_stays_open(client, team, alice):
    round = submit(complete_use_case(alice, tool_use=True, tool_use_detail="Opens tickets."))
    answer_items(round, Function.SECURITY, team["security"], **{TOOL_USE_ITEM: Answer.Response.NOT_APPLICABLE})
    html = page(client, round, Function.SECURITY, team["security"])
    assert offered(html) == ["request_changes", "reject"]
    assert "1 of your" in html and "does not answer it" in html


def test_a_refused_plain_approval_shows_the_reason(client, team, round):
    client.force_login(team["legal"])
    response = client.post(f"/reviews/{round.signoffs.get(function='legal').pk}/", {"decision": "approve"})
    assert response.status_code == 400
    assert "Answer your function&#x27;s checklist items before approving" in response.text
    assert round.signoffs.get(function="legal").is_pending


def test_answering_from_the_sign_page_returns_to_the_item(client, team, round):
    item = function_items(round, Function.LEGAL)[0]
    sign_url = f"/reviews/{round.signoffs.get(function='legal').pk}/"
    client.force_login(team["legal"])
    response = client.post(
        f"/use-cases/{round.use_case.reference}/answers/{item.pk}/",
        {"response": "yes", "next": f"{sign_url}#checklist-{item.code}"},
    )
    assert response.status_code == 302
    assert response.url == f"{sign_url}#checklist-{item.code}"
    assert Answer.objects.get(use_case=round.use_case, item=item).answered_by == team["legal"]
