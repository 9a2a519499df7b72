"""Reads for the webhook pages, each in a fixed number of queries whatever the number of rows."""

from django.db.models import Count, OuterRef, Prefetch, QuerySet, Subquery
from django.db.models.functions import Coalesce

from webhooks.models import Delivery, DeliveryAttempt, Endpoint


def endpoints_listed() -> QuerySet[Endpoint]:
    """Every endpoint with its last delivery's status and time, and how many deliveries wait or failed."""
    last = Delivery.objects.filter(endpoint=OuterRef("pk")).order_by("-created_at", "-pk")
    failed = (
        Delivery.objects.filter(endpoint=OuterRef("pk"), status=Delivery.Status.FAILED)
        .order_by()
        .values("endpoint")
        .annotate(n=Count("pk"))
    )
    return (
        Endpoint.objects.select_related("created_by")
        .defer("secret")
        .annotate(
            last_delivery_status=Subquery(last.values("status")[:1]),
            last_delivery_at=Subquery(last.values("created_at")[:1]),
            failed_count=Coalesce(Subquery(failed.values("n")[:1]), 0),
        )
        .order_by("-created_at", "-pk")
    )


def endpoint_counts(endpoint: Endpoint) -> dict[str, int]:
    """How many of its deliveries are in each status (one query)."""
    counts = dict.fromkeys(Delivery.Status.values, 0)
    for row in endpoint.deliveries.order_by().values("status").annotate(n=Count("pk")):
        counts[row["status"]] = row["n"]
    return counts


def deliveries_of(endpoint: Endpoint) -> QuerySet[Delivery]:
    """The endpoint's delivery log, newest first, each with its attempts (one query for all of a page's)."""
    return (
        Delivery.objects.filter(endpoint=endpoint)
        .order_by("-created_at", "-pk")
        .prefetch_related(Prefetch("attempt_log", queryset=DeliveryAttempt.objects.order_by("at", "pk")))
    )


def endpoint_history(endpoint: Endpoint, *, limit: int = 50) -> list:
    return list(endpoint.history.select_related("history_user").order_by("-history_date", "-history_id")[:limit])
