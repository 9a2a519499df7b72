"""The review queue: search, filters, order, page size, take and release from a row, and a constant number
of queries whatever the rows and the filters."""

import re
from datetime import timedelta
from types import SimpleNamespace
from unittest import mock

import pytest
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Permission
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from approvals.models import ApprovalRequest, SignOff
from bench.seed import seed_portfolio
from governance.roles import Function, Role
from tests.approvals.workflow import complete_use_case, person, submit
from tests.factories import AIModelFactory, VendorFactory, data_category

pytestmark = pytest.mark.django_db


def make_lead(user):
    user.user_permissions.add(Permission.objects.get(codename="lead_signoffs", content_type__app_label="approvals"))
    return user


def submitted(use_case, days_ago: int = 0) -> ApprovalRequest:
    """Submit `use_case` as if `days_ago` days (and an hour) ago: what a round was submitted with never changes."""
    moment = timezone.now() - timedelta(days=days_ago, hours=1)
    with mock.patch("django.utils.timezone.now", return_value=moment):
        return submit(use_case)


def later(days: int):
    """The queue page reads its clock `days` from now (the rest of the request keeps the real one)."""
    moment = timezone.now() + timedelta(days=days)
    return mock.patch("approvals.views.timezone", SimpleNamespace(now=lambda: moment))


@pytest.fixture
def rounds(alice):
    """Three requests in review: a medium risk one with customer records from a US vendor (10 days old),
    a high risk one with authentication data from a Korean vendor (2 days), and one with public content
    only, medium risk, submitted today."""
    naver = AIModelFactory(name="HyperCLOVA X", vendor=VendorFactory(name="NAVER Cloud", hq_country="KR"))
    return {
        "old": submitted(complete_use_case(alice, title="Ticket summaries"), 10),
        "high": submitted(
            complete_use_case(
                alice,
                title="Login anomaly triage",
                primary_model=naver,
                residual=(3, 4),
                data_categories=[data_category("authentication-data")],
            ),
            2,
        ),
        "new": submitted(
            complete_use_case(alice, title="Press release drafts", data_categories=[data_category("public-content")])
        ),
    }


def references(response) -> list[str]:
    return re.findall(r">(UC-\d{4}-\d{4})</a>", response.text)


def ref(round) -> str:
    return round.use_case.reference


def test_it_lists_oldest_first_with_data_sensitivity_and_residual_band(client, team, rounds):
    client.force_login(team["legal"])
    response = client.get("/reviews/")
    assert response.status_code == 200
    assert references(response) == [ref(rounds["old"]), ref(rounds["high"]), ref(rounds["new"])]
    body = response.text
    assert "Data sensitivity" in body and "Residual risk" in body
    assert "Restricted" in body and "Confidential" in body and "Public" in body
    assert 'class="badge band-high">High<' in body and 'class="badge band-medium">Medium<' in body
    assert "3 sign-offs match" in body


def test_plurals_are_right(client, team, alice, rounds):
    client.force_login(team["legal"])
    body = client.get("/reviews/").text
    assert "10 days · overdue" in body and "2 days<" in body and "0 days<" in body
    with later(1):
        body = client.get("/reviews/").text
    assert "11 days · overdue" in body and "3 days<" in body and "1 day<" in body
    body = client.get("/reviews/", {"q": "press release"}).text
    assert "1 sign-off matches" in body and "1 sign-offs" not in body
    assert "0 sign-offs match" in client.get("/reviews/", {"q": "nothing like it"}).text


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("ticket SUMMARIES", ["old"]),  # title, any case
        ("hyperclova", ["high"]),  # primary model
        ("naver cloud", ["high"]),  # vendor
    ],
)
def test_it_searches_title_model_and_vendor(client, team, rounds, query, expected):
    client.force_login(team["legal"])
    assert references(client.get("/reviews/", {"q": query})) == [ref(rounds[k]) for k in expected]


def test_it_searches_the_reference(client, team, rounds):
    client.force_login(team["legal"])
    reference = ref(rounds["new"])
    assert references(client.get("/reviews/", {"q": reference.lower()})) == [reference]


def test_it_filters(client, team, rounds):
    client.force_login(team["legal"])
    get = lambda **query: references(client.get("/reviews/", query))  # noqa: E731
    assert get(overdue="on") == [ref(rounds["old"])]
    assert get(sensitivity="4") == [ref(rounds["high"])]
    assert get(sensitivity="1") == [ref(rounds["new"])]
    assert get(band="high") == [ref(rounds["high"])]
    assert get(band="medium") == [ref(rounds["old"]), ref(rounds["new"])]
    assert get(vendor_country="kr") == [ref(rounds["high"])]
    assert get(band="medium", sensitivity="3") == [ref(rounds["old"])]


