"""PDF exports of the report: requested by POST, rendered by a Celery task with progress, listed for and
downloadable by their owner only, re-queued by a sweep when the broker lost them."""

import hashlib
import re
import subprocess
from datetime import timedelta

import pytest
from django.contrib.auth.models import Permission
from django.core.exceptions import PermissionDenied
from django.db import connection, transaction
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from approvals.models import SuspensionCause
from approvals.services import approval_suspend
from governance.models import UseCase
from governance.roles import Role
from reports import figures
from reports.figures import ReportFilters, report_export_render, report_export_request
from reports.models import ReportExport
from reports.tasks import render_report_export, requeue_report_exports
from tests.approvals.workflow import approve_all, approved_use_case, complete_use_case, person, sign, submit
from tests.factories import AIModelFactory, VendorFactory

pytestmark = pytest.mark.django_db

CONDITION = "Outputs are reviewed by a person before they reach a customer."
SUSPENSION = "Model version changed by the vendor: re-review required."


@pytest.fixture(autouse=True)
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"


@pytest.fixture
def ellen(db):
    """An executive who exports the report."""
    return person("ellen", Role.EXECUTIVE)


@pytest.fixture
def frank(db):
    """Another executive."""
    return person("frank", Role.EXECUTIVE)


@pytest.fixture
def portfolio(alice, team):
    """Three of alice's requests: approved with a condition (US vendor, high residual), suspended (CN vendor),
    and a draft never submitted, which no figure counts."""
    conditions = complete_use_case(
        alice,
        title="Support reply suggestions",
        primary_model=AIModelFactory(vendor=VendorFactory(hq_country="US")),
        residual=(4, 3),
    )
    round = submit(conditions)
    sign(round, "privacy", team["privacy"], "approve_with_conditions", comment="With review.", conditions=CONDITION)
    approve_all(round, team)
    suspended, _ = approved_use_case(
        alice, team, title="Supplier translation", primary_model=AIModelFactory(vendor=VendorFactory(hq_country="CN"))
    )
    with transaction.atomic():
        approval_suspend(
            use_case=UseCase.objects.get(pk=suspended.pk), reason=SUSPENSION, cause=SuspensionCause.REVIEW_FINDING
        )
    draft = complete_use_case(alice, title="A draft not yet submitted")
    return {"conditions": conditions, "suspended": suspended, "draft": draft}


def pdf_text(data: bytes) -> str:
    done = subprocess.run(["pdftotext", "-raw", "-", "-"], input=data, capture_output=True, check=True)
    # One line, since table cells wrap; a hyphenated word broken at a line end ("re-\nreview") is joined again.
    return " ".join(done.stdout.decode().split()).replace("- ", "-")


def export_for(user, **fields) -> ReportExport:
    return ReportExport.objects.create(requested_by=user, **fields)


# --- Rendering through the task --------------------------------------------------------------------


def test_an_export_reaches_done_through_the_task(
    client, ellen, portfolio, celery_eager, django_capture_on_commit_callbacks
):
    client.force_login(ellen)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post("/reports/exports/", {"status": ["approved_with_conditions", "suspended"]})
    export = ReportExport.objects.get()
    assert response.status_code == 302
    assert response.url == f"/reports/exports/{export.pk}/"
    assert (export.requested_by, export.status, export.progress) == (ellen, "done", 100)
    assert export.filters["status"] == ["approved_with_conditions", "suspended"]
    assert export.use_case_count == 2
    assert export.finished_at is not None

    page = client.get(response.url)
    assert "Refresh" not in page.headers
    assert 'http-equiv="refresh"' not in page.text
    assert f"/reports/exports/{export.pk}/download/" in page.text

    download = client.get(f"/reports/exports/{export.pk}/download/")
    assert download.status_code == 200
    assert download["Content-Type"] == "application/pdf"
    assert "attachment" in download["Content-Disposition"]
    data = b"".join(download.streaming_content)
    assert data.startswith(b"%PDF")
    assert hashlib.sha256(data).hexdigest() == export.sha256


