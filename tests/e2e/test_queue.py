"""The review queue in Chromium: a lead of legal searches and filters it, then gives two sign-offs to a
member of the function in one go and comes back to the same filtered queue."""

from django.contrib.auth.models import Permission

from approvals.models import ApprovalEvent, SignOff
from approvals.services import use_case_submit
from governance.roles import Role
from tests.approvals.workflow import complete_use_case
from tests.factories import AIModelFactory, UserFactory, VendorFactory, data_category


def test_a_lead_filters_the_queue_and_assigns_two_signoffs(visit):
    owner = UserFactory(username="maria", first_name="Maria", last_name="Keller", roles=[Role.BUSINESS_OWNER])
    lead = UserFactory(username="daniel", first_name="Daniel", last_name="Okafor", roles=[Role.LEGAL])
    lead.user_permissions.add(Permission.objects.get(codename="lead_signoffs", content_type__app_label="approvals"))
    UserFactory(username="amara", first_name="Amara", last_name="Nwosu", roles=[Role.LEGAL])
    qwen = AIModelFactory(name="Qwen2.5-Coder-32B", vendor=VendorFactory(name="Alibaba Cloud", hq_country="CN"))
    titles = ["Code review assistant", "Commit message drafts", "Ticket summaries for the service desk"]
    rounds = [
        use_case_submit(
            use_case=complete_use_case(
                owner,
                title=title,
                primary_model=qwen if "ommit" in title or "review" in title else AIModelFactory(),
                data_categories=[
                    data_category("source-code" if "ommit" in title or "review" in title else "public-content")
                ],
            ),
            user=owner,
        )
        for title in titles
    ]

    visitor = visit(axe=True)
    visitor.login("daniel")
    visitor.go("/reviews/")
    page = visitor.page
    page.get_by_label("Search", exact=True).fill("qwen")
    page.get_by_label("Vendor country").fill("cn")
    page.get_by_label("Order").select_option("risk")
    page.get_by_role("button", name="Apply").click()
    page.wait_for_url("**/reviews/?*q=qwen*")
    assert page.get_by_text("2 sign-offs match").is_visible()
    assert page.get_by_role("link", name="Clear filters").is_visible()
    visitor.screenshot("queue-filters")
    assert visitor.axe_violations() == []
    filtered_url = page.url

    page.get_by_label("Select the Legal sign-off of " + rounds[0].use_case.reference).check()
    page.get_by_label("Select the Legal sign-off of " + rounds[1].use_case.reference).check()
    page.get_by_label("Assign selected to").select_option(label="Amara Nwosu")
    page.get_by_role("button", name="Assign selected").click()
    page.wait_for_load_state()
    assert page.url == filtered_url
    assert page.get_by_text("2 sign-offs assigned to Amara Nwosu.").is_visible()
    visitor.screenshot("queue-assigned")

    legal = SignOff.objects.filter(function="legal").order_by("round__use_case__title")
    assert [s.assignee.username if s.assignee else None for s in legal] == ["amara", "amara", None]
    assert ApprovalEvent.objects.filter(verb=ApprovalEvent.Verb.ASSIGNED).count() == 2
