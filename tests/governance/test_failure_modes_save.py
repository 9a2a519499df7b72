"""Question 4: the failure-mode record's rules in the database and in validation, and its one service."""

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction

from governance.failure_modes import EVIDENCES, FailureMode, modes_evidencing
from governance.models import FailureModeTest
from governance.services import failure_modes_save
from tests.approvals.workflow import complete_use_case, submit
from tests.factories import FailureModeTestFactory, UseCaseFactory, failure_modes_tested

pytestmark = pytest.mark.django_db


def rejected(**kwargs):
    with pytest.raises(IntegrityError), transaction.atomic():
        FailureModeTestFactory(**kwargs)


def test_the_article_names_ten_failure_modes():
    assert len(FailureMode.values) == 10
    assert FailureMode.DATA_LEAKAGE.label == "Sensitive data leakage through prompts or retrieval"


def test_each_mode_backs_the_security_testing_item_it_evidences():
    assert modes_evidencing("SEC-1") == ["hallucination", "unsafe_recommendations", "poor_refusal"]
    assert modes_evidencing("SEC-2") == ["prompt_injection", "data_leakage"]
    assert modes_evidencing("SEC-3") == ["multilingual"]
    assert modes_evidencing("SEC-5") == [
        "incorrect_code",
        "biased_or_censored",
        "inconsistent_reasoning",
        "overconfidence",
    ]
    assert set(EVIDENCES) == set(FailureMode.values)


def test_the_database_keeps_one_answer_per_mode(use_case):
    FailureModeTestFactory(use_case=use_case, mode="hallucination")
    rejected(use_case=use_case, mode="hallucination")


@pytest.mark.parametrize("missing", ["method", "result"])
def test_the_database_refuses_a_tested_mode_without_method_or_result(use_case, missing):
    rejected(use_case=use_case, **{missing: ""})


@pytest.mark.parametrize("status", ["not_tested", "not_applicable"])
def test_the_database_refuses_an_untested_mode_without_a_reason(use_case, status):
    rejected(use_case=use_case, status=status, method="", result="", reason="")
    FailureModeTestFactory(use_case=use_case, status=status, method="", result="", reason="No tools are enabled.")


def test_the_database_refuses_an_unknown_mode_or_status(use_case):
    rejected(use_case=use_case, mode="mind_reading")
    rejected(use_case=use_case, status="probably")


def test_validation_names_what_a_tested_mode_lacks(use_case):
    test = FailureModeTest(use_case=use_case, mode="hallucination", status="tested", method=" ", result="")
    with pytest.raises(ValidationError) as error:
        test.full_clean()
    assert set(error.value.message_dict) == {"method", "result"}


def test_it_saves_all_ten_with_history(alice, use_case):
    failure_modes_tested(
        use_case, alice, prompt_injection={"status": "not_applicable", "reason": "No retrieval, no tools."}
    )
    assert use_case.failure_mode_tests.count() == 10
    injection = use_case.failure_mode_tests.get(mode="prompt_injection")
    assert (injection.status, injection.reason, injection.method) == ("not_applicable", "No retrieval, no tools.", "")
    row = injection.history.get()
    assert row.history_user == alice and row.history_change_reason == "Failure-mode tests recorded"


def test_it_saves_only_what_changed_with_the_reason_given(alice, use_case):
    failure_modes_tested(use_case, alice)
    changed = failure_modes_save(
        use_case=use_case,
        user=alice,
        reason="Re-ran the injection suite",
        answers={
            "hallucination": {**_as_answer(use_case, "hallucination")},
            "prompt_injection": {"status": "tested", "method": "Suite v2, 120 cases.", "result": "2 of 120 leaked."},
        },
    )
    assert [t.mode for t in changed] == ["prompt_injection"]
    assert use_case.failure_mode_tests.get(mode="hallucination").history.count() == 1
    latest = use_case.failure_mode_tests.get(mode="prompt_injection").history.first()
    assert latest.history_change_reason == "Re-ran the injection suite" and latest.result == "2 of 120 leaked."


def _as_answer(use_case, mode):
    test = use_case.failure_mode_tests.get(mode=mode)
    return {"status": test.status, "method": test.method, "result": test.result, "reason": test.reason}


def test_switching_to_not_applicable_drops_the_old_method_and_result(alice, use_case):
    failure_modes_tested(use_case, alice)
    failure_modes_save(
        use_case=use_case,
        user=alice,
        answers={"incorrect_code": {"status": "not_applicable", "method": "stale", "reason": "Writes no code."}},
    )
    test = use_case.failure_mode_tests.get(mode="incorrect_code")
    assert (test.method, test.result, test.reason) == ("", "", "Writes no code.")


def test_it_names_every_bad_answer_at_once_and_saves_none(alice, use_case):
    with pytest.raises(ValidationError) as error:
        failure_modes_save(
            use_case=use_case,
            user=alice,
            answers={
                "hallucination": {"status": "tested", "method": "200 samples"},
                "multilingual": {"status": "not_tested"},
                "overconfidence": {"status": "tested", "method": "30 questions", "result": "Fine."},
            },
        )
    assert set(error.value.message_dict) == {"hallucination-result", "multilingual-reason"}
    assert not use_case.failure_mode_tests.exists()


def test_it_refuses_text_over_the_limit(alice, use_case):
    with pytest.raises(ValidationError) as error:
        failure_modes_save(
            use_case=use_case,
            user=alice,
            answers={"hallucination": {"status": "not_tested", "reason": "x" * 2_001}},
        )
    assert "hallucination-reason" in error.value.message_dict


def test_it_refuses_a_mode_the_article_does_not_name(alice, use_case):
    with pytest.raises(ValueError, match="mind_reading"):
        failure_modes_save(use_case=use_case, user=alice, answers={"mind_reading": {"status": "tested"}})


def test_it_refuses_while_the_request_is_in_review(alice, team):
    use_case = complete_use_case(alice)
    submit(use_case)
    with pytest.raises(ValidationError, match="in review"):
        failure_modes_tested(use_case, alice, hallucination={"status": "not_tested", "reason": "Changed my mind."})
    assert use_case.failure_mode_tests.get(mode="hallucination").status == "tested"


def test_it_refuses_anyone_but_the_owners(use_case, bob, charlie):
    for outsider in (bob, charlie):
        with pytest.raises(PermissionDenied):
            failure_modes_tested(use_case, outsider)
    assert not use_case.failure_mode_tests.exists()


def test_a_use_case_starts_with_none(alice):
    assert not UseCaseFactory(user=alice).failure_mode_tests.exists()
