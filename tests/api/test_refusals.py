"""Every refusal of the API is JSON: for an address no route matches, and for a file endpoint asked for
its file's type."""

import pytest

from governance.roles import Role
from tests.api.helpers import service_account, session_client, token_client
from tests.approvals.workflow import person

pytestmark = pytest.mark.django_db


def test_an_address_no_api_route_matches_is_a_json_404():
    _, raw = service_account("read")
    response = token_client(raw).get("/api/v1/records/0/")
    assert response.status_code == 404
    assert response["Content-Type"] == "application/json"
    assert response.json() == {"detail": "Not found."}


def test_a_page_address_no_route_matches_is_still_the_page():
    response = session_client(person("alice", Role.BUSINESS_OWNER)).get("/no-such-page/")
    assert response.status_code == 404
    assert response["Content-Type"].startswith("text/html")


@pytest.mark.parametrize("path", ["/api/v1/reports/portfolio.csv?format=csv", "/api/v1/reports/risks.csv"])
def test_a_refused_csv_is_json_whatever_was_asked(path):
    client = session_client(person("alice", Role.BUSINESS_OWNER))
    response = client.get(path, HTTP_ACCEPT="text/csv")
    assert response.status_code == 404
    assert response["Content-Type"] == "application/json"
    assert "detail" in response.json()


def test_a_refused_gateway_config_is_json():
    _, raw = service_account("submit")
    response = token_client(raw).get("/api/v1/gateway/litellm-config/")
    assert response.status_code == 403
    assert response["Content-Type"] == "application/json"
