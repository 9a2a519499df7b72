"""The portfolio month by month, replayed from the workflow's event log.

Every change of a use case's status writes exactly one event (`approvals.services`): submitted, approved,
approved with conditions, changes requested, rejected, withdrawn, suspended, expired, revoked, and
superseded (a re-route, followed at once by the next round's "submitted" unless the request went back to
its owners). So a use case's status at any moment is the one its last such event before that moment left
it in, and the residual risk it was reviewed on is that of the round its last submission opened. Nothing
here is stored twice: the months are computed from the log each time (and cached with the other figures).

Three queries whatever the range: the state events of the selected use cases up to the range's end, the
suspensions within the range with their causes, and the conditions outstanding in the range. The replay is
one pass over the events in Python.
"""

import dataclasses
from collections import Counter
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from itertools import groupby
from operator import itemgetter

from django.db.models import Case, IntegerField, Value, When
from django.db.models.fields.json import KT
from django.utils import timezone
from django.utils.safestring import SafeString

from approvals.documents.charts import BAND_COLOURS
from approvals.models import ApprovalEvent, Condition, SuspensionCause
from governance.models import UseCase
from governance.scoring import BAND_ORDER, Band, band_for_score
from reports.charts import column_chart_svg

Verb = ApprovalEvent.Verb
_S = UseCase.Status

# The status each state event leaves its use case in.
VERB_STATUS = {
    Verb.SUBMITTED: _S.IN_REVIEW,
    Verb.APPROVED: _S.APPROVED,
    Verb.APPROVED_WITH_CONDITIONS: _S.APPROVED_WITH_CONDITIONS,
    Verb.CHANGES_REQUESTED: _S.CHANGES_REQUESTED,
    Verb.REJECTED: _S.REJECTED,
    Verb.WITHDRAWN: _S.WITHDRAWN,
    Verb.SUSPENDED: _S.SUSPENDED,
    Verb.EXPIRED: _S.EXPIRED,
    Verb.REVOKED: _S.REVOKED,
    # A re-route returns the request to its owners, unless the next round's "submitted" follows at once.
    Verb.SUPERSEDED: _S.CHANGES_REQUESTED,
}
# The outcomes a round is decided with, in the order the trends show them.
OUTCOMES = (Verb.APPROVED, Verb.APPROVED_WITH_CONDITIONS, Verb.CHANGES_REQUESTED, Verb.REJECTED)
OUTCOME_COLOURS = ("#2e8b57", "#7fb069", "#e0a100", "#c0262d")
NOT_RECORDED = "not_recorded"  # a suspension whose event predates recorded causes
CAUSE_LABELS = {**dict(SuspensionCause.choices), NOT_RECORDED: "Cause not recorded"}
CAUSE_COLOURS = ("#1f4fd1", "#e06c00", "#c0262d", "#7b4fd1", "#8a94a3")
NO_RISKS = "none"
TIERS = [*reversed(BAND_ORDER), NO_RISKS]  # critical first, as the report lists tiers
TIER_COLOURS = [*(BAND_COLOURS[band] for band in reversed(BAND_ORDER)), "#c4cad3"]
DEFAULT_MONTHS = 12
MAX_MONTHS = 36  # a longer date filter shows its last three years


@dataclass
class Month:
    """One month of the portfolio: what happened in it and how the portfolio stood at its end (for the
    current month, now)."""

    start: date
    submitted: int = 0
    decided: Counter = dataclasses.field(default_factory=Counter)  # outcome verb → rounds
    suspended: Counter = dataclasses.field(default_factory=Counter)  # cause → suspensions
    in_force: int = 0  # approvals in force at the month's end, with or without conditions
    in_force_with_conditions: int = 0
    live_by_tier: Counter = dataclasses.field(default_factory=Counter)  # tier → live use cases at the end
    open_conditions: int = 0  # conditions outstanding at the end (open, or reported met and not yet confirmed)
    overdue_conditions: int = 0  # of those, open past their due date

    @property
    def label(self) -> str:
        return f"{self.start:%b %Y}"

    @property
    def decided_total(self) -> int:
        return sum(self.decided.values())

    @property
    def suspended_total(self) -> int:
        return sum(self.suspended.values())

    @property
    def live_total(self) -> int:
        return sum(self.live_by_tier.values())

    @property
    def high_or_critical(self) -> int:
        return self.live_by_tier.get(Band.HIGH, 0) + self.live_by_tier.get(Band.CRITICAL, 0)


