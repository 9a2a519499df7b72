"""The home page: each role sees what it needs first, and the page's cost does not grow with the rows."""

from datetime import timedelta
from unittest import mock

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from approvals.models import ApprovalRequest
from approvals.services import signoff_assign
from governance.roles import Role
from tests.approvals.workflow import approved_use_case, complete_use_case, person, sign, submit
from tests.factories import RiskFactory, UseCaseFactory, UserFactory


def home(client, user):
    client.force_login(user)
    response = client.get("/")
    assert response.status_code == 200
    return response


def count_queries(client, user) -> int:
    client.force_login(user)
    client.get("/")  # warm process-wide caches (content types) so that only per-request queries count
    with CaptureQueriesContext(connection) as ctx:
        assert client.get("/").status_code == 200
    return len(ctx.captured_queries)


def test_it_requires_login(client):
    response = client.get("/")
    assert response.status_code == 302
    assert response.url.startswith("/login/")


def test_it_refuses_post(client, alice):
    client.force_login(alice)
    assert client.post("/").status_code == 405


def test_an_owner_sees_who_each_request_waits_for(client, alice, team):
    in_review = complete_use_case(alice, title="Ticket summaries")
    round = submit(in_review)
    signoff_assign(signoff=round.signoffs.get(function="legal"), user=team["legal"], assignee=team["legal"])
    sign(round, "security", team["security"])
    draft = UseCaseFactory(user=alice, title="Still a draft")

    body = home(client, alice).text

    assert in_review.reference in body and draft.reference in body
    assert f"<strong>Legal</strong> ({team['legal'].get_full_name()})" in body  # assigned: named
    assert "<strong>Privacy</strong>: sign-off" in body
    assert "<strong>Security</strong>" not in body  # already signed
    assert "complete the request and submit it" in body
    assert "Your requests" in body
    assert "The live portfolio" not in body and "review queue</h2>" not in body


def test_an_owner_sees_which_function_asked_for_changes(client, alice, team):
    use_case = complete_use_case(alice)
    round = submit(use_case)
    sign(round, "privacy", team["privacy"], decision="request_changes", comment="Name the retention period.")

    body = home(client, alice).text

    assert "address the changes Privacy asked for, then resubmit" in body


def test_an_owner_sees_when_an_approval_expires(client, alice, team):
    use_case, round = approved_use_case(alice, team)
    ApprovalRequest.objects.filter(pk=round.pk).update(expires_on=timezone.localdate() + timedelta(days=10))

    body = home(client, alice).text

    assert f"approved until {timezone.localdate() + timedelta(days=10):%Y-%m-%d}" in body
    assert "10 days left" in body


def test_the_owners_counts_link_to_the_filtered_list(client, alice):
    UseCaseFactory(user=alice)
    UseCaseFactory(user=alice)

    body = home(client, alice).text

    assert f'href="/use-cases/?owner={alice.pk}&amp;status=draft"' in body
    list_body = client.get(f"/use-cases/?owner={alice.pk}&status=draft").text
    assert list_body.count("badge status-draft") == 2


def test_an_owner_sees_nothing_of_other_owners(client, alice, charlie):
    theirs = UseCaseFactory(user=charlie, title="Charlie's secret pilot")
    body = home(client, alice).text
    assert theirs.reference not in body and "Charlie's secret pilot" not in body


def test_a_reviewer_sees_the_queue_oldest_first_with_the_sla_clock(client, alice, team):
    old, new = complete_use_case(alice, title="Old request"), complete_use_case(alice, title="New request")
    # A round's submission time is frozen (a trigger refuses to change it): submit the old one 8 days ago.
    with mock.patch("django.utils.timezone.now", return_value=timezone.now() - timedelta(days=8)):
        submit(old)
    new_round = submit(new)

    body = home(client, team["security"]).text

    assert "Your functions’ review queue" in body
    assert body.index(old.reference) < body.index(new.reference)  # in "Waiting for you", overdue first
    assert "8 days · overdue" in body
    assert '<span class="tile-value">2</span><span class="tile-label">pending</span>' in body
    assert '<span class="tile-value">1</span><span class="tile-label">over the 5-day target</span>' in body
    assert f'href="/reviews/{new_round.signoffs.get(function="security").pk}/"' in body
    assert "Your requests" not in body  # a reviewer who owns nothing sees no owner panel


def test_a_reviewer_sees_only_their_functions_sign_offs(client, alice, team):
    round = submit(complete_use_case(alice))
    sign(round, "security", team["security"])

    body = home(client, team["security"]).text

    assert "Nothing is waiting for you." in body


@pytest.mark.parametrize("role", [Role.EXECUTIVE, Role.ADMIN])
def test_executives_and_admins_see_the_portfolio(client, alice, team, role):
    approved_use_case(alice, team)
    UseCaseFactory(user=alice)  # a draft never submitted: its owner's alone, not in the portfolio
    viewer = person("vera", role)

    body = home(client, viewer).text

    assert "The live portfolio" in body
    assert '<span class="tile-value">1</span><span class="tile-label">live use cases</span>' in body
    assert 'href="/use-cases/?status=approved"' in body
    assert 'href="/use-cases/?status=live&amp;band=medium&amp;sort=-risk"' in body
    assert "Residual risk heat map: 1 risks" in body


@pytest.mark.parametrize("role", [Role.BUSINESS_OWNER, Role.SECURITY, Role.LEGAL])
def test_others_do_not_see_the_portfolio(client, db, role):
    body = home(client, UserFactory(roles=[role])).text
    assert "The live portfolio" not in body


def test_the_owner_dashboard_costs_the_same_for_one_or_many_requests(client, alice, team):
    submit(complete_use_case(alice))
    few = count_queries(client, alice)
    for n in range(8):
        use_case = complete_use_case(alice, title=f"Request {n}")
        RiskFactory(use_case=use_case)
        if n % 2:
            submit(use_case)
    approved_use_case(alice, team)
    assert count_queries(client, alice) == few


def test_the_reviewer_dashboard_costs_the_same_for_one_or_many_sign_offs(client, alice, team):
    submit(complete_use_case(alice))
    few = count_queries(client, team["security"])
    for n in range(12):
        submit(complete_use_case(alice, title=f"Request {n}"))
    assert count_queries(client, team["security"]) == few


def test_the_portfolio_costs_the_same_for_few_or_many_use_cases(client, alice, team):
    executive = person("vera", Role.EXECUTIVE)
    approved_use_case(alice, team)
    few = count_queries(client, executive)
    for n in range(10):
        RiskFactory(use_case=complete_use_case(alice, title=f"Request {n}"))
    approved_use_case(alice, team)
    many = count_queries(client, executive)
    assert many == few
    assert many <= 12