def test_it_filters_by_function_and_assignment(client, alice, rounds):
    both = person("bea", Role.LEGAL, Role.PRIVACY)
    SignOff.objects.filter(round=rounds["old"], function=Function.LEGAL).update(assignee=both)
    client.force_login(both)
    get = lambda **query: [  # noqa: E731
        (m[0], m[1])
        for m in re.findall(
            r">(UC-\d{4}-\d{4})</a>.*?<td>(Legal|Privacy)</td>", client.get("/reviews/", query).text, re.S
        )
    ]
    assert len(get()) == 6
    assert {f for _, f in get(function="privacy")} == {"Privacy"}
    assert get(assigned="me") == [(ref(rounds["old"]), "Legal")]
    assert (ref(rounds["old"]), "Legal") not in get(assigned="unassigned")
    assert len(get(assigned="unassigned")) == 5


def test_it_sorts_by_risk_with_a_stable_tie_break(client, team, rounds):
    client.force_login(team["legal"])
    first = references(client.get("/reviews/", {"sort": "risk"}))
    # High first; the two medium ones oldest first.
    assert first == [ref(rounds["high"]), ref(rounds["old"]), ref(rounds["new"])]
    assert references(client.get("/reviews/", {"sort": "risk"})) == first


def test_pages_keep_the_filters_and_the_page_size(client, team, alice, rounds):
    for _ in range(24):
        submit(complete_use_case(alice))
    client.force_login(team["legal"])
    assert "24 sign-offs match" in client.get("/reviews/", {"band": "medium", "q": "use case"}).text
    body = client.get("/reviews/", {"band": "medium", "sort": "risk"}).text
    assert "26 sign-offs match" in body
    assert 'href="?band=medium&amp;sort=risk&amp;page=2"' in body
    second = client.get("/reviews/", {"band": "medium", "sort": "risk", "page": "2"})
    assert len(references(second)) == 1
    assert 'href="?band=medium&amp;sort=risk&amp;page=1"' in second.text
    assert len(references(client.get("/reviews/", {"band": "medium", "per_page": "50"}))) == 26


def test_clear_filters_shows_only_when_filtered(client, team, rounds):
    client.force_login(team["legal"])
    assert "Clear filters" not in client.get("/reviews/").text
    assert "Clear filters" not in client.get("/reviews/", {"sort": "risk", "page": "1"}).text
    assert 'href="/reviews/">Clear filters' in client.get("/reviews/", {"band": "high"}).text


def test_every_control_has_a_label(client, team, rounds):
    make_lead(team["legal"])
    client.force_login(team["legal"])
    body = client.get("/reviews/").text
    ids = re.findall(r'<(?:input|select)[^>]*\bid="([^"]+)"', body)
    assert ids
    for control in ids:
        assert f'for="{control}"' in body, control


@pytest.mark.parametrize(
    "query",
    [
        {"q": "x" * 201},
        {"function": "security"},  # not one of the user's functions
        {"function": "nonsense"},
        {"sensitivity": "9"},
        {"sensitivity": "²"},
        {"band": "<script>"},
        {"vendor_country": "KOR"},
        {"vendor_country": "1\x00"},
        {"sort": "-pk"},
        {"per_page": "100000"},
        {"assigned": "everyone"},
        {"q": "a\x00b"},
        {"page": "-1", "overdue": "maybe"},
    ],
)
def test_bad_values_are_errors_never_500(client, team, rounds, query):
    client.force_login(team["legal"])
    response = client.get("/reviews/", query)
    assert response.status_code in (200, 400)
    if response.status_code == 400 and "\x00" not in "".join(query.values()):  # NUL: refused before the view
        assert 'class="error" role="alert"' in response.text
        # The bad filter is left out: the other rows are all still listed.
        assert len(references(response)) == 3
    assert "<script>" not in response.text


def test_a_too_long_search_says_so(client, team, rounds):
    client.force_login(team["legal"])
    response = client.get("/reviews/", {"q": "x" * 201, "band": "high"})
    assert response.status_code == 400
    assert "at most 200 characters" in response.text
    assert references(response) == [ref(rounds["high"])]  # the valid filter still applies


# --- Take and release from the queue ------------------------------------------------------------------


