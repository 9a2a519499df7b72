"""Trends and review cycle times, computed from the event log and the rounds, against a fixed history
played through the workflow services at chosen moments, and worked out by hand.

Now is 2026-06-15 12:00 UTC, so the months run from July 2025 to June 2026. Every request is routed to
legal, privacy, security and procurement; its one risk leaves a residual of 2 × 3 = 6 (medium).

- D: submitted 2025-05-01, approved 2025-05-03 (before the range); expires 2026-05-03, swept 2026-05-20.
- A: submitted 2026-01-10 09:00; procurement signs after 1 day, legal 2, privacy 3, security 10
  (approved 2026-01-20); suspended on a reviewer's finding 2026-03-05.
- B: submitted 2026-02-02 09:00; legal sends it back after 2 days; submitted again 2026-04-01 09:00;
  security rejects it after 2 days.
- C: submitted 2026-06-08 12:00, waiting on all four functions for 7 days (the SLA is 5).
"""

from datetime import UTC, date, datetime, timedelta

import pytest
from django.db import connection, transaction
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from approvals.conditions import ConditionSpec, condition_claim_met, condition_confirm
from approvals.models import Condition, SuspensionCause
from approvals.services import approval_suspend, signoff_decide
from approvals.sweeps import approvals_expire
from governance.models import UseCase
from reports.cycle_times import review_cycle_times
from reports.figures import ReportFilters, history_scope, portfolio_report
from reports.trends import month_range, portfolio_trends
from tests.approvals.workflow import answer_items, complete_use_case, sign, submit

pytestmark = pytest.mark.django_db

NOW = datetime(2026, 6, 15, 12, 0, tzinfo=UTC)


class Clock:
    def __init__(self, monkeypatch):
        self.moment = NOW
        monkeypatch.setattr(timezone, "now", lambda: self.moment)

    def at(self, text: str) -> "Clock":
        self.moment = datetime.fromisoformat(text).replace(tzinfo=UTC)
        return self

    def later(self, days: float) -> "Clock":
        self.moment += timedelta(days=days)
        return self


@pytest.fixture
def history(monkeypatch, alice, team, settings):
    settings.CLEARANCE_SIGNOFF_SLA_DAYS = 5
    settings.CLEARANCE_APPROVAL_MONTHS = 12
    clock = Clock(monkeypatch)

    clock.at("2025-05-01 09:00")
    d = complete_use_case(alice, title="D")
    round_d = submit(d)
    clock.later(2)
    for function in ("legal", "privacy", "security", "procurement"):
        sign(round_d, function, team[function])

    clock.at("2026-01-10 09:00")
    a = complete_use_case(alice, title="A")
    round_a = submit(a)
    for days, function in ((1, "procurement"), (2, "legal"), (3, "privacy"), (10, "security")):
        clock.at("2026-01-10 09:00").later(days)
        sign(round_a, function, team[function])

    clock.at("2026-02-02 09:00")
    b = complete_use_case(alice, title="B")
    round_b = submit(b)
    clock.later(2)
    sign(round_b, "legal", team["legal"], "request_changes", comment="Name the retention period.")

    clock.at("2026-03-05 10:00")
    with transaction.atomic():
        locked = UseCase.objects.select_for_update().get(pk=a.pk)
        approval_suspend(
            use_case=locked, reason="Egress open", cause=SuspensionCause.REVIEW_FINDING, actor=team["security"]
        )

    clock.at("2026-04-01 09:00")
    round_b2 = submit(UseCase.objects.get(pk=b.pk))
    clock.later(2)
    sign(round_b2, "security", team["security"], "reject", comment="Injection tests failed.")

    clock.at("2026-05-20 02:00")
    assert approvals_expire() == 1

    clock.at("2026-06-08 12:00")
    submit(complete_use_case(alice, title="C"))

    clock.at("2026-06-15 12:00")
    return {uc.title: uc for uc in UseCase.objects.all()}


def test_the_range_is_the_last_twelve_months_or_the_filters_dates():
    today = date(2026, 6, 15)
    months = month_range(since=None, until=None, today=today)
    assert (months[0], months[-1], len(months)) == (date(2025, 7, 1), date(2026, 6, 1), 12)
    assert month_range(since=date(2026, 2, 20), until=date(2026, 4, 2), today=today) == [
        date(2026, 2, 1),
        date(2026, 3, 1),
        date(2026, 4, 1),
    ]
    # Never past this month; at most three years back.
    assert month_range(since=date(2026, 5, 1), until=date(2027, 1, 1), today=today)[-1] == date(2026, 6, 1)
    assert len(month_range(since=date(2020, 1, 1), until=None, today=today)) == 36


def test_trends_replay_the_event_log_month_by_month(history):
    trends = portfolio_trends(history_scope(ReportFilters()), now=NOW)
    by_month = {f"{m.start:%Y-%m}": m for m in trends.months}
    assert list(by_month)[0] == "2025-07" and list(by_month)[-1] == "2026-06"

    submitted = {k: m.submitted for k, m in by_month.items() if m.submitted}
    assert submitted == {"2026-01": 1, "2026-02": 1, "2026-04": 1, "2026-06": 1}  # D's was before the range
    decided = {k: dict(m.decided) for k, m in by_month.items() if m.decided}
    assert decided == {
        "2026-01": {"approved": 1},
        "2026-02": {"changes_requested": 1},
        "2026-04": {"rejected": 1},
    }
    in_force = [m.in_force for m in trends.months]
    assert in_force == [1, 1, 1, 1, 1, 1, 2, 2, 1, 1, 0, 0]  # D Jul–Apr, A Jan–Feb
    assert {k: dict(m.suspended) for k, m in by_month.items() if m.suspended} == {"2026-03": {"review_finding": 1}}
    assert trends.suspension_causes == [("review_finding", "A reviewer's finding", 1)]
    live = [m.live_total for m in trends.months]
    assert live == [1, 1, 1, 1, 1, 1, 2, 3, 3, 2, 1, 2]
    assert all(set(m.live_by_tier) == {"medium"} for m in trends.months)


