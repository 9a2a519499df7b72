"""Conditions of an approval: set with the sign-off, met with evidence and confirmed, waived, or overdue.

Every change goes through one of these services, inside a transaction with the use case locked (the order
every workflow service takes), writes the condition's history and an event, and tells the people who act
next. Who may do what (`approvals.permissions`): the condition's owner and the use case's owners report it
met; a member of the function that set it, other than whoever reported it, confirms it, returns the
evidence, or waives it with a reason.
"""

from dataclasses import dataclass
from datetime import date, timedelta

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.core.validators import URLValidator
from django.db import transaction
from django.urls import reverse
from django.utils import timezone

from approvals.models import ApprovalEvent, ApprovalRequest, Condition, SignOff, SuspensionCause
from approvals.notifications import notification_queue, site_link
from approvals.notify import members_of, named, owners_of
from approvals.permissions import can_claim_condition, can_settle_condition
from checklist.services import evidence_checked, evidence_names
from governance.history import save_with_history
from governance.limits import NOTE, PROSE, refuse_overlong
from governance.models import UseCase
from governance.roles import Function

MAX_CONDITIONS = 10


@dataclass(frozen=True)
class ConditionSpec:
    """One condition as the setter writes it."""

    description: str
    owner: object  # a user: one of the use case's owners
    due_on: date
    suspend_if_not_met: bool = False


def _path(condition: Condition) -> str:
    return reverse("condition_detail", args=[condition.pk])


def _link(condition: Condition) -> str:
    return site_link(_path(condition))


def conditions_check(use_case: UseCase, specs: list[ConditionSpec], *, today: date) -> dict[str, str]:
    """What is wrong with `specs` for `use_case`, by form field ("conditions" for the set as a whole)."""
    if not specs:
        return {"conditions": "Add at least one condition: what must be done, by whom, by when."}
    if len(specs) > MAX_CONDITIONS:
        return {"conditions": f"At most {MAX_CONDITIONS} conditions per sign-off."}
    owners = {person.pk for person in owners_of(use_case)}
    for spec in specs:
        if not spec.description.strip():
            return {"conditions": "Describe each condition."}
        if len(spec.description) > PROSE:
            return {"conditions": f"A condition is at most {PROSE:,} characters."}
        if getattr(spec.owner, "pk", None) not in owners:
            return {"conditions": "Each condition's owner is one of the use case's owners (business, technical, risk)."}
        if spec.due_on <= today:
            return {"conditions": "Each condition is due after today."}
    return {}


def conditions_summary(specs: list[ConditionSpec]) -> str:
    """The conditions as the sign-off's text (what the record quotes and the signer signed)."""
    return "\n".join(
        f"{i}. {spec.description.strip()} (owner: {spec.owner.get_full_name() or spec.owner.get_username()}; "
        f"due {spec.due_on:%Y-%m-%d}{'; suspends the approval if not met' if spec.suspend_if_not_met else ''})"
        for i, spec in enumerate(specs, start=1)
    )


def conditions_create(*, signoff: SignOff, specs: list[ConditionSpec], user) -> list[Condition]:
    """The sign-off's conditions, inside `signoff_decide`'s transaction (already checked)."""
    round = signoff.round
    created = []
    for spec in specs:
        condition = Condition(
            signoff=signoff,
            round=round,
            use_case=round.use_case,
            function=signoff.function,
            description=spec.description.strip(),
            owner=spec.owner,
            due_on=spec.due_on,
            suspend_if_not_met=spec.suspend_if_not_met,
        )
        save_with_history(condition, user=user, reason=f"Set by {signoff.get_function_display()}")
        created.append(condition)
    return created


def _locked(pk: int) -> Condition:
    """The condition, locked after its use case (the order every workflow service locks in)."""
    use_case_id = Condition.objects.values_list("use_case_id", flat=True).get(pk=pk)
    UseCase.objects.select_for_update(of=("self",)).get(pk=use_case_id)
    return Condition.objects.select_for_update(of=("self",)).select_related("use_case", "round", "owner").get(pk=pk)


