"""A reviewer answers all of their function's checklist items in one save on the sign page
(`review_checklist_answer`), across sections: who may, when, and what comes back."""

import pytest
from django.core.exceptions import PermissionDenied
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test.utils import CaptureQueriesContext

from approvals.services import WorkflowRefused, signoff_answers_record
from checklist.models import Answer, ChecklistItem
from checklist.services import evidence_add
from tests.approvals.workflow import answer_items, approved_use_case, complete_use_case, sign, submit

pytestmark = pytest.mark.django_db

HTMX = {"HTTP_HX_REQUEST": "true"}
LEGAL_CODES = ["GOV-2", "GOV-3", "DATA-5"]  # the legal items: two in Governance, one in Data protection


def item(code: str) -> ChecklistItem:
    return ChecklistItem.objects.get(section__template__version=1, code=code)


def rows(**by_code) -> dict:
    """Form data: `GOV_2=("yes", "")` answers GOV-2."""
    data = {}
    for code, (response, justification) in by_code.items():
        pk = item(code.replace("_", "-")).pk
        data[f"response-{pk}"], data[f"justification-{pk}"] = response, justification
    return data


ALL_THREE = {"GOV_2": ("yes", ""), "GOV_3": ("partial", "Users are not told yet."), "DATA_5": ("yes", "")}


@pytest.fixture
def in_review(alice):
    return submit(complete_use_case(alice))


@pytest.fixture
def legal(in_review):
    return in_review.signoffs.get(function="legal")


def url(signoff) -> str:
    return f"/reviews/{signoff.pk}/checklist/"


def legal_answers(use_case) -> dict[str, str]:
    return dict(
        Answer.objects.filter(use_case=use_case, item__owner_function="legal").values_list("item__code", "response")
    )


# --- The sign page ------------------------------------------------------------------------------------


def test_the_sign_page_holds_the_reviewers_items_in_one_form_across_sections(client, team, legal):
    client.force_login(team["legal"])
    page = client.get(f"/reviews/{legal.pk}/").text
    assert page.count('class="checklist-answers"') == 1
    assert 'class="section-answers"' not in page and "/checklist/sections/" not in page
    start = page.index(f'<form method="post" action="/reviews/{legal.pk}/checklist/"')
    end = page.index("</form>", start)
    form = page[start:end]
    assert f'hx-post="/reviews/{legal.pk}/checklist/"' in form
    assert "<h3>Governance and ownership</h3>" in form and "<h3>Data protection</h3>" in form
    for code in LEGAL_CODES:
        assert f"Answer to {code}</label>" in form and f"Justification for {code}</label>" in form
    assert form.count('type="submit"') == 1 and "Save all answers" in form
    assert 'id="checklist-status" aria-live="polite"' in page


def test_evidence_forms_follow_the_answers_form(client, team, in_review, legal):
    answer_items(in_review, "legal", team["legal"], only={"GOV-2"})
    client.force_login(team["legal"])
    page = client.get(f"/reviews/{legal.pk}/").text
    pk = item("GOV-2").pk
    evidence = f'<form method="post" action="/use-cases/{in_review.use_case.reference}/answers/{pk}/evidence/"'
    assert f'<input type="file" name="file" id="evidence-{pk}" form="evidence-form-{pk}" required>' in page
    answers_end = page.index("</form>", page.index('class="checklist-answers"'))
    assert page.index(evidence) > answers_end  # not nested: a form in a form is not HTML


def test_a_decided_signoff_shows_its_items_without_a_form(client, team, in_review, legal):
    sign(in_review, "legal", team["legal"])
    client.force_login(team["legal"])
    page = client.get(f"/reviews/{legal.pk}/").text
    assert 'class="checklist-answers"' not in page and 'class="section-answers"' not in page
    assert "The Legal sign-off is already decided" in page
    assert 'id="checklist-GOV-2"' in page


def test_others_see_the_items_without_a_form(client, alice, team, legal):
    for user in (team["privacy"], alice):
        client.force_login(user)
        page = client.get(f"/reviews/{legal.pk}/").text
        assert 'id="checklist-DATA-5"' in page
        assert "<form" not in page[page.index('id="checklist"') : page.index('id="failure-modes"')]


# --- Saving -------------------------------------------------------------------------------------------


def test_with_htmx_one_save_answers_every_section_and_the_decision_follows(client, team, in_review, legal):
    client.force_login(team["legal"])
    response = client.post(url(legal), rows(**ALL_THREE), **HTMX)
    assert response.status_code == 200
    assert legal_answers(in_review.use_case) == {"GOV-2": "yes", "GOV-3": "partial", "DATA-5": "yes"}
    body = response.text
    assert "<html" not in body and 'id="main"' not in body
    assert '<div id="checklist-status" hx-swap-oob="innerHTML">' in body
    assert "Your Legal items: 3 answers saved (GOV-2, GOV-3, DATA-5)." in body
    assert 'id="checklist-progress" hx-swap-oob="true"' in body and "3 of 3 of your items answered" in body
    assert '<div id="decision-standing" hx-swap-oob="true">' in body
    assert 'id="decision-choices" hx-swap-oob="true"' in body
    assert "Approve with conditions" in body and 'value="approve"' not in body  # GOV-3 falls short
    assert f'hx-post="/reviews/{legal.pk}/checklist/"' in body  # the form, ready again
    assert body.count('class="checklist-section"') == 2


