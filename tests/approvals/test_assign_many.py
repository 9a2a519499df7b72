"""Assigning the selected sign-offs from the queue: leads only, all or none, one event per sign-off."""

import pytest
from django.contrib.auth.models import Permission

from approvals import services
from approvals.models import ApprovalEvent, SignOff
from governance.roles import Function, Role
from tests.approvals.workflow import complete_use_case, person, sign, submit

pytestmark = pytest.mark.django_db

URL = "/reviews/assign/"
BACK = "/reviews/?band=medium&sort=risk"


def make_lead(user):
    user.user_permissions.add(Permission.objects.get(codename="lead_signoffs", content_type__app_label="approvals"))
    return user


@pytest.fixture
def rounds(alice):
    return [submit(complete_use_case(alice)) for _ in range(3)]


@pytest.fixture
def lead(db):
    return make_lead(person("leo", Role.LEGAL))


def legal(round) -> SignOff:
    return round.signoffs.get(function=Function.LEGAL)


def assigned_events():
    return ApprovalEvent.objects.filter(verb=ApprovalEvent.Verb.ASSIGNED)


def post(client, signoffs, assignee, **extra):
    data = {"signoffs": [s.pk for s in signoffs], "assignee": assignee.pk, "next": BACK, **extra}
    return client.post(URL, data)


def test_a_lead_assigns_the_selected_signoffs_in_one_post(client, lead, team, rounds):
    client.force_login(lead)
    chosen = [legal(rounds[0]), legal(rounds[2])]
    response = post(client, chosen, team["legal"])
    assert response.status_code == 302 and response["Location"] == BACK
    assert [legal(r).assignee for r in rounds] == [team["legal"], None, team["legal"]]
    events = assigned_events().order_by("pk")
    assert [e.round_id for e in events] == [rounds[0].pk, rounds[2].pk]
    assert all(e.actor == lead and e.data["assignee"] == "lena" and e.data["kind"] == "assigned" for e in events)
    assert "2 sign-offs assigned to" in client.get(BACK).text


def test_assigning_again_records_nothing_new(client, lead, team, rounds):
    client.force_login(lead)
    post(client, [legal(rounds[0])], team["legal"])
    response = post(client, [legal(rounds[0]), legal(rounds[1])], team["legal"])
    assert response.status_code == 302
    assert assigned_events().count() == 2  # one for each sign-off, once
    assert "1 sign-off assigned to" in client.get(BACK).text


def test_a_lead_reassigns_a_held_signoff(client, lead, team, rounds):
    lou = person("lou", Role.LEGAL)
    services.signoff_assign(signoff=legal(rounds[0]), user=lou, assignee=lou)
    client.force_login(lead)
    post(client, [legal(rounds[0])], team["legal"])
    assert legal(rounds[0]).assignee == team["legal"]
    assert assigned_events().order_by("-pk").first().data["kind"] == "reassigned"


def test_a_member_who_is_no_lead_is_refused(client, team, rounds):
    client.force_login(team["legal"])
    response = post(client, [legal(rounds[0])], team["legal"])
    assert response.status_code == 403
    assert legal(rounds[0]).assignee is None and not assigned_events().exists()


@pytest.mark.parametrize("who", ["alice", "roleless"])
def test_an_owner_or_an_outsider_is_refused(client, alice, team, rounds, who):
    client.force_login(alice if who == "alice" else person("nemo"))
    assert post(client, [legal(rounds[0])], team["legal"]).status_code == 403
    assert not assigned_events().exists()


def test_get_is_refused(client, lead):
    client.force_login(lead)
    assert client.get(URL).status_code == 405


def test_a_signoff_of_another_function_refuses_the_lot(client, lead, team, rounds):
    client.force_login(lead)
    privacy = rounds[1].signoffs.get(function=Function.PRIVACY)
    response = post(client, [legal(rounds[0]), privacy], team["legal"])
    assert response.status_code == 302
    assert legal(rounds[0]).assignee is None and SignOff.objects.get(pk=privacy.pk).assignee is None
    assert not assigned_events().exists()
    page = client.get(BACK).text
    assert (
        "Nothing was assigned" in page and f"{rounds[1].use_case.reference} (Privacy): you do not lead Privacy" in page
    )


