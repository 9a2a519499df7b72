"""The review workflow. One function per verb; each checks the current state and the actor's right
first, runs in one transaction with the rows it changes locked, records an ApprovalEvent, and queues
its side effects (e-mail, documents) to run once the transaction commits."""

import calendar
from collections.abc import Mapping
from datetime import date, timedelta

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import models, transaction
from django.utils import timezone
from guardian.shortcuts import assign_perm
from simple_history.utils import bulk_create_with_history

from approvals.completeness import Gap, completeness_gaps, current_template
from approvals.conditions import ConditionSpec, conditions_check, conditions_create, conditions_summary
from approvals.models import ApprovalEvent, ApprovalRequest, SignOff, SuspensionCause
from approvals.notifications import enqueue_safely
from approvals.notify import notify_function_members, notify_owners, notify_signoff_released
from approvals.permissions import (
    Verdict,
    can_answer_signoff_items,
    can_assign,
    can_lead,
    can_name_leads,
    can_release,
    can_revoke,
    can_sign,
    can_submit,
    can_take,
    can_withdraw,
    decision_standing,
)
from approvals.selectors import routing_preview
from approvals.snapshot import build_snapshot, drift_reason, registry_drift, snapshot_sha256
from approvals.tasks import render_approval_record
from checklist.models import Answer, ChecklistItem
from checklist.services import answers_record
from governance.history import save_with_history
from governance.limits import CHANGE_REASON, NOTE, PROSE, clip, refuse_overlong
from governance.models import AIModel, UseCase, Vendor
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


def _lock_registry_facts(use_case: UseCase) -> None:
    """Lock the primary model's row, then its vendor's, and read them afresh onto `use_case`.

    A registry change updates one of these rows, so it either committed before this read (and is seen
    here) or waits for this transaction to commit (and its announcement, queued on its own commit, then
    finds what this transaction did). Always after the use case and its round, model before vendor, as
    every service does. FOR NO KEY UPDATE: it still excludes those updates, but not the inserts of rows
    that refer to the model or vendor."""
    model = AIModel.objects.select_for_update(no_key=True).get(pk=use_case.primary_model_id)
    model.vendor = Vendor.objects.select_for_update(no_key=True).get(pk=model.vendor_id)
    use_case.primary_model = model


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
    3. Lock the model and vendor rows; freeze a snapshot (use case, model and vendor facts, answers,
       risks) and its SHA-256, against the checklist version current now.
    4. Route it: one pending sign-off per required function; grant those groups the round.
    5. Move the use case to review; record the event; notify each function's members on commit.
    """
    use_case = _locked_use_case(use_case)
    _refuse_unless(can_submit(user, use_case))
    template = current_template()
    gaps = completeness_gaps(use_case, template)
    if gaps:
        raise SubmissionIncomplete(gaps)

    round = _round_open(use_case, template=template, submitted_by=user, user=user)
    use_case.submit()
    save_with_history(use_case, user=user, reason=f"{reason} (round {round.number})")
    event_record(
        use_case=use_case,
        round=round,
        actor=user,
        verb=ApprovalEvent.Verb.SUBMITTED,
        number=round.number,
        snapshot_sha256=round.snapshot_sha256,
        functions=round.required_functions,
        checklist_version=template.version,
    )
    notify_function_members(round, round.required_functions)
    return round


def _round_open(use_case: UseCase, *, template, submitted_by, user) -> ApprovalRequest:
    """The next round of a locked use case: a snapshot of it and of the registry as they stand now, routed
    on those facts, with one pending sign-off per required function, each function's group granted it.
    `user` is who acts (None: the system), `submitted_by` whose request the round reviews."""
    _lock_registry_facts(use_case)
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
        submitted_by=submitted_by,
        submitted_at=timezone.now(),
    )
    save_with_history(round, user=user, reason="Submitted")
    if use_case.first_submitted_at is None:  # it joins the portfolio now
        use_case.first_submitted_at = round.submitted_at
        UseCase.objects.filter(pk=use_case.pk).update(first_submitted_at=round.submitted_at)
    bulk_create_with_history(
        [SignOff(round=round, function=r.function, reason=r.reason) for r in routing.routes],
        SignOff,
        default_user=user,
        default_change_reason=f"Required: round {number}",
    )
    for route_entry in routing.routes:
        assign_perm("approvals.view_approvalrequest", _group(route_entry.function), round)
    return round


def _group(function: str):
    from django.contrib.auth.models import Group

    return Group.objects.get(name=FUNCTION_GROUP[function])


@transaction.atomic
def signoff_decide(
    *,
    signoff: SignOff,
    user,
    decision: str,
    comment: str = "",
    conditions: str = "",
    condition_specs: list[ConditionSpec] | None = None,
) -> SignOff:
    """Record one function's decision and settle the round when it is settled.

    1. Lock the use case and the round (in that order, as every service does), re-read the sign-off.
    2. Check the round is open, the sign-off pending, and that `user` may sign it (group, separation
       of duties); check the decision is allowed (`decision_standing`: no approval of a critical
       residual risk, none while an item of the function is unanswered, only with conditions after a
       "No" or "Partially" or, for security, when tools or agents are enabled) and carries the comment
       and conditions it needs. Conditions are `condition_specs` (each with its owner and due date); a
       caller with text only (`conditions`) sets one condition, owned by the business owner and due in
       `CLEARANCE_CONDITION_DAYS`.
    3. Record who, when, and the snapshot hash signed (the conditions in words with it), the conditions
       as obligations (`approvals.conditions`); log the event.
    4. One reject rejects the round; one request for changes returns the use case to its owners; when
       every sign-off approves, the model and vendor rows are locked and compared with the snapshot: if
       a fact the round rests on changed, the round is re-routed (`round_reroute_if_stale`), otherwise
       approved (with conditions if any were set) with its expiry. Owners are told of every outcome.
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
    # An approval rests on the function's checklist: read under the lock on the use case, which
    # answering takes too, so no answer changes between this check and the decision.
    refused = decision_standing(signoff).refusal(decision)
    if refused:
        raise ValidationError({"decision": refused})
    errors = {}
    if decision != Decision.APPROVE and not comment:
        errors["comment"] = "Say why: a comment is required for every decision but a plain approval."
    specs: list[ConditionSpec] = []
    if decision == Decision.APPROVE_WITH_CONDITIONS:
        today = timezone.localdate()
        if condition_specs is None and conditions:
            due = today + timedelta(days=settings.CLEARANCE_CONDITION_DAYS)
            specs = [ConditionSpec(conditions, use_case.business_owner, due)]
        else:
            specs = list(condition_specs or [])
            conditions = conditions_summary(specs)
        errors.update(conditions_check(use_case, specs, today=today))
        if not errors and len(conditions) > PROSE:
            errors["conditions"] = f"The conditions together are at most {PROSE:,} characters."
    if errors:
        raise ValidationError(errors)

    signoff.decision = decision
    signoff.comment = comment
    signoff.conditions = conditions if decision == Decision.APPROVE_WITH_CONDITIONS else ""
    signoff.signed_by = user
    signoff.signed_at = timezone.now()
    signoff.signed_snapshot_sha256 = round.snapshot_sha256
    save_with_history(signoff, user=user, reason=f"Signed: {signoff.get_decision_display()}")
    if specs:
        conditions_create(signoff=signoff, specs=specs, user=user)
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
        if round_reroute_if_stale(round=round, use_case=use_case):
            return  # never approved on facts other than those signed: the next round carries on
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


