"""What the review workflow tests build on: a request ready to submit, one reviewer per function, and
short ways to submit and sign. Everything goes through the real services."""

from datetime import timedelta

from django.contrib.auth import get_user_model

from approvals.completeness import current_template
from approvals.models import ApprovalRequest, Notification, SignOff
from approvals.permissions import decision_standing
from approvals.services import signoff_decide, use_case_submit
from checklist.models import Answer, ChecklistItem
from checklist.permissions import can_answer
from checklist.services import answer_record
from governance.models import UseCase
from governance.roles import FUNCTION_GROUP, Function
from tests.factories import (
    AIModelFactory,
    AnswerFactory,
    RiskFactory,
    UseCaseFactory,
    UserFactory,
    data_category,
    failure_modes_tested,
)

User = get_user_model()

ALWAYS = [Function.LEGAL, Function.PRIVACY, Function.SECURITY, Function.PROCUREMENT]

# One reviewer per function; bob is the security reviewer of tests/conftest.py.
REVIEWER_NAMES = {
    Function.LEGAL: "lena",
    Function.PRIVACY: "pia",
    Function.SECURITY: "bob",
    Function.PROCUREMENT: "pedro",
    Function.COMPLIANCE: "cora",
    Function.EXECUTIVE: "erin",
}


def person(username: str, *roles: str, **fields) -> User:
    """A user who never signs in during the test, so no (deliberately slow) password hashing."""
    return UserFactory(username=username, roles=list(roles), password=None, **fields)


def reviewers() -> dict[str, User]:
    """A member of each reviewing function's group, keyed by function."""
    return {function.value: person(name, FUNCTION_GROUP[function]) for function, name in REVIEWER_NAMES.items()}


def business_items() -> list[ChecklistItem]:
    return list(
        ChecklistItem.objects.filter(section__template=current_template(), owner_function=Function.BUSINESS).order_by(
            "section__position", "position"
        )
    )


# The article's audit points beyond what, where, who and how long, as a complete request answers them.
LOGGING_POINTS = {
    "log_prompt_protection": "Customer identifiers masked before the prompt is logged",
    "log_retrieval_sources": "Ticket IDs of every retrieved passage, logged with the answer",
    "log_tool_execution": "No tools: tool use is off",
    "log_exceptions": "The risk owner approves any exception, in the ticket, for 30 days at most",
}


def complete_use_case(owner, *, residual: tuple[int, int] | None = (2, 3), answered: bool = True, **overrides):
    """A draft that `owner` can submit as it is: every required field, a data category, a fallback model,
    one risk of the given residual likelihood × impact, an answer to every business-owned item and, with
    them, to each of the ten failure modes (question 4)."""
    fields = {
        "department": "Service desk",
        "approved_purpose": "Summarise tickets for agents, who read the summary before acting.",
        "prohibited_uses": "No decisions about customers; no authentication data in prompts.",
        "log_contents": "Prompts, outputs, user and model version",
        "log_location": "The SIEM, EU region",
        "log_access": "Security operations",
        "log_retention_days": 90,
        **LOGGING_POINTS,
        "data_categories": [data_category("customer-records")],
        "fallback_models": [AIModelFactory(name="Fallback")],
    }
    if overrides.get("tool_use"):
        fields["log_tool_execution"] = "Every tool call, its arguments and its result, logged with the answer"
    fields.update(overrides)
    use_case = UseCaseFactory(user=owner, **fields)
    if residual is not None:
        RiskFactory(
            use_case=use_case,
            title="Customer data leaks into prompts",
            inherent_likelihood=5,
            inherent_impact=5,
            residual_likelihood=residual[0],
            residual_impact=residual[1],
        )
    if answered:
        for item in business_items():
            AnswerFactory(use_case=use_case, item=item, answered_by=owner)
        failure_modes_tested(use_case, owner)
    return use_case


def submit(use_case: UseCase, user=None) -> ApprovalRequest:
    return use_case_submit(use_case=use_case, user=user or use_case.business_owner)


def function_items(round: ApprovalRequest, function: str) -> list[ChecklistItem]:
    return list(
        ChecklistItem.objects.filter(section__template=round.checklist_template, owner_function=function).order_by(
            "section__position", "position"
        )
    )


def answer_items(
    round: ApprovalRequest, function: str, user, response: str = "yes", *, only=None, **by_code: str
) -> None:
    """`user` answers every unanswered item of `function` (or those of the codes in `only`) on the
    round's use case through the real service: `response`, or the one given by code
    (`answer_items(..., **{"SEC-4": "partial"})`). Nothing is answered when `user` may not answer (an
    owner): the decision is then refused for that reason."""
    use_case = UseCase.objects.get(pk=round.use_case_id)  # as it stands now, not as the caller last read it
    answered = set(Answer.objects.filter(use_case=use_case).values_list("item__code", flat=True))
    for item in function_items(round, function):
        given = by_code.get(item.code)
        if only is not None and item.code not in only:
            continue
        if (item.code in answered and given is None) or not can_answer(user, use_case, item):
            continue
        given = given or response
        justification = "" if given == Answer.Response.YES else f"{item.code}: see the review notes."
        answer_record(use_case=use_case, item=item, user=user, response=given, justification=justification)


def sign(round: ApprovalRequest, function: str, user, decision: str = "approve", **text) -> SignOff:
    """`user` decides `function`'s sign-off; an approval answers the function's open items "yes" first."""
    if decision in SignOff.APPROVING:
        answer_items(round, function, user)
    return signoff_decide(signoff=round.signoffs.get(function=function), user=user, decision=decision, **text)


def approve_all(round: ApprovalRequest, team: dict[str, User]) -> None:
    """Every pending function answers its items and approves: plainly, or with conditions where the
    checklist allows no more (security when tools or agents are enabled)."""
    for signoff in round.signoffs.filter(decision=SignOff.Decision.PENDING).order_by("pk"):
        user = team[signoff.function]
        answer_items(round, signoff.function, user)
        text = {}
        if SignOff.Decision.APPROVE not in decision_standing(signoff).allowed:
            text = {"comment": "Tools are enabled.", "conditions": "Tool calls are logged and reviewed monthly."}
            decision = "approve_with_conditions"
        else:
            decision = "approve"
        signoff_decide(signoff=signoff, user=user, decision=decision, **text)


def approved_use_case(owner, team: dict[str, User], **overrides) -> tuple[UseCase, ApprovalRequest]:
    """A request of `owner`'s, submitted and approved by every routed function."""
    use_case = complete_use_case(owner, **overrides)
    round = submit(use_case)
    approve_all(round, team)
    use_case.refresh_from_db()
    round.refresh_from_db()
    return use_case, round


def subjects(user) -> list[str]:
    """The notifications `user` has in the outbox, oldest first."""
    return list(
        Notification.objects.filter(recipient=user).order_by("created_at", "pk").values_list("subject", flat=True)
    )


def condition_row(description: str, round: ApprovalRequest, *, row: int = 1, days: int = 30, suspend: bool = False):
    """The sign page's fields for one condition, owned by the business owner and due in `days` days."""
    from django.utils import timezone

    fields = {
        f"condition_{row}_description": description,
        f"condition_{row}_owner": str(round.use_case.business_owner_id),
        f"condition_{row}_due_on": (timezone.localdate() + timedelta(days=days)).isoformat(),
    }
    if suspend:
        fields[f"condition_{row}_suspend"] = "on"
    return fields
