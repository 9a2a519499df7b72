"""The review pages: each loads and authorizes (outsiders get 404), refuses GET for changes, and calls
its service."""

import pytest
from django.contrib.auth.models import Group
from django.db import connection
from django.test.utils import CaptureQueriesContext

from approvals.models import ApprovalEvent, ApprovalRequest, SignOff
from checklist.models import Answer, ChecklistItem
from governance.models import UseCase
from governance.roles import Function, Role
from tests.approvals.workflow import answer_items, approved_use_case, complete_use_case, condition_row, submit
from tests.factories import UseCaseFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def round(alice):
    return submit(complete_use_case(alice))


def signoff_url(round, function):
    return f"/reviews/{round.signoffs.get(function=function).pk}/"


# --- The review queue -----------------------------------------------------------------------------


def test_the_queue_lists_my_functions_pending_signoffs_oldest_first(client, alice, team, round):
    later = submit(complete_use_case(alice, title="Second request"))
    client.force_login(team["security"])
    body = client.get("/reviews/").text
    first, second = round.use_case.reference, later.use_case.reference
    assert first in body and second in body
    assert body.index(first) < body.index(second)


def test_the_queue_omits_decided_signoffs_and_other_functions(client, alice, team, round):
    answer_items(round, "security", team["security"])
    client.force_login(team["security"])
    client.post(signoff_url(round, "security"), {"decision": "approve"})
    client.get("/reviews/")  # shows the success message once
    assert round.use_case.reference not in client.get("/reviews/").text
    client.force_login(team["compliance"])
    assert round.use_case.reference not in client.get("/reviews/").text


def test_a_business_owner_has_an_empty_queue(client, alice, round):
    client.force_login(alice)
    response = client.get("/reviews/")
    assert response.status_code == 200
    assert "Nothing is waiting for you" in response.text


def queue_queries(client):
    client.get("/reviews/")
    with CaptureQueriesContext(connection) as ctx:
        assert client.get("/reviews/").status_code == 200
    return len(ctx.captured_queries)


def test_the_queue_runs_the_same_queries_for_5_and_50_pending_signoffs(client, alice, team):
    client.force_login(team["security"])
    for _ in range(5):
        submit(complete_use_case(alice))
    five = queue_queries(client)
    for _ in range(45):
        submit(complete_use_case(alice))
    assert SignOff.objects.filter(function="security", decision="pending").count() == 50
    assert queue_queries(client) == five
    assert five <= 12


# --- Submitting -----------------------------------------------------------------------------------


def test_the_submit_page_names_every_gap_and_changes_nothing(client, alice):
    use_case = UseCaseFactory(user=alice)
    client.force_login(alice)
    response = client.get(f"/use-cases/{use_case.reference}/submit/")
    assert response.status_code == 200
    assert "Record at least one risk." in response.text
    assert "Give the approved purpose." in response.text
    # Each gap links where it is fixed: the risk register, the form field, the checklist item.
    assert f'href="/use-cases/{use_case.reference}/risks/"' in response.text
    assert f'href="/use-cases/{use_case.reference}/edit/#approved_purpose"' in response.text
    assert f'href="/use-cases/{use_case.reference}/#checklist-GOV-1"' in response.text
    assert UseCase.objects.get(pk=use_case.pk).status == UseCase.Status.DRAFT


def test_the_submit_page_explains_routing(client, alice):
    use_case = complete_use_case(alice, residual=(3, 4))
    client.force_login(alice)
    body = client.get(f"/use-cases/{use_case.reference}/submit/").text
    assert "Highest residual risk is high (12)" in body
    assert "Submit for review" in body


def test_posting_submit_opens_a_round(client, alice):
    use_case = complete_use_case(alice)
    client.force_login(alice)
    response = client.post(f"/use-cases/{use_case.reference}/submit/")
    assert response.status_code == 302
    assert ApprovalRequest.objects.get(use_case=use_case).number == 1
    assert UseCase.objects.get(pk=use_case.pk).status == UseCase.Status.IN_REVIEW


def test_posting_an_incomplete_submit_keeps_the_draft(client, alice):
    use_case = UseCaseFactory(user=alice)
    client.force_login(alice)
    response = client.post(f"/use-cases/{use_case.reference}/submit/", follow=True)
    assert "is not complete yet" in response.text
    assert not ApprovalRequest.objects.exists()


def test_a_reviewer_cannot_submit(client, alice, bob):
    """A draft never submitted is its owners' alone: the reviewer does not even learn it exists."""
    use_case = complete_use_case(alice)
    client.force_login(bob)
    response = client.post(f"/use-cases/{use_case.reference}/submit/")
    assert response.status_code == 404
    assert use_case.title not in response.text
    assert not ApprovalRequest.objects.exists()


def test_an_outsider_gets_404_on_submit(client, alice, charlie):
    use_case = complete_use_case(alice)
    client.force_login(charlie)
    assert client.get(f"/use-cases/{use_case.reference}/submit/").status_code == 404
    assert client.post(f"/use-cases/{use_case.reference}/submit/").status_code == 404