def test_the_pdf_has_the_figures(client, ellen, portfolio, celery_eager, django_capture_on_commit_callbacks):
    client.force_login(ellen)
    with django_capture_on_commit_callbacks(execute=True):
        client.post("/reports/exports/", {})
    export = ReportExport.objects.get()
    text = pdf_text(export.file.read())
    for expected in [
        "Portfolio residual risk",
        "2 use cases · Live portfolio: approved, approved with conditions, suspended, in review",
        # The key figures, the status and tier charts, exposure and the heat map's caption.
        "2 use cases 1 approved 0 in review 1 high or critical residual risk",
        "1 open conditions 1 suspended",
        "Approved with conditions 1 Suspended 1",
        "Critical 0 High 1 Medium 1 Low 0 No risks recorded 0",
        "CN · China 1 US · United States 1",
        "Confidential 2",
        "2 risks of the selected use cases",
        # The lists.
        "12 · High L4 × I3 Customer data leaks into prompts",
        CONDITION,
        SUSPENSION,
        "No approval expires within 90 days.",
        "Appendix: the use cases",
        portfolio["conditions"].reference,
        portfolio["suspended"].reference,
        "Page 1 of ",
    ]:
        assert expected in text, expected
    # The draft was never submitted: its owner's alone, in no figure and not in the appendix.
    assert portfolio["draft"].reference not in text
    assert "A draft not yet submitted" not in text


def test_progress_moves_through_the_stages(ellen, portfolio, monkeypatch):
    export = export_for(ellen)
    seen = {}
    real_report = figures.portfolio_report

    def computing(filters, **kwargs):
        seen["computing"] = ReportExport.objects.get(pk=export.pk).progress
        return real_report(filters, **kwargs)

    def rendering(html):
        seen["rendering"] = ReportExport.objects.get(pk=export.pk).progress
        return b"%PDF-1.7 fake"

    monkeypatch.setattr(figures, "portfolio_report", computing)
    monkeypatch.setattr(figures, "render_pdf", rendering)
    assert report_export_render(export_id=export.pk) == "done"
    assert seen == {"computing": ReportExport.Stage.COMPUTING, "rendering": ReportExport.Stage.RENDERING}
    export.refresh_from_db()
    assert (export.status, export.progress, export.file.read()) == ("done", 100, b"%PDF-1.7 fake")
    assert export.sha256 == hashlib.sha256(b"%PDF-1.7 fake").hexdigest()


def test_a_failed_render_is_recorded_and_can_be_retried(client, ellen, monkeypatch):
    def broken(html):
        raise ValueError("no fonts")

    monkeypatch.setattr(figures, "render_pdf", broken)
    export = export_for(ellen, filters={"band": "high"})
    assert report_export_render(export_id=export.pk) == "failed"
    export.refresh_from_db()
    assert (export.status, export.error, export.file.name) == ("failed", "ValueError: no fonts", "")
    assert export.finished_at is not None
    client.force_login(ellen)
    page = client.get(f"/reports/exports/{export.pk}/")
    assert "Refresh" not in page.headers
    assert "ValueError: no fonts" in page.text
    assert 'name="band" value="high"' in page.text  # "Try again" posts the same filters
    assert client.get(f"/reports/exports/{export.pk}/download/").status_code == 404


def test_an_export_is_rendered_once(ellen, monkeypatch):
    monkeypatch.setattr(figures, "render_pdf", lambda html: b"%PDF-1.7 fake")
    export = export_for(ellen)
    assert report_export_render(export_id=export.pk) == "done"
    assert report_export_render(export_id=export.pk) == "not claimed"
    busy = export_for(ellen, status="rendering", progress=30, attempts=1, heartbeat_at=timezone.now())
    assert report_export_render(export_id=busy.pk) == "not claimed"  # another worker has it


def test_a_render_left_by_a_dead_worker_is_taken_again(ellen, monkeypatch):
    monkeypatch.setattr(figures, "render_pdf", lambda html: b"%PDF-1.7 fake")
    silent = timezone.now() - figures.export_stale_after() - timedelta(seconds=1)
    stale = export_for(ellen, status="rendering", progress=30, attempts=1, heartbeat_at=silent)
    assert report_export_render(export_id=stale.pk) == "done"
    stale.refresh_from_db()
    assert stale.attempts == 2


# --- Claims, heartbeats, attempts ---------------------------------------------------------------------


