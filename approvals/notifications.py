"""Queueing notifications through the outbox."""

import logging
import re
import time
import unicodedata
from datetime import timedelta

import redis
from django.conf import settings
from django.core.mail import send_mail
from django.db import transaction
from django.utils import timezone
from kombu.exceptions import OperationalError as KombuOperationalError

from approvals.models import Notification
from governance.limits import PROSE, clip

log = logging.getLogger(__name__)

# Long enough for a reference and a reason's first words; mail clients cut subjects shorter anyway.
SUBJECT_MAX_LENGTH = 200
# Control and format characters, and the Unicode line and paragraph separators: none belongs in a header.
_UNSAFE_CATEGORIES = {"Cc", "Cf", "Cs", "Zl", "Zp"}


def header_safe(text: str, *, max_length: int = SUBJECT_MAX_LENGTH) -> str:
    """One line of printable text for an e-mail header: whatever a user typed (a revoke reason ends up in a
    subject) must never add a header line, or make the mail library refuse the message."""
    cleaned = "".join(" " if unicodedata.category(c) in _UNSAFE_CATEGORIES else c for c in text)
    cleaned = re.sub(r"\s+", " ", cleaned).strip()
    if len(cleaned) > max_length:
        cleaned = cleaned[: max_length - 1].rstrip() + "\u2026"
    return cleaned


LINK_MAX_LENGTH = 500


def site_link(path: str) -> str:
    """The absolute address of `path` on this site, as an e-mail carries it (`SITE_URL`)."""
    return f"{settings.SITE_URL}{path}"


def is_site_path(link: str) -> bool:
    """A path on this site (never another host: the inbox redirects to it)."""
    return link.startswith("/") and not link.startswith("//") and "\\" not in link and len(link) <= LINK_MAX_LENGTH


def notification_queue(*, recipient, subject: str, body: str, link: str) -> Notification | None:
    """Write the notification and send it once the surrounding transaction commits.

    Every notification is queued here, so this is where its subject is made header-safe. It is also the
    recipient's inbox entry: `link` is the path of the exact page to act on (a sign-off, a condition, a
    message of a discussion), which the e-mail carries in full unless its body already does. Recipients
    without an e-mail address are skipped: there is nowhere to send to.
    """
    if not is_site_path(link):
        raise ValueError(f"A notification links to a path on this site, not {link!r}.")
    if not recipient.email:
        log.info("Not notifying %s: no e-mail address", recipient)
        return None
    address = site_link(link)
    # The link is kept whole even when a long body is cut to fit.
    suffix = "" if address in body else f"\n\nOpen it: {address}"
    notification = Notification.objects.create(
        recipient=recipient, subject=header_safe(subject), body=clip(body, PROSE - len(suffix)) + suffix, link=link
    )
    transaction.on_commit(lambda: enqueue_delivery(notification.pk))
    return notification


def enqueue_delivery(notification_id: int) -> None:
    """Hand a delivery to the broker. If it is unreachable the row stays unsent for the sweep."""
    from approvals.tasks import deliver_notification

    enqueue_safely(deliver_notification, notification_id)


# What an unreachable or hung broker raises on publish: kombu wraps most, redis-py and sockets the rest.
BROKER_ERRORS = (KombuOperationalError, redis.ConnectionError, redis.TimeoutError, OSError)

# After a failed publish, skip the broker for a while rather than wait on it again for every task of the
# same request: a hung Redis costs its socket timeout once, not once per e-mail.
BROKER_BACKOFF_SECONDS = 30
_broker_down_until = 0.0


def enqueue_safely(task, *args, **kwargs) -> bool:
    """Queue a task after commit without letting a broker outage undo or fail what was committed.

    Every task queued this way has a sweep that finds its work again from the database. Where tasks run
    in-process (no broker), the renders go to this process's background thread instead
    (`approvals.background`), so that the request that asked for one does not wait for the document.
    """
    from approvals import background

    if background.takes(task):
        return background.submit(task, *args, **kwargs)
    return enqueue_now(task, *args, **kwargs)


def enqueue_now(task, *args, **kwargs) -> bool:
    """`enqueue_safely` without the background thread: publish to the broker, or run it here."""
    global _broker_down_until
    if time.monotonic() < _broker_down_until:
        log.info("Broker marked down; %s%r left for its sweep", task.name, args or kwargs)
        return False
    try:
        task.delay(*args, **kwargs)
    except Exception as exc:
        if not _is_broker_error(exc):
            # Tasks run in-process (no broker configured) raise their own errors here. That says nothing
            # about a broker, so the next task is queued as usual; this one's work waits for its sweep.
            log.exception("%s%r failed; left for its sweep", task.name, args or kwargs)
            return False
        _broker_down_until = time.monotonic() + BROKER_BACKOFF_SECONDS
        log.warning("Broker unreachable; %s%r left for its sweep", task.name, args or kwargs, exc_info=True)
        return False
    return True


