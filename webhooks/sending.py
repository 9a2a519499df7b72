"""Sending one delivery: a signed POST to the endpoint's registered address, never anywhere else.

A delivery is claimed in a short transaction (its attempt counted and its next try pushed past the time a
send can take), sent with no transaction open, and its outcome recorded in another: no row stays locked
while a slow server answers, two workers never send the same try, and a worker that dies mid-send leaves
the delivery to be tried again once its claim lapses, with that attempt counted.
"""

import hashlib
import hmac
import json
import logging
import time
import unicodedata
from dataclasses import dataclass
from datetime import timedelta

import requests
from django.conf import settings
from django.contrib.auth import get_user_model
from django.db import transaction
from django.db.models import F, Q
from django.urls import reverse
from django.utils import timezone

from approvals.notifications import notification_queue
from governance.history import save_with_history
from governance.roles import Role
from webhooks.models import ERROR_MAX_LENGTH, EXCERPT_MAX_LENGTH, Delivery, DeliveryAttempt, Endpoint
from webhooks.outbox import backoff

log = logging.getLogger(__name__)

USER_AGENT = "Clearance-Webhooks/1"
# Bytes read of an answer: the excerpt needs its first lines, and a huge or endless answer must not hold
# the worker.
READ_AT_MOST = 4096


def body_of(payload: dict) -> bytes:
    """The exact bytes sent, and signed."""
    return json.dumps(payload, ensure_ascii=False, separators=(",", ":"), sort_keys=True).encode()


def signature(secret: str, timestamp: int, body: bytes) -> str:
    """The hex HMAC-SHA256 of "<timestamp>.<body>" with the endpoint's secret."""
    return hmac.new(secret.encode(), f"{timestamp}.".encode() + body, hashlib.sha256).hexdigest()


def signed_headers(*, secret: str, body: bytes, event_type: str, delivery_id: int, timestamp: int) -> dict:
    return {
        "Content-Type": "application/json",
        "User-Agent": USER_AGENT,
        "Clearance-Event": event_type,
        "Clearance-Delivery": str(delivery_id),
        "Clearance-Signature": f"t={timestamp},v1={signature(secret, timestamp, body)}",
    }


@dataclass(frozen=True)
class Outcome:
    status_code: int | None
    error: str
    duration_ms: int
    excerpt: str

    @property
    def delivered(self) -> bool:
        return self.error == "" and self.status_code is not None and 200 <= self.status_code < 300


def readable(raw: bytes, limit: int) -> str:
    """Text to keep and show of what a server sent: decoded whatever it is, without control characters
    (NUL cannot even be stored), and cut to `limit`. The pages escape it when they show it."""
    text = raw.decode("utf-8", errors="replace")
    text = "".join(c if c in "\n\t" or unicodedata.category(c) not in {"Cc", "Cs"} else "\ufffd" for c in text)
    return text if len(text) <= limit else text[: limit - 1] + "\u2026"


def post(url: str, *, body: bytes, headers: dict) -> Outcome:
    """POST `body` to `url`, following no redirect, within the timeout; whatever happens is an Outcome."""
    timeout = settings.CLEARANCE_WEBHOOK_TIMEOUT_SECONDS
    started = time.monotonic()
    status_code, error, raw = None, "", b""
    with requests.Session() as session:
        session.trust_env = False  # the registered address, directly: no proxy or .netrc from the environment
        try:
            response = session.post(
                url, data=body, headers=headers, timeout=(timeout, timeout), allow_redirects=False, stream=True
            )
            try:
                status_code = response.status_code
                raw = response.raw.read(READ_AT_MOST, decode_content=True) or b""
            finally:
                response.close()
            if 300 <= status_code < 400:
                location = readable(response.headers.get("Location", "").encode(), 200)
                error = (
                    f"Redirect ({status_code}) to {location or 'nowhere'} not followed: deliveries go only to the "
                    "registered address."
                )
            elif not 200 <= status_code < 300:
                error = f"The endpoint answered {status_code}."
        except requests.Timeout:
            error = f"No answer within {timeout} s (timed out)."
        except requests.ConnectionError as exc:
            error = f"Could not connect: {exc.__class__.__name__}: {exc}"
        except Exception as exc:  # a malformed answer, an unreadable body: this attempt's failure, never the worker's
            error = f"{exc.__class__.__name__}: {exc}"
    duration_ms = int((time.monotonic() - started) * 1000)
    error = readable(error.encode(), ERROR_MAX_LENGTH)
    return Outcome(status_code, error, duration_ms, readable(raw, EXCERPT_MAX_LENGTH))


def _lease() -> timedelta:
    """How long a claimed delivery is left alone: longer than one send can take."""
    return timedelta(seconds=2 * settings.CLEARANCE_WEBHOOK_TIMEOUT_SECONDS + 60)


