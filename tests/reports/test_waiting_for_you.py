"""Waiting for you, at the top of every home page: what the person must act on, how long it has waited,
whether it is overdue, and one link to where to act; at a cost that does not grow with the rows."""

from datetime import timedelta
from unittest import mock

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from approvals.conditions import ConditionSpec
from approvals.discussion import message_post
from approvals.services import signoff_assign, signoff_decide
from reports.dashboard import waited, waiting_for
from tests.approvals.workflow import answer_items, complete_use_case, sign, submit

pytestmark = pytest.mark.django_db


def panel(client, user) -> str:
    client.force_login(user)
    body = client.get("/").text
    start = body.index('id="waiting-for-you"')
    return body[start : body.index("</section>", start)]


def queries(client, user) -> int:
    client.force_login(user)
    client.get("/")
    with CaptureQueriesContext(connection) as ctx:
        assert client.get("/").status_code == 200
    return len(ctx.captured_queries)


def test_how_long_it_waited_reads_well():
    assert [waited(0), waited(1), waited(3)] == ["less than a day", "1 day", "3 days"]


def test_a_reviewer_sees_the_sign_offs_they_may_take_with_the_sla_clock(client, alice, team):
    use_case = complete_use_case(alice, title="Old request")
    with mock.patch("django.utils.timezone.now", return_value=timezone.now() - timedelta(days=8)):
        round = submit(use_case)
    signoff = round.signoffs.get(function="privacy")

    html = panel(client, team["privacy"])

    assert "Privacy sign-off" in html and use_case.reference in html
    assert "8 days · overdue" in html and "over the 5-day target" in html
    assert f'href="/reviews/{signoff.pk}/"' in html


def test_a_sign_off_someone_else_holds_is_not_waiting_for_me(client, alice, team):
    round = submit(complete_use_case(alice))
    signoff = round.signoffs.get(function="legal")
    signoff_assign(signoff=signoff, user=team["legal"], assignee=team["legal"])
    assert "Legal sign-off (you hold it)" in panel(client, team["legal"])
    sign(round, "legal", team["legal"])
    assert "Legal sign-off" not in panel(client, team["legal"])


def test_an_owner_sees_a_request_sent_back_with_the_way_to_update_it(client, alice, team):
    use_case = complete_use_case(alice)
    round = submit(use_case)
    sign(round, "legal", team["legal"], "request_changes", comment="Name the retention period.")

    html = panel(client, alice)

    assert "Changes requested: update the request and resubmit" in html
    assert f'href="/use-cases/{use_case.reference}/edit/"' in html
    assert "less than a day" in html


def test_a_question_waits_for_the_owner_until_they_answer(client, alice, team):
    use_case = complete_use_case(alice)
    submit(use_case)
    question = message_post(use_case=use_case, user=team["privacy"], body="Which data leaves the EU?")

    html = panel(client, alice)
    assert "Question from Pia" in html and "Which data leaves the EU?" in html
    assert f'href="/use-cases/{use_case.reference}/discussion/?reply={question.pk}#discussion-form"' in html

    message_post(use_case=use_case, user=alice, body="None.", reply_to=question)
    assert "Question from Pia" not in panel(client, alice)
    assert "Question from" not in panel(client, team["privacy"])  # an answer to the asker is news, not a question


def test_a_question_to_a_function_waits_for_its_members(client, alice, team):
    use_case = complete_use_case(alice)
    submit(use_case)
    message_post(use_case=use_case, user=alice, body="@security is the SIEM enough?")
    assert "Question from Alice" in panel(client, team["security"])
    assert "Question from Alice" not in panel(client, team["legal"])
    message_post(use_case=use_case, user=team["security"], body="Yes.")
    assert "Question from Alice" not in panel(client, team["security"])


def test_conditions_to_meet_show_their_due_date_and_overdue_ones_first(client, alice, team):
    use_case = complete_use_case(alice)
    round = submit(use_case)
    answer_items(round, "legal", team["legal"])
    today = timezone.localdate()
    signoff_decide(
        signoff=round.signoffs.get(function="legal"),
        user=team["legal"],
        decision="approve_with_conditions",
        comment="First this.",
        condition_specs=[ConditionSpec("Retention clause signed", alice, today + timedelta(days=10))],
    )
    for function in round.required_functions:
        if function != "legal":
            sign(round, function, team[function])
    condition = round.condition_items.get()

    html = panel(client, alice)
    assert "Condition set by Legal: report it met" in html
    assert f"due {condition.due_on:%Y-%m-%d}" in html
    assert f'href="/conditions/{condition.pk}/"' in html
    assert "· overdue" not in html

    later = timezone.localdate() + timedelta(days=12)
    items = waiting_for(alice, conditions=_panels(alice, later), today=later).items
    assert items[0].kind == "condition" and items[0].overdue


def _panels(user, today):
    from reports.dashboard import conditions_waiting

    return conditions_waiting(user, today=today)


def test_nothing_waiting_says_so(client, team):
    assert "Nothing is waiting for you." in panel(client, team["executive"])


def test_the_panel_costs_the_same_for_few_or_many_items(client, alice, team):
    first = complete_use_case(alice)
    submit(first)
    message_post(use_case=first, user=team["privacy"], body="@alice one?")
    owner_few, reviewer_few = queries(client, alice), queries(client, team["privacy"])
    for n in range(12):
        use_case = complete_use_case(alice, title=f"Request {n}")
        round = submit(use_case)
        message_post(use_case=use_case, user=team["privacy"], body=f"@alice question {n}?")
        message_post(use_case=use_case, user=alice, body=f"@privacy over to you {n}")
        if n % 3 == 0:
            sign(round, "legal", team["legal"], "request_changes", comment="More detail.")
    assert queries(client, alice) == owner_few
    assert queries(client, team["privacy"]) == reviewer_few
    assert "More questions wait than are shown here." in panel(client, team["privacy"])
