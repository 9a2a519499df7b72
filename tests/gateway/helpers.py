"""An approved use case as a gateway sees it: a primary and a fallback model, each with a gateway name, and an
alias for the calling application. Everything goes through the real services."""

from django.urls import reverse

from gateway.models import ApplicationAlias, ModelIdentifier
from gateway.services import application_alias_save, model_identifier_save
from governance.roles import Role
from tests.api.helpers import admin, service_account, token_client
from tests.approvals.workflow import approved_use_case, person, reviewers
from tests.factories import AIModelFactory, data_category

DECISION = "api_gateway_decision"


def alias(use_case, name: str, by=None) -> ApplicationAlias:
    return application_alias_save(alias=ApplicationAlias(alias=name, use_case=use_case), user=by or admin())


def identifier(ai_model, name: str, litellm_model: str = "", by=None) -> ModelIdentifier:
    return model_identifier_save(
        identifier=ModelIdentifier(name=name, ai_model=ai_model, litellm_model=litellm_model), user=by or admin()
    )


def approved_for_gateway(owner_name: str = "alice", team=None, **overrides):
    """(use case, round): approved, primary "deepseek-chat" and fallback "qwen-max", alias "support-bot",
    data categories customer-records."""
    team = team or reviewers()
    owner = person(owner_name, Role.BUSINESS_OWNER)
    primary = AIModelFactory(name="DeepSeek-V3", version="deepseek-v3-0324")
    fallback = AIModelFactory(name="Qwen-Max", version="qwen-max-2025-01-25")
    fields = {
        "primary_model": primary,
        "fallback_models": [fallback],
        "data_categories": [data_category("customer-records")],
        **overrides,
    }
    use_case, round = approved_use_case(owner, team, **fields)
    gina = admin()
    identifier(primary, "deepseek-chat", "deepseek/deepseek-chat", by=gina)
    identifier(fallback, "qwen-max", "dashscope/qwen-max", by=gina)
    alias(use_case, "support-bot", by=gina)
    return use_case, round


def gateway_client():
    _, raw = service_account("gateway", name="LiteLLM proxy")
    return token_client(raw)


def ask(client, application: str, model: str, data_categories=None):
    body = {"application": application, "model": model}
    if data_categories is not None:
        body["data_categories"] = data_categories
    return client.post(reverse(DECISION), body, format="json")
