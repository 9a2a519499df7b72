from unittest import mock

import pytest
from django.core import mail
from django.utils import timezone
from kombu.exceptions import OperationalError as BrokerDown

from approvals.models import Notification
from approvals.notifications import notification_queue
from approvals.tasks import deliver_notification, deliver_pending_notifications
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


def test_a_queued_notification_is_sent_when_the_transaction_commits(
    alice, celery_eager, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        notification = notification_queue(recipient=alice, subject="UC-2026-0001 needs you", body="Please review.")
        assert mail.outbox == []
    notification.refresh_from_db()
    assert notification.sent_at is not None
    assert notification.attempts == 1
    assert [m.to for m in mail.outbox] == [["alice@example.com"]]
    assert mail.outbox[0].subject == "UC-2026-0001 needs you"


def test_nothing_is_sent_when_the_transaction_rolls_back(alice, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        notification_queue(recipient=alice, subject="s", body="b")
    assert len(callbacks) == 1
    assert mail.outbox == []


def test_a_user_without_email_is_skipped(db):
    assert notification_queue(recipient=UserFactory(username="noemail", email=""), subject="s", body="b") is None
    assert Notification.objects.count() == 0


def test_a_broker_that_is_down_loses_nothing(alice, django_capture_on_commit_callbacks):
    with (
        mock.patch.object(deliver_notification, "delay", side_effect=BrokerDown("Connection refused")),
        django_capture_on_commit_callbacks(execute=True),
    ):
        notification = notification_queue(recipient=alice, subject="Decision", body="Approved.")
    notification.refresh_from_db()
    assert notification.sent_at is None
    assert mail.outbox == []

    assert deliver_pending_notifications(min_age_seconds=0) == 1
    notification.refresh_from_db()
    assert notification.sent_at is not None
    assert len(mail.outbox) == 1


def test_delivery_is_never_repeated(alice):
    notification = Notification.objects.create(recipient=alice, subject="s", body="b", sent_at=timezone.now())
    assert deliver_notification.apply(args=[notification.pk]).get() == "already sent"
    assert deliver_pending_notifications(min_age_seconds=0) == 0
    assert mail.outbox == []


def test_a_failing_mail_server_is_recorded_and_retried_by_the_sweep(alice):
    notification = Notification.objects.create(recipient=alice, subject="s", body="b")
    with mock.patch("approvals.notifications.send_mail", side_effect=ConnectionRefusedError("smtp down")):
        assert deliver_pending_notifications(min_age_seconds=0) == 0
    notification.refresh_from_db()
    assert notification.sent_at is None
    assert notification.attempts == 1
    assert "smtp down" in notification.last_error
    assert deliver_pending_notifications(min_age_seconds=0) == 1


def test_after_one_failed_publish_the_broker_is_skipped_for_a_while():
    from approvals.notifications import enqueue_safely

    with mock.patch.object(deliver_notification, "delay", side_effect=BrokerDown("down")) as delay:
        assert enqueue_safely(deliver_notification, 1) is False
        assert enqueue_safely(deliver_notification, 2) is False
        assert enqueue_safely(deliver_notification, 3) is False
    assert delay.call_count == 1
