"""The executive report through the API: its figures as JSON and its CSV downloads, to the report page's
readers (executives, governance admins) and to service accounts that may read; anyone else gets 404."""

import json

from django.http import StreamingHttpResponse
from django.utils import timezone
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, OpenApiResponse, extend_schema
from rest_framework.renderers import JSONRenderer
from rest_framework.response import Response
from rest_framework.views import APIView

from api.exceptions import RefusalsAsJson
from api.reads.access import require_portfolio_reader
from api.reads.renderers import CSVRenderer
from api.reads.report_serializers import ReportSerializer, report_data
from api.reads.views import form_errors
from governance.models import UseCase
from identity.models import ServiceAccount
from reports.cache import cached_figures
from reports.conditions_csv import condition_csv_lines
from reports.figures import BAND_FILTER_CHOICES, ReportFilters, portfolio_report
from reports.portfolio_csv import portfolio_csv_lines
from reports.risks_csv import risk_csv_lines
from reports.views import ReportFilterForm

FILTERS = [
    OpenApiParameter(
        "status",
        str,
        many=True,
        enum=UseCase.Status.values,
        description="Repeat for several; none: the live portfolio (approved, with conditions, suspended, in review).",
    ),
    OpenApiParameter("include_closed", bool, description="Add drafts and closed requests when no status is chosen."),
    OpenApiParameter("department", str, description="One department, as the use cases name it."),
    OpenApiParameter("vendor_country", str, description="The vendor's headquarters country (ISO 3166 alpha-2)."),
    OpenApiParameter("band", str, enum=[key for key, _ in BAND_FILTER_CHOICES], description="Risk tier."),
    OpenApiParameter("created_from", OpenApiTypes.DATE, description="Created on or after (YYYY-MM-DD)."),
    OpenApiParameter("created_to", OpenApiTypes.DATE, description="Created on or before (YYYY-MM-DD)."),
]


def report_filters(request) -> ReportFilters:
    """The report page's filter form, read from the query string; a bad value is a 400."""
    require_portfolio_reader(request.user)
    form = ReportFilterForm(request.query_params)
    if not form.is_valid():
        raise form_errors(form)
    return form.filters()


class PortfolioView(APIView):
    # The portfolio is an executive's view: the read scope reaches it, the submit scope does not.
    read_scopes = frozenset({ServiceAccount.Scope.READ})


@extend_schema(
    tags=["reports"], summary="The executive report's figures", parameters=FILTERS, responses={200: ReportSerializer}
)
class ReportFigures(PortfolioView):
    def get(self, request):
        filters = report_filters(request)
        parts = json.dumps(filters.as_json(), sort_keys=True)
        # The page's cache entry: the figures are computed once for the page and the API alike.
        report = cached_figures("report", parts, lambda: portfolio_report(filters))
        return Response(ReportSerializer(report_data(report)).data)


class _CSVDownload(RefusalsAsJson, PortfolioView):
    renderer_classes = [JSONRenderer, CSVRenderer]
    name = ""

    @staticmethod
    def lines_of(filters):
        raise NotImplementedError

    def get(self, request):
        filters = report_filters(request)
        response = StreamingHttpResponse(type(self).lines_of(filters), content_type="text/csv; charset=utf-8")
        today = timezone.localdate()
        response["Content-Disposition"] = f'attachment; filename="clearance-{self.name}-{today:%Y-%m-%d}.csv"'
        return response


def _csv_schema(what: str):
    return extend_schema(
        tags=["reports"],
        summary=f"The report's CSV: {what}",
        parameters=FILTERS,
        responses={(200, "text/csv"): OpenApiResponse(OpenApiTypes.STR, description=f"One row per {what}.")},
    )


@_csv_schema("use case")
class PortfolioCSV(_CSVDownload):
    name = "portfolio"
    lines_of = staticmethod(portfolio_csv_lines)


@_csv_schema("risk")
class RisksCSV(_CSVDownload):
    name = "risks"
    lines_of = staticmethod(risk_csv_lines)


@_csv_schema("condition")
class ConditionsCSV(_CSVDownload):
    name = "conditions"
    lines_of = staticmethod(condition_csv_lines)
