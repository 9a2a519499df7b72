"""The executive report page: its figures on a known portfolio, its filters, who may read it, and a query
count that does not grow with the portfolio."""

from datetime import timedelta

import pytest
from django.core.cache import cache
from django.db import connection, transaction
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from approvals.models import SuspensionCause
from approvals.services import approval_suspend
from bench.seed import seed_portfolio
from governance.models import UseCase
from governance.roles import Role
from reports.figures import NO_RISKS, ReportFilters, portfolio_report
from tests.approvals.workflow import approve_all, approved_use_case, complete_use_case, person, sign, submit
from tests.factories import AIModelFactory, UseCaseFactory, VendorFactory, data_category
from tests.reports.csv_files import table_of

pytestmark = pytest.mark.django_db

CONDITION = "Redaction of customer data is re-tested every quarter."
SUSPENSION = "Vendor moved to the restricted list: re-review required."


@pytest.fixture
def ellen(db):
    """An executive: reads the whole portfolio, owns nothing."""
    return person("ellen", Role.EXECUTIVE)


def model_from(country: str, *, origin: str | None = None):
    vendor = VendorFactory(hq_country=country)
    return AIModelFactory(vendor=vendor, origin_country=origin or country)


@pytest.fixture
def portfolio(alice, team, settings):
    """Five of alice's requests, one for each thing the report shows:

    approved     CN vendor, residual 2×3 (medium), customer records; a 2-month approval, so it expires
                 within 90 days
    conditions   US vendor, residual 4×3 (high), source code; approved with a legal condition (6 months)
    critical     CN vendor, residual 5×4 (critical), authentication data; in review
    suspended    CN vendor, residual 2×3, customer records; approved, then suspended
    draft        US vendor with a CN-origin model, no risks, no data; never submitted, so no figure counts it
    """
    settings.CLEARANCE_APPROVAL_MONTHS = 2
    approved, _ = approved_use_case(alice, team, title="Ticket summaries", primary_model=model_from("CN"))

    conditions = complete_use_case(
        alice,
        title="Code review assistant",
        department="Platform Engineering",
        primary_model=model_from("US"),
        residual=(4, 3),
        data_categories=[data_category("source-code")],
    )
    round = submit(conditions)
    sign(round, "legal", team["legal"], "approve_with_conditions", comment="Only with redaction.", conditions=CONDITION)
    approve_all(round, team)

    critical = complete_use_case(
        alice,
        title="Login anomaly explanations",
        department="Security Operations",
        primary_model=model_from("CN"),
        residual=(5, 4),
        data_categories=[data_category("authentication-data")],
    )
    submit(critical)

    suspended, _ = approved_use_case(alice, team, title="Supplier translation", primary_model=model_from("CN"))
    with transaction.atomic():
        approval_suspend(
            use_case=UseCase.objects.get(pk=suspended.pk), reason=SUSPENSION, cause=SuspensionCause.REVIEW_FINDING
        )

    draft = UseCaseFactory(user=alice, title="Marketing drafts", primary_model=model_from("US", origin="CN"))
    return {
        name: UseCase.objects.get(pk=uc.pk)
        for name, uc in [
            ("approved", approved),
            ("conditions", conditions),
            ("critical", critical),
            ("suspended", suspended),
            ("draft", draft),
        ]
    }


def exposure(rows):
    return {row.key: (row.use_cases, row.high_or_critical) for row in rows}


# --- The figures ----------------------------------------------------------------------------------


def test_it_counts_use_cases_by_status_and_tier_but_not_the_never_submitted_draft(portfolio):
    report = portfolio_report(ReportFilters())
    # No "draft" status and no use case without risks: the only one is the draft, never submitted.
    assert report.by_status == {
        "approved": 1,
        "approved_with_conditions": 1,
        "in_review": 1,
        "suspended": 1,
    }
    assert report.total == 4
    assert report.approved == 2
    assert report.by_tier == {"low": 0, "medium": 2, "high": 1, "critical": 1, NO_RISKS: 0}
    assert report.high_or_critical == 2


def test_the_heat_map_counts_every_residual_risk_by_cell(portfolio):
    report = portfolio_report(ReportFilters())
    assert report.heat_map == {(2, 3): 2, (4, 3): 1, (5, 4): 1}
    assert report.risk_count == 4


def test_it_shows_exposure_by_vendor_country_model_origin_and_data_sensitivity(portfolio):
    report = portfolio_report(ReportFilters())
    # The never-submitted draft (US vendor, CN-origin model, no data) adds to none of these.
    assert exposure(report.by_vendor_country) == {"CN": (3, 1), "US": (1, 1)}
    assert exposure(report.by_model_origin) == {"CN": (3, 1), "US": (1, 1)}
    # Most sensitive first; no "No data recorded" row, since only the draft has no data categories.
    assert [(row.label, row.use_cases, row.high_or_critical) for row in report.by_sensitivity] == [
        ("Restricted", 1, 1),
        ("Confidential", 3, 1),
    ]


