"""Answering a checklist section of the use case page in one save (`checklist_section_answer`), the guidance
beside each item, and "my items" on the use case and sign pages. The sign page answers all of a reviewer's
items in one form: tests/approvals/test_review_checklist.py."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test.utils import CaptureQueriesContext

from checklist.models import Answer, ChecklistItem, ChecklistSection
from checklist.services import answer_record, evidence_add
from tests.approvals.workflow import answer_items, approved_use_case, complete_use_case, submit
from tests.factories import UseCaseFactory

pytestmark = pytest.mark.django_db

HTMX = {"HTTP_HX_REQUEST": "true"}


def item(code: str) -> ChecklistItem:
    return ChecklistItem.objects.get(section__template__version=1, code=code)


def section(title: str) -> ChecklistSection:
    return ChecklistSection.objects.get(template__version=1, title=title)


GOVERNANCE = "Governance and ownership"
DEPLOYMENT = "Deployment and access control"


def url(use_case, title: str) -> str:
    return f"/use-cases/{use_case.reference}/checklist/sections/{section(title).pk}/"


def rows(**by_code) -> dict:
    """Form data: `GOV_1=("yes", "")` answers GOV-1."""
    data = {}
    for code, (response, justification) in by_code.items():
        pk = item(code.replace("_", "-")).pk
        data[f"response-{pk}"], data[f"justification-{pk}"] = response, justification
    return data


@pytest.fixture
def draft(alice):
    return UseCaseFactory(user=alice)


@pytest.fixture
def in_review(alice):
    return submit(complete_use_case(alice))


# --- Saving a section ---------------------------------------------------------------------------------


def test_it_saves_the_sections_answers_and_goes_back_to_the_section(client, alice, draft):
    client.force_login(alice)
    data = {
        **rows(GOV_1=("yes", ""), GOV_4=("partial", "Risk owner signs next week.")),
        "next": draft.get_absolute_url(),
    }
    response = client.post(url(draft, GOVERNANCE), data)
    assert response.status_code == 302
    assert response["Location"] == f"{draft.get_absolute_url()}#section-{section(GOVERNANCE).pk}"
    assert dict(Answer.objects.values_list("item__code", "response")) == {"GOV-1": "yes", "GOV-4": "partial"}
    page = client.get(response["Location"]).text
    assert "Governance and ownership: 2 answers saved (GOV-1, GOV-4)." in page


def test_with_htmx_the_section_comes_back_in_place_with_its_message_and_the_progress(client, alice, draft):
    client.force_login(alice)
    response = client.post(url(draft, GOVERNANCE), rows(GOV_1=("yes", "")), **HTMX)
    assert response.status_code == 200
    body = response.text
    assert "<html" not in body and 'id="main"' not in body
    pk = section(GOVERNANCE).pk
    assert f'id="section-{pk}-status" hx-swap-oob="innerHTML"' in body
    assert "Governance and ownership: 1 answer saved (GOV-1)." in body
    assert 'id="checklist-progress" hx-swap-oob="true"' in body
    assert "1 of 7 of your items answered" in body
    assert f'hx-post="/use-cases/{draft.reference}/checklist/sections/{pk}/"' in body  # the form, ready again
    assert Answer.objects.get().item.code == "GOV-1"


def test_an_invalid_row_saves_nothing_and_keeps_what_was_typed(client, alice, draft):
    client.force_login(alice)
    data = rows(GOV_1=("yes", ""), GOV_4=("no", ""))
    response = client.post(url(draft, GOVERNANCE), {**data, "next": draft.get_absolute_url()})
    assert response.status_code == 400
    assert not Answer.objects.exists()
    body = response.text
    assert "Nothing was saved" in body
    gov4 = item("GOV-4").pk
    assert f'<div class="error" id="errors-{gov4}">GOV-4: Explain any answer other than yes.</div>' in body
    assert f'aria-describedby="errors-{gov4}"' in body
    assert '<option value="no" selected>' in body  # GOV-4's choice is kept
    assert f'href="{draft.get_absolute_url()}#section-{section(GOVERNANCE).pk}"' in body  # back to the page


def test_a_too_long_justification_and_a_missing_response_are_refused_row_by_row(client, alice, draft):
    client.force_login(alice)
    data = rows(GOV_1=("", "We know who they are."), GOV_4=("partial", "x" * 10_001))
    response = client.post(url(draft, GOVERNANCE), data, **HTMX)
    assert response.status_code == 200  # htmx swaps only a success: the errors come back in the fragment
    body = response.text
    assert "GOV-1: Choose an answer." in body
    assert "GOV-4: Keep this to at most 10,000 characters (it has 10,001)." in body
    assert "We know who they are." in body
    assert not Answer.objects.exists()
    assert "answers saved" not in body


def test_unchanged_rows_are_not_written_again(client, alice, draft):
    answer_record(use_case=draft, item=item("GOV-1"), user=alice, response="yes")
    client.force_login(alice)
    response = client.post(url(draft, GOVERNANCE), rows(GOV_1=("yes", ""), GOV_4=("", "")), **HTMX)
    assert "nothing changed, nothing was saved" in response.text
    assert Answer.objects.get().history.count() == 1


def test_the_redirect_stays_on_this_site(client, alice, draft):
    client.force_login(alice)
    response = client.post(url(draft, GOVERNANCE), {**rows(GOV_1=("yes", "")), "next": "//evil.example/"})
    assert response["Location"] == f"{draft.get_absolute_url()}#section-{section(GOVERNANCE).pk}"


def test_get_is_refused(client, alice, draft):
    client.force_login(alice)
    assert client.get(url(draft, GOVERNANCE)).status_code == 405


# --- Who may, and when ---------------------------------------------------------------------------------


def test_an_outsider_gets_404(client, charlie, draft):
    client.force_login(charlie)
    assert client.post(url(draft, GOVERNANCE), rows(GOV_1=("yes", ""))).status_code == 404
    assert not Answer.objects.exists()


def test_a_signoff_sent_along_is_ignored(client, alice, team, in_review):
    """Sections are answered on the use case page only: a sign-off in the post changes nothing."""
    other = submit(complete_use_case(alice, title="Another"))
    client.force_login(team["security"])
    data = {**rows(DEP_2=("yes", "")), "signoff": other.signoffs.get(function="security").pk}
    response = client.post(url(in_review.use_case, DEPLOYMENT), data, **HTMX)
    assert response.status_code == 200
    assert "decision-standing" not in response.text
    assert Answer.objects.get(item__code="DEP-2").use_case == in_review.use_case


def test_a_reviewer_with_no_item_in_the_section_is_refused(client, team, in_review):
    client.force_login(team["privacy"])
    assert client.post(url(in_review.use_case, DEPLOYMENT), {"next": "/"}).status_code == 403


def test_items_of_another_function_in_the_post_are_ignored(client, team, in_review):
    client.force_login(team["legal"])
    data = rows(GOV_2=("yes", ""), GOV_1=("no", "Not the business's view."))
    assert client.post(url(in_review.use_case, GOVERNANCE), data).status_code == 302
    assert Answer.objects.get(item__code="GOV-1").response == "yes"  # the owner's answer stands
    assert Answer.objects.get(item__code="GOV-2").answered_by == team["legal"]


def test_the_owner_cannot_answer_once_the_request_is_in_review(client, alice, in_review):
    client.force_login(alice)
    response = client.post(url(in_review.use_case, GOVERNANCE), rows(GOV_1=("no", "Changed.")))
    assert response.status_code == 403
    assert Answer.objects.get(use_case=in_review.use_case, item__code="GOV-1").response == "yes"


def test_nobody_answers_once_the_round_is_closed(client, alice, team):
    use_case, _ = approved_use_case(alice, team)
    for user in (alice, team["security"]):
        client.force_login(user)
        assert client.post(url(use_case, DEPLOYMENT), rows(DEP_5=("no", "Not monitored."))).status_code == 403


# --- On the sign page ---------------------------------------------------------------------------------


def test_the_sign_page_shows_the_reviewers_open_items_and_progress(client, team, in_review):
    signoff = in_review.signoffs.get(function="legal")
    answer_items(in_review, "legal", team["legal"], only={"GOV-2"})
    client.force_login(team["legal"])
    page = client.get(f"/reviews/{signoff.pk}/").text
    assert "1 of 3 of your items answered" in page
    assert "2 of your 3 items are open" in page
    assert '<a href="#checklist-GOV-3">GOV-3</a>' in page and '<a href="#checklist-DATA-5">DATA-5</a>' in page
    assert "What a “Yes” requires" in page and item("GOV-3").yes_requires in page


# --- Guidance, "my items", queries --------------------------------------------------------------------


def test_the_use_case_page_shows_each_items_guidance(client, alice, draft):
    client.force_login(alice)
    page = client.get(draft.get_absolute_url()).text
    assert page.count('<details class="item-guidance">') == 24
    assert item("DEP-4").evidence_expected in page
    assert "0 of 7 of your items answered" in page


def test_my_items_shows_only_the_items_the_user_answers(client, alice, draft):
    client.force_login(alice)
    page = client.get(f"{draft.get_absolute_url()}?mine=1").text
    assert 'id="checklist-GOV-1"' in page and 'id="checklist-GOV-2"' not in page
    assert page.count('<details class="item-guidance">') == 7
    assert '<input type="hidden" name="mine" value="1">' in page
    assert "Show all items" in page
    assert "Show only my items" in client.get(draft.get_absolute_url()).text


def _page_queries(client, use_case) -> int:
    with CaptureQueriesContext(connection) as queries:
        assert client.get(use_case.get_absolute_url()).status_code == 200
    return len(queries)


def test_the_checklist_renders_in_a_constant_number_of_queries(client, alice):
    use_case = UseCaseFactory(user=alice)
    client.force_login(alice)
    answer_record(use_case=use_case, item=item("GOV-1"), user=alice, response="yes")
    few = _page_queries(client, use_case)
    for code in ("GOV-4", "DATA-1", "SEC-3", "SEC-5", "OPS-2", "OPS-3"):
        answer = answer_record(use_case=use_case, item=item(code), user=alice, response="yes")
        for n in range(2):
            upload = SimpleUploadedFile(f"{code}-{n}.txt", f"evidence {code} {n}".encode())
            evidence_add(answer=answer, user=alice, upload=upload)
    assert _page_queries(client, use_case) == few


def test_the_sign_pages_checklist_renders_in_a_constant_number_of_queries(client, alice, team, in_review):
    signoff = in_review.signoffs.get(function="security")
    client.force_login(team["security"])

    def queries() -> int:
        with CaptureQueriesContext(connection) as captured:
            assert client.get(f"/reviews/{signoff.pk}/").status_code == 200
        return len(captured)

    answer_items(in_review, "security", team["security"], only={"DEP-2"})
    few = queries()
    answer_items(in_review, "security", team["security"], **{"SEC-1": "partial", "OPS-4": "no"})
    for answer in Answer.objects.filter(use_case=in_review.use_case, item__owner_function="security")[:4]:
        upload = SimpleUploadedFile(f"{answer.item.code}.txt", f"evidence {answer.item.code}".encode())
        evidence_add(answer=answer, user=team["security"], upload=upload)
    assert queries() == few


def test_evidence_is_still_attached_item_by_item_beside_the_section_form(client, alice, draft):
    answer_record(use_case=draft, item=item("GOV-1"), user=alice, response="yes")
    client.force_login(alice)
    page = client.get(draft.get_absolute_url()).text
    pk = item("GOV-1").pk
    form = f'<form method="post" action="/use-cases/{draft.reference}/answers/{pk}/evidence/"'
    assert form in page and f'id="evidence-form-{pk}"' in page
    assert f'<input type="file" name="file" id="evidence-{pk}" form="evidence-form-{pk}" required>' in page
    # Not nested in the section's form (a form in a form is not HTML): it follows it.
    section_form_end = page.index("</form>", page.index('class="section-answers"'))
    assert page.index(form) > section_form_end
