"""Approval records rendered outside database transactions, under a lease, with an attempt cap, within
page and time limits; the sweep that never lets unrenderable rounds starve the others; the admin retry."""

import hashlib
import threading
from datetime import timedelta

import pytest
from django.contrib.auth.models import Permission
from django.db import connection
from django.utils import timezone

from approvals.documents import records
from approvals.documents.pdf import RenderedPdf, RenderLimitExceeded
from approvals.documents.records import (
    MAX_RECORD_ATTEMPTS,
    RecordBusy,
    RecordGaveUp,
    approval_record_render,
    record_render_retry,
    records_render_missing,
    rounds_missing_records,
)
from approvals.models import ApprovalRecord, RecordRender
from approvals.tasks import render_approval_record
from governance.roles import Role
from tests.approvals.workflow import approved_use_case, person
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def jisoo(db):
    return person("jisoo", Role.BUSINESS_OWNER)


@pytest.fixture
def decided(jisoo, team):
    return approved_use_case(jisoo, team)[1]


def stub_pdf(html: str, **limits) -> RenderedPdf:
    """A stand-in for WeasyPrint: a distinct 'PDF' per document, in no time."""
    return RenderedPdf(b"%PDF-1.7 " + hashlib.sha256(html.encode()).hexdigest().encode(), 1, ())


def stored_files(media_root) -> list[str]:
    folder = media_root / "records"
    return sorted(p.name for p in folder.rglob("*.pdf")) if folder.exists() else []


# --- No lock while rendering ----------------------------------------------------------------------


@pytest.fixture
def unrendered(jisoo, team, monkeypatch):
    """A decided round whose record was never rendered: the on-commit render is not queued (records,
    once made, cannot be deleted)."""
    with monkeypatch.context() as patched:
        patched.setattr("approvals.services.enqueue_safely", lambda task, *args, **kwargs: False)
        decided = approved_use_case(jisoo, team)[1]
    assert not ApprovalRecord.objects.filter(round=decided).exists()
    return decided


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_another_users_write_succeeds_while_a_record_renders(unrendered, monkeypatch):
    """On SQLite a write transaction locks the whole database: the render must hold none."""
    decided = unrendered
    rendering, release = threading.Event(), threading.Event()

    def blocking(html, **limits):
        rendering.set()
        assert release.wait(timeout=30)
        return stub_pdf(html)

    monkeypatch.setattr(records, "render_document", blocking)
    result = {}

    def render():
        try:
            result["record"] = approval_record_render(round_id=decided.pk)
        except Exception as exc:  # pragma: no cover - reported below
            result["error"] = exc
        finally:
            connection.close()

    worker = threading.Thread(target=render)
    worker.start()
    try:
        assert rendering.wait(timeout=30)
        assert not connection.in_atomic_block
        UserFactory(username="zoe", password=None)  # someone else signs up meanwhile: a write
    finally:
        release.set()
        worker.join(timeout=30)
    assert "error" not in result, result.get("error")
    assert ApprovalRecord.objects.get().pk == result["record"].pk


