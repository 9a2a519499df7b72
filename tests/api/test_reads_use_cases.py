"""GET /api/v1/use-cases/ and /use-cases/<reference>/: what the list and detail pages show, to the same
people, with the list page's filters; service accounts by scope."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from approvals.models import Condition
from governance.models import UseCase
from governance.roles import Role
from tests.api.helpers import service_account, session_client, token_client
from tests.approvals.workflow import approved_use_case, complete_use_case, person, reviewers, submit
from tests.factories import RiskFactory, UseCaseFactory

pytestmark = pytest.mark.django_db

LIST = reverse("api_use_case_list")


def detail(use_case) -> str:
    return reverse("api_use_case_detail", args=[use_case.reference])


def references(response) -> list[str]:
    assert response.status_code == 200, response.content
    return [row["reference"] for row in response.json()["results"]]


def test_it_lists_what_the_owner_may_open(alice, charlie, use_case):
    assert references(session_client(alice).get(LIST)) == [use_case.reference]
    assert references(session_client(charlie).get(LIST)) == []


def test_it_lists_nothing_for_a_person_without_a_role(use_case):
    assert references(session_client(person("nadia")).get(LIST)) == []


def test_a_reviewer_sees_submitted_use_cases_not_drafts(alice, bob, use_case):
    submitted = complete_use_case(alice)
    submit(submitted)
    assert references(session_client(bob).get(LIST)) == [submitted.reference]


def test_it_filters_searches_and_sorts_as_the_list_page(alice):
    first = UseCaseFactory(user=alice, title="Ticket summaries")
    second = UseCaseFactory(user=alice, title="Code review helper")
    RiskFactory(use_case=second, residual_likelihood=4, residual_impact=4)  # high
    client = session_client(alice)
    assert references(client.get(LIST, {"q": "code review"})) == [second.reference]
    assert references(client.get(LIST, {"band": "high"})) == [second.reference]
    assert references(client.get(LIST, {"status": "draft", "sort": "reference"})) == [first.reference, second.reference]
    assert references(client.get(LIST, {"sort": "-reference"})) == [second.reference, first.reference]
    assert references(client.get(LIST, {"status": "live"})) == []


@pytest.mark.parametrize("query", [{"status": "nonsense"}, {"sort": "sideways"}, {"model": "x"}, {"q": "x" * 201}])
def test_it_refuses_a_bad_filter_with_its_message(alice, query):
    response = session_client(alice).get(LIST, query)
    assert response.status_code == 400
    assert set(response.json()) == set(query)


def test_it_pages_without_repeating_or_skipping(alice):
    made = {UseCaseFactory(user=alice).reference for _ in range(3)}
    UseCase.objects.update(updated_at=timezone.now())  # ties on the sort key: the primary key breaks them
    client = session_client(alice)
    seen = []
    for offset in range(3):
        page = client.get(LIST, {"limit": 1, "offset": offset}).json()
        assert page["count"] == 3
        seen += [row["reference"] for row in page["results"]]
    assert sorted(seen) == sorted(made)


def test_a_read_token_sees_the_submitted_portfolio(alice, use_case):
    submitted = complete_use_case(alice)
    submit(submitted)
    _, raw = service_account("read")
    client = token_client(raw)
    assert references(client.get(LIST)) == [submitted.reference]
    assert client.get(detail(submitted)).status_code == 200
    assert client.get(detail(use_case)).status_code == 404  # a draft is its owners' alone


def test_a_submit_token_sees_only_its_own_requests(alice, use_case):
    account, raw = service_account("submit")
    own = UseCaseFactory(user=account.user)
    submit(complete_use_case(alice))
    client = token_client(raw)
    assert references(client.get(LIST)) == [own.reference]
    assert client.get(detail(own)).status_code == 200
    assert client.get(detail(use_case)).status_code == 404


def test_a_gateway_token_may_not_read(use_case):
    _, raw = service_account("gateway")
    client = token_client(raw)
    assert client.get(LIST).status_code == 403
    assert client.get(detail(use_case)).status_code == 403


def test_nobody_signed_in_gets_401(use_case):
    from rest_framework.test import APIClient

    assert APIClient().get(LIST).status_code == 401
    assert APIClient().get(detail(use_case)).status_code == 401


def test_the_detail_shows_the_request_as_its_page(alice, use_case):
    data = session_client(alice).get(detail(use_case)).json()
    assert data["reference"] == use_case.reference
    assert data["status"] == "draft"
    assert data["business_owner"] == {"username": "alice", "name": "Alice"}
    assert data["primary_model"]["vendor"]["name"] == use_case.primary_model.vendor.name
    assert data["current_approval"] is None


def test_an_outsider_gets_404_for_a_use_case_they_may_not_see(charlie, bob, use_case):
    assert session_client(charlie).get(detail(use_case)).status_code == 404
    assert session_client(bob).get(detail(use_case)).status_code == 404  # a reviewer, but a draft
    assert session_client(person("nadia")).get(detail(use_case)).status_code == 404
    assert session_client(charlie).get(reverse("api_use_case_detail", args=["UC-0000-0000"])).status_code == 404
    assert session_client(charlie).get(reverse("api_use_case_detail", args=["x" * 300])).status_code == 404


def test_the_detail_shows_the_approval_in_force_with_its_expiry_and_conditions(alice):
    team = reviewers()
    use_case, round = approved_use_case(alice, team)
    Condition.objects.create(
        signoff=round.signoffs.get(function="legal"),
        round=round,
        use_case=use_case,
        function="legal",
        description="Sign the data processing agreement.",
        owner=alice,
        due_on=round.expires_on,
    )
    data = session_client(team["legal"]).get(detail(use_case)).json()
    approval = data["current_approval"]
    assert approval["round"] == round.number
    assert approval["expires_on"] == round.expires_on.isoformat()
    assert [c["description"] for c in approval["conditions"]] == ["Sign the data processing agreement."]
    assert [m["name"] for m in data["fallback_models"]] == ["Fallback"]
    assert [c["slug"] for c in data["data_categories"]] == ["customer-records"]
    assert data["risks"][0]["residual_score"] == 6


def _queries(client, url) -> int:
    with CaptureQueriesContext(connection) as queries:
        assert client.get(url).status_code == 200
    return len(queries)


def test_the_list_costs_the_same_queries_for_any_number_of_rows(alice):
    executive = person("erin", Role.EXECUTIVE)
    client = session_client(executive)
    _, raw = service_account("read")
    tokens = token_client(raw)
    tokens.get(LIST)  # the token's first use is written once; later uses within a minute are not
    for _ in range(2):
        UseCaseFactory(user=alice)
    UseCase.objects.update(first_submitted_at=timezone.now())
    few = _queries(client, LIST), _queries(tokens, LIST), _queries(session_client(alice), LIST)
    for _ in range(8):
        UseCaseFactory(user=alice, primary_model=UseCase.objects.first().primary_model)
    UseCase.objects.update(first_submitted_at=timezone.now())
    assert (_queries(client, LIST), _queries(tokens, LIST), _queries(session_client(alice), LIST)) == few
