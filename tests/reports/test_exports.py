"""The report's exports carry what they show and when: each chart as SVG and PNG, the headline page as a
16:9 slide, and the CSVs with the filter and the time they were made."""

import struct
import subprocess
from xml.etree import ElementTree

import pytest

from governance.roles import Role
from reports.exports import CHARTS
from reports.figures import LIVE_DESCRIPTION
from tests.approvals.workflow import approved_use_case, complete_use_case, person, submit
from tests.reports.csv_files import preamble_of, table_of

pytestmark = pytest.mark.django_db

BOM = "\ufeff"
SVG = "{http://www.w3.org/2000/svg}"


@pytest.fixture
def ellen(db):
    return person("ellen", Role.EXECUTIVE)


@pytest.fixture
def portfolio(alice, team):
    approved_use_case(alice, team, title="Ticket summaries", department="Service desk")
    submit(complete_use_case(alice, title="Contract review", department="Legal ops", residual=(4, 4)))


def test_every_chart_downloads_as_a_standalone_svg_naming_its_scope(client, ellen, portfolio):
    client.force_login(ellen)
    for name in CHARTS:
        response = client.get(f"/reports/charts/{name}.svg", {"department": "Service desk"})
        assert response.status_code == 200, name
        assert response["Content-Type"] == "image/svg+xml; charset=utf-8"
        assert response["Content-Disposition"].startswith(f'attachment; filename="clearance-{name}-')
        root = ElementTree.fromstring(response.content)  # well-formed XML, declaration included
        assert root.tag == f"{SVG}svg"
        description = root.find(f"{SVG}desc").text
        assert LIVE_DESCRIPTION in description and "Department: Service desk" in description
        assert "generated" in description
        assert root.find(f"{SVG}title").text


def test_a_chart_as_png_is_the_same_drawing_at_twice_its_size(client, ellen, portfolio):
    client.force_login(ellen)
    svg = ElementTree.fromstring(client.get("/reports/charts/activity.svg").content)
    response = client.get("/reports/charts/activity.png")
    assert response.status_code == 200
    assert response["Content-Type"] == "image/png"
    assert response.content[:8] == b"\x89PNG\r\n\x1a\n"
    width, height = struct.unpack(">II", response.content[16:24])  # the IHDR chunk
    assert (width, height) == pytest.approx((2 * float(svg.get("width")), 2 * float(svg.get("height"))), abs=2)


def test_the_slide_is_one_16_by_9_page_with_the_filter_and_the_headline_figures(client, ellen, portfolio):
    client.force_login(ellen)
    response = client.get("/reports/slide.pdf", {"department": "Legal ops"})
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert response["Content-Disposition"].startswith('attachment; filename="clearance-slide-')
    info = subprocess.run(["pdfinfo", "-"], input=response.content, capture_output=True, check=True).stdout.decode()
    fields = dict(line.split(":", 1) for line in info.splitlines() if ":" in line)
    assert fields["Pages"].strip() == "1"
    size = fields["Page size"].split()
    width, height = float(size[0]), float(size[2])
    assert width / height == pytest.approx(16 / 9, rel=0.01)
    text = subprocess.run(
        ["pdftotext", "-raw", "-enc", "UTF-8", "-", "-"], input=response.content, capture_output=True, check=True
    )
    words = " ".join(text.stdout.decode().split())
    assert f"1 use case · {LIVE_DESCRIPTION} · Department: Legal ops" in words
    assert "1 in review" in words and "1 high or critical residual risk" in words
    assert "Generated" in words


def test_a_bad_filter_is_a_400_for_the_slide_and_the_charts(client, ellen):
    client.force_login(ellen)
    for url in ("/reports/slide.pdf", "/reports/charts/tier.svg", "/reports/charts/tier.png"):
        response = client.get(url, {"created_from": "2026-05-01", "created_to": "2026-01-01"})
        assert response.status_code == 400, url
        assert "The end of the date range is before its start." in response.text


def test_the_csvs_start_with_their_filter_and_the_time_they_were_made(client, ellen, portfolio):
    client.force_login(ellen)
    for url, title in (("/reports/export.csv", "Use cases"), ("/reports/risks.csv", "Risks")):
        response = client.get(url, {"department": "Service desk"})
        text = b"".join(response.streaming_content).decode("utf-8")
        assert text.startswith(BOM)
        preamble = preamble_of(text[len(BOM) :])
        assert preamble["Clearance"] == title
        assert preamble["Filter"] == f"{LIVE_DESCRIPTION} · Department: Service desk"
        assert preamble["Generated"][:4].isdigit()
        assert len(table_of(text[len(BOM) :])) == 1
