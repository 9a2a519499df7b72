"""The home page: what each role needs first. Each panel costs a fixed number of queries whatever the rows."""

from dataclasses import dataclass
from datetime import date, timedelta
from urllib.parse import urlencode

from django.conf import settings
from django.db.models import Count, Prefetch, Q
from django.urls import reverse
from django.utils import timezone
from django.utils.safestring import SafeString

from approvals.documents.charts import heat_map_svg
from approvals.models import ApprovalRequest, Condition, SignOff
from approvals.selectors import functions_of, review_queue, with_waiting_time
from governance.models import UseCase
from governance.permissions import has_role
from governance.roles import REVIEWER_ROLES, Role
from governance.scoring import BAND_ORDER
from governance.selectors import filter_use_cases, use_cases_owned_by, with_list_facts
from reports.cache import cached_figures
from reports.figures import (
    EXPIRY_WINDOW_DAYS,
    LIVE_DESCRIPTION,
    ReportFilters,
    approvals_expiring,
    can_view_portfolio,
    residual_heat_map,
    status_counts,
    suspended_use_cases,
    tier_counts,
)

OWNER_ROWS = 20
QUEUE_ROWS = 10


@dataclass(frozen=True)
class Figure:
    """One figure on the dashboard and the filtered list it opens."""

    label: str
    count: int
    url: str
    key: str = ""


@dataclass(frozen=True)
class Awaited:
    """What a request waits for: from whom (a function and maybe its person, "You", or "" for nobody), how
    many days it has waited (or, for an approval, has left), and whether that is past the target."""

    who: str
    what: str
    person: object = None
    days: int | None = None
    overdue: bool = False


def _list_url(**params) -> str:
    return f"{reverse('use_case_list')}?{urlencode({k: v for k, v in params.items() if v != ''})}"


# --- Business owners -------------------------------------------------------------------------------


def owner_requests(user) -> list[UseCase]:
    """The user's requests, most recently changed first, each with its rounds (newest first) and their sign-offs."""
    rounds = ApprovalRequest.objects.order_by("-number").prefetch_related(
        Prefetch("signoffs", queryset=SignOff.objects.select_related("assignee", "signed_by").order_by("function"))
    )
    return list(
        with_list_facts(use_cases_owned_by(user))
        .prefetch_related(Prefetch("rounds", queryset=rounds, to_attr="rounds_newest_first"))
        .order_by("-updated_at", "-pk")[:OWNER_ROWS]
    )


def awaited(use_case: UseCase, *, today: date | None = None) -> list[Awaited]:
    """Who the request waits for now, in words its owner (the viewer: "You") understands."""
    now = timezone.now()
    today = today or timezone.localdate()
    latest = use_case.rounds_newest_first[0] if use_case.rounds_newest_first else None
    status = use_case.status
    if status == UseCase.Status.DRAFT:
        return [Awaited("You", "complete the request and submit it")]
    if status == UseCase.Status.IN_REVIEW and latest is not None:
        days = (now - latest.submitted_at).days
        sla = settings.CLEARANCE_SIGNOFF_SLA_DAYS
        return [
            Awaited(signoff.get_function_display(), "sign-off", signoff.assignee, days, days > sla)
            for signoff in latest.signoffs.all()
            if signoff.decision == SignOff.Decision.PENDING
        ]
    if status == UseCase.Status.CHANGES_REQUESTED and latest is not None:
        if latest.status == ApprovalRequest.Status.SUPERSEDED:  # no reviewer asked: the registry changed
            return [Awaited("You", f"update the request ({latest.closed_reason}), then resubmit")]
        asked = [
            s.get_function_display() for s in latest.signoffs.all() if s.decision == SignOff.Decision.REQUEST_CHANGES
        ]
        return [Awaited("You", f"address the changes {' and '.join(asked) or 'reviewers'} asked for, then resubmit")]
    if status in UseCase.APPROVED_STATUSES and latest is not None and latest.expires_on:
        left = (latest.expires_on - today).days
        warn = left <= settings.CLEARANCE_EXPIRY_WARNING_DAYS
        return [Awaited("", f"approved until {latest.expires_on:%Y-%m-%d}", days=left, overdue=warn)]
    if status in (UseCase.Status.SUSPENDED, UseCase.Status.EXPIRED):
        return [Awaited("You", "resubmit for a new review round")]
    return []


# --- Reviewers -------------------------------------------------------------------------------------


def reviewer_queue(user) -> dict:
    """The oldest pending sign-offs of the user's functions with their age, how many wait, how many are overdue."""
    queue = review_queue(user)
    now = timezone.now()
    sla = settings.CLEARANCE_SIGNOFF_SLA_DAYS
    rows = with_waiting_time(queue[:QUEUE_ROWS], now=now)

    def figures() -> dict[str, int]:
        # A sign-off is overdue once more than `sla` whole days have passed since submission.
        overdue = Q(round__submitted_at__lte=now - timedelta(days=sla + 1))
        return queue.order_by().aggregate(total=Count("pk"), overdue=Count("pk", filter=overdue))

    # The counts are kept for the minute at most: a sign-off that turns overdue shows within it.
    parts = f"{','.join(functions_of(user))}|{now:%Y-%m-%dT%H:%M}"
    return {"signoffs": rows, "sla_days": sla, **cached_figures("queue", parts, figures)}


