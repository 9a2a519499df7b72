"""The portfolio's risks as CSV: one row per risk of the selected use cases, streamed.

The risks are read a chunk at a time in use case reference order (then by risk), each chunk starting
after the last (reference, risk) pair of the one before, with their use case and owner joined: a row is a
tuple read in the chunk's one query, so the file costs the same queries per thousand rows at any size.
"""

from collections.abc import Iterator
from itertools import chain

from django.db.models import Q

from governance.models import Risk, UseCase
from governance.scoring import band, score
from reports.figures import ReportFilters, use_cases_matching
from reports.portfolio_csv import CHUNK, csv_lines, csv_preamble, csv_safe

RISK_COLUMNS = [
    "Use case",
    "Use case title",
    "Use case status",
    "Risk",
    "Category",
    "Description",
    "Inherent likelihood",
    "Inherent impact",
    "Inherent score",
    "Residual likelihood",
    "Residual impact",
    "Residual score",
    "Residual band",
    "Risk owner",
    "Mitigations",
]

_FIELDS = (
    "pk",
    "use_case__reference",
    "use_case__title",
    "use_case__status",
    "title",
    "category",
    "description",
    "inherent_likelihood",
    "inherent_impact",
    "residual_likelihood",
    "residual_impact",
    "owner__first_name",
    "owner__last_name",
    "owner__username",
    "mitigations",
)
_STATUS = dict(UseCase.Status.choices)
_CATEGORY = dict(Risk.Category.choices)


def _risk_row(row: tuple) -> list[str]:
    (_pk, reference, use_case_title, status, title, category, description, inherent_l, inherent_i, residual_l,
     residual_i, first, last, username, mitigations) = row  # fmt: skip
    values = [
        reference,
        use_case_title,
        _STATUS.get(status, status),
        title,
        _CATEGORY.get(category, category),
        description,
        inherent_l,
        inherent_i,
        score(inherent_l, inherent_i),
        residual_l,
        residual_i,
        score(residual_l, residual_i),
        band(residual_l, residual_i).label,
        f"{first} {last}".strip() or username,
        mitigations,
    ]
    return [csv_safe(v) for v in values]


def risk_csv_rows(filters: ReportFilters, *, chunk_size: int = CHUNK) -> Iterator[list[str]]:
    """The header, then one row per risk of the use cases `filters` select, by use case reference."""
    yield RISK_COLUMNS
    risks = Risk.objects.filter(use_case__in=use_cases_matching(filters).values("pk"))
    risks = risks.order_by("use_case__reference", "pk")
    after = None
    while True:
        chunk = risks
        if after is not None:
            reference, pk = after
            chunk = risks.filter(Q(use_case__reference__gt=reference) | Q(use_case__reference=reference, pk__gt=pk))
        rows = list(chunk.values_list(*_FIELDS)[:chunk_size])
        for row in rows:
            yield _risk_row(row)
        if len(rows) < chunk_size:
            return
        after = (rows[-1][1], rows[-1][0])


def risk_csv_lines(filters: ReportFilters) -> Iterator[str]:
    return csv_lines(chain(csv_preamble("Risks", filters), risk_csv_rows(filters)))
