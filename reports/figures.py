"""The executive residual-risk report: its filters, the reads behind its figures, its PDF form,
and the services that render the PDF in the background.

Every figure is one aggregate query over the filtered use cases (the filter travels as a subquery, never
as a list of ids), so the page and the PDF cost the same number of queries for ten use cases or
ten thousand. `portfolio_report` gathers the figures into a `PortfolioReport` that the page and the PDF
both draw; the PDF's appendix reads `portfolio_rows`, one annotated row per use case (the CSV, in
`portfolio_csv`, reads the same selection a chunk at a time).
"""

import dataclasses
import hashlib
import logging
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from typing import Any

from django.conf import settings
from django.core.exceptions import PermissionDenied
from django.core.files.base import ContentFile
from django.db import transaction
from django.db.models import Count, F, OuterRef, Q, QuerySet, Subquery
from django.db.models.functions import Coalesce
from django.template.loader import render_to_string
from django.utils import timezone
from django.utils.dateparse import parse_date
from django.utils.safestring import SafeString

from approvals.documents.charts import BAND_COLOURS, heat_map_svg, stacked_bar_chart_svg
from approvals.documents.pdf import render_pdf
from approvals.models import ApprovalEvent, ApprovalRequest, Condition
from governance.countries import country_label
from governance.models import DataCategory, Risk, UseCase, Vendor
from governance.permissions import has_role
from governance.roles import Role
from governance.scoring import BAND_ORDER, BAND_RANGES, Band
from governance.selectors import highest_sensitivity
from reports.crosswalk import Crosswalk, framework_crosswalk
from reports.cycle_times import CycleTimes, review_cycle_times
from reports.models import ReportExport
from reports.trends import Trends, portfolio_trends

log = logging.getLogger(__name__)

EXPIRY_WINDOW_DAYS = 90
TOP_RISKS = 10
LIST_LIMIT = 10  # rows per list on the page and in the PDF (the soonest, the oldest); the CSV has every use case
# Use cases listed at the end of the PDF. WeasyPrint lays out ~7 ms a row, so the cap keeps a PDF of any
# portfolio within seconds and a few hundred MB; beyond it the CSV is the list.
APPENDIX_LIMIT = 1000
NO_RISKS = "none"  # the band filter's value for use cases with no risk recorded
BAND_FILTER_CHOICES = [*Band.choices, (NO_RISKS, "No risks recorded")]
HIGH_FLOOR = BAND_RANGES[Band.HIGH][0]  # a use case is high-or-critical from this residual score up
RESTRICTED_VENDOR = (Vendor.SanctionsStatus.RESTRICTED, Vendor.SanctionsStatus.SANCTIONED)
REQUEUE_AFTER = timedelta(minutes=5)  # an export still queued this long was never handed to a worker
# A rendering export beats at each stage; the longest stage (the PDF) is bounded by the render task's
# hard time limit, so one silent this long lost its worker (see `export_stale_after`).
STALE_MARGIN = timedelta(minutes=2)
MAX_EXPORT_ATTEMPTS = 3

_S = UseCase.Status
STATUS_GROUPS = {
    "Approved": (_S.APPROVED, _S.APPROVED_WITH_CONDITIONS),
    "In progress": (_S.DRAFT, _S.IN_REVIEW, _S.CHANGES_REQUESTED),
    "Needs attention": (_S.SUSPENDED, _S.EXPIRED),
    "Closed": (_S.REJECTED, _S.REVOKED, _S.WITHDRAWN),
}
STATUS_GROUP_COLOURS = ("#2e8b57", "#1f4fd1", "#e0a100", "#8a94a3")
EXPOSURE_COLOURS = (BAND_COLOURS[Band.HIGH], "#8fa8e8")  # high-or-critical use cases, then the rest


def can_view_portfolio(user) -> bool:
    """Executives and governance admins read the portfolio; nobody else learns the report exists."""
    return user.is_authenticated and user.is_active and has_role(user, Role.EXECUTIVE, Role.ADMIN)


# --- Filters ---------------------------------------------------------------------------------------


