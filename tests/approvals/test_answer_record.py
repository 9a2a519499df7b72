"""`checklist.services.answer_record`: who answers which checklist item, and when."""

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from approvals.completeness import current_template
from checklist.models import Answer, ChecklistItem
from checklist.services import answer_record
from governance.roles import Role
from tests.approvals.workflow import approved_use_case, complete_use_case, person, sign, submit
from tests.factories import UseCaseFactory

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("fast_passwords")]


def item(code: str) -> ChecklistItem:
    return ChecklistItem.objects.get(section__template=current_template(), code=code)


def test_it_lets_an_owner_answer_a_business_item_of_a_draft(alice):
    use_case = UseCaseFactory(user=alice)
    answer = answer_record(use_case=use_case, item=item("GOV-1"), user=alice, response="yes")
    assert (answer.response, answer.answered_by) == ("yes", alice)
    latest = answer.history.first()
    assert (latest.history_user, latest.history_change_reason) == (alice, "Answered GOV-1: Yes")


def test_it_changes_an_existing_answer(alice):
    use_case = UseCaseFactory(user=alice)
    answer_record(use_case=use_case, item=item("SEC-3"), user=alice, response="yes")
    answer_record(use_case=use_case, item=item("SEC-3"), user=alice, response="partial", justification=" Korean only. ")
    answer = Answer.objects.get(use_case=use_case, item__code="SEC-3")
    assert (answer.response, answer.justification) == ("partial", "Korean only.")
    assert answer.history.count() == 2


def test_an_owner_answers_again_when_changes_are_requested(alice, team):
    use_case = complete_use_case(alice)
    sign(submit(use_case), "legal", team["legal"], "request_changes", comment="OPS-3 is vague.")
    answer = answer_record(
        use_case=use_case, item=item("OPS-3"), user=alice, response="partial", justification="Sampled review."
    )
    assert answer.response == "partial"


def test_an_owner_cannot_answer_while_in_review(alice, team):
    use_case = complete_use_case(alice)
    submit(use_case)
    with pytest.raises(PermissionDenied, match="cannot answer GOV-1"):
        answer_record(use_case=use_case, item=item("GOV-1"), user=alice, response="no", justification="Changed.")
    assert Answer.objects.get(use_case=use_case, item__code="GOV-1").response == "yes"


def test_a_reviewer_answers_their_functions_item_in_review(alice, team):
    use_case = complete_use_case(alice)
    submit(use_case)
    answer = answer_record(use_case=use_case, item=item("DEP-2"), user=team["security"], response="yes")
    assert answer.answered_by == team["security"]
    legal = answer_record(
        use_case=use_case, item=item("DATA-5"), user=team["legal"], response="no", justification="No contract yet."
    )
    assert legal.response == "no"


def test_a_reviewer_cannot_answer_once_approved(alice, team):
    use_case, _ = approved_use_case(alice, team)
    with pytest.raises(PermissionDenied):
        answer_record(use_case=use_case, item=item("DEP-2"), user=team["security"], response="yes")


def test_an_owner_cannot_answer_a_security_item(alice, team):
    use_case = complete_use_case(alice)
    with pytest.raises(PermissionDenied):
        answer_record(use_case=use_case, item=item("DEP-2"), user=alice, response="yes")
    submit(use_case)
    with pytest.raises(PermissionDenied):
        answer_record(use_case=use_case, item=item("DEP-2"), user=alice, response="yes")
    assert not Answer.objects.filter(use_case=use_case, item__code="DEP-2").exists()


def test_an_owner_who_is_a_security_reviewer_cannot_answer_security_items(team):
    sven = person("sven", Role.BUSINESS_OWNER, Role.SECURITY)
    use_case = complete_use_case(sven)
    submit(use_case)
    with pytest.raises(PermissionDenied):
        answer_record(use_case=use_case, item=item("DEP-2"), user=sven, response="yes")


def test_a_reviewer_of_another_function_cannot_answer(alice, team):
    use_case = complete_use_case(alice)
    submit(use_case)
    for other in (team["legal"], team["procurement"], team["executive"]):
        with pytest.raises(PermissionDenied):
            answer_record(use_case=use_case, item=item("DEP-2"), user=other, response="yes")
    with pytest.raises(PermissionDenied):
        answer_record(use_case=use_case, item=item("GOV-1"), user=team["security"], response="yes")


def test_an_outsider_cannot_answer(alice, charlie):
    use_case = UseCaseFactory(user=alice)
    with pytest.raises(PermissionDenied):
        answer_record(use_case=use_case, item=item("GOV-1"), user=charlie, response="yes")


@pytest.mark.parametrize("response", ["partial", "no", "n/a"])
def test_anything_but_yes_needs_a_justification(alice, response):
    use_case = UseCaseFactory(user=alice)
    with pytest.raises(ValidationError) as error:
        answer_record(use_case=use_case, item=item("GOV-4"), user=alice, response=response, justification="  ")
    assert set(error.value.message_dict) == {"justification"}
    assert not Answer.objects.exists()
    answer = answer_record(use_case=use_case, item=item("GOV-4"), user=alice, response=response, justification="Why.")
    assert answer.response == response


def test_it_refuses_an_unknown_response(alice):
    with pytest.raises(ValidationError) as error:
        answer_record(
            use_case=UseCaseFactory(user=alice), item=item("GOV-4"), user=alice, response="maybe", justification="?"
        )
    assert "response" in error.value.message_dict
