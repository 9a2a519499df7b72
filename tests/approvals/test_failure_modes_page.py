"""Question 4 through the workflow: the page owners fill, the gaps before submission, the frozen copy,
the round diff, the review pages and the approval record."""

import pytest
from django.db import connection
from django.template.loader import render_to_string
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from approvals.completeness import completeness_gaps, current_template
from approvals.diff import snapshot_diff
from approvals.documents.records import TEMPLATE, approval_record_render, record_context
from governance.failure_modes import FailureMode
from governance.models import FailureModeTest
from governance.services import failure_modes_save
from tests.approvals.test_records import pdf_text
from tests.approvals.workflow import approve_all, complete_use_case, sign, submit
from tests.factories import UseCaseFactory, failure_modes_tested

pytestmark = pytest.mark.django_db


def page(use_case):
    return reverse("use_case_failure_modes", args=[use_case.reference])


def all_ten(**overrides) -> dict[str, str]:
    """A POST answering every mode as tested; `overrides` are raw form fields."""
    data = {}
    for mode in FailureMode.values:
        data[f"{mode}-status"] = "tested"
        data[f"{mode}-method"] = f"Harness run for {mode}, 100 prompts."
        data[f"{mode}-result"] = f"Nothing above threshold for {mode}."
    return {**data, "change_reason": "First test campaign", **overrides}


# --- The page ---------------------------------------------------------------------------------------


def test_it_shows_the_ten_modes_with_the_item_each_backs(client, alice, use_case):
    client.force_login(alice)
    response = client.get(page(use_case))
    assert response.status_code == 200
    body = response.content.decode()
    for mode, label in FailureMode.choices:
        assert f'id="failure-mode-{mode}"' in body and label in body
    assert "backs SEC-2" in body and 'maxlength="10000"' in body


def test_it_saves_all_ten_at_once(client, alice, use_case):
    client.force_login(alice)
    data = all_ten(
        **{
            "incorrect_code-status": "not_applicable",
            "incorrect_code-reason": "The model writes no code here.",
            "incorrect_code-method": "",
            "incorrect_code-result": "",
        }
    )
    response = client.post(page(use_case), data)
    assert response.status_code == 302 and response.url == page(use_case)
    assert use_case.failure_mode_tests.count() == 10
    code = use_case.failure_mode_tests.get(mode="incorrect_code")
    assert (code.status, code.reason) == ("not_applicable", "The model writes no code here.")
    assert code.history.get().history_change_reason == "First test campaign"
    assert not [g for g in completeness_gaps(use_case, current_template()) if g.place == "failure_modes"]


def test_bad_input_is_a_400_naming_the_field_not_a_500(client, alice, use_case):
    client.force_login(alice)
    data = {
        "hallucination-status": "tested",
        "hallucination-method": "x" * 10_001,
        "prompt_injection-status": "not_tested",
        "multilingual-status": "maybe",
    }
    response = client.post(page(use_case), data)
    assert response.status_code == 400
    errors = response.context["form"].errors
    assert set(errors) == {
        "hallucination-method",
        "hallucination-result",
        "prompt_injection-reason",
        "multilingual-status",
    }
    assert not FailureModeTest.objects.exists()


def test_an_empty_save_is_refused(client, alice, use_case):
    client.force_login(alice)
    response = client.post(page(use_case), {"change_reason": "nothing"})
    assert response.status_code == 400 and "at least one failure mode" in response.content.decode()


def test_outsiders_get_404(client, charlie, use_case):
    client.force_login(charlie)
    assert client.get(page(use_case)).status_code == 404
    assert client.post(page(use_case), all_ten()).status_code == 404
    assert not FailureModeTest.objects.exists()


def test_it_is_read_only_once_submitted(client, alice, bob, team):
    use_case = complete_use_case(alice)
    submit(use_case)
    client.force_login(alice)
    assert client.post(page(use_case), all_ten()).status_code == 403
    assert "disabled" in client.get(page(use_case)).content.decode()
    client.force_login(bob)  # the security reviewer reads them
    response = client.get(page(use_case))
    assert response.status_code == 200 and "Save all ten" not in response.content.decode()


def test_the_page_runs_the_same_queries_for_none_and_ten(client, alice):
    def queries(use_case):
        client.force_login(alice)
        with CaptureQueriesContext(connection) as ctx:
            assert client.get(page(use_case)).status_code == 200
        return len(ctx)

    empty = UseCaseFactory(user=alice)
    full = UseCaseFactory(user=alice)
    failure_modes_tested(full, alice)
    assert queries(empty) == queries(full)


# --- Completeness -----------------------------------------------------------------------------------


def test_each_unanswered_mode_is_a_gap_linking_to_its_field(client, alice):
    use_case = complete_use_case(alice)
    use_case.failure_mode_tests.filter(mode__in=["poor_refusal", "overconfidence"]).delete()
    gaps = [g for g in completeness_gaps(use_case, current_template()) if g.place == "failure_modes"]
    assert [g.anchor for g in gaps] == ["failure-mode-poor_refusal", "failure-mode-overconfidence"]
    client.force_login(alice)
    body = client.get(reverse("use_case_submit", args=[use_case.reference])).content.decode()
    assert f'href="{page(use_case)}#failure-mode-poor_refusal"' in body


