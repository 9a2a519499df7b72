"""Pages of the use case list and the review queue: rows read by offset (one extra tells whether a next page
exists), a count that stops at a threshold and says so, and any page number answered without an error."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from governance import paging
from governance.paging import RowCount, page_number
from tests.approvals.workflow import complete_use_case, submit
from tests.factories import UseCaseFactory

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    ("text", "number"),
    [
        (None, 1),
        ("", 1),
        ("2", 2),
        (" 3 ", 3),
        ("0", 1),
        ("-4", 1),
        ("abc", 1),
        ("1e3", 1),
        ("٣", 1),
        ("99999999999999999999", 1),
        ("100000", 100_000),
        ("999999", 100_000),
    ],
)
def test_a_page_number_is_a_small_whole_number_or_the_first_page(text, number):
    assert page_number(text) == number


def test_a_count_says_whether_it_is_exact():
    assert str(RowCount(1234)) == "1,234"
    assert str(RowCount(1000, exact=False)) == "more than 1,000"
    assert str(RowCount(98000, exact=False, estimated=True)) == "about 98,000"


def test_the_list_pages_by_25_and_says_a_large_count_is_a_bound(client, alice, monkeypatch):
    for n in range(27):
        UseCaseFactory(user=alice, title=f"Request {n:02d}")
    client.force_login(alice)

    first = client.get("/use-cases/").text
    assert "27 use cases" in first and "Page 1 of 2" in first and 'rel="next"' in first

    last = client.get("/use-cases/", {"page": "2"}).text
    assert "Page 2 of 2" in last and 'rel="prev"' in last and 'rel="next"' not in last
    assert last.count('<td data-label="Title">Request ') == 2

    assert "Page 2 of 2" in client.get("/use-cases/", {"page": "40"}).text  # past the end: the last page
    assert "Page 1 of 2" in client.get("/use-cases/", {"page": "x" * 300}).text

    monkeypatch.setattr(paging, "EXACT_UP_TO", 10)
    bounded = client.get("/use-cases/").text
    assert "more than 10 use cases" in bounded or "about " in bounded
    assert "Page 1</span>" in bounded and 'rel="next"' in bounded  # no "of N" without an exact count
    deep = client.get("/use-cases/", {"page": "2"}).text
    assert 'rel="next"' not in deep and "Page 2</span>" in deep


def test_the_queue_is_paged_at_the_same_cost_for_one_page_or_two(client, alice, bob):
    client.force_login(bob)
    submit(complete_use_case(alice, title="First"))

    def queue_page(page="1"):
        with CaptureQueriesContext(connection) as ctx:
            response = client.get("/reviews/", {"page": page})
        assert response.status_code == 200
        return response.text, len(ctx.captured_queries)

    body, one = queue_page()
    assert "1 sign-off matches" in body and 'rel="next"' not in body
    for n in range(26):
        submit(complete_use_case(alice, title=f"Request {n}"))
    body, many = queue_page()
    assert "27 sign-offs match" in body and "Page 1 of 2" in body and 'rel="next"' in body
    assert many == one
    body, _ = queue_page("2")
    assert "Page 2 of 2" in body and body.count('class="button primary" href="/reviews/') == 2
