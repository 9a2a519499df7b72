"""Every main page, as the person who uses it: no serious or critical accessibility violation (axe-core),
keyboard reachable, and a screenshot under test-artifacts/screenshots/."""

import pytest

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


def check(visitor, path: str, name: str, *, status: int = 200):
    response = visitor.go(path)
    assert response.status == status, path
    visitor.screenshot(name)
    violations = visitor.axe_violations()
    assert violations == [], f"{path}: {violations}"


def test_the_owners_pages_are_accessible(visit, portfolio):
    owner = visit(axe=True)
    owner.login("maria")
    draft, approved = portfolio["draft"], portfolio["approved"]
    check(owner, "/", "home-owner")
    assert owner.page.get_by_role("heading", name="Your requests").is_visible()
    check(owner, "/use-cases/", "use-case-list")
    check(owner, "/use-cases/?status=draft&sort=-risk", "use-case-list-filtered")
    check(owner, "/use-cases/new/", "request-form")
    check(owner, f"/use-cases/{draft.reference}/edit/", "request-edit")
    check(owner, f"/use-cases/{draft.reference}/risks/", "risk-register")
    check(owner, f"/use-cases/{draft.reference}/submit/", "submit-check")
    check(owner, draft.get_absolute_url(), "use-case-draft")
    check(owner, approved.get_absolute_url(), "use-case-approved")
    check(owner, "/records/verify/", "record-verify")
    check(owner, "/catalog/models/", "models")
    check(owner, f"/catalog/models/{portfolio['model'].pk}/", "model")
    check(owner, "/catalog/vendors/", "vendors")
    check(owner, f"/catalog/vendors/{portfolio['vendor'].pk}/", "vendor")
    check(owner, "/use-cases/UC-1999-0001/", "not-found", status=404)
    owner.console_errors.clear()  # the browser logs the expected 404 itself


def test_the_reviewers_pages_are_accessible(visit, portfolio):
    reviewer = visit(axe=True)
    reviewer.login("tomas")
    check(reviewer, "/", "home-reviewer")
    assert reviewer.page.get_by_role("heading", name="Waiting for your sign-off").is_visible()
    check(reviewer, "/reviews/", "review-queue")
    check(reviewer, f"/reviews/{portfolio['signoff'].pk}/", "review-sign")


def test_the_executives_pages_are_accessible(visit, portfolio):
    executive = visit(axe=True)
    executive.login("robert")
    check(executive, "/", "home-executive")
    assert executive.page.get_by_role("heading", name="The live portfolio").is_visible()
    check(executive, "/reports/", "report")
    check(executive, "/reports/exports/", "report-exports")


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
