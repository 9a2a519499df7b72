"""`role_grant` and `role_revoke`: governance admins change the roles Clearance manages, with a reason, each
change recorded; the provider's roles, their own roles and the last admin's role are refused."""

import pytest
from django.contrib.auth.models import Permission
from django.core.exceptions import ValidationError

from approvals.models import ApprovalEvent
from governance.limits import NOTE
from governance.roles import Function, Role
from identity.models import RoleChange
from identity.services import PeopleRefused, can_manage_people, role_grant, role_is_provider_managed, role_revoke
from tests.approvals.workflow import person
from tests.identity.helpers import admins, provider_account, rounds_held_by

pytestmark = pytest.mark.django_db

PROVIDER_MAP = {"legal-team": Role.LEGAL.value, "clearance-admins": Role.ADMIN.value}


@pytest.fixture(autouse=True)
def role_map(settings):
    settings.CLEARANCE_OIDC_ROLE_MAP = PROVIDER_MAP


def roles(user) -> set[str]:
    return set(user.groups.values_list("name", flat=True))


def test_who_manages_people(db):
    gina, _ = admins()
    assert can_manage_people(gina)
    assert can_manage_people(person("root", is_superuser=True))
    assert not can_manage_people(person("lena", Role.LEGAL))
    assert not can_manage_people(person("gone", Role.ADMIN, is_active=False))


def test_an_admin_grants_a_role_with_a_reason(db):
    gina, _ = admins()
    nadia = person("nadia")
    change = role_grant(person=nadia, role=Role.PRIVACY, user=gina, reason="Joined the privacy office.")
    assert roles(nadia) == {Role.PRIVACY}
    assert (change.action, change.role, change.source, change.actor, change.reason) == (
        RoleChange.Action.GRANTED,
        "Privacy reviewers",
        RoleChange.Source.LOCAL,
        gina,
        "Joined the privacy office.",
    )


def test_an_admin_revokes_a_role(db):
    gina, _ = admins()
    pia = person("pia", Role.PRIVACY, Role.BUSINESS_OWNER)
    change = role_revoke(person=pia, role=Role.BUSINESS_OWNER, user=gina, reason="Owns no requests any more.")
    assert roles(pia) == {Role.PRIVACY}
    assert change.action == RoleChange.Action.REVOKED and change.actor == gina


def test_someone_else_may_not(db):
    lena = person("lena", Role.LEGAL)
    nadia = person("nadia")
    with pytest.raises(PeopleRefused):
        role_grant(person=nadia, role=Role.LEGAL, user=lena, reason="Please.")
    with pytest.raises(PeopleRefused):
        role_revoke(person=lena, role=Role.LEGAL, user=lena, reason="Please.")
    assert roles(nadia) == set() and not RoleChange.objects.exists()


@pytest.mark.parametrize("reason", ["", "   ", "x" * (NOTE + 1)])
def test_a_reason_is_required_and_bounded(db, reason):
    gina, _ = admins()
    nadia = person("nadia")
    with pytest.raises(ValidationError) as refused:
        role_grant(person=nadia, role=Role.LEGAL, user=gina, reason=reason)
    assert "reason" in refused.value.message_dict
    assert roles(nadia) == set()


def test_an_unknown_role_is_refused(db):
    gina, _ = admins()
    with pytest.raises(ValidationError, match="no such role"):
        role_grant(person=person("nadia"), role="Superusers", user=gina, reason="Why not.")


def test_a_role_already_held_or_not_held(db):
    gina, _ = admins()
    lena = person("lena", Role.LEGAL)
    with pytest.raises(ValidationError, match="already holds"):
        role_grant(person=lena, role=Role.LEGAL, user=gina, reason="Again.")
    with pytest.raises(ValidationError, match="does not hold"):
        role_revoke(person=lena, role=Role.PRIVACY, user=gina, reason="Never had it.")
    assert not RoleChange.objects.exists()


def test_an_admin_does_not_change_their_own_roles(db):
    gina, _ = admins()
    with pytest.raises(ValidationError, match="your own roles"):
        role_grant(person=gina, role=Role.LEGAL, user=gina, reason="I review too.")
    with pytest.raises(ValidationError, match="your own roles"):
        role_revoke(person=gina, role=Role.ADMIN, user=gina, reason="Stepping down.")
    assert roles(gina) == {Role.ADMIN}