@pytest.mark.postgres
@pytest.mark.skipif("connection.vendor != 'postgresql'", reason="concurrent writers need PostgreSQL")
@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_two_renders_of_one_round_at_once_make_one_record(unrendered, monkeypatch, media_root):
    """Both claim (a lease that has lapsed when taken lets the second in), both render side by side; the second
    to store finds the first's record, discards its own file and returns that record."""
    decided = unrendered
    for path in media_root.rglob("*.pdf"):
        path.unlink()  # the on-commit task's file, deleted with its row above
    both_rendering = threading.Barrier(2)

    def side_by_side(html, **limits):
        both_rendering.wait(timeout=30)
        return stub_pdf(html)

    monkeypatch.setattr(records, "render_document", side_by_side)
    monkeypatch.setattr(records, "record_lease", lambda: timedelta(minutes=-1))  # lapsed when taken
    results = [None, None]

    def render(index):
        try:
            results[index] = approval_record_render(round_id=decided.pk)
        except Exception as exc:
            results[index] = exc
        finally:
            connection.close()

    threads = [threading.Thread(target=render, args=(i,)) for i in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    assert not [r for r in results if isinstance(r, Exception)], results
    record = ApprovalRecord.objects.get()
    assert [r.pk for r in results] == [record.pk, record.pk]
    assert stored_files(media_root) == [record.download_name]
    assert RecordRender.objects.get(round=decided).attempts == 2


def test_a_round_held_by_another_worker_is_left_to_it(decided, monkeypatch):
    monkeypatch.setattr(records, "render_document", stub_pdf)
    RecordRender.objects.create(
        round=decided, attempts=1, claim="x", claimed_until=timezone.now() + timedelta(minutes=1)
    )
    with pytest.raises(RecordBusy):
        approval_record_render(round_id=decided.pk)
    assert render_approval_record(decided.pk) is None
    assert rounds_missing_records() == []
    assert not ApprovalRecord.objects.exists()


def test_a_lapsed_lease_is_taken_again(decided, monkeypatch):
    monkeypatch.setattr(records, "render_document", stub_pdf)
    lapsed = timezone.now() - timedelta(seconds=1)
    RecordRender.objects.create(round=decided, attempts=1, claim="dead worker", claimed_until=lapsed)
    assert rounds_missing_records() == [decided.pk]
    approval_record_render(round_id=decided.pk)
    state = RecordRender.objects.get(round=decided)
    assert (state.attempts, state.claim, state.claimed_until) == (2, "", None)


def test_the_lease_outlasts_the_render_tasks_hard_limit(settings):
    assert records.record_lease() > timedelta(seconds=settings.CLEARANCE_RENDER_HARD_SECONDS)


# --- Attempts -------------------------------------------------------------------------------------


def test_each_failure_is_counted_and_kept_until_the_cap(decided, monkeypatch):
    def broken(html, **limits):
        raise OSError("disk full")

    monkeypatch.setattr(records, "render_document", broken)
    for attempt in range(1, MAX_RECORD_ATTEMPTS + 1):
        with pytest.raises(OSError):
            approval_record_render(round_id=decided.pk)
        state = RecordRender.objects.get(round=decided)
        assert (state.attempts, state.last_error, state.claimed_until) == (attempt, "OSError: disk full", None)
    assert state.failed_at is not None
    with pytest.raises(RecordGaveUp, match="disk full"):
        approval_record_render(round_id=decided.pk)
    assert RecordRender.objects.get(round=decided).attempts == MAX_RECORD_ATTEMPTS
    assert render_approval_record(decided.pk) is None  # the task gives up too: no retry past the cap


def test_unrenderable_rounds_never_starve_the_others(jisoo, team, monkeypatch):
    """Four rounds that always fail, a batch of three: the good round, decided last, is rendered by the
    second sweep, and the bad ones stop at their cap."""
    bad = [approved_use_case(jisoo, team)[1].pk for _ in range(4)]
    good = approved_use_case(jisoo, team)[1]
    real_context = records.record_context

    def context(round):
        if round.pk in bad:
            raise KeyError("model")  # a snapshot the template cannot read
        return real_context(round)

    monkeypatch.setattr(records, "record_context", context)
    monkeypatch.setattr(records, "render_document", stub_pdf)
    assert records_render_missing(limit=3) == 0
    assert records_render_missing(limit=3) == 1
    assert ApprovalRecord.objects.get().round_id == good.pk

    for _ in range(MAX_RECORD_ATTEMPTS * 2):
        records_render_missing(limit=3)
    assert rounds_missing_records() == []
    states = RecordRender.objects.filter(round_id__in=bad)
    assert sorted(states.values_list("attempts", flat=True)) == [MAX_RECORD_ATTEMPTS] * 4
    assert all(s.failed_at and s.last_error == "KeyError: 'model'" for s in states)


def test_a_lapsed_last_attempt_is_marked_failed_with_a_reason(decided):
    lapsed = timezone.now() - timedelta(seconds=1)
    RecordRender.objects.create(round=decided, attempts=MAX_RECORD_ATTEMPTS, claim="dead", claimed_until=lapsed)
    assert records.records_give_up_lapsed() == 1
    state = RecordRender.objects.get(round=decided)
    assert state.failed_at is not None
    assert "did not finish within its lease" in state.last_error


# --- Page and time limits -------------------------------------------------------------------------


def test_a_record_past_the_page_limit_fails_for_good_at_once(decided, settings, celery_eager):
    settings.CLEARANCE_PDF_MAX_PAGES = 1
    assert render_approval_record.delay(decided.pk).get() is None
    state = RecordRender.objects.get(round=decided)
    assert state.attempts == 1  # not retried: the same snapshot would make the same document
    assert state.failed_at is not None
    assert state.last_error == "RenderLimitExceeded: The document is longer than 1 pages."
    assert rounds_missing_records() == []
    assert not ApprovalRecord.objects.exists()


def test_layout_stops_at_the_page_that_crosses_the_limit():
    from approvals.documents.pdf import render_document

    pages_laid_out = []
    html = "<html><body>" + "<p style='break-after: page'>x</p>" * 50 + "</body></html>"

    class Count:
        def filter(self, record):
            pages_laid_out.append(record.getMessage())
            return True

    import logging

    progress = logging.getLogger("weasyprint.progress")
    counter = Count()
    render_document("<html><body></body></html>")  # installs the guard first
    progress.filters.insert(0, counter)
    try:
        with pytest.raises(RenderLimitExceeded, match="longer than 5 pages"):
            render_document(html, max_pages=5)
    finally:
        progress.removeFilter(counter)
    assert sum("Creating layout - Page" in m for m in pages_laid_out) == 6
    assert render_document(html, max_pages=50).pages == 50


def test_a_render_past_its_time_is_refused():
    from approvals.documents.pdf import render_document

    html = "<html><body>" + "<p style='break-after: page'>x</p>" * 5 + "</body></html>"
    with pytest.raises(RenderLimitExceeded, match="took longer"):
        render_document(html, seconds=1e-9)


def test_every_task_has_a_time_limit_and_the_broker_outwaits_the_longest(settings):
    from config.celery import app

    app.loader.import_default_modules()
    ours = {name: task for name, task in app.tasks.items() if name.startswith(("approvals.", "reports."))}
    assert "reports.tasks.render_report_export" in ours
    hard_limits = []
    for name, task in ours.items():
        soft = task.soft_time_limit or app.conf.task_soft_time_limit
        hard = task.time_limit or app.conf.task_time_limit
        assert soft and hard and soft < hard, name
        hard_limits.append(hard)
    for name in ("reports.tasks.render_report_export", "approvals.tasks.render_approval_record"):
        assert ours[name].time_limit == settings.CLEARANCE_RENDER_HARD_SECONDS
    assert settings.CELERY_BROKER_TRANSPORT_OPTIONS["visibility_timeout"] > 2 * max(hard_limits)


# --- The admin ------------------------------------------------------------------------------------


def failed_round(round) -> RecordRender:
    return RecordRender.objects.create(
        round=round, attempts=MAX_RECORD_ATTEMPTS, failed_at=timezone.now(), last_error="KeyError: 'model'"
    )


def test_failed_records_show_to_admins_with_their_error(client, governance_admin, decided):
    failed_round(decided)
    client.force_login(governance_admin)
    page = client.get("/admin/approvals/recordrender/?state=failed")
    assert page.status_code == 200
    assert "KeyError: &#x27;model&#x27;" in page.text
    assert decided.use_case.reference in page.text


def test_a_governance_admin_retries_a_failed_record(
    client, governance_admin, decided, monkeypatch, celery_eager, django_capture_on_commit_callbacks
):
    monkeypatch.setattr(records, "render_document", stub_pdf)
    state = failed_round(decided)
    client.force_login(governance_admin)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            "/admin/approvals/recordrender/", {"action": "retry_records", "_selected_action": [state.pk]}
        )
    assert response.status_code == 302
    assert ApprovalRecord.objects.get().round_id == decided.pk
    state.refresh_from_db()
    assert (state.attempts, state.failed_at, state.last_error) == (1, None, "")


def test_only_governance_admins_may_retry_a_record(client, decided):
    state = failed_round(decided)
    staff = person("sam", Role.EXECUTIVE, is_staff=True)
    staff.user_permissions.add(Permission.objects.get(codename="view_recordrender"))
    client.force_login(staff)
    assert client.get("/admin/approvals/recordrender/").status_code == 200
    client.post("/admin/approvals/recordrender/", {"action": "retry_records", "_selected_action": [state.pk]})
    assert RecordRender.objects.get(pk=state.pk).failed_at is not None


def test_retry_leaves_a_round_being_rendered_alone(decided):
    RecordRender.objects.create(
        round=decided, attempts=1, claim="x", claimed_until=timezone.now() + timedelta(minutes=1)
    )
    assert record_render_retry(round_id=decided.pk) is False