def test_take_and_release_from_a_row_come_back_to_the_filtered_queue(client, team, rounds):
    signoff = rounds["old"].signoffs.get(function=Function.LEGAL)
    client.force_login(team["legal"])
    here = "/reviews/?band=medium&sort=risk"
    page = client.get(here).text
    assert f'action="/reviews/{signoff.pk}/take/"' in page and "Release<" not in page
    response = client.post(f"/reviews/{signoff.pk}/take/", {"next": here})
    assert response.status_code == 302 and response["Location"] == here
    signoff.refresh_from_db()
    assert signoff.assignee == team["legal"]
    assert "Release<" in client.get(here).text
    response = client.post(f"/reviews/{signoff.pk}/take/", {"action": "release", "next": here})
    assert response["Location"] == here
    signoff.refresh_from_db()
    assert signoff.assignee is None


@pytest.mark.parametrize(
    "target",
    [
        "//evil.example/",
        "https://evil.example/",
        "/\\evil.example",
        "javascript:alert(1)",
        "/x\r\nSet-Cookie: a=b",
        "x" * 3000,
    ],
)
def test_take_refuses_a_next_that_is_not_a_path_here(client, team, rounds, target):
    signoff = rounds["old"].signoffs.get(function=Function.LEGAL)
    client.force_login(team["legal"])
    response = client.post(f"/reviews/{signoff.pk}/take/", {"next": target})
    assert response.status_code == 302
    assert response["Location"] == f"/reviews/{signoff.pk}/"


def test_rows_offer_only_what_the_reader_may_do(client, alice, team, rounds):
    lou = person("lou", Role.LEGAL)
    held = rounds["old"].signoffs.get(function=Function.LEGAL)
    SignOff.objects.filter(pk=held.pk).update(assignee=lou)
    client.force_login(team["legal"])
    body = client.get("/reviews/").text
    assert f'action="/reviews/{held.pk}/take/"' not in body  # lou holds it; lena is no lead
    assert 'name="signoffs"' not in body  # no selection boxes for a member who leads nothing
    make_lead(team["legal"])
    client.force_login(team["legal"])
    body = client.get("/reviews/").text
    assert body.count(f'action="/reviews/{held.pk}/take/"') == 2  # a lead may take it over, or release it
    assert body.count('name="signoffs"') == 3
    assert "Assign selected" in body


# --- Queries -------------------------------------------------------------------------------------------


def queue_queries(client, query) -> tuple[int, int]:
    client.get("/reviews/", query)
    with later(400), CaptureQueriesContext(connection) as ctx:  # every seeded round is overdue by then
        response = client.get("/reviews/", query)
    assert response.status_code == 200, response.text
    return len(ctx.captured_queries), len(references(response))


def test_the_queue_runs_the_same_queries_for_3_and_30_pending_signoffs_with_filters_and_search(client):
    seed_portfolio(40)
    lead = make_lead(get_user_model().objects.get(username="bench-legal-1"))
    pending = SignOff.objects.filter(function=Function.LEGAL, decision="pending", round__status="in_review")

    def shape():
        # Some rows held by the lead, some by the other member: both buttons and the boxes are drawn.
        ids = list(pending.order_by("pk").values_list("pk", flat=True))
        SignOff.objects.filter(pk__in=ids[::3]).update(assignee=lead)
        return len(ids)

    few = shape()
    assert 3 <= few < 10, few
    client.force_login(lead)
    filtered = {"q": "uc-", "function": "legal", "overdue": "on", "sort": "risk", "per_page": "100"}
    plain_few, rows_few = queue_queries(client, {})
    filtered_few, filtered_rows_few = queue_queries(client, filtered)
    assert rows_few == filtered_rows_few == few

    seed_portfolio(400)
    many = shape()
    assert many >= 30, many
    plain_many, rows_many = queue_queries(client, {})
    filtered_many, filtered_rows_many = queue_queries(client, filtered)
    assert rows_many == 25 and filtered_rows_many == min(many, 100)
    assert plain_few == plain_many
    assert filtered_few == filtered_many == plain_few
    assert plain_few <= 12, plain_few


def test_what_people_typed_is_escaped_in_the_rows(client, team, alice):
    """The rows are written without the template engine: titles, model and vendor names are escaped there too."""
    hostile = '<img src=x onerror="alert(1)">'
    model = AIModelFactory(name=f"Model {hostile}", vendor=VendorFactory(name=f"Vendor {hostile}", hq_country="US"))
    submitted(complete_use_case(alice, title=f"Title {hostile}", primary_model=model))
    client.force_login(make_lead(team["legal"]))
    body = client.get("/reviews/").text
    assert hostile not in body
    assert body.count("&lt;img src=x onerror=&quot;alert(1)&quot;&gt;") >= 3
