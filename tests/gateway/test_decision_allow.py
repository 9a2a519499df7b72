"""The decision allows the approved primary and the listed fallbacks, with what the approval carries."""

import pytest

from approvals.models import Condition
from tests.approvals.workflow import approve_all, sign, submit
from tests.gateway.helpers import approved_for_gateway, ask, gateway_request

pytestmark = pytest.mark.django_db


def test_it_allows_the_approved_primary_by_alias(alice, team, gateway):
    use_case, round = approved_for_gateway(alice, team)
    body = ask(gateway, "support-bot", "deepseek-chat", ["customer-records"])
    assert body == {
        "decision": "allow",
        "reason": f"{use_case.reference} is approved for DeepSeek-V3 (deepseek-v3-0324) as its primary model.",
        "use_case": use_case.reference,
        "use_case_status": "approved",
        "model": {"id": use_case.primary_model_id, "name": "DeepSeek-V3", "role": "primary"},
        "conditions": [],
        "expires_on": round.expires_on.isoformat(),
        "fallbacks": ["qwen-max"],
        "cache_seconds": 60,
    }


def test_it_allows_a_listed_fallback(alice, team, gateway):
    approved_for_gateway(alice, team)
    body = ask(gateway, model="qwen-max")
    assert body["decision"] == "allow"
    assert body["model"]["role"] == "fallback"
    assert body["model"]["name"] == "Qwen-Max"
    assert body["fallbacks"] == []


def test_it_knows_the_application_by_its_reference(alice, team, gateway):
    use_case, _ = approved_for_gateway(alice, team)
    assert ask(gateway, use_case.reference, "deepseek-chat")["decision"] == "allow"


def test_it_knows_a_model_by_its_exact_version_without_an_identifier(alice, team, gateway):
    approved_for_gateway(alice, team)
    assert ask(gateway, model="deepseek-v3-0324")["decision"] == "allow"


def test_it_matches_identifiers_without_regard_to_case(alice, team, gateway):
    approved_for_gateway(alice, team)
    assert ask(gateway, model="DeepSeek-Chat")["decision"] == "allow"


def test_it_allows_without_data_categories_named(alice, team, gateway):
    approved_for_gateway(alice, team)
    assert ask(gateway)["decision"] == "allow"
    assert ask(gateway, data_categories=[])["decision"] == "allow"


def test_it_lists_the_outstanding_conditions(alice, team, gateway):
    use_case = gateway_request(alice)
    round = submit(use_case)
    sign(round, "legal", team["legal"], "approve_with_conditions", comment="EU only.", conditions="EU hosting only.")
    approve_all(round, team)
    condition = Condition.objects.get(round=round)
    body = ask(gateway)
    assert body["decision"] == "allow"
    assert body["use_case_status"] == "approved_with_conditions"
    assert body["conditions"] == [
        {
            "description": "EU hosting only.",
            "function": "legal",
            "due_on": condition.due_on.isoformat(),
            "status": "open",
        }
    ]


def test_the_cache_lifetime_is_the_setting(alice, team, gateway, settings):
    settings.CLEARANCE_GATEWAY_CACHE_SECONDS = 15
    approved_for_gateway(alice, team)
    assert ask(gateway)["cache_seconds"] == 15
    assert ask(gateway, "nobody")["cache_seconds"] == 15
