"""The scheduled sweeps: expiring approvals, reminding late reviewers, warning of an approaching expiry."""

from datetime import timedelta

import pytest

from approvals.models import ApprovalRequest, Notification
from approvals.services import signoff_assign
from approvals.sweeps import approvals_expire, approvals_remind_expiring, signoffs_remind_overdue
from governance.models import UseCase
from governance.roles import Role
from tests.approvals.workflow import approved_use_case, complete_use_case, person, sign, subjects, submit

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("fast_passwords")]


# Expiry


def test_it_expires_overdue_approvals_only(alice, team):
    due, due_round = approved_use_case(alice, team)
    later, later_round = approved_use_case(alice, team)
    ApprovalRequest.objects.filter(pk=later_round.pk).update(expires_on=due_round.expires_on + timedelta(days=1))
    in_review = complete_use_case(alice)
    submit(in_review)

    assert approvals_expire(today=due_round.expires_on) == 0  # the last day is still covered
    assert approvals_expire(today=due_round.expires_on + timedelta(days=1)) == 1

    due.refresh_from_db()
    due_round.refresh_from_db()
    assert due.status == UseCase.Status.EXPIRED
    assert due_round.status == ApprovalRequest.Status.EXPIRED
    assert due.is_editable
    event = due.events.last()
    assert (event.verb, event.actor, event.data["expires_on"]) == ("expired", None, str(due_round.expires_on))
    assert subjects(alice)[-1] == f"{due.reference} approval expired"
    for use_case, status in ((later, UseCase.Status.APPROVED), (in_review, UseCase.Status.IN_REVIEW)):
        use_case.refresh_from_db()
        assert use_case.status == status


def test_it_expires_each_approval_once(alice, team):
    _, round = approved_use_case(alice, team)
    after = round.expires_on + timedelta(days=1)
    assert approvals_expire(today=after) == 1
    assert approvals_expire(today=after) == 0
    assert len([s for s in subjects(alice) if s.endswith("approval expired")]) == 1


def test_an_expired_request_can_be_renewed(alice, team):
    use_case, round = approved_use_case(alice, team)
    approvals_expire(today=round.expires_on + timedelta(days=1))
    assert submit(use_case).number == 2


# Overdue sign-offs


@pytest.fixture
def round(alice, team):
    return submit(complete_use_case(alice))


def reminders(user) -> list[str]:
    return [s for s in subjects(user) if s.startswith("Reminder:")]


def test_it_reminds_pending_signoffs_past_the_sla(round, team, settings):
    settings.CLEARANCE_SIGNOFF_SLA_DAYS = 5
    sign(round, "legal", team["legal"], "approve")
    start = round.submitted_at

    assert signoffs_remind_overdue(now=start + timedelta(days=4)) == 0
    assert Notification.objects.filter(subject__startswith="Reminder").count() == 0

    now = start + timedelta(days=6)
    assert signoffs_remind_overdue(now=now) == 3
    assert reminders(team["legal"]) == []  # already signed
    ref = round.use_case.reference
    assert reminders(team["privacy"]) == [f"Reminder: {ref} has waited 6 days for Privacy"]
    assert reminders(team["security"]) == [f"Reminder: {ref} has waited 6 days for Security"]
    assert set(round.signoffs.filter(decision="pending").values_list("reminded_at", flat=True)) == {now}
    assert round.signoffs.get(function="legal").reminded_at is None


def test_it_reminds_once_per_sla_period(round, team, settings):
    settings.CLEARANCE_SIGNOFF_SLA_DAYS = 5
    start = round.submitted_at
    assert signoffs_remind_overdue(now=start + timedelta(days=6)) == 4
    assert signoffs_remind_overdue(now=start + timedelta(days=6, hours=1)) == 0
    assert signoffs_remind_overdue(now=start + timedelta(days=10)) == 0
    assert signoffs_remind_overdue(now=start + timedelta(days=11, minutes=1)) == 4
    assert len(reminders(team["privacy"])) == 2


def test_it_reminds_the_assignee_alone(round, team):
    second_lawyer = person("larry", Role.LEGAL)
    signoff_assign(signoff=round.signoffs.get(function="legal"), user=second_lawyer, assignee=second_lawyer)
    signoffs_remind_overdue(now=round.submitted_at + timedelta(days=30))
    assert len(reminders(second_lawyer)) == 1
    assert reminders(team["legal"]) == []


def test_it_does_not_remind_about_a_closed_round(round, team):
    sign(round, "legal", team["legal"], "reject", comment="No.")
    assert signoffs_remind_overdue(now=round.submitted_at + timedelta(days=30)) == 0
    assert reminders(team["privacy"]) == []


# Approaching expiry


def test_it_warns_owners_once_within_thirty_days(alice, team, settings):
    settings.CLEARANCE_EXPIRY_WARNING_DAYS = 30
    tess = person("tess")
    use_case, round = approved_use_case(alice, team, technical_owner=tess)
    expires = round.expires_on

    assert approvals_remind_expiring(today=expires - timedelta(days=31)) == 0
    assert approvals_remind_expiring(today=expires - timedelta(days=30)) == 1
    assert approvals_remind_expiring(today=expires - timedelta(days=10)) == 0
    warning = f"{use_case.reference} approval expires on {expires}"
    assert subjects(alice).count(warning) == 1
    assert subjects(tess).count(warning) == 1
    round.refresh_from_db()
    assert round.expiry_reminded_at is not None


def test_it_does_not_warn_about_an_expired_approval(alice, team):
    _, expired = approved_use_case(alice, team)
    approvals_expire(today=expired.expires_on + timedelta(days=1))
    assert approvals_remind_expiring(today=expired.expires_on - timedelta(days=1)) == 0
    assert approvals_remind_expiring(today=expired.expires_on + timedelta(days=1)) == 0
