"""An executive exports the residual-risk report as a PDF, rendered in the background, in the browser.

The portfolio is seeded with the workflow helpers; the executive's steps are all in the browser: the report
page, the export button, the progress page that refreshes itself until a worker has rendered the PDF, and
the download.
"""

import re
import subprocess
from contextlib import ExitStack

import pytest
from celery.contrib.testing.worker import start_worker
from django.conf import settings
from playwright.sync_api import expect

from governance.models import AIModel, Vendor
from governance.roles import Role
from tests.approvals.workflow import approved_use_case, complete_use_case, reviewers, submit
from tests.factories import AIModelFactory, UserFactory, VendorFactory

RENDER_WAIT_MS = 45_000


class HeldWorker:
    """A Celery worker the test starts when it chooses: until then, queued tasks wait in the broker."""

    def __init__(self, app, stack: ExitStack):
        self.app, self.stack = app, stack

    def purge(self) -> None:
        """Drop what is queued so far (tasks of other tests, or of the seeding, which nobody waits for)."""
        self.app.control.purge()

    def start(self) -> None:
        self.stack.enter_context(start_worker(self.app, pool="solo", perform_ping_check=False, shutdown_timeout=60))


@pytest.fixture
def worker():
    """Tasks are queued, not run as they are queued, and a real worker runs them once started.

    On the PostgreSQL + Redis leg the queue is Redis, as in production. On the embedded default the app runs
    tasks in-process as they are queued, so the PDF would be done before the progress page is shown; here
    they go to Celery's in-memory broker instead, which a worker thread of this process consumes.
    """
    from config.celery import app

    saved = app.conf.task_always_eager
    app.conf.task_always_eager = False
    try:
        with ExitStack() as stack:
            yield HeldWorker(app, stack)
    finally:
        app.conf.task_always_eager = saved
        if not settings.REDIS_URL:
            app.control.purge()  # nothing of this test stays in the in-memory queue


@pytest.fixture
def portfolio(db):
    """Three requests of Olivia's: one approved, one in review with a high residual risk, and a draft that
    was never submitted — hers alone, so the executive's report counts two."""
    olivia = UserFactory(username="olivia", first_name="Olivia", last_name="Hart", roles=[Role.BUSINESS_OWNER])
    team = reviewers()
    alibaba = VendorFactory(name="Alibaba Cloud", hq_country="CN", sanctions_status=Vendor.SanctionsStatus.CLEAR)
    qwen = AIModelFactory(
        vendor=alibaba,
        name="Qwen2.5-Coder-32B-Instruct",
        family="Qwen2.5",
        distribution=AIModel.Distribution.OPEN_WEIGHTS,
        licence_name="Apache-2.0",
    )
    approved, _ = approved_use_case(olivia, team, title="Code review assistant", primary_model=qwen)
    in_review = complete_use_case(olivia, title="Support ticket triage", residual=(3, 4))
    submit(in_review)
    draft = complete_use_case(olivia, title="Contract clause search", residual=(1, 2))
    return [approved, in_review, draft]


def test_an_executive_exports_the_residual_risk_report_as_pdf(visit, worker, portfolio, tmp_path):
    # Not "erin": the seeded review team has an executive of that name, who never signs in.
    UserFactory(username="evelyn", first_name="Evelyn", last_name="Okoye", roles=[Role.EXECUTIVE])
    worker.purge()

    executive = visit()
    executive.login("evelyn")
    page = executive.page
    page.get_by_role("navigation", name="Main").get_by_role("link", name="Reports").click()
    expect(page.get_by_role("heading", name="Portfolio residual risk", level=1)).to_be_visible()
    expect(page.locator("p.lead")).to_contain_text(
        "2 use cases · Live portfolio: approved, approved with conditions, suspended, in review"
    )
    executive.screenshot("export-01-report")

    # Export: the progress page says the PDF waits for a worker, and refreshes itself.
    with page.expect_response(re.compile(r"/reports/exports/\d+/$")) as progress:
        page.get_by_role("button", name="Export PDF").click()
    assert progress.value.headers.get("refresh") == "2"
    expect(page.get_by_role("heading", name="Portfolio report PDF")).to_be_visible()
    expect(page.locator("dl.facts")).to_contain_text("Queued")
    expect(page.get_by_role("status")).to_have_text("Waiting for a worker…")
    expect(page.get_by_role("progressbar", name="Progress")).to_have_attribute("value", "0")
    expect(page.locator('meta[http-equiv="refresh"]')).to_have_attribute("content", "2")
    expect(page.get_by_role("link", name="Download PDF")).to_have_count(0)
    executive.screenshot("export-02-progress")

    # A worker takes the export; the page, refreshing itself, ends on the finished file.
    # A navigation commits before the new document's link can be visible; its "load" event may come after.
    loads = []
    page.on("framenavigated", lambda frame: loads.append(frame.url) if frame == page.main_frame else None)
    worker.start()
    download_link = page.get_by_role("link", name="Download PDF")
    expect(download_link).to_be_visible(timeout=RENDER_WAIT_MS)
    assert loads, "the progress page never reloaded itself"
    expect(page.locator("dl.facts")).to_contain_text("Done")
    expect(page.get_by_text("Ready: 2 use cases")).to_be_visible()
    expect(page.locator('meta[http-equiv="refresh"]')).to_have_count(0)
    executive.screenshot("export-03-done")

    with page.expect_download() as download_info:
        download_link.click()
    download = download_info.value
    assert download.suggested_filename.endswith(".pdf")
    path = tmp_path / download.suggested_filename
    download.save_as(path)
    assert path.read_bytes().startswith(b"%PDF")
    output = subprocess.run(["pdftotext", "-enc", "UTF-8", str(path), "-"], capture_output=True, check=True)
    text = " ".join(output.stdout.decode().split())
    assert (
        "Portfolio residual risk 2 use cases · Live portfolio: approved, approved with conditions, suspended, in review"
        in text
    )  # the cover
    assert "Portfolio residual-risk report" in text  # the running footer of each page
    approved, in_review, draft = portfolio
    assert approved.reference in text and in_review.reference in text
    assert draft.reference not in text  # never submitted: its owner's alone

    # The export is also listed among the executive's own exports.
    page.get_by_role("link", name="Your report exports").click()
    row = page.get_by_role("row").filter(has=page.get_by_role("link", name="Download PDF"))
    expect(row).to_have_count(1)
    expect(row).to_contain_text("Done")
    expect(row).to_contain_text("Live portfolio: approved, approved with conditions, suspended, in review")
