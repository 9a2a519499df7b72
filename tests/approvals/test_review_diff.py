"""The review page shows the frozen request beside what changed since the previous round."""

import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils.html import strip_tags

from approvals.services import use_case_edit
from governance.services import risk_create, risk_delete, risk_update
from tests.approvals.workflow import LOGGING_POINTS, complete_use_case, sign, submit
from tests.factories import RiskFactory

pytestmark = pytest.mark.django_db

ROW = re.compile(
    r'<tr class="diff-(?P<kind>\w+)">\s*<th scope="row">(?P<label>.*?)</th>\s*'
    r'<td class="diff-before">(?P<before>.*?)</td>\s*<td class="diff-after">(?P<after>.*?)</td>',
    re.DOTALL,
)


def signoff_url(round, function):
    return f"/reviews/{round.signoffs.get(function=function).pk}/"


def diff_rows(html: str) -> list[tuple[str, str, str, str]]:
    """The comparison table as (kind, field, before, after), text only."""
    return [
        tuple(strip_tags(m[key]).strip() for key in ("kind", "label", "before", "after")) for m in ROW.finditer(html)
    ]


def second_round(owner, team, *, risks: int = 1, **edits):
    """A request sent back for changes by legal, edited by `owner` (when `edits` are given) and resubmitted."""
    use_case = complete_use_case(owner, hosting_country="US")
    for n in range(risks - 1):
        RiskFactory(use_case=use_case, title=f"Extra risk {n}")
    sign(submit(use_case), "legal", team["legal"], "request_changes", comment="Host it in the EU.")
    if edits:
        use_case_edit(use_case=use_case, user=owner, reason="Legal asked", **edits)
    use_case.refresh_from_db()
    return submit(use_case)


def test_round_2_shows_the_changed_field_before_and_after(client, alice, team):
    round = second_round(alice, team, hosting_country="DE")
    assert round.number == 2
    client.force_login(team["privacy"])
    response = client.get(signoff_url(round, "privacy"))
    assert response.status_code == 200
    assert "What changed since round 1" in response.text
    assert '<th scope="col">Round 1</th><th scope="col">Round 2</th>' in response.text
    assert diff_rows(response.text) == [("changed", "Hosting country", "US", "DE")]
    assert "The request as submitted" in response.text  # the frozen copy stays beside it


def test_round_2_shows_a_changed_logging_point(client, alice, team):
    round = second_round(alice, team, log_exceptions="The CISO approves exceptions in writing")
    client.force_login(team["privacy"])
    response = client.get(signoff_url(round, "privacy"))
    assert diff_rows(response.text) == [
        (
            "changed",
            "Logging: how exceptions are approved",
            LOGGING_POINTS["log_exceptions"],
            "The CISO approves exceptions in writing",
        )
    ]


def test_the_frozen_request_shows_every_logging_point(client, alice, team):
    round = submit(complete_use_case(alice))
    client.force_login(team["privacy"])
    body = client.get(signoff_url(round, "privacy")).text
    for value in LOGGING_POINTS.values():
        assert value in body


def test_it_names_added_removed_and_rescored_risks_in_words(client, alice, team):
    use_case = complete_use_case(alice)
    RiskFactory(use_case=use_case, title="Vendor lock-in", residual_likelihood=2, residual_impact=2)
    sign(submit(use_case), "legal", team["legal"], "request_changes", comment="Consider injection.")
    risk_create(
        use_case=use_case,
        user=alice,
        title="Prompt injection",
        category="security",
        inherent_likelihood=4,
        inherent_impact=4,
        residual_likelihood=2,
        residual_impact=3,
    )
    risk_delete(risk=use_case.risks.get(title="Customer data leaks into prompts"), user=alice)
    risk_update(risk=use_case.risks.get(title="Vendor lock-in"), user=alice, residual_likelihood=1)
    round = submit(use_case)
    client.force_login(team["privacy"])
    rows = diff_rows(client.get(signoff_url(round, "privacy")).text)
    assert rows == [
        ("added", "Risk: Prompt injection", "—", "added security; inherent 4 × 4 = 16; residual 2 × 3 = 6"),
        (
            "removed",
            "Risk: Customer data leaks into prompts",
            "data; inherent 5 × 5 = 25; residual 2 × 3 = 6",
            "removed",
        ),
        ("changed", "Risk: Vendor lock-in, residual score", "2 × 2 = 4", "1 × 2 = 2"),
    ]


def test_a_resubmission_without_edits_says_nothing_changed(client, alice, team):
    round = second_round(alice, team)
    client.force_login(team["privacy"])
    page = client.get(signoff_url(round, "privacy")).text
    assert "Nothing changed since round 1" in page
    assert diff_rows(page) == []


def test_round_1_has_nothing_to_compare(client, alice, team):
    round = submit(complete_use_case(alice))
    client.force_login(team["legal"])
    page = client.get(signoff_url(round, "legal")).text
    assert "First round: nothing to compare." in page
    assert "What changed since" not in page
    assert diff_rows(page) == []


def sign_page_queries(client, round) -> int:
    url = signoff_url(round, "privacy")
    client.get(url)  # warm caches (content types, permissions) so both counts start alike
    with CaptureQueriesContext(connection) as ctx:
        assert client.get(url).status_code == 200
    return len(ctx.captured_queries)


def test_the_sign_page_runs_the_same_queries_for_1_and_10_risks(client, alice, team):
    client.force_login(team["privacy"])
    one = sign_page_queries(client, second_round(alice, team, risks=1, hosting_country="DE"))
    ten = sign_page_queries(client, second_round(alice, team, risks=10, hosting_country="DE"))
    assert ten == one
    # Thirteen, one more since need-to-know (whether the use case was ever submitted), two for what the
    # decision rests on (the function's items and their answers) and one for whether the viewer leads.
    assert one <= 17


def test_the_previous_round_costs_two_queries(client, alice, team):
    """Its snapshot, and its sign-offs with who signed them."""
    client.force_login(team["privacy"])
    first = sign_page_queries(client, submit(complete_use_case(alice)))
    second = sign_page_queries(client, second_round(alice, team, hosting_country="DE"))
    assert second == first + 2


def test_round_two_says_how_round_one_ended_and_why(client, alice, team):
    round = second_round(alice, team, hosting_country="DE")
    client.force_login(team["privacy"])
    page = client.get(signoff_url(round, "privacy")).text
    assert "How round 1 ended: changes requested" in page
    assert '<strong>Legal</strong>: <span class="badge decision-request_changes">Request changes</span>' in page
    assert f"— {team['legal'].get_full_name()}" in page
    assert "“Host it in the EU.”" in page


def test_an_outsider_gets_404(client, charlie, alice, team):
    round = second_round(alice, team, hosting_country="DE")
    client.force_login(charlie)
    assert client.get(signoff_url(round, "privacy")).status_code == 404
