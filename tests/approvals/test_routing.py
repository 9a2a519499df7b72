"""Who must sign: `approvals.routing.route`, a pure function, and the sign-offs it gives a submitted round."""

import pytest

from approvals.routing import RoutingFacts, route
from governance.models import Vendor
from tests.approvals.workflow import ALWAYS, complete_use_case, submit
from tests.factories import AIModelFactory, VendorFactory

RESTRICTED = ["RU", "KP", "IR"]


def facts(*, status="clear", country="DE", scores=(6,)) -> RoutingFacts:
    return RoutingFacts(
        vendor_name="DeepSeek", vendor_sanctions_status=status, hosting_country=country, residual_scores=scores
    )


@pytest.mark.parametrize(
    ("status", "country", "scores", "extra", "highest", "approvable"),
    [
        ("clear", "DE", (6,), [], 6, True),
        ("under_review", "DE", (6,), [], 6, True),
        ("restricted", "DE", (6,), ["compliance"], 6, True),
        ("sanctioned", "DE", (6,), ["compliance"], 6, True),
        ("clear", "RU", (6,), ["compliance"], 6, True),
        ("clear", "ru", (6,), ["compliance"], 6, True),
        ("clear", "DE", (4,), [], 4, True),
        ("clear", "DE", (9,), [], 9, True),
        ("clear", "DE", (10,), ["executive"], 10, True),
        ("clear", "DE", (3, 16, 8), ["executive"], 16, True),
        ("clear", "DE", (20,), [], 20, False),
        ("clear", "DE", (25, 12), [], 25, False),
        ("sanctioned", "KP", (12,), ["compliance", "executive"], 12, True),
        ("clear", "DE", (), [], None, True),
    ],
)
def test_it_routes_by_the_facts(status, country, scores, extra, highest, approvable):
    routing = route(facts(status=status, country=country, scores=scores), restricted_countries=RESTRICTED)
    assert routing.functions == [*ALWAYS, *extra]
    assert routing.highest_residual == highest
    assert routing.can_be_approved is approvable
    assert bool(routing.blocked_reason) is not approvable


def test_it_reads_the_restricted_countries_case_insensitively():
    routing = route(facts(country="ir"), restricted_countries=["ru", "ir"])
    assert "compliance" in routing.functions


def test_it_says_why_each_function_signs():
    routing = route(facts(status="sanctioned", country="RU", scores=(12,)), restricted_countries=RESTRICTED)
    reasons = {r["function"]: r["reason"] for r in routing.as_json()}
    assert reasons["legal"] == "Signs every request"
    assert reasons["compliance"] == "Vendor DeepSeek is sanctioned; hosting country RU is restricted"
    assert reasons["executive"] == "Highest residual risk is high (12)"


def test_it_explains_why_a_critical_risk_blocks_approval():
    routing = route(facts(scores=(20,)), restricted_countries=RESTRICTED)
    assert "critical (20)" in routing.blocked_reason


@pytest.mark.django_db
@pytest.mark.usefixtures("fast_passwords")
def test_it_adds_compliance_for_a_sanctioned_vendor_when_submitted(alice):
    model = AIModelFactory(
        vendor=VendorFactory(name="Sanctioned Co", sanctions_status=Vendor.SanctionsStatus.SANCTIONED)
    )
    round = submit(complete_use_case(alice, primary_model=model))
    assert sorted(round.signoffs.values_list("function", flat=True)) == sorted([*ALWAYS, "compliance"])
    assert round.required_functions == [*ALWAYS, "compliance"]
    assert round.routing[-1]["reason"] == "Vendor Sanctioned Co is sanctioned"


@pytest.mark.django_db
@pytest.mark.usefixtures("fast_passwords")
def test_it_adds_compliance_for_a_restricted_hosting_country_when_submitted(alice, settings):
    settings.CLEARANCE_RESTRICTED_COUNTRIES = ["DE"]
    round = submit(complete_use_case(alice, hosting_country="DE"))
    assert "compliance" in round.required_functions


@pytest.mark.django_db
@pytest.mark.usefixtures("fast_passwords")
def test_it_adds_an_executive_for_a_high_residual_when_submitted(alice):
    round = submit(complete_use_case(alice, residual=(3, 4)))
    assert round.highest_residual == 12
    assert list(round.signoffs.values_list("function", flat=True)) == [*ALWAYS, "executive"]


@pytest.mark.django_db
@pytest.mark.usefixtures("fast_passwords")
def test_it_routes_a_medium_residual_to_the_four_functions_only(alice):
    round = submit(complete_use_case(alice, residual=(3, 3)))
    assert round.highest_residual == 9
    assert list(round.signoffs.values_list("function", flat=True)) == ALWAYS
    assert all(s.decision == "pending" for s in round.signoffs.all())
