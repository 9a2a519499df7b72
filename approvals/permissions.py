"""Who may do what in a review. Views, templates, the API and the services all ask these predicates."""

from dataclasses import dataclass, field

from django.http import Http404
from django.shortcuts import get_object_or_404

from approvals.models import ApprovalRequest, Condition, SignOff
from checklist.models import Answer, ChecklistItem
from checklist.permissions import answerable_functions
from governance.models import UseCase
from governance.permissions import can_edit_use_case, can_view_use_case, has_object_perm, has_role
from governance.roles import FUNCTION_GROUP, Function, Role
from governance.scoring import Band, band_for_score


@dataclass(frozen=True)
class Verdict:
    """A yes, or a no with the reason to show the person asking."""

    allowed: bool
    reason: str = ""

    def __bool__(self) -> bool:
        return self.allowed


YES = Verdict(True)


def _involved(user, use_case: UseCase, round: ApprovalRequest | None = None) -> bool:
    ids = {use_case.business_owner_id, use_case.technical_owner_id, use_case.risk_owner_id, use_case.created_by_id}
    if round is not None:
        ids.add(round.submitted_by_id)
    return user.pk in ids


def can_sign(user, signoff: SignOff, *, signed_functions: set[str] | None = None) -> Verdict:
    """Whether `user` may decide `signoff` now.

    `signed_functions` — the functions this user already signed in the round — may be passed by a
    caller that has them at hand (a list page); otherwise it is read.
    """
    if not user.is_authenticated or not user.is_active:
        return Verdict(False, "Sign in to sign.")
    round = signoff.round
    if not round.is_open:
        return Verdict(False, f"This round is {round.get_status_display().lower()}: nothing more can be signed.")
    if not signoff.is_pending:
        return Verdict(False, f"The {signoff.get_function_display()} sign-off is already decided.")
    return _separation_of_duties(user, signoff, signed_functions=signed_functions)


def _separation_of_duties(
    user, signoff: SignOff, *, signed_functions: set[str] | None = None, you: str = "You"
) -> Verdict:
    """Whether `user` may hold `signoff` at all: a member of its function, no owner or submitter of the
    use case, and no signer of another function of the round. `you` names the person in the reason."""
    round = signoff.round
    group = FUNCTION_GROUP.get(signoff.function)
    if group is None or not has_role(user, group):
        return Verdict(False, f"Only members of {group} can sign for {signoff.get_function_display()}.")
    if _involved(user, round.use_case, round):
        return Verdict(False, "Owners and the submitter of a use case cannot sign any of its sign-offs.")
    if signed_functions is None:
        signed_functions = set(
            SignOff.objects.filter(round_id=round.pk, signed_by=user).values_list("function", flat=True)
        )
    others = signed_functions - {signoff.function}
    if others:
        return Verdict(
            False, f"{you} already signed for another function in this round; one person signs one function."
        )
    return YES


def _name(user) -> str:
    return user.get_full_name() or user.username


def can_lead(user, function: str) -> bool:
    """Leads hand out their function's sign-offs: governance admins for every function, holders of
    `approvals.lead_signoffs` for the functions they are members of."""
    if not user.is_authenticated or not user.is_active:
        return False
    if user.is_superuser or has_role(user, Role.ADMIN):
        return True
    group = FUNCTION_GROUP.get(function)
    return group is not None and has_role(user, group) and user.has_perm("approvals.lead_signoffs")


def _assignable(signoff: SignOff) -> Verdict:
    if not signoff.round.is_open or not signoff.is_pending:
        return Verdict(False, "Only a pending sign-off of an open round can be taken or assigned.")
    return YES


def can_take(user, signoff: SignOff, *, signed_functions: set[str] | None = None) -> Verdict:
    """Whether `user` may take `signoff` for themselves: it is free (or they lead its function and take
    it from its holder) and they may sign it. `signed_functions` as for `can_sign`."""
    if not user.is_authenticated or not user.is_active:
        return Verdict(False, "Sign in to take a sign-off.")
    verdict = _assignable(signoff)
    if not verdict:
        return verdict
    holder = signoff.assignee
    if holder is not None and holder.pk == user.pk:
        return Verdict(False, "You already hold this sign-off.")
    if holder is not None and not can_lead(user, signoff.function):
        return Verdict(False, f"{_name(holder)} holds this sign-off: ask them or a lead of the function to pass it on.")
    return _separation_of_duties(user, signoff, signed_functions=signed_functions)