def _is_broker_error(exc: BaseException | None) -> bool:
    """A broker error, or an error raised from one: Celery's Redis result backend, failing to subscribe to
    a task's result, raises RuntimeError from the redis ConnectionError."""
    while exc is not None:
        if isinstance(exc, BROKER_ERRORS):
            return True
        exc = exc.__cause__
    return False


class DeliveryFailed(Exception):
    """A delivery failed and the notification has attempts left."""


def notification_deliver(*, notification_id: int) -> str:
    """Send one notification unless it is sent or failed already.

    1. Lock the row, so two workers never send the same e-mail.
    2. Count the attempt; send through Django's mail backend.
    3. Record the time sent; or, whatever the backend raised, the error, and the time the notification
       failed for good once it used its last attempt. Either is committed with the attempt, so one
       notification that cannot be sent never holds back the others.
    4. Raise DeliveryFailed when attempts are left, for the caller to retry.
    """
    with transaction.atomic():
        notification = (
            Notification.objects.select_for_update().select_related("recipient").filter(pk=notification_id).first()
        )
        if notification is None:
            return "missing"
        if notification.sent_at is not None:
            return "already sent"
        if notification.failed_at is not None:
            return "failed"
        notification.attempts += 1
        try:
            send_mail(
                notification.subject, notification.body, settings.DEFAULT_FROM_EMAIL, [notification.recipient.email]
            )
        except Exception as exc:  # a bad header, a refused recipient, a backend bug: all are this row's
            notification.last_error = f"{exc.__class__.__name__}: {exc}"[:2000]
            if notification.attempts >= settings.CLEARANCE_NOTIFICATION_MAX_ATTEMPTS:
                notification.failed_at = timezone.now()
            notification.save(update_fields=["attempts", "last_error", "failed_at"])
            error = exc
        else:
            notification.sent_at = timezone.now()
            notification.last_error = ""
            notification.save(update_fields=["attempts", "sent_at", "last_error"])
            return "sent"
    if notification.failed_at is not None:
        log.error("Notification %s failed after %s attempts: %s", notification_id, notification.attempts, error)
        return "failed"
    raise DeliveryFailed(notification.last_error) from error


def notifications_pending(*, min_age: timedelta, limit: int = 500) -> list[int]:
    """Unsent notifications with attempts left, oldest first."""
    cutoff = timezone.now() - min_age
    return list(
        Notification.objects.filter(sent_at__isnull=True, failed_at__isnull=True, created_at__lte=cutoff)
        .order_by("created_at")
        .values_list("pk", flat=True)[:limit]
    )


def notifications_retry(*, notification_ids) -> int:
    """Give failed or waiting notifications their attempts back and queue their delivery (a governance
    admin's action, once the cause is fixed). Sent ones are left alone. Returns how many were reset."""
    with transaction.atomic():
        ids = list(
            Notification.objects.select_for_update()
            .filter(pk__in=list(notification_ids), sent_at__isnull=True)
            .values_list("pk", flat=True)
        )
        Notification.objects.filter(pk__in=ids).update(attempts=0, failed_at=None)
        for pk in ids:
            transaction.on_commit(lambda pk=pk: enqueue_delivery(pk))
    return len(ids)


# --- The inbox: the same notifications, read in the application ---------------------------------------


def inbox_of(user):
    """`user`'s notifications, newest first: their inbox."""
    return (
        Notification.objects.filter(recipient=user)
        .only("subject", "link", "created_at", "read_at")
        .order_by("-created_at", "-pk")
    )


def unread_count(user) -> int:
    """How many of `user`'s notifications are unread (one query, on the unread index)."""
    return Notification.objects.filter(recipient=user, read_at__isnull=True).count()


def notification_mark_read(*, notification: Notification, user) -> bool:
    """Mark `user`'s own `notification` read, once (the first reading is the one kept). Returns whether
    it was unread."""
    if notification.recipient_id != user.pk:
        raise PermissionError("An inbox entry is read by its recipient only.")
    return bool(
        Notification.objects.filter(pk=notification.pk, recipient=user, read_at__isnull=True).update(
            read_at=timezone.now()
        )
    )


def notifications_mark_all_read(*, user) -> int:
    """Mark every unread notification of `user` read. Returns how many."""
    return Notification.objects.filter(recipient=user, read_at__isnull=True).update(read_at=timezone.now())
