"""The portfolio means live exposure: approved, approved with conditions, suspended and in review (sent
back for changes included). The home page, the report page, its CSV and its PDF count it through one
function, `reports.figures.use_cases_matching`; drafts and closed requests come in only when asked."""

import subprocess

import pytest
from django.utils import timezone

from governance.models import UseCase
from governance.roles import Role
from reports.dashboard import dashboard
from reports.figures import LIVE_DESCRIPTION, ReportFilters, portfolio_report, report_pdf
from reports.portfolio_csv import portfolio_csv_rows
from tests.approvals.workflow import person
from tests.factories import UseCaseFactory

pytestmark = pytest.mark.django_db

LIVE = {"approved", "approved_with_conditions", "suspended", "in_review", "changes_requested"}


@pytest.fixture
def every_status(alice):
    """One submitted use case in each status, and a draft never submitted (its owner's alone)."""
    by_status = {}
    for status in UseCase.Status.values:
        use_case = UseCaseFactory(user=alice, title=f"In status {status}")
        UseCase.objects.filter(pk=use_case.pk).update(status=status, first_submitted_at=timezone.now())
        by_status[status] = use_case.reference
    UseCaseFactory(user=alice, title="Never submitted")
    return by_status


@pytest.fixture
def ellen(db):
    return person("ellen", Role.EXECUTIVE)


def csv_references(filters: ReportFilters) -> set[str]:
    header, *rows = portfolio_csv_rows(filters)
    return {row[header.index("Reference")] for row in rows}


def test_the_live_statuses_are_the_ones_the_issue_names():
    assert set(UseCase.LIVE_STATUSES) == LIVE


def test_home_page_report_csv_and_pdf_count_the_same_live_portfolio(client, ellen, every_status):
    live = {every_status[status] for status in LIVE}
    assert len(live) == 5

    report = portfolio_report(ReportFilters())
    assert report.total == 5
    assert {s for s, n in report.by_status.items() if n} == LIVE
    assert dashboard(ellen)["portfolio"].total == 5
    assert csv_references(ReportFilters()) == live

    client.force_login(ellen)
    page = client.get("/reports/")
    assert f"5 use cases · {LIVE_DESCRIPTION}" in page.text
    home = client.get("/")
    assert "live use cases" in home.text and LIVE_DESCRIPTION in home.text
    # The home page's figure opens the list of the same use cases.
    listed = client.get("/use-cases/", {"status": "live"})
    assert {ref for ref in every_status.values() if ref in listed.text} == live

    pdf, pdf_report = report_pdf(ReportFilters())
    assert pdf_report.total == 5
    text = subprocess.run(["pdftotext", "-enc", "UTF-8", "-", "-"], input=pdf, capture_output=True, check=True)
    words = " ".join(text.stdout.decode().split())
    assert f"5 use cases · {LIVE_DESCRIPTION}" in words
    for status in set(every_status) - LIVE:
        assert every_status[status] not in words


def test_closed_requests_and_drafts_come_in_when_asked(client, ellen, every_status):
    everything = ReportFilters(include_closed=True)
    assert portfolio_report(everything).total == len(UseCase.Status.values)  # the unsubmitted draft stays out
    assert csv_references(everything) == set(every_status.values())

    client.force_login(ellen)
    page = client.get("/reports/", {"include_closed": "on"})
    assert f"{len(UseCase.Status.values)} use cases · Every submitted request" in page.text
    csv_link = client.get("/reports/export.csv", {"include_closed": "on"})
    assert b"In status rejected" in b"".join(csv_link.streaming_content)


def test_chosen_statuses_select_exactly_those(client, ellen, every_status):
    rejected = ReportFilters(status=("rejected",))
    assert csv_references(rejected) == {every_status["rejected"]}
    assert rejected.describe()[0] == "Status: Rejected"
    assert ReportFilters.from_json(ReportFilters(include_closed=True).as_json()).include_closed
