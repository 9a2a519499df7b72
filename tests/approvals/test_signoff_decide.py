"""`signoff_decide`: one function's decision, what it needs, and how the round settles."""

from datetime import date

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from approvals.models import ApprovalEvent, ApprovalRequest, SignOff
from approvals.services import WorkflowRefused, add_months, approval_expiry, signoff_decide
from governance.models import UseCase
from governance.services import use_case_update
from tests.approvals.workflow import ALWAYS, approve_all, complete_use_case, person, sign, subjects, submit

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("fast_passwords")]


@pytest.fixture
def round(alice, team):
    return submit(complete_use_case(alice))


def outcome_events(round) -> list[str]:
    return list(round.events.exclude(verb__in=["submitted", "signed"]).values_list("verb", flat=True))


# Deciding one sign-off


def test_it_approves(round, team):
    lena = team["legal"]
    signoff = sign(round, "legal", lena, "approve", comment="Terms are fine.")
    signoff.refresh_from_db()
    assert signoff.decision == SignOff.Decision.APPROVE
    assert signoff.signed_by == lena
    assert signoff.signed_at is not None
    assert signoff.comment == "Terms are fine."
    assert signoff.signed_snapshot_sha256 == round.snapshot_sha256
    round.refresh_from_db()
    assert round.status == ApprovalRequest.Status.IN_REVIEW  # three functions still to sign
    assert outcome_events(round) == []


def test_it_records_the_signer_in_history_and_the_event_log(round, team):
    signoff = sign(round, "privacy", team["privacy"], "approve")
    latest = signoff.history.first()
    assert latest.history_user == team["privacy"]
    assert latest.decision == "approve"
    assert latest.history_change_reason == "Signed: Approve"
    event = round.events.get(verb=ApprovalEvent.Verb.SIGNED)
    assert event.actor == team["privacy"]
    assert event.data["function"] == "privacy"
    assert event.data["decision"] == "approve"
    assert event.data["snapshot_sha256"] == round.snapshot_sha256


def test_a_plain_approval_keeps_no_conditions(round, team):
    signoff = sign(round, "legal", team["legal"], "approve", conditions="Ignored")
    assert signoff.conditions == ""


def test_approval_with_conditions_needs_conditions_and_a_comment(round, team):
    with pytest.raises(ValidationError) as error:
        sign(round, "legal", team["legal"], "approve_with_conditions", comment="  ", conditions="")
    assert set(error.value.message_dict) == {"comment", "conditions"}
    with pytest.raises(ValidationError) as error:
        sign(round, "legal", team["legal"], "approve_with_conditions", comment="Fine with limits.")
    assert set(error.value.message_dict) == {"conditions"}
    assert round.signoffs.get(function="legal").is_pending

    signoff = sign(
        round, "legal", team["legal"], "approve_with_conditions", comment="Fine with limits.", conditions="EU only."
    )
    assert signoff.conditions == "EU only."


@pytest.mark.parametrize("decision", ["request_changes", "reject"])
def test_request_changes_and_reject_need_a_comment(round, team, decision):
    with pytest.raises(ValidationError) as error:
        sign(round, "security", team["security"], decision, comment="   ")
    assert set(error.value.message_dict) == {"comment"}
    signoff = round.signoffs.get(function="security")
    assert signoff.is_pending
    assert not round.events.filter(verb="signed").exists()


@pytest.mark.parametrize("decision", ["pending", "maybe", ""])
def test_it_needs_a_real_decision(round, team, decision):
    with pytest.raises(ValidationError) as error:
        sign(round, "legal", team["legal"], decision, comment="Hmm")
    assert set(error.value.message_dict) == {"decision"}


def test_a_decided_signoff_cannot_be_decided_again(round, team):
    sign(round, "legal", team["legal"], "approve")
    with pytest.raises(WorkflowRefused, match="already decided"):
        sign(round, "legal", team["legal"], "reject", comment="Changed my mind.")
    assert round.signoffs.get(function="legal").decision == "approve"
    assert round.events.filter(verb="signed").count() == 1


def test_a_closed_round_cannot_be_signed(round, team):
    sign(round, "legal", team["legal"], "reject", comment="No.")
    with pytest.raises(WorkflowRefused, match="rejected: nothing more can be signed"):
        sign(round, "privacy", team["privacy"], "approve")
    assert round.signoffs.get(function="privacy").is_pending


def test_a_stale_signoff_object_is_read_again(round, team):
    """The sign-off the caller holds may be out of date: the service re-reads it under lock."""
    stale = round.signoffs.get(function="legal")
    sign(round, "legal", team["legal"], "approve")
    with pytest.raises(WorkflowRefused, match="already decided"):
        signoff_decide(signoff=stale, user=team["legal"], decision="reject", comment="Late.")


def test_it_refuses_someone_outside_the_function(round, team, charlie):
    for outsider in (charlie, team["privacy"]):
        with pytest.raises(WorkflowRefused, match="Only members of Legal reviewers"):
            sign(round, "legal", outsider, "approve")
    assert round.signoffs.get(function="legal").is_pending


def test_it_refuses_an_inactive_reviewer(round):
    gone = person("gone", "Legal reviewers", is_active=False)
    with pytest.raises(WorkflowRefused):
        sign(round, "legal", gone, "approve")


# A critical residual risk


@pytest.fixture
def critical_round(alice):
    return submit(complete_use_case(alice, residual=(4, 5)))


@pytest.mark.parametrize("decision", ["approve", "approve_with_conditions"])
def test_a_critical_residual_cannot_be_approved(critical_round, team, decision):
    assert critical_round.highest_residual == 20
    with pytest.raises(ValidationError) as error:
        sign(critical_round, "legal", team["legal"], decision, comment="ok", conditions="some")
    assert "critical" in error.value.message_dict["decision"][0]
    assert critical_round.signoffs.get(function="legal").is_pending


