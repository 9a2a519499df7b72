"""Separation of duties: no owner or submitter signs, nobody signs two functions of one round, and only
a function's members sign for it."""

import pytest
from django.db import IntegrityError, transaction
from django.utils import timezone
from guardian.shortcuts import assign_perm, remove_perm

from approvals.models import SignOff
from approvals.permissions import can_sign
from approvals.services import WorkflowRefused
from governance.roles import Role
from tests.approvals.workflow import complete_use_case, person, sign, submit

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("fast_passwords")]


@pytest.mark.parametrize("owner_field", ["business_owner", "technical_owner", "risk_owner"])
def test_it_refuses_an_owner_who_is_also_a_reviewer(alice, team, owner_field):
    lawyer_owner = person("olga", Role.LEGAL)
    use_case = complete_use_case(alice, **{owner_field: lawyer_owner})
    round = submit(use_case, alice)
    with pytest.raises(WorkflowRefused, match="Owners and the submitter of a use case cannot sign"):
        sign(round, "legal", lawyer_owner, "approve")
    assert round.signoffs.get(function="legal").is_pending
    assert not round.events.filter(verb="signed").exists()


def test_it_refuses_the_creator_who_submitted(team):
    """Dana opened the request for another team and submitted it: she cannot sign it as a lawyer."""
    dana, owner = person("dana", Role.BUSINESS_OWNER, Role.LEGAL), person("omar", Role.BUSINESS_OWNER)
    use_case = complete_use_case(dana, business_owner=owner, technical_owner=owner, risk_owner=owner)
    assert dana not in use_case.owners
    round = submit(use_case, dana)
    assert round.submitted_by == dana
    with pytest.raises(WorkflowRefused, match="Owners and the submitter"):
        sign(round, "legal", dana, "approve")


def test_it_refuses_the_submitter_even_when_no_longer_an_owner(alice, team):
    sam = person("sam", Role.LEGAL)
    use_case = complete_use_case(alice)
    # Sam could edit the request when he submitted it, and no longer can (he was never an owner).
    assign_perm("governance.change_usecase", sam, use_case)
    round = submit(use_case, sam)
    remove_perm("governance.change_usecase", sam, use_case)
    assert round.submitted_by == sam and sam not in use_case.owners
    signoff = SignOff.objects.select_related("round__use_case").get(round=round, function="legal")
    verdict = can_sign(sam, signoff)
    assert not verdict
    assert "submitter" in verdict.reason
    assert can_sign(team["legal"], signoff)


def test_one_person_cannot_sign_two_functions_of_a_round(alice, team):
    lee = person("lee", Role.LEGAL, Role.PRIVACY)
    round = submit(complete_use_case(alice))
    sign(round, "legal", lee, "approve")
    with pytest.raises(WorkflowRefused, match="already signed for another function in this round"):
        sign(round, "privacy", lee, "approve")
    assert round.signoffs.get(function="privacy").is_pending
    sign(round, "privacy", team["privacy"], "approve")  # someone else may


def test_the_same_person_may_sign_another_function_in_the_next_round(alice, team):
    lee = person("lee", Role.LEGAL, Role.PRIVACY)
    use_case = complete_use_case(alice)
    sign(submit(use_case), "legal", lee, "request_changes", comment="Fix the purpose.")
    round2 = submit(use_case)
    assert sign(round2, "privacy", lee, "approve").signed_by == lee


def test_it_refuses_someone_outside_the_functions_group(alice, team, charlie):
    round = submit(complete_use_case(alice))
    with pytest.raises(WorkflowRefused, match="Only members of Procurement reviewers can sign for Procurement"):
        sign(round, "procurement", team["legal"], "approve")
    with pytest.raises(WorkflowRefused, match="Only members of"):
        sign(round, "procurement", charlie, "approve")
    assert round.signoffs.get(function="procurement").is_pending


def test_the_database_refuses_one_person_on_two_functions(alice, team):
    round = submit(complete_use_case(alice))
    lena, now = team["legal"], timezone.now()
    legal, privacy = round.signoffs.get(function="legal"), round.signoffs.get(function="privacy")
    SignOff.objects.filter(pk=legal.pk).update(decision="approve", signed_by=lena, signed_at=now)
    with pytest.raises(IntegrityError), transaction.atomic():
        SignOff.objects.filter(pk=privacy.pk).update(decision="approve", signed_by=lena, signed_at=now)
    assert SignOff.objects.filter(round=round, signed_by=lena).count() == 1


def test_the_database_refuses_a_decision_without_a_signer(alice, team):
    round = submit(complete_use_case(alice))
    with pytest.raises(IntegrityError), transaction.atomic():
        SignOff.objects.filter(round=round, function="legal").update(decision="approve")
