"""`checklist.services.answers_record`: a section's answers saved together, all or nothing."""

import pytest
from django.core.exceptions import PermissionDenied

from checklist.models import Answer, ChecklistItem
from checklist.services import AnswersInvalid, answer_record, answers_record
from tests.approvals.workflow import approved_use_case, complete_use_case, submit
from tests.factories import UseCaseFactory

pytestmark = pytest.mark.django_db


def item(code: str) -> ChecklistItem:
    return ChecklistItem.objects.get(section__template__version=1, code=code)


def test_it_saves_every_row_at_once(alice):
    use_case = UseCaseFactory(user=alice)
    saved = answers_record(
        use_case=use_case,
        user=alice,
        answers={item("GOV-1"): ("yes", ""), item("GOV-4"): ("partial", " Risk owner to sign. ")},
    )
    assert [a.item.code for a in saved] == ["GOV-1", "GOV-4"]
    answers = {a.item.code: (a.response, a.justification, a.answered_by) for a in Answer.objects.all()}
    assert answers == {"GOV-1": ("yes", "", alice), "GOV-4": ("partial", "Risk owner to sign.", alice)}
    latest = Answer.objects.get(item__code="GOV-4").history.first()
    assert (latest.history_user, latest.history_change_reason) == (alice, "Answered GOV-4: Partially")


def test_an_invalid_row_saves_nothing_and_names_each_rows_error(alice):
    use_case = UseCaseFactory(user=alice)
    with pytest.raises(AnswersInvalid) as error:
        answers_record(
            use_case=use_case,
            user=alice,
            answers={
                item("GOV-1"): ("yes", ""),
                item("GOV-4"): ("no", ""),
                item("DATA-1"): ("", "Only the ticket text."),
                item("SEC-3"): ("partial", "x" * 10_001),
            },
        )
    assert not Answer.objects.exists()
    by_code = {i.code: fields for i, fields in error.value.by_item.items()}
    assert by_code["GOV-4"] == {"justification": ["Explain any answer other than yes."]}
    assert by_code["DATA-1"] == {"response": ["Choose an answer."]}
    assert "at most 10,000 characters" in by_code["SEC-3"]["justification"][0]
    assert "GOV-1" not in by_code


def test_unchanged_and_empty_rows_write_nothing(alice, bob):
    use_case = UseCaseFactory(user=alice)
    answer_record(use_case=use_case, item=item("GOV-1"), user=alice, response="yes")
    before = Answer.objects.get(item__code="GOV-1")
    saved = answers_record(
        use_case=use_case,
        user=alice,
        answers={item("GOV-1"): ("yes", "  "), item("GOV-4"): ("", ""), item("OPS-2"): ("no", "No fallback yet.")},
    )
    assert [a.item.code for a in saved] == ["OPS-2"]
    after = Answer.objects.get(item__code="GOV-1")
    assert after.history.count() == 1 and after.answered_at == before.answered_at
    assert not Answer.objects.filter(item__code="GOV-4").exists()


def test_an_answer_cannot_be_taken_back(alice):
    use_case = UseCaseFactory(user=alice)
    answer_record(use_case=use_case, item=item("GOV-1"), user=alice, response="yes")
    with pytest.raises(AnswersInvalid):
        answers_record(use_case=use_case, user=alice, answers={item("GOV-1"): ("", "")})
    assert Answer.objects.get(item__code="GOV-1").response == "yes"


def test_an_item_of_another_function_refuses_the_whole_save(alice):
    use_case = UseCaseFactory(user=alice)
    with pytest.raises(PermissionDenied, match="DEP-2"):
        answers_record(use_case=use_case, user=alice, answers={item("GOV-1"): ("yes", ""), item("DEP-2"): ("yes", "")})
    assert not Answer.objects.exists()


def test_a_reviewer_answers_their_items_in_review_and_not_after(alice, team):
    use_case = complete_use_case(alice)
    submit(use_case)
    saved = answers_record(
        use_case=use_case, user=team["security"], answers={item("DEP-2"): ("yes", ""), item("DEP-3"): ("yes", "")}
    )
    assert len(saved) == 2
    approved, _ = approved_use_case(alice, team, title="Done")
    with pytest.raises(PermissionDenied):
        answers_record(use_case=approved, user=team["security"], answers={item("DEP-5"): ("no", "Not monitored.")})


def test_an_owner_cannot_answer_while_in_review(alice):
    use_case = complete_use_case(alice)
    submit(use_case)
    with pytest.raises(PermissionDenied):
        answers_record(use_case=use_case, user=alice, answers={item("GOV-1"): ("no", "Changed my mind.")})
