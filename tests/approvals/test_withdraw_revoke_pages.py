"""The withdraw and revoke confirmation pages: GET says what the action does and asks why; POST acts."""

import re

import pytest

from approvals.models import ApprovalRequest
from governance.limits import NOTE
from governance.models import UseCase
from tests.approvals.workflow import approved_use_case, complete_use_case, sign, submit
from tests.factories import UseCaseFactory

pytestmark = pytest.mark.django_db


def withdraw_url(use_case) -> str:
    return f"/use-cases/{use_case.reference}/withdraw/"


def revoke_url(use_case) -> str:
    return f"/use-cases/{use_case.reference}/revoke/"


def summary_anchors(html: str) -> list[str]:
    summary = re.search(r'<div class="error-summary".*?</div>', html, re.S)
    assert summary, "no error summary"
    return re.findall(r'href="#([^"]+)"', summary.group(0))


# --- Withdraw -------------------------------------------------------------------------------------


def test_the_withdraw_page_says_what_happens(client, alice, team):
    use_case = complete_use_case(alice)
    round = submit(use_case)
    sign(round, "legal", team["legal"], "approve")
    client.force_login(alice)
    response = client.get(withdraw_url(use_case))
    assert response.status_code == 200
    text = response.text
    assert f"Review round {round.number} of" in text
    assert "closes now as withdrawn" in text
    assert "Legal: approve" in text  # a decision already given stays on record
    assert "are told by e-mail that the request was withdrawn" in text
    assert "submit it later" in text
    assert f'maxlength="{NOTE}"' in text
    assert 'class="button danger"' in text
    assert f'href="{use_case.get_absolute_url()}">Cancel' in text
    use_case.refresh_from_db()
    assert use_case.status == UseCase.Status.IN_REVIEW  # a GET changes nothing


def test_it_withdraws_with_a_reason(client, alice):
    use_case = complete_use_case(alice)
    round = submit(use_case)
    client.force_login(alice)
    response = client.post(withdraw_url(use_case), {"reason": "The project was paused."})
    assert response.status_code == 302
    assert response["Location"] == use_case.get_absolute_url()
    round.refresh_from_db()
    assert round.status == ApprovalRequest.Status.WITHDRAWN
    assert round.closed_reason == "The project was paused."


def test_without_a_reason_the_page_comes_back_with_the_error(client, alice):
    use_case = complete_use_case(alice)
    submit(use_case)
    client.force_login(alice)
    response = client.post(withdraw_url(use_case), {"reason": "   "})
    assert response.status_code == 400
    assert "Say why the request is withdrawn." in response.text
    assert summary_anchors(response.text) == ["id_reason"]
    assert 'id="id_reason"' in response.text
    use_case.refresh_from_db()
    assert use_case.status == UseCase.Status.IN_REVIEW


def test_an_overlong_reason_is_refused_on_the_page(client, alice):
    use_case = complete_use_case(alice)
    submit(use_case)
    client.force_login(alice)
    response = client.post(withdraw_url(use_case), {"reason": "x" * (NOTE + 1)})
    assert response.status_code == 400
    assert f"Keep this to at most {NOTE:,} characters" in response.text
    use_case.refresh_from_db()
    assert use_case.status == UseCase.Status.IN_REVIEW


def test_withdrawing_needs_an_owner(client, alice, bob, charlie):
    use_case = complete_use_case(alice)
    submit(use_case)
    client.force_login(charlie)  # no access at all
    assert client.get(withdraw_url(use_case)).status_code == 404
    assert client.post(withdraw_url(use_case), {"reason": "x"}).status_code == 404
    client.force_login(bob)  # a reviewer sees it but may not withdraw it
    assert client.get(withdraw_url(use_case)).status_code == 403
    assert client.post(withdraw_url(use_case), {"reason": "x"}).status_code == 403
    use_case.refresh_from_db()
    assert use_case.status == UseCase.Status.IN_REVIEW