def test_the_top_risks_are_the_highest_residuals_with_their_owners(portfolio, alice):
    top = portfolio_report(ReportFilters()).top_risks
    assert [(r.use_case.reference, r.score) for r in top[:2]] == [
        (portfolio["critical"].reference, 20),
        (portfolio["conditions"].reference, 12),
    ]
    assert top[0].owner == alice


def test_it_lists_approvals_expiring_within_90_days(portfolio):
    report = portfolio_report(ReportFilters())
    # The 2-month approval is listed; the 6-month one (high risk) is not; the suspended one no longer counts.
    assert [r.use_case.reference for r in report.expiring] == [portfolio["approved"].reference]
    assert report.expiring_count == 1
    assert 0 < report.expiring[0].days_left <= 90
    later = portfolio_report(ReportFilters(), now=timezone.now() + timedelta(days=100))
    assert later.expiring_count == 2  # the 2-month one is overdue by then; the 6-month one is within 90 days


def test_it_lists_the_open_conditions_of_current_approvals(portfolio, team):
    report = portfolio_report(ReportFilters())
    assert report.open_conditions_count == 1
    condition = report.open_conditions[0]
    assert (condition.use_case, condition.function, condition.description) == (
        portfolio["conditions"],
        "legal",
        CONDITION,
    )
    assert condition.signoff.signed_by == team["legal"]
    assert condition.owner == portfolio["conditions"].business_owner and condition.status == "open"
    assert report.overdue_conditions_count == 0
    overdue = portfolio_report(ReportFilters(), now=timezone.now() + timedelta(days=365))
    assert overdue.overdue_conditions_count == 1


def test_it_lists_suspended_use_cases_with_the_reason(portfolio):
    report = portfolio_report(ReportFilters())
    assert [(uc.reference, uc.suspended_reason) for uc in report.suspended] == [
        (portfolio["suspended"].reference, SUSPENSION)
    ]
    assert report.suspended[0].suspended_at is not None


def test_the_page_shows_the_figures(client, ellen, portfolio):
    client.force_login(ellen)
    response = client.get("/reports/")
    assert response.status_code == 200
    body = response.text
    assert "4 use cases" in body
    assert portfolio["draft"].reference not in body  # never submitted: its owners' alone
    assert body.count("<svg") >= 6  # heat map, status, tier, three exposures
    for text in (CONDITION, SUSPENSION, portfolio["approved"].reference, portfolio["critical"].reference):
        assert text in body
    assert 'href="/reports/export.csv"' in body


def test_a_never_submitted_draft_is_absent_from_the_figures_the_csv_and_the_home_page(client, ellen, alice):
    # Both are complete and carry a risk; only being submitted sets them apart.
    draft = complete_use_case(alice, title="Unsubmitted pilot")
    submitted = complete_use_case(alice, title="Submitted pilot")
    submit(submitted)

    report = portfolio_report(ReportFilters())
    assert (report.total, report.by_status, report.risk_count) == (1, {"in_review": 1}, 1)

    client.force_login(ellen)
    body = client.get("/reports/").text
    assert submitted.reference in body and draft.reference not in body

    export = client.get("/reports/export.csv")
    rows = table_of(b"".join(export.streaming_content).decode("utf-8-sig"))
    assert [(row["Reference"], row["Title"]) for row in rows] == [(submitted.reference, "Submitted pilot")]

    home = client.get("/").text
    assert "The live portfolio" in home
    assert '<span class="tile-value">1</span><span class="tile-label">live use cases</span>' in home
    assert "Residual risk heat map: 1 risks" in home


# --- Filters --------------------------------------------------------------------------------------


def figures(client, query: str):
    response = client.get(f"/reports/?{query}")
    assert response.status_code == 200, response.text
    return response.context["report"]


def test_status_filters_narrow_every_figure(client, ellen, portfolio):
    client.force_login(ellen)
    report = figures(client, "status=approved&status=suspended")
    assert report.by_status == {"approved": 1, "suspended": 1}
    assert report.heat_map == {(2, 3): 2}
    assert exposure(report.by_vendor_country) == {"CN": (2, 0)}
    assert report.open_conditions_count == 0
    assert report.suspended_count == 1


