"""Governance admins see the notifications that failed for good and queue them again."""

from unittest import mock

import pytest
from django.contrib.auth.models import Permission
from django.core import mail
from django.utils import timezone
from kombu.exceptions import OperationalError as BrokerDown

from approvals.models import Notification
from approvals.tasks import deliver_notification, deliver_pending_notifications
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db

CHANGELIST = "/admin/approvals/notification/"


def failed(recipient, subject="UC-2026-0001 approved"):
    return Notification.objects.create(
        recipient=recipient,
        subject=subject,
        body="b",
        attempts=5,
        last_error="SMTPServerDisconnected: Connection unexpectedly closed",
        failed_at=timezone.now(),
    )


def retry(client, *notifications):
    return client.post(CHANGELIST, {"action": "retry", "_selected_action": [n.pk for n in notifications]}, follow=True)


def test_failed_notifications_are_listed_with_their_error(client, governance_admin, alice):
    failed(alice)
    Notification.objects.create(recipient=alice, subject="UC-2026-0002 approved", body="b", sent_at=timezone.now())
    client.force_login(governance_admin)

    response = client.get(CHANGELIST, {"state": "failed"})
    assert response.status_code == 200
    assert "UC-2026-0001 approved" in response.text
    assert "UC-2026-0002 approved" not in response.text
    assert "Connection unexpectedly closed" in response.text
    assert '<option value="retry">' in response.text


def test_it_retries_a_failed_notification(
    client, governance_admin, alice, celery_eager, django_capture_on_commit_callbacks
):
    notification = failed(alice)
    sent = Notification.objects.create(recipient=alice, subject="sent", body="b", attempts=1, sent_at=timezone.now())
    client.force_login(governance_admin)

    with django_capture_on_commit_callbacks(execute=True):
        response = retry(client, notification, sent)
    assert response.status_code == 200
    assert "1 notification(s) queued again." in response.text
    notification.refresh_from_db()
    assert notification.failed_at is None
    assert notification.sent_at is not None
    assert notification.attempts == 1
    assert notification.last_error == ""
    assert [m.subject for m in mail.outbox] == ["UC-2026-0001 approved"]
    sent.refresh_from_db()
    assert sent.attempts == 1


def test_a_retried_notification_waits_for_the_sweep_when_the_broker_is_down(
    client, governance_admin, alice, django_capture_on_commit_callbacks
):
    notification = failed(alice)
    client.force_login(governance_admin)
    with (
        mock.patch.object(deliver_notification, "delay", side_effect=BrokerDown("down")) as delay,
        django_capture_on_commit_callbacks(execute=True),
    ):
        retry(client, notification)
    assert delay.called
    notification.refresh_from_db()
    assert (notification.failed_at, notification.attempts, notification.sent_at) == (None, 0, None)
    assert deliver_pending_notifications(min_age_seconds=0) == 1


def test_staff_without_the_governance_admin_role_cannot_retry(client, alice):
    viewer = UserFactory(username="val", is_staff=True)
    viewer.user_permissions.add(Permission.objects.get(codename="view_notification"))
    notification = failed(alice)
    client.force_login(viewer)

    response = client.get(CHANGELIST)
    assert response.status_code == 200
    assert '<option value="retry">' not in response.text
    retry(client, notification)
    notification.refresh_from_db()
    assert notification.failed_at is not None
    assert mail.outbox == []


def test_reviewers_cannot_open_or_retry(client, bob, alice):
    notification = failed(alice)
    client.force_login(bob)
    response = client.post(CHANGELIST, {"action": "retry", "_selected_action": [notification.pk]})
    assert response.status_code == 302
    assert response.url.startswith("/admin/login/")
    notification.refresh_from_db()
    assert notification.failed_at is not None