@dataclass(frozen=True)
class ReportFilters:
    """What the report covers; the names are the form's and the URL's. By default the live portfolio
    (`UseCase.LIVE_STATUSES`); `include_closed` adds drafts and closed requests (rejected, withdrawn,
    expired, revoked); chosen statuses select exactly those. Other empty values select everything."""

    status: tuple[str, ...] = ()
    include_closed: bool = False
    department: str = ""
    vendor_country: str = ""
    band: str = ""
    created_from: date | None = None
    created_to: date | None = None

    def as_json(self) -> dict[str, Any]:
        return {
            "status": list(self.status),
            "include_closed": self.include_closed,
            "department": self.department,
            "vendor_country": self.vendor_country,
            "band": self.band,
            "created_from": self.created_from.isoformat() if self.created_from else None,
            "created_to": self.created_to.isoformat() if self.created_to else None,
        }

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> "ReportFilters":
        """Read filters stored on an export (written by `as_json`, so already validated once)."""
        return cls(
            status=tuple(data.get("status") or ()),
            include_closed=bool(data.get("include_closed")),
            department=data.get("department") or "",
            vendor_country=data.get("vendor_country") or "",
            band=data.get("band") or "",
            created_from=parse_date(data["created_from"]) if data.get("created_from") else None,
            created_to=parse_date(data["created_to"]) if data.get("created_to") else None,
        )

    def as_query(self) -> list[tuple[str, str]]:
        """The filters as GET parameters (for the CSV link and the PDF export form)."""
        pairs = [("status", s) for s in self.status]
        pairs += [(k, "on" if v is True else v) for k, v in self.as_json().items() if k != "status" and v]
        return pairs

    @property
    def statuses(self) -> tuple[str, ...]:
        """The statuses covered: those chosen, else the live ones, else (closed included) every one."""
        if self.status:
            return self.status
        return () if self.include_closed else tuple(UseCase.LIVE_STATUSES)

    def describe(self) -> list[str]:
        """The filters in words, for the report's header; the first part always says which statuses."""
        statuses = dict(UseCase.Status.choices)
        if self.status:
            parts = ["Status: " + ", ".join(str(statuses.get(s, s)) for s in self.status)]
        elif self.include_closed:
            parts = ["Every submitted request, drafts and closed ones included"]
        else:
            parts = [LIVE_DESCRIPTION]
        if self.department:
            parts.append(f"Department: {self.department}")
        if self.vendor_country:
            parts.append(f"Vendor country: {country_label(self.vendor_country)}")
        if self.band:
            parts.append(f"Risk tier: {dict(BAND_FILTER_CHOICES)[self.band]}")
        if self.created_from or self.created_to:
            since = self.created_from.isoformat() if self.created_from else "the start"
            until = self.created_to.isoformat() if self.created_to else "today"
            parts.append(f"Created {since} to {until}")
        return parts


def _day_start(day: date) -> datetime:
    return timezone.make_aware(datetime.combine(day, time.min))


LIVE_DESCRIPTION = "Live portfolio: approved, approved with conditions, suspended, in review"


def submitted_use_cases() -> QuerySet[UseCase]:
    """The organisation's portfolio: every use case submitted at least once. A draft that was never
    submitted belongs to its owners alone (need to know), so no report or figure counts it."""
    return UseCase.objects.filter(first_submitted_at__isnull=False)


def use_cases_matching(filters: ReportFilters) -> QuerySet[UseCase]:
    """The portfolio `filters` select: the one definition that the home page, the report page, its CSV and
    its PDF all count (the tier is the use case's stored `highest_residual`)."""
    use_cases = submitted_use_cases()
    if filters.statuses:
        use_cases = use_cases.filter(status__in=filters.statuses)
    if filters.department:
        use_cases = use_cases.filter(department=filters.department)
    if filters.vendor_country:
        use_cases = use_cases.filter(primary_model__vendor__hq_country=filters.vendor_country)
    if filters.band == NO_RISKS:
        use_cases = use_cases.filter(risk_band="")
    elif filters.band:
        use_cases = use_cases.filter(risk_band=filters.band)
    if filters.created_from:
        use_cases = use_cases.filter(created_at__gte=_day_start(filters.created_from))
    if filters.created_to:
        use_cases = use_cases.filter(created_at__lt=_day_start(filters.created_to + timedelta(days=1)))
    return use_cases