def can_release(user, signoff: SignOff) -> Verdict:
    """Its holder gives a sign-off back; a lead of its function may take it off its holder."""
    verdict = _assignable(signoff)
    if not verdict:
        return verdict
    if signoff.assignee is None:
        return Verdict(False, "Nobody holds this sign-off.")
    if signoff.assignee_id != user.pk and not can_lead(user, signoff.function):
        return Verdict(False, f"{_name(signoff.assignee)} holds this sign-off: only they or a lead can release it.")
    return YES


def can_assign(user, signoff: SignOff, assignee) -> Verdict:
    """Whether `user` may give `signoff` to `assignee` (someone else): leads and governance admins only,
    and only to a member of the function who may sign it."""
    verdict = _assignable(signoff)
    if not verdict:
        return verdict
    if not can_lead(user, signoff.function):
        return Verdict(
            False,
            f"Only a lead of {signoff.get_function_display()} or a governance admin can give this sign-off to someone.",
        )
    if not assignee.is_active:
        return Verdict(False, f"{_name(assignee)} cannot sign in.")
    return _separation_of_duties(assignee, signoff, you=_name(assignee))


# The checklist item that asks whether tool use was tested (template version 1). When the request
# enables tools or agents, security must answer it (not "not applicable") and approve with conditions.
TOOL_USE_ITEM = "SEC-4"


@dataclass
class DecisionStanding:
    """Which decisions the checklist leaves open to one sign-off, and why the others are not."""

    total: int = 0
    open_items: list[ChecklistItem] = field(default_factory=list)
    gap_items: list[tuple[ChecklistItem, Answer]] = field(default_factory=list)
    tool_use: bool = False
    critical: bool = False
    tool_item_not_applicable: bool = False
    # For security: the failure modes whose evaluation evidence missed its threshold at submission.
    missed_thresholds: list[str] = field(default_factory=list)

    @property
    def allowed(self) -> list[str]:
        decisions = [SignOff.Decision.REQUEST_CHANGES, SignOff.Decision.REJECT]
        if self.open_items or self.critical:
            return decisions
        if not (self.gap_items or self.tool_use or self.missed_thresholds):
            decisions.insert(0, SignOff.Decision.APPROVE)
        decisions.insert(len(decisions) - 2, SignOff.Decision.APPROVE_WITH_CONDITIONS)
        return decisions

    @property
    def open_entries(self) -> list[tuple[ChecklistItem, str]]:
        """Each open item with how it is named to the reviewer."""
        return [
            (
                item,
                f"{item.code} (tools or agents are enabled: “not applicable” does not answer it)"
                if self.tool_item_not_applicable and item.code == TOOL_USE_ITEM
                else item.code,
            )
            for item in self.open_items
        ]

    @property
    def open_codes(self) -> list[str]:
        return [label for _, label in self.open_entries]

    @property
    def gap_codes(self) -> list[str]:
        return [f"{item.code} ({answer.get_response_display().lower()})" for item, answer in self.gap_items]

    def refusal(self, decision: str) -> str:
        """Why `decision` is not allowed, or "" when it is."""
        if decision in self.allowed or decision not in SignOff.APPROVING:
            return ""
        if self.critical:
            return "A critical residual risk cannot be approved: request changes or reject."
        if self.open_items:
            return f"Answer your function's checklist items before approving; still open: {', '.join(self.open_codes)}."
        reasons = []
        if self.gap_items:
            verb = "falls" if len(self.gap_items) == 1 else "fall"
            reasons.append(
                f"{', '.join(self.gap_codes)} {verb} short, so approve only with conditions that say how the gap closes"
            )
        if self.tool_use:
            reasons.append("the request enables tools or agents, so security approves at most with conditions")
        if self.missed_thresholds:
            reasons.append(
                f"its evaluation evidence misses the threshold for {', '.join(self.missed_thresholds)}, so security "
                "approves at most with conditions"
            )
        return "A plain approval is not possible: " + "; ".join(reasons) + "."


def _missed_thresholds(snapshot: dict) -> list[str]:
    """The failure modes the requested model's evidence missed its threshold on, as the round froze them."""
    candidates = (snapshot.get("evaluations") or {}).get("candidates") or []
    primary = next((c for c in candidates if c.get("role") == "primary"), {})
    return [m["label"].lower() for m in primary.get("modes", []) if m.get("missed")]