def test_trends_follow_the_filters_scope_not_its_statuses(history):
    # Created in 2026 only: D drops out of every month; the status filter does not narrow the history.
    filters = ReportFilters(status=("approved",), created_from=date(2026, 1, 1))
    trends = portfolio_trends(history_scope(filters), since=filters.created_from, now=NOW)
    assert [f"{m.start:%Y-%m}" for m in trends.months][0] == "2026-01"
    assert [m.in_force for m in trends.months] == [1, 1, 0, 0, 0, 0]
    assert [m.live_total for m in trends.months] == [1, 2, 2, 1, 1, 2]


def test_cycle_times_per_round_and_per_function(history):
    times = review_cycle_times(history_scope(ReportFilters()), since=datetime(2025, 7, 1, tzinfo=UTC), now=NOW)
    # Rounds decided in the range: A after 10 days, B's two after 2 days each (D's was before it).
    assert (times.decision.count, times.decision.median, times.decision.p90) == (3, 2.0, 10.0)
    functions = {f.function: f for f in times.functions}
    assert set(functions) == {"legal", "privacy", "security", "procurement"}
    assert (functions["legal"].signed.count, functions["legal"].signed.median, functions["legal"].breaches) == (
        2,
        2.0,
        0,
    )
    assert (functions["procurement"].signed.median, functions["privacy"].signed.median) == (1.0, 3.0)
    security = functions["security"]
    assert (security.signed.count, security.signed.median, security.signed.p90, security.breaches) == (2, 6.0, 10.0, 1)
    assert security.breach_rate == 50
    # Waiting now: C's four sign-offs, 7 days each, past the SLA; B's rounds are closed, their sign-offs not waiting.
    assert {(f.function, f.waiting, f.waiting_overdue, f.oldest_wait) for f in times.functions} == {
        ("legal", 1, 1, 7),
        ("privacy", 1, 1, 7),
        ("security", 1, 1, 7),
        ("procurement", 1, 1, 7),
    }
    assert (times.waiting, times.waiting_overdue, times.breaches) == (4, 4, 1)


def test_the_report_carries_them_and_the_page_shows_them(history, client, team):
    report = portfolio_report(ReportFilters(), now=NOW)
    assert [m.in_force for m in report.trends.months][-3:] == [1, 0, 0]
    assert report.cycle_times.decision.count == 3
    client.force_login(team["executive"])
    page = client.get("/reports/")
    assert page.status_code == 200
    text = page.text
    assert "Trends" in text and "Review cycle times" in text
    assert "Requests submitted and rounds decided, by month" in text
    assert "Where requests wait now" in text


def test_open_and_overdue_conditions_at_each_month_end(monkeypatch, alice, team):
    """E: approved 2026-02-03 with two conditions of legal's: one due 2026-03-10, reported met on 03-05 and
    confirmed on 03-07; one due 2026-05-01, never met (overdue from the day after)."""
    clock = Clock(monkeypatch).at("2026-02-01 09:00")
    round = submit(complete_use_case(alice, title="E"))
    clock.later(2)
    answer_items(round, "legal", team["legal"])
    signoff_decide(
        signoff=round.signoffs.get(function="legal"),
        user=team["legal"],
        decision="approve_with_conditions",
        comment="Two first.",
        condition_specs=[
            ConditionSpec("Retention clause", alice, date(2026, 3, 10)),
            ConditionSpec("Re-test", alice, date(2026, 5, 1)),
        ],
    )
    for function in ("privacy", "security", "procurement"):
        sign(round, function, team[function])
    met = Condition.objects.get(description="Retention clause")
    clock.at("2026-03-05 10:00")
    condition_claim_met(condition=met, user=alice, link="https://tickets.example.com/7")
    clock.at("2026-03-07 10:00")
    condition_confirm(condition=met, user=team["legal"])
    clock.at("2026-06-15 12:00")

    trends = portfolio_trends(history_scope(ReportFilters()), now=NOW)
    by_month = {f"{m.start:%Y-%m}": (m.open_conditions, m.overdue_conditions) for m in trends.months}
    assert {k: v for k, v in by_month.items() if v != (0, 0)} == {
        "2026-02": (2, 0),
        "2026-03": (1, 0),
        "2026-04": (1, 0),  # due on May 1st: not yet overdue at April's end
        "2026-05": (1, 1),
        "2026-06": (1, 1),
    }


def test_trends_and_cycle_times_cost_six_queries_whatever_the_history(history):
    scope = history_scope(ReportFilters())
    with CaptureQueriesContext(connection) as queries:
        portfolio_trends(scope, now=NOW)
        review_cycle_times(scope, since=datetime(2025, 7, 1, tzinfo=UTC), now=NOW)
    assert len(queries) == 6
