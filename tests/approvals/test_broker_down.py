"""A broker that is down when a decision commits loses nothing: the decision stands, the e-mails wait in
the outbox, and the sweeps do the work once the broker is back."""

import logging
import time
from contextlib import contextmanager
from unittest import mock

import pytest
import redis
from django.core import mail
from django.utils import timezone
from kombu.exceptions import OperationalError as BrokerDown

from approvals import notifications
from approvals.models import ApprovalRequest, Notification
from approvals.notifications import enqueue_safely
from approvals.sweeps import approvals_suspend_stale
from approvals.tasks import deliver_notification, deliver_pending_notifications, suspend_dependents
from config.celery import app
from governance.models import UseCase, Vendor
from governance.services import registry_save
from tests.approvals.workflow import approved_use_case, complete_use_case, sign, submit
from tests.factories import AIModelFactory, VendorFactory

pytestmark = pytest.mark.usefixtures("fast_passwords")


def last_two_to_sign(owner, team):
    """A round with only security and procurement still to sign, and an outbox with nothing left to send."""
    round = submit(complete_use_case(owner))
    sign(round, "legal", team["legal"], "approve")
    sign(round, "privacy", team["privacy"], "approve")
    Notification.objects.update(sent_at=timezone.now())
    mail.outbox.clear()
    return round


@pytest.mark.django_db
def test_a_decision_is_kept_when_the_broker_is_down(alice, team, django_capture_on_commit_callbacks):
    round = last_two_to_sign(alice, team)
    sign(round, "security", team["security"], "approve")
    with (
        mock.patch.object(deliver_notification, "delay", side_effect=BrokerDown("Connection refused")) as delay,
        django_capture_on_commit_callbacks(execute=True),
    ):
        signoff = sign(round, "procurement", team["procurement"], "approve")

    assert delay.called
    assert signoff.decision == "approve"
    round.refresh_from_db()
    assert round.status == ApprovalRequest.Status.APPROVED
    outcome = Notification.objects.get(sent_at__isnull=True)
    assert (outcome.recipient, outcome.subject) == (alice, f"{round.use_case.reference} approved")
    assert mail.outbox == []

    # The broker is back: the periodic sweep sends what is waiting, once.
    assert deliver_pending_notifications(min_age_seconds=0) == 1
    assert [m.subject for m in mail.outbox] == [f"{round.use_case.reference} approved"]
    assert deliver_pending_notifications(min_age_seconds=0) == 0


@pytest.mark.django_db
def test_a_lost_registry_announcement_is_found_by_the_stale_sweep(
    alice, team, governance_admin, django_capture_on_commit_callbacks
):
    vendor = VendorFactory(name="Zhipu")
    use_case, _ = approved_use_case(alice, team, primary_model=AIModelFactory(vendor=vendor))
    vendor.sanctions_status = Vendor.SanctionsStatus.SANCTIONED
    with (
        mock.patch.object(suspend_dependents, "delay", side_effect=BrokerDown("Connection refused")) as delay,
        django_capture_on_commit_callbacks(execute=True),
    ):
        registry_save(vendor, user=governance_admin, changed=["sanctions_status"])
    assert delay.called
    vendor.refresh_from_db()
    assert vendor.sanctions_status == Vendor.SanctionsStatus.SANCTIONED
    use_case.refresh_from_db()
    assert use_case.status == UseCase.Status.APPROVED  # the announcement was lost

    assert approvals_suspend_stale() == 1
    use_case.refresh_from_db()
    assert use_case.status == UseCase.Status.SUSPENDED


def _celery_connections():
    return app._pool, app.amqp._producer_pool, app._backend_cache, getattr(app._local, "backend", None)


def _set_celery_connections(pool, producer_pool, backend_cache, local_backend):
    app._pool, app.amqp._producer_pool, app._backend_cache = pool, producer_pool, backend_cache
    if local_backend is None:
        app._local.__dict__.pop("backend", None)
    else:
        app._local.backend = local_backend


