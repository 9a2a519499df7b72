"""GET /api/v1/use-cases/<reference>/rounds/, /events/ and /signoffs/: a use case's review as its page
shows it, to the same people; the sign-offs a caller may see, their review queue among them."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from tests.api.helpers import service_account, session_client, token_client
from tests.approvals.workflow import complete_use_case, person, reviewers, sign, submit
from tests.factories import UseCaseFactory

pytestmark = pytest.mark.django_db

SIGNOFFS = reverse("api_signoff_list")


def rounds_of(use_case) -> str:
    return reverse("api_use_case_rounds", args=[use_case.reference])


def events_of(use_case) -> str:
    return reverse("api_use_case_events", args=[use_case.reference])


@pytest.fixture
def team(db):
    return reviewers()


@pytest.fixture
def in_review(alice, team):
    """alice's request, submitted; legal has approved, the others are pending."""
    use_case = complete_use_case(alice)
    round = submit(use_case)
    sign(round, "legal", team["legal"])
    return use_case


def test_it_shows_each_round_with_its_routing_reasons_and_sign_offs(alice, team, in_review):
    data = session_client(team["privacy"]).get(rounds_of(in_review)).json()
    assert data["count"] == 1
    round = data["results"][0]
    assert round["number"] == 1 and round["status"] == "in_review"
    assert {route["function"] for route in round["routing"]} >= {"legal", "privacy", "security", "procurement"}
    assert all(route["reason"] for route in round["routing"])
    legal = next(s for s in round["signoffs"] if s["function"] == "legal")
    assert legal["decision"] == "approve"
    assert legal["signed_by"]["username"] == team["legal"].username
    assert round["submitted_by"]["username"] == "alice"
    assert round["record"] is None


def test_rounds_are_newest_first(alice, team):
    use_case = complete_use_case(alice)
    sign(submit(use_case), "legal", team["legal"], "request_changes", comment="Name the retention period.")
    submit(use_case)
    numbers = [r["number"] for r in session_client(alice).get(rounds_of(use_case)).json()["results"]]
    assert numbers == [2, 1]


def test_the_events_name_their_actor_oldest_first(alice, team, in_review):
    rows = session_client(alice).get(events_of(in_review)).json()["results"]
    verbs = [row["verb"] for row in rows]
    assert verbs.index("submitted") < verbs.index("signed")
    signed = next(row for row in rows if row["verb"] == "signed")
    assert signed["actor"] == {"username": team["legal"].username, "name": team["legal"].get_full_name()}
    assert signed["round"] == 1


@pytest.mark.parametrize("route", [rounds_of, events_of])
def test_an_outsider_gets_404(route, charlie, bob, alice, in_review):
    draft = UseCaseFactory(user=alice)
    assert session_client(charlie).get(route(in_review)).status_code == 404
    assert session_client(person("nadia")).get(route(in_review)).status_code == 404
    assert session_client(bob).get(route(draft)).status_code == 404  # a reviewer: never a draft
    assert session_client(alice).get(route(draft)).status_code == 200


@pytest.mark.parametrize("route", [rounds_of, events_of])
def test_tokens_read_by_scope(route, in_review):
    assert token_client(service_account("read", name="Reader")[1]).get(route(in_review)).status_code == 200
    assert token_client(service_account("submit", name="Submitter")[1]).get(route(in_review)).status_code == 404
    assert token_client(service_account("gateway", name="Gateway")[1]).get(route(in_review)).status_code == 403


def test_a_submit_tokens_own_request_shows_its_account_as_the_actor():
    account, raw = service_account("submit")
    use_case = complete_use_case(account.user)
    submit(use_case, account.user)
    rows = token_client(raw).get(events_of(use_case)).json()["results"]
    assert rows[0]["verb"] == "submitted"
    assert rows[0]["actor"]["username"] == account.user.username
    assert token_client(raw).get(rounds_of(use_case)).json()["count"] == 1


def test_a_reviewers_queue_is_their_functions_pending_sign_offs(team, in_review):
    client = session_client(team["legal"])
    everything = client.get(SIGNOFFS).json()["results"]
    assert {row["function"] for row in everything} >= {"legal", "privacy"}
    assert client.get(SIGNOFFS, {"queue": "true"}).json()["count"] == 0  # legal has signed
    queue = session_client(team["privacy"]).get(SIGNOFFS, {"queue": "true"}).json()["results"]
    assert [(row["use_case"], row["function"], row["decision"]) for row in queue] == [
        (in_review.reference, "privacy", "pending")
    ]


def test_sign_offs_filter_by_function_decision_and_use_case(team, in_review):
    client = session_client(team["security"])
    rows = client.get(SIGNOFFS, {"decision": "approve"}).json()["results"]
    assert [(row["function"], row["use_case"]) for row in rows] == [("legal", in_review.reference)]
    assert [row["function"] for row in client.get(SIGNOFFS, {"function": "privacy"}).json()["results"]] == ["privacy"]
    assert client.get(SIGNOFFS, {"use_case": "UC-0000-0000"}).json()["count"] == 0


@pytest.mark.parametrize(
    "query", [{"decision": "maybe"}, {"function": "marketing"}, {"queue": "perhaps"}, {"use_case": "x" * 21}]
)
def test_a_bad_sign_off_filter_is_a_400(bob, query):
    response = session_client(bob).get(SIGNOFFS, query)
    assert response.status_code == 400
    assert set(response.json()) == set(query)


def test_sign_offs_are_shown_only_to_who_may_see_their_use_case(alice, charlie, in_review):
    assert session_client(charlie).get(SIGNOFFS).json()["count"] == 0
    assert session_client(person("nadia")).get(SIGNOFFS).json()["count"] == 0
    assert session_client(alice).get(SIGNOFFS).json()["count"] > 0  # her own request's
    assert token_client(service_account("read", name="Reader")[1]).get(SIGNOFFS).json()["count"] > 0
    assert token_client(service_account("submit", name="Submitter")[1]).get(SIGNOFFS).json()["count"] == 0
    assert token_client(service_account("gateway", name="Gateway")[1]).get(SIGNOFFS).status_code == 403


def _queries(client, url, **params) -> int:
    with CaptureQueriesContext(connection) as queries:
        assert client.get(url, params).status_code == 200
    return len(queries)


def test_the_lists_cost_the_same_queries_for_any_number_of_rows(alice, team):
    use_case = complete_use_case(alice)
    sign(submit(use_case), "legal", team["legal"], "request_changes", comment="Name the retention period.")
    submit(complete_use_case(alice))  # an empty page skips its rows' query: compare pages with rows
    client = session_client(team["privacy"])
    few = (
        _queries(client, rounds_of(use_case)),
        _queries(client, events_of(use_case)),
        _queries(client, SIGNOFFS),
        _queries(client, SIGNOFFS, queue="true"),
    )
    round = submit(use_case)
    sign(round, "security", team["security"])
    sign(round, "procurement", team["procurement"])
    submit(complete_use_case(alice))
    many = (
        _queries(client, rounds_of(use_case)),
        _queries(client, events_of(use_case)),
        _queries(client, SIGNOFFS),
        _queries(client, SIGNOFFS, queue="true"),
    )
    assert many == few