def round_reroute_if_stale(*, round: ApprovalRequest, use_case: UseCase) -> bool:
    """Close an open round whose registry facts changed since its snapshot and carry on in a new one.
    Inside a caller's transaction, with `use_case` and `round` locked; True when the round was closed.

    1. Lock the primary model and its vendor and compare them with the snapshot (`registry_drift`); stop
       if nothing the round rests on changed.
    2. Close the round as superseded, with the changes as its reason and an event; the decisions already
       made stay on it, against the snapshot they signed.
    3. Open the next round on the same checklist version, snapshot and routing taken afresh (a vendor now
       sanctioned brings compliance in), for the same submitter, by the system; tell its functions and
       the owners. If the request is no longer complete (the model was retired), return it to its owners
       with the gaps instead.
    """
    _lock_registry_facts(use_case)
    drift = registry_drift(round.snapshot, use_case.primary_model)
    if not drift:
        return False
    reason = drift_reason(drift)
    round.supersede()
    round.closed_reason = reason
    round.decided_at = timezone.now()
    save_with_history(round, user=None, reason="Superseded: registry facts changed")

    gaps = [gap.message for gap in completeness_gaps(use_case, round.checklist_template)]
    following = None
    if gaps:
        use_case.request_changes()
        save_with_history(use_case, user=None, reason=f"Returned to its owners: {reason}")
        outcome = "returned to its owners: registry facts changed"
    else:
        following = _round_open(use_case, template=round.checklist_template, submitted_by=round.submitted_by, user=None)
        save_with_history(use_case, user=None, reason=f"Re-routed to round {following.number}: {reason}")
        outcome = f"re-routed to round {following.number}: registry facts changed"
    event_record(
        use_case=use_case,
        round=round,
        verb=ApprovalEvent.Verb.SUPERSEDED,
        reason=reason,
        changes=drift,
        next_round=following.number if following else None,
        gaps=gaps,
    )
    if following:
        event_record(
            use_case=use_case,
            round=following,
            verb=ApprovalEvent.Verb.SUBMITTED,
            number=following.number,
            snapshot_sha256=following.snapshot_sha256,
            functions=following.required_functions,
            checklist_version=following.checklist_template.version,
            reason=f"Re-routed from round {round.number}: {reason}",
        )
        notify_function_members(following, following.required_functions)
    notify_owners(use_case, round, outcome)
    return True


