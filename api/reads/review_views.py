"""A use case's review read through the API: rounds, sign-offs, events and approval records, to the people
who may see the use case (everyone else gets 404, as on the pages)."""

from django.http import FileResponse
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiResponse, extend_schema
from rest_framework import generics, serializers
from rest_framework.exceptions import ValidationError
from rest_framework.parsers import FormParser, MultiPartParser
from rest_framework.renderers import JSONRenderer
from rest_framework.response import Response
from rest_framework.views import APIView

from api.exceptions import RefusalsAsJson
from api.permissions import DEFAULT_READ_SCOPES
from api.reads import selectors
from api.reads.access import record_for, use_case_for
from api.reads.renderers import PDFRenderer
from api.reads.review_serializers import (
    EventSerializer,
    RecordSerializer,
    RoundSerializer,
    SignOffRowSerializer,
    VerificationSerializer,
    VerifyQuerySerializer,
    VerifyUploadSerializer,
)
from api.reads.views import REFERENCE, form_errors
from approvals.documents.verification import MAX_UPLOAD_BYTES, record_verify
from approvals.models import SignOff
from approvals.selectors import events_of, rounds_with_signoffs
from approvals.views import RecordVerifyForm
from checklist.uploads import FORM_ALLOWANCE, SizeLimitHandler, too_large_message
from governance.permissions import can_view_use_case
from governance.roles import Function


@extend_schema(tags=["review"], summary="The review rounds of a use case, newest first", parameters=[REFERENCE])
class RoundList(generics.ListAPIView):
    serializer_class = RoundSerializer

    def get_queryset(self):
        use_case = use_case_for(self.request.user, self.kwargs["reference"])
        return rounds_with_signoffs(use_case).order_by("-number")


@extend_schema(tags=["review"], summary="The append-only event log of a use case, oldest first", parameters=[REFERENCE])
class EventList(generics.ListAPIView):
    serializer_class = EventSerializer

    def get_queryset(self):
        return events_of(use_case_for(self.request.user, self.kwargs["reference"]))


class SignOffFilters(serializers.Serializer):
    function = serializers.ChoiceField(choices=Function.choices, required=False)
    decision = serializers.ChoiceField(choices=SignOff.Decision.choices, required=False)
    use_case = serializers.CharField(max_length=20, required=False, help_text="A use case's reference.")
    queue = serializers.BooleanField(
        required=False, default=False, help_text="Only the caller's review queue: pending, open, their functions."
    )


@extend_schema(
    tags=["review"],
    summary="Sign-offs of the use cases the caller may see, oldest round first",
    parameters=[SignOffFilters],
)
class SignOffList(generics.ListAPIView):
    serializer_class = SignOffRowSerializer

    def get_queryset(self):
        filters = SignOffFilters(data=self.request.query_params)
        filters.is_valid(raise_exception=True)
        data = filters.validated_data
        signoffs = selectors.signoffs_visible_to(self.request.user, queue=data["queue"])
        if data.get("function"):
            signoffs = signoffs.filter(function=data["function"])
        if data.get("decision"):
            signoffs = signoffs.filter(decision=data["decision"])
        if data.get("use_case"):
            signoffs = signoffs.filter(round__use_case__reference=data["use_case"])
        return signoffs


class RecordFilters(serializers.Serializer):
    use_case = serializers.CharField(max_length=20, required=False, help_text="A use case's reference.")


@extend_schema(
    tags=["records"],
    summary="Approval records of the use cases the caller may see, newest first",
    parameters=[RecordFilters],
)
class RecordList(generics.ListAPIView):
    serializer_class = RecordSerializer

    def get_queryset(self):
        filters = RecordFilters(data=self.request.query_params)
        filters.is_valid(raise_exception=True)
        records = selectors.records_visible_to(self.request.user)
        if filters.validated_data.get("use_case"):
            records = records.filter(round__use_case__reference=filters.validated_data["use_case"])
        return records


@extend_schema(tags=["records"], summary="One approval record's metadata")
class RecordDetail(generics.RetrieveAPIView):
    serializer_class = RecordSerializer

    def get_object(self):
        return record_for(self.request.user, self.kwargs["pk"])


@extend_schema(
    tags=["records"],
    summary="The approval record's PDF file",
    responses={(200, "application/pdf"): OpenApiResponse(OpenApiTypes.BINARY, description="The record.")},
)
class RecordDownload(RefusalsAsJson, APIView):
    renderer_classes = [JSONRenderer, PDFRenderer]

    def get(self, request, pk):
        record = record_for(request.user, pk)
        return FileResponse(
            record.file.open("rb"), as_attachment=True, filename=record.download_name, content_type="application/pdf"
        )


class RecordVerify(APIView):
    """Anyone who may use the API checks a record, as on the verify page: by its SHA-256 (GET) or by
    uploading the file (POST). Details beyond "genuine and current" only for who may see its use case."""

    parser_classes = [MultiPartParser, FormParser]
    # Verifying changes nothing: a token that may read may upload a file to check it.
    write_scopes = DEFAULT_READ_SCOPES

    def _answer(self, request, form):
        if not form.is_valid():
            raise form_errors(form)
        upload = form.cleaned_data["file"]
        if upload:
            result = record_verify(data=b"".join(upload.chunks()))
        else:
            result = record_verify(sha256=form.cleaned_data["sha256"])
        detailed = result.genuine and can_view_use_case(request.user, result.record.round.use_case)
        return Response(result.as_json(detailed=detailed))

    @extend_schema(
        tags=["records"],
        summary="Verify a record by its SHA-256",
        parameters=[VerifyQuerySerializer],
        responses={200: VerificationSerializer},
    )
    def get(self, request):
        return self._answer(request, RecordVerifyForm({"sha256": request.query_params.get("sha256", "")}))

    @extend_schema(
        tags=["records"],
        summary="Verify a record by uploading its PDF",
        request={"multipart/form-data": VerifyUploadSerializer},
        responses={200: VerificationSerializer},
    )
    def post(self, request):
        if int(request.META.get("CONTENT_LENGTH") or 0) > MAX_UPLOAD_BYTES + FORM_ALLOWANCE:
            # Refused unread: a file that large is no record.
            raise ValidationError({"file": [too_large_message(MAX_UPLOAD_BYTES)]})
        django_request = request._request
        django_request.upload_refused = ""
        django_request.upload_handlers.insert(0, SizeLimitHandler(django_request, MAX_UPLOAD_BYTES))
        files = request.FILES
        if django_request.upload_refused:
            raise ValidationError({"file": [django_request.upload_refused]})
        return self._answer(request, RecordVerifyForm(request.data, files))
