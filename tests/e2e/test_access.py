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
