"""How long reviews take and where they wait now: the figures a governance lead staffs the review with.

Read from the rounds and their sign-offs, whose times the workflow writes with its events (a round's
`submitted_at` is its "submitted" event, its `decided_at` its outcome's, a sign-off's `signed_at` its
"signed" event). Three queries whatever the size of the portfolio; medians and 90th percentiles are taken
in Python over the durations of the period, which no database computes the same way on SQLite and
PostgreSQL.

- Submission to decision: each round decided in the period (approved, with conditions, rejected, or sent
  back for changes, including those suspended, expired or revoked since), from the round's start.
- Per function: from the round's start to the function's sign-off, for sign-offs made in the period; a
  breach is a sign-off that took more whole days than the SLA (`CLEARANCE_SIGNOFF_SLA_DAYS`), the same
  rule the review queue flags overdue with.
- Waiting now: each function's pending sign-offs of rounds in review, how long the oldest has waited, and
  how many are past the SLA.
"""

import math
import statistics
from collections import defaultdict
from dataclasses import dataclass
from datetime import datetime, timedelta

from django.conf import settings
from django.db.models import DateTimeField, Value
from django.utils import timezone

from approvals.models import ApprovalRequest, SignOff
from governance.roles import Function
from reports.durations import SecondsBetween

DAY = timedelta(days=1).total_seconds()
# Rounds that reached an outcome; superseded (re-routed) and withdrawn rounds were never decided.
DECIDED = (
    *ApprovalRequest.DECIDED_STATUSES,
    ApprovalRequest.Status.CHANGES_REQUESTED,
    ApprovalRequest.Status.SUSPENDED,
    ApprovalRequest.Status.EXPIRED,
    ApprovalRequest.Status.REVOKED,
)


@dataclass(frozen=True)
class Durations:
    """How many, and their median and 90th percentile in days (nearest rank); None when there are none."""

    count: int
    median: float | None
    p90: float | None

    @classmethod
    def of(cls, days: list[float]) -> "Durations":
        if not days:
            return cls(0, None, None)
        ranked = sorted(days)
        return cls(len(ranked), statistics.median(ranked), ranked[math.ceil(0.9 * len(ranked)) - 1])


@dataclass(frozen=True)
class FunctionCycle:
    function: str
    label: str
    signed: Durations  # round start → sign-off, for sign-offs made in the period
    breaches: int  # of those, taking longer than the SLA
    waiting: int  # pending now
    waiting_overdue: int  # pending now for longer than the SLA
    oldest_wait: int | None  # whole days the longest-waiting pending sign-off has waited

    @property
    def breach_rate(self) -> int | None:
        return round(100 * self.breaches / self.signed.count) if self.signed.count else None


@dataclass(frozen=True)
class CycleTimes:
    since: datetime
    sla_days: int
    decision: Durations
    functions: list[FunctionCycle]

    @property
    def waiting(self) -> int:
        return sum(f.waiting for f in self.functions)

    @property
    def waiting_overdue(self) -> int:
        return sum(f.waiting_overdue for f in self.functions)

    @property
    def breaches(self) -> int:
        return sum(f.breaches for f in self.functions)

    @property
    def slowest(self) -> FunctionCycle | None:
        """The function where requests wait longest now (most past the SLA, then the oldest wait)."""
        waiting = [f for f in self.functions if f.waiting]
        return max(waiting, key=lambda f: (f.waiting_overdue, f.oldest_wait or 0), default=None)


def _days(seconds: float) -> float:
    # To the millisecond: SQLite's julianday arithmetic is a float, a few microseconds off a whole day.
    return round(seconds, 3) / DAY


def review_cycle_times(scope, *, since: datetime, now: datetime | None = None) -> CycleTimes:
    """The cycle times of the use cases `scope` selects (a queryset of their ids), from `since` to now."""
    now = now or timezone.now()
    sla = settings.CLEARANCE_SIGNOFF_SLA_DAYS
    decided = ApprovalRequest.objects.filter(
        use_case__in=scope, status__in=DECIDED, decided_at__gte=since, decided_at__lt=now
    ).values_list(SecondsBetween("submitted_at", "decided_at"), flat=True)
    decision = Durations.of([_days(seconds) for seconds in decided])

    signed: dict[str, list[float]] = defaultdict(list)
    for function, seconds in SignOff.objects.filter(
        round__use_case__in=scope, signed_at__gte=since, signed_at__lt=now
    ).values_list("function", SecondsBetween("round__submitted_at", "signed_at")):
        signed[function].append(_days(seconds))

    waits: dict[str, list[int]] = defaultdict(list)
    for function, seconds in SignOff.objects.filter(
        round__use_case__in=scope, round__status=ApprovalRequest.Status.IN_REVIEW, decision=SignOff.Decision.PENDING
    ).values_list("function", SecondsBetween("round__submitted_at", Value(now, output_field=DateTimeField()))):
        waits[function].append(int(_days(seconds)))

    functions = [
        FunctionCycle(
            function=function.value,
            label=function.label,
            signed=Durations.of(signed[function]),
            breaches=sum(int(days) > sla for days in signed[function]),  # whole days, as the queue counts
            waiting=len(waits[function]),
            waiting_overdue=sum(days > sla for days in waits[function]),
            oldest_wait=max(waits[function], default=None),
        )
        for function in Function
        if signed[function] or waits[function]
    ]
    return CycleTimes(since=since, sla_days=sla, decision=decision, functions=functions)