def test_a_critical_residual_can_be_rejected(critical_round, team):
    sign(critical_round, "legal", team["legal"], "reject", comment="Too risky.")
    critical_round.refresh_from_db()
    assert critical_round.status == ApprovalRequest.Status.REJECTED


def test_a_critical_residual_can_be_sent_back(critical_round, team):
    sign(critical_round, "security", team["security"], "request_changes", comment="Reduce the impact.")
    critical_round.refresh_from_db()
    assert critical_round.status == ApprovalRequest.Status.CHANGES_REQUESTED


# How the round settles


def test_one_reject_rejects_the_round_with_others_pending(round, team, alice):
    sign(round, "privacy", team["privacy"], "approve")
    sign(round, "legal", team["legal"], "reject", comment="Licence forbids this use.")
    round.refresh_from_db()
    assert round.status == ApprovalRequest.Status.REJECTED
    assert round.decided_at is not None
    assert round.expires_on is None
    assert round.use_case.status == UseCase.Status.REJECTED
    assert round.signoffs.filter(decision="pending").count() == 2
    assert outcome_events(round) == ["rejected"]
    assert subjects(alice) == [f"{round.use_case.reference} rejected"]


def test_one_request_for_changes_returns_the_use_case_to_its_owner(round, team, alice):
    sign(round, "security", team["security"], "request_changes", comment="Describe the log access.")
    round.refresh_from_db()
    use_case = round.use_case
    assert round.status == ApprovalRequest.Status.CHANGES_REQUESTED
    assert use_case.status == UseCase.Status.CHANGES_REQUESTED
    assert use_case.is_editable
    assert outcome_events(round) == ["changes_requested"]
    assert subjects(alice) == [f"{use_case.reference} returned to its owners for changes"]

    use_case_update(use_case=use_case, user=alice, log_access="Security operations, read-only")
    round2 = submit(use_case)
    assert round2.number == 2
    assert list(use_case.rounds.values_list("number", "status")) == [(2, "in_review"), (1, "changes_requested")]
    assert [e.verb for e in use_case.events.all()] == ["submitted", "signed", "changes_requested", "submitted"]
    assert round2.snapshot["use_case"]["logging"]["access"] == "Security operations, read-only"


def test_all_approvals_approve_the_use_case_for_twelve_months(round, team, alice):
    approve_all(round, team)
    round.refresh_from_db()
    assert round.status == ApprovalRequest.Status.APPROVED
    assert round.use_case.status == UseCase.Status.APPROVED
    assert round.decided_at is not None
    assert round.expires_on == add_months(timezone.localdate(), 12)
    assert outcome_events(round) == ["approved"]
    assert round.events.get(verb="approved").actor == team["procurement"]  # the last to sign settled it
    assert subjects(alice) == [f"{round.use_case.reference} approved"]


def test_a_high_residual_approval_lasts_six_months(alice, team):
    round = submit(complete_use_case(alice, residual=(3, 4)))
    assert round.required_functions == [*ALWAYS, "executive"]
    approve_all(round, team)
    round.refresh_from_db()
    assert round.status == ApprovalRequest.Status.APPROVED
    assert round.expires_on == add_months(timezone.localdate(), 6)


def test_the_approval_periods_come_from_the_settings(settings):
    settings.CLEARANCE_APPROVAL_MONTHS, settings.CLEARANCE_APPROVAL_MONTHS_HIGH_RISK = 24, 3
    assert approval_expiry(date(2026, 3, 31), 9) == date(2028, 3, 31)
    assert approval_expiry(date(2026, 3, 31), 10) == date(2026, 6, 30)
    assert approval_expiry(date(2026, 3, 31), 16) == date(2026, 6, 30)
    assert approval_expiry(date(2026, 3, 31), 4) == date(2028, 3, 31)


@pytest.mark.parametrize(
    ("day", "months", "expected"),
    [
        (date(2026, 1, 31), 1, date(2026, 2, 28)),
        (date(2028, 1, 31), 1, date(2028, 2, 29)),
        (date(2026, 8, 31), 6, date(2027, 2, 28)),
        (date(2026, 12, 15), 12, date(2027, 12, 15)),
        (date(2026, 11, 30), 2, date(2027, 1, 30)),
    ],
)
def test_months_are_added_to_the_calendar(day, months, expected):
    assert add_months(day, months) == expected


def test_any_conditions_make_it_approved_with_conditions(round, team, alice):
    sign(round, "privacy", team["privacy"], "approve_with_conditions", comment="OK", conditions="No health data.")
    approve_all(round, team)
    round.refresh_from_db()
    assert round.status == ApprovalRequest.Status.APPROVED_WITH_CONDITIONS
    assert round.use_case.status == UseCase.Status.APPROVED_WITH_CONDITIONS
    assert round.expires_on == add_months(timezone.localdate(), 12)
    assert outcome_events(round) == ["approved_with_conditions"]
    assert subjects(alice) == [f"{round.use_case.reference} approved with conditions"]


def test_each_owner_is_told_of_the_outcome_once(alice, team):
    tess, ravi = person("tess"), person("ravi")
    use_case = complete_use_case(alice, technical_owner=tess, risk_owner=ravi)
    round = submit(use_case)
    approve_all(round, team)
    for owner in (alice, tess, ravi):
        assert subjects(owner) == [f"{use_case.reference} approved"]
    assert subjects(team["legal"]) == [f"{use_case.reference} needs the Legal sign-off"]
