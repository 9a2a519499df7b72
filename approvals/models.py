"""Review rounds and what they produce.

The definition of who must sign is a pure function (`approvals.routing`); the run of one review is an
ApprovalRequest (a round) with one SignOff per required function; every decision is an append-only
ApprovalEvent.
"""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.db.models.functions import Length
from django.db.models.lookups import Exact
from django_fsm import FSMField, FSMModelMixin, transition
from simple_history.models import HistoricalRecords

from checklist.models import ChecklistTemplate
from governance.limits import MESSAGE, NOTE, PROSE, BoundedTextField
from governance.models import UseCase
from governance.roles import Function


class RoundStatus(models.TextChoices):
    IN_REVIEW = "in_review", "In review"
    CHANGES_REQUESTED = "changes_requested", "Changes requested"
    APPROVED = "approved", "Approved"
    APPROVED_WITH_CONDITIONS = "approved_with_conditions", "Approved with conditions"
    REJECTED = "rejected", "Rejected"
    WITHDRAWN = "withdrawn", "Withdrawn"
    SUSPENDED = "suspended", "Suspended"
    EXPIRED = "expired", "Expired"
    REVOKED = "revoked", "Revoked"
    # Closed unapproved because registry facts it was routed on changed; the next round carries on.
    SUPERSEDED = "superseded", "Superseded (re-routed)"


class ApprovalRequest(FSMModelMixin, models.Model):
    """One review round of a use case: the frozen snapshot that was submitted and its outcome."""

    Status = RoundStatus
    APPROVED_STATUSES = (RoundStatus.APPROVED, RoundStatus.APPROVED_WITH_CONDITIONS)
    DECIDED_STATUSES = (*APPROVED_STATUSES, RoundStatus.REJECTED)

    use_case = models.ForeignKey(UseCase, on_delete=models.PROTECT, related_name="rounds")
    number = models.PositiveSmallIntegerField()
    status = FSMField(max_length=30, choices=RoundStatus, default=RoundStatus.IN_REVIEW, protected=True)
    checklist_template = models.ForeignKey(ChecklistTemplate, on_delete=models.PROTECT, related_name="+")
    snapshot = models.JSONField(help_text="The use case, its answers and risks, as submitted.")
    snapshot_sha256 = models.CharField(max_length=64)
    routing = models.JSONField(default=list, help_text="Each required function and why it is required.")
    highest_residual = models.PositiveSmallIntegerField(null=True, blank=True)
    submitted_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    submitted_at = models.DateTimeField()
    decided_at = models.DateTimeField(null=True, blank=True)
    expires_on = models.DateField(null=True, blank=True)
    closed_reason = BoundedTextField(
        max_length=NOTE, blank=True, help_text="Why the round was withdrawn, suspended or revoked."
    )
    expiry_reminded_at = models.DateTimeField(null=True, blank=True)

    history = HistoricalRecords()

    class Meta:
        ordering = ["use_case", "-number"]
        verbose_name = "review round"
        # The review queue reads the rounds in review oldest first, a page at a time.
        indexes = [
            models.Index(fields=["submitted_at", "id"], condition=Q(status="in_review"), name="round_in_review_queue")
        ]
        constraints = [
            models.UniqueConstraint(fields=["use_case", "number"], name="round_unique_number"),
            # One round under review per use case: two simultaneous submissions cannot both win.
            models.UniqueConstraint(
                fields=["use_case"], condition=Q(status="in_review"), name="round_one_in_review_per_use_case"
            ),
            models.CheckConstraint(condition=Q(status__in=RoundStatus.values), name="round_status_valid"),
            models.CheckConstraint(
                condition=Q(highest_residual__isnull=True) | Q(highest_residual__gte=1, highest_residual__lte=25),
                name="round_highest_residual_range",
            ),
        ]

    def __str__(self):
        return f"{self.use_case.reference} round {self.number}"

    @property
    def is_open(self) -> bool:
        return self.status == RoundStatus.IN_REVIEW

    @property
    def required_functions(self) -> list[str]:
        return [entry["function"] for entry in self.routing]

    @transition(field=status, source=RoundStatus.IN_REVIEW, target=RoundStatus.APPROVED)
    def approve(self):
        pass

    @transition(field=status, source=RoundStatus.IN_REVIEW, target=RoundStatus.APPROVED_WITH_CONDITIONS)
    def approve_with_conditions(self):
        pass

    @transition(field=status, source=RoundStatus.IN_REVIEW, target=RoundStatus.REJECTED)
    def reject(self):
        pass

    @transition(field=status, source=RoundStatus.IN_REVIEW, target=RoundStatus.CHANGES_REQUESTED)
    def request_changes(self):
        pass

    @transition(field=status, source=RoundStatus.IN_REVIEW, target=RoundStatus.WITHDRAWN)
    def withdraw(self):
        pass

    @transition(field=status, source=RoundStatus.IN_REVIEW, target=RoundStatus.SUPERSEDED)
    def supersede(self):
        pass

    @transition(field=status, source=APPROVED_STATUSES, target=RoundStatus.SUSPENDED)
    def suspend(self):
        pass

    @transition(field=status, source=APPROVED_STATUSES, target=RoundStatus.EXPIRED)
    def expire(self):
        pass

    @transition(field=status, source=(*APPROVED_STATUSES, RoundStatus.SUSPENDED), target=RoundStatus.REVOKED)
    def revoke(self):
        pass


