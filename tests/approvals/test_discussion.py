"""A use case's discussion: who may post, mentions, who is told (once each), the history and the record."""

import pytest
from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import connection
from django.template.loader import render_to_string
from django.test.utils import CaptureQueriesContext

from approvals.discussion import mentions_in, message_post
from approvals.documents.records import record_context
from approvals.models import ApprovalEvent, Message, Notification
from governance.roles import Role
from tests.approvals.workflow import approve_all, approved_use_case, complete_use_case, person, submit
from tests.factories import UseCaseFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def in_review(alice):
    use_case = complete_use_case(alice, title="Ticket summaries")
    round = submit(use_case)
    return use_case, round


def inbox(user) -> list[Notification]:
    return list(Notification.objects.filter(recipient=user).order_by("pk"))


def discussion_notices(user) -> list[Notification]:
    return [n for n in inbox(user) if "#message-" in n.link]


# --- Mentions ----------------------------------------------------------------------------------------


def test_mentions_are_people_and_functions_each_once():
    found = mentions_in("@alice, can you check this with @Legal and @privacy? Thanks @alice. Mail bob@example.com.")
    assert found.usernames == ("alice",)
    assert found.functions == ("legal", "privacy")


def test_a_mention_ends_before_a_full_stop_and_takes_username_characters():
    assert mentions_in("Ask @j.doe.").usernames == ("j.doe",)
    assert mentions_in("Ask @j-doe+ops_1 now").usernames == ("j-doe+ops_1",)
    assert mentions_in("no mention: @ alone, a@b").usernames == ()


# --- Posting ---------------------------------------------------------------------------------------


def test_a_reviewer_asks_and_the_owner_is_told_once_with_a_link_to_the_message(alice, team, in_review):
    use_case, round = in_review
    before = len(inbox(alice))

    message = message_post(use_case=use_case, user=team["privacy"], body="@alice which data leaves the EU?")

    assert message.round == round and message.author == team["privacy"]
    assert list(message.mentioned_users.all()) == [alice]
    notices = inbox(alice)[before:]
    assert len(notices) == 1  # mentioned and an owner: told once
    assert notices[0].link == f"/use-cases/{use_case.reference}/#message-{message.pk}"
    assert notices[0].subject == f"{use_case.reference}: Pia mentioned you"
    assert f"{settings.SITE_URL}/use-cases/{use_case.reference}/#message-{message.pk}" in notices[0].body
    event = ApprovalEvent.objects.get(verb=ApprovalEvent.Verb.COMMENTED)
    assert event.round == round and event.actor == team["privacy"] and event.data["message"] == message.pk


def test_the_owners_answer_tells_the_asker(alice, team, in_review):
    use_case, _ = in_review
    question = message_post(use_case=use_case, user=team["privacy"], body="Which data leaves the EU?")
    answer = message_post(use_case=use_case, user=alice, body="None: hosted in Frankfurt.", reply_to=question)

    notices = discussion_notices(team["privacy"])
    assert [n.link for n in notices] == [answer.get_absolute_url()]
    assert notices[0].subject == f"{use_case.reference}: Alice answered"


def test_a_function_mention_tells_its_members_but_never_the_author(alice, team, in_review):
    use_case, _ = in_review
    colleague = person("paula", Role.PRIVACY)
    message_post(use_case=use_case, user=team["privacy"], body="@privacy @security please look at the logs.")
    assert len(discussion_notices(colleague)) == 1
    assert len(discussion_notices(team["security"])) == 1
    assert discussion_notices(team["privacy"]) == []
    assert discussion_notices(team["legal"]) == []


def test_mentioning_someone_who_may_not_see_the_use_case_is_refused_like_a_stranger(alice, charlie, team, in_review):
    use_case, _ = in_review
    for name in ("charlie", "nobody-by-this-name"):
        with pytest.raises(ValidationError) as error:
            message_post(use_case=use_case, user=team["privacy"], body=f"@{name} have a look")
        assert error.value.message_dict["body"] == [
            f"@{name}: only people who may see {use_case.reference} can be mentioned, by their username."
        ]
    assert not Message.objects.exists()
    assert not ApprovalEvent.objects.filter(verb=ApprovalEvent.Verb.COMMENTED).exists()


def test_those_without_a_part_in_the_use_case_cannot_post(alice, charlie, team, in_review):
    use_case, _ = in_review
    assert set(use_case.rounds.get().required_functions) == {"legal", "privacy", "security", "procurement"}
    outsider_reviewer = person("rita", Role.COMPLIANCE)  # sees it (submitted), but compliance is not routed
    for user in (charlie, team["executive"], outsider_reviewer):
        with pytest.raises(PermissionDenied):
            message_post(use_case=use_case, user=user, body="Hello")
    assert not Message.objects.exists()


def test_an_empty_or_overlong_message_is_refused(alice, in_review):
    use_case, _ = in_review
    with pytest.raises(ValidationError) as error:
        message_post(use_case=use_case, user=alice, body="   \n ")
    assert error.value.message_dict == {"body": ["Write a message."]}
    with pytest.raises(ValidationError) as error:
        message_post(use_case=use_case, user=alice, body="x" * 4001)
    assert "at most 4,000 characters" in error.value.message_dict["body"][0]


def test_a_reply_must_be_in_the_same_thread(alice, team, in_review):
    use_case, _ = in_review
    other = complete_use_case(alice, title="Another")
    elsewhere = message_post(use_case=other, user=alice, body="A note to myself")
    with pytest.raises(ValidationError):
        message_post(use_case=use_case, user=alice, body="Reply", reply_to=elsewhere)


