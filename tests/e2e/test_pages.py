"""Every main page, as the person who uses it, on a laptop (1366 x 900) and on a phone (390 x 844): no
serious or critical accessibility violation (axe-core), no sideways scrolling, keyboard reachable, and a
screenshot under test-artifacts/screenshots/."""

import pytest

from approvals.discussion import message_post
from approvals.services import signoff_decide, use_case_submit
from governance.roles import Role
from tests.approvals.workflow import answer_items, complete_use_case
from tests.factories import AIModelFactory, RiskFactory, UseCaseFactory, UserFactory, VendorFactory, data_category


@pytest.fixture
def portfolio():
    """Owners, one reviewer per function, an executive, and requests in several states."""
    people = {
        "owner": UserFactory(username="maria", first_name="Maria", last_name="Keller", roles=[Role.BUSINESS_OWNER]),
        "legal": UserFactory(username="daniel", first_name="Daniel", last_name="Okafor", roles=[Role.LEGAL]),
        "privacy": UserFactory(username="irina", first_name="Ирина", last_name="Соколова", roles=[Role.PRIVACY]),
        "security": UserFactory(username="tomas", first_name="Tomás", last_name="Herrera", roles=[Role.SECURITY]),
        "procurement": UserFactory(username="aiko", first_name="愛子", last_name="田中", roles=[Role.PROCUREMENT]),
        "executive": UserFactory(username="robert", first_name="Robert", last_name="Chen", roles=[Role.EXECUTIVE]),
    }
    vendor = VendorFactory(name="Alibaba Cloud", native_name="阿里云", hq_country="CN", sanctions_status="clear")
    model = AIModelFactory(name="Qwen2.5-Coder-32B", vendor=vendor, licence_name="Apache-2.0")
    owner = people["owner"]
    approved = complete_use_case(
        owner,
        title="Code review assistant (self-hosted Qwen2.5-Coder)",
        primary_model=model,
        deployment_mode="on_premises",
        hosting_country="DE",
        data_categories=[data_category("source-code")],
    )
    round = use_case_submit(use_case=approved, user=owner)
    for signoff in round.signoffs.order_by("pk"):
        decision = "approve_with_conditions" if signoff.function == "security" else "approve"
        text = {"conditions": "Egress blocked from the inference hosts.", "comment": "Pen test passed."}
        text = text if decision != "approve" else {}
        answer_items(round, signoff.function, people[signoff.function])
        signoff_decide(signoff=signoff, user=people[signoff.function], decision=decision, **text)
    in_review = complete_use_case(owner, title="Ticket summaries for the service desk")
    RiskFactory(use_case=in_review, title="Prompt injection through ticket text", residual_likelihood=3)
    pending = use_case_submit(use_case=in_review, user=owner)
    message_post(
        use_case=in_review,
        user=people["security"],
        body="@maria which ticket fields reach the model? Customer names, or only the text?",
    )
    draft = UseCaseFactory(user=owner, title="Meeting minutes in Korean", primary_model=model)
    return {
        **people,
        "model": model,
        "vendor": vendor,
        "approved": approved,
        "in_review": in_review,
        "draft": draft,
        "signoff": pending.signoffs.get(function="security"),
    }


LAPTOP = {"width": 1366, "height": 900}
PHONE = {"width": 390, "height": 844}

# The elements that stick out past the right edge of the viewport: named in the failure message.
WIDER_THAN_VIEWPORT = """() => [...document.querySelectorAll('body *')]
    .filter(e => e.getBoundingClientRect().right > window.innerWidth + 0.5 && !e.closest('.table-scroll'))
    .slice(0, 5)
    .map(e => e.tagName.toLowerCase() + (e.id ? '#' + e.id : '') + (e.className ? '.' + e.className : ''))"""


def assert_fits(visitor, path: str):
    """Nothing scrolls the page sideways: wide content wraps or scrolls inside its own box."""
    scroll_width, inner_width = visitor.page.evaluate("[document.documentElement.scrollWidth, window.innerWidth]")
    if scroll_width > inner_width:
        widest = visitor.page.evaluate(WIDER_THAN_VIEWPORT)
        pytest.fail(f"{path} scrolls sideways at {inner_width} px ({scroll_width} px wide): {widest}")


def check(visitor, path: str, name: str, *, status: int = 200, phone_shot: str | None = None):
    """The page at laptop and phone width: its status, no sideways scrolling, no serious or critical axe
    violation; a screenshot at laptop width as `name`, and at phone width as `phone_shot` if given."""
    for size in (LAPTOP, PHONE):
        visitor.page.set_viewport_size(size)
        response = visitor.go(path)
        assert response.status == status, path
        if size is LAPTOP:
            visitor.screenshot(name)
        elif phone_shot:
            visitor.screenshot(phone_shot)
        assert_fits(visitor, path)
        violations = visitor.axe_violations()
        assert violations == [], f"{path} at {size['width']} px: {violations}"
    visitor.page.set_viewport_size(LAPTOP)


