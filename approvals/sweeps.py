"""Work done on a schedule or after a registry change, by the system rather than a person."""

from datetime import date, timedelta

from django.conf import settings
from django.db import transaction
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone

from approvals.models import ApprovalEvent, ApprovalRequest, SignOff, SuspensionCause
from approvals.notifications import notification_queue
from approvals.notify import members_of, named, owners_of
from approvals.services import approval_suspend, event_record, round_reroute_if_stale
from approvals.snapshot import registry_drift
from governance.history import save_with_history
from governance.models import UseCase, Vendor


def approvals_expire(*, today: date | None = None) -> int:
    """Move approvals past their expiry date to expired, one use case per transaction. Returns how many."""
    today = today or timezone.localdate()
    due = list(
        ApprovalRequest.objects.filter(status__in=ApprovalRequest.APPROVED_STATUSES, expires_on__lt=today).values_list(
            "use_case_id", flat=True
        )
    )
    expired = 0
    for use_case_id in due:
        with transaction.atomic():
            use_case = UseCase.objects.select_for_update().get(pk=use_case_id)
            round = (
                use_case.rounds.select_for_update()
                .filter(status__in=ApprovalRequest.APPROVED_STATUSES, expires_on__lt=today)
                .first()
            )
            if round is None:  # renewed or revoked meanwhile
                continue
            round.expire()
            save_with_history(round, user=None, reason="Expired")
            use_case.expire()
            save_with_history(use_case, user=None, reason=f"Approval expired on {round.expires_on}")
            event_record(
                use_case=use_case, round=round, verb=ApprovalEvent.Verb.EXPIRED, expires_on=str(round.expires_on)
            )
            for owner in owners_of(use_case):
                notification_queue(
                    recipient=owner,
                    subject=f"{use_case.reference} approval expired",
                    body=f"The approval of {named(use_case)} expired on "
                    f"{round.expires_on}. Submit it again to renew it.",
                    link=use_case.get_absolute_url(),
                )
            expired += 1
    return expired


@transaction.atomic
def signoffs_remind_overdue(*, now=None) -> int:
    """Remind the reviewers of sign-offs pending past the SLA, at most once per SLA period each."""
    now = now or timezone.now()
    sla = timedelta(days=settings.CLEARANCE_SIGNOFF_SLA_DAYS)
    overdue = (
        SignOff.objects.select_for_update(skip_locked=True, of=("self",))
        .filter(
            decision=SignOff.Decision.PENDING,
            round__status=ApprovalRequest.Status.IN_REVIEW,
            round__submitted_at__lt=now - sla,
        )
        .filter(Q(reminded_at__isnull=True) | Q(reminded_at__lt=now - sla))
        .select_related("round__use_case", "assignee")
    )
    count = 0
    for signoff in overdue:
        use_case = signoff.round.use_case
        days = (now - signoff.round.submitted_at).days
        recipients = [signoff.assignee] if signoff.assignee else list(members_of(signoff.function))
        for user in recipients:
            notification_queue(
                recipient=user,
                subject=f"Reminder: {use_case.reference} has waited {days} days for {signoff.get_function_display()}",
                body=f"The {signoff.get_function_display()} sign-off of {named(use_case)} "
                f"has been pending for {days} days (the target is {settings.CLEARANCE_SIGNOFF_SLA_DAYS}).",
                link=reverse("review_sign", args=[signoff.pk]),
            )
        signoff.reminded_at = now
        signoff.save(update_fields=["reminded_at"])
        count += 1
    return count


@transaction.atomic
def approvals_remind_expiring(*, today: date | None = None) -> int:
    """Tell owners once when their approval expires within the warning period."""
    today = today or timezone.localdate()
    horizon = today + timedelta(days=settings.CLEARANCE_EXPIRY_WARNING_DAYS)
    expiring = (
        ApprovalRequest.objects.select_for_update(skip_locked=True, of=("self",))
        .filter(
            status__in=ApprovalRequest.APPROVED_STATUSES,
            expires_on__gte=today,
            expires_on__lte=horizon,
            expiry_reminded_at__isnull=True,
        )
        .select_related("use_case__business_owner", "use_case__technical_owner", "use_case__risk_owner")
    )
    count = 0
    for round in expiring:
        use_case = round.use_case
        for owner in owners_of(use_case):
            notification_queue(
                recipient=owner,
                subject=f"{use_case.reference} approval expires on {round.expires_on}",
                body=f"The approval of {named(use_case)} expires on {round.expires_on}. "
                "Submit it again before then to keep using the model.",
                link=use_case.get_absolute_url(),
            )
        round.expiry_reminded_at = timezone.now()
        round.save(update_fields=["expiry_reminded_at"])
        count += 1
    return count