def test_submitting_twice_is_refused(client, alice, round):
    client.force_login(alice)
    response = client.post(f"/use-cases/{round.use_case.reference}/submit/")
    assert response.status_code == 403
    assert ApprovalRequest.objects.count() == 1


# --- Signing --------------------------------------------------------------------------------------


def test_a_reviewer_sees_the_frozen_request_and_signs(client, team, round):
    answer_items(round, "legal", team["legal"])
    client.force_login(team["legal"])
    url = signoff_url(round, "legal")
    page = client.get(url)
    assert page.status_code == 200
    assert round.snapshot_sha256 in page.text
    response = client.post(
        url, {"decision": "approve_with_conditions", **condition_row("EU hosting only", round), "comment": "OK"}
    )
    assert response.status_code == 302
    signoff = round.signoffs.get(function="legal")
    assert signoff.decision == SignOff.Decision.APPROVE_WITH_CONDITIONS
    assert signoff.signed_by == team["legal"]


def test_a_decision_missing_its_comment_is_shown_next_to_the_field(client, team, round):
    client.force_login(team["legal"])
    response = client.post(signoff_url(round, "legal"), {"decision": "reject", "comment": ""})
    assert response.status_code == 400
    assert "a comment is required" in response.text
    assert round.signoffs.get(function="legal").is_pending


def test_get_never_signs(client, team, round):
    client.force_login(team["legal"])
    client.get(signoff_url(round, "legal") + "?decision=approve")
    assert round.signoffs.get(function="legal").is_pending


def test_an_owner_cannot_sign_their_own_request(client, alice, round):
    alice.groups.add(Group.objects.get(name=Role.LEGAL))
    client.force_login(alice)
    response = client.post(signoff_url(round, "legal"), {"decision": "approve"})
    assert response.status_code == 403
    assert "Owners and the submitter" in response.text
    assert round.signoffs.get(function="legal").is_pending


def test_another_functions_reviewer_cannot_sign(client, team, round):
    client.force_login(team["privacy"])
    response = client.post(signoff_url(round, "legal"), {"decision": "approve"})
    assert response.status_code == 403
    assert round.signoffs.get(function="legal").is_pending


def test_an_outsider_gets_404_on_a_signoff(client, charlie, round):
    client.force_login(charlie)
    assert client.get(signoff_url(round, "legal")).status_code == 404
    assert client.post(signoff_url(round, "legal"), {"decision": "approve"}).status_code == 404


def test_a_closed_round_cannot_be_signed(client, team, round):
    client.force_login(team["legal"])
    client.post(signoff_url(round, "legal"), {"decision": "reject", "comment": "Licence forbids this use."})
    client.force_login(team["privacy"])
    response = client.post(signoff_url(round, "privacy"), {"decision": "approve"})
    assert response.status_code == 403
    assert ApprovalRequest.objects.get(pk=round.pk).status == ApprovalRequest.Status.REJECTED


def test_a_critical_round_offers_no_approval(client, alice, team):
    round = submit(complete_use_case(alice, residual=(5, 4)))
    client.force_login(team["legal"])
    page = client.get(signoff_url(round, "legal")).text
    assert 'value="approve"' not in page
    assert 'value="reject"' in page
    response = client.post(signoff_url(round, "legal"), {"decision": "approve"})
    assert response.status_code == 400
    assert round.signoffs.get(function="legal").is_pending


def test_a_reviewer_takes_a_signoff(client, team, round):
    client.force_login(team["legal"])
    assert client.post(f"{signoff_url(round, 'legal')}take/").status_code == 302
    assert round.signoffs.get(function="legal").assignee == team["legal"]
    client.force_login(team["privacy"])
    assert client.post(f"{signoff_url(round, 'legal')}take/").status_code == 403


def test_take_refuses_get(client, team, round):
    client.force_login(team["legal"])
    assert client.get(f"{signoff_url(round, 'legal')}take/").status_code == 405


# --- Withdraw and revoke --------------------------------------------------------------------------


def test_an_owner_withdraws_with_a_reason(client, alice, round):
    client.force_login(alice)
    url = f"/use-cases/{round.use_case.reference}/withdraw/"
    assert client.get(url).status_code == 200  # the confirmation page
    assert client.post(url, {"reason": ""}).status_code == 400
    assert UseCase.objects.get(pk=round.use_case_id).status == UseCase.Status.IN_REVIEW
    client.post(url, {"reason": "Budget moved to next year"})
    assert UseCase.objects.get(pk=round.use_case_id).status == UseCase.Status.WITHDRAWN
    assert ApprovalEvent.objects.filter(verb="withdrawn", data__reason="Budget moved to next year").exists()


def test_a_reviewer_cannot_withdraw(client, bob, round):
    client.force_login(bob)
    assert client.post(f"/use-cases/{round.use_case.reference}/withdraw/", {"reason": "x"}).status_code == 403


def test_an_executive_revokes_an_approval(client, alice, team):
    use_case, _ = approved_use_case(alice, team)
    client.force_login(team["executive"])
    url = f"/use-cases/{use_case.reference}/revoke/"
    assert client.get(url).status_code == 200  # the confirmation page
    assert client.post(url, {"reason": "Vendor exited the market"}).status_code == 302
    assert UseCase.objects.get(pk=use_case.pk).status == UseCase.Status.REVOKED