@contextmanager
def unreachable_redis():
    """Point the Celery app's broker and result backend (the same Redis in production) at a port where
    nothing listens, then give the app back its own connections.

    The app caches its broker connection pool, producer pool and result backend (celery/app/base.py `pool`,
    `_backend`; celery/app/amqp.py `producer_pool`): set aside, they are rebuilt for the new URL on first use.
    """
    dead = "redis://127.0.0.1:1/0"
    saved_urls, saved_connections = (app.conf.broker_url, app.conf.result_backend), _celery_connections()
    app.conf.broker_url, app.conf.result_backend = dead, dead
    _set_celery_connections(None, None, None, None)
    try:
        yield
    finally:
        if app._pool is not None:
            app._pool.force_close_all()
        app.conf.broker_url, app.conf.result_backend = saved_urls
        _set_celery_connections(*saved_connections)


@pytest.mark.broker
@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_a_decision_commits_and_returns_fast_when_redis_is_unreachable(alice, team, caplog):
    round = last_two_to_sign(alice, team)
    sign(round, "security", team["security"], "approve")

    with unreachable_redis():
        started = time.monotonic()
        signoff = sign(round, "procurement", team["procurement"], "approve")
        elapsed = time.monotonic() - started

    assert elapsed < 3, f"publishing to a dead broker took {elapsed:.1f}s"
    warnings = [
        r.getMessage() for r in caplog.records if r.name == "approvals.notifications" and r.levelname == "WARNING"
    ]
    assert len(warnings) == 1
    assert warnings[0].startswith("Broker unreachable; approvals.tasks.deliver_notification")
    assert signoff.decision == "approve"
    round.refresh_from_db()
    assert round.status == ApprovalRequest.Status.APPROVED
    outcome = Notification.objects.get(sent_at__isnull=True)
    assert outcome.subject == f"{round.use_case.reference} approved"
    assert outcome.attempts == 0
    assert mail.outbox == []

    assert deliver_pending_notifications(min_age_seconds=0) == 1
    outcome.refresh_from_db()
    assert outcome.sent_at is not None
    assert [m.subject for m in mail.outbox] == [outcome.subject]


def raised_from(error: Exception, cause: Exception) -> Exception:
    error.__cause__ = cause
    return error


@pytest.mark.parametrize(
    "error",
    [
        BrokerDown("Connection refused"),
        redis.ConnectionError("Connection refused"),
        redis.TimeoutError("Timeout reading from socket"),
        ConnectionResetError("reset by peer"),
        raised_from(RuntimeError("Retry limit exceeded while trying to reconnect"), redis.ConnectionError("111")),
    ],
)
def test_a_broker_error_marks_the_broker_down_for_a_while(error, caplog, monkeypatch):
    # An in-process Celery worker started by an earlier test sets up logging its own way; this test reads
    # the warning from the module's logger whatever that left behind.
    monkeypatch.setattr(notifications.log, "disabled", False)
    monkeypatch.setattr(notifications.log, "propagate", True)
    caplog.set_level(logging.WARNING, logger=notifications.log.name)
    with mock.patch.object(deliver_notification, "delay", side_effect=error) as delay:
        assert enqueue_safely(deliver_notification, 1) is False
        assert enqueue_safely(deliver_notification, 2) is False
    assert delay.call_count == 1
    assert notifications._broker_down_until > time.monotonic()
    assert any(r.getMessage().startswith("Broker unreachable") for r in caplog.records)


def test_an_error_raised_by_an_in_process_task_leaves_the_broker_up(caplog):
    with mock.patch.object(deliver_notification, "delay", side_effect=[ValueError("bad header"), None]) as delay:
        assert enqueue_safely(deliver_notification, 1) is False
        assert enqueue_safely(deliver_notification, 2) is True
    assert delay.call_count == 2
    assert notifications._broker_down_until == 0.0
    failure = next(r for r in caplog.records if r.name == "approvals.notifications")
    assert (failure.levelname, failure.getMessage()) == (
        "ERROR",
        "approvals.tasks.deliver_notification(1,) failed; left for its sweep",
    )
    assert failure.exc_info[0] is ValueError
