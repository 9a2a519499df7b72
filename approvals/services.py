"""The review workflow. One function per verb; each checks the current state and the actor's right
first, runs in one transaction with the rows it changes locked, records an ApprovalEvent, and queues
its side effects (e-mail, documents) to run once the transaction commits."""

import calendar
from collections.abc import Iterable
from datetime import date

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from guardian.shortcuts import assign_perm
from simple_history.utils import bulk_create_with_history

from approvals.completeness import Gap, completeness_gaps, current_template
from approvals.models import ApprovalEvent, ApprovalRequest, SignOff
from approvals.notifications import enqueue_safely
from approvals.notify import notify_function_members, notify_owners
from approvals.permissions import Verdict, can_revoke, can_sign, can_submit, can_withdraw
from approvals.selectors import routing_preview
from approvals.snapshot import build_snapshot, snapshot_sha256
from approvals.tasks import render_approval_record
from governance.history import save_with_history
from governance.limits import CHANGE_REASON, NOTE, PROSE, clip, refuse_overlong
from governance.models import UseCase
from governance.roles import FUNCTION_GROUP
from governance.scoring import Band, band_for_score
from governance.services import use_case_update

Decision = SignOff.Decision


class WorkflowRefused(PermissionDenied):
    """The actor may not do this, with the reason to show them."""


class SubmissionIncomplete(ValidationError):
    def __init__(self, gaps: list[Gap]):
        self.gaps = gaps
        super().__init__([gap.message for gap in gaps])


def _refuse_unless(verdict: Verdict) -> None:
    if not verdict:
        raise WorkflowRefused(verdict.reason)


def _locked_use_case(use_case: UseCase) -> UseCase:
    # of=("self",): lock the use case only, not the model and vendor rows it joins, which other use
    # cases and registry edits share.
    return UseCase.objects.select_for_update(of=("self",)).select_related("primary_model__vendor").get(pk=use_case.pk)


def _open_round(use_case: UseCase) -> ApprovalRequest | None:
    return use_case.rounds.select_for_update().filter(status=ApprovalRequest.Status.IN_REVIEW).first()


def _current_approval(use_case: UseCase) -> ApprovalRequest | None:
    return use_case.rounds.select_for_update().filter(status__in=ApprovalRequest.APPROVED_STATUSES).first()


def event_record(
    *, use_case: UseCase, verb: str, actor=None, round: ApprovalRequest | None = None, **data
) -> ApprovalEvent:
    return ApprovalEvent.objects.create(use_case=use_case, round=round, actor=actor, verb=verb, data=data)


def add_months(day: date, months: int) -> date:
    month_index = day.month - 1 + months
    year, month = day.year + month_index // 12, month_index % 12 + 1
    return date(year, month, min(day.day, calendar.monthrange(year, month)[1]))


def approval_expiry(decided: date, highest_residual: int | None) -> date:
    """Approvals of high residual risk last a shorter time."""
    high = highest_residual is not None and band_for_score(highest_residual) == Band.HIGH
    months = settings.CLEARANCE_APPROVAL_MONTHS_HIGH_RISK if high else settings.CLEARANCE_APPROVAL_MONTHS
    return add_months(decided, months)