@transaction.atomic
def signoff_assign(*, signoff: SignOff, user, assignee) -> SignOff:
    """Give a pending sign-off to someone, or to nobody.

    1. Lock the use case, the round and the sign-off (the order `signoff_decide` takes them in).
    2. Check the right: `assignee` is `user` — they take it (`can_take`: free, or they lead the
       function; and they may sign it); `assignee` is None — its holder or a lead releases it
       (`can_release`); anyone else — a lead of the function or a governance admin gives it to a
       member who may sign it (`can_assign`).
    3. Save with history and record an "assigned" event saying from whom, to whom and who did it.
    """
    _locked_use_case(signoff.round.use_case)
    round = ApprovalRequest.objects.select_for_update().select_related("use_case").get(pk=signoff.round_id)
    signoff = SignOff.objects.select_for_update().get(pk=signoff.pk)
    signoff.round = round
    if assignee is None:
        _refuse_unless(can_release(user, signoff))
    elif assignee.pk == user.pk:
        _refuse_unless(can_take(user, signoff))
    else:
        _refuse_unless(can_assign(user, signoff, assignee))
    previous = signoff.assignee
    signoff.assignee = assignee
    if assignee is None:
        reason = f"Released by {user.username}"
    elif previous is None:
        reason = f"Assigned to {assignee.username} by {user.username}"
    else:
        reason = f"Reassigned from {previous.username} to {assignee.username} by {user.username}"
    save_with_history(signoff, user=user, reason=reason)
    event_record(
        use_case=round.use_case,
        round=round,
        actor=user,
        verb=ApprovalEvent.Verb.ASSIGNED,
        function=signoff.function,
        kind="reassigned" if previous is not None and assignee is not None else "assigned" if assignee else "released",
        previous=previous.username if previous else None,
        assignee=assignee.username if assignee else None,
        by=user.username,
    )
    return signoff


@transaction.atomic
def signoffs_assign(*, signoffs: list[SignOff], user, assignee) -> list[SignOff]:
    """A lead gives several pending sign-offs to one member: all of them, or none.

    1. Lock the use cases, then the sign-offs, in use case order (two leads assigning overlapping
       selections take the locks in the same order, so neither waits for the other forever).
    2. Check every one, as locked: `user` leads its function (`can_lead`), and may give it to `assignee`
       (`can_assign`; `can_take` when `assignee` is `user`). One refusal refuses the lot, naming each
       refused sign-off and why.
    3. Give each one that `assignee` does not already hold through `signoff_assign` (its history and its
       one "assigned" event). Returns the sign-offs that changed hands.
    """
    if not signoffs:
        raise ValidationError({"signoffs": "Select at least one sign-off."})
    ordered = sorted(signoffs, key=lambda s: (s.round.use_case_id, s.round_id, s.pk))
    for use_case_id in dict.fromkeys(s.round.use_case_id for s in ordered):
        UseCase.objects.select_for_update(of=("self",)).get(pk=use_case_id)
    locked = list(
        SignOff.objects.select_for_update(of=("self",))
        .select_related("round__use_case", "assignee")
        .filter(pk__in=[s.pk for s in ordered])
        .order_by("round__use_case_id", "round_id", "pk")
    )
    refusals = []
    for signoff in locked:
        reason = ""
        if not signoff.round.is_open:
            reason = f"its round is {signoff.round.get_status_display().lower()}"
        elif not signoff.is_pending:
            reason = "it is already decided"
        elif not can_lead(user, signoff.function):
            reason = f"you do not lead {signoff.get_function_display()}"
        elif signoff.assignee_id != assignee.pk:
            verdict = can_take(user, signoff) if assignee.pk == user.pk else can_assign(user, signoff, assignee)
            reason = verdict.reason.rstrip(".")
        if reason:
            refusals.append(f"{signoff.round.use_case.reference} ({signoff.get_function_display()}): {reason}")
    if len(locked) != len(ordered):
        refusals.append("a selected sign-off no longer exists")
    if refusals:
        raise WorkflowRefused("Nothing was assigned. " + "; ".join(refusals) + ".")
    return [
        signoff_assign(signoff=signoff, user=user, assignee=assignee)
        for signoff in locked
        if signoff.assignee_id != assignee.pk
    ]


