"""The generated OpenAPI document is valid and the generator warns of nothing: a view that it cannot
describe (no serializer, an unannotated parameter) fails here the day it is added."""

import json

import pytest
from django.core.management import call_command

from tests.api.helpers import admin, session_client


def test_it_generates_a_valid_schema_without_warnings(tmp_path):
    target = tmp_path / "schema.yaml"
    call_command("spectacular", "--validate", "--fail-on-warn", "--file", str(target))
    assert "/api/v1/schema/" in target.read_text()


def test_it_describes_the_refusals_every_operation_can_answer(tmp_path):
    target = tmp_path / "schema.json"
    call_command("spectacular", "--format", "openapi-json", "--file", str(target))

    schema = json.loads(target.read_text())
    responses = schema["paths"]["/api/v1/schema/"]["get"]["responses"]
    assert {"200", "400", "401", "403"} <= set(responses)
    assert responses["401"]["content"]["application/json"]["schema"] == {"$ref": "#/components/schemas/ErrorDetail"}
    assert "ValidationErrors" in schema["components"]["schemas"]


@pytest.mark.django_db
def test_it_refuses_a_nul_character_in_json_as_the_schema_says():
    response = session_client(admin()).get("/api/v1/schema/?format=json&lang=%00")
    assert response.status_code == 400
    assert response["Content-Type"] == "application/json"
    assert "NUL character" in response.json()["detail"]