def _ids(filters: ReportFilters) -> QuerySet:
    return use_cases_matching(filters).order_by().values("pk")


# --- The figures, one query each --------------------------------------------------------------------


@dataclass(frozen=True)
class Exposure:
    """How many use cases share one value of a dimension, and how many of them are high or critical."""

    key: str
    label: str
    use_cases: int
    high_or_critical: int
    restricted_vendor: int = 0


def status_counts(filters: ReportFilters) -> dict[str, int]:
    rows = use_cases_matching(filters).order_by().values_list("status").annotate(n=Count("pk"))
    return dict(rows)


def tier_counts(filters: ReportFilters) -> dict[str, int]:
    """Use cases by the band of their highest residual risk (NO_RISKS: none recorded)."""
    counts = {band.value: Count("pk", filter=Q(risk_band=band)) for band in BAND_ORDER} | {
        NO_RISKS: Count("pk", filter=Q(risk_band=""))
    }
    return use_cases_matching(filters).order_by().aggregate(**counts)


def residual_heat_map(filters: ReportFilters) -> dict[tuple[int, int], int]:
    """Every risk of the selected use cases, counted by residual (likelihood, impact)."""
    rows = (
        Risk.objects.filter(use_case__in=_ids(filters))
        .order_by()
        .values_list("residual_likelihood", "residual_impact")
        .annotate(n=Count("pk"))
    )
    return {(likelihood, impact): n for likelihood, impact, n in rows}


def _exposure_counts(use_cases: QuerySet, key: str, *, restricted: bool = False) -> QuerySet:
    counts = {"n": Count("pk"), "flagged": Count("pk", filter=Q(highest_residual__gte=HIGH_FLOOR))}
    if restricted:
        counts["restricted"] = Count("pk", filter=Q(primary_model__vendor__sanctions_status__in=RESTRICTED_VENDOR))
    return use_cases.order_by().values(key).annotate(**counts).order_by("-n", key)


def exposure_by_vendor_country(filters: ReportFilters) -> list[Exposure]:
    key = "primary_model__vendor__hq_country"
    return [
        Exposure(row[key], country_label(row[key]), row["n"], row["flagged"], row["restricted"])
        for row in _exposure_counts(use_cases_matching(filters), key, restricted=True)
    ]


def exposure_by_model_origin(filters: ReportFilters) -> list[Exposure]:
    key = "primary_model__origin_country"
    return [
        Exposure(row[key], country_label(row[key]), row["n"], row["flagged"])
        for row in _exposure_counts(use_cases_matching(filters), key)
    ]


def exposure_by_sensitivity(filters: ReportFilters) -> list[Exposure]:
    """Use cases by the most sensitive data category they process, most sensitive first."""
    use_cases = use_cases_matching(filters).annotate(sensitivity=highest_sensitivity())
    rows = {row["sensitivity"]: row for row in _exposure_counts(use_cases, "sensitivity")}
    levels = [*sorted(DataCategory.Sensitivity, reverse=True), None]
    return [
        Exposure(
            str(level or ""),
            DataCategory.Sensitivity(level).label if level else "No data recorded",
            rows[level]["n"],
            rows[level]["flagged"],
        )
        for level in levels
        if level in rows
    ]


def top_residual_risks(filters: ReportFilters, *, limit: int = TOP_RISKS) -> list[Risk]:
    return list(
        Risk.objects.filter(use_case__in=_ids(filters))
        .annotate(score=F("residual_likelihood") * F("residual_impact"))
        .select_related("owner", "use_case")
        .order_by("-score", "-residual_impact", "use_case__reference", "pk")[:limit]
    )


def approvals_expiring(filters: ReportFilters, *, today: date, within_days: int = EXPIRY_WINDOW_DAYS) -> QuerySet:
    """Current approvals whose expiry falls within `within_days` (or has passed, awaiting the sweep)."""
    return (
        ApprovalRequest.objects.filter(
            use_case__in=_ids(filters),
            status__in=ApprovalRequest.APPROVED_STATUSES,
            expires_on__lte=today + timedelta(days=within_days),
        )
        .select_related("use_case__business_owner", "use_case__risk_owner")
        .order_by("expires_on", "use_case__reference")
    )