def decision_standing(signoff: SignOff) -> DecisionStanding:
    """The checklist items of `signoff`'s function in the round's template and their answers now (two
    queries): unanswered items allow no approval, a "No" or "Partially" only approval with conditions;
    "Not applicable" counts as answered, except for the tool-use item of a request that enables tools."""
    round = signoff.round
    items = list(
        ChecklistItem.objects.filter(
            section__template_id=round.checklist_template_id, owner_function=signoff.function
        ).order_by("section__position", "position")
    )
    answers = {
        a.item_id: a for a in Answer.objects.filter(use_case_id=round.use_case_id, item__in=[i.pk for i in items])
    }
    tool_use = signoff.function == Function.SECURITY and bool(round.snapshot.get("use_case", {}).get("tool_use"))
    critical = bool(round.highest_residual) and band_for_score(round.highest_residual) == Band.CRITICAL
    standing = DecisionStanding(
        total=len(items),
        tool_use=tool_use,
        critical=critical,
        missed_thresholds=_missed_thresholds(round.snapshot) if signoff.function == Function.SECURITY else [],
    )
    for item in items:
        answer = answers.get(item.pk)
        tool_item_unanswered = (
            tool_use and item.code == TOOL_USE_ITEM and answer and answer.response == Answer.Response.NOT_APPLICABLE
        )
        standing.tool_item_not_applicable |= bool(tool_item_unanswered)
        if answer is None or tool_item_unanswered:
            standing.open_items.append(item)
        elif answer.response in (Answer.Response.NO, Answer.Response.PARTIAL):
            standing.gap_items.append((item, answer))
    return standing


def can_submit(user, use_case: UseCase) -> Verdict:
    if not has_object_perm(user, "governance.change_usecase", use_case):
        return Verdict(False, "Only the owners of a use case can submit it.")
    if use_case.status not in UseCase.SUBMITTABLE_STATUSES:
        return Verdict(False, f"A use case that is {use_case.get_status_display().lower()} cannot be submitted.")
    return YES


def can_withdraw(user, use_case: UseCase) -> Verdict:
    if not has_object_perm(user, "governance.change_usecase", use_case):
        return Verdict(False, "Only the owners of a use case can withdraw it.")
    if use_case.status != UseCase.Status.IN_REVIEW:
        return Verdict(False, "Only a request in review can be withdrawn.")
    return YES


def can_revoke(user, use_case: UseCase) -> Verdict:
    if not (has_role(user, Role.EXECUTIVE) or user.pk == use_case.risk_owner_id):
        return Verdict(False, "Only an executive or the use case's risk owner can revoke an approval.")
    if use_case.status not in (*UseCase.APPROVED_STATUSES, UseCase.Status.SUSPENDED):
        return Verdict(False, "Only an approved or suspended approval can be revoked.")
    return YES


def can_view_round(user, round: ApprovalRequest) -> bool:
    return can_view_use_case(user, round.use_case) or has_object_perm(user, "approvals.view_approvalrequest", round)


def get_signoff_for_user(user, pk: int) -> SignOff:
    """The sign-off, with its round and use case, or 404 when it does not exist or the user may not see its round."""
    signoff = get_object_or_404(
        SignOff.objects.select_related(
            "round__use_case__primary_model__vendor",
            "round__use_case__business_owner",
            "round__use_case__technical_owner",
            "round__use_case__risk_owner",
            "round__submitted_by",
            "round__checklist_template",
        ),
        pk=pk,
    )
    if not can_view_round(user, signoff.round):
        raise Http404("No such sign-off")
    return signoff


def can_answer_signoff_items(user, signoff: SignOff) -> Verdict:
    """Whether `user` may answer the checklist items of `signoff`'s function from its sign page now: while the
    round is open and the sign-off pending, and only someone who answers that function's items on the use case
    (`answerable_functions`: a member of the function, not one of its owners)."""
    round, function = signoff.round, signoff.get_function_display()
    if not round.is_open:
        return Verdict(False, f"This round is {round.get_status_display().lower()}: its checklist is closed.")
    if not signoff.is_pending:
        return Verdict(
            False, f"The {function} sign-off is already decided: its checklist items are no longer answered here."
        )
    if signoff.function not in answerable_functions(user, round.use_case):
        owners = f"none of the owners of {round.use_case.reference}"
        return Verdict(False, f"Only members of {function}, {owners}, answer its {function} checklist items.")
    return YES


