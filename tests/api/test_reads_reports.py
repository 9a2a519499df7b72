"""GET /api/v1/reports/figures/ and the report's CSVs: what the executive report shows, to the report
page's readers and to tokens that may read; everyone else gets 404 (the submit scope, 403)."""

import pytest
from django.core.cache import cache
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from governance.roles import Role
from reports.figures import ReportFilters, portfolio_report
from tests.api.helpers import admin, service_account, session_client, token_client
from tests.approvals.workflow import complete_use_case, person, submit
from tests.factories import UseCaseFactory

pytestmark = pytest.mark.django_db

FIGURES = reverse("api_report_figures")
CSVS = {
    "api_report_csv": "report_csv",
    "api_report_risks_csv": "report_risks_csv",
    "api_report_conditions_csv": "report_conditions_csv",
}


@pytest.fixture
def erin(db):
    return person("erin", Role.EXECUTIVE)


@pytest.fixture
def portfolio(alice):
    """One request in review, and a draft that no report counts."""
    UseCaseFactory(user=alice)
    use_case = complete_use_case(alice, title="Ticket summaries")
    submit(use_case)
    return use_case


def test_it_shows_the_reports_figures(erin, portfolio):
    data = session_client(erin).get(FIGURES).json()
    page = portfolio_report(ReportFilters())
    assert data["totals"]["use_cases"] == page.total == 1
    assert data["totals"]["in_review"] == 1
    assert data["by_status"] == [{"key": "in_review", "label": "In review", "count": 1}]
    assert data["totals"]["risks"] == page.risk_count
    assert data["top_risks"][0]["use_case"] == portfolio.reference
    assert data["scope"] == ReportFilters().describe()
    assert data["trends"] and data["cycle_times"]["sla_days"] >= 1


def test_it_takes_the_report_pages_filters(erin, portfolio):
    client = session_client(erin)
    assert client.get(FIGURES, {"status": "approved"}).json()["totals"]["use_cases"] == 0
    assert client.get(FIGURES, {"include_closed": "on"}).json()["totals"]["use_cases"] == 1
    assert client.get(FIGURES, {"band": "medium"}).json()["filters"]["band"] == "medium"


@pytest.mark.parametrize(
    "query",
    [
        {"band": "purple"},
        {"status": "maybe"},
        {"created_from": "yesterday"},
        {"created_from": "2026-02-01", "created_to": "2026-01-01"},
    ],
)
def test_a_bad_filter_is_a_400(erin, query):
    for url in (FIGURES, *(reverse(name) for name in CSVS)):
        assert session_client(erin).get(url, query).status_code == 400


@pytest.mark.parametrize("route", ["api_report_figures", *CSVS])
def test_only_the_portfolio_readers_get_it(route, alice, bob):
    url = reverse(route)
    assert session_client(admin()).get(url).status_code == 200
    for outsider in (alice, bob, person("nadia")):
        assert session_client(outsider).get(url).status_code == 404


@pytest.mark.parametrize("route", ["api_report_figures", *CSVS])
def test_a_read_token_reads_the_portfolio_and_no_other_scope_does(route):
    url = reverse(route)
    assert token_client(service_account("read", name="Reader")[1]).get(url).status_code == 200
    assert token_client(service_account("submit", name="Submitter")[1]).get(url).status_code == 403
    assert token_client(service_account("gateway", name="Gateway")[1]).get(url).status_code == 403


@pytest.mark.parametrize("route,page", CSVS.items())
def test_each_csv_is_the_pages_csv(route, page, erin, portfolio):
    client = session_client(erin)
    response = client.get(reverse(route), HTTP_ACCEPT="text/csv")
    assert response.status_code == 200
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert response["Content-Disposition"].startswith('attachment; filename="clearance-')
    ours = b"".join(response.streaming_content).decode().splitlines()
    theirs = b"".join(client.get(reverse(page)).streaming_content).decode().splitlines()
    assert ours[-1] == theirs[-1] and len(ours) == len(theirs)


def test_the_portfolio_csv_lists_the_submitted_use_cases(erin, portfolio):
    body = b"".join(session_client(erin).get(reverse("api_report_csv")).streaming_content).decode()
    assert portfolio.reference in body


def _queries(client, url) -> int:
    cache.clear()
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
        assert response.status_code == 200
        if response.streaming:
            b"".join(response.streaming_content)
    return len(queries)


def test_the_figures_and_csvs_cost_the_same_queries_for_any_number_of_use_cases(alice, erin, portfolio):
    client = session_client(erin)
    urls = [FIGURES, *(reverse(name) for name in CSVS)]
    few = [_queries(client, url) for url in urls]
    for n in range(3):
        submit(complete_use_case(alice, title=f"More {n}"))
    assert [_queries(client, url) for url in urls] == few