def test_without_htmx_it_saves_and_goes_back_to_the_sign_page(client, team, in_review, legal):
    client.force_login(team["legal"])
    response = client.post(url(legal), {**rows(**ALL_THREE), "next": "//evil.example/"})
    assert response.status_code == 302
    assert response["Location"] == f"/reviews/{legal.pk}/#checklist"
    assert len(legal_answers(in_review.use_case)) == 3
    page = client.get(response["Location"]).text
    assert "Your Legal items: 3 answers saved (GOV-2, GOV-3, DATA-5)." in page
    assert "3 of 3 of your items answered" in page


def test_an_invalid_row_saves_nothing_and_keeps_what_was_typed(client, team, in_review, legal):
    client.force_login(team["legal"])
    data = rows(GOV_2=("yes", ""), GOV_3=("no", ""), DATA_5=("partial", "Retention is not agreed yet."))
    response = client.post(url(legal), data)
    assert response.status_code == 400
    assert not legal_answers(in_review.use_case)
    body = response.text
    assert "Nothing was saved" in body and '<a href="#checklist-GOV-3">GOV-3</a> needs attention' in body
    gov3 = item("GOV-3").pk
    assert f'<div class="error" id="errors-{gov3}">GOV-3: Explain any answer other than yes.</div>' in body
    assert f'aria-describedby="errors-{gov3}"' in body
    assert '<option value="no" selected>' in body and "Retention is not agreed yet." in body
    assert f'href="/reviews/{legal.pk}/#checklist"' in body  # back to the sign page
    assert 'class="checklist-answers"' in body  # the form again, to correct: it posts this page (nothing to swap)
    assert "hx-post" not in body


def test_with_htmx_the_errors_come_back_in_place(client, team, in_review, legal):
    client.force_login(team["legal"])
    data = rows(GOV_2=("", "We know."), GOV_3=("partial", "x" * 10_001), DATA_5=("yes", ""))
    response = client.post(url(legal), data, **HTMX)
    assert response.status_code == 200  # htmx swaps only a success: the errors come back in the fragment
    body = response.text
    assert "GOV-2: Choose an answer." in body
    assert "GOV-3: Keep this to at most 10,000 characters (it has 10,001)." in body
    assert "We know." in body
    assert "answers saved" not in body
    assert not legal_answers(in_review.use_case)
    assert "3 of your 3 items are open" in body  # the decision's standing, unchanged


def test_unchanged_rows_are_not_written_again(client, team, in_review, legal):
    answer_items(in_review, "legal", team["legal"], only={"GOV-2"})
    client.force_login(team["legal"])
    response = client.post(url(legal), rows(GOV_2=("yes", ""), GOV_3=("", ""), DATA_5=("", "")), **HTMX)
    assert "Your Legal items: nothing changed, nothing was saved." in response.text
    answer = Answer.objects.get(use_case=in_review.use_case, item__code="GOV-2")
    assert answer.history.count() == 1
    response = client.post(url(legal), rows(GOV_2=("yes", ""), DATA_5=("yes", "")), **HTMX)
    assert "1 answer saved (DATA-5)" in response.text
    assert answer.history.count() == 1


def test_items_of_another_function_in_the_post_are_ignored(client, team, in_review, legal):
    client.force_login(team["legal"])
    data = rows(GOV_2=("yes", ""), GOV_1=("no", "Not the business's view."), DATA_1=("no", "Nor privacy's."))
    assert client.post(url(legal), data).status_code == 302
    assert Answer.objects.get(use_case=in_review.use_case, item__code="GOV-1").response == "yes"  # the owner's
    assert not Answer.objects.filter(use_case=in_review.use_case, item__code="DATA-1", response="no").exists()
    assert legal_answers(in_review.use_case) == {"GOV-2": "yes"}


def test_get_is_refused(client, team, legal):
    client.force_login(team["legal"])
    assert client.get(url(legal)).status_code == 405


# --- Who may ------------------------------------------------------------------------------------------


def test_an_outsider_gets_404(client, charlie, in_review, legal):
    client.force_login(charlie)
    assert client.post(url(legal), rows(**ALL_THREE)).status_code == 404
    assert client.post("/reviews/987654321/checklist/", rows(**ALL_THREE)).status_code == 404
    assert not legal_answers(in_review.use_case)


