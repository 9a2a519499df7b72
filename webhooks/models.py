"""Webhooks: endpoints that governance admins register for kinds of review events, and the outbox of
signed deliveries to them (one row per event and endpoint, one row per attempt at sending it)."""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from simple_history.models import HistoricalRecords

from approvals.models import ApprovalEvent, EventVerb
from governance.limits import NOTE, BoundedTextField

URL_MAX_LENGTH = 500
# What a delivery keeps of the answer it got: enough to read an error page's first lines.
EXCERPT_MAX_LENGTH = 1000
ERROR_MAX_LENGTH = 500


class EventType(models.TextChoices):
    """What an endpoint subscribes to. "Decided" is any outcome of a round."""

    SUBMITTED = "submitted", "Submitted for review"
    DECIDED = "decided", "Decided (approved, approved with conditions, changes requested, rejected)"
    SUSPENDED = "suspended", "Approval suspended"
    REVOKED = "revoked", "Approval revoked"
    EXPIRED = "expired", "Approval expired"
    CONDITION_OVERDUE = "condition_overdue", "Condition overdue"


# A test delivery an admin sends from the endpoint's page; nobody subscribes to it.
PING = "ping"

# The review events each type is made of; other verbs (a sign-off, a comment, an answer) send nothing.
TYPE_OF_VERB: dict[str, str] = {
    EventVerb.SUBMITTED: EventType.SUBMITTED,
    EventVerb.APPROVED: EventType.DECIDED,
    EventVerb.APPROVED_WITH_CONDITIONS: EventType.DECIDED,
    EventVerb.CHANGES_REQUESTED: EventType.DECIDED,
    EventVerb.REJECTED: EventType.DECIDED,
    EventVerb.SUSPENDED: EventType.SUSPENDED,
    EventVerb.REVOKED: EventType.REVOKED,
    EventVerb.EXPIRED: EventType.EXPIRED,
    EventVerb.CONDITION_OVERDUE: EventType.CONDITION_OVERDUE,
}


class Endpoint(models.Model):
    """An address that receives the events of the chosen types, signed with the endpoint's secret.

    The secret is kept because every delivery is signed with it, but it is shown only when it is made (at
    registration and at each rotation), and never copied into the history.
    """

    url = models.CharField("URL", max_length=URL_MAX_LENGTH)
    description = BoundedTextField(max_length=NOTE, blank=True, help_text="What receives it, and who runs that.")
    event_types = models.JSONField(default=list, help_text="The event types it receives: a list of EventType values.")
    secret = models.CharField(max_length=100)
    secret_rotated_at = models.DateTimeField(default=timezone.now)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(default=timezone.now)
    disabled_at = models.DateTimeField(null=True, blank=True)
    disabled_reason = BoundedTextField(max_length=NOTE, blank=True)
    # Failed attempts since the last delivered one, across its deliveries: too many in a row disable it.
    consecutive_failures = models.PositiveIntegerField(default=0)

    history = HistoricalRecords(excluded_fields=["secret", "created_at", "consecutive_failures"])

    class Meta:
        ordering = ["created_at", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(url__startswith="https://") | Q(url__startswith="http://"), name="webhook_url_http"
            )
        ]

    def __str__(self):
        return self.url

    def get_absolute_url(self) -> str:
        return reverse("webhook_endpoint", kwargs={"pk": self.pk})

    @property
    def is_active(self) -> bool:
        return self.disabled_at is None

    def get_event_types_display(self) -> list[str]:
        return [EventType(value).label for value in EventType.values if value in self.event_types]


class Delivery(models.Model):
    """One event to send to one endpoint: the outbox row, written in the transaction that recorded the
    event, so an event committed is never lost to a broker that was down."""

    class Status(models.TextChoices):
        PENDING = "pending", "Pending"
        DELIVERED = "delivered", "Delivered"
        FAILED = "failed", "Failed"

    endpoint = models.ForeignKey(Endpoint, on_delete=models.CASCADE, related_name="deliveries")
    event = models.ForeignKey(
        ApprovalEvent,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        help_text="Empty for a test delivery (ping).",
    )
    type = models.CharField(max_length=30)
    payload = models.JSONField()
    status = models.CharField(max_length=10, choices=Status, default=Status.PENDING)
    attempts = models.PositiveSmallIntegerField(default=0)
    next_attempt_at = models.DateTimeField(default=timezone.now)
    created_at = models.DateTimeField(default=timezone.now)
    delivered_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-pk"]
        verbose_name_plural = "deliveries"
        indexes = [
            models.Index(fields=["status", "next_attempt_at"], name="webhook_delivery_due"),
            models.Index(fields=["endpoint", "-created_at", "-id"], name="webhook_delivery_log"),
        ]
        constraints = [
            # One delivery per event and endpoint, whatever happens twice.
            models.UniqueConstraint(
                fields=["endpoint", "event"], condition=Q(event__isnull=False), name="webhook_delivery_once"
            ),
            models.CheckConstraint(condition=Q(status__in=["pending", "delivered", "failed"]), name="webhook_status"),
        ]

    def __str__(self):
        return f"{self.type} #{self.pk} to {self.endpoint_id}"


class DeliveryAttempt(models.Model):
    """One try at sending a delivery: when, what came back (an HTTP status, or the error that stopped it),
    how long it took, and the start of the answer."""

    delivery = models.ForeignKey(Delivery, on_delete=models.CASCADE, related_name="attempt_log")
    at = models.DateTimeField(default=timezone.now)
    status_code = models.PositiveSmallIntegerField(null=True, blank=True)
    error = models.CharField(max_length=ERROR_MAX_LENGTH, blank=True)
    duration_ms = models.PositiveIntegerField(default=0)
    response_excerpt = BoundedTextField(max_length=EXCERPT_MAX_LENGTH, blank=True)

    class Meta:
        ordering = ["at", "pk"]

    def __str__(self):
        return f"Attempt at {self.at:%Y-%m-%d %H:%M:%S}: {self.status_code or self.error}"

    @property
    def succeeded(self) -> bool:
        return self.status_code is not None and 200 <= self.status_code < 300
