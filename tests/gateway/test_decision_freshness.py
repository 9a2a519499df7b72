"""A decision event takes effect on the next question: nothing in Clearance keeps an old answer, so the only
delay a gateway sees is its own cache, which the answer bounds with cache_seconds."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from approvals.models import SuspensionCause
from approvals.services import approval_suspend, use_case_edit
from tests.approvals.workflow import approve_all, sign, submit
from tests.factories import AIModelFactory, data_category
from tests.gateway.helpers import alias, approved_for_gateway, ask, gateway_request, identifier

pytestmark = pytest.mark.django_db


def test_a_suspension_denies_the_next_question(alice, team, gateway):
    use_case, _ = approved_for_gateway(alice, team)
    assert ask(gateway)["decision"] == "allow"
    approval_suspend(use_case=use_case, reason="A finding.", cause=SuspensionCause.REVIEW_FINDING)
    assert ask(gateway)["decision"] == "deny"


def test_a_material_edit_denies_until_approved_again(alice, team, gateway):
    use_case, _ = approved_for_gateway(alice, team)
    assert ask(gateway)["decision"] == "allow"
    use_case = use_case_edit(use_case=use_case, user=alice, hosting_country="FR", reason="Move to Paris")
    body = ask(gateway)
    assert body["decision"] == "deny"
    assert body["use_case_status"] == "in_review"
    approve_all(use_case.rounds.get(number=2), team)
    assert ask(gateway)["decision"] == "allow"


def test_a_new_alias_and_identifier_answer_at_once(alice, team, gateway):
    use_case, _ = approved_for_gateway(alice, team)
    assert ask(gateway, "billing-team", "deepseek-v3")["decision"] == "deny"
    alias(use_case, "billing-team")
    identifier(use_case.primary_model, "deepseek-v3")
    assert ask(gateway, "billing-team", "deepseek-v3")["decision"] == "allow"


def _queries(client, **question) -> int:
    with CaptureQueriesContext(connection) as queries:
        ask(client, **question)
    return len(queries)


def test_a_decision_costs_the_same_queries_whatever_the_use_case_carries(alice, team, gateway):
    approved_for_gateway(alice, team)
    ask(gateway)  # the token's last use is written once a minute: not in the measured requests
    small = _queries(gateway, data_categories=["customer-records"])
    big_models = [AIModelFactory() for _ in range(4)]
    for n, model in enumerate(big_models):
        identifier(model, f"big-{n}-a")
        identifier(model, f"big-{n}-b")
    categories = [data_category(slug) for slug in ("customer-records", "source-code", "financial-records")]
    big = gateway_request(
        alice, application="big-app", named=False, fallback_models=big_models, data_categories=categories
    )
    round = submit(big)
    for function in ("legal", "privacy", "security"):
        sign(
            round, function, team[function], "approve_with_conditions", comment="Fine.", conditions=f"{function} first."
        )
    approve_all(round, team)
    question = {"application": "big-app", "model": "big-3-b", "data_categories": ["financial-records", "source-code"]}
    assert ask(gateway, **question)["decision"] == "allow"
    assert len(ask(gateway, **question)["conditions"]) == 3
    assert _queries(gateway, **question) == small
    assert small <= 5  # the token, the use case with its approval, its models, its categories, its conditions


def test_a_denial_costs_no_more_than_an_allowance(alice, team, gateway):
    approved_for_gateway(alice, team)
    ask(gateway)
    allowed = _queries(gateway, data_categories=["customer-records"])
    assert _queries(gateway, application="nobody") < allowed
    assert _queries(gateway, model="gpt-4o") < allowed
