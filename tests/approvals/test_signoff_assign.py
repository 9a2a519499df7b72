"""`signoff_assign`: taking follows separation of duties and never takes a held sign-off; releasing
one's own is allowed; giving a sign-off to someone else is for function leads and governance admins."""

import pytest
from django.contrib.auth.models import Permission

from approvals.models import ApprovalEvent
from approvals.permissions import can_lead
from approvals.services import WorkflowRefused, signoff_assign
from governance.roles import Function, Role
from tests.approvals.workflow import complete_use_case, person, sign, submit

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("fast_passwords")]


@pytest.fixture
def round(alice, team):
    return submit(complete_use_case(alice))


def legal(round):
    return round.signoffs.get(function=Function.LEGAL)


def lead(username: str, *roles: str):
    user = person(username, *roles)
    user.user_permissions.add(Permission.objects.get(codename="lead_signoffs", content_type__app_label="approvals"))
    return user


def assigned_events(round) -> list[dict]:
    return [e.data | {"actor": e.actor.username} for e in round.events.filter(verb=ApprovalEvent.Verb.ASSIGNED)]


# Taking


def test_a_reviewer_takes_a_free_signoff(round, team):
    signoff = signoff_assign(signoff=legal(round), user=team["legal"], assignee=team["legal"])
    assert signoff.assignee == team["legal"]
    assert assigned_events(round) == [
        {
            "function": "legal",
            "kind": "assigned",
            "previous": None,
            "assignee": "lena",
            "by": "lena",
            "actor": "lena",
        }
    ]


@pytest.mark.parametrize("owner_field", ["business_owner", "technical_owner", "risk_owner"])
def test_an_owner_who_is_a_reviewer_cannot_take_the_signoff(alice, team, owner_field):
    olga = person("olga", Role.LEGAL)
    round = submit(complete_use_case(alice, **{owner_field: olga}), alice)
    with pytest.raises(WorkflowRefused, match="Owners and the submitter"):
        signoff_assign(signoff=legal(round), user=olga, assignee=olga)
    assert legal(round).assignee is None
    assert not assigned_events(round)


def test_the_submitter_cannot_take_the_signoff(team):
    dana, owner = person("dana", Role.BUSINESS_OWNER, Role.LEGAL), person("omar", Role.BUSINESS_OWNER)
    round = submit(complete_use_case(dana, business_owner=owner, technical_owner=owner, risk_owner=owner), dana)
    with pytest.raises(WorkflowRefused, match="Owners and the submitter"):
        signoff_assign(signoff=legal(round), user=dana, assignee=dana)


def test_someone_who_signed_another_function_cannot_take(round, team):
    lee = person("lee", Role.LEGAL, Role.PRIVACY)
    sign(round, Function.PRIVACY, lee, "approve")
    with pytest.raises(WorkflowRefused, match="already signed for another function"):
        signoff_assign(signoff=legal(round), user=lee, assignee=lee)


def test_a_member_of_another_function_cannot_take(round, team):
    with pytest.raises(WorkflowRefused, match="Only members of Legal reviewers"):
        signoff_assign(signoff=legal(round), user=team["security"], assignee=team["security"])


def test_a_held_signoff_cannot_be_taken_and_the_holder_is_named(round, team):
    signoff_assign(signoff=legal(round), user=team["legal"], assignee=team["legal"])
    lou = person("lou", Role.LEGAL, first_name="Lou", last_name="Reed")
    with pytest.raises(WorkflowRefused, match="Lena holds this sign-off"):
        signoff_assign(signoff=legal(round), user=lou, assignee=lou)
    assert legal(round).assignee == team["legal"]


def test_a_decided_signoff_cannot_be_taken(round, team):
    sign(round, Function.LEGAL, team["legal"], "approve")
    lou = person("lou", Role.LEGAL)
    with pytest.raises(WorkflowRefused, match="Only a pending sign-off of an open round"):
        signoff_assign(signoff=legal(round), user=lou, assignee=lou)


