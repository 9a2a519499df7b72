"""Who must sign: `approvals.routing.route`, a pure function, and the sign-offs it gives a submitted round."""

import re
from pathlib import Path

import pytest

from approvals.routing import RULES, Category, RoutingFacts, route
from governance.models import UseCase, Vendor
from governance.roles import Function
from tests.approvals.workflow import ALWAYS, complete_use_case, submit
from tests.factories import AIModelFactory, VendorFactory, data_category

RESTRICTED = ["RU", "KP", "IR"]
README = Path(__file__).resolve().parents[2] / "README.md"

FAQ = Category("internal-documents", 2, "Internal documents")
PUBLIC = Category("public-content", 1, "Public content")
CUSTOMERS = Category("customer-records", 3, "Customer records")
HEALTH = Category("healthcare-data", 4, "Healthcare data")
FINANCE = Category("financial-records", 3, "Financial records")
INCIDENTS = Category("incident-response-evidence", 4, "Incident-response evidence")


def facts(
    *,
    status="clear",
    country="DE",
    scores=(6,),
    vendor_country="US",
    autonomy="advisory",
    tools=False,
    categories=(FAQ,),
    missed=(),
    foreign=0,
) -> RoutingFacts:
    return RoutingFacts(
        vendor_name="DeepSeek",
        vendor_sanctions_status=status,
        hosting_country=country,
        residual_scores=scores,
        vendor_country=vendor_country,
        autonomy=autonomy,
        tool_use=tools,
        data_categories=categories,
        missed_thresholds=missed,
        foreign_evidence=foreign,
    )