def open_conditions(filters: ReportFilters) -> QuerySet[Condition]:
    """The conditions still outstanding (open, or reported met and awaiting confirmation) of the current
    approvals with conditions, soonest due first."""
    return (
        Condition.objects.filter(
            use_case__in=_ids(filters),
            status__in=Condition.OUTSTANDING,
            round__status=ApprovalRequest.Status.APPROVED_WITH_CONDITIONS,
        )
        .select_related("use_case", "owner")
        .order_by("due_on", "use_case__reference", "pk")
    )


def _suspension_reason() -> Subquery:
    return Subquery(
        ApprovalRequest.objects.filter(use_case=OuterRef("pk"), status=ApprovalRequest.Status.SUSPENDED)
        .order_by("-number")
        .values("closed_reason")[:1]
    )


def suspended_use_cases(filters: ReportFilters) -> QuerySet[UseCase]:
    """Suspended use cases with why (the suspended round's reason) and since when (its event)."""
    since = (
        ApprovalEvent.objects.filter(use_case=OuterRef("pk"), verb=ApprovalEvent.Verb.SUSPENDED)
        .order_by("-created_at", "-pk")
        .values("created_at")[:1]
    )
    return (
        use_cases_matching(filters)
        .filter(status=UseCase.Status.SUSPENDED)
        .annotate(suspended_reason=_suspension_reason(), suspended_at=Subquery(since))
        .select_related("business_owner", "primary_model__vendor")
        .order_by("suspended_at", "reference")
    )


def portfolio_rows(filters: ReportFilters) -> QuerySet[UseCase]:
    """One row per selected use case with every fact the CSV and the PDF appendix show, in one query."""
    current = ApprovalRequest.objects.filter(use_case=OuterRef("pk"), status__in=ApprovalRequest.APPROVED_STATUSES)
    conditions = (
        Condition.objects.filter(
            use_case=OuterRef("pk"),
            round__status=ApprovalRequest.Status.APPROVED_WITH_CONDITIONS,
            status__in=Condition.OUTSTANDING,
        )
        .order_by()
        .values("use_case")
        .annotate(n=Count("pk"))
        .values("n")[:1]
    )
    return (
        use_cases_matching(filters)
        .select_related("business_owner", "primary_model__vendor")
        .annotate(
            highest_sensitivity=highest_sensitivity(),
            approval_expiry=Subquery(current.order_by("-number").values("expires_on")[:1]),
            open_conditions=Coalesce(Subquery(conditions), 0),
            suspended_reason=_suspension_reason(),
        )
        .order_by("reference")
    )


# --- The report ------------------------------------------------------------------------------------