def delivery_send(*, delivery_id: int) -> str:
    """Try a delivery once, if it is due.

    1. Claim it: lock it; stop if it is not pending, not due, or its endpoint is disabled; a delivery that
       used its last attempt (a worker died mid-send) fails here. Count the attempt, push the next try
       past the lease. Commit.
    2. Sign and POST the payload (no transaction open).
    3. Record the attempt. Delivered: the endpoint's run of failures ends. Failed: the next try waits by
       the backoff, or the delivery fails for good at its attempt cap; the endpoint counts the failure and
       is disabled at CLEARANCE_WEBHOOK_DISABLE_AFTER in a row, the governance admins told.

    Returns "delivered", "retrying", "failed", or why nothing was sent.
    """
    now = timezone.now()
    with transaction.atomic():
        delivery = Delivery.objects.select_for_update().filter(pk=delivery_id).first()
        if delivery is None:
            return "missing"
        if delivery.status != Delivery.Status.PENDING:
            return delivery.status
        endpoint = Endpoint.objects.get(pk=delivery.endpoint_id)
        if not endpoint.is_active:
            return "endpoint disabled"
        if delivery.next_attempt_at > now:
            return "not due"
        if delivery.attempts >= settings.CLEARANCE_WEBHOOK_MAX_ATTEMPTS:
            delivery.status = Delivery.Status.FAILED
            delivery.save(update_fields=["status"])
            return "failed"
        delivery.attempts += 1
        delivery.next_attempt_at = now + _lease()
        delivery.save(update_fields=["attempts", "next_attempt_at"])
        url, secret = endpoint.url, endpoint.secret

    body = body_of(delivery.payload)
    headers = signed_headers(
        secret=secret, body=body, event_type=delivery.type, delivery_id=delivery.pk, timestamp=int(time.time())
    )
    outcome = post(url, body=body, headers=headers)
    return _record(delivery.pk, outcome, attempted_at=now)


@transaction.atomic
def _record(delivery_id: int, outcome: Outcome, *, attempted_at) -> str:
    delivery = Delivery.objects.select_for_update().get(pk=delivery_id)
    DeliveryAttempt.objects.create(
        delivery=delivery,
        at=attempted_at,
        status_code=outcome.status_code,
        error=outcome.error,
        duration_ms=outcome.duration_ms,
        response_excerpt=outcome.excerpt,
    )
    endpoint = Endpoint.objects.select_for_update().get(pk=delivery.endpoint_id)
    now = timezone.now()
    if outcome.delivered:
        delivery.status, delivery.delivered_at = Delivery.Status.DELIVERED, now
        delivery.save(update_fields=["status", "delivered_at"])
        Endpoint.objects.filter(pk=endpoint.pk).update(consecutive_failures=0)
        return "delivered"
    if delivery.attempts >= settings.CLEARANCE_WEBHOOK_MAX_ATTEMPTS:
        delivery.status = Delivery.Status.FAILED
        delivery.save(update_fields=["status"])
        result = "failed"
        log.warning("Webhook delivery %s failed after %s attempts: %s", delivery.pk, delivery.attempts, outcome.error)
    else:
        delivery.next_attempt_at = now + backoff(delivery.attempts)
        delivery.save(update_fields=["next_attempt_at"])
        result = "retrying"
    Endpoint.objects.filter(pk=endpoint.pk).update(consecutive_failures=F("consecutive_failures") + 1)
    endpoint.refresh_from_db(fields=["consecutive_failures"])
    if endpoint.is_active and endpoint.consecutive_failures >= settings.CLEARANCE_WEBHOOK_DISABLE_AFTER:
        _disable_for_failures(endpoint, outcome)
    return result


def _disable_for_failures(endpoint: Endpoint, outcome: Outcome) -> None:
    endpoint.disabled_at = timezone.now()
    endpoint.disabled_reason = (
        f"Disabled after {endpoint.consecutive_failures} failed attempts in a row. The last: {outcome.error}"
    )[:2000]
    save_with_history(endpoint, user=None, reason="Disabled after repeated failures")
    admins = get_user_model().objects.filter(Q(groups__name=Role.ADMIN) | Q(is_superuser=True), is_active=True)
    link = reverse("webhook_endpoint", kwargs={"pk": endpoint.pk})
    body = (
        f"The webhook endpoint {endpoint.url} failed {endpoint.consecutive_failures} times in a row and is "
        f"disabled: nothing more is sent to it until a governance admin enables it again. Its deliveries wait.\n\n"
        f"The last attempt: {outcome.error}"
    )
    for admin in admins.distinct().order_by("pk"):
        notification_queue(recipient=admin, subject=f"Webhook endpoint disabled: {endpoint.url}", body=body, link=link)
