import smtplib
from unittest import mock

import pytest
from celery.exceptions import Retry
from django.core import mail
from django.utils import timezone
from kombu.exceptions import OperationalError as BrokerDown

from approvals.models import Notification
from approvals.notifications import SUBJECT_MAX_LENGTH, notification_queue
from approvals.services import approval_revoke
from approvals.tasks import deliver_notification, deliver_pending_notifications
from tests.approvals.workflow import approved_use_case, subjects
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


def test_a_queued_notification_is_sent_when_the_transaction_commits(
    alice, celery_eager, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        notification = notification_queue(
            recipient=alice, subject="UC-2026-0001 needs you", body="Please review.", link="/"
        )
        assert mail.outbox == []
    notification.refresh_from_db()
    assert notification.sent_at is not None
    assert notification.attempts == 1
    assert [m.to for m in mail.outbox] == [["alice@example.com"]]
    assert mail.outbox[0].subject == "UC-2026-0001 needs you"


def test_nothing_is_sent_when_the_transaction_rolls_back(alice, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        notification_queue(recipient=alice, subject="s", body="b", link="/")
    assert len(callbacks) == 1
    assert mail.outbox == []


def test_a_user_without_email_is_skipped(db):
    assert (
        notification_queue(recipient=UserFactory(username="noemail", email=""), subject="s", body="b", link="/") is None
    )
    assert Notification.objects.count() == 0


def test_a_broker_that_is_down_loses_nothing(alice, django_capture_on_commit_callbacks):
    with (
        mock.patch.object(deliver_notification, "delay", side_effect=BrokerDown("Connection refused")),
        django_capture_on_commit_callbacks(execute=True),
    ):
        notification = notification_queue(recipient=alice, subject="Decision", body="Approved.", link="/")
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


# Poison messages: one notification that cannot be sent never stops the others.


def test_a_revoke_reason_with_line_breaks_reaches_no_header(
    alice, team, celery_eager, django_capture_on_commit_callbacks
):
    use_case, _ = approved_use_case(alice, team)
    mail.outbox.clear()
    reason = "Vendor left.\r\nBcc: everyone@example.com\x07\x1b[31m\tnow\u2028 \x7f  gone\x85"
    with django_capture_on_commit_callbacks(execute=True):
        approval_revoke(use_case=use_case, user=team["executive"], reason=reason)

    expected = f"{use_case.reference} revoked: Vendor left. Bcc: everyone@example.com [31m now gone"
    assert subjects(alice)[-1] == expected
    revoked = Notification.objects.filter(subject=expected)
    assert revoked.exists()
    assert not revoked.filter(sent_at__isnull=True).exists()
    sent = [m for m in mail.outbox if m.to == [alice.email]]
    assert [m.subject for m in sent] == [expected]
    assert sent[0].message()["Bcc"] is None


def test_a_subject_is_collapsed_and_capped(alice):
    notification = notification_queue(
        recipient=alice, subject="  a \t\n b  " + "x" * 500, body="line one\nline two", link="/"
    )
    assert notification.subject.startswith("a b xxx")
    assert len(notification.subject) == SUBJECT_MAX_LENGTH
    assert notification.subject.endswith("\u2026")
    assert notification.body.startswith("line one\nline two\n")  # the body keeps its lines


def poison(recipient, **fields):
    """A row written before subjects were cleaned: its subject is refused by the mail library."""
    return Notification.objects.create(recipient=recipient, subject="revoked: a\r\nb", body="b", **fields)


def test_a_poison_notification_does_not_stop_later_ones(alice):
    bad = poison(alice)
    good = Notification.objects.create(recipient=alice, subject="UC-2026-0002 approved", body="b")

    assert deliver_pending_notifications(min_age_seconds=0) == 1
    bad.refresh_from_db()
    good.refresh_from_db()
    assert good.sent_at is not None
    assert (bad.sent_at, bad.attempts, bad.failed_at) == (None, 1, None)
    assert bad.last_error.startswith("BadHeaderError")
    assert [m.subject for m in mail.outbox] == ["UC-2026-0002 approved"]


@pytest.mark.parametrize(
    "error",
    [smtplib.SMTPRecipientsRefused({"alice@example.com": (550, b"no")}), RuntimeError("backend bug"), ValueError("x")],
)
def test_any_error_of_the_mail_backend_is_recorded_on_the_row(alice, error):
    notification = Notification.objects.create(recipient=alice, subject="s", body="b")
    with mock.patch("approvals.notifications.send_mail", side_effect=error):
        assert deliver_pending_notifications(min_age_seconds=0) == 0
    notification.refresh_from_db()
    assert notification.attempts == 1
    assert notification.last_error.startswith(error.__class__.__name__)


def test_after_the_last_attempt_a_notification_is_failed_and_skipped(alice, settings):
    settings.CLEARANCE_NOTIFICATION_MAX_ATTEMPTS = 2
    bad = poison(alice)
    assert deliver_pending_notifications(min_age_seconds=0) == 0
    bad.refresh_from_db()
    assert bad.failed_at is None
    assert deliver_pending_notifications(min_age_seconds=0) == 0
    bad.refresh_from_db()
    assert bad.failed_at is not None
    assert bad.attempts == 2
    assert bad.last_error.startswith("BadHeaderError")

    with mock.patch("approvals.notifications.send_mail") as send:
        assert deliver_pending_notifications(min_age_seconds=0) == 0
        assert deliver_notification.apply(args=[bad.pk]).get() == "failed"
    send.assert_not_called()
    bad.refresh_from_db()
    assert bad.attempts == 2


def test_the_delivery_task_retries_until_the_row_is_failed(alice, settings):
    settings.CLEARANCE_NOTIFICATION_MAX_ATTEMPTS = 2
    bad = poison(alice)
    with mock.patch.object(deliver_notification, "retry", return_value=Retry()) as retry:
        with pytest.raises(Retry):
            deliver_notification.run(bad.pk)
        assert retry.call_count == 1
        assert deliver_notification.run(bad.pk) == "failed"
        assert retry.call_count == 1
    bad.refresh_from_db()
    assert (bad.attempts, bad.failed_at is not None) == (2, True)


def test_an_eager_delivery_leaves_a_failure_to_the_sweep(alice):
    """In-process, a retry would run at once inside the request that queued it: the sweep retries instead."""
    bad = poison(alice)
    assert deliver_notification.apply(args=[bad.pk]).get() == "pending"
    bad.refresh_from_db()
    assert (bad.attempts, bad.failed_at) == (1, None)


def test_a_poison_notification_queued_eagerly_does_not_mark_the_broker_down(
    alice, celery_eager, django_capture_on_commit_callbacks, caplog
):
    from approvals import notifications

    with django_capture_on_commit_callbacks(execute=True):
        bad = poison(alice)
        notifications.transaction.on_commit(lambda: notifications.enqueue_delivery(bad.pk))
        notification_queue(recipient=alice, subject="UC-2026-0003 approved", body="b", link="/")
    assert notifications._broker_down_until == 0.0
    assert [m.subject for m in mail.outbox] == ["UC-2026-0003 approved"]
    assert not any(r.getMessage().startswith("Broker unreachable") for r in caplog.records)