@transaction.atomic
def signoffs_release_held(*, person, actor, reason: str, functions=None) -> list[SignOff]:
    """Give back to their functions' queues the pending sign-offs that `person` holds in open rounds (of
    `functions` only, when given): they lost the role that let them sign, or their account was closed.

    The caller has checked the right to change `person`; `actor` is who did (None: the identity provider,
    at sign-in).

    1. Lock the use cases, then the sign-offs, in use case order (as `signoffs_assign` does), and keep those
       that are still pending, in an open round and held by `person` once locked.
    2. Each one: no holder; saved with history and an "assigned" event of kind "released" with the reason.
    3. Its function's members hear, once for each sign-off, that it waits in their queue.
    Returns the sign-offs released.
    """
    reason = clip(reason.strip(), NOTE)  # the callers' reasons are bounded; one written from a provider's groups is cut
    held = SignOff.objects.filter(
        assignee=person, decision=Decision.PENDING, round__status=ApprovalRequest.Status.IN_REVIEW
    )
    if functions is not None:
        held = held.filter(function__in=list(functions))
    found = list(held.order_by("round__use_case_id", "round_id", "pk").values_list("round__use_case_id", "pk"))
    if not found:
        return []
    for use_case_id in dict.fromkeys(use_case_id for use_case_id, _ in found):
        UseCase.objects.select_for_update(of=("self",)).get(pk=use_case_id)
    locked = list(
        SignOff.objects.select_for_update(of=("self",))
        .select_related("round__use_case")
        .filter(pk__in=[pk for _, pk in found], assignee=person, decision=Decision.PENDING)
        .order_by("round__use_case_id", "round_id", "pk")
    )
    by = actor.username if actor is not None else None
    released = []
    for signoff in locked:
        if not signoff.round.is_open:
            continue
        signoff.assignee = None
        save_with_history(signoff, user=actor, reason=clip(f"Released from {person.username}: {reason}", NOTE))
        event_record(
            use_case=signoff.round.use_case,
            round=signoff.round,
            actor=actor,
            verb=ApprovalEvent.Verb.ASSIGNED,
            function=signoff.function,
            kind="released",
            previous=person.username,
            assignee=None,
            by=by,
            reason=reason,
        )
        notify_signoff_released(signoff, reason)
        released.append(signoff)
    return released


@transaction.atomic
def signoff_answers_record(*, signoff: SignOff, user, answers: Mapping[ChecklistItem, tuple[str, str]]) -> list[Answer]:
    """A reviewer answers their function's checklist items from a sign-off's page, all in one save.

    1. Lock the use case, the round and the sign-off (the order `signoff_decide` takes them in), so that a
       decision cannot land between the check below and the answers.
    2. Check, as locked, that the round is open, the sign-off pending and that `user` answers its function's
       items (`can_answer_signoff_items`), and that every item given is one of them.
    3. Save through `answers_record`: every row valid or nothing saved (`AnswersInvalid`), unchanged answers
       not written again. Returns the answers saved.
    """
    use_case = _locked_use_case(signoff.round.use_case)
    round = ApprovalRequest.objects.select_for_update().get(pk=signoff.round_id)
    signoff = SignOff.objects.select_for_update().get(pk=signoff.pk)
    round.use_case, signoff.round = use_case, round
    _refuse_unless(can_answer_signoff_items(user, signoff))
    foreign = [
        item.code
        for item in answers
        if item.owner_function != signoff.function or item.section.template_id != round.checklist_template_id
    ]
    if foreign:
        raise WorkflowRefused(
            f"{', '.join(foreign)} {'is' if len(foreign) == 1 else 'are'} not among the "
            f"{signoff.get_function_display()} items of this round."
        )
    return answers_record(use_case=use_case, user=user, answers=answers)


