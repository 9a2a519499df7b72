"""The webhook outbox: writing a delivery per subscribed endpoint in the transaction that records an
event, queueing its sending on commit, and finding the deliveries that are due again."""

import logging
from datetime import datetime, timedelta

from django.conf import settings
from django.db import transaction
from django.utils import timezone

from approvals.models import ApprovalEvent
from approvals.notifications import enqueue_safely, site_link
from identity.services import name_of
from webhooks.models import TYPE_OF_VERB, Delivery, Endpoint

log = logging.getLogger(__name__)


def _iso(moment) -> str | None:
    return moment.isoformat() if moment is not None else None


def event_payload(event: ApprovalEvent, event_type: str) -> dict:
    """What an endpoint receives about `event`: the use case and round as they stand when it happened."""
    use_case, round = event.use_case, event.round
    data = dict(event.data or {})
    return {
        "id": event.pk,
        "type": event_type,
        "verb": event.verb,
        "created_at": _iso(event.created_at),
        "use_case": {
            "reference": use_case.reference,
            "title": use_case.title,
            "status": use_case.status,
            "url": site_link(use_case.get_absolute_url()),
        },
        "round": (
            {
                "number": round.number,
                "status": round.status,
                "expires_on": round.expires_on.isoformat() if round.expires_on else None,
            }
            if round is not None
            else None
        ),
        "actor": name_of(event.actor) if event.actor_id else None,
        "reason": data.get("reason") or None,
        "data": data,
    }


def deliveries_enqueue(*, event: ApprovalEvent) -> list[Delivery]:
    """Write a delivery of `event` for each active endpoint subscribed to its type, inside the caller's
    transaction, and queue each one's sending once it commits. Events of no type send nothing."""
    event_type = TYPE_OF_VERB.get(event.verb)
    if event_type is None:
        return []
    # The subscriptions are a short JSON list per endpoint, and endpoints are few: read in Python, which
    # every database supports (JSON containment is not a lookup SQLite has).
    active = Endpoint.objects.filter(disabled_at__isnull=True).only("event_types")
    endpoints = [endpoint for endpoint in active if event_type in endpoint.event_types]
    if not endpoints:
        return []
    payload = event_payload(event, event_type)
    now = timezone.now()
    deliveries = Delivery.objects.bulk_create(
        [
            Delivery(endpoint=e, event=event, type=event_type, payload=payload, created_at=now, next_attempt_at=now)
            for e in endpoints
        ]
    )
    for delivery in deliveries:
        queue_on_commit(delivery.pk)
    return deliveries


def queue_on_commit(delivery_id: int) -> None:
    transaction.on_commit(lambda: enqueue(delivery_id))


def enqueue(delivery_id: int) -> bool:
    """Hand a delivery to the broker. Where tasks run in-process (no broker), to this process's background
    thread instead, so that the decision that caused it never waits on someone else's server; tests turn
    that off (CLEARANCE_RENDER_IN_BACKGROUND) to read the outcome at once. If the broker is down the row
    stays pending for the sweep."""
    from approvals import background
    from webhooks.tasks import deliver_webhook

    if deliver_webhook.app.conf.task_always_eager and getattr(settings, "CLEARANCE_RENDER_IN_BACKGROUND", True):
        return background.submit(deliver_webhook, delivery_id)
    return enqueue_safely(deliver_webhook, delivery_id)


def backoff(attempts: int) -> timedelta:
    """How long to wait after the `attempts`-th failed attempt: 1 min, 5 min, 30 min, 2 h, 12 h, then a day."""
    steps = settings.CLEARANCE_WEBHOOK_BACKOFF_SECONDS
    return timedelta(seconds=steps[min(max(attempts, 1), len(steps)) - 1])


def deliveries_due(*, now: datetime | None = None, limit: int = 200) -> list[int]:
    """Pending deliveries whose time has come, to active endpoints, oldest first."""
    return list(
        Delivery.objects.filter(
            status=Delivery.Status.PENDING,
            next_attempt_at__lte=now or timezone.now(),
            endpoint__disabled_at__isnull=True,
        )
        .order_by("next_attempt_at", "pk")
        .values_list("pk", flat=True)[:limit]
    )
