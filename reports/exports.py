"""The report's charts as files (SVG and PNG) and its headline page as a 16:9 slide (PDF).

A chart file is the very SVG the page and the PDF draw, made a standalone document with the filter and
the time it was made in its description. A PNG is that SVG laid out by the PDF renderer on a page of its
own size and rasterised by poppler's `pdftoppm` (installed with the project's Debian packages): one
renderer for every output, so a chart looks the same everywhere.
"""

import re
import shutil
import subprocess

from django.template.loader import render_to_string
from django.utils.html import escape

from approvals.documents.pdf import render_document
from reports.figures import PortfolioReport

SLIDE_CSS = "css/slide.css"
PNG_DPI = 192  # twice the SVG's pixel size: sharp on a slide or a high-density screen
PNG_SECONDS = 20

# Each chart by its name in the URL: what it is called in a file name, and how the report draws it.
CHARTS = {
    "heat-map": PortfolioReport.heat_map_chart,
    "status": PortfolioReport.status_chart,
    "tier": PortfolioReport.tier_chart,
    "vendor-country": PortfolioReport.vendor_country_chart,
    "model-origin": PortfolioReport.model_origin_chart,
    "sensitivity": PortfolioReport.sensitivity_chart,
    "activity": lambda report: report.trends.activity_chart(),
    "portfolio": lambda report: report.trends.portfolio_chart(),
    "suspensions": lambda report: report.trends.suspension_chart(),
}

_ROOT = re.compile(r'^<svg xmlns="http://www.w3.org/2000/svg" width="(\d+(?:\.\d+)?)" height="(\d+(?:\.\d+)?)"')


def chart_svg(report: PortfolioReport, name: str) -> str:
    """Chart `name` of `report` as an SVG file: its own drawing, with the scope and time as a description."""
    svg = str(CHARTS[name](report))
    described = escape(
        f"Clearance portfolio report · {' · '.join(report.filters.describe())} · "
        f"generated {report.generated_at:%Y-%m-%d %H:%M %Z}"
    )
    head, _, rest = svg.partition("<title>")
    return f'<?xml version="1.0" encoding="UTF-8"?>\n{head}<desc>{described}</desc><title>{rest}'


class ChartRenderFailed(RuntimeError):
    pass


def chart_png(svg: str) -> bytes:
    """The SVG `svg` (a chart of `CHARTS`) as a PNG at `PNG_DPI`."""
    size = _ROOT.search(svg.split("\n", 1)[-1])
    if size is None:
        raise ChartRenderFailed("Not a chart drawn by Clearance.")
    width, height = size.groups()
    drawing = svg.split("\n", 1)[-1]  # without the XML declaration
    html = (
        f"<!doctype html><html><head><style>@page {{ size: {width}px {height}px; margin: 0 }} "
        f"html, body {{ margin: 0 }} svg {{ display: block }}</style></head><body>{drawing}</body></html>"
    )
    pdf = render_document(html, stylesheets=(), max_pages=1).data
    program = shutil.which("pdftoppm")
    if program is None:
        raise ChartRenderFailed("pdftoppm (poppler-utils) is not installed.")
    try:
        done = subprocess.run(  # noqa: S603 - a fixed program and arguments; the PDF goes to its stdin
            [program, "-png", "-r", str(PNG_DPI), "-singlefile"],
            input=pdf,
            capture_output=True,
            timeout=PNG_SECONDS,
            check=True,
        )
    except (subprocess.SubprocessError, OSError) as exc:
        raise ChartRenderFailed(f"The chart could not be rasterised: {exc.__class__.__name__}") from exc
    return done.stdout


def slide_pdf(report: PortfolioReport) -> bytes:
    """The report's headline page as one 16:9 landscape slide: scope and time, the key figures, the risk
    tiers, the trend of the live portfolio, the cycle times and the top risks."""
    html = render_to_string("reports/report_slide.html", {"report": report, "top_risks": report.top_risks[:5]})
    return render_document(html, stylesheets=(SLIDE_CSS,), max_pages=1).data
