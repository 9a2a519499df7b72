import pytest

from tests.gateway.helpers import approved_for_gateway, ask, gateway_client

pytestmark = pytest.mark.django_db


def test_it_allows_the_approved_primary_by_alias():
    use_case, round = approved_for_gateway()
    response = ask(gateway_client(), "support-bot", "deepseek-chat", ["customer-records"])
    assert response.status_code == 200
    body = response.json()
    assert body["decision"] == "allow", body["reason"]
    assert body["use_case"] == use_case.reference
    assert body["use_case_status"] == "approved"
    assert body["model"]["role"] == "primary"
    assert body["model"]["name"] == "DeepSeek-V3"
    assert body["expires_on"] == round.expires_on.isoformat()
    assert body["fallbacks"] == ["qwen-max"]
    assert body["conditions"] == []
    assert body["cache_seconds"] == 60
