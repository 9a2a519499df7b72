"""Pages of a long list at a cost that does not grow with the table.

A page reads its rows and one more (to know whether a next page exists) instead of counting first; the
count it shows stops at `EXACT_UP_TO` rows. Past that, PostgreSQL's planner estimate is shown as "about N";
where there is no estimate, "more than N". Both are said as such, never as an exact figure.
"""

import json
from dataclasses import dataclass
from typing import Any

from django.db import DatabaseError, connections
from django.db.models import QuerySet

EXACT_UP_TO = 1000
PER_PAGE = 25
LAST_PAGE = 100_000  # no one reads page 100,001; the bound keeps the offset a small integer


@dataclass(frozen=True)
class RowCount:
    """How many rows a list holds: `value` exactly when `exact`, else a lower bound or an estimate."""

    value: int
    exact: bool = True
    estimated: bool = False

    def __str__(self) -> str:
        if self.exact:
            return f"{self.value:,}"
        return f"about {self.value:,}" if self.estimated else f"more than {self.value:,}"


@dataclass(frozen=True)
class Page:
    number: int
    object_list: list
    has_next: bool
    count: RowCount
    per_page: int = PER_PAGE

    def __iter__(self):
        return iter(self.object_list)

    def __len__(self) -> int:
        return len(self.object_list)

    @property
    def has_previous(self) -> bool:
        return self.number > 1

    @property
    def has_other_pages(self) -> bool:
        return self.has_next or self.has_previous

    @property
    def next_page_number(self) -> int:
        return self.number + 1

    @property
    def previous_page_number(self) -> int:
        return self.number - 1

    @property
    def num_pages(self) -> int | None:
        """The number of pages when the count is exact, else None (the page says "Page N")."""
        if not self.count.exact:
            return None
        return max(1, -(-self.count.value // self.per_page))

    @property
    def start_index(self) -> int:
        return (self.number - 1) * self.per_page + 1 if self.object_list else 0


def page_number(value: Any) -> int:
    """The page asked for: a whole number from 1 to LAST_PAGE; anything else is the first page."""
    text = str(value or "").strip()
    if not (text.isascii() and text.isdigit()) or len(text) > 6:
        return 1
    return min(max(int(text), 1), LAST_PAGE)


def row_count(queryset: QuerySet) -> RowCount:
    """Count the rows up to EXACT_UP_TO; past that, an estimate where the database offers one."""
    plain = queryset.order_by().values("pk")
    counted = plain[: EXACT_UP_TO + 1].count()
    if counted <= EXACT_UP_TO:
        return RowCount(counted)
    estimate = _planner_estimate(plain)
    if estimate is not None and estimate > EXACT_UP_TO:
        return RowCount(_round_estimate(estimate), exact=False, estimated=True)
    return RowCount(EXACT_UP_TO, exact=False)


def _planner_estimate(queryset: QuerySet) -> int | None:
    if connections[queryset.db].vendor != "postgresql":
        return None
    try:
        plan = json.loads(queryset.explain(format="json"))
    except (DatabaseError, ValueError):
        return None
    plan = plan[0] if isinstance(plan, list) else plan
    return int(plan["Plan"]["Plan Rows"])


def _round_estimate(value: int) -> int:
    """Two significant figures: an estimate should not look precise."""
    digits = len(str(value)) - 2
    return round(value, -digits) if digits > 0 else value


def paginate(queryset: QuerySet, number: Any, *, per_page: int = PER_PAGE, count: bool = True) -> Page:
    """The page `number` of an ordered `queryset`: its rows, whether another follows, and the row count.
    A page past the end falls back to the last one when the count is exact."""
    number = page_number(number)
    total = row_count(queryset) if count else RowCount(0, exact=False)
    if total.exact and number > 1:
        number = min(number, max(1, -(-total.value // per_page)))
    offset = (number - 1) * per_page
    rows = list(queryset[offset : offset + per_page + 1])
    return Page(number, rows[:per_page], len(rows) > per_page, total, per_page)
