"""The shapes of the write endpoints' bodies and answers.

A body is read strictly: a field the endpoint does not know is refused (a typo in a pipeline must not pass
silently), and every text has the length limit of the column it ends in (read from the model, so the limit is
the model's own). The rules about the values themselves are the page forms' and the services': the views hand
the values on to them."""

from django.db import models
from rest_framework import serializers

from approvals.forms import CONDITION_ROWS
from approvals.models import SignOff
from checklist.models import Answer
from governance.forms import RiskForm, UseCaseForm
from governance.limits import CHANGE_REASON, NOTE
from governance.models import Risk, UseCase

USERNAME = 150  # django.contrib.auth's limit
MAX_LISTED = 50  # fallback models or data categories in one request: far more than any real one names


class StrictSerializer(serializers.Serializer):
    """Refuses fields it does not declare, by name."""

    def to_internal_value(self, data):
        if isinstance(data, dict):
            unknown = sorted(str(name) for name in set(data) - set(self.fields))
            if unknown:
                raise serializers.ValidationError({name: ["This field is not known here."] for name in unknown})
        return super().to_internal_value(data)


def _text(model: type[models.Model], name: str, **kwargs) -> serializers.CharField:
    field = model._meta.get_field(name)
    return serializers.CharField(
        max_length=field.max_length,
        allow_blank=True,
        trim_whitespace=False,
        help_text=str(field.help_text or field.verbose_name),
        **kwargs,
    )


def _model_field(model: type[models.Model], name: str) -> serializers.Field:
    """The body field for one model field of a page form: owners by user name, models by id, data categories by
    slug, choices as their values, text with its column's limit."""
    field = model._meta.get_field(name)
    if name in ("business_owner", "technical_owner", "risk_owner"):
        return serializers.CharField(
            max_length=USERNAME, required=False, help_text=f"The {field.verbose_name}'s user name."
        )
    if name == "primary_model":
        return serializers.IntegerField(required=False, min_value=1, help_text="The model's id (GET /api/v1/models/).")
    if name == "fallback_models":
        return serializers.ListField(
            child=serializers.IntegerField(min_value=1), max_length=MAX_LISTED, required=False, help_text="Model ids."
        )
    if name == "data_categories":
        return serializers.ListField(
            child=serializers.SlugField(max_length=50),
            max_length=MAX_LISTED,
            required=False,
            help_text="Data category slugs, e.g. customer-records.",
        )
    if field.choices:
        return serializers.ChoiceField(choices=field.choices, required=False, allow_blank=field.blank)
    if isinstance(field, models.BooleanField):
        return serializers.BooleanField(required=False)
    if isinstance(field, models.IntegerField):
        return serializers.IntegerField(required=False, allow_null=field.null, min_value=0, max_value=2**31 - 1)
    return _text(model, name, required=False)


def _fields_of(model: type[models.Model], names) -> dict[str, serializers.Field]:
    return {name: _model_field(model, name) for name in names}


USE_CASE_FIELDS = UseCaseForm._meta.fields
RISK_FIELDS = RiskForm._meta.fields

UseCaseCreateSerializer = type(
    "UseCaseCreateSerializer",
    (StrictSerializer,),
    {
        **_fields_of(UseCase, USE_CASE_FIELDS),
        "__doc__": "A new draft: the request form's fields. The title, purpose, the three owners, the primary model, "
        "the deployment mode and the hosting country are required, as on the page.",
    },
)

UseCaseEditSerializer = type(
    "UseCaseEditSerializer",
    (StrictSerializer,),
    {
        **_fields_of(UseCase, USE_CASE_FIELDS),
        "reason": serializers.CharField(
            max_length=CHANGE_REASON,
            required=False,
            allow_blank=True,
            help_text="Why it changes (kept in the history). Required when the request is approved.",
        ),
        "confirm_material": serializers.ListField(
            child=serializers.CharField(max_length=50),
            max_length=len(UseCase.MATERIAL_FIELDS),
            required=False,
            help_text="On an approved request: the material fields this edit changes, exactly as a refusal named "
            "them. Sending them confirms that the approval is suspended and a new review round opens.",
        ),
        "__doc__": "The fields to change; those left out keep their values.",
    },
)

RiskSerializer = type(
    "RiskSerializer",
    (StrictSerializer,),
    {
        **{
            name: (
                serializers.IntegerField(required=False, min_value=1, max_value=5)
                if name in ("inherent_likelihood", "inherent_impact", "residual_likelihood", "residual_impact")
                else _model_field(Risk, name)
            )
            for name in RISK_FIELDS
        },
        "__doc__": "A risk: title, category and the four scores (1–5) are required when recording one; a change "
        "names only what changes.",
    },
)