def test_an_owner_may_write_on_a_draft_and_nobody_else_hears_of_it(alice, team):
    draft = UseCaseFactory(user=alice)
    message = message_post(use_case=draft, user=alice, body="@legal is this in scope?")
    assert message.round is None
    assert discussion_notices(team["legal"]) == []  # a reviewer may not see a draft


def test_the_subject_of_a_notice_is_header_safe(alice, team, in_review):
    use_case, _ = in_review
    team["privacy"].first_name = "Pia\r\nBcc: everyone@example.com"
    team["privacy"].save()
    message_post(use_case=use_case, user=team["privacy"], body="A question")
    subject = discussion_notices(alice)[0].subject
    assert "\n" not in subject and "\r" not in subject


# --- Pages -----------------------------------------------------------------------------------------


def test_the_use_case_page_shows_the_thread_escaped_with_anchors(client, alice, team, in_review):
    use_case, _ = in_review
    message = message_post(use_case=use_case, user=team["privacy"], body="<script>alert(1)</script> @alice ok?")
    client.force_login(alice)
    body = client.get(use_case.get_absolute_url()).text
    assert 'id="discussion"' in body and f'id="message-{message.pk}"' in body
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in body and "<script>alert(1)" not in body


def test_the_use_case_page_costs_the_same_for_a_short_or_long_thread(client, alice, team, in_review):
    use_case, _ = in_review
    client.force_login(alice)

    def queries() -> int:
        client.get(use_case.get_absolute_url())
        with CaptureQueriesContext(connection) as ctx:
            assert client.get(use_case.get_absolute_url()).status_code == 200
        return len(ctx.captured_queries)

    message_post(use_case=use_case, user=team["privacy"], body="@alice one")
    few = queries()
    for n in range(6):
        asked = message_post(use_case=use_case, user=team["legal"], body=f"@alice @privacy question {n}")
        message_post(use_case=use_case, user=alice, body=f"answer {n}", reply_to=asked)
    assert queries() == few


def test_posting_from_the_page_redirects_to_the_message(client, alice, team, in_review):
    use_case, _ = in_review
    client.force_login(team["privacy"])
    response = client.post(f"/use-cases/{use_case.reference}/discussion/", {"body": "@alice where are logs kept?"})
    message = Message.objects.get()
    assert response.status_code == 302 and response.url == message.get_absolute_url()


def test_a_bad_mention_is_a_form_error_not_a_500(client, alice, team, in_review):
    use_case, _ = in_review
    client.force_login(team["privacy"])
    response = client.post(f"/use-cases/{use_case.reference}/discussion/", {"body": "@ghost hello"})
    assert response.status_code == 200
    assert "@ghost: only people who may see" in response.text
    assert not Message.objects.exists()


def test_an_overlong_message_from_the_page_is_a_form_error(client, alice, in_review):
    use_case, _ = in_review
    client.force_login(alice)
    response = client.post(f"/use-cases/{use_case.reference}/discussion/", {"body": "y" * 5000})
    assert response.status_code == 200 and "at most 4,000 characters" in response.text


def test_the_discussion_is_404_to_outsiders_and_403_to_onlookers(client, alice, charlie, team, in_review):
    use_case, _ = in_review
    url = f"/use-cases/{use_case.reference}/discussion/"
    client.force_login(charlie)
    assert client.get(url).status_code == 404
    assert client.post(url, {"body": "hi"}).status_code == 404
    client.force_login(team["executive"])  # sees it; executives are not routed on it
    assert client.get(url).status_code == 200
    assert client.post(url, {"body": "hi"}).status_code == 403
    assert not Message.objects.exists()


def test_replying_to_another_threads_message_is_404(client, alice, team, in_review):
    use_case, _ = in_review
    other = complete_use_case(alice, title="Another")
    elsewhere = message_post(use_case=other, user=alice, body="note")
    client.force_login(alice)
    url = f"/use-cases/{use_case.reference}/discussion/"
    assert client.get(f"{url}?reply={elsewhere.pk}").status_code == 404
    assert client.get(f"{url}?reply=abc").status_code == 404
    assert client.post(url, {"body": "x", "reply_to": elsewhere.pk}).status_code == 404


def test_the_sign_page_links_to_the_discussion(client, alice, team, in_review):
    use_case, round = in_review
    client.force_login(team["privacy"])
    body = client.get(f"/reviews/{round.signoffs.get(function='privacy').pk}/").text
    assert f'href="/use-cases/{use_case.reference}/discussion/"' in body


# --- The record --------------------------------------------------------------------------------------


def test_the_record_carries_the_rounds_thread_as_an_appendix(alice, team):
    use_case = complete_use_case(alice)
    round = submit(use_case)
    message_post(use_case=use_case, user=team["privacy"], body="<b>Where</b> are logs kept?")
    approve_all(round, team)
    round.refresh_from_db()
    context = record_context(round)
    assert [m["body"] for m in context["discussion"]] == ["<b>Where</b> are logs kept?"]
    html = render_to_string("approvals/record.html", context)
    assert "Appendix: discussion during round 1" in html
    assert "&lt;b&gt;Where&lt;/b&gt;" in html
    assert "Message " in html


def test_a_later_round_record_does_not_carry_earlier_messages(alice, team):
    use_case, round = approved_use_case(alice, team)
    assert record_context(round)["discussion"] == []
