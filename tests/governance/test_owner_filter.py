"""The list's owner filter offers only people the viewer may see, never the whole directory."""

import re

import pytest

from governance.roles import Role
from tests.approvals.workflow import complete_use_case, person, submit
from tests.factories import UseCaseFactory

pytestmark = pytest.mark.django_db


def offered(client) -> set[str]:
    body = client.get("/use-cases/").text
    select = re.search(r'<select name="owner".*?</select>', body, re.S).group(0)
    return set(re.findall(r'<option value="(\d+)"', select))


@pytest.fixture
def people(alice, charlie):
    submit(complete_use_case(charlie))
    drafter = person("dora", Role.BUSINESS_OWNER)
    UseCaseFactory(user=drafter)
    person("unrelated", Role.LEGAL)
    return {"charlie": charlie, "dora": drafter}


def test_an_owner_is_offered_only_themselves(client, alice, people):
    client.force_login(alice)
    assert offered(client) == {str(alice.pk)}


def test_a_reviewer_is_offered_the_owners_of_submitted_use_cases_only(client, bob, people):
    client.force_login(bob)
    assert offered(client) == {str(people["charlie"].pk)}


def test_choosing_someone_not_offered_is_a_form_error(client, alice, people):
    client.force_login(alice)
    response = client.get("/use-cases/", {"owner": people["charlie"].pk})
    assert response.status_code == 400
    assert "Select a valid choice" in response.text
