"""Naming the leads of the reviewing functions: governance admins only; one permission granted or removed,
and a line in the admin's log."""

import pytest
from django.contrib.admin.models import LogEntry
from django.db import connection
from django.test.utils import CaptureQueriesContext

from governance.roles import Role
from tests.approvals.workflow import complete_use_case, person, submit

pytestmark = pytest.mark.django_db

URL = "/reviews/leads/"


@pytest.fixture
def ada(db):
    return person("ada", Role.ADMIN, first_name="Ada", last_name="Admin")


def leads(user) -> bool:
    user = type(user).objects.get(pk=user.pk)  # a fresh object: permissions are cached on the old one
    return user.has_perm("approvals.lead_signoffs")


def test_an_admin_makes_a_member_a_lead_and_back(client, ada, team):
    client.force_login(ada)
    page = client.get(URL)
    assert page.status_code == 200 and "lena" in page.text
    response = client.post(URL, {"member": team["legal"].pk, "lead": "on"})
    assert response.status_code == 302 and response["Location"] == URL
    assert leads(team["legal"])
    entry = LogEntry.objects.get()
    assert entry.user == ada and entry.object_id == str(team["legal"].pk)
    assert "Stop leading" in client.get(URL).text
    client.post(URL, {"member": team["legal"].pk, "lead": "off"})
    assert not leads(team["legal"])
    assert LogEntry.objects.count() == 2


def test_the_new_lead_gets_the_selection_boxes(client, ada, team, alice):
    submit(complete_use_case(alice))
    client.force_login(ada)
    client.post(URL, {"member": team["legal"].pk, "lead": "on"})
    client.force_login(team["legal"])
    assert 'name="signoffs"' in client.get("/reviews/").text


def test_making_a_lead_twice_changes_nothing(client, ada, team):
    client.force_login(ada)
    client.post(URL, {"member": team["legal"].pk, "lead": "on"})
    client.post(URL, {"member": team["legal"].pk, "lead": "on"})
    assert LogEntry.objects.count() == 1


def test_only_a_member_of_a_function_can_lead(client, ada, alice):
    client.force_login(ada)
    client.post(URL, {"member": alice.pk, "lead": "on"})
    assert not leads(alice)
    assert "Only an active member of a reviewing function can lead it." in client.get(URL).text


@pytest.mark.parametrize("data", [{}, {"member": "x", "lead": "on"}, {"member": "1", "lead": "maybe"}])
def test_bad_input_is_a_message(client, ada, data):
    client.force_login(ada)
    response = client.post(URL, data)
    assert response.status_code == 302
    assert "Choose a member of a reviewing function." in client.get(URL).text


@pytest.mark.parametrize("who", ["legal", "owner"])
def test_anyone_but_an_admin_gets_404(client, team, alice, who):
    user = team["legal"] if who == "legal" else alice
    client.force_login(user)
    assert client.get(URL).status_code == 404
    assert client.post(URL, {"member": team["legal"].pk, "lead": "on"}).status_code == 404
    assert not leads(team["legal"])


def test_the_page_runs_the_same_queries_for_few_and_many_members(client, ada, team):
    client.force_login(ada)

    def queries() -> int:
        client.get(URL)
        with CaptureQueriesContext(connection) as ctx:
            assert client.get(URL).status_code == 200
        return len(ctx.captured_queries)

    few = queries()
    for i in range(20):
        person(f"member{i}", Role.LEGAL, Role.PRIVACY)
    assert queries() == few
