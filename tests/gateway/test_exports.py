"""The approved portfolio for gateways: a LiteLLM config fragment and JSON; only what a decision would allow."""

from datetime import timedelta

import pytest
import yaml
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from approvals.models import ApprovalRequest
from governance.models import AIModel
from governance.roles import Role
from tests.api.helpers import admin, service_account, session_client, token_client
from tests.approvals.workflow import person, submit
from tests.factories import AIModelFactory
from tests.gateway.helpers import alias, approved_for_gateway, gateway_request, identifier

pytestmark = pytest.mark.django_db

LITELLM = "api_gateway_litellm_config"
PORTFOLIO = "api_gateway_portfolio"


def _config(client) -> tuple[str, dict]:
    response = client.get(reverse(LITELLM))
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/yaml")
    text = response.content.decode()
    return text, yaml.safe_load(text)


def test_the_litellm_config_lists_approved_models_and_their_fallbacks(alice, team, gateway):
    approved_for_gateway(alice, team)
    _, config = _config(gateway)
    assert config == {
        "model_list": [
            {"model_name": "deepseek-chat", "litellm_params": {"model": "deepseek/deepseek-chat"}},
            {"model_name": "qwen-max", "litellm_params": {"model": "dashscope/qwen-max"}},
        ],
        "router_settings": {"fallbacks": [{"deepseek-chat": ["qwen-max"]}]},
    }


def test_the_litellm_config_leaves_out_what_is_not_approved(alice, team, gateway):
    use_case = gateway_request(alice)
    submit(use_case)
    _, config = _config(gateway)
    assert config == {"model_list": [], "router_settings": {"fallbacks": []}}


def test_the_litellm_config_leaves_out_an_approval_past_its_date(alice, team, gateway):
    _, round = approved_for_gateway(alice, team)
    ApprovalRequest.objects.filter(pk=round.pk).update(expires_on=round.submitted_at.date() - timedelta(days=1))
    assert _config(gateway)[1]["model_list"] == []


def test_the_litellm_config_leaves_out_retired_models(alice, team, gateway):
    use_case, _ = approved_for_gateway(alice, team)
    AIModel.objects.filter(pk=use_case.fallback_models.get().pk).update(lifecycle=AIModel.Lifecycle.RETIRED)
    _, config = _config(gateway)
    assert [entry["model_name"] for entry in config["model_list"]] == ["deepseek-chat"]
    assert config["router_settings"]["fallbacks"] == []


def test_the_litellm_config_names_approved_models_it_cannot_list(alice, team, gateway):
    unnamed = AIModelFactory(name="GigaChat", version="GigaChat-2-Max")
    approved_for_gateway(alice, team, fallback_models=[unnamed])
    text, config = _config(gateway)
    assert "#   GigaChat (GigaChat-2-Max)" in text
    assert [entry["model_name"] for entry in config["model_list"]] == ["deepseek-chat"]


def test_the_litellm_config_uses_the_name_when_no_litellm_model_is_given(alice, team, gateway):
    use_case, _ = approved_for_gateway(alice, team)
    identifier(use_case.primary_model, "openai/deepseek-local")
    model_list = _config(gateway)[1]["model_list"]
    assert {"model_name": "openai/deepseek-local", "litellm_params": {"model": "openai/deepseek-local"}} in model_list


def test_the_portfolio_describes_each_approved_use_case(alice, team, gateway):
    use_case, round = approved_for_gateway(alice, team)
    alias(use_case, "support-bot-eu")
    response = gateway.get(reverse(PORTFOLIO))
    assert response.status_code == 200
    body = response.json()
    assert body["count"] == 1
    assert body["results"] == [
        {
            "reference": use_case.reference,
            "title": use_case.title,
            "status": "approved",
            "aliases": ["support-bot", "support-bot-eu"],
            "models": [
                {
                    "id": use_case.primary_model_id,
                    "name": "DeepSeek-V3",
                    "version": "deepseek-v3-0324",
                    "role": "primary",
                    "lifecycle": "active",
                    "identifiers": ["deepseek-chat"],
                },
                {
                    "id": use_case.fallback_models.get().pk,
                    "name": "Qwen-Max",
                    "version": "qwen-max-2025-01-25",
                    "role": "fallback",
                    "lifecycle": "active",
                    "identifiers": ["qwen-max"],
                },
            ],
            "data_categories": ["customer-records"],
            "expires_on": round.expires_on.isoformat(),
            "conditions": [],
        }
    ]


def test_the_portfolio_leaves_out_requests_not_approved(alice, gateway):
    submit(gateway_request(alice))
    assert gateway.get(reverse(PORTFOLIO)).json()["count"] == 0


def _portfolio_queries(client) -> int:
    with CaptureQueriesContext(connection) as queries:
        assert client.get(reverse(PORTFOLIO)).status_code == 200
    return len(queries)


def _litellm_queries(client) -> int:
    with CaptureQueriesContext(connection) as queries:
        assert client.get(reverse(LITELLM)).status_code == 200
    return len(queries)


def test_the_exports_cost_the_same_queries_for_one_use_case_or_four(alice, team, gateway):
    approved_for_gateway(alice, team)
    gateway.get(reverse(PORTFOLIO))  # the token's last use is written once a minute
    one = (_portfolio_queries(gateway), _litellm_queries(gateway))
    for n in range(3):
        approved_for_gateway(alice, team, application=f"app-{n}", named=False)
    assert gateway.get(reverse(PORTFOLIO)).json()["count"] == 4
    assert (_portfolio_queries(gateway), _litellm_queries(gateway)) == one


@pytest.mark.parametrize("route", [LITELLM, PORTFOLIO])
def test_read_tokens_executives_and_admins_may_read_the_exports(route):
    _, raw = service_account("read")
    assert token_client(raw).get(reverse(route)).status_code == 200
    assert session_client(person("erin", Role.EXECUTIVE)).get(reverse(route)).status_code == 200
    assert session_client(admin()).get(reverse(route)).status_code == 200


@pytest.mark.parametrize("route", [LITELLM, PORTFOLIO])
def test_others_may_not_read_the_exports(route):
    _, raw = service_account("submit")
    assert token_client(raw).get(reverse(route)).status_code == 403
    assert session_client(person("alice", Role.BUSINESS_OWNER)).get(reverse(route)).status_code == 403
    assert session_client(person("bob", Role.SECURITY)).get(reverse(route)).status_code == 403
