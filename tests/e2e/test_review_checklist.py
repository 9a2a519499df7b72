"""A reviewer's checklist items on the sign page, in one form: sent without JavaScript with a row in error, the
page comes back with the error and what was typed (nothing saved) and no serious accessibility violation; once
corrected, the save returns to the sign page. With JavaScript, the form is swapped in place and its errors are
announced without leaving the page."""

import re

import pytest
from playwright.sync_api import expect

from checklist.models import Answer
from governance.roles import Role
from tests.approvals.workflow import complete_use_case, submit
from tests.factories import UserFactory


@pytest.fixture
def legal_signoff(db):
    olivia = UserFactory(username="olivia", first_name="Olivia", last_name="Hart", roles=[Role.BUSINESS_OWNER])
    UserFactory(username="lena", first_name="Lena", last_name="Brandt", roles=[Role.LEGAL])
    return submit(complete_use_case(olivia, title="Contract clause search")).signoffs.get(function="legal")


def test_the_checklist_sent_without_javascript_comes_back_with_its_errors(visit, legal_signoff):
    visitor = visit(axe=True)
    visitor.login("lena")
    page = visitor.page
    visitor.go(f"/reviews/{legal_signoff.pk}/")
    # The plain form, as a browser without JavaScript sends it: a copy without htmx's attributes or handlers.
    page.evaluate(
        """() => { const form = document.querySelector('form.checklist-answers');
                   const plain = form.cloneNode(true); plain.removeAttribute('hx-post');
                   form.replaceWith(plain); }"""
    )
    page.get_by_label("Answer to GOV-3", exact=True).select_option(label="Partially")
    page.get_by_label("Answer to DATA-5", exact=True).select_option(label="Yes")
    page.get_by_role("button", name="Save all answers").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("your Legal items")
    expect(page.get_by_role("alert")).to_contain_text("Nothing was saved: GOV-3 needs attention.")
    expect(page.get_by_label("Answer to DATA-5", exact=True)).to_have_value("yes")
    visitor.screenshot("review-checklist-errors")
    assert visitor.axe_violations() == []
    assert not Answer.objects.filter(item__owner_function="legal").exists()
    # The page came back with 400 (nothing saved), which Chromium logs; that one is expected.
    assert visitor.console_errors == [
        "Failed to load resource: the server responded with a status of 400 (Bad Request)"
    ]
    visitor.console_errors.clear()

    page.get_by_label("Justification for GOV-3", exact=True).fill("Users are not told yet.")
    page.get_by_role("button", name="Save all answers").click()
    page.wait_for_url(re.compile(rf"/reviews/{legal_signoff.pk}/#checklist$"))
    expect(page.locator(".messages")).to_contain_text("Your Legal items: 2 answers saved (GOV-3, DATA-5).")
    expect(page.locator("#open-items")).to_contain_text("1 of your 3 items are open")
    legal = Answer.objects.filter(item__owner_function="legal")
    assert dict(legal.values_list("item__code", "response")) == {"GOV-3": "partial", "DATA-5": "yes"}


def test_with_javascript_the_errors_come_back_in_place(visit, legal_signoff):
    visitor = visit(axe=True)
    visitor.login("lena")
    page = visitor.page
    visitor.go(f"/reviews/{legal_signoff.pk}/")
    page.evaluate("window.stillTheSamePage = true")
    page.get_by_label("Answer to GOV-2", exact=True).select_option(label="No")
    page.get_by_role("button", name="Save all answers").click()
    expect(page.locator("#checklist").get_by_role("alert")).to_contain_text("GOV-2 needs attention")
    expect(page.locator("#checklist-GOV-2")).to_contain_text("Explain any answer other than yes.")
    expect(page.get_by_label("Justification for GOV-2", exact=True)).to_have_attribute("aria-invalid", "true")
    assert page.evaluate("window.stillTheSamePage") is True
    assert visitor.axe_violations() == []
    assert not Answer.objects.filter(item__owner_function="legal").exists()