@dataclass
class PortfolioReport:
    """Every figure of the report, computed once; the page and the PDF draw it, the CSV shares its filter."""

    filters: ReportFilters
    generated_at: datetime
    today: date
    by_status: dict[str, int]
    by_tier: dict[str, int]
    heat_map: dict[tuple[int, int], int]
    by_vendor_country: list[Exposure]
    by_model_origin: list[Exposure]
    by_sensitivity: list[Exposure]
    top_risks: list[Risk]
    expiring: list[ApprovalRequest]
    expiring_count: int
    open_conditions: list[Condition]
    open_conditions_count: int
    overdue_conditions_count: int
    suspended: list[UseCase]
    suspended_count: int
    trends: Trends
    cycle_times: CycleTimes
    crosswalk: Crosswalk
    expiry_window_days: int = EXPIRY_WINDOW_DAYS

    @property
    def total(self) -> int:
        return sum(self.by_status.values())

    @property
    def risk_count(self) -> int:
        return sum(self.heat_map.values())

    @property
    def approved(self) -> int:
        return sum(self.by_status.get(s, 0) for s in UseCase.APPROVED_STATUSES)

    @property
    def in_review(self) -> int:
        return self.by_status.get(UseCase.Status.IN_REVIEW, 0)

    @property
    def high_or_critical(self) -> int:
        return self.by_tier.get(Band.HIGH, 0) + self.by_tier.get(Band.CRITICAL, 0)

    @property
    def critical(self) -> int:
        return self.by_tier.get(Band.CRITICAL, 0)

    @property
    def status_rows(self) -> list[tuple[str, str, int]]:
        """(status, label, count) in lifecycle order, statuses with no use case left out."""
        return [(s.value, s.label, self.by_status[s]) for s in UseCase.Status if self.by_status.get(s)]

    @property
    def tier_rows(self) -> list[tuple[str, str, int]]:
        labels = dict(BAND_FILTER_CHOICES)
        return [(key, labels[key], self.by_tier.get(key, 0)) for key in [*reversed(BAND_ORDER), NO_RISKS]]

    # Charts: the same SVG on the page and in the PDF.
    def heat_map_chart(self) -> SafeString:
        return heat_map_svg(self.heat_map, title=f"Residual risk heat map: {self.risk_count} risks")

    def status_chart(self) -> SafeString:
        # One segment per row, placed in its group's slot, so each bar takes its group's colour.
        slots = list(STATUS_GROUPS)
        rows = []
        for status, label, n in self.status_rows:
            values = [0] * len(slots)
            values[next(i for i, group in enumerate(slots) if status in STATUS_GROUPS[group])] = n
            rows.append((label, values))
        return stacked_bar_chart_svg(
            rows,
            colours=list(STATUS_GROUP_COLOURS),
            legend=slots,
            title="Use cases by status",
            width=380,
            label_width=165,
        )

    def tier_chart(self) -> SafeString:
        bands = [*reversed(BAND_ORDER)]
        return stacked_bar_chart_svg(
            [("Use cases", [self.by_tier.get(b, 0) for b in bands] + [self.by_tier.get(NO_RISKS, 0)])],
            colours=[*(BAND_COLOURS[b] for b in bands), "#c4cad3"],
            legend=[f"{label} {n}" for _, label, n in self.tier_rows],
            title="Use cases by risk tier (highest residual risk)",
            width=380,
            label_width=80,
        )

    @staticmethod
    def _exposure_chart(rows: list[Exposure], title: str) -> SafeString:
        return stacked_bar_chart_svg(
            [(row.label, [row.high_or_critical, row.use_cases - row.high_or_critical]) for row in rows],
            colours=list(EXPOSURE_COLOURS),
            legend=None,  # the exposure panel explains the two colours once for its three charts
            title=title,
            width=320,
            label_width=130,
        )

    def vendor_country_chart(self) -> SafeString:
        return self._exposure_chart(self.by_vendor_country, "Use cases by vendor headquarters country")

    def model_origin_chart(self) -> SafeString:
        return self._exposure_chart(self.by_model_origin, "Use cases by model origin country")

    def sensitivity_chart(self) -> SafeString:
        return self._exposure_chart(self.by_sensitivity, "Use cases by most sensitive data processed")

    @property
    def restricted_vendor_use_cases(self) -> int:
        return sum(row.restricted_vendor for row in self.by_vendor_country)


def _condition_counts(conditions: QuerySet[Condition], today: date) -> dict[str, int]:
    counts = conditions.order_by().aggregate(
        open_conditions_count=Count("pk"),
        overdue_conditions_count=Count("pk", filter=Q(status=Condition.Status.OPEN, due_on__lt=today)),
    )
    return counts


def history_scope(filters: ReportFilters) -> QuerySet:
    """The use cases whose history the trends and cycle times follow: the filter's department, vendor
    country, tier and creation dates select them, but not its statuses, which the months replay."""
    return _ids(dataclasses.replace(filters, status=(), include_closed=True))