class SignOffQuerySet(models.QuerySet):
    """Refuses to update or delete a decided sign-off; pending ones stay updatable (assignee, reminders)."""

    def _refuse_decided(self) -> None:
        if self.exclude(decision=SignOff.Decision.PENDING).exists():
            raise ValueError("A decided sign-off cannot be changed or deleted.")

    def update(self, **kwargs):
        self._refuse_decided()
        return super().update(**kwargs)

    def delete(self):
        self._refuse_decided()
        return super().delete()


class SignOff(models.Model):
    """One function's decision on one round.

    Once decided it is what was signed: the model, its queryset and a database trigger refuse to change
    or delete it (SQLite's trigger covers updates only; see approvals/migrations/0011_immutability.py).
    """

    class Decision(models.TextChoices):
        PENDING = "pending", "Pending"
        APPROVE = "approve", "Approve"
        APPROVE_WITH_CONDITIONS = "approve_with_conditions", "Approve with conditions"
        REQUEST_CHANGES = "request_changes", "Request changes"
        REJECT = "reject", "Reject"

    APPROVING = (Decision.APPROVE, Decision.APPROVE_WITH_CONDITIONS)

    round = models.ForeignKey(ApprovalRequest, on_delete=models.CASCADE, related_name="signoffs")
    function = models.CharField(max_length=20, choices=Function)
    reason = models.CharField(max_length=300, help_text="Why this function must sign (from routing).")
    assignee = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    decision = models.CharField(max_length=30, choices=Decision, default=Decision.PENDING)
    conditions = BoundedTextField(max_length=PROSE, blank=True)
    comment = BoundedTextField(max_length=PROSE, blank=True)
    signed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    signed_at = models.DateTimeField(null=True, blank=True)
    signed_snapshot_sha256 = models.CharField(max_length=64, blank=True)
    reminded_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    history = HistoricalRecords()
    objects = SignOffQuerySet.as_manager()

    class Meta:
        ordering = ["round", "pk"]
        verbose_name = "sign-off"
        # Granted per person or group in the admin: a lead hands out the sign-offs of the functions
        # they are a member of (governance admins do so for every function without it).
        permissions = [("lead_signoffs", "Can assign and reassign sign-offs of their functions")]
        constraints = [
            models.UniqueConstraint(fields=["round", "function"], name="signoff_one_per_function"),
            # Separation of duties, in the database too: nobody signs two functions of one round.
            models.UniqueConstraint(
                fields=["round", "signed_by"],
                condition=Q(signed_by__isnull=False),
                name="signoff_one_function_per_person",
            ),
            models.CheckConstraint(
                condition=Q(decision="pending", signed_by__isnull=True, signed_at__isnull=True)
                | (~Q(decision="pending") & Q(signed_by__isnull=False, signed_at__isnull=False)),
                name="signoff_signed_iff_decided",
            ),
            models.CheckConstraint(
                condition=~Q(decision="approve_with_conditions") | ~Q(conditions=""),
                name="signoff_conditions_given",
            ),
            models.CheckConstraint(
                condition=Q(decision__in=["pending", "approve"]) | ~Q(comment=""),
                name="signoff_comment_given",
            ),
        ]
        # The review queue: a function's pending sign-offs, found without reading the decided ones.
        indexes = [
            models.Index(
                fields=["function", "round"], condition=Q(decision="pending"), name="signoff_pending_by_function"
            )
        ]

    def __str__(self):
        return f"{self.round} · {self.get_function_display()}"

    def save(self, *args, **kwargs):
        if self._decided_in_database():
            raise ValueError("A decided sign-off cannot be changed or deleted.")
        super().save(*args, **kwargs)
        self._stored_decision = self.decision

    def delete(self, *args, **kwargs):
        if self._decided_in_database():
            raise ValueError("A decided sign-off cannot be changed or deleted.")
        return super().delete(*args, **kwargs)

    @property
    def is_pending(self) -> bool:
        return self.decision == self.Decision.PENDING

    @classmethod
    def from_db(cls, db, field_names, values):
        instance = super().from_db(db, field_names, values)
        # The decision as stored, which is what decides whether the row may still change.
        instance._stored_decision = instance.__dict__.get("decision")
        return instance

    def refresh_from_db(self, *args, **kwargs):
        super().refresh_from_db(*args, **kwargs)
        self._stored_decision = self.__dict__.get("decision")

    def _decided_in_database(self) -> bool:
        if self._state.adding or self.pk is None:
            return False
        stored = getattr(self, "_stored_decision", None)
        if stored is None:
            return type(self)._base_manager.filter(pk=self.pk).exclude(decision=self.Decision.PENDING).exists()
        return stored != self.Decision.PENDING