def can_change_request(user, use_case: UseCase) -> bool:
    """Owners edit a request while it is editable, and an approved one (a material change re-opens review)."""
    return can_edit_use_case(user, use_case) or (
        use_case.is_approved and has_object_perm(user, "governance.change_usecase", use_case)
    )


def available_actions(user, use_case: UseCase, open_round: ApprovalRequest | None = None) -> dict[str, bool]:
    """Which buttons the use case page draws for `user`."""
    return {
        "edit": can_change_request(user, use_case),
        "submit": bool(can_submit(user, use_case)),
        "withdraw": bool(can_withdraw(user, use_case)),
        "revoke": bool(can_revoke(user, use_case)),
    }


# --- Conditions --------------------------------------------------------------------------------------


def _condition_live(condition) -> Verdict:
    """A condition is acted on while it is current (`ConditionQuerySet.current`: its approval stands with
    conditions, or is suspended and not yet followed by another round)."""
    if Condition.objects.current().filter(pk=condition.pk).exists():
        return YES
    if condition.round.status in (ApprovalRequest.Status.APPROVED_WITH_CONDITIONS, ApprovalRequest.Status.SUSPENDED):
        return Verdict(False, "A later review round replaced this approval: its conditions lapsed with it.")
    return Verdict(False, f"The approval is {condition.round.get_status_display().lower()}: its conditions are closed.")


def can_claim_condition(user, condition) -> Verdict:
    """The condition's owner, or another owner of the use case, reports an open condition met."""
    if not user.is_authenticated or not user.is_active:
        return Verdict(False, "Sign in first.")
    use_case = condition.use_case
    if user.pk not in {
        condition.owner_id,
        use_case.business_owner_id,
        use_case.technical_owner_id,
        use_case.risk_owner_id,
    }:
        return Verdict(False, "Only the condition's owner or the use case's owners report it met.")
    if condition.status != condition.Status.OPEN:
        return Verdict(False, f"The condition is {condition.get_status_display().lower()}.")
    return _condition_live(condition)


def can_settle_condition(user, condition, *, confirming: bool = False) -> Verdict:
    """A member of the function that set the condition confirms reported evidence (or returns it), or waives
    an outstanding condition; never the person who reported it met, nor an owner of the use case."""
    if not user.is_authenticated or not user.is_active:
        return Verdict(False, "Sign in first.")
    group = FUNCTION_GROUP[condition.function]
    if not has_role(user, group):
        return Verdict(
            False, f"Only members of {group} settle the conditions {Function(condition.function).label} set."
        )
    if _involved(user, condition.use_case) or user.pk == condition.claimed_by_id:
        return Verdict(False, "The people who must meet a condition do not settle it.")
    wanted = (condition.Status.CLAIMED,) if confirming else condition.OUTSTANDING
    if condition.status not in wanted:
        return Verdict(False, f"The condition is {condition.get_status_display().lower()}.")
    return _condition_live(condition)


def can_name_leads(user) -> bool:
    """Governance admins decide who leads a reviewing function (holds `approvals.lead_signoffs`)."""
    return user.is_authenticated and user.is_active and (user.is_superuser or has_role(user, Role.ADMIN))


# --- Discussion --------------------------------------------------------------------------------------


def can_discuss(user, use_case: UseCase) -> Verdict:
    """Who takes part in a use case's discussion: those who see it and have a part in it — its owners and
    creator, the members of a function routed on one of its rounds, and governance admins."""
    if not user.is_authenticated or not user.is_active:
        return Verdict(False, "Sign in first.")
    if not can_view_use_case(user, use_case):
        return Verdict(False, "You cannot see this use case.")
    if _involved(user, use_case) or user.is_superuser or has_role(user, Role.ADMIN):
        return YES
    functions = [function for function, group in FUNCTION_GROUP.items() if has_role(user, group)]
    if functions and SignOff.objects.filter(round__use_case=use_case, function__in=functions).exists():
        return YES
    return Verdict(
        False,
        "Only the use case's owners, the reviewers of the functions it is routed to and governance admins "
        "take part in its discussion.",
    )
