"""The report as CSV: streamed, one row per use case the filters select, safe to open in a spreadsheet."""

import pytest
from django.core.cache import cache
from django.db import connection
from django.http import StreamingHttpResponse
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from bench.seed import seed_portfolio
from governance.models import UseCase
from governance.roles import Role
from reports.portfolio_csv import CSV_COLUMNS, csv_safe
from tests.approvals.workflow import approved_use_case, complete_use_case, person, sign, submit
from tests.factories import AIModelFactory, RiskFactory, UseCaseFactory, VendorFactory
from tests.reports.csv_files import table_of

pytestmark = pytest.mark.django_db

BOM = "\ufeff"


@pytest.fixture
def ellen(db):
    return person("ellen", Role.EXECUTIVE)


def download(client, query: str = "") -> tuple[StreamingHttpResponse, str]:
    response = client.get(f"/reports/export.csv?{query}")
    assert response.status_code == 200
    return response, b"".join(response.streaming_content).decode("utf-8")


def parse(text: str) -> list[dict[str, str]]:
    assert text.startswith(BOM)
    return table_of(text[len(BOM) :])


def test_it_streams_one_row_per_use_case_with_every_column(client, ellen, alice, team):
    cn = AIModelFactory(
        name="Qwen", vendor=VendorFactory(name="Alibaba", hq_country="CN", sanctions_status="restricted")
    )
    use_case, round = approved_use_case(alice, team, title="Ticket summaries", primary_model=cn, hosting_country="DE")
    UseCaseFactory(user=alice, title="A draft")  # never submitted, so not a row
    client.force_login(ellen)
    response, text = download(client)
    assert isinstance(response, StreamingHttpResponse)
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert response["Content-Disposition"] == (
        f'attachment; filename="clearance-portfolio-{timezone.localdate():%Y-%m-%d}.csv"'
    )
    rows = parse(text)
    assert list(rows[0]) == CSV_COLUMNS
    assert [r["Reference"] for r in rows] == [use_case.reference]
    row = next(r for r in rows if r["Reference"] == use_case.reference)
    assert row == {
        "Reference": use_case.reference,
        "Title": "Ticket summaries",
        "Status": "Approved",
        "Department": "Service desk",
        "Business owner": "Alice",
        "Model": str(cn),
        "Model origin": "CN",
        "Vendor": "Alibaba",
        "Vendor country": "CN",
        "Vendor sanctions status": "Restricted",
        "Deployment": "On-premises",
        "Hosting country": "DE",
        "EU AI Act class": "Not yet assessed",
        "High-risk area": "",
        "Highest data sensitivity": "Confidential",
        "Highest residual score": "6",
        "Risk band": "Medium",
        "Approval expiry": round.expires_on.isoformat(),
        "Open conditions": "0",
        "Suspended reason": "",
    }


def test_the_rows_match_the_filter(client, ellen, alice, team):
    for country in ("CN", "CN", "US"):
        submit(complete_use_case(alice, primary_model=AIModelFactory(vendor=VendorFactory(hq_country=country))))
    approved_use_case(alice, team, primary_model=AIModelFactory(vendor=VendorFactory(hq_country="CN")))
    client.force_login(ellen)
    assert len(parse(download(client)[1])) == 4
    assert {r["Vendor country"] for r in parse(download(client, "vendor_country=CN")[1])} == {"CN"}
    assert len(parse(download(client, "vendor_country=CN")[1])) == 3
    approved = parse(download(client, "vendor_country=CN&status=approved")[1])
    assert [r["Status"] for r in approved] == ["Approved"]
    assert parse(download(client, "band=high")[1]) == []


def test_it_counts_open_conditions_and_gives_the_suspension_reason(client, ellen, alice, team):
    use_case = complete_use_case(alice)
    round = submit(use_case)
    sign(round, "legal", team["legal"], "approve_with_conditions", comment="With redaction.", conditions="Redact.")
    sign(round, "privacy", team["privacy"], "approve_with_conditions", comment="Likewise.", conditions="Re-test.")
    sign(round, "security", team["security"])
    sign(round, "procurement", team["procurement"])
    client.force_login(ellen)
    (row,) = parse(download(client)[1])
    assert (row["Status"], row["Open conditions"]) == ("Approved with conditions", "2")


def test_cells_that_a_spreadsheet_would_run_are_prefixed(client, ellen, alice):
    use_case = complete_use_case(alice, title='=HYPERLINK("http://evil.example","click")', department="+41 team")
    RiskFactory(use_case=use_case)
    submit(use_case)
    submit(complete_use_case(alice, title="-2+3", department="@SUM(A1)"))
    client.force_login(ellen)
    rows = {r["Title"]: r for r in parse(download(client)[1])}
    assert set(rows) == {'\'=HYPERLINK("http://evil.example","click")', "'-2+3"}
    assert rows["'-2+3"]["Department"] == "'@SUM(A1)"
    assert rows['\'=HYPERLINK("http://evil.example","click")']["Department"] == "'+41 team"


@pytest.mark.parametrize(
    "value, safe",
    [("=1+1", "'=1+1"), ("+1", "'+1"), ("-1", "'-1"), ("@x", "'@x"), ("\tx", "'\tx"), ("a=b", "a=b"), (None, "")],
)
def test_csv_safe(value, safe):
    assert csv_safe(value) == safe


def test_it_parses_back_with_csv_and_keeps_non_latin_text(client, ellen, alice):
    submit(complete_use_case(alice, title='通义千问, "quoted"\nand a new line', department="ГигаЧат team"))
    client.force_login(ellen)
    _, text = download(client)
    assert text.startswith(BOM + "Clearance,Use cases\r\n")
    (row,) = parse(text)
    assert row["Title"] == '通义千问, "quoted"\nand a new line'
    assert row["Department"] == "ГигаЧат team"


def test_an_empty_selection_is_just_the_preamble_and_the_header(client, ellen):
    client.force_login(ellen)
    _, text = download(client)
    assert text.endswith("\r\n\r\n" + ",".join(CSV_COLUMNS) + "\r\n")
    assert table_of(text[len(BOM) :]) == []


def test_a_bad_filter_is_a_400_with_the_form(client, ellen):
    client.force_login(ellen)
    response = client.get("/reports/export.csv?band=severe")
    assert response.status_code == 400
    assert "band" in response.context["form"].errors


def test_a_business_owner_gets_404(client, alice):
    client.force_login(alice)
    assert client.get("/reports/export.csv").status_code == 404


def csv_queries(client) -> tuple[int, int]:
    cache.clear()  # the filter form's department choices are cached: count them each time
    with CaptureQueriesContext(connection) as ctx:
        _, text = download(client)
    return len(ctx.captured_queries), len(parse(text))


def live_count() -> int:
    """The use cases of the live portfolio (each was submitted: a live status comes from a round)."""
    return UseCase.objects.filter(status__in=UseCase.LIVE_STATUSES).count()


def test_it_runs_the_same_queries_for_10_and_200_use_cases(client, ellen):
    client.force_login(ellen)
    seed_portfolio(10)
    download(client)  # warm-up
    ten, rows = csv_queries(client)
    # The seed spreads use cases over every status, drafts too: a row for each one in the live portfolio.
    assert 0 < rows == live_count() <= 10
    seed_portfolio(190)
    assert UseCase.objects.count() == 200
    assert live_count() > 100
    assert csv_queries(client) == (ten, live_count())