# Releasing


def test_the_holder_releases_their_signoff(round, team):
    signoff_assign(signoff=legal(round), user=team["legal"], assignee=team["legal"])
    signoff = signoff_assign(signoff=legal(round), user=team["legal"], assignee=None)
    assert signoff.assignee is None
    assert assigned_events(round)[-1]["kind"] == "released"
    assert assigned_events(round)[-1]["previous"] == "lena"


def test_a_plain_reviewer_cannot_release_someone_elses(round, team):
    signoff_assign(signoff=legal(round), user=team["legal"], assignee=team["legal"])
    lou = person("lou", Role.LEGAL)
    with pytest.raises(WorkflowRefused, match="Lena holds this sign-off"):
        signoff_assign(signoff=legal(round), user=lou, assignee=None)


# Reassigning


def test_a_plain_reviewer_cannot_give_a_signoff_to_someone_else(round, team):
    lou = person("lou", Role.LEGAL)
    with pytest.raises(WorkflowRefused, match="Only a lead of Legal or a governance admin"):
        signoff_assign(signoff=legal(round), user=team["legal"], assignee=lou)
    assert legal(round).assignee is None


def test_a_lead_reassigns_with_an_event_from_whom_to_whom(round, team):
    signoff_assign(signoff=legal(round), user=team["legal"], assignee=team["legal"])
    lara, lou = lead("lara", Role.LEGAL), person("lou", Role.LEGAL)
    signoff = signoff_assign(signoff=legal(round), user=lara, assignee=lou)
    assert signoff.assignee == lou
    assert assigned_events(round)[-1] == {
        "function": "legal",
        "kind": "reassigned",
        "previous": "lena",
        "assignee": "lou",
        "by": "lara",
        "actor": "lara",
    }
    assert signoff.history.first().history_change_reason == "Reassigned from lena to lou by lara"


def test_a_lead_takes_a_signoff_from_its_holder(round, team):
    signoff_assign(signoff=legal(round), user=team["legal"], assignee=team["legal"])
    lara = lead("lara", Role.LEGAL)
    assert signoff_assign(signoff=legal(round), user=lara, assignee=lara).assignee == lara


def test_a_lead_leads_only_the_functions_they_are_a_member_of(round, team):
    lara = lead("lara", Role.LEGAL)
    assert can_lead(lara, Function.LEGAL) and not can_lead(lara, Function.PRIVACY)
    with pytest.raises(WorkflowRefused, match="Only a lead of Privacy"):
        signoff_assign(signoff=round.signoffs.get(function=Function.PRIVACY), user=lara, assignee=team["privacy"])


def test_a_governance_admin_assigns_any_function(round, team, governance_admin):
    signoff = signoff_assign(signoff=legal(round), user=governance_admin, assignee=team["legal"])
    assert signoff.assignee == team["legal"]
    assert assigned_events(round)[-1]["by"] == "gina"


def test_the_assignee_must_be_a_member_of_the_function(round, team, governance_admin):
    with pytest.raises(WorkflowRefused, match="Only members of Legal reviewers"):
        signoff_assign(signoff=legal(round), user=governance_admin, assignee=team["privacy"])


def test_the_assignee_must_pass_separation_of_duties(alice, team, governance_admin):
    olga = person("olga", Role.LEGAL)
    round = submit(complete_use_case(alice, risk_owner=olga), alice)
    with pytest.raises(WorkflowRefused, match="Owners and the submitter"):
        signoff_assign(signoff=legal(round), user=governance_admin, assignee=olga)


def test_an_assignee_who_signed_another_function_is_refused_by_name(round, team, governance_admin):
    lee = person("lee", Role.LEGAL, Role.PRIVACY)
    sign(round, Function.PRIVACY, lee, "approve")
    with pytest.raises(WorkflowRefused, match="Lee already signed for another function"):
        signoff_assign(signoff=legal(round), user=governance_admin, assignee=lee)