class EventVerb(models.TextChoices):
    SUBMITTED = "submitted", "Submitted"
    SIGNED = "signed", "Signed"
    ASSIGNED = "assigned", "Assigned"
    ANSWERED = "answered", "Answered checklist item"
    APPROVED = "approved", "Approved"
    APPROVED_WITH_CONDITIONS = "approved_with_conditions", "Approved with conditions"
    CHANGES_REQUESTED = "changes_requested", "Changes requested"
    REJECTED = "rejected", "Rejected"
    WITHDRAWN = "withdrawn", "Withdrawn"
    SUSPENDED = "suspended", "Suspended"
    EXPIRED = "expired", "Expired"
    REVOKED = "revoked", "Revoked"
    SUPERSEDED = "superseded", "Re-routed: registry facts changed"
    CONDITION_CLAIMED = "condition_claimed", "Condition reported met"
    CONDITION_MET = "condition_met", "Condition confirmed met"
    CONDITION_RETURNED = "condition_returned", "Condition evidence returned"
    CONDITION_WAIVED = "condition_waived", "Condition waived"
    CONDITION_OVERDUE = "condition_overdue", "Condition overdue"
    COMMENTED = "commented", "Posted to the discussion"


class SuspensionCause(models.TextChoices):
    """Why an approval was suspended, recorded on its event (`data["cause"]`) for the trends to count."""

    MATERIAL_CHANGE = "material_change", "Material change to the request"
    MODEL_CHANGED = "model_changed", "Model facts changed"
    VENDOR_RESTRICTED = "vendor_restricted", "Vendor restricted or sanctioned"
    REVIEW_FINDING = "review_finding", "A reviewer's finding"
    CONDITION_NOT_MET = "condition_not_met", "A condition not met by its due date"


class AppendOnlyQuerySet(models.QuerySet):
    def update(self, **kwargs):
        raise ValueError("Approval events are append-only.")

    def delete(self):
        raise ValueError("Approval events are append-only.")


