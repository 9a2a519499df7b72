"""A use case's evaluation evidence as the comparison page shows it: per candidate model, the pass rate of each
failure mode against the thresholds the use case is held to, latency and cost, and what it is flagged for."""

from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema, extend_schema_field
from rest_framework import serializers
from rest_framework.response import Response
from rest_framework.views import APIView

from api.reads.access import use_case_for
from evaluations.selectors import evidence_summary


class ModeSerializer(serializers.Serializer):
    mode = serializers.CharField()
    label = serializers.CharField()
    passed = serializers.IntegerField()
    failed = serializers.IntegerField()
    pass_rate = serializers.FloatField(allow_null=True, help_text="Percent; null when nothing was graded.")
    threshold = serializers.FloatField(allow_null=True, help_text="The minimum pass rate (percent) it is held to.")
    missed = serializers.BooleanField()


class RunSerializer(serializers.Serializer):
    id = serializers.IntegerField(source="pk")
    name = serializers.CharField()
    sha256 = serializers.CharField()
    harness = serializers.CharField()
    harness_version = serializers.CharField()
    model = serializers.CharField(source="model_reported")
    run_at = serializers.DateTimeField(allow_null=True)
    samples = serializers.IntegerField()
    passed = serializers.IntegerField()
    failed = serializers.IntegerField()
    latency_p50_ms = serializers.FloatField(allow_null=True)
    latency_p95_ms = serializers.FloatField(allow_null=True)


class CandidateSerializer(serializers.Serializer):
    label = serializers.CharField()
    role = serializers.ChoiceField(choices=["primary", "fallback", "other"])
    model = serializers.IntegerField(source="model.pk", allow_null=True, default=None)
    runs = RunSerializer(many=True)
    pass_rate = serializers.FloatField(allow_null=True)
    modes = serializers.SerializerMethodField()
    unmapped_tests = serializers.SerializerMethodField()
    latency_p50_ms = serializers.FloatField(allow_null=True)
    latency_p95_ms = serializers.FloatField(allow_null=True)
    cost_per_thousand_requests = serializers.SerializerMethodField()
    currency = serializers.CharField(source="price.currency", allow_null=True, default=None)

    @extend_schema_field(ModeSerializer(many=True))
    def get_modes(self, candidate) -> list[dict]:
        return [
            {
                "mode": f.mode,
                "label": f.label,
                "passed": f.passed,
                "failed": f.failed,
                "pass_rate": f.pass_rate,
                "threshold": float(f.threshold.min_pass_rate) if f.threshold else None,
                "missed": f.missed,
            }
            for f in candidate.modes.values()
        ]

    @extend_schema_field(serializers.FloatField(allow_null=True))
    def get_cost_per_thousand_requests(self, candidate) -> float | None:
        cost = candidate.cost_per_thousand
        return None if cost is None else float(cost)

    @extend_schema_field(serializers.ListField(child=serializers.CharField()))
    def get_unmapped_tests(self, candidate) -> list[str]:
        return [f"{r.name} {r.detail}".strip() for r in candidate.unmapped]


class EvidenceSerializer(serializers.Serializer):
    reference = serializers.CharField(source="use_case.reference")
    sensitivity = serializers.CharField(source="sensitivity_label")
    flags = serializers.ListField(child=serializers.CharField())
    candidates = CandidateSerializer(many=True)


@extend_schema(
    tags=["use cases"],
    summary="A use case's evaluation evidence, per candidate model, against the thresholds",
    parameters=[
        OpenApiParameter("reference", OpenApiTypes.STR, OpenApiParameter.PATH, description="e.g. UC-2026-0007")
    ],
    responses=EvidenceSerializer,
)
class EvaluationEvidence(APIView):
    def get(self, request, reference):
        use_case = use_case_for(request.user, reference)
        return Response(EvidenceSerializer(evidence_summary(use_case)).data)