def test_an_inactive_person_is_refused(db):
    gina, _ = admins()
    gone = person("gone", Role.LEGAL, is_active=False)
    with pytest.raises(ValidationError, match="deactivated"):
        role_grant(person=gone, role=Role.PRIVACY, user=gina, reason="Back soon.")
    with pytest.raises(ValidationError, match="deactivated"):
        role_revoke(person=gone, role=Role.LEGAL, user=gina, reason="Gone.")


def test_the_last_active_admin_keeps_the_role(db):
    root = person("root", is_superuser=True)
    gina = person("gina", Role.ADMIN)
    person("old", Role.ADMIN, is_active=False)  # an inactive admin does not count
    with pytest.raises(ValidationError, match="last active governance admin"):
        role_revoke(person=gina, role=Role.ADMIN, user=root, reason="Reorganisation.")
    assert roles(gina) == {Role.ADMIN}


def test_one_of_two_admins_loses_the_role(db):
    gina, greta = admins()
    role_revoke(person=greta, role=Role.ADMIN, user=gina, reason="Left the governance office.")
    assert roles(greta) == set()


def test_the_providers_role_is_refused_for_a_provider_account(db):
    gina, _ = admins()
    lena = person("lena", Role.LEGAL)
    provider_account(lena, ["legal-team"])
    nadia = person("nadia")
    provider_account(nadia)
    assert role_is_provider_managed(lena, Role.LEGAL) and not role_is_provider_managed(lena, Role.PRIVACY)
    with pytest.raises(ValidationError, match="identity provider"):
        role_revoke(person=lena, role=Role.LEGAL, user=gina, reason="Left legal.")
    with pytest.raises(ValidationError, match="identity provider"):
        role_grant(person=nadia, role=Role.ADMIN, user=gina, reason="Help us.")
    assert roles(lena) == {Role.LEGAL} and roles(nadia) == set()
    # A role the provider does not give is Clearance's, for them too.
    role_grant(person=nadia, role=Role.PRIVACY, user=gina, reason="Joined privacy.")
    assert roles(nadia) == {Role.PRIVACY}


def test_a_local_person_has_every_role_managed_here(db):
    gina, _ = admins()
    lena = person("lena", Role.LEGAL)
    assert not role_is_provider_managed(lena, Role.LEGAL)
    role_revoke(person=lena, role=Role.LEGAL, user=gina, reason="Left legal.")
    assert roles(lena) == set()


def test_revoking_a_reviewer_role_releases_that_functions_signoffs(alice, team):
    gina, _ = admins()
    lena = team["legal"]
    lena.groups.add(*team["privacy"].groups.all())
    rounds = rounds_held_by(alice, Function.LEGAL, lena)
    privacy = rounds_held_by(alice, Function.PRIVACY, lena, count=1)[0]
    role_revoke(person=lena, role=Role.LEGAL, user=gina, reason="Moved to the privacy office.")
    for round in rounds:
        assert round.signoffs.get(function=Function.LEGAL).assignee is None
        event = round.events.filter(verb=ApprovalEvent.Verb.ASSIGNED).latest("pk")
        assert event.actor == gina and event.data["kind"] == "released"
        assert "Moved to the privacy office." in event.data["reason"]
    assert privacy.signoffs.get(function=Function.PRIVACY).assignee == lena


def test_someone_in_no_reviewing_function_no_longer_leads(db):
    gina, _ = admins()
    lead = Permission.objects.get(codename="lead_signoffs", content_type__app_label="approvals")
    lena = person("lena", Role.LEGAL, Role.PRIVACY)
    lena.user_permissions.add(lead)
    role_revoke(person=lena, role=Role.LEGAL, user=gina, reason="Privacy only now.")
    assert lena.user_permissions.filter(pk=lead.pk).exists()  # still signs for privacy
    role_revoke(person=lena, role=Role.PRIVACY, user=gina, reason="Left the reviewers.")
    assert not lena.user_permissions.filter(pk=lead.pk).exists()


def test_the_admin_role_opens_the_admin_site_and_closes_it_when_revoked(db):
    gina, _ = admins()
    nadia = person("nadia")
    role_grant(person=nadia, role=Role.ADMIN, user=gina, reason="Keeps the model catalogue.")
    nadia.refresh_from_db()
    assert nadia.is_staff
    role_revoke(person=nadia, role=Role.ADMIN, user=gina, reason="Moved to another team.")
    nadia.refresh_from_db()
    assert not nadia.is_staff
