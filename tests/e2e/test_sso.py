"""Single sign-on in Chromium against a real OpenID Connect provider on localhost (tests/e2e/oidc_provider):
a reviewer signs in through it and lands on their queue with the role their group gives; their group is
changed at the provider and the role is gone at the next sign-in; a person with no mapped group is told
whom to ask; signing out ends both sessions."""

import pytest

from governance.roles import Role
from tests.approvals.workflow import complete_use_case, submit
from tests.factories import UserFactory
from tests.sso.provider import PROVIDER_NAME, Provider


@pytest.fixture
def provider(live_server, tmp_path, settings):
    running = Provider(tmp_path, [live_server.url])
    running.settings(settings)
    yield running
    running.stop()


def sign_in_at_provider(visitor, login: str, password: str = "pw"):
    visitor.page.get_by_role("heading", name="Sign in to the test provider").wait_for()
    visitor.page.get_by_label("Username").fill(login)
    visitor.page.get_by_label("Password").fill(password)
    visitor.page.get_by_role("button", name="Sign in").click()


def test_a_reviewer_signs_in_through_the_provider_with_the_role_of_their_group(visit, provider, live_server):
    owner = UserFactory(username="olivia", roles=[Role.BUSINESS_OWNER])
    use_case = complete_use_case(owner, title="Contract clause extraction")
    submit(use_case, owner)
    provider.set_account("rita", groups=["clearance-legal"], name="Rita Legal")
    reviewer = visit(axe=True, also_allowed=(provider.issuer,))

    # A link to the queue, signed out: the sign-in page offers the provider, and the queue follows.
    reviewer.go("/reviews/")
    assert "/login/" in reviewer.page.url
    assert reviewer.axe_violations() == []
    reviewer.page.get_by_role("link", name=f"Sign in with {PROVIDER_NAME}").click()
    sign_in_at_provider(reviewer, "rita")
    reviewer.page.wait_for_url(f"{live_server.url}/reviews/")
    assert reviewer.page.get_by_role("heading", name="Review queue").is_visible()
    assert reviewer.page.get_by_role("link", name=use_case.reference).first.is_visible()
    assert reviewer.page.get_by_text("Rita Legal").first.is_visible()
    reviewer.screenshot("sso-reviewer-queue")
    assert reviewer.axe_violations() == []

    # Moved out of the legal group at the provider. Signing out ends the session here and there.
    provider.set_account("rita", groups=["clearance-owners"], name="Rita Legal")
    reviewer.page.get_by_role("button", name="Sign out").click()
    reviewer.page.get_by_role("button", name="Yes, sign me out").click()
    reviewer.page.wait_for_url(f"{live_server.url}/login/**")
    reviewer.go("/reviews/")
    assert "/login/" in reviewer.page.url  # signed out here

    # Signed out at the provider too: it asks for the password again. The legal role is gone.
    reviewer.page.get_by_role("link", name=f"Sign in with {PROVIDER_NAME}").click()
    sign_in_at_provider(reviewer, "rita")
    reviewer.page.wait_for_url(f"{live_server.url}/reviews/")
    assert reviewer.page.get_by_role("link", name=use_case.reference).count() == 0
    reviewer.go("/")
    assert reviewer.page.get_by_role("link", name="Review queue").count() == 0
    assert reviewer.page.get_by_role("link", name="Request to use an AI model").is_visible()


def test_a_person_with_no_mapped_group_sees_whom_to_ask(visit, provider, live_server, settings):
    settings.CLEARANCE_ACCESS_CONTACT = "the IT service desk, extension 4321"
    UserFactory(username="gina", first_name="Gina", last_name="Admin", roles=[Role.ADMIN])
    provider.set_account("mark", groups=["marketing"], name="Mark Eting")
    visitor = visit(axe=True, also_allowed=(provider.issuer,))

    visitor.go("/login/")
    visitor.page.get_by_role("link", name=f"Sign in with {PROVIDER_NAME}").click()
    sign_in_at_provider(visitor, "mark")
    visitor.page.wait_for_url(f"{live_server.url}/no-role/")

    assert visitor.page.get_by_role("heading", name="You have no role in Clearance yet").is_visible()
    assert visitor.page.get_by_text("the IT service desk, extension 4321").is_visible()
    assert visitor.page.get_by_text("Gina Admin").is_visible()
    visitor.screenshot("sso-no-role")
    assert visitor.axe_violations() == []