def test_the_owners_pages_are_accessible(visit, portfolio):
    owner = visit(axe=True)
    owner.login("maria")
    draft, approved = portfolio["draft"], portfolio["approved"]
    check(owner, "/", "home-owner", phone_shot="mobile-home")
    assert owner.page.get_by_role("heading", name="Your requests").is_visible()
    check(owner, "/use-cases/", "use-case-list")
    check(owner, "/use-cases/?status=draft&sort=-risk", "use-case-list-filtered")
    check(owner, "/use-cases/new/", "request-form")
    check(owner, f"/use-cases/{draft.reference}/edit/", "request-edit")
    check(owner, f"/use-cases/{draft.reference}/risks/", "risk-register")
    check(owner, f"/use-cases/{draft.reference}/submit/", "submit-check")
    check(owner, f"/use-cases/{draft.reference}/failure-modes/", "failure-modes")
    check(owner, f"/use-cases/{portfolio['in_review'].reference}/withdraw/", "withdraw-confirm")
    check(owner, draft.get_absolute_url(), "use-case-draft")
    check(owner, approved.get_absolute_url(), "use-case-approved", phone_shot="mobile-use-case")
    condition = approved.conditions.get()
    check(owner, f"/conditions/{condition.pk}/", "condition")
    check(owner, "/records/verify/", "record-verify")
    check(owner, "/catalog/models/", "models")
    check(owner, f"/catalog/models/{portfolio['model'].pk}/", "model")
    check(owner, "/catalog/vendors/", "vendors")
    check(owner, f"/catalog/vendors/{portfolio['vendor'].pk}/", "vendor")
    check(owner, "/inbox/", "inbox-owner")
    check(owner, f"/use-cases/{portfolio['in_review'].reference}/discussion/", "discussion-owner")
    check(owner, "/use-cases/UC-1999-0001/", "not-found", status=404)
    owner.console_errors.clear()  # the browser logs the expected 404 itself


def test_the_reviewers_pages_are_accessible(visit, portfolio):
    reviewer = visit(axe=True)
    reviewer.login("tomas")
    check(reviewer, "/", "home-reviewer")
    assert reviewer.page.get_by_role("heading", name="Your functions’ review queue").is_visible()
    check(reviewer, "/reviews/", "review-queue", phone_shot="mobile-queue")
    check(reviewer, "/reviews/?q=ticket&overdue=on&sort=risk", "review-queue-filtered")
    check(reviewer, "/inbox/", "inbox-reviewer")
    check(reviewer, f"/reviews/{portfolio['signoff'].pk}/", "review-sign", phone_shot="mobile-sign")


def test_the_executives_pages_are_accessible(visit, portfolio):
    executive = visit(axe=True)
    executive.login("robert")
    check(executive, "/", "home-executive")
    assert executive.page.get_by_role("heading", name="The live portfolio").is_visible()
    check(executive, "/reports/", "report")
    check(executive, "/reports/exports/", "report-exports")


def test_the_governance_admins_pages_are_accessible(visit, portfolio):
    UserFactory(username="grace", first_name="Grace", last_name="Mensah", roles=[Role.ADMIN])
    daniel = portfolio["legal"]
    admin = visit(axe=True)
    admin.login("grace")
    check(admin, "/reviews/leads/", "review-leads")
    check(admin, "/people/", "people", phone_shot="mobile-people")
    check(admin, "/people/?role=Legal+reviewers&q=dan", "people-filtered")
    check(admin, f"/people/{daniel.pk}/", "person", phone_shot="mobile-person")
    check(admin, f"/people/{daniel.pk}/deactivate/", "person-deactivate")


def test_the_main_navigation_works_from_the_keyboard(visit, portfolio):
    owner = visit()
    owner.login("maria")
    owner.go("/")
    focused = "document.activeElement.textContent.trim()"
    owner.page.keyboard.press("Tab")
    assert owner.page.evaluate(focused) == "Skip to content"
    # Tab on through the header to the "Use cases" link and follow it with Enter.
    for _ in range(10):
        owner.page.keyboard.press("Tab")
        if owner.page.evaluate(focused) == "Use cases":
            break
    else:
        pytest.fail("The Use cases link is not reachable with Tab")
    with owner.page.expect_navigation():
        owner.page.keyboard.press("Enter")
    assert owner.page.url.endswith("/use-cases/")

    owner.page.keyboard.press("Tab")
    owner.page.keyboard.press("Enter")  # the skip link
    assert owner.page.evaluate("location.hash") == "#main"


