"""What governance admins do with webhooks: register an endpoint (its secret shown once), disable and
enable it, rotate its secret, send a test delivery, retry a failed delivery, delete an endpoint. Each
checks the actor first; each change of an endpoint is in its history with who did it."""

import secrets

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from governance.history import save_with_history
from governance.limits import NOTE, refuse_overlong
from identity.services import name_of
from webhooks.addresses import endpoint_url_checked
from webhooks.models import PING, Delivery, Endpoint, EventType
from webhooks.outbox import queue_on_commit
from webhooks.permissions import refuse_unless_manager

SECRET_PREFIX = "whsec_"


def secret_new() -> str:
    return SECRET_PREFIX + secrets.token_urlsafe(32)


def _checked_event_types(event_types) -> list[str]:
    chosen = [str(value) for value in event_types or []]
    unknown = sorted(set(chosen) - set(EventType.values))
    if unknown:
        raise ValidationError({"event_types": f"There is no event type {', '.join(unknown)}."})
    if not chosen:
        raise ValidationError({"event_types": "Choose at least one event type to send."})
    return [value for value in EventType.values if value in chosen]


def _locked(endpoint: Endpoint) -> Endpoint:
    return Endpoint.objects.select_for_update().get(pk=endpoint.pk)


@transaction.atomic
def endpoint_create(*, user, url: str, event_types, description: str = "") -> tuple[Endpoint, str]:
    """Register an endpoint. Returns it and its secret, which is never shown again.

    1. Only a governance admin registers one.
    2. The address is checked (webhooks.addresses): http or https, no credentials, https unless local.
    3. At least one known event type.
    """
    refuse_unless_manager(user)
    refuse_overlong(description=(description, NOTE))
    url = endpoint_url_checked(url)
    event_types = _checked_event_types(event_types)
    secret = secret_new()
    endpoint = Endpoint(
        url=url, description=(description or "").strip(), event_types=event_types, secret=secret, created_by=user
    )
    save_with_history(endpoint, user=user, reason="Registered")
    return endpoint, secret


@transaction.atomic
def endpoint_disable(*, user, endpoint: Endpoint, reason: str) -> Endpoint:
    """Stop sending to an endpoint. Its pending deliveries wait, and go once it is enabled again."""
    refuse_unless_manager(user)
    refuse_overlong(reason=(reason, NOTE))
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError({"reason": "Say why the endpoint is disabled."})
    endpoint = _locked(endpoint)
    if not endpoint.is_active:
        raise ValidationError("This endpoint is disabled already.")
    endpoint.disabled_at = timezone.now()
    endpoint.disabled_reason = f"{reason} ({name_of(user)})"[:NOTE]
    save_with_history(endpoint, user=user, reason=f"Disabled: {reason}")
    return endpoint


@transaction.atomic
def endpoint_enable(*, user, endpoint: Endpoint) -> Endpoint:
    """Send to a disabled endpoint again, its run of failures forgotten; the deliveries that waited are sent
    as they come due."""
    refuse_unless_manager(user)
    endpoint = _locked(endpoint)
    if endpoint.is_active:
        raise ValidationError("This endpoint is active already.")
    endpoint.disabled_at = None
    endpoint.disabled_reason = ""
    endpoint.consecutive_failures = 0
    save_with_history(endpoint, user=user, reason="Enabled")
    for pk in endpoint.deliveries.filter(status=Delivery.Status.PENDING).values_list("pk", flat=True)[:200]:
        queue_on_commit(pk)
    return endpoint


@transaction.atomic
def endpoint_secret_rotate(*, user, endpoint: Endpoint) -> tuple[Endpoint, str]:
    """Give an endpoint a new secret, at once: deliveries from now on are signed with it. Returns the new
    secret, which is never shown again."""
    refuse_unless_manager(user)
    endpoint = _locked(endpoint)
    endpoint.secret = secret_new()
    endpoint.secret_rotated_at = timezone.now()
    save_with_history(endpoint, user=user, reason="Secret rotated")
    return endpoint, endpoint.secret


@transaction.atomic
def endpoint_delete(*, user, endpoint: Endpoint) -> None:
    """Remove an endpoint and its delivery log; the history keeps that it existed and who removed it."""
    refuse_unless_manager(user)
    endpoint = _locked(endpoint)
    endpoint._history_user = user
    endpoint._change_reason = "Deleted"
    endpoint.delete()


@transaction.atomic
def endpoint_ping(*, user, endpoint: Endpoint) -> Delivery:
    """Send a test delivery ("ping") to an active endpoint, signed and logged like any other."""
    refuse_unless_manager(user)
    endpoint = _locked(endpoint)
    if not endpoint.is_active:
        raise ValidationError("This endpoint is disabled: enable it before sending it a test delivery.")
    now = timezone.now()
    delivery = Delivery.objects.create(endpoint=endpoint, type=PING, payload={}, created_at=now, next_attempt_at=now)
    delivery.payload = {
        "id": None,
        "type": PING,
        "verb": None,
        "created_at": now.isoformat(),
        "use_case": None,
        "round": None,
        "actor": name_of(user),
        "reason": None,
        "data": {"message": "A test delivery from Clearance.", "delivery": delivery.pk},
    }
    delivery.save(update_fields=["payload"])
    queue_on_commit(delivery.pk)
    return delivery


@transaction.atomic
def delivery_retry(*, user, delivery: Delivery) -> Delivery:
    """Give a failed delivery its attempts back and send it now (once its cause is fixed); its earlier
    attempts stay in the log."""
    refuse_unless_manager(user)
    delivery = Delivery.objects.select_for_update().select_related("endpoint").get(pk=delivery.pk)
    if delivery.status != Delivery.Status.FAILED:
        status = delivery.get_status_display().lower()
        raise ValidationError(f"Only a failed delivery is retried; this one is {status}.")
    if not delivery.endpoint.is_active:
        raise ValidationError("The endpoint is disabled: enable it before retrying its deliveries.")
    delivery.status = Delivery.Status.PENDING
    delivery.attempts = 0
    delivery.next_attempt_at = timezone.now()
    delivery.save(update_fields=["status", "attempts", "next_attempt_at"])
    queue_on_commit(delivery.pk)
    return delivery
