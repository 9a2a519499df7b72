"""A request as a gateway sees it: primary "deepseek-chat" (DeepSeek-V3) and fallback "qwen-max" (Qwen-Max), each
with a gateway identifier, customer records as its data, and the alias "support-bot". Everything goes through
the real services."""

from django.urls import reverse

from gateway.models import ApplicationAlias, ModelIdentifier
from gateway.services import application_alias_save, model_identifier_save
from tests.api.helpers import admin, service_account, token_client
from tests.approvals.workflow import approve_all, complete_use_case, submit
from tests.factories import AIModelFactory, data_category

DECISION = "api_gateway_decision"


def alias(use_case, name: str, by=None) -> ApplicationAlias:
    return application_alias_save(alias=ApplicationAlias(alias=name, use_case=use_case), user=by or admin())


def identifier(ai_model, name: str, litellm_model: str = "", by=None) -> ModelIdentifier:
    return model_identifier_save(
        identifier=ModelIdentifier(name=name, ai_model=ai_model, litellm_model=litellm_model), user=by or admin()
    )


def gateway_request(owner, *, application: str = "support-bot", named: bool = True, **overrides):
    """A complete draft of `owner`'s with the gateway's names for it and (`named`) its models."""
    gina = admin()
    primary = AIModelFactory(name="DeepSeek-V3", version="deepseek-v3-0324")
    fallback = AIModelFactory(name="Qwen-Max", version="qwen-max-2025-01-25")
    if named:
        identifier(primary, "deepseek-chat", "deepseek/deepseek-chat", by=gina)
        identifier(fallback, "qwen-max", "dashscope/qwen-max", by=gina)
    fields = {
        "primary_model": primary,
        "fallback_models": [fallback],
        "data_categories": [data_category("customer-records")],
        **overrides,
    }
    use_case = complete_use_case(owner, **fields)
    alias(use_case, application, by=gina)
    return use_case


def approved_for_gateway(owner, team, **overrides):
    """(use case, round): `gateway_request`, submitted and approved by every routed function."""
    use_case = gateway_request(owner, **overrides)
    round = submit(use_case)
    approve_all(round, team)
    use_case.refresh_from_db()
    round.refresh_from_db()
    return use_case, round


def gateway_client(name: str = "LiteLLM proxy"):
    _, raw = service_account("gateway", name=name)
    return token_client(raw)


def ask(client, application: str = "support-bot", model: str = "deepseek-chat", data_categories=None):
    body = {"application": application, "model": model}
    if data_categories is not None:
        body["data_categories"] = data_categories
    response = client.post(reverse(DECISION), body, format="json")
    assert response.status_code == 200, response.content
    return response.json()
