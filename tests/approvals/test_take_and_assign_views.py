"""The take and assign pages: POST only, the right user, the right state; each calls `signoff_assign`."""

import pytest
from django.contrib.auth.models import Permission

from approvals.models import ApprovalEvent
from governance.roles import Function, Role
from tests.approvals.workflow import complete_use_case, person, sign, submit

pytestmark = pytest.mark.django_db


@pytest.fixture
def round(alice):
    return submit(complete_use_case(alice))


def legal(round):
    return round.signoffs.get(function=Function.LEGAL)


def take_url(round):
    return f"/reviews/{legal(round).pk}/take/"


def assign_url(round):
    return f"/reviews/{legal(round).pk}/assign/"


def make_lead(user):
    user.user_permissions.add(Permission.objects.get(codename="lead_signoffs", content_type__app_label="approvals"))
    return user


# Take and release


def test_it_takes(client, team, round):
    client.force_login(team["legal"])
    response = client.post(take_url(round))
    assert response.status_code == 302
    assert legal(round).assignee == team["legal"]


def test_the_page_offers_take_to_who_may_take_it(client, team, round):
    client.force_login(team["legal"])
    assert "Take this sign-off" in client.get(f"/reviews/{legal(round).pk}/").text
    client.force_login(team["security"])
    assert "Take this sign-off" not in client.get(f"/reviews/{legal(round).pk}/").text


def test_get_never_takes(client, team, round):
    client.force_login(team["legal"])
    assert client.get(take_url(round)).status_code == 405
    assert legal(round).assignee is None


def test_an_owner_who_is_a_lawyer_cannot_take(client, alice, team):
    olga = person("olga", Role.LEGAL)
    round = submit(complete_use_case(alice, technical_owner=olga), alice)
    client.force_login(olga)
    response = client.post(take_url(round))
    assert response.status_code == 403
    assert legal(round).assignee is None
    assert "Take this sign-off" not in client.get(f"/reviews/{legal(round).pk}/").text


def test_a_held_signoff_cannot_be_taken(client, team, round):
    client.force_login(team["legal"])
    client.post(take_url(round))
    lou = person("lou", Role.LEGAL)
    client.force_login(lou)
    response = client.post(take_url(round))
    assert response.status_code == 403
    assert "Lena holds this sign-off" in response.text
    assert legal(round).assignee == team["legal"]
    page = client.get(f"/reviews/{legal(round).pk}/").text
    assert "Take this sign-off" not in page and "holds it" in page


def test_the_holder_releases(client, team, round):
    client.force_login(team["legal"])
    client.post(take_url(round))
    assert "Release this sign-off" in client.get(f"/reviews/{legal(round).pk}/").text
    response = client.post(take_url(round), {"action": "release"})
    assert response.status_code == 302
    assert legal(round).assignee is None


def test_a_decided_signoff_cannot_be_taken(client, team, round):
    sign(round, Function.LEGAL, team["legal"], "reject", comment="No.")
    client.force_login(person("lou", Role.LEGAL))
    assert client.post(take_url(round)).status_code == 403


def test_an_outsider_gets_404(client, charlie, round):
    client.force_login(charlie)
    assert client.post(take_url(round)).status_code == 404
    assert client.post(assign_url(round), {"assignee": charlie.pk}).status_code == 404


# Assign


def test_a_plain_reviewer_cannot_assign(client, team, round):
    lou = person("lou", Role.LEGAL)
    client.force_login(team["legal"])
    assert "Give to" not in client.get(f"/reviews/{legal(round).pk}/").text
    assert client.post(assign_url(round), {"assignee": lou.pk}).status_code == 403
    assert legal(round).assignee is None


def test_a_lead_reassigns_and_the_event_says_from_whom_to_whom(client, team, round):
    client.force_login(team["legal"])
    client.post(take_url(round))
    lara, lou = make_lead(person("lara", Role.LEGAL)), person("lou", Role.LEGAL)
    client.force_login(lara)
    assert "Reassign" in client.get(f"/reviews/{legal(round).pk}/").text
    response = client.post(assign_url(round), {"assignee": lou.pk})
    assert response.status_code == 302
    assert legal(round).assignee == lou
    event = round.events.filter(verb=ApprovalEvent.Verb.ASSIGNED).last()
    assert (event.actor, event.data["previous"], event.data["assignee"], event.data["kind"]) == (
        lara,
        "lena",
        "lou",
        "reassigned",
    )


def test_a_governance_admin_assigns(client, team, round, governance_admin):
    client.force_login(governance_admin)
    response = client.post(assign_url(round), {"assignee": team["legal"].pk})
    assert response.status_code == 302
    assert legal(round).assignee == team["legal"]


def test_an_assignee_an_owner_is_refused_with_a_message(client, alice, team, governance_admin):
    olga = person("olga", Role.LEGAL)
    round = submit(complete_use_case(alice, risk_owner=olga), alice)
    client.force_login(governance_admin)
    response = client.post(assign_url(round), {"assignee": olga.pk}, follow=True)
    assert "Owners and the submitter" in response.text
    assert legal(round).assignee is None


def test_an_assignee_outside_the_function_is_refused(client, team, round, governance_admin):
    client.force_login(governance_admin)
    response = client.post(assign_url(round), {"assignee": team["privacy"].pk}, follow=True)
    assert "Choose a member of the function" in response.text
    assert legal(round).assignee is None


def test_assign_refuses_get_and_a_decided_signoff(client, team, round, governance_admin):
    client.force_login(governance_admin)
    assert client.get(assign_url(round)).status_code == 405
    sign(round, Function.LEGAL, team["legal"], "reject", comment="No.")
    assert client.post(assign_url(round), {"assignee": team["legal"].pk}).status_code == 403