def portfolio_report(filters: ReportFilters, *, now: datetime | None = None, list_limit: int = LIST_LIMIT):
    """Compute every figure for `filters`: twenty-three queries whatever the number of use cases."""
    now = now or timezone.now()
    today = timezone.localdate(now)
    expiring = approvals_expiring(filters, today=today)
    conditions = open_conditions(filters)
    suspended = suspended_use_cases(filters)
    scope = history_scope(filters)
    trends = portfolio_trends(scope, since=filters.created_from, until=filters.created_to, now=now)
    report = PortfolioReport(
        filters=filters,
        generated_at=now,
        today=today,
        by_status=status_counts(filters),
        by_tier=tier_counts(filters),
        heat_map=residual_heat_map(filters),
        by_vendor_country=exposure_by_vendor_country(filters),
        by_model_origin=exposure_by_model_origin(filters),
        by_sensitivity=exposure_by_sensitivity(filters),
        top_risks=top_residual_risks(filters),
        expiring=list(expiring[:list_limit]),
        expiring_count=expiring.count(),
        open_conditions=list(conditions[:list_limit]),
        **_condition_counts(conditions, today),
        suspended=list(suspended[:list_limit]),
        suspended_count=suspended.count(),
        trends=trends,
        cycle_times=review_cycle_times(scope, since=_day_start(trends.first), now=now),
        crosswalk=framework_crosswalk(use_cases_matching(filters)),
    )
    for round in report.expiring:
        round.days_left = (round.expires_on - today).days
    return report


# --- PDF ---------------------------------------------------------------------------------------------


# The appendix lists use cases; only the columns it prints are read.
APPENDIX_FIELDS = (
    "reference",
    "title",
    "status",
    "primary_model__vendor__name",
    "primary_model__vendor__hq_country",
)


def report_pdf(filters: ReportFilters, *, on_stage=None) -> tuple[bytes, PortfolioReport]:
    """The report as a PDF: the figures, the top lists, and a lean appendix of the use cases.

    `on_stage(progress)` is told when the figures are computed and when the PDF is rendered.
    """
    report = portfolio_report(filters)
    if on_stage:
        on_stage(ReportExport.Stage.RENDERING)
    appendix = portfolio_rows(filters).select_related(None).select_related("primary_model__vendor")
    appendix = appendix.only(*APPENDIX_FIELDS)[:APPENDIX_LIMIT]
    html = render_to_string(
        "reports/report_pdf.html",
        {"report": report, "appendix": appendix.iterator(chunk_size=500), "appendix_limit": APPENDIX_LIMIT},
    )
    pdf = render_pdf(html)
    if on_stage:
        on_stage(ReportExport.Stage.STORING)
    return pdf, report


# --- PDF exports: the background work ----------------------------------------------------------------


def report_exports_of(user) -> QuerySet[ReportExport]:
    return ReportExport.objects.filter(requested_by=user).order_by("-created_at", "-pk")


def report_export_request(*, user, filters: ReportFilters) -> ReportExport:
    """Record a PDF export for `user` and queue its rendering once the row is committed."""
    from approvals.notifications import enqueue_safely
    from reports.tasks import render_report_export

    if not can_view_portfolio(user):
        raise PermissionDenied("Only executives and governance admins export the portfolio report.")
    export = ReportExport.objects.create(requested_by=user, filters=filters.as_json())
    transaction.on_commit(lambda: enqueue_safely(render_report_export, export.pk))
    return export


def export_stale_after() -> timedelta:
    """How long a rendering export may go without a heartbeat before its worker is presumed lost: the
    render task's hard time limit (no stage outlives it) plus a margin."""
    return timedelta(seconds=settings.CLEARANCE_RENDER_HARD_SECONDS) + STALE_MARGIN


def _mine(export_id: int, attempt: int) -> QuerySet[ReportExport]:
    """The export while this attempt still holds it: a superseded attempt's writes match nothing."""
    return ReportExport.objects.filter(pk=export_id, status=ReportExport.Status.RENDERING, attempts=attempt)


def _advance(export_id: int, attempt: int, progress: int) -> None:
    # Its own small write, committed at once, so the progress page sees each stage; it is the heartbeat.
    _mine(export_id, attempt).update(progress=progress, heartbeat_at=timezone.now())


def _silent_since(moment: datetime) -> Q:
    # No heartbeat at all: rendering since before heartbeats were kept.
    return Q(heartbeat_at__lt=moment) | Q(heartbeat_at__isnull=True)