def test_staleness_is_judged_from_the_heartbeat_not_the_creation_time(ellen, monkeypatch):
    monkeypatch.setattr(figures, "render_pdf", lambda html: b"%PDF-1.7 fake")
    old_but_alive = export_for(ellen, status="rendering", progress=30, attempts=1, heartbeat_at=timezone.now())
    ReportExport.objects.filter(pk=old_but_alive.pk).update(created_at=timezone.now() - timedelta(hours=2))
    assert report_export_render(export_id=old_but_alive.pk) == "not claimed"
    assert figures.report_exports_requeue() == 0
    assert figures.export_stale_after() < timedelta(minutes=30)  # well before the old 30 minutes


def test_each_stage_beats_the_heartbeat(ellen, portfolio, monkeypatch):
    export = export_for(ellen)
    beats = []
    real_advance = figures._advance

    def advance(export_id, attempt, progress):
        real_advance(export_id, attempt, progress)
        beats.append(ReportExport.objects.get(pk=export_id).heartbeat_at)

    monkeypatch.setattr(figures, "_advance", advance)
    monkeypatch.setattr(figures, "render_pdf", lambda html: b"%PDF-1.7 fake")
    assert report_export_render(export_id=export.pk) == "done"
    assert len(beats) == 2 and beats == sorted(beats)  # rendering, storing (the claim beats first)


def test_only_one_claim_wins(ellen):
    export = export_for(ellen)
    assert figures._export_claim(export.pk) == 1
    assert figures._export_claim(export.pk) is None


def test_a_superseded_attempt_that_fails_late_leaves_the_done_export_alone(ellen, monkeypatch):
    export = export_for(ellen)

    def slow_then_broken(html):
        # While this worker is stuck, its heartbeat goes stale and another worker renders the export.
        ReportExport.objects.filter(pk=export.pk).update(heartbeat_at=timezone.now() - timedelta(hours=1))
        monkeypatch.setattr(figures, "render_pdf", lambda html: b"%PDF-1.7 second")
        assert report_export_render(export_id=export.pk) == "done"
        raise MemoryError("the first worker finally gives out")

    monkeypatch.setattr(figures, "render_pdf", slow_then_broken)
    assert report_export_render(export_id=export.pk) == "superseded"
    export.refresh_from_db()
    assert (export.status, export.attempts, export.error, export.file.read()) == ("done", 2, "", b"%PDF-1.7 second")


def test_a_superseded_attempt_that_finishes_late_does_not_store_twice(ellen, monkeypatch):
    export = export_for(ellen)

    def slow(html):
        ReportExport.objects.filter(pk=export.pk).update(heartbeat_at=timezone.now() - timedelta(hours=1))
        monkeypatch.setattr(figures, "render_pdf", lambda html: b"%PDF-1.7 second")
        assert report_export_render(export_id=export.pk) == "done"
        return b"%PDF-1.7 first"

    monkeypatch.setattr(figures, "render_pdf", slow)
    assert report_export_render(export_id=export.pk) == "superseded"
    export.refresh_from_db()
    assert export.file.read() == b"%PDF-1.7 second"


def test_after_its_attempts_an_export_is_failed_with_the_reason(client, ellen, celery_eager, monkeypatch):
    monkeypatch.setattr(figures, "render_pdf", lambda html: b"%PDF-1.7 fake")
    silent = timezone.now() - figures.export_stale_after() - timedelta(seconds=1)
    export = export_for(
        ellen, status="rendering", progress=30, attempts=figures.MAX_EXPORT_ATTEMPTS, heartbeat_at=silent
    )
    assert report_export_render(export_id=export.pk) == "not claimed"
    assert requeue_report_exports() == 0
    export.refresh_from_db()
    assert export.status == "failed"
    assert export.error.startswith(f"Gave up after {figures.MAX_EXPORT_ATTEMPTS} attempts")
    client.force_login(ellen)
    assert "Gave up after" in client.get(f"/reports/exports/{export.pk}/").text


