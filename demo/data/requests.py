"""The shapes of a demo request and of its way through review, with short helpers to write them."""

from dataclasses import dataclass, field
from typing import Literal

from demo.data.people import CHECKLIST_REVIEWERS
from governance.roles import Function

# --- Requests ----------------------------------------------------------------------------------


@dataclass(frozen=True, kw_only=True)
class DemoRisk:
    title: str
    category: str
    description: str
    mitigations: str
    inherent: tuple[int, int]  # likelihood, impact
    residual: tuple[int, int]


@dataclass(frozen=True, kw_only=True)
class DemoSignOff:
    """One function's decision in a round, signed by that function's demo user."""

    function: Function
    decision: str  # a SignOff.Decision value
    comment: str = ""
    conditions: str = ""


def approve(function: Function, comment: str = "") -> DemoSignOff:
    return DemoSignOff(function=function, decision="approve", comment=comment)


def approve_with_conditions(function: Function, *, conditions: str, comment: str) -> DemoSignOff:
    return DemoSignOff(function=function, decision="approve_with_conditions", comment=comment, conditions=conditions)


def request_changes(function: Function, comment: str) -> DemoSignOff:
    return DemoSignOff(function=function, decision="request_changes", comment=comment)


def reject(function: Function, comment: str) -> DemoSignOff:
    return DemoSignOff(function=function, decision="reject", comment=comment)


def all_approve(*functions: Function) -> tuple[DemoSignOff, ...]:
    return tuple(approve(function) for function in functions or CHECKLIST_REVIEWERS)


@dataclass(frozen=True, kw_only=True)
class DemoEdit:
    """A change the business owner makes through `use_case_edit`. A material change (model, data
    categories, deployment, hosting) to an approved request suspends its approval and opens the next
    round by itself; any other edit is followed by a plain resubmission."""

    reason: str
    fields: dict[str, object] = field(default_factory=dict)
    data_categories: tuple[str, ...] | None = None


@dataclass(frozen=True, kw_only=True)
class DemoRound:
    """One review round, played in this order: the owner's edit (if any) and the submission; the
    checklist answers of the functions in `answered_by` (by default, those that sign in this round);
    then the sign-offs, in order. Functions routed to the round but not listed stay pending."""

    edit: DemoEdit | None = None
    answered_by: tuple[Function, ...] | None = None
    # Answers given in this round whatever was answered before, by item code: (response, justification).
    answers: dict[str, tuple[str, str]] = field(default_factory=dict)
    signoffs: tuple[DemoSignOff, ...] = ()

    @property
    def answering(self) -> tuple[Function, ...]:
        if self.answered_by is not None:
            return self.answered_by
        signing = {s.function for s in self.signoffs}
        return tuple(f for f in CHECKLIST_REVIEWERS if f in signing)

    def approved_by_all_reviewers(self) -> bool:
        approving = {s.function for s in self.signoffs if s.decision.startswith("approve")}
        return approving.issuperset(CHECKLIST_REVIEWERS)


@dataclass(frozen=True, kw_only=True)
class DemoAfterwards:
    """What happens after the last round.

    - "withdraw": the business owner takes the request out of review, with `reason`.
    - "suspend": `by` suspends the approval, with `reason`.
    - "revoke": `by` (an executive) revokes the approval, with `reason`.
    - "expire": the request's whole story is played far enough in the past that its approval has run
      out by now, and the expiry sweep expires it.
    """

    verb: Literal["withdraw", "suspend", "revoke", "expire"]
    by: str = ""
    reason: str = ""


@dataclass(frozen=True, kw_only=True)
class DemoUseCase:
    """One request. `model` and `fallbacks` are AIModel names; `data_categories` are DataCategory slugs.

    The request is opened, given its risks and its business owner's answers, and then taken through
    `rounds` and `afterwards` by the workflow services; `status` is where that must leave it (the
    loader checks). A request without rounds stays a draft.
    """

    title: str
    owner: str
    department: str
    model: str
    deployment_mode: str
    hosting_country: str
    purpose: str
    approved_purpose: str
    prohibited_uses: str
    data_categories: tuple[str, ...]
    fallbacks: tuple[str, ...] = ()
    no_fallback_reason: str = ""
    autonomy: str = "advisory"
    tool_use_detail: str = ""
    log_contents: str = ""
    log_location: str = ""
    log_access: str = ""
    log_retention_days: int | None = None
    log_prompt_protection: str = ""
    log_retrieval_sources: str = ""
    log_tool_execution: str = ""
    log_exceptions: str = ""
    eu_ai_act_class: str = "minimal"
    annex_iii_area: str = ""
    risks: tuple[DemoRisk, ...]
    # Checklist: the business owner answers every business item unless `business_items` names a subset
    # (a draft that is not finished); reviewers answer theirs during the rounds. Unlisted items are
    # answered "yes"; `answers` gives the first answer to an item by code: (response, justification).
    business_items: tuple[str, ...] | None = None
    answers: dict[str, tuple[str, str]] = field(default_factory=dict)
    rounds: tuple[DemoRound, ...] = ()
    afterwards: DemoAfterwards | None = None
    status: str

    @property
    def tool_use(self) -> bool:
        return bool(self.tool_use_detail)


NO_TOOLS_ANSWER = ("n/a", "No tools or agents are enabled for this use case.")
# What legal says about GOV-2 ("have legal, privacy, security and procurement reviewed it?") in a
# round that not all four approve.
REVIEW_UNDER_WAY_ANSWER = "Round {number} is with the reviewers: not every function has signed it."