def _export_claim(export_id: int) -> int | None:
    """Take the export in one conditional UPDATE: queued, or rendering with a stale heartbeat (its worker
    lost), and attempts left. Returns this attempt's number, None if not claimed."""
    now = timezone.now()
    with transaction.atomic():
        claimed = (
            ReportExport.objects.filter(pk=export_id, attempts__lt=MAX_EXPORT_ATTEMPTS)
            .filter(
                Q(status=ReportExport.Status.QUEUED)
                | (Q(status=ReportExport.Status.RENDERING) & _silent_since(now - export_stale_after()))
            )
            .update(
                status=ReportExport.Status.RENDERING,
                progress=ReportExport.Stage.COMPUTING,
                error="",
                attempts=F("attempts") + 1,
                heartbeat_at=now,
            )
        )
        # The UPDATE's row lock lasts until commit, so the number read here is this claim's.
        return ReportExport.objects.values_list("attempts", flat=True).get(pk=export_id) if claimed else None


def report_export_render(*, export_id: int) -> str:
    """Render one export's PDF and store it.

    1. Claim it (`_export_claim`), so two workers never both render it; anything else is left alone.
    2. Computing: read the figures. Rendering: the PDF. Storing: the file and its SHA-256. Progress and
       the heartbeat are written at each stage, by this attempt only.
    3. Mark it done with the number of use cases it covers, or failed with the error; both only while
       this attempt still holds it, so a late failure of a superseded attempt never touches a done export.
    """
    attempt = _export_claim(export_id)
    if attempt is None:
        return "not claimed"
    export = ReportExport.objects.get(pk=export_id)
    try:
        pdf, report = report_pdf(
            ReportFilters.from_json(export.filters), on_stage=lambda stage: _advance(export_id, attempt, stage)
        )
        with transaction.atomic():
            export = _mine(export_id, attempt).select_for_update().first()
            if export is None:
                return "superseded"
            export.file.save(export.file_name, ContentFile(pdf), save=False)
            export.sha256 = hashlib.sha256(pdf).hexdigest()
            export.use_case_count = report.total
            export.status, export.progress = ReportExport.Status.DONE, 100
            export.finished_at = export.heartbeat_at = timezone.now()
            export.save()
    except Exception as exc:
        log.exception("Report export %s failed (attempt %s)", export_id, attempt)
        failed = _mine(export_id, attempt).update(
            status=ReportExport.Status.FAILED,
            error=f"{exc.__class__.__name__}: {exc}"[:2000],
            finished_at=timezone.now(),
        )
        return "failed" if failed else "superseded"
    return "done"


def report_exports_requeue(*, now: datetime | None = None) -> int:
    """Queue again the exports nobody is rendering: queued for a while (the broker was down when they
    were requested) or rendering with no heartbeat for longer than a stage can take (the worker died).
    Those whose attempts are spent are failed with the reason, for the person and the admins to see.
    Returns how many were queued."""
    from approvals.notifications import enqueue_safely
    from reports.tasks import render_report_export

    now = now or timezone.now()
    lost = Q(status=ReportExport.Status.RENDERING) & _silent_since(now - export_stale_after())
    ReportExport.objects.filter(lost, attempts__gte=MAX_EXPORT_ATTEMPTS).update(
        status=ReportExport.Status.FAILED,
        error=f"Gave up after {MAX_EXPORT_ATTEMPTS} attempts: each time the worker was lost or hit its time limit.",
        finished_at=now,
    )
    stuck = ReportExport.objects.filter(
        Q(status=ReportExport.Status.QUEUED, created_at__lt=now - REQUEUE_AFTER) | lost
    ).values_list("pk", flat=True)
    return sum(enqueue_safely(render_report_export, pk) for pk in list(stuck))


def report_export_retry(*, export_id: int) -> bool:
    """Queue a failed export again with fresh attempts. False if it is not failed. Governance admins call
    it from the admin; the person who asked uses "Try again", which makes a new export."""
    from approvals.notifications import enqueue_safely
    from reports.tasks import render_report_export

    reset = ReportExport.objects.filter(pk=export_id, status=ReportExport.Status.FAILED).update(
        status=ReportExport.Status.QUEUED,
        progress=ReportExport.Stage.QUEUED,
        attempts=0,
        heartbeat_at=None,
        finished_at=None,
        error="",
    )
    if reset:
        transaction.on_commit(lambda: enqueue_safely(render_report_export, export_id))
    return bool(reset)