def test_a_reviewer_of_another_function_is_refused(client, team, in_review, legal):
    client.force_login(team["privacy"])
    response = client.post(url(legal), rows(**ALL_THREE))
    assert response.status_code == 403
    assert "Only members of Legal" in response.text
    assert not legal_answers(in_review.use_case)


def test_the_owner_is_refused(client, alice, in_review, legal):
    client.force_login(alice)
    assert client.post(url(legal), rows(**ALL_THREE)).status_code == 403
    assert not legal_answers(in_review.use_case)


# --- When ---------------------------------------------------------------------------------------------


def test_a_returned_round_is_refused(client, team, in_review, legal):
    """Changes were requested: the use case is back with its owners, the round is closed."""
    sign(in_review, "legal", team["legal"], decision="request_changes", comment="Not yet.")
    client.force_login(team["legal"])
    response = client.post(url(legal), rows(GOV_2=("no", "Changed my mind.")))
    assert response.status_code == 403
    assert "its checklist is closed" in response.text
    assert not legal_answers(in_review.use_case)


def test_a_signoff_decided_in_an_open_round_is_refused(client, team, in_review, legal):
    sign(in_review, "legal", team["legal"])  # legal approved; the other functions are still pending
    client.force_login(team["legal"])
    response = client.post(url(legal), rows(GOV_2=("no", "Changed my mind.")))
    assert response.status_code == 403
    assert "The Legal sign-off is already decided" in response.text
    assert Answer.objects.get(use_case=in_review.use_case, item__code="GOV-2").response == "yes"


def test_a_closed_round_is_refused(client, alice, team):
    use_case, round = approved_use_case(alice, team)
    client.force_login(team["legal"])
    response = client.post(url(round.signoffs.get(function="legal")), rows(GOV_2=("no", "Too late.")))
    assert response.status_code == 403
    assert "This round is approved: its checklist is closed." in response.text
    assert Answer.objects.get(use_case=use_case, item__code="GOV-2").response == "yes"


def test_with_htmx_a_refusal_reloads_the_sign_page_and_says_why(client, team, in_review, legal):
    client.force_login(team["legal"])
    page = client.get(f"/reviews/{legal.pk}/").text
    assert 'class="checklist-answers"' in page  # loaded while the sign-off was pending
    sign(in_review, "legal", team["legal"])
    response = client.post(url(legal), rows(GOV_2=("no", "Changed my mind.")), **HTMX)
    assert response.status_code == 403
    assert response["HX-Redirect"] == f"/reviews/{legal.pk}/"
    page = client.get(response["HX-Redirect"]).text
    assert "Nothing was saved: The Legal sign-off is already decided" in page


# --- The service --------------------------------------------------------------------------------------


def test_the_service_checks_the_signoff_again_under_its_lock(team, in_review, legal):
    stale = legal  # read while pending
    sign(in_review, "legal", team["legal"])
    with pytest.raises(WorkflowRefused, match="already decided"):
        signoff_answers_record(signoff=stale, user=team["legal"], answers={item("GOV-2"): ("no", "Changed.")})
    assert Answer.objects.get(use_case=in_review.use_case, item__code="GOV-2").response == "yes"


def test_the_service_answers_only_the_signoffs_function(team, in_review, legal):
    with pytest.raises(WorkflowRefused, match="DATA-1 is not among the Legal items"):
        signoff_answers_record(
            signoff=legal, user=team["legal"], answers={item("GOV-2"): ("yes", ""), item("DATA-1"): ("yes", "")}
        )
    assert not legal_answers(in_review.use_case)


def test_the_service_refuses_someone_who_does_not_answer_the_items(alice, in_review, legal):
    with pytest.raises(PermissionDenied):
        signoff_answers_record(signoff=legal, user=alice, answers={item("GOV-2"): ("yes", "")})


# --- Queries ------------------------------------------------------------------------------------------


def test_the_save_runs_in_a_constant_number_of_queries(client, team, in_review, legal):
    """However many answers and files the function's items already have, a save that changes nothing costs the
    same: the checklist and the decision come back in a fixed number of queries."""
    client.force_login(team["legal"])

    def queries(data) -> int:
        with CaptureQueriesContext(connection) as captured:
            response = client.post(url(legal), data, **HTMX)
        assert "nothing changed" in response.text
        return len(captured)

    answer_items(in_review, "legal", team["legal"], only={"GOV-2"})
    few = queries(rows(GOV_2=("yes", "")))
    answer_items(in_review, "legal", team["legal"], **{"GOV-3": "partial"})
    for answer in Answer.objects.filter(use_case=in_review.use_case, item__owner_function="legal"):
        for n in range(2):
            upload = SimpleUploadedFile(f"{answer.item.code}-{n}.txt", f"evidence {answer.item.code} {n}".encode())
            evidence_add(answer=answer, user=team["legal"], upload=upload)
    many = rows(GOV_2=("yes", ""), GOV_3=("partial", "GOV-3: see the review notes."), DATA_5=("yes", ""))
    assert queries(many) == few
