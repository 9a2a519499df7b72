"""The portfolio as CSV: one row per selected use case, streamed.

The rows are read a chunk at a time, in reference order from the reference's index (each chunk starts
after the last reference of the one before), and each chunk's derived facts — most sensitive data,
current approval's expiry, open conditions, why it is suspended — come from three queries over that
chunk's ids. A row therefore costs a tuple and no correlated subquery, and the first bytes leave at
once: at 100,000 use cases the file streams in seconds instead of one query that outlasts the worker.
"""

import csv
from collections.abc import Iterable, Iterator
from datetime import datetime
from itertools import chain
from typing import Any

from django.db.models import Max
from django.utils import timezone

from approvals.models import ApprovalRequest, Condition
from governance.ai_act import AnnexIIIArea, EUAIActClass
from governance.models import AIModel, DataCategory, UseCase, Vendor
from governance.scoring import Band
from reports.figures import ReportFilters, use_cases_matching

CHUNK = 1000

CSV_COLUMNS = [
    "Reference",
    "Title",
    "Status",
    "Department",
    "Business owner",
    "Model",
    "Model origin",
    "Vendor",
    "Vendor country",
    "Vendor sanctions status",
    "Deployment",
    "Hosting country",
    "EU AI Act class",
    "High-risk area",
    "Highest data sensitivity",
    "Highest residual score",
    "Risk band",
    "Approval expiry",
    "Open conditions",
    "Suspended reason",
]
# A spreadsheet runs a cell that starts with one of these as a formula (CSV injection).
_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")

# What a row reads from the use case and its joins: plain values, not model instances.
_FIELDS = (
    "pk",
    "reference",
    "title",
    "status",
    "department",
    "business_owner__first_name",
    "business_owner__last_name",
    "business_owner__username",
    "primary_model__name",
    "primary_model__version",
    "primary_model__origin_country",
    "primary_model__vendor__name",
    "primary_model__vendor__hq_country",
    "primary_model__vendor__sanctions_status",
    "deployment_mode",
    "hosting_country",
    "eu_ai_act_class",
    "annex_iii_area",
    "highest_residual",
    "risk_band",
)
_LABELS = {
    "status": dict(UseCase.Status.choices),
    "sanctions": dict(Vendor.SanctionsStatus.choices),
    "deployment": dict(UseCase.DeploymentMode.choices),
    "sensitivity": dict(DataCategory.Sensitivity.choices),
    "band": dict(Band.choices),
    "ai_act": dict(EUAIActClass.choices),
    "area": dict(AnnexIIIArea.choices),
}


def csv_safe(value: Any) -> str:
    text = "" if value is None else str(value)
    return "'" + text if text.startswith(_FORMULA_START) else text


def _chunk_facts(ids: list[int]) -> dict[str, dict[int, Any]]:
    """What each use case of a chunk derives from other tables, in three queries by primary or foreign
    key: its most sensitive data category, its rounds (newest first: the current approval's expiry, why it
    was suspended), and the conditions still outstanding (open, or reported met and awaiting
    confirmation) on a round approved with conditions."""
    through = UseCase.data_categories.through
    sensitivity = dict(
        through.objects.filter(usecase_id__in=ids)
        .order_by()
        .values("usecase_id")
        .annotate(top=Max("datacategory__sensitivity"))
        .values_list("usecase_id", "top")
    )
    expiry: dict[int, Any] = {}
    suspended: dict[int, str] = {}
    with_conditions: dict[int, int] = {}  # round -> use case
    rounds = ApprovalRequest.objects.filter(use_case_id__in=ids).order_by("use_case_id", "-number")
    for round_id, use_case_id, status, expires_on, reason in rounds.values_list(
        "pk", "use_case_id", "status", "expires_on", "closed_reason"
    ):
        if status in ApprovalRequest.APPROVED_STATUSES:
            expiry.setdefault(use_case_id, expires_on)
        if status == ApprovalRequest.Status.SUSPENDED:
            suspended.setdefault(use_case_id, reason)
        if status == ApprovalRequest.Status.APPROVED_WITH_CONDITIONS:
            with_conditions[round_id] = use_case_id
    conditions: dict[int, int] = {}
    if with_conditions:
        outstanding = Condition.objects.filter(round_id__in=list(with_conditions), status__in=Condition.OUTSTANDING)
        for round_id in outstanding.order_by().values_list("round_id", flat=True):
            use_case_id = with_conditions[round_id]
            conditions[use_case_id] = conditions.get(use_case_id, 0) + 1
    return {"sensitivity": sensitivity, "expiry": expiry, "conditions": conditions, "suspended": suspended}


