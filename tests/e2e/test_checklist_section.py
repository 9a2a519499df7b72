"""A checklist section answered without JavaScript: the same form posts normally, comes back with each
row's error and what was typed (nothing saved), and once valid redirects to the section. The page it comes
back on has no serious accessibility violation."""

import re

import pytest
from playwright.sync_api import expect

from checklist.models import Answer
from governance.roles import Role
from tests.e2e.conftest import PASSWORD
from tests.factories import UseCaseFactory, UserFactory


@pytest.fixture
def draft(db):
    olivia = UserFactory(username="olivia", first_name="Olivia", last_name="Hart", roles=[Role.BUSINESS_OWNER])
    return UseCaseFactory(user=olivia, title="Ticket summaries")


def test_a_section_is_answered_without_javascript(browser, live_server, draft):
    context = browser.new_context(java_script_enabled=False, viewport={"width": 1280, "height": 900})
    try:
        page = context.new_page()
        page.goto(f"{live_server.url}/login/")
        page.get_by_label("Username").fill("olivia")
        page.get_by_label("Password").fill(PASSWORD)
        page.get_by_role("button", name="Sign in").click()
        page.wait_for_url(lambda url: "/login/" not in url)
        page.goto(f"{live_server.url}{draft.get_absolute_url()}?mine=1")
        expect(page.locator("#checklist-progress")).to_contain_text("0 of 7 of your items answered")

        page.get_by_label("Answer to GOV-1", exact=True).select_option(label="Yes")
        page.get_by_label("Answer to GOV-4", exact=True).select_option(label="No")
        page.get_by_role("button", name="Save Governance and ownership").click()
        expect(page.get_by_role("alert")).to_contain_text("Nothing was saved: GOV-4 needs attention.")
        expect(page.locator("#errors-" + str(_pk(page, "GOV-4")))).to_contain_text("Explain any answer")
        expect(page.get_by_label("Answer to GOV-1", exact=True)).to_have_value("yes")
        assert not Answer.objects.exists()

        page.get_by_label("Justification for GOV-4", exact=True).fill("The risk owner signs next week.")
        page.get_by_role("button", name="Save Governance and ownership").click()
        page.wait_for_url(re.compile(rf"{draft.get_absolute_url()}\?mine=1#section-\d+$"))
        expect(page.get_by_role("status")).to_contain_text("2 answers saved (GOV-1, GOV-4)")
        expect(page.locator("#checklist-progress")).to_contain_text("2 of 7 of your items answered")
        assert dict(Answer.objects.values_list("item__code", "response")) == {"GOV-1": "yes", "GOV-4": "no"}
    finally:
        context.close()


def test_the_section_page_with_errors_is_accessible(visit, draft):
    visitor = visit(axe=True)
    visitor.login("olivia")
    page = visitor.page
    visitor.go(draft.get_absolute_url())
    # The plain form, as a browser without JavaScript sends it: a copy without htmx's attributes or handlers.
    page.evaluate(
        """() => { const form = document.querySelector('form.section-answers');
                   const plain = form.cloneNode(true); plain.removeAttribute('hx-post');
                   form.replaceWith(plain); }"""
    )
    page.get_by_label("Answer to GOV-4", exact=True).select_option(label="Partially")
    page.get_by_role("button", name="Save Governance and ownership").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("Governance and ownership")
    expect(page.get_by_role("alert")).to_contain_text("GOV-4 needs attention")
    visitor.screenshot("checklist-section-errors")
    assert visitor.axe_violations() == []
    # The page came back with 400 (nothing saved), which Chromium logs; that one is expected.
    assert visitor.console_errors == [
        "Failed to load resource: the server responded with a status of 400 (Bad Request)"
    ]
    visitor.console_errors.clear()


def _pk(page, code: str) -> str:
    return page.get_by_label(f"Answer to {code}", exact=True).get_attribute("id").removeprefix("response-")
