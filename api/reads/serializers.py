"""What the API shows of the registry and of use cases: the facts the catalog and the use case pages show,
with where each public fact was read and when."""

from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from approvals.models import ApprovalRequest, Condition
from governance.models import AIModel, DataCategory, Risk, UseCase, Vendor


class PersonSerializer(serializers.Serializer):
    """A person (or a service account) as the pages name them."""

    username = serializers.CharField(read_only=True)
    name = serializers.SerializerMethodField()

    def get_name(self, user) -> str:
        return user.get_full_name() or user.username


class VendorBriefSerializer(serializers.ModelSerializer):
    class Meta:
        model = Vendor
        fields = ["id", "name", "hq_country", "sanctions_status"]


class VendorSerializer(serializers.ModelSerializer):
    """A vendor with its sanctions and export facts (status, when checked, where read) and the source of
    its other public facts."""

    is_restricted = serializers.BooleanField(read_only=True, help_text="Restricted or sanctioned.")
    model_count = serializers.IntegerField(read_only=True, help_text="Models of this vendor in the registry.")

    class Meta:
        model = Vendor
        fields = [
            "id",
            "name",
            "native_name",
            "legal_name",
            "hq_country",
            "ownership",
            "ownership_detail",
            "sanctions_status",
            "sanctions_checked_on",
            "sanctions_source",
            "sanctions_note",
            "is_restricted",
            "data_retention",
            "incident_notification",
            "support_region",
            "exit_terms",
            "assurance_evidence",
            "source",
            "checked_on",
            "model_count",
        ]


class AIModelBriefSerializer(serializers.ModelSerializer):
    vendor = VendorBriefSerializer(read_only=True)

    class Meta:
        model = AIModel
        fields = ["id", "name", "version", "lifecycle", "vendor"]


class AIModelSerializer(serializers.ModelSerializer):
    """A model with its vendor, its public facts and their source, and its lifecycle."""

    vendor = VendorBriefSerializer(read_only=True)
    use_case_count = serializers.IntegerField(
        read_only=True, help_text="Use cases with this primary model, among those the caller may see."
    )

    class Meta:
        model = AIModel
        fields = [
            "id",
            "vendor",
            "name",
            "native_name",
            "family",
            "version",
            "origin_country",
            "distribution",
            "licence_name",
            "licence_restrictions",
            "architecture",
            "total_params_b",
            "active_params_b",
            "release_date",
            "languages",
            "lifecycle",
            "source",
            "checked_on",
            "use_case_count",
        ]


class DataCategorySerializer(serializers.ModelSerializer):
    sensitivity_label = serializers.CharField(source="get_sensitivity_display", read_only=True)

    class Meta:
        model = DataCategory
        fields = ["id", "name", "slug", "sensitivity", "sensitivity_label", "description"]


class UseCaseListSerializer(serializers.ModelSerializer):
    """A row of the use case list: what the list page shows."""

    primary_model = AIModelBriefSerializer(read_only=True)
    business_owner = PersonSerializer(read_only=True)
    technical_owner = PersonSerializer(read_only=True)
    risk_owner = PersonSerializer(read_only=True)

    class Meta:
        model = UseCase
        fields = [
            "reference",
            "title",
            "department",
            "status",
            "risk_band",
            "highest_residual",
            "primary_model",
            "business_owner",
            "technical_owner",
            "risk_owner",
            "first_submitted_at",
            "created_at",
            "updated_at",
        ]


class RiskSerializer(serializers.ModelSerializer):
    owner = PersonSerializer(read_only=True)
    inherent_score = serializers.IntegerField(read_only=True)
    residual_score = serializers.IntegerField(read_only=True)
    residual_band = serializers.CharField(read_only=True)

    class Meta:
        model = Risk
        fields = [
            "id",
            "title",
            "description",
            "category",
            "inherent_likelihood",
            "inherent_impact",
            "inherent_score",
            "mitigations",
            "residual_likelihood",
            "residual_impact",
            "residual_score",
            "residual_band",
            "owner",
            "created_at",
        ]


class ConditionSerializer(serializers.ModelSerializer):
    owner = PersonSerializer(read_only=True)

    class Meta:
        model = Condition
        fields = ["id", "function", "description", "owner", "due_on", "suspend_if_not_met", "status", "created_at"]


class CurrentApprovalSerializer(serializers.ModelSerializer):
    """The approval in force: its round, when it was decided, when it expires, and what it obliges."""

    round = serializers.IntegerField(source="number", read_only=True)
    conditions = ConditionSerializer(source="condition_items", many=True, read_only=True)
    record = serializers.SerializerMethodField()

    class Meta:
        model = ApprovalRequest
        fields = ["round", "status", "decided_at", "expires_on", "conditions", "record"]

    @extend_schema_field(OpenApiTypes.INT)
    def get_record(self, round) -> int | None:
        """The id of the approval record (PDF), once rendered."""
        record = getattr(round, "record", None)
        return record.pk if record is not None else None


class UseCaseDetailSerializer(UseCaseListSerializer):
    """A use case as its page shows it, with the approval in force (null when none is)."""

    created_by = PersonSerializer(read_only=True)
    fallback_models = AIModelBriefSerializer(many=True, read_only=True)
    data_categories = DataCategorySerializer(many=True, read_only=True)
    risks = RiskSerializer(many=True, read_only=True)
    current_approval = serializers.SerializerMethodField()

    class Meta(UseCaseListSerializer.Meta):
        fields = [
            *UseCaseListSerializer.Meta.fields,
            "purpose",
            "approved_purpose",
            "prohibited_uses",
            "owners_shared_reason",
            "created_by",
            "fallback_models",
            "no_fallback_reason",
            "eu_ai_act_class",
            "annex_iii_area",
            "deployment_mode",
            "hosting_country",
            "data_categories",
            "autonomy",
            "tool_use",
            "tool_use_detail",
            "log_contents",
            "log_location",
            "log_access",
            "log_retention_days",
            "log_prompt_protection",
            "log_retrieval_sources",
            "log_tool_execution",
            "log_exceptions",
            "risks",
            "current_approval",
        ]

    @extend_schema_field(CurrentApprovalSerializer(allow_null=True))
    def get_current_approval(self, use_case):
        round = self.context.get("current_approval")
        return CurrentApprovalSerializer(round).data if round is not None else None