def test_a_reviewer_cannot_revoke(client, alice, team):
    use_case, _ = approved_use_case(alice, team)
    client.force_login(team["legal"])
    assert client.post(f"/use-cases/{use_case.reference}/revoke/", {"reason": "x"}).status_code == 403
    assert UseCase.objects.get(pk=use_case.pk).is_approved


def test_revoking_a_draft_is_refused(client, alice):
    use_case = UseCaseFactory(user=alice)
    client.force_login(alice)
    assert client.post(f"/use-cases/{use_case.reference}/revoke/", {"reason": "x"}).status_code == 403


# --- Checklist answers ----------------------------------------------------------------------------


def item(code):
    return ChecklistItem.objects.get(code=code, section__template__version=1)


def test_an_owner_answers_a_business_item(client, alice):
    use_case = UseCaseFactory(user=alice)
    client.force_login(alice)
    url = f"/use-cases/{use_case.reference}/answers/{item('GOV-1').pk}/"
    assert client.post(url, {"response": "yes"}).status_code == 302
    assert Answer.objects.get(use_case=use_case).answered_by == alice


def test_an_answer_other_than_yes_needs_a_justification(client, alice):
    use_case = UseCaseFactory(user=alice)
    client.force_login(alice)
    url = f"/use-cases/{use_case.reference}/answers/{item('GOV-1').pk}/"
    response = client.post(url, {"response": "no"}, follow=True)
    assert "Explain any answer other than yes" in response.text
    assert not Answer.objects.exists()


def test_an_owner_cannot_answer_a_security_item(client, alice):
    use_case = UseCaseFactory(user=alice)
    client.force_login(alice)
    assert (
        client.post(f"/use-cases/{use_case.reference}/answers/{item('DEP-2').pk}/", {"response": "yes"}).status_code
        == 403
    )


def test_the_security_reviewer_answers_during_review(client, team, round):
    client.force_login(team["security"])
    url = f"/use-cases/{round.use_case.reference}/answers/{item('DEP-2').pk}/"
    response = client.post(
        url, {"response": "partial", "justification": "SSO for users; service account shared", "next": "/reviews/"}
    )
    assert response["Location"] == "/reviews/"
    assert Answer.objects.get(item__code="DEP-2").answered_by == team["security"]


def test_the_answer_redirect_stays_on_this_site(client, alice):
    use_case = UseCaseFactory(user=alice)
    client.force_login(alice)
    url = f"/use-cases/{use_case.reference}/answers/{item('GOV-1').pk}/"
    response = client.post(url, {"response": "yes", "next": "//evil.example/"})
    assert response["Location"] == use_case.get_absolute_url()


def test_an_outsider_cannot_answer(client, alice, charlie):
    use_case = UseCaseFactory(user=alice)
    client.force_login(charlie)
    assert (
        client.post(f"/use-cases/{use_case.reference}/answers/{item('GOV-1').pk}/", {"response": "yes"}).status_code
        == 404
    )


# --- The use case page ----------------------------------------------------------------------------


def test_the_use_case_page_shows_rounds_signoffs_events_and_allowed_buttons(client, alice, team, round):
    answer_items(round, "legal", team["legal"])
    client.force_login(team["legal"])
    client.post(
        signoff_url(round, "legal"),
        {"decision": "approve_with_conditions", **condition_row("EU only", round), "comment": "Fine"},
    )
    client.force_login(alice)
    body = client.get(round.use_case.get_absolute_url()).text
    assert "Round 1" in body
    assert "EU only" in body
    assert "Awaiting Privacy" in body
    assert "Withdraw from review" in body
    assert "Revoke the approval" not in body


def test_the_use_case_page_query_count_does_not_grow_with_rounds(client, alice, team):
    use_case = complete_use_case(alice)
    client.force_login(alice)

    def count():
        client.get(use_case.get_absolute_url())
        with CaptureQueriesContext(connection) as ctx:
            client.get(use_case.get_absolute_url())
        return len(ctx.captured_queries)

    round = submit(use_case)
    one = count()
    client.force_login(team["legal"])
    client.post(signoff_url(round, "legal"), {"decision": "request_changes", "comment": "Name the fallback owner"})
    submit(UseCase.objects.get(pk=use_case.pk))
    client.force_login(alice)
    assert count() == one


def test_functions_are_labelled(client, alice, team, round):
    client.force_login(alice)
    assert Function.PROCUREMENT.label in client.get(round.use_case.get_absolute_url()).text


def test_the_use_case_page_shows_changes_made_by_the_system(client, alice, team):
    import datetime

    from approvals.sweeps import approvals_expire

    use_case, round = approved_use_case(alice, team)
    assert approvals_expire(today=round.expires_on + datetime.timedelta(days=1)) == 1
    client.force_login(alice)
    response = client.get(use_case.get_absolute_url())
    assert response.status_code == 200
    assert "Clearance: Approval expired on" in response.text
