"""The inbox: every notification is an entry with a link to where to act; its recipient's alone."""

from datetime import timedelta

import pytest
from django.conf import settings
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from approvals.conditions import ConditionSpec, condition_claim_met
from approvals.models import Notification
from approvals.notifications import notification_queue
from approvals.services import signoff_decide
from approvals.sweeps import signoffs_remind_overdue
from tests.approvals.workflow import answer_items, complete_use_case, sign, submit
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


def entry(user, subject="UC-2026-0001 needs you", link="/reviews/1/", **fields) -> Notification:
    return Notification.objects.create(recipient=user, subject=subject, body="b", link=link, **fields)


# --- Every notification links to where to act ---------------------------------------------------------


def test_a_submission_tells_each_function_with_a_link_to_its_own_sign_off(alice, team):
    round = submit(complete_use_case(alice))
    for function in round.required_functions:
        notice = Notification.objects.get(recipient=team[function])
        assert notice.link == f"/reviews/{round.signoffs.get(function=function).pk}/"
        assert f"{settings.SITE_URL}{notice.link}" in notice.body


def test_the_e_mail_carries_the_link_in_full_when_the_body_does_not(alice, settings):
    settings.SITE_URL = "http://127.0.0.1:9123"
    notice = notification_queue(recipient=alice, subject="s", body="Something happened.", link="/use-cases/X/")
    assert notice.body == "Something happened.\n\nOpen it: http://127.0.0.1:9123/use-cases/X/"


@pytest.mark.parametrize("link", ["https://evil.example/", "//evil.example/", "reviews/1/", "/\\evil", ""])
def test_a_notification_links_only_to_a_path_of_this_site(alice, link):
    with pytest.raises(ValueError):
        notification_queue(recipient=alice, subject="s", body="b", link=link)


# --- The list ----------------------------------------------------------------------------------------


def test_it_requires_login(client):
    assert client.get("/inbox/").status_code == 302


def test_it_lists_only_my_entries_newest_first_with_unread_marked(client, alice, bob):
    old = entry(alice, "Older", read_at=timezone.now())
    new = entry(alice, "Newer")
    entry(bob, "Bob's secret")
    client.force_login(alice)
    body = client.get("/inbox/").text
    assert body.index("Newer") < body.index("Older")
    assert "Bob&#x27;s secret" not in body and "Bob's secret" not in body
    assert f'href="/inbox/{new.pk}/"><span class="badge unread-badge">Unread</span> Newer' in body
    assert f'href="/inbox/{old.pk}/">Older' in body


def test_it_is_paged(client, alice):
    for n in range(30):
        entry(alice, f"Entry {n:02d}")
    client.force_login(alice)
    first, second = client.get("/inbox/").text, client.get("/inbox/?page=2").text
    assert "Entry 29" in first and "Entry 00" not in first
    assert "Entry 00" in second and 'rel="prev"' in second


def test_the_list_costs_the_same_for_few_or_many_entries(client, alice):
    client.force_login(alice)

    def queries() -> int:
        client.get("/inbox/")
        with CaptureQueriesContext(connection) as ctx:
            assert client.get("/inbox/").status_code == 200
        return len(ctx.captured_queries)

    entry(alice)
    few = queries()
    for n in range(40):
        entry(alice, read_at=timezone.now() if n % 2 else None)
    assert queries() == few


# --- Following, marking read ---------------------------------------------------------------------------


def test_following_an_entry_goes_to_its_link_and_marks_it_read(client, alice):
    notice = entry(alice, link="/use-cases/UC-2026-0001/#message-3")
    client.force_login(alice)
    response = client.get(f"/inbox/{notice.pk}/")
    assert response.status_code == 302 and response.url == "/use-cases/UC-2026-0001/#message-3"
    notice.refresh_from_db()
    first_read = notice.read_at
    assert first_read is not None
    client.get(f"/inbox/{notice.pk}/")
    notice.refresh_from_db()
    assert notice.read_at == first_read  # the first reading is the one kept


def test_an_entry_without_a_link_goes_back_to_the_inbox(client, alice):
    notice = entry(alice, link="")
    client.force_login(alice)
    assert client.get(f"/inbox/{notice.pk}/").url == "/inbox/"