# --- Snapshot, diff, review pages -------------------------------------------------------------------


def test_the_snapshot_freezes_the_ten_in_the_articles_order(alice, team):
    use_case = complete_use_case(alice)
    failure_modes_save(
        use_case=use_case,
        user=alice,
        answers={"multilingual": {"status": "not_tested", "reason": "Korean set still running."}},
    )
    round = submit(use_case)
    frozen = round.snapshot["failure_modes"]
    assert [t["mode"] for t in frozen] == FailureMode.values
    multilingual = frozen[FailureMode.values.index("multilingual")]
    assert multilingual == {
        "mode": "multilingual",
        "label": "Weak multilingual accuracy",
        "status": "not_tested",
        "method": "",
        "result": "",
        "reason": "Korean set still running.",
        "evidences": "SEC-3",
    }


def test_the_round_diff_names_changed_modes_in_words(alice, team):
    use_case = complete_use_case(alice)
    first = submit(use_case)
    sign(first, "legal", team["legal"], "request_changes", comment="Re-run the injection suite.")
    failure_modes_save(
        use_case=use_case,
        user=alice,
        answers={
            "prompt_injection": {"status": "tested", "method": "Suite v2, 120 cases.", "result": "2 of 120 leaked."},
            "overconfidence": {"status": "not_applicable", "reason": "A person reads every summary."},
        },
    )
    second = submit(use_case)
    diff = snapshot_diff(first.snapshot, second.snapshot)
    section = next(s for s in diff.sections if s.title == "Failure modes (question 4)")
    rows = {r.label: (r.before, r.after, r.kind) for r in section.rows}
    assert rows["Failure mode: Prompt injection exposure, what was found"][1:] == ("2 of 120 leaked.", "changed")
    assert rows["Failure mode: Overconfident answers in high-risk workflows, status"][:2] == (
        "Tested",
        "Not applicable",
    )
    assert rows["Failure mode: Overconfident answers in high-risk workflows, why not"][1] == (
        "A person reads every summary."
    )
    assert not any(label.startswith("Failure mode: Hallucination") for label in rows)


def test_a_snapshot_from_before_question_4_compares_without_error(alice, team):
    round = submit(complete_use_case(alice))
    older = {key: value for key, value in round.snapshot.items() if key != "failure_modes"}
    section = next(s for s in snapshot_diff(older, round.snapshot).sections if s.title.startswith("Failure"))
    assert len(section.rows) == 10 and {r.kind for r in section.rows} == {"added"}


def test_the_security_reviewer_sees_the_answers_next_to_the_items_they_back(client, alice, bob, team):
    use_case = complete_use_case(alice)
    failure_modes_save(
        use_case=use_case,
        user=alice,
        answers={"prompt_injection": {"status": "tested", "method": "Canary suite.", "result": "3 of 80 obeyed."}},
    )
    round = submit(use_case)
    # A later change to the live row does not reach the frozen copy the reviewer signs.
    FailureModeTest.objects.filter(use_case=use_case, mode="prompt_injection").update(result="Edited later.")
    client.force_login(bob)
    body = client.get(reverse("review_sign", args=[round.signoffs.get(function="security").pk])).content.decode()
    sec2 = body[body.index('id="checklist-SEC-2"') :]
    sec2 = sec2[: sec2.index("</tr>")]
    assert "Prompt injection exposure" in sec2 and "3 of 80 obeyed." in sec2
    assert "Sensitive data leakage through prompts or retrieval" in sec2
    assert "Edited later." not in body
    assert "Failure modes (question 4) as submitted" in body
    detail = client.get(use_case.get_absolute_url()).content.decode()
    sec1 = detail[detail.index('id="checklist-SEC-1"') :]
    assert "Poor refusal behaviour" in sec1[: sec1.index("</tr>")]


# --- The record -------------------------------------------------------------------------------------


def test_the_record_prints_the_failure_mode_table(alice, team):
    use_case = complete_use_case(alice)
    failure_modes_save(
        use_case=use_case,
        user=alice,
        answers={
            "incorrect_code": {"status": "not_applicable", "reason": "Summaries only; <b>no code</b> is written."},
            "hallucination": {
                "status": "tested",
                "method": "HaluEval-style set, 250 tickets.",
                "result": "4 of 250 invented a product name.",
            },
        },
    )
    round = submit(use_case)
    approve_all(round, team)
    text = pdf_text(approval_record_render(round_id=round.pk))
    assert "Failure modes tested (question 4)" in text
    assert "MODE STATUS METHOD RESULT" in text  # the record's style sets table heads in capitals
    assert "HaluEval-style set, 250 tickets." in text and "4 of 250 invented a product name." in text
    assert "Incorrect code generation" in text and "Not applicable" in text
    assert "Summaries only; <b>no code</b> is written." in text  # escaped, shown as typed


def test_the_record_of_a_round_frozen_before_question_4_says_so(alice, team):
    round = submit(complete_use_case(alice))
    approve_all(round, team)
    round.refresh_from_db()
    del round.snapshot["failure_modes"]  # in memory only: frozen snapshots cannot be changed
    context = record_context(round)
    assert context["failure_modes"] == []
    html = render_to_string(TEMPLATE, context)
    assert "No failure-mode tests were recorded with this request." in html