class ApprovalEvent(models.Model):
    """An append-only record of something that happened to a use case's review: who, what, when.

    Refused three times over: by the model, by its queryset, and by a database trigger on UPDATE (and,
    on PostgreSQL, DELETE; SQLite keeps DELETE possible for Django's own test flush).
    """

    Verb = EventVerb

    use_case = models.ForeignKey(UseCase, on_delete=models.PROTECT, related_name="events")
    round = models.ForeignKey(ApprovalRequest, on_delete=models.PROTECT, null=True, blank=True, related_name="events")
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        help_text="Empty when the system acted (a sweep, a registry change).",
    )
    verb = models.CharField(max_length=30, choices=Verb)
    data = models.JSONField(default=dict, blank=True)
    created_at = models.DateTimeField(auto_now_add=True, db_index=True)

    objects = AppendOnlyQuerySet.as_manager()

    class Meta:
        ordering = ["created_at", "pk"]
        constraints = [models.CheckConstraint(condition=Q(verb__in=EventVerb.values), name="event_verb_valid")]

    def __str__(self):
        return f"{self.use_case.reference} {self.get_verb_display()}"

    def save(self, *args, **kwargs):
        if self.pk is not None and not self._state.adding:
            raise ValueError("Approval events are append-only.")
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise ValueError("Approval events are append-only.")


class Notification(models.Model):
    """An e-mail to send, kept in the database first.

    The row is written in the same transaction as the decision that causes it, so a broker that is
    down when the decision commits loses nothing: the delivery task is queued on commit, and a
    periodic sweep sends whatever is still unsent.
    """

    recipient = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="notifications")
    subject = models.CharField(max_length=300)
    body = BoundedTextField(max_length=PROSE)
    created_at = models.DateTimeField(auto_now_add=True)
    sent_at = models.DateTimeField(null=True, blank=True)
    attempts = models.PositiveSmallIntegerField(default=0)
    last_error = BoundedTextField(max_length=NOTE, blank=True)
    failed_at = models.DateTimeField(
        null=True, blank=True, help_text="Set when the last attempt failed; the sweep skips it until retried."
    )
    # The inbox entry: the same notification, read in the application.
    link = models.CharField(
        max_length=500, blank=True, help_text="Where to act, as a path on this site (the e-mail carries it in full)."
    )
    read_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at"]
        indexes = [
            models.Index(fields=["created_at"], condition=Q(sent_at__isnull=True), name="notification_unsent"),
            models.Index(fields=["recipient", "-created_at", "-id"], name="notification_inbox"),
            models.Index(fields=["recipient"], condition=Q(read_at__isnull=True), name="notification_unread"),
        ]

    def __str__(self):
        return f"{self.subject} → {self.recipient}"


# A round gets an approval record once it reached an outcome. Suspended, expired and revoked rounds were
# approved first (their transitions start only there), so a record rendered late still happens.
RECORDED_STATUSES = (
    *ApprovalRequest.DECIDED_STATUSES,
    RoundStatus.SUSPENDED,
    RoundStatus.EXPIRED,
    RoundStatus.REVOKED,
)


def record_upload_to(instance, filename: str) -> str:
    """records/<use case reference>/<file name>."""
    return f"records/{instance.round.use_case.reference}/{filename}"


class ImmutableRecordQuerySet(models.QuerySet):
    def update(self, **kwargs):
        raise ValueError("Approval records are immutable.")

    def delete(self):
        raise ValueError("Approval records are immutable.")


class ApprovalRecord(models.Model):
    """The signed-off PDF of one decided round: what was approved, by whom, on which snapshot.

    Immutable: a new round makes a new record, and old records stay, so a file handed to an auditor
    years ago still verifies against its SHA-256 here. Refused by the model, its queryset and a database
    trigger (on SQLite, updates only; see approvals/migrations/0011_immutability.py).
    """

    round = models.OneToOneField(ApprovalRequest, on_delete=models.PROTECT, related_name="record")
    file = models.FileField(upload_to=record_upload_to, max_length=300)
    sha256 = models.CharField(max_length=64, unique=True, help_text="SHA-256 of the PDF file.")
    snapshot_sha256 = models.CharField(max_length=64, help_text="The round's snapshot this record certifies.")
    size = models.PositiveIntegerField(help_text="Bytes.")
    pages = models.PositiveSmallIntegerField()
    created_at = models.DateTimeField(auto_now_add=True)
    render_seconds = models.FloatField(default=0)

    objects = ImmutableRecordQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at", "-pk"]
        verbose_name = "approval record"
        constraints = [
            models.CheckConstraint(condition=Exact(Length("sha256"), 64), name="record_sha256_length"),
            models.CheckConstraint(
                condition=Exact(Length("snapshot_sha256"), 64), name="record_snapshot_sha256_length"
            ),
        ]

    def __str__(self):
        return f"Approval record of {self.round}"

    def save(self, *args, **kwargs):
        if self.pk is not None and not self._state.adding:
            raise ValueError("Approval records are immutable.")
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise ValueError("Approval records are immutable.")

    @property
    def download_name(self) -> str:
        return f"{self.round.use_case.reference}-round-{self.round.number}.pdf"