def test_someone_elses_entry_is_404_and_stays_unread(client, alice, bob):
    notice = entry(bob)
    client.force_login(alice)
    assert client.get(f"/inbox/{notice.pk}/").status_code == 404
    assert client.post(f"/inbox/{notice.pk}/read/").status_code == 404
    assert client.get("/inbox/999999/").status_code == 404
    notice.refresh_from_db()
    assert notice.read_at is None


def test_mark_read_is_a_post(client, alice):
    notice = entry(alice)
    client.force_login(alice)
    assert client.get(f"/inbox/{notice.pk}/read/").status_code == 405
    response = client.post(f"/inbox/{notice.pk}/read/", {"page": "2"})
    assert response.status_code == 302 and response.url == "/inbox/?page=2"
    notice.refresh_from_db()
    assert notice.read_at is not None


def test_mark_all_read_marks_only_mine(client, alice, bob):
    mine = [entry(alice), entry(alice)]
    theirs = entry(bob)
    client.force_login(alice)
    assert client.get("/inbox/read-all/").status_code == 405
    response = client.post("/inbox/read-all/", {"page": "<script>"})
    assert response.status_code == 302 and response.url == "/inbox/"
    assert all(Notification.objects.get(pk=n.pk).read_at for n in mine)
    assert Notification.objects.get(pk=theirs.pk).read_at is None


# --- The header --------------------------------------------------------------------------------------


def test_the_header_says_how_many_are_unread_accessibly(client, alice):
    entry(alice)
    entry(alice)
    entry(alice, read_at=timezone.now())
    client.force_login(alice)
    body = client.get("/use-cases/").text
    assert (
        '<a class="inbox-link has-unread" href="/inbox/"><span class="visually-hidden">Inbox, 2 unread</span>'
        '<span aria-hidden="true">Inbox <span class="inbox-count">2</span></span></a>'
    ) in body


def test_the_header_count_is_one_query_and_none_for_visitors(client, alice):
    client.force_login(alice)
    with CaptureQueriesContext(connection) as ctx:
        assert client.get("/use-cases/").status_code == 200
    assert sum('"approvals_notification"' in q["sql"] for q in ctx.captured_queries) == 1
    client.logout()
    with CaptureQueriesContext(connection) as ctx:
        assert client.get("/login/").status_code == 200
    assert not any("approvals_notification" in q["sql"] for q in ctx.captured_queries)


def test_no_entry_for_someone_without_an_e_mail_address(db):
    person = UserFactory(username="noemail", email="")
    assert notification_queue(recipient=person, subject="s", body="b", link="/") is None


def test_reminders_and_decisions_link_to_the_exact_page(alice, team):
    round = submit(complete_use_case(alice))
    signoffs_remind_overdue(now=round.submitted_at + timedelta(days=30))
    reminder = Notification.objects.filter(recipient=team["legal"], subject__startswith="Reminder").get()
    assert reminder.link == f"/reviews/{round.signoffs.get(function='legal').pk}/"
    sign(round, "legal", team["legal"], "request_changes", comment="Name the retention period.")
    decision = Notification.objects.filter(recipient=alice).latest("pk")
    assert decision.link == f"/use-cases/{round.use_case.reference}/"


def test_condition_notices_link_to_the_condition(alice, team):
    round = submit(complete_use_case(alice))
    answer_items(round, "legal", team["legal"])
    signoff_decide(
        signoff=round.signoffs.get(function="legal"),
        user=team["legal"],
        decision="approve_with_conditions",
        comment="One thing first.",
        condition_specs=[ConditionSpec("Retention clause signed", alice, timezone.localdate() + timedelta(days=9))],
    )
    for function in round.required_functions:
        if function != "legal":
            sign(round, function, team[function])
    condition = round.condition_items.get()
    condition_claim_met(condition=condition, user=alice, link="https://tickets.example.com/LEGAL-1")
    notice = Notification.objects.filter(recipient=team["legal"]).latest("pk")
    assert notice.link == f"/conditions/{condition.pk}/"
