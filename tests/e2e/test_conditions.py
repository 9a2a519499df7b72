"""Conditions tracked to closure, in the browser: legal answers its checklist items, across two sections, in
one save without leaving the page, then approves with two conditions, each with its owner and due date; the owner
finds them on her home page and reports one met with a link; legal confirms it; the other is missed (the
clock moved past its date, the hourly sweep run), which suspends the approval; the executive's home page
shows the overdue condition.

The request and the other three sign-offs are seeded through the services; every step of the people above
is in the browser.
"""

import re
from datetime import timedelta

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from approvals.conditions import conditions_sweep
from approvals.models import ApprovalRequest, Condition
from checklist.models import Answer
from governance.models import UseCase
from governance.roles import Role
from tests.approvals.workflow import complete_use_case, sign, submit
from tests.factories import UserFactory

EVIDENCE = "https://tickets.example.com/LEGAL-42"


@pytest.fixture
def request_in_review(db):
    """Olivia's request in review, signed by privacy, security and procurement; legal's items still open."""
    olivia = UserFactory(username="olivia", first_name="Olivia", last_name="Hart", roles=[Role.BUSINESS_OWNER])
    people = {
        function: UserFactory(username=name, first_name=name.title(), roles=[role])
        for function, name, role in [
            ("legal", "lena", Role.LEGAL),
            ("privacy", "priya", Role.PRIVACY),
            ("security", "bruno", Role.SECURITY),
            ("procurement", "pedro", Role.PROCUREMENT),
        ]
    }
    UserFactory(username="evelyn", first_name="Evelyn", last_name="Okoye", roles=[Role.EXECUTIVE])
    round = submit(complete_use_case(olivia, title="Contract clause search"))
    for function in ("privacy", "security", "procurement"):
        sign(round, function, people[function])
    return round