class RecordRender(models.Model):
    """The background work of one round's approval record: who holds it, how often it was tried, why it
    failed. Kept apart from the round so that a claim or a failure writes no history of the round.

    A worker claims the render with a lease (`claimed_until`); a worker that dies leaves the lease to
    lapse, and the sweep takes the round again. After `max_attempts` claims the round is left alone and
    shows as failed to governance admins, who can retry it.
    """

    round = models.OneToOneField(ApprovalRequest, on_delete=models.CASCADE, related_name="record_render")
    attempts = models.PositiveSmallIntegerField(default=0)
    claim = models.CharField(max_length=32, blank=True, help_text="The token of the attempt that holds the lease.")
    claimed_until = models.DateTimeField(null=True, blank=True)
    last_error = BoundedTextField(max_length=NOTE, blank=True)
    failed_at = models.DateTimeField(null=True, blank=True, help_text="When the render gave up for good.")
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["-updated_at", "-pk"]
        verbose_name = "record render"

    def __str__(self):
        return f"Record render of {self.round}"


def condition_evidence_to(instance, filename: str) -> str:
    """conditions/<use case reference>/<condition id>/<hash prefix>/<file name>; the name is the upload
    class's cleaned one, never a path a person typed."""
    return f"conditions/{instance.use_case.reference}/{instance.pk}/{instance.evidence_sha256[:16]}/{filename}"


class ConditionQuerySet(models.QuerySet):
    def current(self) -> "ConditionQuerySet":
        """Conditions of an approval that stands (with conditions) or is suspended and not yet followed by
        another round: those still to be met. A suspended approval's conditions lapse with its next round."""
        newer = ApprovalRequest.objects.filter(
            use_case=models.OuterRef("use_case"), number__gt=models.OuterRef("round__number")
        )
        return self.filter(round__status__in=(RoundStatus.APPROVED_WITH_CONDITIONS, RoundStatus.SUSPENDED)).exclude(
            models.Exists(newer)
        )


