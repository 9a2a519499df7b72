"""The runtime API for model gateways: the decision for one call, and the approved portfolio as a LiteLLM
config fragment and as JSON. Views are thin: the answers are `gateway.selectors`'."""

from drf_spectacular.utils import OpenApiExample, extend_schema
from rest_framework import serializers
from rest_framework.permissions import BasePermission, IsAuthenticated
from rest_framework.response import Response
from rest_framework.views import APIView

from api.permissions import TokenScope
from gateway.models import NAME_MAX
from gateway.permissions import can_ask_decision
from gateway.selectors import gateway_decision

GATEWAY = frozenset({"gateway"})
MAX_CATEGORIES = 50


class CanAskDecision(BasePermission):
    message = "Only a gateway's token (gateway scope) or a governance admin may ask for runtime decisions."

    def has_permission(self, request, view):
        return can_ask_decision(request.user)


class DecisionQuestion(serializers.Serializer):
    application = serializers.CharField(
        max_length=NAME_MAX, help_text="The calling application: a use case reference or a gateway alias."
    )
    model = serializers.CharField(
        max_length=NAME_MAX, help_text="The model as the gateway names it, or its exact version identifier."
    )
    data_categories = serializers.ListField(
        child=serializers.SlugField(max_length=50),
        max_length=MAX_CATEGORIES,
        required=False,
        default=list,
        help_text="Slugs of the data categories in play; each must be in the use case's approved set.",
    )


class DecisionModel(serializers.Serializer):
    id = serializers.IntegerField()
    name = serializers.CharField()
    role = serializers.ChoiceField(choices=["primary", "fallback"])


class DecisionCondition(serializers.Serializer):
    description = serializers.CharField()
    function = serializers.CharField()
    due_on = serializers.DateField()
    status = serializers.CharField()


class DecisionAnswer(serializers.Serializer):
    decision = serializers.ChoiceField(choices=["allow", "deny"])
    reason = serializers.CharField()
    use_case = serializers.CharField(allow_null=True, help_text="The use case's reference, when one was found.")
    use_case_status = serializers.CharField(allow_null=True)
    model = DecisionModel(allow_null=True, help_text="The approved model the request named, when it named one.")
    conditions = DecisionCondition(many=True, help_text="The approval's outstanding conditions (when allowed).")
    expires_on = serializers.DateField(allow_null=True)
    fallbacks = serializers.ListField(
        child=serializers.CharField(), help_text="Model names the gateway may use instead: the approved fallbacks."
    )
    cache_seconds = serializers.IntegerField(help_text="How long the gateway may keep this answer.")


class DecisionView(APIView):
    """POST a question, get allow or deny with the reason (200 for every well-formed question)."""

    permission_classes = [IsAuthenticated, TokenScope, CanAskDecision]
    read_scopes = GATEWAY
    write_scopes = GATEWAY

    @extend_schema(
        operation_id="gateway_decision",
        tags=["gateway"],
        summary="May this application call this model now?",
        request=DecisionQuestion,
        responses={200: DecisionAnswer},
        examples=[
            OpenApiExample(
                "A question",
                request_only=True,
                value={"application": "support-bot", "model": "deepseek-chat", "data_categories": ["customer-records"]},
            )
        ],
    )
    def post(self, request):
        question = DecisionQuestion(data=request.data)
        question.is_valid(raise_exception=True)
        return Response(gateway_decision(**question.validated_data))
