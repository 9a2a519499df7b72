"""Queueing notifications through the outbox."""

import logging
import time
from datetime import timedelta

from django.conf import settings
from django.core.mail import send_mail
from django.db import transaction
from django.utils import timezone

from approvals.models import Notification
from governance.limits import PROSE, clip

log = logging.getLogger(__name__)


def notification_queue(*, recipient, subject: str, body: str) -> Notification | None:
    """Write the notification and send it once the surrounding transaction commits.

    Recipients without an e-mail address are skipped: there is nowhere to send to.
    """
    if not recipient.email:
        log.info("Not notifying %s: no e-mail address", recipient)
        return None
    notification = Notification.objects.create(recipient=recipient, subject=subject[:300], body=clip(body, PROSE))
    transaction.on_commit(lambda: enqueue_delivery(notification.pk))
    return notification


def enqueue_delivery(notification_id: int) -> None:
    """Hand a delivery to the broker. If it is unreachable the row stays unsent for the sweep."""
    from approvals.tasks import deliver_notification

    enqueue_safely(deliver_notification, notification_id)


# After a failed publish, skip the broker for a while rather than wait on it again for every task of the
# same request: a hung Redis costs its socket timeout once, not once per e-mail.
BROKER_BACKOFF_SECONDS = 30
_broker_down_until = 0.0


def enqueue_safely(task, *args, **kwargs) -> bool:
    """Queue a task after commit without letting a broker outage undo or fail what was committed.

    Every task queued this way has a sweep that finds its work again from the database.
    """
    global _broker_down_until
    if time.monotonic() < _broker_down_until:
        log.info("Broker marked down; %s%r left for its sweep", task.name, args or kwargs)
        return False
    try:
        task.delay(*args, **kwargs)
    except Exception:  # kombu raises several unrelated types for an unreachable broker
        _broker_down_until = time.monotonic() + BROKER_BACKOFF_SECONDS
        log.warning("Broker unreachable; %s%r left for its sweep", task.name, args or kwargs, exc_info=True)
        return False
    return True


class DeliveryFailed(Exception):
    pass


def notification_deliver(*, notification_id: int) -> str:
    """Send one notification unless it is sent already.

    1. Lock the row, so two workers never send the same e-mail.
    2. Count the attempt; send through Django's mail backend.
    3. Record the time sent, or the error (and raise DeliveryFailed for the caller to retry).
    """
    with transaction.atomic():
        notification = (
            Notification.objects.select_for_update().select_related("recipient").filter(pk=notification_id).first()
        )
        if notification is None:
            return "missing"
        if notification.sent_at is not None:
            return "already sent"
        notification.attempts += 1
        try:
            send_mail(
                notification.subject, notification.body, settings.DEFAULT_FROM_EMAIL, [notification.recipient.email]
            )
        except OSError as exc:
            notification.last_error = str(exc)[:2000] or exc.__class__.__name__
            notification.save(update_fields=["attempts", "last_error"])
            error = exc
        else:
            notification.sent_at = timezone.now()
            notification.last_error = ""
            notification.save(update_fields=["attempts", "sent_at", "last_error"])
            return "sent"
    raise DeliveryFailed(str(error)) from error


def notifications_pending(*, min_age: timedelta, max_attempts: int, limit: int = 500) -> list[int]:
    cutoff = timezone.now() - min_age
    return list(
        Notification.objects.filter(sent_at__isnull=True, created_at__lte=cutoff, attempts__lt=max_attempts)
        .order_by("created_at")
        .values_list("pk", flat=True)[:limit]
    )