def _event(condition: Condition, verb: str, actor=None, **data) -> None:
    ApprovalEvent.objects.create(
        use_case=condition.use_case,
        round=condition.round,
        actor=actor,
        verb=verb,
        data={"condition": condition.pk, "function": condition.function, **data},
    )


def _refuse(verdict) -> None:
    from approvals.services import WorkflowRefused

    if not verdict:
        raise WorkflowRefused(verdict.reason)


def _store_evidence(condition: Condition, upload: UploadedFile) -> None:
    condition.evidence_sha256, _kind = evidence_checked(upload)
    condition.evidence_file.save(evidence_names(upload.name)[1], upload, save=False)


@transaction.atomic
def condition_claim_met(
    *, condition: Condition, user, link: str = "", upload: UploadedFile | None = None, note: str = ""
) -> Condition:
    """The owner reports the condition met, with a link or a file as evidence; its function is told."""
    refuse_overlong(note=(note, NOTE), link=(link, 500))
    condition = _locked(condition.pk)
    _refuse(can_claim_condition(user, condition))
    link, note = link.strip(), note.strip()
    if not link and upload is None:
        raise ValidationError({"link": "Give the evidence: a link, a file, or both."})
    if link:
        try:
            URLValidator(schemes=["https", "http"])(link)
        except ValidationError:
            raise ValidationError({"link": "Give a full web address, starting with https://."}) from None
    condition.evidence_link, condition.evidence_note = link, note
    if upload is not None:
        _store_evidence(condition, upload)
    condition.status = Condition.Status.CLAIMED
    condition.claimed_by, condition.claimed_at = user, timezone.now()
    try:
        save_with_history(condition, user=user, reason="Reported met")
    except BaseException:
        if upload is not None:
            condition.evidence_file.delete(save=False)
        raise
    _event(condition, ApprovalEvent.Verb.CONDITION_CLAIMED, user, evidence_sha256=condition.evidence_sha256)
    label = Function(condition.function).label
    for member in members_of(condition.function).exclude(pk=user.pk):
        notification_queue(
            recipient=member,
            subject=f"{condition.use_case.reference}: a condition {label} set is reported met",
            body=f"{named(condition.use_case)}: the owner reports this condition met. Confirm it, or return "
            f"the evidence:\n\n{condition.description}\n\n{_link(condition)}",
            link=_path(condition),
        )
    return condition


def _close(condition: Condition, user, status: str, verb: str, note: str, reason: str) -> Condition:
    condition.status = status
    condition.closed_by, condition.closed_at = user, timezone.now()
    condition.closing_note = note
    save_with_history(condition, user=user, reason=reason)
    _event(condition, verb, user, note=note)
    return condition


@transaction.atomic
def condition_confirm(*, condition: Condition, user) -> Condition:
    """A member of the setting function confirms the reported evidence: the condition is met."""
    condition = _locked(condition.pk)
    _refuse(can_settle_condition(user, condition, confirming=True))
    _close(condition, user, Condition.Status.MET, ApprovalEvent.Verb.CONDITION_MET, "", "Confirmed met")
    notification_queue(
        recipient=condition.owner,
        subject=f"{condition.use_case.reference}: condition confirmed met",
        body=f"{named(condition.use_case)}: this condition is confirmed met.\n\n{condition.description}",
        link=_path(condition),
    )
    return condition


@transaction.atomic
def condition_return(*, condition: Condition, user, reason: str) -> Condition:
    """The evidence does not show the condition met: it is open again, with why."""
    refuse_overlong(reason=(reason, NOTE))
    condition = _locked(condition.pk)
    _refuse(can_settle_condition(user, condition, confirming=True))
    if not reason.strip():
        raise ValidationError({"reason": "Say what the evidence lacks."})
    condition.status = Condition.Status.OPEN
    condition.claimed_by = condition.claimed_at = None  # open again from now; the claim stays in the history
    condition.closing_note = reason.strip()
    save_with_history(condition, user=user, reason=f"Evidence returned: {reason.strip()}")
    _event(condition, ApprovalEvent.Verb.CONDITION_RETURNED, user, reason=reason.strip())
    notification_queue(
        recipient=condition.owner,
        subject=f"{condition.use_case.reference}: condition evidence returned",
        body=f"{named(condition.use_case)}: the evidence does not show this condition met yet.\n\n"
        f"{condition.description}\n\nWhy: {reason.strip()}\n\n{_link(condition)}",
        link=_path(condition),
    )
    return condition