def _csv_row(row: tuple, facts: dict[str, dict[int, Any]]) -> list[str]:
    (pk, reference, title, status, department, first, last, username, model, version, origin, vendor, country,
     sanctions, deployment, hosting, ai_act, area, residual, band) = row  # fmt: skip
    sensitivity, expiry = facts["sensitivity"].get(pk), facts["expiry"].get(pk)
    values = [
        reference,
        title,
        _LABELS["status"].get(status, status),
        department,
        f"{first} {last}".strip() or username,
        AIModel.label(model, version),
        origin,
        vendor,
        country,
        _LABELS["sanctions"].get(sanctions, sanctions),
        _LABELS["deployment"].get(deployment, deployment),
        hosting,
        _LABELS["ai_act"].get(ai_act, "Not yet assessed"),
        _LABELS["area"].get(area, ""),
        _LABELS["sensitivity"].get(sensitivity, "") if sensitivity else "",
        residual or "",
        _LABELS["band"].get(band, ""),
        expiry.isoformat() if expiry else "",
        facts["conditions"].get(pk, 0),
        facts["suspended"].get(pk) or "",
    ]
    return [csv_safe(v) for v in values]


def portfolio_csv_rows(filters: ReportFilters, *, chunk_size: int = CHUNK) -> Iterator[list[str]]:
    """The header, then one row per selected use case in reference order, a chunk at a time."""
    yield CSV_COLUMNS
    selected = use_cases_matching(filters).order_by("reference")
    after = None
    while True:
        chunk = selected.filter(reference__gt=after) if after is not None else selected
        rows = list(chunk.values_list(*_FIELDS)[:chunk_size])
        if not rows:
            return
        facts = _chunk_facts([row[0] for row in rows])
        for row in rows:
            yield _csv_row(row, facts)
        if len(rows) < chunk_size:
            return
        after = rows[-1][1]


class _Echo:
    """A file-like object whose write returns the line, so csv.writer can feed a streaming response."""

    def write(self, value: str) -> str:
        return value


# A download starts with what it is: these rows, then a blank one, then the header. A program reading the
# file skips the first PREAMBLE_ROWS lines.
PREAMBLE_ROWS = 4


def csv_preamble(title: str, filters: ReportFilters, *, generated_at: datetime | None = None) -> list[list[str]]:
    """The rows that say what a CSV holds: its title, the filter in words, and when it was made."""
    generated_at = timezone.localtime(generated_at or timezone.now())
    return [
        ["Clearance", csv_safe(title)],
        ["Filter", csv_safe(" · ".join(filters.describe()))],
        ["Generated", f"{generated_at:%Y-%m-%d %H:%M:%S %Z}"],
        [],
    ]


def csv_lines(rows: Iterable[list[str]]) -> Iterator[str]:
    """Rows as CSV text lines, the first starting with the UTF-8 byte order mark spreadsheets look for."""
    writer = csv.writer(_Echo())
    for i, row in enumerate(rows):
        line = writer.writerow(row)
        yield "\ufeff" + line if i == 0 else line


def portfolio_csv_lines(filters: ReportFilters) -> Iterator[str]:
    return csv_lines(chain(csv_preamble("Use cases", filters), portfolio_csv_rows(filters)))
