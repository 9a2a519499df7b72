"""`signoff_decide` rests on the checklist: a function approves only once its items are answered, a
"No" or "Partially" allows at most approval with conditions, and security approves a request with tools
or agents at most with conditions, after answering the tool-use item."""

import pytest
from django.core.exceptions import ValidationError

from approvals.models import SignOff
from approvals.permissions import TOOL_USE_ITEM, decision_standing
from approvals.services import signoff_decide
from checklist.models import Answer
from governance.roles import Function
from tests.approvals.workflow import ALWAYS, answer_items, complete_use_case, function_items, submit

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("fast_passwords")]

Decision = SignOff.Decision
WITH_CONDITIONS = {"comment": "Acceptable with limits.", "conditions": "The gap closes by the end of Q3, owned by IT."}


@pytest.fixture
def round(alice, team):
    return submit(complete_use_case(alice))


def decide(round, function, user, decision, **text):
    return signoff_decide(signoff=round.signoffs.get(function=function), user=user, decision=decision, **text)


def codes(round, function) -> list[str]:
    return [item.code for item in function_items(round, function)]


@pytest.mark.parametrize("function", ALWAYS)
@pytest.mark.parametrize(
    "decision, text", [(Decision.APPROVE, {}), (Decision.APPROVE_WITH_CONDITIONS, WITH_CONDITIONS)]
)
def test_it_refuses_an_approval_while_the_functions_items_are_unanswered(round, team, function, decision, text):
    with pytest.raises(ValidationError) as error:
        decide(round, function, team[function], decision, **text)
    message = error.value.message_dict["decision"][0]
    assert codes(round, function)
    for code in codes(round, function):
        assert code in message
    assert round.signoffs.get(function=function).is_pending


def test_it_names_only_the_items_still_open(round, team):
    first, *rest = codes(round, Function.LEGAL)
    answer_items(round, Function.LEGAL, team["legal"], only=rest)
    with pytest.raises(ValidationError) as error:
        decide(round, Function.LEGAL, team["legal"], Decision.APPROVE)
    message = error.value.message_dict["decision"][0]
    assert first in message
    assert not any(code in message for code in rest)


def test_items_of_other_functions_do_not_hold_an_approval_back(round, team):
    answer_items(round, Function.LEGAL, team["legal"])
    signoff = decide(round, Function.LEGAL, team["legal"], Decision.APPROVE)
    assert signoff.decision == Decision.APPROVE


@pytest.mark.parametrize("decision", [Decision.REQUEST_CHANGES, Decision.REJECT])
def test_open_items_still_allow_sending_back_or_rejecting(round, team, decision):
    signoff = decide(round, Function.PRIVACY, team["privacy"], decision, comment="Classify the data first.")
    assert signoff.decision == decision


@pytest.mark.parametrize("response", [Answer.Response.NO, Answer.Response.PARTIAL])
def test_a_no_or_partial_answer_refuses_a_plain_approval_naming_the_item(round, team, response):
    gap = codes(round, Function.PRIVACY)[0]
    answer_items(round, Function.PRIVACY, team["privacy"], **{gap: response})
    with pytest.raises(ValidationError) as error:
        decide(round, Function.PRIVACY, team["privacy"], Decision.APPROVE)
    message = error.value.message_dict["decision"][0]
    assert gap in message and "conditions" in message
    assert decision_standing(round.signoffs.get(function=Function.PRIVACY)).allowed == [
        Decision.APPROVE_WITH_CONDITIONS,
        Decision.REQUEST_CHANGES,
        Decision.REJECT,
    ]


@pytest.mark.parametrize("response", [Answer.Response.NO, Answer.Response.PARTIAL])
def test_a_no_or_partial_answer_allows_approval_with_conditions(round, team, response):
    gap = codes(round, Function.PRIVACY)[0]
    answer_items(round, Function.PRIVACY, team["privacy"], **{gap: response})
    signoff = decide(round, Function.PRIVACY, team["privacy"], Decision.APPROVE_WITH_CONDITIONS, **WITH_CONDITIONS)
    assert signoff.decision == Decision.APPROVE_WITH_CONDITIONS


def test_not_applicable_counts_as_answered(round, team):
    answer_items(round, Function.PROCUREMENT, team["procurement"], response=Answer.Response.NOT_APPLICABLE)
    signoff = decide(round, Function.PROCUREMENT, team["procurement"], Decision.APPROVE)
    assert signoff.decision == Decision.APPROVE


def test_answers_after_a_refusal_let_the_approval_through(round, team):
    with pytest.raises(ValidationError):
        decide(round, Function.LEGAL, team["legal"], Decision.APPROVE)
    answer_items(round, Function.LEGAL, team["legal"])
    assert decide(round, Function.LEGAL, team["legal"], Decision.APPROVE).decision == Decision.APPROVE


# Tools or agents


@pytest.fixture
def tool_round(alice, team):
    return submit(complete_use_case(alice, tool_use=True, tool_use_detail="Opens tickets in the service desk."))


def test_with_tools_security_cannot_approve_plainly(tool_round, team):
    answer_items(tool_round, Function.SECURITY, team["security"])
    with pytest.raises(ValidationError) as error:
        decide(tool_round, Function.SECURITY, team["security"], Decision.APPROVE)
    assert "tools or agents" in error.value.message_dict["decision"][0]
    signoff = decide(
        tool_round, Function.SECURITY, team["security"], Decision.APPROVE_WITH_CONDITIONS, **WITH_CONDITIONS
    )
    assert signoff.decision == Decision.APPROVE_WITH_CONDITIONS


@pytest.mark.parametrize(
    "decision, text", [(Decision.APPROVE, {}), (Decision.APPROVE_WITH_CONDITIONS, WITH_CONDITIONS)]
)
def test_with_tools_the_tool_use_item_cannot_be_not_applicable(tool_round, team, decision, text):
    answer_items(tool_round, Function.SECURITY, team["security"], **{TOOL_USE_ITEM: Answer.Response.NOT_APPLICABLE})
    with pytest.raises(ValidationError) as error:
        decide(tool_round, Function.SECURITY, team["security"], decision, **text)
    message = error.value.message_dict["decision"][0]
    assert TOOL_USE_ITEM in message and "not applicable" in message


def test_without_tools_the_tool_use_item_may_be_not_applicable(round, team):
    answer_items(round, Function.SECURITY, team["security"], **{TOOL_USE_ITEM: Answer.Response.NOT_APPLICABLE})
    assert decide(round, Function.SECURITY, team["security"], Decision.APPROVE).decision == Decision.APPROVE


def test_with_tools_other_functions_still_approve_plainly(tool_round, team):
    answer_items(tool_round, Function.LEGAL, team["legal"])
    assert decide(tool_round, Function.LEGAL, team["legal"], Decision.APPROVE).decision == Decision.APPROVE


def test_the_tool_use_item_is_the_security_testing_question(round):
    item = next(i for i in function_items(round, Function.SECURITY) if i.code == TOOL_USE_ITEM)
    assert item.section.title == "Security testing"
    assert "tool-use" in item.text