def test_a_killed_worker_is_recovered_within_staleness_plus_the_sweep_period(
    ellen, celery_eager, monkeypatch, settings
):
    """The bound the README states: heartbeat staleness + the requeue sweep's period."""
    monkeypatch.setattr(figures, "render_pdf", lambda html: b"%PDF-1.7 fake")
    export = export_for(ellen)
    assert figures._export_claim(export.pk) == 1  # the worker that is then killed
    period = settings.CELERY_BEAT_SCHEDULE["requeue-report-exports"]["schedule"]
    assert requeue_report_exports() == 0  # alive as far as anyone can tell
    # The clock moves on by the staleness and one sweep period: the last heartbeat is that old.
    ReportExport.objects.filter(pk=export.pk).update(
        heartbeat_at=timezone.now() - figures.export_stale_after() - period
    )
    assert requeue_report_exports() == 1
    export.refresh_from_db()
    assert (export.status, export.attempts) == ("done", 2)
    assert figures.export_stale_after() + period <= timedelta(minutes=15)


# --- Retry by a governance admin --------------------------------------------------------------------


def test_a_governance_admin_retries_a_failed_export(
    client, ellen, governance_admin, celery_eager, monkeypatch, django_capture_on_commit_callbacks
):
    monkeypatch.setattr(figures, "render_pdf", lambda html: b"%PDF-1.7 fake")
    export = export_for(ellen, status="failed", attempts=3, error="Gave up after 3 attempts")
    client.force_login(governance_admin)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            "/admin/reports/reportexport/", {"action": "retry_exports", "_selected_action": [export.pk]}
        )
    assert response.status_code == 302
    export.refresh_from_db()
    assert (export.status, export.attempts, export.error) == ("done", 1, "")


def test_retry_leaves_exports_that_are_not_failed_alone(ellen):
    done = export_for(ellen)
    ReportExport.objects.filter(pk=done.pk).update(status="rendering", attempts=1, heartbeat_at=timezone.now())
    assert figures.report_export_retry(export_id=done.pk) is False
    assert ReportExport.objects.get(pk=done.pk).attempts == 1


def test_only_governance_admins_may_retry_an_export(client, ellen, django_capture_on_commit_callbacks):
    export = export_for(ellen, status="failed", attempts=3, error="Gave up")
    staff = person("sam", Role.EXECUTIVE, is_staff=True)
    staff.user_permissions.add(Permission.objects.get(codename="view_reportexport"))  # reads, is no admin
    client.force_login(staff)
    assert client.get("/admin/reports/reportexport/").status_code == 200
    client.post("/admin/reports/reportexport/", {"action": "retry_exports", "_selected_action": [export.pk]})
    assert ReportExport.objects.get(pk=export.pk).status == "failed"


# --- The progress page ------------------------------------------------------------------------------


def test_the_progress_page_refreshes_itself_until_done(client, ellen):
    export = export_for(ellen)
    client.force_login(ellen)
    page = client.get(f"/reports/exports/{export.pk}/")
    assert page.status_code == 200
    assert page["Refresh"] == "2"
    assert '<meta http-equiv="refresh" content="2">' in page.text
    assert not re.search(r"<script(?![^>]*\ssrc=)", page.text)  # no inline script: the CSP forbids it
    assert "Waiting for a worker" in page.text
    ReportExport.objects.filter(pk=export.pk).update(status="rendering", progress=30)
    page = client.get(f"/reports/exports/{export.pk}/")
    assert "Rendering the PDF" in page.text
    assert '<progress max="100" value="30"' in page.text


# --- Owners only ------------------------------------------------------------------------------------


def test_an_export_is_downloadable_only_by_its_owner(client, ellen, frank, alice, monkeypatch):
    monkeypatch.setattr(figures, "render_pdf", lambda html: b"%PDF-1.7 fake")
    export = export_for(ellen)
    report_export_render(export_id=export.pk)
    for outsider in (frank, alice):
        client.force_login(outsider)
        assert client.get(f"/reports/exports/{export.pk}/").status_code == 404
        assert client.get(f"/reports/exports/{export.pk}/download/").status_code == 404
    client.force_login(ellen)
    assert client.get(f"/reports/exports/{export.pk}/download/").status_code == 200


def test_an_unfinished_export_has_nothing_to_download(client, ellen):
    export = export_for(ellen)
    client.force_login(ellen)
    assert client.get(f"/reports/exports/{export.pk}/download/").status_code == 404