def approvals_suspend_dependents(*, model_id: int | None = None, vendor_id: int | None = None, reason: str) -> int:
    """After a change to model `model_id` or vendor `vendor_id`: suspend the approvals of the use cases
    whose primary model it is or comes from, and re-route their rounds in review whose registry facts
    no longer match their snapshot. Returns how many use cases it changed; running it again changes none.

    A vendor's approvals are suspended only while it is restricted or sanctioned (any change of its status
    re-routes a round in review, whose routing read it). A use case listed in review may have been
    approved meanwhile, and is then suspended: its approval committed before this looked.
    """
    affected = UseCase.objects.filter(status__in=(*UseCase.APPROVED_STATUSES, UseCase.Status.IN_REVIEW))
    if model_id is not None:
        affected = affected.filter(primary_model_id=model_id)
    if vendor_id is not None:
        affected = affected.filter(primary_model__vendor_id=vendor_id)
    suspends = vendor_id is None or Vendor.objects.get(pk=vendor_id).is_restricted
    cause = SuspensionCause.MODEL_CHANGED if vendor_id is None else SuspensionCause.VENDOR_RESTRICTED
    changed = 0
    for use_case_id in affected.values_list("pk", flat=True):
        with transaction.atomic():
            use_case = UseCase.objects.select_for_update().get(pk=use_case_id)
            if use_case.is_approved:
                if suspends:
                    changed += approval_suspend(use_case=use_case, reason=reason, cause=cause) is not None
            elif use_case.status == UseCase.Status.IN_REVIEW:
                changed += _reroute_if_stale(use_case)
    return changed


def _reroute_if_stale(use_case: UseCase) -> bool:
    round = use_case.rounds.select_for_update().filter(status=ApprovalRequest.Status.IN_REVIEW).first()
    return round is not None and round_reroute_if_stale(round=round, use_case=use_case)


def approvals_suspend_stale() -> int:
    """Suspend approvals, and re-route rounds in review, whose model or vendor facts changed since their
    snapshot. Returns how many use cases it changed.

    The registry announces such changes as they happen; this sweep finds any whose announcement was
    lost (a broker that was down), by comparing each round's snapshot with the registry now.
    """
    stale: dict[int, tuple[str, str]] = {}
    rounds = ApprovalRequest.objects.filter(status__in=ApprovalRequest.APPROVED_STATUSES).select_related(
        "use_case__primary_model__vendor"
    )
    for round in rounds:
        model, signed = round.use_case.primary_model, round.snapshot["model"]
        changed = [f for f in ("version", "licence_name", "licence_restrictions") if getattr(model, f) != signed.get(f)]
        if changed:
            stale[round.use_case_id] = (f"{model.name}: {', '.join(changed)} changed", SuspensionCause.MODEL_CHANGED)
        elif model.vendor.is_restricted and signed["vendor"]["sanctions_status"] != model.vendor.sanctions_status:
            stale[round.use_case_id] = (
                f"Vendor {model.vendor.name} is now {model.vendor.get_sanctions_status_display().lower()}",
                SuspensionCause.VENDOR_RESTRICTED,
            )
    in_review = ApprovalRequest.objects.filter(status=ApprovalRequest.Status.IN_REVIEW).select_related(
        "use_case__primary_model__vendor"
    )
    drifted = [r.use_case_id for r in in_review if registry_drift(r.snapshot, r.use_case.primary_model)]
    changed = 0
    for use_case_id, (reason, cause) in stale.items():
        with transaction.atomic():
            use_case = UseCase.objects.select_for_update().get(pk=use_case_id)
            if use_case.is_approved and approval_suspend(use_case=use_case, reason=reason, cause=cause) is not None:
                changed += 1
    for use_case_id in drifted:
        with transaction.atomic():
            use_case = UseCase.objects.select_for_update().get(pk=use_case_id)
            # Checked again under lock: the registry's announcement may have re-routed it meanwhile.
            if use_case.status == UseCase.Status.IN_REVIEW:
                changed += _reroute_if_stale(use_case)
    return changed