class Condition(models.Model):
    """An obligation an approval with conditions carries: what must be done, by whom, by when.

    Set by one function's sign-off; its owner (a person on the use case) reports it met with evidence, a
    member of the function that set it confirms (or returns the evidence, or waives it with a reason). An
    open condition past its due date is overdue; where the setter chose, that suspends the approval.
    """

    class Status(models.TextChoices):
        OPEN = "open", "Open"
        CLAIMED = "claimed", "Reported met: awaiting confirmation"
        MET = "met", "Met"
        WAIVED = "waived", "Waived"

    OUTSTANDING = (Status.OPEN, Status.CLAIMED)

    signoff = models.ForeignKey(SignOff, on_delete=models.PROTECT, related_name="condition_items")
    round = models.ForeignKey(ApprovalRequest, on_delete=models.PROTECT, related_name="condition_items")
    use_case = models.ForeignKey(UseCase, on_delete=models.PROTECT, related_name="conditions")
    function = models.CharField(max_length=20, choices=Function, help_text="The function that set it and confirms it.")
    description = BoundedTextField(max_length=PROSE)
    owner = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    due_on = models.DateField()
    suspend_if_not_met = models.BooleanField(
        "suspend the approval if not met", default=False, help_text="The day after the due date, if still open."
    )
    status = models.CharField(max_length=10, choices=Status, default=Status.OPEN)
    evidence_link = models.URLField(max_length=500, blank=True)
    evidence_file = models.FileField(upload_to=condition_evidence_to, max_length=300, blank=True)
    evidence_sha256 = models.CharField(max_length=64, blank=True)
    evidence_note = BoundedTextField(max_length=NOTE, blank=True)
    claimed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    claimed_at = models.DateTimeField(null=True, blank=True)
    closed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    closed_at = models.DateTimeField(null=True, blank=True)
    closing_note = BoundedTextField(
        max_length=NOTE, blank=True, help_text="Why it was waived or its evidence returned."
    )
    reminded_at = models.DateTimeField(null=True, blank=True)
    overdue_at = models.DateTimeField(null=True, blank=True, help_text="When the sweep found it overdue.")
    created_at = models.DateTimeField(auto_now_add=True)

    history = HistoricalRecords()
    objects = ConditionQuerySet.as_manager()

    class Meta:
        ordering = ["due_on", "pk"]
        indexes = [
            models.Index(
                fields=["due_on", "id"], condition=Q(status__in=["open", "claimed"]), name="condition_outstanding"
            )
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(status__in=["open", "claimed", "met", "waived"]), name="condition_status_valid"
            ),
            models.CheckConstraint(condition=~Q(description=""), name="condition_description_given"),
            # Reported met or met: with evidence. Met or waived: by someone, at a time.
            models.CheckConstraint(
                condition=Q(status__in=["open", "waived"]) | ~Q(evidence_link="") | ~Q(evidence_file=""),
                name="condition_evidence_given",
            ),
            models.CheckConstraint(
                condition=Q(status__in=["open", "claimed"]) | Q(closed_by__isnull=False, closed_at__isnull=False),
                name="condition_closed_by_someone",
            ),
            models.CheckConstraint(
                condition=~Q(status="waived") | ~Q(closing_note=""), name="condition_waiver_reasoned"
            ),
        ]

    def __str__(self):
        return f"{self.use_case.reference} condition {self.pk}"

    @property
    def is_outstanding(self) -> bool:
        return self.status in self.OUTSTANDING

    def is_overdue(self, today) -> bool:
        return self.status == self.Status.OPEN and self.due_on < today


MESSAGE_MAX_LENGTH = MESSAGE


class Message(models.Model):
    """One message of a use case's discussion: a reviewer's question, an owner's answer.

    Posted (`approvals.discussion.message_post`) with an event in the use case's history; never edited,
    so what was asked and answered stays as it was said. `mentioned_functions` holds the mentioned
    functions as space-separated words with a space on each side (" legal privacy "), so that one
    `contains` lookup finds a function on every database.
    """

    use_case = models.ForeignKey(UseCase, on_delete=models.PROTECT, related_name="messages")
    round = models.ForeignKey(
        ApprovalRequest,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="messages",
        help_text="The round open when it was posted, if one was.",
    )
    author = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    body = BoundedTextField(max_length=MESSAGE_MAX_LENGTH)
    reply_to = models.ForeignKey("self", on_delete=models.PROTECT, null=True, blank=True, related_name="replies")
    mentioned_users = models.ManyToManyField(settings.AUTH_USER_MODEL, blank=True, related_name="mentioned_in")
    mentioned_functions = models.CharField(max_length=200, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["created_at", "pk"]
        indexes = [models.Index(fields=["use_case", "created_at"], name="message_thread")]
        constraints = [models.CheckConstraint(condition=~Q(body=""), name="message_body_given")]

    def __str__(self):
        return f"{self.use_case.reference} message {self.pk}"

    def get_absolute_url(self) -> str:
        return f"{self.use_case.get_absolute_url()}#message-{self.pk}"

    @staticmethod
    def mentioning(functions) -> Q:
        """Messages that mention any of `functions` (each a word of `mentioned_functions`)."""
        condition = Q(pk__in=[])
        for function in functions:
            condition |= Q(mentioned_functions__contains=f" {function} ")
        return condition

    @property
    def functions(self) -> list[str]:
        return self.mentioned_functions.split()
