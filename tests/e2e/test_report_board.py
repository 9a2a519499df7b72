"""An executive prepares a board slide in the browser: narrows the report to one department, reads the trends
and the review cycle times, and takes out the 16:9 slide, a chart as SVG and the risks CSV.

The portfolio is seeded with the workflow helpers (its events are real); every step of the executive's is in
the browser, and each file is read back as its reader would: the slide with `pdftotext`, the chart as XML,
the CSV with the csv module.
"""

import csv
import subprocess
from xml.etree import ElementTree

import pytest
from playwright.sync_api import expect

from governance.roles import Role
from tests.approvals.workflow import approved_use_case, complete_use_case, reviewers, submit
from tests.factories import UserFactory

FILTER = "Live portfolio: approved, approved with conditions, suspended, in review · Department: Service desk"


@pytest.fixture
def portfolio(db):
    """In the service desk: one approved request and one in review with a high residual risk. Elsewhere: one
    in review in the legal team, which the department filter leaves out."""
    olivia = UserFactory(username="olivia", first_name="Olivia", last_name="Hart", roles=[Role.BUSINESS_OWNER])
    team = reviewers()
    approved_use_case(olivia, team, title="Ticket summaries", department="Service desk")
    submit(complete_use_case(olivia, title="Ticket triage", department="Service desk", residual=(4, 4)))
    submit(complete_use_case(olivia, title="Contract clause search", department="Legal ops"))


def test_an_executive_takes_the_board_slide_a_chart_and_the_risks_out_of_the_report(visit, portfolio, tmp_path):
    UserFactory(username="evelyn", first_name="Evelyn", last_name="Okoye", roles=[Role.EXECUTIVE])
    executive = visit()
    executive.login("evelyn")
    page = executive.page
    page.get_by_role("navigation", name="Main").get_by_role("link", name="Reports").click()
    expect(page.locator("p.lead")).to_contain_text("3 use cases")

    # The filter: one department.
    page.get_by_text("Filters", exact=True).click()
    page.get_by_label("Department").select_option("Service desk")
    page.get_by_role("button", name="Apply filters").click()
    expect(page.locator("p.lead")).to_contain_text(f"2 use cases · {FILTER}")

    # Trends and cycle times, replayed from the workflow's events.
    trends = page.locator("#trends")
    expect(trends.get_by_role("heading", level=2)).to_contain_text("Trends,")
    expect(trends.get_by_role("img", name="Requests submitted and rounds decided, by month")).to_be_visible()
    this_month = trends.locator("table tbody tr").last
    expect(this_month.locator("td").first).to_have_text("2")  # both submitted this month
    cycle = page.locator("#cycle-times")
    expect(cycle.get_by_role("heading", level=2)).to_contain_text("Review cycle times since")
    expect(cycle).to_contain_text("Where requests wait now")
    expect(cycle.locator("tbody tr", has_text="Legal")).to_be_visible()
    executive.screenshot("board-01-trends")

    # The slide.
    with page.expect_download() as slide_download:
        page.get_by_role("link", name="Slide (PDF, 16:9)").click()
    slide = tmp_path / slide_download.value.suggested_filename
    slide_download.value.save_as(slide)
    assert slide.name.startswith("clearance-slide-") and slide.suffix == ".pdf"
    text = subprocess.run(["pdftotext", "-raw", "-enc", "UTF-8", str(slide), "-"], capture_output=True, check=True)
    words = " ".join(text.stdout.decode().split())
    assert f"2 use cases · {FILTER}" in words
    assert "1 approved" in words and "1 in review" in words and "1 high or critical residual risk" in words
    assert "16 Customer data leaks into prompts" in words  # the top risk: triage's, residual 4 × 4
    assert "Contract clause search" not in words

    # A chart as SVG: the activity chart of the trends.
    with page.expect_download() as chart_download:
        trends.get_by_role("link", name="SVG").first.click()
    chart = tmp_path / chart_download.value.suggested_filename
    chart_download.value.save_as(chart)
    assert chart.name.startswith("clearance-activity-") and chart.suffix == ".svg"
    root = ElementTree.parse(chart).getroot()
    assert root.tag == "{http://www.w3.org/2000/svg}svg"
    assert FILTER in root.find("{http://www.w3.org/2000/svg}desc").text

    # The risks CSV, for the same filter.
    with page.expect_download() as csv_download:
        page.get_by_role("link", name="Risks CSV").click()
    risks = tmp_path / csv_download.value.suggested_filename
    csv_download.value.save_as(risks)
    rows = list(csv.reader(risks.open(encoding="utf-8-sig")))
    assert rows[0] == ["Clearance", "Risks"] and rows[1] == ["Filter", FILTER]
    header, *data = rows[4:]
    # One risk on each of the two service-desk requests; the legal team's is filtered out.
    assert sorted(row[header.index("Use case title")] for row in data) == ["Ticket summaries", "Ticket triage"]
