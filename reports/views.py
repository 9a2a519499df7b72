"""The executive residual-risk report: the page, its CSV, and its PDF exports.

Only executives and governance admins read the portfolio; anyone else gets 404, as an outsider does for
a use case. Each view authorizes, validates the filter form, calls a selector or a service, and answers.
"""

import json

from django import forms
from django.contrib.auth.decorators import login_required
from django.http import FileResponse, Http404, HttpResponse, StreamingHttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.http import urlencode
from django.views.decorators.http import require_GET, require_http_methods

from approvals.documents.pdf import RenderLimitExceeded
from governance.models import UseCase, Vendor
from governance.widgets import QuickSelect
from reports.cache import cached_figures
from reports.conditions_csv import condition_csv_lines
from reports.exports import CHARTS, ChartRenderFailed, chart_png, chart_svg, slide_pdf
from reports.figures import (
    BAND_FILTER_CHOICES,
    ReportFilters,
    can_view_portfolio,
    country_label,
    portfolio_report,
    report_export_request,
    report_exports_of,
    submitted_use_cases,
)
from reports.models import ReportExport
from reports.portfolio_csv import portfolio_csv_lines
from reports.risks_csv import risk_csv_lines


def _departments() -> list[str]:
    use_cases = submitted_use_cases().exclude(department="").order_by("department")
    return list(use_cases.values_list("department", flat=True).distinct())


class ReportFilterForm(forms.Form):
    """The report's filters. Department and vendor country offer the values the registry holds."""

    status = forms.MultipleChoiceField(
        choices=UseCase.Status.choices,
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text="None ticked: the live portfolio (approved, approved with conditions, suspended, in review).",
    )
    include_closed = forms.BooleanField(
        required=False, label="Include drafts and closed requests (rejected, withdrawn, expired, revoked)"
    )
    department = forms.ChoiceField(required=False, widget=QuickSelect)
    vendor_country = forms.ChoiceField(required=False, label="Vendor country", widget=QuickSelect)
    band = forms.ChoiceField(
        choices=[("", "Any tier"), *BAND_FILTER_CHOICES], required=False, label="Risk tier", widget=QuickSelect
    )
    created_from = forms.DateField(required=False, label="Created from", widget=forms.DateInput(attrs={"type": "date"}))
    created_to = forms.DateField(required=False, label="Created to", widget=forms.DateInput(attrs={"type": "date"}))

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        departments = cached_figures("departments", "", _departments)
        self.fields["department"].choices = [("", "All departments"), *((d, d) for d in departments)]
        countries = Vendor.objects.order_by("hq_country").values_list("hq_country", flat=True).distinct()
        self.fields["vendor_country"].choices = [("", "All countries"), *((c, country_label(c)) for c in countries)]

    def clean(self):
        data = super().clean()
        since, until = data.get("created_from"), data.get("created_to")
        if since and until and since > until:
            self.add_error("created_to", "The end of the date range is before its start.")
        return data

    def filters(self) -> ReportFilters:
        data = self.cleaned_data
        return ReportFilters(
            status=tuple(data["status"]),
            include_closed=data["include_closed"],
            department=data["department"],
            vendor_country=data["vendor_country"],
            band=data["band"],
            created_from=data["created_from"],
            created_to=data["created_to"],
        )


def _require_portfolio_reader(user) -> None:
    if not can_view_portfolio(user):
        raise Http404("No such page")


def get_export_for_user(user, pk: int) -> ReportExport:
    """The export, or 404 unless `user` asked for it (and still reads the portfolio)."""
    _require_portfolio_reader(user)
    return get_object_or_404(ReportExport, pk=pk, requested_by=user)


def _invalid(request, form):
    return render(request, "reports/report.html", {"form": form, "report": None}, status=400)


def _cached_report(filters: ReportFilters):
    return cached_figures("report", json.dumps(filters.as_json(), sort_keys=True), lambda: portfolio_report(filters))


@require_GET
@login_required
def report(request):
    _require_portfolio_reader(request.user)
    form = ReportFilterForm(request.GET)
    if not form.is_valid():
        return _invalid(request, form)
    filters = form.filters()
    query = filters.as_query()
    report = _cached_report(filters)
    context = {"form": form, "report": report, "query": query, "query_string": urlencode(query)}
    return render(request, "reports/report.html", context)


