"""A worker killed mid-render (SIGKILL: no cleanup, no acknowledgement) loses nothing: once its heartbeat
or lease is stale, the sweeps hand the export and the record to a fresh worker, and each is produced once.

The recovery time this proves, with the default settings:
- a report export: heartbeat staleness (the render task's hard limit + 2 min = 4.5 min) + the requeue
  sweep's period (5 min) = at most 9.5 min;
- an approval record: its lease (the hard limit + 2.5 min = 5 min) + the missing-records sweep's period
  (10 min) = at most 15 min.
The broker would hand the killed task out again only after its visibility timeout (11 min), and then
the claim refuses it: the sweeps, not the broker, are the recovery.
"""

import importlib
import os
import signal
import subprocess
import sys
import time
from datetime import timedelta
from pathlib import Path

import pytest
from celery.contrib.testing.worker import start_worker
from django.conf import settings
from django.db import connection
from django.utils import timezone

from approvals.documents import records
from approvals.models import ApprovalRecord, ApprovalRequest, RecordRender
from approvals.tasks import render_approval_record, render_missing_records
from config.celery import app
from governance.roles import Role
from reports import figures
from reports.models import ReportExport
from reports.tasks import render_report_export, requeue_report_exports
from tests.approvals.workflow import approved_use_case, person

pytestmark = [
    pytest.mark.broker,
    pytest.mark.postgres,
    pytest.mark.skipif("connection.vendor != 'postgresql'", reason="the worker process shares a PostgreSQL database"),
    # Not serialized_rollback: after test_worker's flush its restore collides with the content types
    # the flush recreated. The data migrations' rows are loaded again below instead.
    pytest.mark.django_db(transaction=True),
]

ROOT = Path(__file__).resolve().parents[2]


def wait_for(condition, *, seconds: float = 60, what: str = ""):
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if condition():
            return
        time.sleep(0.2)
    raise AssertionError(f"Timed out waiting for {what}")


def database_url() -> str:
    db = connection.settings_dict
    user = db["USER"] or "postgres"
    password = f":{db['PASSWORD']}" if db["PASSWORD"] else ""
    return f"postgres://{user}{password}@{db['HOST'] or '127.0.0.1'}:{db['PORT'] or 5432}/{db['NAME']}"


@pytest.fixture(autouse=True)
def reference_data(transactional_db):
    """The rows the data migrations load (role groups, checklist v1, data categories), which an earlier
    transactional test's flush may have removed; their loaders are idempotent."""
    from django.apps import apps

    from governance.roles import ROLE_PERMISSIONS, sync_role_groups

    importlib.import_module("governance.migrations.0002_data_categories").load(apps, None)
    importlib.import_module("checklist.migrations.0002_template_v1").load(apps, None)
    sync_role_groups(apps, ROLE_PERMISSIONS)


@pytest.fixture
def stalling_worker():
    """A real worker in its own process, whose renders never finish; the test kills it."""
    env = {**os.environ, "DATABASE_URL": database_url(), "REDIS_URL": settings.REDIS_URL}
    process = subprocess.Popen(
        [sys.executable, "-m", "tests.approvals.stalling_worker"],
        cwd=ROOT,
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )
    yield process
    if process.poll() is None:
        process.kill()
    process.wait(timeout=30)
    # The killed worker's messages stay unacknowledged in Redis; later tests must not receive them.
    client = app.connection_for_write().channel().client
    client.delete("unacked", "unacked_index", "unacked_mutex")


def test_a_killed_workers_export_and_record_are_each_produced_once(
    alice, team, stalling_worker, media_root, monkeypatch
):
    ellen = person("ellen", Role.EXECUTIVE)
    with monkeypatch.context() as patched:
        # The decision's own render is not queued: this test hands the round to the worker itself (and a
        # record, once made, cannot be deleted).
        patched.setattr("approvals.services.enqueue_safely", lambda task, *args, **kwargs: False)
        _, round = approved_use_case(alice, team)
    assert not ApprovalRecord.objects.filter(round=round).exists()
    export = ReportExport.objects.create(requested_by=ellen)

    render_report_export.delay(export.pk)
    render_approval_record.delay(round.pk)
    wait_for(
        lambda: (
            ReportExport.objects.filter(pk=export.pk, status="rendering").exists()
            and RecordRender.objects.filter(round=round, claimed_until__isnull=False).exists()
        ),
        seconds=90,
        what="the worker to start both renders",
    )
    os.kill(stalling_worker.pid, signal.SIGKILL)
    stalling_worker.wait(timeout=30)

    # Dead, but not yet known to be: nothing is taken from a worker that may still be alive.
    assert figures.report_exports_requeue() == 0
    assert records.rounds_missing_records(min_age=timedelta(0)) == []

    # The clock moves past the staleness and one sweep period: rows age instead, as the worker can't.
    export_period = settings.CELERY_BEAT_SCHEDULE["requeue-report-exports"]["schedule"]
    record_period = settings.CELERY_BEAT_SCHEDULE["render-missing-records"]["schedule"]
    assert figures.export_stale_after() + export_period <= timedelta(minutes=10)
    assert records.record_lease() + record_period <= timedelta(minutes=15)
    ReportExport.objects.filter(pk=export.pk).update(
        heartbeat_at=timezone.now() - figures.export_stale_after() - export_period
    )
    RecordRender.objects.filter(round=round).update(claimed_until=timezone.now() - record_period)
    ApprovalRequest.objects.filter(pk=round.pk).update(decided_at=timezone.now() - record_period)

    app.control.purge()
    with start_worker(app, pool="solo", perform_ping_check=False, shutdown_timeout=10):
        assert requeue_report_exports.delay().get(timeout=60) == 1
        assert render_missing_records.delay().get(timeout=60) == 1
        wait_for(
            lambda: (
                ReportExport.objects.filter(pk=export.pk, status="done").exists()
                and ApprovalRecord.objects.filter(round=round).exists()
            ),
            seconds=120,
            what="the fresh worker to finish both",
        )
        # The sweeps run again: nothing is left to do, nothing is made twice.
        assert requeue_report_exports.delay().get(timeout=60) == 0
        assert render_missing_records.delay().get(timeout=60) == 0

    export.refresh_from_db()
    assert (export.status, export.attempts, export.error) == ("done", 2, "")
    assert len(list((media_root / "reports").glob("*.pdf"))) == 1
    record = ApprovalRecord.objects.get()
    assert record.round_id == round.pk
    assert [p.name for p in (media_root / "records").rglob("*.pdf")] == [Path(record.file.name).name]
    state = RecordRender.objects.get(round=round)
    assert (state.attempts, state.claim, state.failed_at) == (2, "", None)
