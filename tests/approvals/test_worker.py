"""The PostgreSQL + Redis leg: a real Celery worker takes tasks from Redis and returns results through it."""

import pytest
from celery.contrib.testing.worker import start_worker
from django.conf import settings
from django.core import mail
from django.db import connection, transaction

from approvals.models import Notification
from approvals.notifications import notification_queue
from approvals.tasks import deliver_notification
from config.celery import app
from tests.factories import UserFactory

pytestmark = [pytest.mark.broker, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def worker():
    app.control.purge()  # tasks queued by other tests refer to rows they rolled back
    with start_worker(app, pool="solo", perform_ping_check=False, shutdown_timeout=10):
        yield


def test_the_configuration_is_the_real_one():
    assert settings.REDIS_URL
    assert app.conf.task_always_eager is False
    assert app.conf.broker_url.startswith("redis")
    assert type(app.backend).__name__ == "RedisBackend"


def test_a_worker_delivers_through_redis_and_the_result_comes_back(worker):
    recipient = UserFactory(username="dana")
    with transaction.atomic():
        notification = notification_queue(recipient=recipient, subject="Round 1 decided", body="Approved.", link="/")
    # Queued on commit: the worker picks it up from Redis.
    result = deliver_notification.delay(notification.pk)
    assert result.get(timeout=30) in {"sent", "already sent"}
    assert result.backend.__class__.__name__ == "RedisBackend"
    notification.refresh_from_db()
    assert notification.sent_at is not None
    assert [m.subject for m in mail.outbox] == ["Round 1 decided"]


@pytest.mark.skipif(not settings.DATABASES["default"]["ENGINE"].endswith("postgresql"), reason="PostgreSQL leg")
def test_the_postgresql_leg_really_uses_postgresql():
    assert connection.vendor == "postgresql"
    assert Notification.objects.count() == 0
