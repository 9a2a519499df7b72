"""The portfolio figures (home summary, report page, queue counts) come from the cache while nothing behind
them changed, and are recomputed the moment something did: a decision, an edit, a risk, a registry fact."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from governance.roles import Role
from governance.services import registry_save, risk_update
from reports.cache import portfolio_state
from reports.dashboard import dashboard
from tests.approvals.workflow import approve_all, complete_use_case, person, sign, submit

pytestmark = pytest.mark.django_db


@pytest.fixture
def ellen(db):
    return person("ellen", Role.EXECUTIVE)


def summary(user):
    with CaptureQueriesContext(connection) as ctx:
        figures = dashboard(user)["portfolio"]
    return figures, len(ctx.captured_queries)


def counts(figures) -> dict[str, int]:
    return {figure.key: figure.count for figure in figures.by_status}


def test_the_home_summary_is_cached_until_a_decision_moves_it(alice, ellen, team):
    round = submit(complete_use_case(alice))
    cold, cold_queries = summary(ellen)
    warm, warm_queries = summary(ellen)
    assert counts(warm) == counts(cold) == {"in_review": 1}
    assert warm_queries < cold_queries  # the figures were not computed again

    approve_all(round, team)

    after, after_queries = summary(ellen)
    assert counts(after) == {"approved": 1}
    assert after_queries > warm_queries  # computed again


def test_a_risk_change_or_a_registry_edit_moves_the_state(alice, team, governance_admin):
    use_case = complete_use_case(alice)
    states = [portfolio_state()]

    round = submit(use_case)
    states.append(portfolio_state())  # an event and a use case history row
    sign(round, "security", team["security"], "request_changes", comment="Mask the identifiers first.")
    states.append(portfolio_state())
    risk_update(risk=use_case.risks.get(), user=alice, residual_likelihood=1, residual_impact=1)
    states.append(portfolio_state())  # a risk history row, and the use case touched
    vendor = use_case.primary_model.vendor
    vendor.hq_country = "KR"
    registry_save(vendor, user=governance_admin, reason="Moved headquarters", changed=["hq_country"])
    states.append(portfolio_state())

    assert len(set(states)) == len(states), states
    assert portfolio_state() == states[-1]  # reading changes nothing


def test_the_report_page_shows_a_registry_edit_at_once(client, alice, ellen, governance_admin):
    use_case = complete_use_case(alice)
    submit(use_case)
    client.force_login(ellen)
    assert "Korea" not in client.get("/reports/").text

    vendor = use_case.primary_model.vendor
    vendor.hq_country = "KR"
    registry_save(vendor, user=governance_admin, reason="Moved headquarters", changed=["hq_country"])

    assert "Korea" in client.get("/reports/").text


def test_the_reviewers_counts_follow_new_requests(alice, bob):
    submit(complete_use_case(alice))
    assert dashboard(bob)["reviewer"]["total"] == 1
    submit(complete_use_case(alice))
    assert dashboard(bob)["reviewer"]["total"] == 2