@transaction.atomic
def use_case_submit(*, use_case: UseCase, user, reason: str = "Submitted for review") -> ApprovalRequest:
    """Send a request to its reviewers as a new round.

    1. Lock the use case; check its state and that `user` owns it.
    2. Check completeness; name every gap in one error.
    3. Freeze a snapshot (use case, model and vendor facts, answers, risks) and its SHA-256, against
       the checklist version current now.
    4. Route it: one pending sign-off per required function; grant those groups the round.
    5. Move the use case to review; record the event; notify each function's members on commit.
    """
    use_case = _locked_use_case(use_case)
    _refuse_unless(can_submit(user, use_case))
    template = current_template()
    gaps = completeness_gaps(use_case, template)
    if gaps:
        raise SubmissionIncomplete(gaps)

    snapshot = build_snapshot(use_case, template)
    routing = routing_preview(use_case)
    number = (use_case.rounds.order_by("-number").values_list("number", flat=True).first() or 0) + 1
    round = ApprovalRequest(
        use_case=use_case,
        number=number,
        checklist_template=template,
        snapshot=snapshot,
        snapshot_sha256=snapshot_sha256(snapshot),
        routing=routing.as_json(),
        highest_residual=routing.highest_residual,
        submitted_by=user,
        submitted_at=timezone.now(),
    )
    save_with_history(round, user=user, reason="Submitted")
    bulk_create_with_history(
        [SignOff(round=round, function=r.function, reason=r.reason) for r in routing.routes],
        SignOff,
        default_user=user,
        default_change_reason=f"Required: round {number}",
    )
    for route_entry in routing.routes:
        assign_perm("approvals.view_approvalrequest", _group(route_entry.function), round)

    use_case.submit()
    save_with_history(use_case, user=user, reason=f"{reason} (round {number})")
    event_record(
        use_case=use_case,
        round=round,
        actor=user,
        verb=ApprovalEvent.Verb.SUBMITTED,
        number=number,
        snapshot_sha256=round.snapshot_sha256,
        functions=routing.functions,
        checklist_version=template.version,
    )
    notify_function_members(round, routing.functions)
    return round


def _group(function: str):
    from django.contrib.auth.models import Group

    return Group.objects.get(name=FUNCTION_GROUP[function])


@transaction.atomic
def signoff_decide(*, signoff: SignOff, user, decision: str, comment: str = "", conditions: str = "") -> SignOff:
    """Record one function's decision and settle the round when it is settled.

    1. Lock the use case and the round (in that order, as every service does), re-read the sign-off.
    2. Check the round is open, the sign-off pending, and that `user` may sign it (group, separation
       of duties); check the decision is allowed (no approval of a critical residual risk) and carries
       the comment and conditions it needs.
    3. Record who, when, and the snapshot hash signed; log the event.
    4. One reject rejects the round; one request for changes returns the use case to its owners; when
       every sign-off approves, the round is approved (with conditions if any were set) and gets its
       expiry. Owners are told of every outcome.
    """
    refuse_overlong(comment=(comment, PROSE), conditions=(conditions, PROSE))
    use_case = _locked_use_case(signoff.round.use_case)
    round = ApprovalRequest.objects.select_for_update().get(pk=signoff.round_id)
    signoff = SignOff.objects.select_for_update().select_related("round__use_case").get(pk=signoff.pk)
    signoff.round = round
    round.use_case = use_case
    _refuse_unless(can_sign(user, signoff))

    comment, conditions = comment.strip(), conditions.strip()
    if decision not in Decision.values or decision == Decision.PENDING:
        raise ValidationError({"decision": "Choose a decision."})
    if (
        decision in SignOff.APPROVING
        and round.highest_residual
        and band_for_score(round.highest_residual) == Band.CRITICAL
    ):
        raise ValidationError({"decision": "A critical residual risk cannot be approved: request changes or reject."})
    errors = {}
    if decision != Decision.APPROVE and not comment:
        errors["comment"] = "Say why: a comment is required for every decision but a plain approval."
    if decision == Decision.APPROVE_WITH_CONDITIONS and not conditions:
        errors["conditions"] = "List the conditions of the approval."
    if errors:
        raise ValidationError(errors)

    signoff.decision = decision
    signoff.comment = comment
    signoff.conditions = conditions if decision == Decision.APPROVE_WITH_CONDITIONS else ""
    signoff.signed_by = user
    signoff.signed_at = timezone.now()
    signoff.signed_snapshot_sha256 = round.snapshot_sha256
    save_with_history(signoff, user=user, reason=f"Signed: {signoff.get_decision_display()}")
    event_record(
        use_case=use_case,
        round=round,
        actor=user,
        verb=ApprovalEvent.Verb.SIGNED,
        function=signoff.function,
        decision=decision,
        comment=comment,
        conditions=signoff.conditions,
        snapshot_sha256=round.snapshot_sha256,
    )
    _settle(round, use_case, user)
    return signoff


