"""The home page: what each role needs first. Each panel costs a fixed number of queries whatever the rows."""

from dataclasses import dataclass
from datetime import date, timedelta
from urllib.parse import urlencode

from django.conf import settings
from django.db.models import Count, Exists, F, Max, OuterRef, Prefetch, Q
from django.urls import reverse
from django.utils import timezone
from django.utils.safestring import SafeString

from approvals.documents.charts import heat_map_svg
from approvals.models import ApprovalRequest, Condition, Message, SignOff
from approvals.selectors import functions_of, review_queue
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
    """How many sign-offs of the user's functions wait and how many are overdue (those the user may act on
    are listed in "Waiting for you"; the queue page lists them all)."""
    queue = review_queue(user)
    now = timezone.now()
    sla = settings.CLEARANCE_SIGNOFF_SLA_DAYS

    def figures() -> dict[str, int]:
        # A sign-off is overdue once more than `sla` whole days have passed since submission.
        overdue = Q(round__submitted_at__lte=now - timedelta(days=sla + 1))
        return queue.order_by().aggregate(total=Count("pk"), overdue=Count("pk", filter=overdue))

    # The counts are kept for the minute at most: a sign-off that turns overdue shows within it.
    parts = f"{','.join(functions_of(user))}|{now:%Y-%m-%dT%H:%M}"
    return {"sla_days": sla, **cached_figures("queue", parts, figures)}


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


# --- Waiting for you: every role ------------------------------------------------------------------------

WAITING_ROWS = 10  # of each kind


def waited(days: int) -> str:
    """How long something has waited, in words: "less than a day", "1 day", "3 days"."""
    if days < 1:
        return "less than a day"
    return f"{days} day{'' if days == 1 else 's'}"


@dataclass(frozen=True)
class Waiting:
    """One thing waiting for the viewer to act: what, on which use case, since when, whether it is overdue
    (and why), and the link to the exact place to act."""

    kind: str  # signoff, condition, changes, question
    what: str
    use_case: UseCase
    since: object  # a datetime
    days: int
    url: str
    action: str
    detail: str = ""
    overdue: bool = False
    due: str = ""

    @property
    def waited(self) -> str:
        return waited(self.days)


@dataclass(frozen=True)
class WaitingPanel:
    items: list[Waiting]
    more: list[tuple[str, str]]  # (what there is more of, where the full list is)
    sla_days: int


def _days(since, now) -> int:
    return max(0, (now - since).days)


def _signoffs_waiting(user, functions: list[str], now) -> list[Waiting]:
    """Pending sign-offs of the user's functions that they hold, or that nobody holds and they may take:
    not of a use case they own or submitted, nor of a round where they signed another function."""
    if not functions:
        return []
    sla = settings.CLEARANCE_SIGNOFF_SLA_DAYS
    use_case = "round__use_case__"
    involved = (
        Q(**{f"{use_case}business_owner": user})
        | Q(**{f"{use_case}technical_owner": user})
        | Q(**{f"{use_case}risk_owner": user})
        | Q(**{f"{use_case}created_by": user})
        | Q(round__submitted_by=user)
    )
    signed_another = Exists(SignOff.objects.filter(round=OuterRef("round"), signed_by=user))
    signoffs = (
        SignOff.objects.filter(
            decision=SignOff.Decision.PENDING, round__status=ApprovalRequest.Status.IN_REVIEW, function__in=functions
        )
        .filter(Q(assignee__isnull=True) | Q(assignee=user))
        .exclude(involved)
        .exclude(signed_another)
        .select_related("round__use_case")
        .defer("round__snapshot", "round__routing")  # a row shows neither; a snapshot runs to many KB
        .order_by("round__submitted_at", "round_id", "function")[: WAITING_ROWS + 1]
    )
    items = []
    for signoff in signoffs:
        days = _days(signoff.round.submitted_at, now)
        label = signoff.get_function_display()
        items.append(
            Waiting(
                "signoff",
                f"{label} sign-off" + (" (you hold it)" if signoff.assignee_id == user.pk else ""),
                signoff.round.use_case,
                signoff.round.submitted_at,
                days,
                reverse("review_sign", args=[signoff.pk]),
                "Review",
                detail=f"Round {signoff.round.number}",
                overdue=days > sla,
                due=f"over the {sla}-day target" if days > sla else "",
            )
        )
    return items


def _conditions_waiting(panels: list[ConditionPanel], now, today: date) -> list[Waiting]:
    """The conditions the user must report met or confirm, from their panels (no query of its own)."""
    sla = settings.CLEARANCE_SIGNOFF_SLA_DAYS
    items = []
    for panel in panels:
        if panel.key == "to_meet":
            for condition in panel.rows:
                late = condition.due_on < today
                items.append(
                    Waiting(
                        "condition",
                        f"Condition set by {condition.get_function_display()}: report it met",
                        condition.use_case,
                        condition.created_at,
                        _days(condition.created_at, now),
                        reverse("condition_detail", args=[condition.pk]),
                        "Report met",
                        detail=condition.description,
                        overdue=late,
                        due=f"due {condition.due_on:%Y-%m-%d}",
                    )
                )
        elif panel.key == "to_confirm":
            for condition in panel.rows:
                since = condition.claimed_at or condition.created_at
                days = _days(since, now)
                items.append(
                    Waiting(
                        "condition",
                        "Condition reported met: confirm or return",
                        condition.use_case,
                        since,
                        days,
                        reverse("condition_detail", args=[condition.pk]),
                        "Confirm or return",
                        detail=condition.description,
                        overdue=days > sla,
                        due=f"over the {sla}-day target" if days > sla else "",
                    )
                )
    return items