@transaction.atomic
def lead_set(*, member, user, lead: bool) -> bool:
    """A governance admin makes a member of a reviewing function one of its leads, or no longer one.

    1. Check the right (`can_name_leads`) and that `member` is an active member of a reviewing function.
    2. Grant or remove the `approvals.lead_signoffs` permission on the person (a lead hands out the
       sign-offs of the functions they are a member of).
    3. Record who did it in the admin's log of the person's account. Returns whether anything changed.
    """
    from django.contrib.admin.models import CHANGE, LogEntry
    from django.contrib.auth.models import Permission

    _refuse_unless(Verdict(can_name_leads(user), "Only a governance admin names the leads of a function."))
    member = type(member).objects.select_for_update().get(pk=member.pk)
    if not member.is_active or not member.groups.filter(name__in=FUNCTION_GROUP.values()).exists():
        raise ValidationError({"member": "Only an active member of a reviewing function can lead it."})
    permission = Permission.objects.get(codename="lead_signoffs", content_type__app_label="approvals")
    held = member.user_permissions.filter(pk=permission.pk).exists()
    if held == lead:
        return False
    if lead:
        member.user_permissions.add(permission)
    else:
        member.user_permissions.remove(permission)
    LogEntry.objects.log_actions(
        user_id=user.pk,
        queryset=[member],
        action_flag=CHANGE,
        change_message="Made a lead of their functions' sign-offs" if lead else "No longer a lead of sign-offs",
        single_object=True,
    )
    return True


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


def approval_suspend(*, use_case: UseCase, reason: str, cause: str, actor=None) -> ApprovalRequest | None:
    """Suspend the current approval of a locked use case (inside a caller's transaction); `cause` is a
    `SuspensionCause`, kept on the event."""
    reason = clip(reason, NOTE)  # written by the system from registry facts: cut, never fail a sweep
    round = _current_approval(use_case)
    if round is None:
        return None
    round.suspend()
    round.closed_reason = reason
    save_with_history(round, user=actor, reason="Suspended")
    use_case.suspend()
    save_with_history(use_case, user=actor, reason=f"Approval suspended: {reason}")
    event_record(
        use_case=use_case, round=round, actor=actor, verb=ApprovalEvent.Verb.SUSPENDED, reason=reason, cause=cause
    )
    notify_owners(use_case, round, f"suspended: {reason}")
    return round


def _comparable(value):
    """A field's value as an edit compares it: a browser posts a textarea's line breaks as CRLF and a
    form strips what it reads, so neither alone makes a change."""
    if isinstance(value, str):
        return value.replace("\r\n", "\n").strip()
    if isinstance(value, models.Model):
        return value.pk
    return value


def material_changes(*, use_case: UseCase, changes: dict) -> list[str]:
    """The material fields (`UseCase.MATERIAL_FIELDS`, in that order) that applying `changes` to
    `use_case` would change; many-to-many fields are compared as sets, None leaving them as they are."""
    changed = []
    for name in UseCase.MATERIAL_FIELDS:
        if name not in changes:
            continue
        new = changes[name]
        if UseCase._meta.get_field(name).many_to_many:
            if new is not None and {getattr(v, "pk", v) for v in new} != set(
                getattr(use_case, name).values_list("pk", flat=True)
            ):
                changed.append(name)
        elif _comparable(getattr(use_case, name)) != _comparable(new):
            changed.append(name)
    return changed


REASON_REQUIRED = "Say why an approved request changes: the reason is kept in its history."


@transaction.atomic
def use_case_edit(*, use_case: UseCase, user, reason: str = "", **fields) -> UseCase:
    """Edit a request. A material change to an approved one suspends the approval and opens a new round.

    1. Lock the use case; an approved one may be edited by its owners, anything else only when it is
       editable (checked by `use_case_update`). An approved request changes only with a reason.
    2. Work out which material facts change (`UseCase.MATERIAL_FIELDS`: everything the approval is an
       approval of).
    3. Save the edit with its reason. If the request was approved and the change is material, suspend
       the approval (its event names the fields) and submit a new round in the same transaction: if the
       request is no longer complete, nothing is saved and the error names the gaps. A change that is
       not material keeps the approval.
    """
    refuse_overlong(reason=(reason, CHANGE_REASON))
    use_case = _locked_use_case(use_case)
    if not user.has_perm("governance.change_usecase", use_case):
        raise WorkflowRefused("Only the owners of a use case can edit it.")
    was_approved = use_case.is_approved
    reason = reason.strip()
    if was_approved and not reason:
        raise ValidationError({"reason": REASON_REQUIRED})
    material = material_changes(use_case=use_case, changes=fields) if was_approved else []
    updated = use_case_update(
        use_case=use_case, user=user, reason=reason or "Edited", approved_ok=was_approved, **fields
    )
    if material:
        approval_suspend(
            use_case=updated,
            reason=f"Material change: {', '.join(material)}",
            cause=SuspensionCause.MATERIAL_CHANGE,
            actor=user,
        )
        use_case_submit(use_case=updated, user=user, reason="Re-submitted after a material change")
        updated.refresh_from_db()
    return updated