def _settle(round: ApprovalRequest, use_case: UseCase, user) -> None:
    decisions = list(round.signoffs.values_list("decision", "conditions"))
    verbs = {d for d, _ in decisions}
    if Decision.REJECT in verbs:
        round.reject()
        use_case.reject()
        verb, outcome = ApprovalEvent.Verb.REJECTED, "rejected"
    elif Decision.REQUEST_CHANGES in verbs:
        round.request_changes()
        use_case.request_changes()
        verb, outcome = ApprovalEvent.Verb.CHANGES_REQUESTED, "returned to its owners for changes"
    elif verbs <= set(SignOff.APPROVING):
        if any(c for _, c in decisions):
            round.approve_with_conditions()
            use_case.approve_with_conditions()
            verb, outcome = ApprovalEvent.Verb.APPROVED_WITH_CONDITIONS, "approved with conditions"
        else:
            round.approve()
            use_case.approve()
            verb, outcome = ApprovalEvent.Verb.APPROVED, "approved"
        round.expires_on = approval_expiry(timezone.localdate(), round.highest_residual)
    else:
        return  # still waiting for sign-offs
    round.decided_at = timezone.now()
    save_with_history(round, user=user, reason=f"Round {outcome}")
    save_with_history(use_case, user=user, reason=f"Round {round.number} {outcome}")
    event_record(
        use_case=use_case,
        round=round,
        actor=user,
        verb=verb,
        expires_on=round.expires_on.isoformat() if round.expires_on else None,
    )
    notify_owners(use_case, round, outcome)
    if round.status in ApprovalRequest.DECIDED_STATUSES:
        transaction.on_commit(lambda: enqueue_safely(render_approval_record, round.pk))


@transaction.atomic
def signoff_assign(*, signoff: SignOff, user, assignee) -> SignOff:
    """Give a pending sign-off to a member of its function (a reviewer takes it, or passes it on)."""
    signoff = SignOff.objects.select_for_update().select_related("round__use_case").get(pk=signoff.pk)
    group = FUNCTION_GROUP[signoff.function]
    from governance.permissions import has_role

    if not has_role(user, group):
        raise WorkflowRefused(f"Only members of {group} can assign this sign-off.")
    if not signoff.round.is_open or not signoff.is_pending:
        raise WorkflowRefused("Only a pending sign-off of an open round can be assigned.")
    if assignee is not None and not has_role(assignee, group):
        raise ValidationError({"assignee": f"{assignee} is not a member of {group}."})
    signoff.assignee = assignee
    save_with_history(signoff, user=user, reason=f"Assigned to {assignee}" if assignee else "Unassigned")
    event_record(
        use_case=signoff.round.use_case,
        round=signoff.round,
        actor=user,
        verb=ApprovalEvent.Verb.ASSIGNED,
        function=signoff.function,
        assignee=assignee.username if assignee else None,
    )
    return signoff


@transaction.atomic
def use_case_withdraw(*, use_case: UseCase, user, reason: str) -> ApprovalRequest:
    """An owner takes a request out of review; the round closes as withdrawn and the request can be
    edited and submitted again."""
    refuse_overlong(reason=(reason, NOTE))
    use_case = _locked_use_case(use_case)
    _refuse_unless(can_withdraw(user, use_case))
    if not reason.strip():
        raise ValidationError({"reason": "Say why the request is withdrawn."})
    round = _open_round(use_case)
    round.withdraw()
    round.closed_reason = reason.strip()
    round.decided_at = timezone.now()
    save_with_history(round, user=user, reason="Withdrawn")
    use_case.withdraw()
    save_with_history(use_case, user=user, reason=f"Withdrawn from review: {reason.strip()}")
    event_record(use_case=use_case, round=round, actor=user, verb=ApprovalEvent.Verb.WITHDRAWN, reason=reason.strip())
    notify_function_members(round, round.required_functions, withdrawn=True)
    return round