def _changes_waiting(user, now) -> list[Waiting]:
    """The user's requests sent back with changes requested, since the round was decided."""
    use_cases = (
        use_cases_owned_by(user)
        .filter(status=UseCase.Status.CHANGES_REQUESTED)
        .annotate(sent_back_at=Max("rounds__decided_at"), last_submitted_at=Max("rounds__submitted_at"))
        .order_by("pk")[: WAITING_ROWS + 1]
    )
    items = []
    for use_case in use_cases:
        since = use_case.sent_back_at or use_case.last_submitted_at or now
        items.append(
            Waiting(
                "changes",
                "Changes requested: update the request and resubmit",
                use_case,
                since,
                _days(since, now),
                reverse("use_case_change", args=[use_case.reference]),
                "Update",
            )
        )
    return items


def _questions_waiting(user, functions: list[str], now) -> list[Waiting]:
    """Messages addressed to the user with no later message by them in the thread: those mentioning them,
    or their function (once the use case was submitted, so that they may see it), and the questions of
    others than the owners on a use case they own."""
    sla = settings.CLEARANCE_SIGNOFF_SLA_DAYS
    mentioned = Exists(Message.mentioned_users.through.objects.filter(message=OuterRef("pk"), user=user))
    addressed = Q(mentioned)
    if functions:
        addressed |= Message.mentioning(functions) & Q(use_case__first_submitted_at__isnull=False)
    owned = Q(use_case__business_owner=user) | Q(use_case__technical_owner=user) | Q(use_case__risk_owner=user)
    by_an_owner = (
        Q(author=F("use_case__business_owner"))
        | Q(author=F("use_case__technical_owner"))
        | Q(author=F("use_case__risk_owner"))
    )
    addressed |= owned & ~by_an_owner
    answered = Exists(Message.objects.filter(use_case=OuterRef("use_case"), author=user, pk__gt=OuterRef("pk")))
    questions = (
        Message.objects.filter(addressed)
        .exclude(author=user)
        .exclude(answered)
        .select_related("use_case", "author")
        .order_by("created_at", "pk")[: WAITING_ROWS + 1]
    )
    items = []
    for message in questions:
        days = _days(message.created_at, now)
        author = message.author.get_full_name() or message.author.username
        items.append(
            Waiting(
                "question",
                f"Question from {author}",
                message.use_case,
                message.created_at,
                days,
                f"{reverse('discussion', args=[message.use_case.reference])}?reply={message.pk}#discussion-form",
                "Answer",
                detail=message.body,
                overdue=days > sla,
                due=f"over the {sla}-day target" if days > sla else "",
            )
        )
    return items


MORE = {
    "signoff": ("sign-offs", "review_queue", ""),
    "condition": ("conditions", "home", "#conditions-waiting"),
    "changes": ("requests sent back", "use_case_list", "?status=changes_requested"),
    "question": ("questions", "", ""),
}


def waiting_for(user, *, conditions: list[ConditionPanel], now=None, today: date | None = None) -> WaitingPanel:
    """Everything waiting for `user` to act, overdue first, then the longest waiting: sign-offs they hold
    or may take, conditions they must report met or confirm, their requests sent back, and questions
    addressed to them. A fixed number of queries (one per kind, and one for the user's functions)."""
    now = now or timezone.now()
    today = today or timezone.localdate()
    functions = functions_of(user)
    groups = {
        "signoff": _signoffs_waiting(user, functions, now),
        "condition": _conditions_waiting(conditions, now, today),
        "changes": _changes_waiting(user, now),
        "question": _questions_waiting(user, functions, now),
    }
    more = []
    items: list[Waiting] = []
    for kind, rows in groups.items():
        more_conditions = kind == "condition" and any(p.more for p in conditions if p.key in ("to_meet", "to_confirm"))
        if len(rows) > WAITING_ROWS or more_conditions:
            label, route, query = MORE[kind]
            more.append((label, f"{reverse(route)}{query}" if route else ""))
        items.extend(rows[:WAITING_ROWS])
    items.sort(key=lambda item: (not item.overdue, -item.days, item.since))
    return WaitingPanel(items, more, settings.CLEARANCE_SIGNOFF_SLA_DAYS)


def dashboard(user) -> dict:
    """Everything the home page shows `user`, by role; a panel is None when the role does not see it."""
    conditions = conditions_waiting(user)
    context: dict = {
        "owner": None,
        "reviewer": None,
        "portfolio": None,
        # Conditions to report met or to confirm are in "Waiting for you"; the overdue ones are shown to
        # portfolio readers apart, as something to know rather than to do.
        "overdue_conditions": next((panel for panel in conditions if panel.key == "overdue"), None),
        "waiting": waiting_for(user, conditions=conditions),
    }
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
