"""`roles_sync_from_provider`: at each single sign-on the provider's groups give and take away the roles
mapped to them, and only those; a second sign-in with the same groups writes nothing."""

import pytest

from approvals.models import ApprovalEvent
from governance.limits import NOTE
from governance.roles import Function, Role
from identity.models import RoleChange
from identity.services import roles_sync_from_provider
from tests.approvals.workflow import person
from tests.identity.helpers import provider_account, rounds_held_by

pytestmark = pytest.mark.django_db

PROVIDER = "Example ID"


@pytest.fixture(autouse=True)
def role_map(settings):
    settings.CLEARANCE_OIDC_ROLE_MAP = {
        "legal-team": Role.LEGAL.value,
        "counsel": Role.LEGAL.value,
        "privacy-office": Role.PRIVACY.value,
        "clearance-admins": Role.ADMIN.value,
    }


def roles(user) -> set[str]:
    return set(user.groups.values_list("name", flat=True))


def sync(user, *groups):
    return roles_sync_from_provider(person=user, groups=list(groups), provider=PROVIDER)


def test_the_groups_give_their_roles(db):
    nadia = person("nadia")
    provider_account(nadia)
    changes = sync(nadia, "legal-team", "counsel", "everyone", "privacy-office")
    assert roles(nadia) == {Role.LEGAL, Role.PRIVACY}
    assert [(c.action, c.role, c.source, c.actor) for c in changes] == [
        (RoleChange.Action.GRANTED, Role.LEGAL.value, RoleChange.Source.PROVIDER, None),
        (RoleChange.Action.GRANTED, Role.PRIVACY.value, RoleChange.Source.PROVIDER, None),
    ]
    assert changes[0].reason == "At sign-in through Example ID: member of counsel, legal-team"
    assert changes[1].reason == "At sign-in through Example ID: member of privacy-office"


def test_a_second_sign_in_with_the_same_groups_writes_nothing(db):
    nadia = person("nadia")
    provider_account(nadia)
    sync(nadia, "legal-team")
    assert sync(nadia, "legal-team") == []
    assert RoleChange.objects.count() == 1


def test_a_group_left_takes_its_role_away_and_roles_the_provider_does_not_give_stay(db):
    lena = person("lena", Role.LEGAL, Role.BUSINESS_OWNER, Role.COMPLIANCE)
    provider_account(lena)
    changes = sync(lena, "everyone")
    assert roles(lena) == {Role.BUSINESS_OWNER, Role.COMPLIANCE}
    assert [(c.action, c.role) for c in changes] == [(RoleChange.Action.REVOKED, Role.LEGAL.value)]
    assert changes[0].reason == "At sign-in through Example ID: in no group that gives this role"


def test_a_removed_reviewer_role_releases_its_signoffs_with_no_actor(alice, team):
    lena = team["legal"]
    provider_account(lena)
    (round,) = rounds_held_by(alice, Function.LEGAL, lena, count=1)
    sync(lena)
    signoff = round.signoffs.get(function=Function.LEGAL)
    assert signoff.assignee is None
    event = round.events.filter(verb=ApprovalEvent.Verb.ASSIGNED).latest("pk")
    assert event.actor is None and event.data["kind"] == "released" and event.data["by"] is None
    assert "in no group that gives this role" in event.data["reason"]


def test_long_untrusted_group_names_are_cut_to_fit(db, settings):
    many = [f"legal-{'x' * 300}-{n}" for n in range(10)]
    settings.CLEARANCE_OIDC_ROLE_MAP = dict.fromkeys(many, Role.LEGAL.value)
    nadia = person("nadia")
    provider_account(nadia)
    (change,) = roles_sync_from_provider(person=nadia, groups=many, provider="Example ID")
    assert roles(nadia) == {Role.LEGAL}
    assert len(change.reason) == NOTE and change.reason.endswith("…")
    change.full_clean()