def _file_name(name: str, report, extension: str) -> str:
    return f"clearance-{name}-{report.generated_at:%Y-%m-%d-%H%M}.{extension}"


@require_GET
@login_required
def report_chart(request, chart: str, fmt: str):
    """One chart of the report, for the filters in the query string, as an SVG or PNG file."""
    _require_portfolio_reader(request.user)
    if chart not in CHARTS:
        raise Http404("No such chart")
    form = ReportFilterForm(request.GET)
    if not form.is_valid():
        return _invalid(request, form)
    report = _cached_report(form.filters())
    svg = chart_svg(report, chart)
    if fmt == "svg":
        response = HttpResponse(svg, content_type="image/svg+xml; charset=utf-8")
    else:
        try:
            response = HttpResponse(chart_png(svg), content_type="image/png")
        except (ChartRenderFailed, RenderLimitExceeded) as exc:
            return HttpResponse(f"The chart could not be made as a PNG: {exc}", status=503, content_type="text/plain")
    response["Content-Disposition"] = f'attachment; filename="{_file_name(chart, report, fmt)}"'
    return response


@require_GET
@login_required
def report_slide(request):
    """The report's headline page, for the filters in the query string, as a one-page 16:9 PDF."""
    _require_portfolio_reader(request.user)
    form = ReportFilterForm(request.GET)
    if not form.is_valid():
        return _invalid(request, form)
    report = _cached_report(form.filters())
    try:
        pdf = slide_pdf(report)
    except RenderLimitExceeded as exc:
        return HttpResponse(f"The slide could not be made: {exc}", status=503, content_type="text/plain")
    response = HttpResponse(pdf, content_type="application/pdf")
    response["Content-Disposition"] = f'attachment; filename="{_file_name("slide", report, "pdf")}"'
    return response


@require_GET
@login_required
def report_csv(request):
    """One row per use case the report's filters select."""
    return _csv_download(request, portfolio_csv_lines, "portfolio")


@require_GET
@login_required
def report_conditions_csv(request):
    """One row per condition of the use cases the report's filters select: owner, due date, state."""
    return _csv_download(request, condition_csv_lines, "conditions")


@require_GET
@login_required
def report_risks_csv(request):
    """One row per risk of the use cases the report's filters select."""
    return _csv_download(request, risk_csv_lines, "risks")


def _csv_download(request, lines_of, name: str):
    """The CSV `lines_of(filters)` for the filters in the query string, to portfolio readers only."""
    _require_portfolio_reader(request.user)
    form = ReportFilterForm(request.GET)
    if not form.is_valid():
        return _invalid(request, form)
    response = StreamingHttpResponse(lines_of(form.filters()), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="clearance-{name}-{timezone.localdate():%Y-%m-%d}.csv"'
    return response


@require_http_methods(["GET", "POST"])
@login_required
def report_exports(request):
    """GET: the user's own exports, newest first. POST: export the report for the filters given."""
    _require_portfolio_reader(request.user)
    if request.method == "POST":
        form = ReportFilterForm(request.POST)
        if not form.is_valid():
            return _invalid(request, form)
        export = report_export_request(user=request.user, filters=form.filters())
        return redirect("report_export_detail", pk=export.pk)
    exports = list(report_exports_of(request.user)[:50])
    for export in exports:
        export.described = ReportFilters.from_json(export.filters).describe()
    return render(request, "reports/report_exports.html", {"exports": exports})


@require_GET
@login_required
def report_export_detail(request, pk):
    export = get_export_for_user(request.user, pk)
    context = {"export": export, "filters": ReportFilters.from_json(export.filters)}
    response = render(request, "reports/report_exports_detail.html", context)
    if export.is_pending:
        # The page reloads itself until the PDF is ready: no JavaScript (the CSP forbids inline scripts).
        response["Refresh"] = "2"
    return response


@require_GET
@login_required
def report_export_download(request, pk):
    export = get_export_for_user(request.user, pk)
    if export.status != ReportExport.Status.DONE:
        raise Http404("The PDF is not ready")
    return FileResponse(
        export.file.open("rb"), as_attachment=True, filename=export.file_name, content_type="application/pdf"
    )