@dataclass
class Trends:
    months: list[Month]

    @property
    def first(self) -> date:
        return self.months[0].start

    @property
    def last(self) -> date:
        return self.months[-1].start

    @property
    def suspension_causes(self) -> list[tuple[str, str, int]]:
        """(cause, label, suspensions over the range), most frequent first; causes never seen left out."""
        totals = Counter()
        for month in self.months:
            totals.update(month.suspended)
        return [(cause, CAUSE_LABELS.get(cause, cause), n) for cause, n in totals.most_common()]

    def _labels(self) -> list[str]:
        return [
            f"{month.start:%b}" if month.start.month != 1 and i else f"{month.start:%b %y}"
            for i, month in enumerate(self.months)
        ]

    def activity_chart(self) -> SafeString:
        """Requests submitted and rounds decided by outcome, per month."""
        return column_chart_svg(
            self._labels(),
            [[month.decided.get(verb, 0) for verb in OUTCOMES] for month in self.months],
            colours=list(OUTCOME_COLOURS),
            legend=[verb.label for verb in OUTCOMES],
            line=[month.submitted for month in self.months],
            line_label="Submitted",
            title="Requests submitted and rounds decided, by month",
        )

    def portfolio_chart(self) -> SafeString:
        """The live portfolio at each month's end by risk tier, with the approvals in force."""
        return column_chart_svg(
            self._labels(),
            [[month.live_by_tier.get(tier, 0) for tier in TIERS] for month in self.months],
            colours=TIER_COLOURS,
            legend=["Critical", "High", "Medium", "Low", "No risks recorded"],
            line=[month.in_force for month in self.months],
            line_label="Approvals in force",
            title="Live portfolio at month end by residual risk tier",
        )

    def suspension_chart(self) -> SafeString:
        causes = [cause for cause, _, _ in self.suspension_causes]
        return column_chart_svg(
            self._labels(),
            [[month.suspended.get(cause, 0) for cause in causes] for month in self.months],
            colours=CAUSE_COLOURS[: len(causes)],
            legend=[CAUSE_LABELS.get(cause, cause) for cause in causes],
            title="Suspensions by cause, by month",
        )


def _month_start(day: date) -> date:
    return day.replace(day=1)


