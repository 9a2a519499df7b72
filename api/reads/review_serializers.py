"""What the API shows of a use case's review: its rounds (who had to sign and why), the sign-offs, the
append-only event log, and the approval records."""

from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers
from rest_framework.reverse import reverse

from api.reads.serializers import PersonSerializer
from approvals.models import ApprovalEvent, ApprovalRecord, ApprovalRequest, SignOff
from governance.roles import Function


class RouteSerializer(serializers.Serializer):
    """One function a round was routed to, and why."""

    function = serializers.ChoiceField(choices=Function.choices, read_only=True)
    reason = serializers.CharField(read_only=True)


class SignOffSerializer(serializers.ModelSerializer):
    assignee = PersonSerializer(read_only=True, allow_null=True)
    signed_by = PersonSerializer(read_only=True, allow_null=True)

    class Meta:
        model = SignOff
        fields = [
            "id",
            "function",
            "reason",
            "decision",
            "conditions",
            "comment",
            "assignee",
            "signed_by",
            "signed_at",
            "created_at",
        ]


class RecordBriefSerializer(serializers.ModelSerializer):
    class Meta:
        model = ApprovalRecord
        fields = ["id", "sha256", "created_at"]


class RoundSerializer(serializers.ModelSerializer):
    """A review round: what was submitted (the snapshot's SHA-256), who had to sign and why, the
    sign-offs, the outcome, and its record once rendered."""

    submitted_by = PersonSerializer(read_only=True)
    routing = RouteSerializer(many=True, read_only=True)
    signoffs = SignOffSerializer(many=True, read_only=True)
    record = serializers.SerializerMethodField()

    class Meta:
        model = ApprovalRequest
        fields = [
            "number",
            "status",
            "submitted_by",
            "submitted_at",
            "snapshot_sha256",
            "highest_residual",
            "routing",
            "signoffs",
            "decided_at",
            "expires_on",
            "closed_reason",
            "record",
        ]

    @extend_schema_field(RecordBriefSerializer(allow_null=True))
    def get_record(self, round):
        record = getattr(round, "record", None)
        return RecordBriefSerializer(record).data if record is not None else None


class SignOffRowSerializer(SignOffSerializer):
    """A sign-off with the use case and round it belongs to."""

    use_case = serializers.CharField(source="round.use_case.reference", read_only=True)
    use_case_title = serializers.CharField(source="round.use_case.title", read_only=True)
    round = serializers.IntegerField(source="round.number", read_only=True)
    round_status = serializers.ChoiceField(
        source="round.status", choices=ApprovalRequest.Status.choices, read_only=True
    )
    submitted_at = serializers.DateTimeField(source="round.submitted_at", read_only=True)

    class Meta(SignOffSerializer.Meta):
        fields = ["use_case", "use_case_title", "round", "round_status", "submitted_at", *SignOffSerializer.Meta.fields]


class EventSerializer(serializers.ModelSerializer):
    """One entry of the append-only log: who (null when the system acted), what, when."""

    actor = PersonSerializer(read_only=True, allow_null=True)
    verb_label = serializers.CharField(source="get_verb_display", read_only=True)
    round = serializers.SerializerMethodField()
    data = serializers.JSONField(read_only=True)

    class Meta:
        model = ApprovalEvent
        fields = ["id", "verb", "verb_label", "actor", "round", "data", "created_at"]

    @extend_schema_field(OpenApiTypes.INT)
    def get_round(self, event) -> int | None:
        """The number of the round it concerns, if any."""
        return event.round.number if event.round_id else None


class RecordSerializer(serializers.ModelSerializer):
    """An approval record's metadata: which round it certifies, the PDF's SHA-256 and size."""

    use_case = serializers.CharField(source="round.use_case.reference", read_only=True)
    round = serializers.IntegerField(source="round.number", read_only=True)
    round_status = serializers.ChoiceField(
        source="round.status", choices=ApprovalRequest.Status.choices, read_only=True
    )
    decided_at = serializers.DateTimeField(source="round.decided_at", read_only=True, allow_null=True)
    expires_on = serializers.DateField(source="round.expires_on", read_only=True, allow_null=True)
    file_name = serializers.CharField(source="download_name", read_only=True)
    download = serializers.SerializerMethodField()

    class Meta:
        model = ApprovalRecord
        fields = [
            "id",
            "use_case",
            "round",
            "round_status",
            "decided_at",
            "expires_on",
            "sha256",
            "snapshot_sha256",
            "size",
            "pages",
            "file_name",
            "created_at",
            "download",
        ]

    @extend_schema_field(OpenApiTypes.URI)
    def get_download(self, record) -> str:
        return reverse("api_record_download", args=[record.pk], request=self.context.get("request"))


class VerificationUseCaseSerializer(serializers.Serializer):
    reference = serializers.CharField()
    title = serializers.CharField()


class VerificationSerializer(serializers.Serializer):
    """The record verify page's answer. Whoever asks learns whether the record is genuine and current; the
    details (`use_case` onwards) only someone who may see its use case."""

    genuine = serializers.BooleanField()
    sha256 = serializers.CharField()
    message = serializers.CharField(required=False)
    current = serializers.BooleanField(required=False)
    use_case = VerificationUseCaseSerializer(required=False)
    round = serializers.IntegerField(required=False)
    outcome = serializers.CharField(required=False)
    outcome_label = serializers.CharField(required=False)
    round_status = serializers.CharField(required=False)
    standing = serializers.CharField(required=False)
    snapshot_sha256 = serializers.CharField(required=False)
    decided_at = serializers.DateTimeField(required=False, allow_null=True)
    expires_on = serializers.DateField(required=False, allow_null=True)
    issued_at = serializers.DateTimeField(required=False)
    pages = serializers.IntegerField(required=False)
    size = serializers.IntegerField(required=False)


class VerifyQuerySerializer(serializers.Serializer):
    sha256 = serializers.CharField(max_length=100, help_text="The record's SHA-256: 64 hexadecimal digits.")


class VerifyUploadSerializer(serializers.Serializer):
    file = serializers.FileField(help_text="The approval record (PDF), at most 20 MB.")
