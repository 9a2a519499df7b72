"""Questions without sending a request back, in the browser: the privacy reviewer asks the owner a
question in the use case's discussion; the owner sees it in the inbox (the header counts it unread) and
on her home page, follows the link to the message and answers; the reviewer finds the answer in her inbox.

The request is seeded through the services; every step of the two people is in the browser.
"""

import re

import pytest
from playwright.sync_api import expect

from approvals.models import Message, Notification
from governance.roles import Role
from tests.approvals.workflow import complete_use_case, submit
from tests.factories import UserFactory


@pytest.fixture
def request_in_review(db):
    olivia = UserFactory(username="olivia", first_name="Olivia", last_name="Hart", roles=[Role.BUSINESS_OWNER])
    for name, role in [("lena", Role.LEGAL), ("priya", Role.PRIVACY), ("bruno", Role.SECURITY)]:
        UserFactory(username=name, first_name=name.title(), last_name="Reviewer", roles=[role])
    UserFactory(username="pedro", first_name="Pedro", roles=[Role.PROCUREMENT])
    return submit(complete_use_case(olivia, title="Contract clause search"))


def unread(username: str) -> int:
    return Notification.objects.filter(recipient__username=username, read_at__isnull=True).count()


def test_a_reviewer_asks_and_the_owner_answers_in_the_thread(visit, request_in_review):
    round = request_in_review
    use_case = round.use_case
    reference = use_case.reference

    # The privacy reviewer opens her sign-off, and from it the discussion, and asks the owner.
    reviewer = visit(axe=True)
    reviewer.login("priya")
    page = reviewer.page
    reviewer.go(f"/reviews/{round.signoffs.get(function='privacy').pk}/")
    page.get_by_role("link", name="Ask the owners a question").click()
    page.get_by_label("Your message").fill("@olivia Which personal data reaches the model, and is it masked first?")
    page.get_by_role("button", name="Post").click()
    question = Message.objects.get()
    expect(page).to_have_url(re.compile(rf"/use-cases/{reference}/#message-{question.pk}$"))
    expect(page.locator(f"#message-{question.pk}")).to_contain_text("Which personal data reaches the model")
    assert reviewer.axe_violations() == []

    # The owner: the header counts the unread entry; her home page has the question waiting.
    owner = visit(axe=True)
    owner.login("olivia")
    page = owner.page
    expect(page.get_by_role("link", name=f"Inbox, {unread('olivia')} unread")).to_be_visible()
    assert unread("olivia") == 1
    waiting = page.locator("#waiting-for-you")
    expect(waiting).to_contain_text("Question from Priya Reviewer")
    owner.screenshot("home-waiting-for-you")
    assert owner.axe_violations() == []

    # She opens her inbox and follows the entry to the message itself.
    page.get_by_role("link", name="Inbox, 1 unread").click()
    expect(page.get_by_role("heading", name="Inbox")).to_be_visible()
    entry = page.locator(".inbox-entry").first
    expect(entry).to_contain_text("Unread")
    expect(entry).to_contain_text(f"{reference}: Priya Reviewer mentioned you")
    owner.screenshot("inbox")
    assert owner.axe_violations() == []
    entry.get_by_role("link").click()
    expect(page).to_have_url(re.compile(rf"/use-cases/{reference}/#message-{question.pk}$"))
    expect(page.get_by_role("link", name="Inbox, 0 unread")).to_be_visible()

    # She answers it from the message's reply link.
    page.locator(f"#message-{question.pk}").get_by_role("link", name=re.compile("^Reply")).click()
    expect(page.locator("#discussion-form")).to_contain_text("Replying to Priya Reviewer")
    page.get_by_label("Your message").fill("Names and e-mail addresses only; both are masked before the call.")
    page.get_by_role("button", name="Post").click()
    answer = Message.objects.latest("pk")
    assert answer.reply_to == question and answer.author.username == "olivia"
    expect(page.locator(f"#message-{answer.pk}")).to_contain_text("masked before the call")
    assert "Question from" not in page.context.request.get(owner.base_url + "/").text()

    # The reviewer is told: the answer is in her inbox.
    reviewer.go("/inbox/")
    expect(reviewer.page.get_by_role("link", name=f"Inbox, {unread('priya')} unread")).to_be_visible()
    expect(reviewer.page.locator(".inbox-entry").first).to_contain_text(f"{reference}: Olivia Hart answered")
    reviewer.page.locator(".inbox-entry").first.get_by_role("link").click()
    expect(reviewer.page).to_have_url(re.compile(rf"/use-cases/{reference}/#message-{answer.pk}$"))

    # The thread on its own page, as the reviewer now reads it.
    reviewer.go(f"/use-cases/{reference}/discussion/")
    expect(reviewer.page.locator(".thread-message")).to_have_count(2)
    reviewer.screenshot("discussion")
    assert reviewer.axe_violations() == []
