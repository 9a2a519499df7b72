"""Signing in, and what an outsider sees."""

from governance.roles import Role
from tests.factories import UseCaseFactory, UserFactory


def test_an_outsider_business_owner_gets_the_404_page(visit):
    alice = UserFactory(username="alice", roles=[Role.BUSINESS_OWNER])
    UserFactory(username="charlie", roles=[Role.BUSINESS_OWNER])
    use_case = UseCaseFactory(user=alice, title="Alice's confidential pilot")

    charlie = visit()
    charlie.login("charlie")
    response = charlie.go(use_case.get_absolute_url())
    assert response.status == 404
    assert charlie.page.get_by_role("heading", name="Not found").is_visible()
    assert "Alice's confidential pilot" not in charlie.page.content()
    charlie.console_errors.clear()  # the browser logs the expected 404 itself

    owner = visit()
    owner.login("alice")
    assert owner.go(use_case.get_absolute_url()).status == 200
    assert owner.page.get_by_role("heading", name="Alice's confidential pilot").is_visible()


def test_the_login_page_is_accessible(visit):
    visitor = visit(axe=True)
    visitor.go("/login/")
    visitor.screenshot("login")
    assert visitor.axe_violations() == []


def test_repeated_failures_show_the_lockout_page(visit, settings):
    settings.AXES_FAILURE_LIMIT = 2
    UserFactory(username="alice", roles=[Role.BUSINESS_OWNER])
    visitor = visit(axe=True)
    responses = []
    for password in ("wrong", "wrong again", "correct horse battery staple"):
        visitor.go("/login/")
        visitor.page.get_by_label("Username").fill("alice")
        visitor.page.get_by_label("Password").fill(password)
        with visitor.page.expect_navigation() as navigation:
            visitor.page.get_by_role("button", name="Sign in").click()
        responses.append(navigation.value.status)
    assert responses == [200, 429, 429]
    assert visitor.page.get_by_role("heading", name="Sign-in locked").is_visible()
    assert "locked for 30 minutes" in visitor.page.content()
    assert "/login/" in visitor.page.url  # not signed in
    visitor.console_errors.clear()  # the browser logs the 429 itself
    visitor.screenshot("login-locked")
    assert visitor.axe_violations() == []