# --- Executives ------------------------------------------------------------------------------------


@dataclass(frozen=True)
class PortfolioSummary:
    total: int
    by_status: list[Figure]
    by_tier: list[Figure]
    expiring: int
    suspended: int
    heat_map: SafeString
    scope: str = LIVE_DESCRIPTION
    list_url: str = ""
    expiry_window_days: int = EXPIRY_WINDOW_DAYS


def portfolio_summary(*, today: date | None = None) -> PortfolioSummary:
    """The live portfolio, as the report counts it by default, in figures that each open the list of
    the use cases behind them."""
    everything = ReportFilters()
    today = today or timezone.localdate()
    statuses = status_counts(everything)
    tiers = tier_counts(everything)
    heat = residual_heat_map(everything)
    return PortfolioSummary(
        total=sum(statuses.values()),
        by_status=[
            Figure(s.label, statuses[s], _list_url(status=s.value), s.value) for s in UseCase.Status if statuses.get(s)
        ],
        by_tier=[
            Figure(
                band.label,
                tiers.get(band.value, 0),
                _list_url(status=UseCase.LIVE, band=band.value, sort="-risk"),
                band.value,
            )
            for band in reversed(BAND_ORDER)
        ],
        expiring=approvals_expiring(everything, today=today).count(),
        suspended=suspended_use_cases(everything).count(),
        heat_map=heat_map_svg(heat, title=f"Residual risk heat map: {sum(heat.values())} risks"),
        list_url=_list_url(status=UseCase.LIVE),
    )


def owner_counts(user) -> list[Figure]:
    """The user's use cases by status (as the list's owner filter counts them), each linking to that list."""
    rows = dict(
        filter_use_cases(UseCase.objects.all(), owner=user).order_by().values_list("status").annotate(n=Count("pk"))
    )
    return [
        Figure(s.label, rows[s], _list_url(owner=user.pk, status=s.value), s.value)
        for s in UseCase.Status
        if rows.get(s)
    ]


CONDITION_ROWS = 10


@dataclass(frozen=True)
class ConditionPanel:
    key: str
    title: str
    action: str  # the button to the condition's page
    rows: list
    more: bool  # more than `CONDITION_ROWS` wait


PANELS = {
    "to_meet": ("To report met, with evidence", "Report met"),
    "to_confirm": ("Reported met: for your function to confirm", "Confirm or return"),
    "overdue": ("Overdue across the portfolio", "Open"),
}


def _conditions_shown(key: str, conditions, today: date) -> ConditionPanel:
    """At most `CONDITION_ROWS` conditions, soonest due first, each with `days` left (negative: overdue),
    and whether there are more (one query)."""
    rows = list(conditions.select_related("use_case", "owner").order_by("due_on", "pk")[: CONDITION_ROWS + 1])
    for condition in rows:
        condition.days = (condition.due_on - today).days
    return ConditionPanel(key, *PANELS[key], rows=rows[:CONDITION_ROWS], more=len(rows) > CONDITION_ROWS)


def conditions_waiting(user, *, today: date | None = None) -> list[ConditionPanel]:
    """The conditions waiting for `user`: those they must report met (they own the condition or the use
    case), those their function must confirm (reported met by someone else), and, for portfolio readers,
    every overdue one. Only panels with rows; four queries at most."""
    today = today or timezone.localdate()
    live = Condition.objects.current()
    owned = live.filter(status=Condition.Status.OPEN).filter(
        Q(owner=user)
        | Q(use_case__business_owner=user)
        | Q(use_case__technical_owner=user)
        | Q(use_case__risk_owner=user)
    )
    panels = [_conditions_shown("to_meet", owned, today)]
    functions = functions_of(user)
    if functions:
        claimed = live.filter(status=Condition.Status.CLAIMED, function__in=functions).exclude(claimed_by=user)
        involved = Q(use_case__business_owner=user) | Q(use_case__technical_owner=user) | Q(use_case__risk_owner=user)
        panels.append(_conditions_shown("to_confirm", claimed.exclude(involved), today))
    if can_view_portfolio(user):
        overdue = live.filter(status=Condition.Status.OPEN, due_on__lt=today)
        panels.append(_conditions_shown("overdue", overdue, today))
    return [panel for panel in panels if panel.rows]


def dashboard(user) -> dict:
    """Everything the home page shows `user`, by role; a panel is None when the role does not see it."""
    context: dict = {"owner": None, "reviewer": None, "portfolio": None, "conditions": conditions_waiting(user)}
    requests = owner_requests(user)
    if requests or has_role(user, Role.BUSINESS_OWNER):
        for use_case in requests:
            use_case.awaited = awaited(use_case)
        context["owner"] = {"requests": requests, "counts": owner_counts(user)}
    if has_role(user, *REVIEWER_ROLES):
        context["reviewer"] = reviewer_queue(user)
    if can_view_portfolio(user):
        context["portfolio"] = cached_figures("home", "", portfolio_summary)
    return context
