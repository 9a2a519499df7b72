"""Who may ask: a gateway's token and a governance admin; nobody else. And what a malformed question gets."""

import pytest
from django.urls import reverse
from rest_framework.test import APIClient

from governance.roles import Role
from tests.api.helpers import admin, service_account, session_client, token_client
from tests.approvals.workflow import person
from tests.gateway.helpers import DECISION, approved_for_gateway

pytestmark = pytest.mark.django_db

QUESTION = {"application": "support-bot", "model": "deepseek-chat"}


def _post(client, body=QUESTION, **kwargs):
    return client.post(reverse(DECISION), body, format="json", **kwargs)


def test_it_answers_a_governance_admin_signed_in(alice, team):
    approved_for_gateway(alice, team)
    response = _post(session_client(admin()))
    assert response.status_code == 200
    assert response.json()["decision"] == "allow"


@pytest.mark.parametrize("scopes", [("read",), ("submit",), ("read", "submit")])
def test_it_refuses_tokens_without_the_gateway_scope(scopes):
    _, raw = service_account(*scopes)
    assert _post(token_client(raw)).status_code == 403


@pytest.mark.parametrize("role", [Role.BUSINESS_OWNER, Role.SECURITY, Role.EXECUTIVE])
def test_it_refuses_people_who_are_not_governance_admins(role):
    assert _post(session_client(person("rita", role))).status_code == 403


def test_it_refuses_a_person_with_no_role():
    assert _post(session_client(person("nadia"))).status_code == 403


def test_it_asks_anonymous_callers_to_authenticate():
    assert _post(APIClient()).status_code == 401


def test_it_refuses_a_bad_token():
    assert _post(token_client("clr_not-a-real-token")).status_code == 401


def test_it_refuses_get(gateway):
    assert gateway.get(reverse(DECISION)).status_code == 405


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({}, "application"),
        ({"model": "deepseek-chat"}, "application"),
        ({"application": "support-bot"}, "model"),
        ({"application": "", "model": "deepseek-chat"}, "application"),
        ({"application": "a" * 201, "model": "deepseek-chat"}, "application"),
        ({"application": "support-bot", "model": "m" * 201}, "model"),
        ({"application": ["support-bot"], "model": "deepseek-chat"}, "application"),
        ({"application": "support-bot", "model": "deepseek-chat", "data_categories": "healthcare"}, "data_categories"),
        (
            {"application": "support-bot", "model": "deepseek-chat", "data_categories": ["Not a slug!"]},
            "data_categories",
        ),
        ({"application": "support-bot", "model": "deepseek-chat", "data_categories": ["c"] * 51}, "data_categories"),
        ({"application": "support-bot", "model": "deepseek-chat", "data_categories": ["x" * 51]}, "data_categories"),
    ],
)
def test_it_refuses_a_malformed_question_with_the_field(gateway, body, field):
    response = _post(gateway, body)
    assert response.status_code == 400
    assert field in response.json()


@pytest.mark.parametrize(
    ("content", "content_type"),
    [("{not json", "application/json"), ('["support-bot"]', "application/json"), ("null", "application/json")],
)
def test_it_refuses_a_body_that_is_not_a_question(gateway, content, content_type):
    response = gateway.generic("POST", reverse(DECISION), content, content_type=content_type)
    assert response.status_code == 400