@pytest.mark.parametrize(
    ("status", "country", "scores", "extra", "highest", "approvable"),
    [
        ("clear", "DE", (6,), [], 6, True),
        ("under_review", "DE", (6,), [], 6, True),
        ("restricted", "DE", (6,), ["compliance"], 6, True),
        ("sanctioned", "DE", (6,), ["compliance", "executive"], 6, True),
        ("clear", "RU", (6,), ["compliance"], 6, True),
        ("clear", "ru", (6,), ["compliance"], 6, True),
        ("clear", "DE", (4,), [], 4, True),
        ("clear", "DE", (9,), [], 9, True),
        ("clear", "DE", (10,), ["executive"], 10, True),
        ("clear", "DE", (3, 16, 8), ["executive"], 16, True),
        ("clear", "DE", (20,), ["executive"], 20, False),
        ("clear", "DE", (25, 12), ["executive"], 25, False),
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


# The article's weakest use cases, one rule at a time and together: the functions beyond the four,
# and a piece of each added function's reason.
WEAKEST = {
    "an internal FAQ bot": (facts(categories=(FAQ, PUBLIC)), {}),
    "an autonomous, tool-using bot on public data": (
        facts(autonomy="autonomous", tools=True, categories=(PUBLIC,)),
        {"security": "tools or agents are enabled"},
    ),
    "autonomous on restricted data": (
        facts(autonomy="autonomous", categories=(INCIDENTS,)),
        {"executive": "Autonomous use on confidential or restricted data (Incident-response evidence)"},
    ),
    "autonomous on confidential data": (
        facts(autonomy="autonomous", categories=(CUSTOMERS,)),
        {"executive": "Autonomous use on confidential or restricted data (Customer records)"},
    ),
    "human-reviewed on restricted data": (facts(autonomy="human_reviewed", categories=(HEALTH,)), {}),
    "a sanctioned vendor": (
        facts(status="sanctioned"),
        {"compliance": "Vendor DeepSeek is sanctioned", "executive": "Vendor DeepSeek is sanctioned"},
    ),
    "a critical residual risk": (
        facts(scores=(20, 6)),
        {"executive": "Highest residual risk is critical (20): it cannot be approved as it stands"},
    ),
    "tools enabled": (
        facts(tools=True),
        {"security": "Signs every request; tools or agents are enabled: the tool-use checklist item must be answered"},
    ),
    "regulated data hosted in a restricted country": (
        facts(country="RU", categories=(HEALTH, FAQ)),
        {"compliance": "Hosting country RU is restricted; regulated data (Healthcare data) meets hosting in RU"},
    ),
    "regulated data with a vendor headquartered in a restricted country": (
        facts(vendor_country="RU", categories=(FINANCE, HEALTH)),
        {
            "compliance": "Regulated data (Financial records, Healthcare data) meets vendor DeepSeek, "
            "headquartered in RU"
        },
    ),
    "regulated data with a restricted vendor": (
        facts(status="restricted", categories=(Category("government-information", 4),)),
        {"compliance": "Vendor DeepSeek is restricted; regulated data (government-information) meets vendor DeepSeek"},
    ),
    "unregulated data with a vendor headquartered in a restricted country": (
        facts(vendor_country="RU", categories=(CUSTOMERS,)),
        {},
    ),
    "autonomous, tools, healthcare data, self-scored low risk": (
        facts(autonomy="autonomous", tools=True, categories=(HEALTH,), scores=(2,)),
        {"security": "tools or agents are enabled", "executive": "Autonomous use"},
    ),
    "everything at once": (
        facts(
            status="sanctioned",
            country="RU",
            vendor_country="CN",
            autonomy="autonomous",
            tools=True,
            categories=(HEALTH,),
            scores=(12,),
        ),
        {
            "security": "tools or agents are enabled",
            "compliance": "Vendor DeepSeek is sanctioned; hosting country RU is restricted; regulated data "
            "(Healthcare data) meets vendor DeepSeek, sanctioned and hosting in RU",
            "executive": "Highest residual risk is high (12); vendor DeepSeek is sanctioned; autonomous use",
        },
    ),
}


@pytest.mark.parametrize("case", WEAKEST.keys())
def test_it_raises_the_bar_for_the_weakest_use_cases(case):
    request_facts, expected = WEAKEST[case]
    routing = route(request_facts, restricted_countries=RESTRICTED)
    added = [f for f in (Function.COMPLIANCE, Function.EXECUTIVE) if f in expected]
    assert routing.functions == [*ALWAYS, *added]
    reasons = {r.function: r.reason for r in routing.routes}
    for function, phrase in expected.items():
        assert phrase in reasons[function]
    if "security" not in expected:
        assert reasons["security"] == "Signs every request"


def test_an_internal_faq_bot_gets_only_the_four_functions():
    routing = route(facts(categories=(FAQ, PUBLIC), scores=(4,)), restricted_countries=RESTRICTED)
    assert routing.as_json() == [{"function": f, "reason": "Signs every request"} for f in ALWAYS]


def test_a_critical_residual_risk_reaches_an_executive_and_stays_unapprovable():
    routing = route(facts(scores=(25,)), restricted_countries=RESTRICTED)
    assert routing.functions[-1] == "executive"
    assert routing.can_be_approved is False


def test_it_reads_the_restricted_countries_case_insensitively():
    routing = route(facts(country="ir"), restricted_countries=["ru", "ir"])
    assert "compliance" in routing.functions
    routing = route(facts(vendor_country="ru", categories=(HEALTH,)), restricted_countries=["RU"])
    assert "compliance" in routing.functions


def test_it_says_why_each_function_signs():
    routing = route(facts(status="sanctioned", country="RU", scores=(12,)), restricted_countries=RESTRICTED)
    reasons = {r["function"]: r["reason"] for r in routing.as_json()}
    assert reasons["legal"] == "Signs every request"
    assert reasons["compliance"] == "Vendor DeepSeek is sanctioned; hosting country RU is restricted"
    assert reasons["executive"] == "Highest residual risk is high (12); vendor DeepSeek is sanctioned"


def test_it_explains_why_a_critical_risk_blocks_approval():
    routing = route(facts(scores=(20,)), restricted_countries=RESTRICTED)
    assert "critical (20)" in routing.blocked_reason


def test_a_reason_fits_its_column_however_many_categories_it_names():
    many = tuple(Category("healthcare-data", 4, "Healthcare data " + "x" * 90) for _ in range(5))
    routing = route(
        facts(status="sanctioned", country="RU", vendor_country="RU", categories=many, autonomy="autonomous"),
        restricted_countries=RESTRICTED,
    )
    assert all(len(r.reason) <= 300 for r in routing.routes)


def test_evaluation_evidence_that_misses_a_threshold_or_measured_another_model_calls_security():
    routing = route(
        facts(missed=("prompt injection exposure 75.0 % < 95 %",), foreign=2), restricted_countries=RESTRICTED
    )
    (security,) = [r for r in routing.routes if r.function == "security"]
    assert security.reason == (
        "Signs every request; evaluation evidence misses prompt injection exposure 75.0 % < 95 % and has 2 files "
        "of a model not requested"
    )
    clean = route(facts(), restricted_countries=RESTRICTED)
    assert [r.reason for r in clean.routes if r.function == "security"] == ["Signs every request"]


def test_every_rule_can_fire():
    """No rule in the table is dead text: some facts make each one add its reason."""
    everything = facts(
        status="sanctioned",
        country="RU",
        vendor_country="RU",
        autonomy="autonomous",
        tools=True,
        categories=(HEALTH,),
        missed=("prompt injection exposure 75.0 % < 95 %",),
    )
    reasons = " ".join(r.reason.lower() for r in route(everything, restricted_countries=RESTRICTED).routes)
    reasons += " ".join(r.reason.lower() for r in route(facts(scores=(12,)), restricted_countries=RESTRICTED).routes)
    reasons += " ".join(r.reason.lower() for r in route(facts(scores=(20,)), restricted_countries=RESTRICTED).routes)
    for rule in RULES:
        fixed = re.split(r"\{\w+\}", rule.reason)[0].lower()
        assert fixed in reasons, rule.key


# --- The README's table is the rules -------------------------------------------------------------


def readme_rules() -> list[tuple[str, str, str]]:
    """The rows of the table under "## Who signs, and why": (function, signs when, why)."""
    text = README.read_text(encoding="utf-8")
    section = text.split("## Who signs, and why", 1)[1].split("\n## ", 1)[0]
    rows = [line for line in section.splitlines() if line.startswith("|")]
    cells = [[cell.strip() for cell in row.strip("|").split("|")] for row in rows[2:]]  # header, rule
    return [(function, when, why.strip('“”"')) for function, when, why in cells]


def test_the_readme_table_is_the_routing_rules():
    labels = {f.value: f.label for f in Function}
    assert readme_rules() == [(labels[r.function], r.when, r.why) for r in RULES]


@pytest.mark.django_db
@pytest.mark.usefixtures("fast_passwords")
def test_it_adds_compliance_and_an_executive_for_a_sanctioned_vendor_when_submitted(alice):
    model = AIModelFactory(
        vendor=VendorFactory(name="Sanctioned Co", sanctions_status=Vendor.SanctionsStatus.SANCTIONED)
    )
    round = submit(complete_use_case(alice, primary_model=model))
    assert sorted(round.signoffs.values_list("function", flat=True)) == sorted([*ALWAYS, "compliance", "executive"])
    assert round.required_functions == [*ALWAYS, "compliance", "executive"]
    assert round.routing[-2]["reason"] == "Vendor Sanctioned Co is sanctioned"
    assert round.signoffs.get(function="executive").reason == "Vendor Sanctioned Co is sanctioned"


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


@pytest.mark.django_db
@pytest.mark.usefixtures("fast_passwords")
def test_it_routes_an_autonomous_tool_using_request_on_healthcare_data_to_an_executive(alice):
    round = submit(
        complete_use_case(
            alice,
            residual=(1, 2),
            autonomy=UseCase.Autonomy.AUTONOMOUS,
            tool_use=True,
            tool_use_detail="Opens tickets and pages the on-call engineer.",
            data_categories=[data_category("healthcare-data"), data_category("incident-response-evidence")],
        )
    )
    assert round.required_functions == [*ALWAYS, "executive"]
    reasons = {entry["function"]: entry["reason"] for entry in round.routing}
    assert "Healthcare data" in reasons["executive"] and "Incident-response evidence" in reasons["executive"]
    assert "tools or agents are enabled" in round.signoffs.get(function="security").reason


@pytest.mark.django_db
@pytest.mark.usefixtures("fast_passwords")
def test_it_adds_compliance_for_regulated_data_with_a_vendor_headquartered_in_a_restricted_country(alice):
    model = AIModelFactory(vendor=VendorFactory(name="GigaChat Co", hq_country="RU"))
    round = submit(complete_use_case(alice, primary_model=model, data_categories=[data_category("financial-records")]))
    assert round.required_functions == [*ALWAYS, "compliance"]
    assert round.routing[-1]["reason"] == (
        "Regulated data (Financial records) meets vendor GigaChat Co, headquartered in RU"
    )
