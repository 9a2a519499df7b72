"""The risks CSV: one row per risk of the use cases the report's filters select (the live portfolio by
default), streamed in chunks, safe to open in a spreadsheet, at a query count that does not grow."""

import pytest
from django.core.cache import cache
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from bench.seed import seed_portfolio
from governance.models import Risk, UseCase
from governance.roles import Role
from reports.figures import ReportFilters
from reports.risks_csv import RISK_COLUMNS, risk_csv_rows
from tests.approvals.workflow import complete_use_case, person, submit
from tests.factories import RiskFactory
from tests.reports.csv_files import table_of

pytestmark = pytest.mark.django_db

BOM = "\ufeff"


@pytest.fixture
def ellen(db):
    return person("ellen", Role.EXECUTIVE)


def download(client, query: str = "") -> list[dict[str, str]]:
    response = client.get(f"/reports/risks.csv?{query}")
    assert response.status_code == 200
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert response["Content-Disposition"] == (
        f'attachment; filename="clearance-risks-{timezone.localdate():%Y-%m-%d}.csv"'
    )
    text = b"".join(response.streaming_content).decode("utf-8")
    assert text.startswith(BOM)
    return table_of(text[len(BOM) :])


def test_one_row_per_risk_of_the_live_portfolio_with_scores_band_and_owner(client, ellen, alice):
    in_review = complete_use_case(alice, title="Ticket triage", residual=(3, 4))
    RiskFactory(
        use_case=in_review,
        title="=HYPERLINK(evil)",
        mitigations="+ redaction before the prompt",
        inherent_likelihood=3,
        inherent_impact=3,
        residual_likelihood=1,
        residual_impact=2,
    )
    submit(in_review)
    withdrawn = complete_use_case(alice, title="Withdrawn one")
    submit(withdrawn)
    UseCase.objects.filter(pk=withdrawn.pk).update(status=UseCase.Status.WITHDRAWN)
    complete_use_case(alice, title="Never submitted")

    client.force_login(ellen)
    rows = download(client)
    assert list(rows[0]) == RISK_COLUMNS
    assert [r["Use case"] for r in rows] == [in_review.reference] * 2
    leak = next(r for r in rows if r["Risk"] == "Customer data leaks into prompts")
    assert leak == {
        "Use case": in_review.reference,
        "Use case title": "Ticket triage",
        "Use case status": "In review",
        "Risk": "Customer data leaks into prompts",
        "Category": "Data exposure",
        "Description": leak["Description"],
        "Inherent likelihood": "5",
        "Inherent impact": "5",
        "Inherent score": "25",
        "Residual likelihood": "3",
        "Residual impact": "4",
        "Residual score": "12",
        "Residual band": "High",
        "Risk owner": leak["Risk owner"],
        "Mitigations": leak["Mitigations"],
    }
    assert leak["Risk owner"]
    # A cell a spreadsheet would run as a formula starts with a quote instead.
    formula = next(r for r in rows if r["Risk"].endswith("HYPERLINK(evil)"))
    assert formula["Risk"] == "'=HYPERLINK(evil)" and formula["Mitigations"] == "'+ redaction before the prompt"

    closed_too = download(client, "include_closed=on")
    assert {r["Use case"] for r in closed_too} == {in_review.reference, withdrawn.reference}
    assert download(client, "status=withdrawn")[0]["Use case"] == withdrawn.reference


def test_only_portfolio_readers_may_download_it(client, alice, bob):
    for someone in (alice, bob):  # an owner, a reviewer
        client.force_login(someone)
        assert client.get("/reports/risks.csv").status_code == 404


def test_a_bad_filter_is_a_clear_error(client, ellen):
    client.force_login(ellen)
    response = client.get("/reports/risks.csv", {"created_from": "2026-13-40"})
    assert response.status_code == 400 and "Enter a valid date" in response.text


def test_chunks_cover_every_risk_once_in_reference_order(ellen):
    seed_portfolio(30)
    whole = list(risk_csv_rows(ReportFilters()))[1:]
    small = list(risk_csv_rows(ReportFilters(), chunk_size=2))[1:]
    assert small == whole
    live = Risk.objects.filter(use_case__status__in=UseCase.LIVE_STATUSES, use_case__first_submitted_at__isnull=False)
    assert len(whole) == live.count() > 10
    assert [r[0] for r in whole] == sorted(r[0] for r in whole)


def test_it_runs_the_same_queries_for_10_and_200_use_cases(client, ellen):
    client.force_login(ellen)

    def queries() -> tuple[int, int]:
        cache.clear()  # the filter form's department choices are cached: count them each time
        with CaptureQueriesContext(connection) as ctx:
            rows = download(client)
        return len(ctx.captured_queries), len(rows)

    seed_portfolio(10)
    download(client)  # warm-up
    ten, rows_ten = queries()
    seed_portfolio(190)
    two_hundred, rows = queries()
    assert rows > rows_ten > 0
    assert two_hundred == ten
