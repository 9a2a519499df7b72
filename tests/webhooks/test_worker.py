"""The PostgreSQL + Redis leg: a real Celery worker sends the delivery that a committed event queued, and
retries it after the receiver's 500."""

import time

import pytest
from celery.contrib.testing.worker import start_worker
from django.db import transaction

from config.celery import app
from tests.approvals.workflow import complete_use_case, submit
from tests.webhooks.receiver import Answer
from webhooks.models import Delivery

pytestmark = [pytest.mark.broker, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def worker():
    app.control.purge()  # tasks queued by other tests refer to rows they rolled back
    with start_worker(app, pool="solo", perform_ping_check=False, shutdown_timeout=10):
        yield


def wait_for(predicate, timeout: float = 30) -> bool:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if predicate():
            return True
        time.sleep(0.2)
    return False


def test_a_worker_delivers_and_retries_after_a_500(worker, alice, endpoint_for, receiver, settings):
    settings.CLEARANCE_WEBHOOK_BACKOFF_SECONDS = (1, 1, 1)
    endpoint_for("submitted")
    receiver.answers(Answer(500, b"try again"), Answer(200, b"thanks"))

    with transaction.atomic():
        submit(complete_use_case(alice))

    assert wait_for(lambda: Delivery.objects.filter(status=Delivery.Status.DELIVERED).exists())
    delivery = Delivery.objects.get()
    assert delivery.attempts == 2
    assert [a.status_code for a in delivery.attempt_log.order_by("at", "pk")] == [500, 200]
    assert [r.signature_valid for r in receiver.received] == [True, True]