@transaction.atomic
def approval_revoke(*, use_case: UseCase, user, reason: str) -> ApprovalRequest:
    """An executive or the risk owner ends an approval for good."""
    refuse_overlong(reason=(reason, NOTE))
    use_case = _locked_use_case(use_case)
    _refuse_unless(can_revoke(user, use_case))
    if not reason.strip():
        raise ValidationError({"reason": "Say why the approval is revoked."})
    round = (
        use_case.rounds.select_for_update()
        .filter(status__in=(*ApprovalRequest.APPROVED_STATUSES, ApprovalRequest.Status.SUSPENDED))
        .order_by("-number")
        .first()
    )
    round.revoke()
    round.closed_reason = reason.strip()
    save_with_history(round, user=user, reason="Revoked")
    use_case.revoke()
    save_with_history(use_case, user=user, reason=f"Approval revoked: {reason.strip()}")
    event_record(use_case=use_case, round=round, actor=user, verb=ApprovalEvent.Verb.REVOKED, reason=reason.strip())
    notify_owners(use_case, round, f"revoked: {reason.strip()}")
    return round


def approval_suspend(*, use_case: UseCase, reason: str, actor=None) -> ApprovalRequest | None:
    """Suspend the current approval of a locked use case (inside a caller's transaction)."""
    reason = clip(reason, NOTE)  # written by the system from registry facts: cut, never fail a sweep
    round = _current_approval(use_case)
    if round is None:
        return None
    round.suspend()
    round.closed_reason = reason
    save_with_history(round, user=actor, reason="Suspended")
    use_case.suspend()
    save_with_history(use_case, user=actor, reason=f"Approval suspended: {reason}")
    event_record(use_case=use_case, round=round, actor=actor, verb=ApprovalEvent.Verb.SUSPENDED, reason=reason)
    notify_owners(use_case, round, f"suspended: {reason}")
    return round


def material_changes(use_case: UseCase, fields: dict, data_categories: Iterable | None) -> list[str]:
    changed = [name for name in UseCase.MATERIAL_FIELDS if name in fields and getattr(use_case, name) != fields[name]]
    if data_categories is not None and {c.pk for c in data_categories} != set(
        use_case.data_categories.values_list("pk", flat=True)
    ):
        changed.append("data_categories")
    return changed


@transaction.atomic
def use_case_edit(*, use_case: UseCase, user, reason: str = "", data_categories=None, **fields) -> UseCase:
    """Edit a request. A material change to an approved one suspends the approval and opens a new round.

    1. Lock the use case; an approved one may be edited by its owners, anything else only when it is
       editable (checked by `use_case_update`).
    2. Work out which material facts change (model, data categories, deployment mode, hosting country).
    3. Save the edit. If the request was approved and the change is material, suspend the approval
       and submit a new round in the same transaction: if the request is no longer complete, nothing
       is saved and the error names the gaps.
    """
    refuse_overlong(reason=(reason, CHANGE_REASON))
    use_case = _locked_use_case(use_case)
    if not user.has_perm("governance.change_usecase", use_case):
        raise WorkflowRefused("Only the owners of a use case can edit it.")
    was_approved = use_case.is_approved
    material = material_changes(use_case, fields, data_categories) if was_approved else []
    updated = use_case_update(
        use_case=use_case,
        user=user,
        reason=reason or "Edited",
        approved_ok=was_approved,
        data_categories=data_categories,
        **fields,
    )
    if material:
        approval_suspend(use_case=updated, reason=f"Material change: {', '.join(material)}", actor=user)
        use_case_submit(use_case=updated, user=user, reason="Re-submitted after a material change")
        updated.refresh_from_db()
    return updated