def _next_month(day: date) -> date:
    return date(day.year + day.month // 12, day.month % 12 + 1, 1)


def month_range(*, since: date | None, until: date | None, today: date) -> list[date]:
    """The first day of each month shown: the filter's creation range if it has one (at most the last
    `MAX_MONTHS` of it, never past this month), else the last `DEFAULT_MONTHS` months ending with this one."""
    last = _month_start(min(until or today, today))
    if since:
        first = _month_start(min(since, last))
    else:
        first = last
        for _ in range(DEFAULT_MONTHS - 1):
            first = _month_start(first - timedelta(days=1))
    months = [first]
    while months[-1] < last:
        months.append(_next_month(months[-1]))
    return months[-MAX_MONTHS:]


def _aware(day: date) -> datetime:
    return timezone.make_aware(datetime.combine(day, time.min))


def _tier(residual: int | None) -> str:
    return band_for_score(residual).value if residual else NO_RISKS


def portfolio_trends(scope, *, since: date | None = None, until: date | None = None, now: datetime | None = None):
    """The months of the use cases `scope` selects (a queryset of their ids) from the event log.

    1. The months shown and their boundaries; the last one ends now.
    2. Replay each use case's state events in order; at each month boundary its status and the residual
       of its last submitted round are counted (approvals in force; live use cases by tier); events inside
       the range count as submissions (by a person: a re-route's round is not a new request) and outcomes.
    3. Suspensions in the range by the cause their event records.
    """
    now = now or timezone.now()
    starts = month_range(since=since, until=until, today=timezone.localdate(now))
    months = [Month(start=start) for start in starts]
    bounds = [_aware(start) for start in starts[1:]] + [min(now, _aware(_next_month(starts[-1])))]
    opening = _aware(starts[0])

    month_of = _month_number("created_at", opening, bounds)
    events = (
        ApprovalEvent.objects.filter(use_case__in=scope, verb__in=VERB_STATUS, created_at__lt=bounds[-1])
        .order_by("use_case_id", "created_at", "pk")
        .values_list("use_case_id", "verb", month_of, "actor_id", "round__highest_residual")
    )

    # Each use case holds one (status, tier) from one event to the next: a segment of months. Segments are
    # added where they start and taken off where they end, then swept once, so the work grows with the
    # events, not with events × months. Only live states are kept (approvals in force are live).
    entering = [Counter() for _ in range(len(months) + 1)]
    leaving = [Counter() for _ in range(len(months) + 1)]

    def hold(state: tuple[str, str] | None, first: int, stop: int) -> None:
        if state is not None and first < stop:
            entering[first][state] += 1
            leaving[stop][state] += 1

    for _, rows in groupby(events, key=itemgetter(0)):
        state = tier = None
        index = 0
        for _, verb, in_month, actor_id, round_residual in rows:
            if in_month > index:  # the months before this event's end with the use case as it stood
                hold(state, index, in_month)
                index = in_month
            if in_month >= 0:
                if verb == Verb.SUBMITTED and actor_id is not None:
                    months[in_month].submitted += 1
                elif verb in OUTCOMES:
                    months[in_month].decided[verb] += 1
            if verb == Verb.SUBMITTED:
                tier = _tier(round_residual)
            status = VERB_STATUS[verb]
            state = (status, tier) if status in UseCase.LIVE_STATUSES else None
        hold(state, index, len(months))

    standing = Counter()
    for i, month in enumerate(months):
        standing.update(entering[i])
        standing.subtract(leaving[i])
        for (status, tier), n in standing.items():
            if n:
                month.live_by_tier[tier] += n
                if status in UseCase.APPROVED_STATUSES:
                    month.in_force += n
                    month.in_force_with_conditions += n if status == _S.APPROVED_WITH_CONDITIONS else 0

    suspensions = (
        ApprovalEvent.objects.filter(
            use_case__in=scope, verb=Verb.SUSPENDED, created_at__gte=opening, created_at__lt=bounds[-1]
        )
        .order_by()
        .values_list(month_of, KT("data__cause"))
    )
    for in_month, cause in suspensions:
        months[in_month].suspended[cause or NOT_RECORDED] += 1
    _count_conditions(scope, months, opening, bounds)
    return Trends(months=months)


def _month_number(field: str, opening: datetime, bounds: list[datetime]) -> Case:
    """The month of the range `field` falls in, numbered by the database (-1: before the range; NULL: after
    it, or no time), so that no timestamp is read into Python to be compared."""
    return Case(
        When(**{f"{field}__lt": opening}, then=Value(-1)),
        *(When(**{f"{field}__lt": bound}, then=Value(i)) for i, bound in enumerate(bounds)),
        output_field=IntegerField(),
    )


def _count_conditions(scope, months: list[Month], opening: datetime, bounds: list[datetime]) -> None:
    """Open and overdue conditions at each month's end, from each condition's own times: set (created),
    reported met (claimed), and met or waived (closed), numbered by month in the database. A condition is
    outstanding from the month it was set until the month it was closed; it is overdue at a month's end when
    outstanding, not reported met by then, and due before that day (as the sweep counts it)."""
    conditions = (
        Condition.objects.filter(use_case__in=scope, created_at__lt=bounds[-1])
        .exclude(closed_at__lt=opening)
        .order_by()
        .values_list(*(_month_number(f, opening, bounds) for f in ("created_at", "claimed_at", "closed_at")), "due_on")
    )
    ends = [timezone.localdate(bound) for bound in bounds]
    last = len(months)
    for created, claimed, closed, due_on in conditions:
        for i in range(max(created, 0), last if closed is None else closed):
            months[i].open_conditions += 1
            if due_on < ends[i] and (claimed is None or claimed > i):
                months[i].overdue_conditions += 1
