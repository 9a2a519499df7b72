"""`person_deactivate` and `person_reactivate`: an account closed keeps its roles, sends the sign-offs it
held back to their queues, and is recorded; yourself and the last admin are refused."""

import pytest
from django.core.exceptions import ValidationError

from approvals.models import ApprovalEvent, Notification
from governance.roles import Function, Role
from identity.models import RoleChange
from identity.services import PeopleRefused, person_deactivate, person_reactivate
from tests.approvals.workflow import person
from tests.identity.helpers import admins, rounds_held_by, take

pytestmark = pytest.mark.django_db


def test_deactivating_releases_every_held_signoff_and_tells_the_functions(alice, team):
    gina, _ = admins()
    lena = team["legal"]
    lena.groups.add(*team["privacy"].groups.all())
    lara = person("lara", Role.LEGAL)
    (round,) = rounds_held_by(alice, Function.LEGAL, lena, count=1)
    take(round, Function.PRIVACY, lena)
    change = person_deactivate(person=lena, user=gina, reason="Left the company.")
    lena.refresh_from_db()
    assert not lena.is_active
    assert set(lena.groups.values_list("name", flat=True)) == {Role.LEGAL, Role.PRIVACY}  # kept for a return
    assert (change.action, change.role, change.actor, change.reason) == (
        RoleChange.Action.DEACTIVATED,
        "",
        gina,
        "Left the company.",
    )
    assert not round.signoffs.filter(assignee=lena).exists()
    events = round.events.filter(verb=ApprovalEvent.Verb.ASSIGNED, data__kind="released")
    assert sorted(e.data["function"] for e in events) == ["legal", "privacy"]
    assert all("Left the company." in e.data["reason"] and e.actor == gina for e in events)
    told = Notification.objects.filter(subject__contains="back in your queue")
    assert set(told.values_list("recipient__username", flat=True)) == {"lara", "pia"}
    assert not told.filter(recipient=lena).exists()
    assert lara  # a legal member heard about the legal sign-off


def test_refusals(db):
    gina, _ = admins()
    lena = person("lena", Role.LEGAL)
    with pytest.raises(PeopleRefused):
        person_deactivate(person=gina, user=lena, reason="Coup.")
    with pytest.raises(ValidationError, match="yourself"):
        person_deactivate(person=gina, user=gina, reason="Holiday.")
    with pytest.raises(ValidationError) as refused:
        person_deactivate(person=lena, user=gina, reason="")
    assert "reason" in refused.value.message_dict
    with pytest.raises(ValidationError, match="active already"):
        person_reactivate(person=lena, user=gina, reason="Back.")
    person_deactivate(person=lena, user=gina, reason="Left.")
    with pytest.raises(ValidationError, match="already deactivated"):
        person_deactivate(person=lena, user=gina, reason="Left again.")
    assert RoleChange.objects.count() == 1


def test_the_last_active_admin_stays_active(db):
    root = person("root", is_superuser=True)
    gina = person("gina", Role.ADMIN)
    with pytest.raises(ValidationError, match="last active governance admin"):
        person_deactivate(person=gina, user=root, reason="Reorganisation.")
    gina.refresh_from_db()
    assert gina.is_active


def test_reactivating_restores_the_account_with_its_roles(db):
    gina, _ = admins()
    lena = person("lena", Role.LEGAL)
    person_deactivate(person=lena, user=gina, reason="Parental leave.")
    change = person_reactivate(person=lena, user=gina, reason="Back from leave.")
    lena.refresh_from_db()
    assert lena.is_active and lena.groups.filter(name=Role.LEGAL).exists()
    assert change.action == RoleChange.Action.REACTIVATED and change.actor == gina
    assert list(lena.role_changes.values_list("action", flat=True)) == ["reactivated", "deactivated"]


def test_an_admin_does_not_change_a_superuser(db):
    gina, _ = admins()
    root = person("root", is_superuser=True)
    with pytest.raises(ValidationError, match="superuser"):
        person_deactivate(person=root, user=gina, reason="Too powerful.")
    root.refresh_from_db()
    assert root.is_active
    other_root = person("root2", is_superuser=True)
    person_deactivate(person=other_root, user=root, reason="Retired break-glass account.")
