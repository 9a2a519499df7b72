"""The models catalog counts use cases among those the viewer may see, never the organisation's total."""

import re

import pytest

from tests.approvals.workflow import complete_use_case, submit
from tests.factories import AIModelFactory, UseCaseFactory

pytestmark = pytest.mark.django_db


def count_of(client, model) -> str:
    body = client.get("/catalog/models/").text
    row = re.search(rf'href="/catalog/models/{model.pk}/">.*?</tr>', body, re.S).group(0)
    return re.findall(r"<td>(\d+)</td>", row)[-1]


@pytest.fixture
def model(alice, charlie):
    model = AIModelFactory(name="Qwen")
    UseCaseFactory(user=alice, primary_model=model)
    submit(complete_use_case(charlie, primary_model=model))
    UseCaseFactory(user=charlie, primary_model=model)
    return model


def test_an_owner_counts_only_their_own_use_cases(client, alice, charlie, model):
    client.force_login(alice)
    assert count_of(client, model) == "1"
    client.force_login(charlie)
    assert count_of(client, model) == "2"


def test_a_reviewer_counts_the_submitted_use_cases_only(client, bob, model):
    client.force_login(bob)
    assert count_of(client, model) == "1"
