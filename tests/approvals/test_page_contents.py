"""The long pages (the use case, the sign page) open with a table of contents whose links all lead to a
section of the page."""

import re

import pytest

from tests.approvals.workflow import approved_use_case, complete_use_case, submit

pytestmark = pytest.mark.django_db


def contents_of(html: str) -> list[str]:
    nav = re.search(r'<nav class="toc" aria-label="On this page">(.*?)</nav>', html, re.S)
    assert nav, "no table of contents"
    return re.findall(r'href="#([^"]+)"', nav.group(1))


def assert_every_link_has_a_target(html: str) -> list[str]:
    anchors = contents_of(html)
    for anchor in anchors:
        assert html.count(f'id="{anchor}"') == 1, f"#{anchor} is not one section of the page"
    return anchors


def test_the_use_case_page_of_an_approval(client, alice, team):
    use_case, _ = approved_use_case(alice, team)
    client.force_login(team["executive"])
    anchors = assert_every_link_has_a_target(client.get(use_case.get_absolute_url()).text)
    assert anchors[:3] == ["request", "rounds", "risks"]
    assert {"checklist", "evidence", "events", "history", "danger-zone"} <= set(anchors)


def test_a_draft_has_no_rounds_and_nothing_to_stop(client, alice):
    use_case = complete_use_case(alice)
    client.force_login(alice)
    anchors = assert_every_link_has_a_target(client.get(use_case.get_absolute_url()).text)
    assert "rounds" not in anchors and "danger-zone" not in anchors and "conditions" not in anchors


def test_the_sign_page(client, alice, team):
    round = submit(complete_use_case(alice))
    signoff = round.signoffs.get(function="security")
    client.force_login(team["security"])
    anchors = assert_every_link_has_a_target(client.get(f"/reviews/{signoff.pk}/").text)
    assert anchors == [
        "request",
        "changes",
        "risks",
        "checklist",
        "failure-modes",
        "evaluations",
        "signoffs",
        "holder",
        "decision",
    ]