def test_only_a_request_in_review_can_be_withdrawn(client, alice):
    use_case = UseCaseFactory(user=alice)
    client.force_login(alice)
    response = client.get(withdraw_url(use_case))
    assert response.status_code == 403
    assert "Only a request in review can be withdrawn." in response.text
    assert client.post(withdraw_url(use_case), {"reason": "x"}).status_code == 403
    use_case.refresh_from_db()
    assert use_case.status == UseCase.Status.DRAFT


def test_withdrawing_refuses_other_methods(client, alice):
    use_case = complete_use_case(alice)
    submit(use_case)
    client.force_login(alice)
    assert client.put(withdraw_url(use_case)).status_code == 405


# --- Revoke ---------------------------------------------------------------------------------------


def test_the_revoke_page_says_what_happens(client, alice, team):
    use_case, round = approved_use_case(alice, team)
    client.force_login(team["executive"])
    response = client.get(revoke_url(use_case))
    assert response.status_code == 200
    text = response.text
    assert f"(round {round.number}, approved) stops now" in text
    assert "marked revoked" in text
    assert "are told by e-mail, with the reason" in text
    assert "needs a new request" in text
    assert "Cancel: keep the approval" in text
    use_case.refresh_from_db()
    assert use_case.is_approved


def test_it_revokes_with_a_reason(client, alice, team):
    use_case, round = approved_use_case(alice, team)
    client.force_login(team["executive"])
    response = client.post(revoke_url(use_case), {"reason": "The vendor left the market."})
    assert response.status_code == 302
    use_case.refresh_from_db()
    assert use_case.status == UseCase.Status.REVOKED


def test_revoking_without_a_reason_shows_the_summary(client, alice, team):
    use_case, _ = approved_use_case(alice, team)
    client.force_login(team["executive"])
    response = client.post(revoke_url(use_case), {})
    assert response.status_code == 400
    assert "Say why the approval is revoked." in response.text
    assert summary_anchors(response.text) == ["id_reason"]
    use_case.refresh_from_db()
    assert use_case.is_approved


def test_revoking_needs_an_executive_or_the_risk_owner(client, alice, team, charlie):
    use_case, _ = approved_use_case(alice, team)
    client.force_login(charlie)
    assert client.get(revoke_url(use_case)).status_code == 404
    client.force_login(team["legal"])
    response = client.get(revoke_url(use_case))
    assert response.status_code == 403
    assert "Only an executive or the use case&#x27;s risk owner" in response.text
    assert client.post(revoke_url(use_case), {"reason": "x"}).status_code == 403
    use_case.refresh_from_db()
    assert use_case.is_approved


def test_a_request_in_review_cannot_be_revoked(client, alice, team):
    use_case = complete_use_case(alice)
    submit(use_case)
    client.force_login(team["executive"])
    response = client.get(revoke_url(use_case))
    assert response.status_code == 403
    assert "Only an approved or suspended approval can be revoked." in response.text


# --- The use case page ----------------------------------------------------------------------------


def test_the_use_case_page_keeps_stopping_apart_from_editing(client, alice, team):
    use_case = complete_use_case(alice)
    submit(use_case)
    client.force_login(alice)
    text = client.get(use_case.get_absolute_url()).text
    assert 'id="danger-zone"' in text
    assert f'href="{withdraw_url(use_case)}"' in text
    assert 'name="reason"' not in text  # the reason is asked on the confirmation page
    assert '<nav class="toc" aria-label="On this page">' in text
    for anchor in ("request", "risks", "checklist", "evidence", "events", "history", "rounds"):
        assert f'id="{anchor}"' in text, anchor


def test_the_use_case_page_offers_revoking_only_to_who_may(client, alice, team, bob):
    use_case, _ = approved_use_case(alice, team)
    client.force_login(team["executive"])
    assert f'href="{revoke_url(use_case)}"' in client.get(use_case.get_absolute_url()).text
    client.force_login(bob)
    text = client.get(use_case.get_absolute_url()).text
    assert f'href="{revoke_url(use_case)}"' not in text
    assert 'id="danger-zone"' not in text