class AnswerInputSerializer(StrictSerializer):
    response = serializers.ChoiceField(choices=Answer.Response.choices)
    justification = _text(Answer, "justification", required=False)


class EvidenceInputSerializer(StrictSerializer):
    file = serializers.FileField(help_text="The evidence file. Its kind is read from its content.")


class EvaluationInputSerializer(StrictSerializer):
    file = serializers.FileField(help_text="The harness's result file. The harness is read from its content.")


class ReasonSerializer(StrictSerializer):
    reason = serializers.CharField(max_length=NOTE, required=False, default="", allow_blank=True, trim_whitespace=False)


class ConditionInputSerializer(StrictSerializer):
    description = _text(SignOff, "conditions")
    owner = serializers.CharField(max_length=USERNAME, help_text="User name of one of the use case's owners.")
    due_on = serializers.DateField()
    suspend_if_not_met = serializers.BooleanField(required=False, default=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["description"].max_length = NOTE  # one condition, as the sign page takes it


class DecisionInputSerializer(StrictSerializer):
    decision = serializers.ChoiceField(
        choices=[(d.value, d.label) for d in SignOff.Decision if d != SignOff.Decision.PENDING]
    )
    comment = _text(SignOff, "comment", required=False)
    conditions = serializers.ListField(
        child=ConditionInputSerializer(),
        max_length=CONDITION_ROWS,
        required=False,
        help_text=f"With approve_with_conditions: up to {CONDITION_ROWS} conditions, as on the sign page.",
    )


# --- Answers ------------------------------------------------------------------------------------------------


class ProblemSerializer(serializers.Serializer):
    """A refusal: `detail` says why; a rule about a field puts its messages under the field's name instead."""

    detail = serializers.CharField(help_text="Why the request was refused.", required=False)
    gaps = serializers.ListField(
        child=serializers.CharField(), required=False, help_text="What a submission still lacks, every item of it."
    )


class UseCaseOutcomeSerializer(serializers.Serializer):
    reference = serializers.CharField()
    title = serializers.CharField()
    status = serializers.ChoiceField(choices=UseCase.Status.choices)
    url = serializers.URLField(help_text="The use case's page.")


class EditOutcomeSerializer(UseCaseOutcomeSerializer):
    material_changes = serializers.ListField(child=serializers.CharField())
    review_round = serializers.IntegerField(allow_null=True, help_text="The review round a material change opened.")


class RiskOutputSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    title = serializers.CharField()
    category = serializers.CharField()
    inherent_score = serializers.IntegerField()
    residual_score = serializers.IntegerField()


class RiskOutcomeSerializer(UseCaseOutcomeSerializer):
    risk = RiskOutputSerializer()


class RemovedOutcomeSerializer(UseCaseOutcomeSerializer):
    removed = serializers.IntegerField(help_text="The id of the risk removed.")


class AnswerOutputSerializer(serializers.Serializer):
    item = serializers.CharField(help_text="The item's code.")
    response = serializers.CharField()
    justification = serializers.CharField()


class AnswerOutcomeSerializer(UseCaseOutcomeSerializer):
    answer = AnswerOutputSerializer()


class EvidenceOutputSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    item = serializers.CharField()
    name = serializers.CharField()
    sha256 = serializers.CharField()
    size = serializers.IntegerField()
    content_type = serializers.CharField()


class EvidenceOutcomeSerializer(UseCaseOutcomeSerializer):
    evidence = EvidenceOutputSerializer()


class EvaluationOutputSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    name = serializers.CharField()
    sha256 = serializers.CharField()
    size = serializers.IntegerField()
    harness = serializers.CharField()
    harness_version = serializers.CharField()
    model = serializers.CharField(help_text="The model as the file names it.")
    registry_model = serializers.IntegerField(allow_null=True, help_text="The registry model it was recognised as.")
    run_at = serializers.DateTimeField(allow_null=True)
    samples = serializers.IntegerField()
    passed = serializers.IntegerField()
    failed = serializers.IntegerField()
    tests = serializers.IntegerField()
    url = serializers.URLField()


class EvaluationOutcomeSerializer(UseCaseOutcomeSerializer):
    evaluation = EvaluationOutputSerializer()


class RoundOutputSerializer(serializers.Serializer):
    number = serializers.IntegerField()
    status = serializers.CharField()
    functions = serializers.ListField(child=serializers.CharField(), help_text="The functions that sign it.")


class RoundOutcomeSerializer(UseCaseOutcomeSerializer):
    round = RoundOutputSerializer()


class SignOffOutputSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    function = serializers.CharField()
    decision = serializers.CharField()
    conditions = serializers.CharField()


class DecisionOutcomeSerializer(RoundOutcomeSerializer):
    signoff = SignOffOutputSerializer()
