"""Background work for webhooks: send one delivery, and sweep for the ones that are due."""

import logging
import time

from celery import shared_task
from celery.exceptions import SoftTimeLimitExceeded
from django.conf import settings

from webhooks.outbox import backoff, deliveries_due
from webhooks.sending import delivery_send

log = logging.getLogger(__name__)

# One send takes at most the connect and read timeouts; the limits leave room for the database around it.
SEND_LIMITS = {
    "soft_time_limit": 2 * settings.CLEARANCE_WEBHOOK_TIMEOUT_SECONDS + 30,
    "time_limit": 2 * settings.CLEARANCE_WEBHOOK_TIMEOUT_SECONDS + 60,
}
SWEEP_LIMITS = {"soft_time_limit": 150, "time_limit": 180}
# The sweep stops taking deliveries after this long, well inside its soft limit; the rest wait a minute.
SWEEP_BUDGET_SECONDS = 100


# The delivery's own attempt cap (CLEARANCE_WEBHOOK_MAX_ATTEMPTS) ends the retries: a delivery that used
# its last attempt is failed. max_retries is only a backstop above it.
@shared_task(bind=True, max_retries=20, **SEND_LIMITS)
def deliver_webhook(self, delivery_id: int) -> str:
    """Send one delivery; when it failed with attempts left, try again after its backoff."""
    try:
        result = delivery_send(delivery_id=delivery_id)
    except SoftTimeLimitExceeded:
        log.error("Webhook delivery %s ran out of time; its claim lapses and the sweep tries it again", delivery_id)
        return "timed out"
    if result == "retrying" and not self.request.is_eager:
        from webhooks.models import Delivery

        attempts = Delivery.objects.filter(pk=delivery_id).values_list("attempts", flat=True).first() or 1
        # The sweep would find it too; this keeps the backoff's timing finer than the sweep's minute.
        raise self.retry(countdown=backoff(attempts).total_seconds())
    return result


@shared_task(**SWEEP_LIMITS)
def deliver_due_webhooks(limit: int = 200) -> int:
    """Send the pending deliveries whose time has come (the broker was down, a worker died, a retry is
    due). One delivery's failure is recorded on it and never stops the others. Returns how many were
    delivered."""
    delivered, started = 0, time.monotonic()
    for delivery_id in deliveries_due(limit=limit):
        if time.monotonic() - started > SWEEP_BUDGET_SECONDS:
            break
        try:
            delivered += delivery_send(delivery_id=delivery_id) == "delivered"
        except SoftTimeLimitExceeded:
            break
        except Exception:
            log.exception("Webhook delivery %s could not be attempted; it stays pending", delivery_id)
    return delivered