def test_a_closed_round_refuses_the_lot(client, lead, team, rounds, alice):
    services.use_case_withdraw(use_case=rounds[1].use_case, user=alice, reason="Not needed")
    client.force_login(lead)
    post(client, [legal(rounds[0]), legal(rounds[1])], team["legal"])
    assert legal(rounds[0]).assignee is None and not assigned_events().exists()
    assert f"{rounds[1].use_case.reference} (Legal): its round is withdrawn" in client.get(BACK).text


def test_an_assignee_who_may_not_sign_refuses_the_lot(client, lead, team, rounds, alice):
    client.force_login(lead)
    post(client, [legal(rounds[0]), legal(rounds[1])], team["privacy"])  # not a member of legal
    assert not assigned_events().exists()
    assert "Nothing was assigned" in client.get(BACK).text


def test_an_owner_cannot_be_given_a_signoff(client, lead, alice, rounds):
    olga = person("olga", Role.LEGAL)
    round = submit(complete_use_case(alice, technical_owner=olga), alice)
    client.force_login(lead)
    post(client, [legal(rounds[0]), legal(round)], olga)
    assert not assigned_events().exists()
    assert "Owners and the submitter of a use case cannot sign" in client.get(BACK).text


@pytest.mark.parametrize(
    "data",
    [
        {},
        {"signoffs": ["x"], "assignee": "1"},
        {"signoffs": ["1"], "assignee": "²"},
        {"signoffs": ["99999999999999999999"], "assignee": "1"},
        {"signoffs": [str(i) for i in range(1, 200)], "assignee": "1"},
    ],
)
def test_bad_input_is_a_message_never_a_500(client, lead, data):
    client.force_login(lead)
    response = client.post(URL, {**data, "next": BACK})
    assert response.status_code == 302 and response["Location"] == BACK
    assert "Nothing was assigned" in client.get(BACK).text


def test_an_unknown_signoff_is_a_404(client, lead, team, rounds):
    client.force_login(lead)
    response = client.post(URL, {"signoffs": [legal(rounds[0]).pk, 987654], "assignee": team["legal"].pk})
    assert response.status_code == 404
    assert not assigned_events().exists()


def test_an_unsafe_next_goes_back_to_the_queue(client, lead, team, rounds):
    client.force_login(lead)
    response = post(client, [legal(rounds[0])], team["legal"], next="https://evil.example/")
    assert response["Location"] == "/reviews/"


def test_a_governance_admin_assigns_any_function(client, team, rounds):
    admin = person("ada", Role.ADMIN)
    client.force_login(admin)
    privacy = rounds[0].signoffs.get(function=Function.PRIVACY)
    post(client, [legal(rounds[0]), privacy, legal(rounds[1])], team["legal"])
    # Lena may hold legal sign-offs, not privacy ones: nothing is assigned.
    assert not assigned_events().exists()
    post(client, [legal(rounds[0]), legal(rounds[1])], team["legal"])
    assert assigned_events().count() == 2


def test_the_service_refuses_a_decided_signoff_and_changes_nothing(lead, team, rounds):
    sign(rounds[1], Function.LEGAL, team["legal"])
    with pytest.raises(services.WorkflowRefused, match="already decided"):
        services.signoffs_assign(
            signoffs=[legal(rounds[0]), legal(rounds[1])], user=lead, assignee=person("lou", Role.LEGAL)
        )
    assert legal(rounds[0]).assignee is None
    assert not assigned_events().exists()


def test_the_queue_form_posts_the_selection(client, lead, team, rounds):
    client.force_login(lead)
    page = client.get("/reviews/?sort=risk").text
    assert 'action="/reviews/assign/"' in page and 'id="bulk-assign"' in page
    assert 'name="next" value="/reviews/?sort=risk"' in page
    assert page.count('form="bulk-assign"') == 3
    assert f'<option value="{team["legal"].pk}">' in page