def test_conditions_are_set_met_confirmed_and_missed(visit, request_in_review):
    round = request_in_review
    reference = round.use_case.reference
    today = timezone.localdate()

    # Legal approves with two conditions.
    legal = visit()
    legal.login("lena")
    page = legal.page
    signoff = round.signoffs.get(function="legal")
    legal.go(f"/reviews/{signoff.pk}/")

    # Her three items are open, so only changes or a rejection are offered. She answers them beside their
    # guidance, GOV-2 and GOV-3 in one section and DATA-5 in another, and saves all three at once: the page
    # never reloads.
    expect(page.locator("#open-items")).to_contain_text("3 of your 3 items are open")
    expect(page.get_by_label("Approve with conditions", exact=True)).to_have_count(0)
    page.evaluate("window.stillTheSamePage = true")
    governance = page.locator(".checklist-section", has=page.locator("#checklist-GOV-2"))
    governance.locator("#checklist-GOV-3").get_by_text("What a “Yes” requires").click()
    expect(governance.locator("#checklist-GOV-3 details.item-guidance")).to_contain_text("Evidence expected:")
    page.get_by_label("Answer to GOV-2", exact=True).select_option(label="Yes")
    page.get_by_label("Answer to GOV-3", exact=True).select_option(label="Partially")
    page.get_by_label("Justification for GOV-3", exact=True).fill("Prohibited uses are listed; users not told yet.")
    page.get_by_label("Answer to DATA-5", exact=True).select_option(label="Yes")
    expect(page.locator("#checklist form.checklist-answers .checklist-section")).to_have_count(2)
    save = page.locator("#checklist").get_by_role("button", name=re.compile("^Save"))
    expect(save).to_have_count(1)
    expect(save).to_have_text("Save all answers")
    with page.expect_response(re.compile(rf"/reviews/{signoff.pk}/checklist/$")) as saved:
        save.click()
    assert saved.value.request.headers.get("hx-request") == "true"
    expect(page.locator("#checklist-status")).to_contain_text("3 answers saved (GOV-2, GOV-3, DATA-5)")
    expect(page.locator("#checklist-progress")).to_contain_text("3 of 3 of your items answered")
    expect(page.locator("ul.open-items")).to_have_count(0)
    assert page.evaluate("window.stillTheSamePage") is True  # no navigation: the checklist was swapped in place
    assert dict(
        Answer.objects.filter(use_case=round.use_case, item__owner_function="legal").values_list(
            "item__code", "response"
        )
    ) == {"GOV-2": "yes", "GOV-3": "partial", "DATA-5": "yes"}
    # After the swap: a screenshot leaves empty style attributes on the fields, which htmx would copy when
    # settling a swapped field of the same id (and the CSP refuses).
    governance.locator("#checklist-GOV-3").get_by_text("What a “Yes” requires").click()
    legal.screenshot("checklist-review-form")

    # GOV-3 falls short, so she approves with conditions that say how the gap closes.
    expect(page.get_by_label("Approve", exact=True)).to_have_count(0)
    page.get_by_label("Approve with conditions", exact=True).check()
    page.get_by_label("Condition 1", exact=True).fill("Vendor signs the data retention clause.")
    page.get_by_label("Owner of condition 1", exact=True).select_option(label="Olivia Hart")
    page.get_by_label("Due on (condition 1)", exact=True).fill((today + timedelta(days=14)).isoformat())
    page.get_by_label("Condition 2", exact=True).fill("Re-run the prompt-injection tests after the upgrade.")
    page.get_by_label("Owner of condition 2", exact=True).select_option(label="Olivia Hart")
    page.get_by_label("Due on (condition 2)", exact=True).fill((today + timedelta(days=30)).isoformat())
    page.get_by_label("Suspend the approval if condition 2 is not met by then").check()
    page.get_by_label("Comment", exact=True).fill("Two obligations before this is settled.")
    legal.screenshot("conditions-01-set")
    page.get_by_role("button", name="Record decision").click()
    # The queue it lands on has a status line of its own (how many sign-offs match): the message is in .messages.
    expect(page.locator(".messages")).to_contain_text(f"Your Legal decision on {reference} is recorded.")
    assert ApprovalRequest.objects.get(pk=round.pk).status == "approved_with_conditions"

    # The owner finds both on her home page and reports the first met.
    owner = visit()
    owner.login("olivia")
    page = owner.page
    waiting = page.locator("#waiting-for-you")
    to_meet = waiting.get_by_role("row").filter(has_text="Condition set by Legal: report it met")
    expect(to_meet).to_have_count(2)
    expect(to_meet.filter(has_text="Vendor signs")).to_contain_text(f"due {today + timedelta(days=14):%Y-%m-%d}")
    owner.screenshot("conditions-02-owner-home")
    to_meet.filter(has_text="Vendor signs").get_by_role("link", name=re.compile("^Report met")).click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("A condition of the approval")
    page.get_by_label("Link").fill(EVIDENCE)
    page.get_by_label("Note").fill("Countersigned on the vendor portal.")
    page.get_by_role("button", name="Report met").click()
    expect(page.get_by_role("status")).to_contain_text("reported met")
    expect(page.get_by_role("heading", level=1)).to_contain_text("Reported met: awaiting confirmation")

    # Legal confirms it from her home page.
    legal.login("lena")
    page = legal.page
    confirm = page.locator("#waiting-for-you").get_by_role("row").filter(has_text="Condition reported met")
    expect(confirm).to_contain_text("Vendor signs")
    confirm.get_by_role("link", name=re.compile("^Confirm or return")).click()
    expect(page.get_by_role("link", name=EVIDENCE)).to_be_visible()
    page.get_by_role("button", name="Confirm met").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("Met")
    legal.screenshot("conditions-03-confirmed")

    # The second is missed: the day after its date, the hourly sweep suspends the approval.
    assert conditions_sweep(today=today + timedelta(days=31)) == (0, 1, 1)
    assert UseCase.objects.get(pk=round.use_case_id).status == "suspended"
    Condition.objects.filter(description__startswith="Re-run").update(due_on=today - timedelta(days=1))

    # The executive's home shows it; the use case page says the approval is suspended and why.
    executive = visit()
    executive.login("evelyn")
    page = executive.page
    overdue = page.locator("#conditions-overdue")
    expect(overdue).to_contain_text("Overdue conditions across the portfolio")
    expect(overdue).to_contain_text("Re-run the prompt-injection tests after the upgrade.")
    expect(overdue).to_contain_text("overdue 1 day")
    executive.screenshot("conditions-04-executive-home")
    overdue.get_by_role("link", name=reference, exact=True).click()
    expect(page.locator("h1")).to_contain_text("Suspended")
    conditions = page.locator("#conditions")
    expect(conditions.get_by_role("row", name=re.compile("Vendor signs"))).to_contain_text("Met")
    expect(conditions.get_by_role("row", name=re.compile("Re-run"))).to_contain_text("Overdue")
