"""`use_case_withdraw` (owners, in review) and `approval_revoke` (an executive or the risk owner)."""

import pytest
from django.core.exceptions import ValidationError

from approvals.models import ApprovalRequest, SuspensionCause
from approvals.services import WorkflowRefused, approval_revoke, approval_suspend, use_case_edit, use_case_withdraw
from governance.models import UseCase
from governance.roles import Role
from tests.approvals.workflow import approved_use_case, complete_use_case, person, sign, subjects, submit

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("fast_passwords")]


# Withdraw


def test_it_withdraws_a_request_in_review(alice, team):
    use_case = complete_use_case(alice)
    round = submit(use_case)
    sign(round, "legal", team["legal"], "approve")
    withdrawn = use_case_withdraw(use_case=use_case, user=alice, reason="  The project was paused.  ")
    assert withdrawn == round
    round.refresh_from_db()
    use_case.refresh_from_db()
    assert round.status == ApprovalRequest.Status.WITHDRAWN
    assert round.closed_reason == "The project was paused."
    assert round.decided_at is not None
    assert use_case.status == UseCase.Status.WITHDRAWN
    assert use_case.is_editable
    event = use_case.events.last()
    assert (event.verb, event.actor, event.data["reason"]) == ("withdrawn", alice, "The project was paused.")
    assert subjects(team["legal"])[-1] == f"{use_case.reference} withdrawn from review"


def test_a_withdrawn_request_can_be_submitted_again(alice, team):
    use_case = complete_use_case(alice)
    submit(use_case)
    use_case_withdraw(use_case=use_case, user=alice, reason="Wrong model.")
    assert submit(use_case).number == 2


def test_a_withdrawn_round_cannot_be_signed(alice, team):
    use_case = complete_use_case(alice)
    round = submit(use_case)
    use_case_withdraw(use_case=use_case, user=alice, reason="Paused.")
    with pytest.raises(WorkflowRefused, match="withdrawn"):
        sign(round, "legal", team["legal"], "approve")


def test_withdrawing_needs_a_reason(alice, team):
    use_case = complete_use_case(alice)
    submit(use_case)
    with pytest.raises(ValidationError) as error:
        use_case_withdraw(use_case=use_case, user=alice, reason="   ")
    assert set(error.value.message_dict) == {"reason"}
    use_case.refresh_from_db()
    assert use_case.status == UseCase.Status.IN_REVIEW


@pytest.mark.parametrize("status", ["draft", "approved"])
def test_only_a_request_in_review_can_be_withdrawn(alice, team, status):
    if status == "draft":
        use_case = complete_use_case(alice)
    else:
        use_case, _ = approved_use_case(alice, team)
    with pytest.raises(WorkflowRefused, match="Only a request in review"):
        use_case_withdraw(use_case=use_case, user=alice, reason="Stop.")
    use_case.refresh_from_db()
    assert use_case.status == status


def test_only_an_owner_can_withdraw(alice, team, charlie):
    use_case = complete_use_case(alice)
    submit(use_case)
    for outsider in (charlie, team["legal"], team["executive"]):
        with pytest.raises(WorkflowRefused, match="Only the owners"):
            use_case_withdraw(use_case=use_case, user=outsider, reason="Not mine to stop.")
    use_case.refresh_from_db()
    assert use_case.status == UseCase.Status.IN_REVIEW


# Revoke


def test_an_executive_revokes_an_approval(alice, team):
    use_case, round = approved_use_case(alice, team)
    revoked = approval_revoke(use_case=use_case, user=team["executive"], reason="The vendor left the market.")
    assert revoked == round
    round.refresh_from_db()
    use_case.refresh_from_db()
    assert round.status == ApprovalRequest.Status.REVOKED
    assert round.closed_reason == "The vendor left the market."
    assert use_case.status == UseCase.Status.REVOKED
    assert not use_case.is_editable
    event = use_case.events.last()
    assert (event.verb, event.actor) == ("revoked", team["executive"])
    assert subjects(alice)[-1] == f"{use_case.reference} revoked: The vendor left the market."


def test_the_risk_owner_revokes_an_approval_with_conditions(alice, team):
    ravi = person("ravi", Role.BUSINESS_OWNER)
    use_case = complete_use_case(alice, risk_owner=ravi)
    round = submit(use_case)
    sign(round, "legal", team["legal"], "approve_with_conditions", comment="OK.", conditions="EU data only.")
    for function in ("privacy", "security", "procurement"):
        sign(round, function, team[function], "approve")
    approval_revoke(use_case=use_case, user=ravi, reason="The conditions are not met.")
    use_case.refresh_from_db()
    assert use_case.status == UseCase.Status.REVOKED


def test_a_suspended_approval_can_be_revoked(alice, team):
    use_case, round = approved_use_case(alice, team)
    approval_suspend(use_case=use_case, reason="Checking the vendor.", cause=SuspensionCause.REVIEW_FINDING)
    round2 = approval_revoke(use_case=use_case, user=team["executive"], reason="The check failed.")
    assert round2 == round
    round.refresh_from_db()
    assert round.status == ApprovalRequest.Status.REVOKED


def test_it_revokes_the_latest_approval(alice, team):
    use_case, round1 = approved_use_case(alice, team)
    use_case = use_case_edit(use_case=use_case, user=alice, hosting_country="FR", reason="Move to Paris")
    round2 = use_case.rounds.get(number=2)
    for function in round2.required_functions:
        sign(round2, function, team[function], "approve")
    revoked = approval_revoke(use_case=use_case, user=team["executive"], reason="Policy change.")
    assert revoked == round2
    round1.refresh_from_db()
    assert round1.status == ApprovalRequest.Status.SUSPENDED


def test_revoking_needs_a_reason(alice, team):
    use_case, _ = approved_use_case(alice, team)
    with pytest.raises(ValidationError) as error:
        approval_revoke(use_case=use_case, user=team["executive"], reason="")
    assert set(error.value.message_dict) == {"reason"}
    use_case.refresh_from_db()
    assert use_case.status == UseCase.Status.APPROVED


@pytest.mark.parametrize("status", ["in_review", "rejected"])
def test_only_an_approved_or_suspended_request_can_be_revoked(alice, team, status):
    use_case = complete_use_case(alice)
    round = submit(use_case)
    if status == "rejected":
        sign(round, "legal", team["legal"], "reject", comment="No.")
    with pytest.raises(WorkflowRefused, match="Only an approved or suspended approval"):
        approval_revoke(use_case=use_case, user=team["executive"], reason="Stop it.")
    use_case.refresh_from_db()
    assert use_case.status == status


def test_only_an_executive_or_the_risk_owner_can_revoke(alice, team, charlie):
    tess = person("tess")
    use_case, _ = approved_use_case(alice, team, technical_owner=tess, risk_owner=person("ravi"))
    for someone in (alice, tess, charlie, team["legal"], team["compliance"]):
        with pytest.raises(WorkflowRefused, match="Only an executive or the use case's risk owner"):
            approval_revoke(use_case=use_case, user=someone, reason="I want it gone.")
    use_case.refresh_from_db()
    assert use_case.status == UseCase.Status.APPROVED