def test_department_vendor_country_and_band_filters(client, ellen, portfolio):
    client.force_login(ellen)
    assert figures(client, "department=Platform+Engineering").by_status == {"approved_with_conditions": 1}
    by_country = figures(client, "vendor_country=US")
    # The never-submitted draft has a US vendor and no risks, yet neither filter finds it.
    assert by_country.by_status == {"approved_with_conditions": 1}
    assert by_country.open_conditions_count == 1
    assert figures(client, "band=critical").by_status == {"in_review": 1}
    assert figures(client, "band=medium").by_status == {"approved": 1, "suspended": 1}
    assert figures(client, f"band={NO_RISKS}").by_status == {}


def test_the_date_range_filters_on_creation(client, ellen, portfolio):
    old = portfolio["critical"]
    UseCase.objects.filter(pk=old.pk).update(created_at=timezone.now() - timedelta(days=400))
    client.force_login(ellen)
    today = timezone.localdate()
    recent = figures(client, f"created_from={today - timedelta(days=30)}&created_to={today}")
    assert recent.total == 3
    assert "in_review" not in recent.by_status
    assert figures(client, f"created_to={today - timedelta(days=300)}").by_status == {"in_review": 1}


@pytest.mark.parametrize(
    "query, field",
    [
        ("status=bogus", "status"),
        ("band=severe", "band"),
        ("vendor_country=XX", "vendor_country"),
        ("department=Nowhere", "department"),
        ("created_from=2026-13-45", "created_from"),
        ("created_to=yesterday", "created_to"),
        ("created_from=2026-06-01&created_to=2026-01-01", "created_to"),
    ],
)
def test_bad_filter_values_are_form_errors_not_500(client, ellen, portfolio, query, field):
    client.force_login(ellen)
    response = client.get(f"/reports/?{query}")
    assert response.status_code == 400
    assert field in response.context["form"].errors
    assert response.context["report"] is None
    assert "not valid" in response.text


# --- Who may read it ------------------------------------------------------------------------------


def test_a_governance_admin_reads_the_report(client, governance_admin, portfolio):
    client.force_login(governance_admin)
    assert client.get("/reports/").status_code == 200


@pytest.mark.parametrize("url", ["/reports/", "/reports/export.csv", "/reports/exports/"])
def test_a_business_owner_and_a_reviewer_get_404(client, alice, bob, url):
    for user in (alice, bob):
        client.force_login(user)
        assert client.get(url).status_code == 404


def test_an_anonymous_visitor_is_sent_to_sign_in(client):
    response = client.get("/reports/")
    assert response.status_code == 302
    assert response.url.startswith("/login/")


def test_the_nav_links_to_reports_for_executives_only(client, ellen, alice):
    client.force_login(ellen)
    assert 'href="/reports/"' in client.get("/").text
    client.force_login(alice)
    assert 'href="/reports/"' not in client.get("/").text


def test_the_report_refuses_post(client, ellen):
    client.force_login(ellen)
    assert client.post("/reports/").status_code == 405


# --- Queries do not grow with the portfolio -------------------------------------------------------


def page_queries(client, query: str = "", path: str = "/reports/") -> int:
    """The queries of `path` with its figures computed afresh (not from the figures cache)."""
    client.get(f"{path}?{query}")  # warm-up: session, content types, the user's groups
    cache.clear()
    with CaptureQueriesContext(connection) as ctx:
        response = client.get(f"{path}?{query}")
    if path != "/reports/":
        assert response.status_code == 200
        return len(ctx.captured_queries)
    assert response.status_code == 200
    report = response.context["report"]
    # Every list has rows, so a per-row query anywhere would show.
    assert report.top_risks and report.expiring and report.open_conditions and report.suspended
    return len(ctx.captured_queries)


def test_the_page_runs_the_same_queries_for_10_and_200_use_cases(client, ellen):
    client.force_login(ellen)
    seed_portfolio(10)
    ten = page_queries(client)
    seed_portfolio(190)
    assert UseCase.objects.count() == 200
    assert page_queries(client) == ten
    # Two dozen aggregates (figures, trends, cycle times, crosswalk), computed once per state of the
    # portfolio and then served from the figures cache.
    assert ten <= 32, ten


@pytest.mark.parametrize("path", ["/reports/slide.pdf", "/reports/charts/activity.svg", "/reports/charts/tier.png"])
def test_the_slide_and_the_charts_run_the_same_queries_for_10_and_200_use_cases(client, ellen, path):
    client.force_login(ellen)
    seed_portfolio(10)
    ten = page_queries(client, path=path)
    seed_portfolio(190)
    assert page_queries(client, path=path) == ten


def test_a_filtered_page_runs_the_same_queries_for_10_and_200_use_cases(client, ellen):
    client.force_login(ellen)
    query = "status=approved&status=approved_with_conditions&status=suspended&created_from=2020-01-01"
    seed_portfolio(10)
    ten = page_queries(client, query)
    seed_portfolio(190)
    assert page_queries(client, query) == ten
