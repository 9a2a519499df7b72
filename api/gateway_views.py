"""The runtime API for model gateways: the decision for one call, and the approved portfolio as a LiteLLM
config fragment and as JSON. Views are thin: the answers are `gateway.selectors`'."""

import json

import yaml
from drf_spectacular.utils import OpenApiExample, extend_schema
from rest_framework import serializers
from rest_framework.generics import ListAPIView
from rest_framework.negotiation import BaseContentNegotiation
from rest_framework.parsers import JSONParser
from rest_framework.permissions import BasePermission, IsAuthenticated
from rest_framework.renderers import BaseRenderer
from rest_framework.response import Response
from rest_framework.views import APIView

from api.exceptions import RefusalsAsJson
from api.permissions import TokenScope
from gateway.exports import litellm_config, portfolio_entry, portfolio_queryset
from gateway.models import NAME_MAX
from gateway.permissions import can_ask_decision, can_read_gateway_portfolio
from gateway.selectors import gateway_decision

GATEWAY = frozenset({"gateway"})
PORTFOLIO = frozenset({"gateway", "read"})
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

    parser_classes = [JSONParser]
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


# --- The approved portfolio, for gateways to load --------------------------------------------------------


class CanReadPortfolio(BasePermission):
    message = "Only gateway or read tokens, executives and governance admins may read the approved portfolio."

    def has_permission(self, request, view):
        return can_read_gateway_portfolio(request.user)


# The fragment's shape, as LiteLLM's config.yaml reads it (the document is YAML; a client parses it to this).
LITELLM_CONFIG_SCHEMA = {
    "type": "object",
    "properties": {
        "model_list": {
            "type": "array",
            "items": {
                "type": "object",
                "properties": {
                    "model_name": {"type": "string"},
                    "litellm_params": {
                        "type": "object",
                        "properties": {"model": {"type": "string"}},
                        "required": ["model"],
                    },
                },
                "required": ["model_name", "litellm_params"],
            },
        },
        "router_settings": {
            "type": "object",
            "properties": {
                "fallbacks": {
                    "type": "array",
                    "items": {"type": "object", "additionalProperties": {"type": "array", "items": {"type": "string"}}},
                }
            },
        },
    },
    "required": ["model_list", "router_settings"],
}


class YamlRenderer(BaseRenderer):
    """The LiteLLM export is YAML; refusals asked for as YAML are YAML too."""

    media_type = "application/yaml"
    format = "yaml"
    charset = "utf-8"

    def render(self, data, accepted_media_type=None, renderer_context=None):
        if isinstance(data, str):
            return data.encode("utf-8")
        # A refusal's detail is DRF's ErrorDetail, a str subclass YAML cannot represent: plain JSON types first.
        plain = json.loads(json.dumps(data))
        return yaml.safe_dump(plain, sort_keys=False, allow_unicode=True).encode("utf-8")


class YamlOnly(BaseContentNegotiation):
    """The export is a file in one format: whatever the client accepts, it gets YAML (refusals too)."""

    def select_parser(self, request, parsers):
        return parsers[0] if parsers else None

    def select_renderer(self, request, renderers, format_suffix=None):
        return renderers[0], renderers[0].media_type


class LiteLLMConfigView(RefusalsAsJson, APIView):
    permission_classes = [IsAuthenticated, TokenScope, CanReadPortfolio]
    renderer_classes = [YamlRenderer]
    content_negotiation_class = YamlOnly
    read_scopes = PORTFOLIO

    @extend_schema(
        operation_id="gateway_litellm_config",
        tags=["gateway"],
        summary="The approved portfolio as a LiteLLM proxy config.yaml fragment",
        responses={(200, "application/yaml"): LITELLM_CONFIG_SCHEMA},
    )
    def get(self, request):
        response = Response(litellm_config())
        response["Content-Disposition"] = 'inline; filename="clearance-litellm.yaml"'
        return response


class PortfolioModel(serializers.Serializer):
    id = serializers.IntegerField()
    name = serializers.CharField()
    version = serializers.CharField()
    role = serializers.ChoiceField(choices=["primary", "fallback"])
    lifecycle = serializers.CharField()
    identifiers = serializers.ListField(child=serializers.CharField(), help_text="The names a gateway may call it by.")


class PortfolioEntry(serializers.Serializer):
    reference = serializers.CharField()
    title = serializers.CharField()
    status = serializers.CharField()
    aliases = serializers.ListField(child=serializers.CharField())
    models = PortfolioModel(many=True)
    data_categories = serializers.ListField(child=serializers.SlugField())
    expires_on = serializers.DateField(allow_null=True)
    conditions = DecisionCondition(many=True)


class PortfolioView(ListAPIView):
    """Every use case whose approval stands today, a page at a time (ordered by reference)."""

    permission_classes = [IsAuthenticated, TokenScope, CanReadPortfolio]
    read_scopes = PORTFOLIO
    serializer_class = PortfolioEntry

    def get_queryset(self):
        return portfolio_queryset()

    @extend_schema(operation_id="gateway_portfolio", tags=["gateway"], summary="The approved portfolio as JSON")
    def get(self, request, *args, **kwargs):
        return super().get(request, *args, **kwargs)

    def list(self, request, *args, **kwargs):
        page = self.paginate_queryset(self.get_queryset())
        return self.get_paginated_response([portfolio_entry(use_case) for use_case in page])
