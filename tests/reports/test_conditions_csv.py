"""The conditions CSV: one row per condition of the selected use cases, in every state, with its owner, due
date and state, overdue flagged; streamed in keyset chunks at a constant number of queries."""

from datetime import timedelta

import pytest
from django.core.cache import cache
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from approvals.conditions import ConditionSpec, condition_claim_met, condition_confirm
from approvals.models import Condition
from approvals.services import signoff_decide
from bench.seed import seed_portfolio
from governance.roles import Role
from reports.conditions_csv import CONDITION_COLUMNS, condition_csv_rows
from reports.figures import ReportFilters
from tests.approvals.workflow import answer_items, complete_use_case, person, sign, submit
from tests.reports.csv_files import preamble_of, table_of

pytestmark = pytest.mark.django_db

BOM = "\ufeff"


@pytest.fixture
def ellen(db):
    return person("ellen", Role.EXECUTIVE)


def download(client, query: str = "") -> list[dict[str, str]]:
    response = client.get(f"/reports/conditions.csv?{query}")
    assert response.status_code == 200
    assert response["Content-Disposition"].startswith('attachment; filename="clearance-conditions-')
    text = b"".join(response.streaming_content).decode("utf-8")
    assert preamble_of(text[len(BOM) :])["Clearance"] == "Conditions"
    return table_of(text[len(BOM) :])


def test_one_row_per_condition_with_owner_due_date_and_state(client, ellen, alice, team):
    round = submit(complete_use_case(alice, title="Ticket triage"))
    answer_items(round, "legal", team["legal"])
    today = timezone.localdate()
    signoff_decide(
        signoff=round.signoffs.get(function="legal"),
        user=team["legal"],
        decision="approve_with_conditions",
        comment="Two first.",
        condition_specs=[
            ConditionSpec("=SUM(A1) retention clause", alice, today + timedelta(days=3)),
            ConditionSpec("Re-test", alice, today + timedelta(days=9), suspend_if_not_met=True),
        ],
    )
    for function in round.required_functions:
        if function != "legal":
            sign(round, function, team[function])
    first, second = Condition.objects.order_by("due_on")
    condition_claim_met(condition=second, user=alice, link="https://tickets.example.com/1")
    condition_confirm(condition=second, user=team["legal"])
    Condition.objects.filter(pk=first.pk).update(due_on=today - timedelta(days=1))  # now past its date

    client.force_login(ellen)
    rows = download(client)
    assert list(rows[0]) == CONDITION_COLUMNS
    assert [(r["Condition"], r["State"], r["Overdue"]) for r in rows] == [
        ("'=SUM(A1) retention clause", "Open", "yes"),  # a formula is defused
        ("Re-test", "Met", ""),
    ]
    met = rows[1]
    assert (met["Owner"], met["Set by"], met["Suspends the approval if not met"]) == ("Alice", "Legal", "yes")
    assert met["Evidence link"] == "https://tickets.example.com/1" and met["Closed by"] == "Lena"
    assert rows[0]["Use case title"] == "Ticket triage" and rows[0]["Round"] == "1"


def test_chunks_cover_every_condition_once(ellen):
    seed_portfolio(40)
    whole = list(condition_csv_rows(ReportFilters()))[1:]
    assert whole == list(condition_csv_rows(ReportFilters(), chunk_size=2))[1:]
    assert len(whole) > 3


def test_it_runs_the_same_queries_for_10_and_200_use_cases(client, ellen):
    client.force_login(ellen)

    def queries() -> tuple[int, int]:
        cache.clear()
        with CaptureQueriesContext(connection) as ctx:
            rows = download(client)
        return len(ctx.captured_queries), len(rows)

    seed_portfolio(10)
    download(client)
    ten, rows_ten = queries()
    seed_portfolio(190)
    two_hundred, rows = queries()
    assert rows > rows_ten > 0
    assert two_hundred == ten


def test_outsiders_get_404(client, alice):
    client.force_login(alice)
    assert client.get("/reports/conditions.csv").status_code == 404