def test_the_sign_in_page_fits_a_phone(visit, portfolio):
    visitor = visit(axe=True)
    check(visitor, "/login/", "login", phone_shot="mobile-login")
    # A failed sign-in: the summary takes focus before the username field's own autofocus.
    visitor.page.get_by_label("Username").fill("maria")
    visitor.page.get_by_label("Password").fill("not the password")
    visitor.page.get_by_role("button", name="Sign in").click()
    visitor.page.locator(".error-summary").wait_for()
    assert visitor.page.evaluate("document.activeElement.classList.contains('error-summary')")


def test_a_revocation_is_confirmed_on_its_own_page(visit, portfolio):
    approved = portfolio["approved"]
    executive = visit(axe=True)
    executive.login("robert")
    executive.go(approved.get_absolute_url())
    danger = executive.page.locator("#danger-zone")
    assert danger.get_by_role("heading", name="Stop this request").is_visible()
    assert executive.page.locator(".actions").get_by_role("link", name="Revoke the approval…").count() == 0
    danger.get_by_role("link", name="Revoke the approval…").click()
    executive.page.wait_for_url(f"**/use-cases/{approved.reference}/revoke/")
    assert executive.page.get_by_role("heading", name="What revoking does").is_visible()
    assert "needs a new request" in executive.page.locator(".consequences").inner_text()
    executive.page.set_viewport_size(PHONE)
    executive.screenshot("revoke-confirm")
    assert_fits(executive, "the revoke page")
    assert executive.axe_violations() == []
    executive.page.set_viewport_size(LAPTOP)

    # Cancel goes back and changes nothing.
    executive.page.get_by_role("link", name="Cancel: keep the approval").click()
    executive.page.wait_for_url(f"**{approved.get_absolute_url()}")
    approved.refresh_from_db()
    assert approved.is_approved

    executive.go(f"/use-cases/{approved.reference}/revoke/")
    executive.page.get_by_label("Why is the approval revoked?").fill("The vendor left the market.")
    executive.page.get_by_role("button", name=f"Revoke the approval of {approved.reference}").click()
    executive.page.wait_for_url(f"**{approved.get_absolute_url()}")
    assert executive.page.get_by_text(f"The approval of {approved.reference} is revoked.").is_visible()
    approved.refresh_from_db()
    assert approved.status == "revoked"


def test_a_failed_form_moves_focus_to_its_error_summary(visit, portfolio):
    in_review = portfolio["in_review"]
    owner = visit(axe=True)
    owner.login("maria")
    owner.go(f"/use-cases/{in_review.reference}/withdraw/")
    owner.page.get_by_role("button", name=f"Withdraw {in_review.reference} from review").click()
    owner.page.wait_for_load_state()
    summary = owner.page.locator(".error-summary")
    assert summary.is_visible()
    assert owner.page.evaluate("document.activeElement.classList.contains('error-summary')")
    assert owner.axe_violations() == []
    # Its link leads to the field.
    summary.get_by_role("link").first.click()
    assert owner.page.evaluate("location.hash") == "#id_reason"
    owner.console_errors.clear()  # the browser logs the 400 response itself
    in_review.refresh_from_db()
    assert in_review.status == "in_review"


def test_the_use_case_page_has_a_table_of_contents(visit, portfolio):
    owner = visit()
    owner.login("maria")
    for size in (LAPTOP, PHONE):
        owner.page.set_viewport_size(size)
        owner.go(portfolio["approved"].get_absolute_url())
        toc = owner.page.get_by_role("navigation", name="On this page")
        assert toc.is_visible()
        toc.get_by_role("link", name="Risks").click()
        assert owner.page.evaluate("location.hash") == "#risks"
        assert owner.page.locator("#risks").is_visible()


def test_the_inline_risk_form_shows_its_errors_in_place(visit, portfolio):
    """The register's form posts with htmx: a refused risk comes back (400) and is swapped in, summary focused."""
    draft = portfolio["draft"]
    owner = visit(axe=True)
    owner.login("maria")
    owner.go(f"/use-cases/{draft.reference}/risks/")
    owner.page.locator("form.risk-form").get_by_role("button", name="Record the risk").click()
    summary = owner.page.locator("#risk-register .error-summary")
    summary.wait_for()
    assert owner.page.evaluate("document.activeElement.classList.contains('error-summary')")
    assert summary.get_by_role("link", name="Title").first.get_attribute("href") == "#id_title"
    assert owner.axe_violations() == []
    owner.console_errors.clear()  # the browser logs the 400 response itself
