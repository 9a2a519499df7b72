import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from tests.factories import RiskFactory, UseCaseFactory

pytestmark = pytest.mark.django_db


def url(use_case):
    return f"/use-cases/{use_case.reference}/"


def test_the_owner_sees_the_use_case(client, alice, use_case):
    RiskFactory(use_case=use_case, title="Source code leaves the building")
    client.force_login(alice)
    response = client.get(url(use_case))
    assert response.status_code == 200
    assert use_case.title in response.text
    assert "Source code leaves the building" in response.text


def test_a_reviewer_sees_it_once_submitted_and_not_before(client, alice, bob):
    from tests.approvals.workflow import complete_use_case, submit

    use_case = complete_use_case(alice)
    client.force_login(bob)
    assert client.get(url(use_case)).status_code == 404
    submit(use_case)
    assert client.get(url(use_case)).status_code == 200


def test_an_outsider_gets_404(client, charlie, use_case):
    client.force_login(charlie)
    response = client.get(url(use_case))
    assert response.status_code == 404
    assert use_case.title not in response.text


def test_an_unknown_reference_is_the_same_404(client, charlie, use_case):
    client.force_login(charlie)
    assert client.get("/use-cases/UC-2026-9999/").status_code == 404


def test_anonymous_is_sent_to_login(client, use_case):
    response = client.get(url(use_case))
    assert response.status_code == 302
    assert response["Location"].startswith("/login/")


def test_post_is_refused(client, alice, use_case):
    client.force_login(alice)
    assert client.post(url(use_case)).status_code == 405


def test_user_text_is_escaped(client, alice):
    use_case = UseCaseFactory(user=alice, purpose='<script>alert(1)</script><img src="http://evil.test/x">')
    client.force_login(alice)
    body = client.get(url(use_case)).text
    assert "<script>alert(1)" not in body
    assert "&lt;img src=&quot;http://evil.test/x&quot;&gt;" in body


def test_home_lists_only_my_use_cases(client, alice, charlie):
    mine, theirs = UseCaseFactory(user=alice), UseCaseFactory(user=charlie)
    client.force_login(alice)
    body = client.get("/").text
    assert mine.reference in body
    assert theirs.reference not in body


def count_queries(client, path):
    client.get(path)  # warm the process-wide caches (content types) so that only per-request queries count
    with CaptureQueriesContext(connection) as ctx:
        assert client.get(path).status_code == 200
    return len(ctx.captured_queries)


@pytest.mark.parametrize("path", ["/", "/use-cases/"])
def test_list_pages_run_a_constant_number_of_queries(client, alice, path):
    client.force_login(alice)
    UseCaseFactory(user=alice)
    few = count_queries(client, path)
    for _ in range(15):
        RiskFactory(use_case=UseCaseFactory(user=alice))
    many = count_queries(client, path)
    assert few == many
    assert many <= 12


def test_reviewer_list_page_query_count_is_constant(client, alice, bob):
    client.force_login(bob)
    UseCaseFactory(user=alice)
    few = count_queries(client, "/use-cases/")
    for _ in range(15):
        RiskFactory(use_case=UseCaseFactory(user=alice))
    assert count_queries(client, "/use-cases/") == few