def test_the_list_shows_only_my_exports(client, ellen, frank):
    mine = [export_for(ellen, filters={"vendor_country": "CN"}), export_for(ellen)]
    theirs = export_for(frank)
    client.force_login(ellen)
    response = client.get("/reports/exports/")
    assert response.status_code == 200
    assert list(response.context["exports"]) == mine[::-1]
    assert f"/reports/exports/{theirs.pk}/" not in response.text
    assert "Vendor country: CN · China" in response.text
    assert "Live portfolio: approved, approved with conditions, suspended, in review" in response.text


def test_the_list_runs_the_same_queries_for_3_and_30_exports(client, ellen):
    client.force_login(ellen)
    for _ in range(3):
        export_for(ellen, filters={"status": ["approved"]})

    def count():
        client.get("/reports/exports/")
        with CaptureQueriesContext(connection) as ctx:
            client.get("/reports/exports/")
        return len(ctx.captured_queries)

    three = count()
    for _ in range(27):
        export_for(ellen, status="done", progress=100, file="reports/x.pdf", sha256="0" * 64)
    assert count() == three


# --- Requests: POST only, executives only -----------------------------------------------------------


def test_get_on_the_exports_url_lists_and_creates_nothing(client, ellen):
    client.force_login(ellen)
    assert client.get("/reports/exports/?status=approved").status_code == 200
    assert client.get("/reports/?status=approved").status_code == 200
    assert not ReportExport.objects.exists()


@pytest.mark.parametrize("method", ["put", "patch", "delete"])
def test_other_methods_on_the_exports_url_are_405(client, ellen, method):
    client.force_login(ellen)
    assert getattr(client, method)("/reports/exports/").status_code == 405


def test_an_export_url_refuses_post(client, ellen):
    export = export_for(ellen)
    client.force_login(ellen)
    assert client.post(f"/reports/exports/{export.pk}/").status_code == 405
    assert client.post(f"/reports/exports/{export.pk}/download/").status_code == 405


def test_a_bad_filter_creates_nothing(client, ellen):
    client.force_login(ellen)
    response = client.post("/reports/exports/", {"band": "severe"})
    assert response.status_code == 400
    assert not ReportExport.objects.exists()


def test_a_business_owner_and_a_reviewer_cannot_export(client, alice, bob):
    for user in (alice, bob):
        client.force_login(user)
        assert client.post("/reports/exports/", {}).status_code == 404
        with pytest.raises(PermissionDenied):
            report_export_request(user=user, filters=ReportFilters())
    assert not ReportExport.objects.exists()


# --- The broker ------------------------------------------------------------------------------------


def test_a_broker_outage_leaves_the_export_queued_for_the_sweep(
    client, ellen, celery_eager, django_capture_on_commit_callbacks, monkeypatch
):
    def unreachable(*args, **kwargs):
        raise ConnectionError("broker down")

    monkeypatch.setattr(render_report_export, "delay", unreachable)
    client.force_login(ellen)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post("/reports/exports/", {})
    export = ReportExport.objects.get()
    assert response.status_code == 302
    assert export.status == "queued"
    assert client.get(response.url)["Refresh"] == "2"


def test_the_sweep_requeues_exports_left_queued(ellen, celery_eager, monkeypatch):
    monkeypatch.setattr(figures, "render_pdf", lambda html: b"%PDF-1.7 fake")
    lost = export_for(ellen)
    ReportExport.objects.filter(pk=lost.pk).update(created_at=timezone.now() - timedelta(minutes=10))
    fresh = export_for(ellen)  # its task may still be on its way
    assert requeue_report_exports() == 1
    lost.refresh_from_db()
    fresh.refresh_from_db()
    assert (lost.status, fresh.status) == ("done", "queued")


def test_the_sweep_is_scheduled(settings):
    schedule = {entry["task"] for entry in settings.CELERY_BEAT_SCHEDULE.values()}
    assert "reports.tasks.requeue_report_exports" in schedule


def test_a_report_past_its_page_limit_fails_with_the_reason(ellen, portfolio, settings):
    settings.CLEARANCE_REPORT_MAX_PAGES = 1
    export = export_for(ellen)
    assert report_export_render(export_id=export.pk) == "failed"
    export.refresh_from_db()
    assert (export.status, export.error) == ("failed", "RenderLimitExceeded: The document is longer than 1 pages.")