@transaction.atomic
def condition_waive(*, condition: Condition, user, reason: str) -> Condition:
    """The setting function lifts the condition, with its reason."""
    refuse_overlong(reason=(reason, NOTE))
    condition = _locked(condition.pk)
    _refuse(can_settle_condition(user, condition))
    if not reason.strip():
        raise ValidationError({"reason": "Say why the condition is waived."})
    _close(condition, user, Condition.Status.WAIVED, ApprovalEvent.Verb.CONDITION_WAIVED, reason.strip(), "Waived")
    notification_queue(
        recipient=condition.owner,
        subject=f"{condition.use_case.reference}: condition waived",
        body=f"{named(condition.use_case)}: this condition is waived.\n\n{condition.description}\n\n"
        f"Why: {reason.strip()}",
        link=_path(condition),
    )
    return condition


def conditions_sweep(*, today: date | None = None) -> tuple[int, int, int]:
    """Remind owners of open conditions due within `CLEARANCE_CONDITION_REMINDER_DAYS`; mark open conditions
    past their due date overdue, once, telling the owner and the setting function; and suspend the approval
    of those whose setter chose so (the day after the due date). A condition reported met is waiting for its
    function, not for its owner, so it is neither reminded nor overdue. Running it again changes nothing.
    Returns (reminded, overdue, suspended)."""
    from approvals.services import approval_suspend

    today = today or timezone.localdate()
    reminded = overdue = suspended = 0
    due_soon = (
        Condition.objects.current()
        .filter(
            status=Condition.Status.OPEN,
            reminded_at__isnull=True,
            due_on__gte=today,
            due_on__lte=today + timedelta(days=settings.CLEARANCE_CONDITION_REMINDER_DAYS),
        )
        .select_related("use_case", "owner")
    )
    for condition in due_soon:
        notification_queue(
            recipient=condition.owner,
            subject=f"{condition.use_case.reference}: a condition is due on {condition.due_on:%Y-%m-%d}",
            body=f"{named(condition.use_case)}: this condition of its approval is due on {condition.due_on:%Y-%m-%d}."
            f"\n\n{condition.description}\n\nReport it met with evidence: {_link(condition)}",
            link=_path(condition),
        )
        Condition.objects.filter(pk=condition.pk).update(reminded_at=timezone.now())
        reminded += 1
    for pk in (
        Condition.objects.current()
        .filter(status=Condition.Status.OPEN, overdue_at__isnull=True, due_on__lt=today)
        .values_list("pk", flat=True)
    ):
        with transaction.atomic():
            condition = _locked(pk)
            if condition.status != Condition.Status.OPEN or condition.overdue_at is not None:
                continue
            condition.overdue_at = timezone.now()
            save_with_history(condition, user=None, reason="Overdue")
            _event(condition, ApprovalEvent.Verb.CONDITION_OVERDUE, due_on=condition.due_on.isoformat())
            overdue += 1
            for person in {condition.owner, *members_of(condition.function)}:
                notification_queue(
                    recipient=person,
                    subject=f"{condition.use_case.reference}: a condition is overdue",
                    body=f"{named(condition.use_case)}: this condition was due on {condition.due_on:%Y-%m-%d} and "
                    f"is not met.\n\n{condition.description}\n\n{_link(condition)}",
                    link=_path(condition),
                )
            current = condition.round.status == ApprovalRequest.Status.APPROVED_WITH_CONDITIONS
            if condition.suspend_if_not_met and current:
                use_case = UseCase.objects.select_related("primary_model__vendor").get(pk=condition.use_case_id)
                reason = f"Condition not met by {condition.due_on:%Y-%m-%d}: {condition.description}"
                suspended += (
                    approval_suspend(use_case=use_case, reason=reason, cause=SuspensionCause.CONDITION_NOT_MET)
                    is not None
                )
    return reminded, overdue, suspended
