"""The portfolio's conditions as CSV: one row per condition of the selected use cases, every state, streamed.

Read a chunk at a time in use case reference order (then due date, then condition), each chunk starting
after the last row of the one before, with the use case, the owner and whoever closed it joined in the
chunk's one query: the same queries per thousand rows at any size.
"""

from collections.abc import Iterator
from datetime import date
from itertools import chain

from django.db.models import Q
from django.utils import timezone

from approvals.models import ApprovalRequest, Condition
from governance.models import UseCase
from governance.roles import Function
from reports.figures import ReportFilters, use_cases_matching
from reports.portfolio_csv import CHUNK, csv_lines, csv_preamble, csv_safe

CONDITION_COLUMNS = [
    "Use case",
    "Use case title",
    "Use case status",
    "Round",
    "Round status",
    "Set by",
    "Condition",
    "Owner",
    "Due",
    "State",
    "Overdue",
    "Suspends the approval if not met",
    "Evidence link",
    "Evidence file SHA-256",
    "Reported met at",
    "Closed by",
    "Closed at",
    "Note",
]

_FIELDS = (
    "pk",
    "use_case__reference",
    "due_on",
    "use_case__title",
    "use_case__status",
    "round__number",
    "round__status",
    "function",
    "description",
    "owner__first_name",
    "owner__last_name",
    "owner__username",
    "status",
    "suspend_if_not_met",
    "evidence_link",
    "evidence_sha256",
    "claimed_at",
    "closed_by__first_name",
    "closed_by__last_name",
    "closed_by__username",
    "closed_at",
    "closing_note",
)
_USE_CASE_STATUS = dict(UseCase.Status.choices)
_ROUND_STATUS = dict(ApprovalRequest.Status.choices)
_STATE = dict(Condition.Status.choices)
_FUNCTION = dict(Function.choices)


def _name(first: str | None, last: str | None, username: str | None) -> str:
    return f"{first or ''} {last or ''}".strip() or (username or "")


def _when(moment) -> str:
    return f"{timezone.localtime(moment):%Y-%m-%d %H:%M}" if moment else ""


def _condition_row(row: tuple, today: date) -> list[str]:
    (_pk, reference, due_on, title, status, number, round_status, function, description, first, last, username,
     state, suspends, link, sha256, claimed_at, closer_first, closer_last, closer_username, closed_at,
     note) = row  # fmt: skip
    values = [
        reference,
        title,
        _USE_CASE_STATUS.get(status, status),
        number,
        _ROUND_STATUS.get(round_status, round_status),
        _FUNCTION.get(function, function),
        description,
        _name(first, last, username),
        due_on.isoformat(),
        _STATE.get(state, state),
        "yes" if state == Condition.Status.OPEN and due_on < today else "",
        "yes" if suspends else "",
        link,
        sha256,
        _when(claimed_at),
        _name(closer_first, closer_last, closer_username),
        _when(closed_at),
        note,
    ]
    return [csv_safe(v) for v in values]


def condition_csv_rows(filters: ReportFilters, *, chunk_size: int = CHUNK) -> Iterator[list[str]]:
    """The header, then one row per condition of the use cases `filters` select."""
    yield CONDITION_COLUMNS
    today = timezone.localdate()
    conditions = Condition.objects.filter(use_case__in=use_cases_matching(filters).values("pk"))
    conditions = conditions.order_by("use_case__reference", "due_on", "pk")
    after = None
    while True:
        chunk = conditions
        if after is not None:
            pk, reference, due_on = after
            chunk = conditions.filter(
                Q(use_case__reference__gt=reference)
                | Q(use_case__reference=reference, due_on__gt=due_on)
                | Q(use_case__reference=reference, due_on=due_on, pk__gt=pk)
            )
        rows = list(chunk.values_list(*_FIELDS)[:chunk_size])
        for row in rows:
            yield _condition_row(row, today)
        if len(rows) < chunk_size:
            return
        after = rows[-1][:3]


def condition_csv_lines(filters: ReportFilters) -> Iterator[str]:
    return csv_lines(chain(csv_preamble("Conditions", filters), condition_csv_rows(filters)))
