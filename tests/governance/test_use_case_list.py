"""The use case list: search, filters, sort and pages, only over what the user may see."""

import pytest

from tests.factories import AIModelFactory, RiskFactory, UseCaseFactory, VendorFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def portfolio(alice, charlie):
    deepseek = AIModelFactory(vendor=VendorFactory(name="DeepSeek", hq_country="CN"), name="DeepSeek-V3")
    claude = AIModelFactory(vendor=VendorFactory(name="Anthropic", hq_country="US"), name="Claude")
    coding = UseCaseFactory(user=alice, title="Coding assistant", primary_model=deepseek)
    RiskFactory(use_case=coding, inherent_likelihood=5, inherent_impact=4, residual_likelihood=3, residual_impact=4)
    writing = UseCaseFactory(user=alice, title="Writing helper", primary_model=claude)
    RiskFactory(use_case=writing, residual_likelihood=1, residual_impact=2)
    theirs = UseCaseFactory(user=charlie, title="Charlie secret", primary_model=deepseek)
    return {"coding": coding, "writing": writing, "theirs": theirs}


def listed(client, **params):
    response = client.get("/use-cases/", params)
    assert response.status_code == 200, response.text[:500]
    return response.text


def test_search_matches_title_and_reference(client, alice, portfolio):
    client.force_login(alice)
    body = listed(client, q="coding")
    assert "Coding assistant" in body and "Writing helper" not in body
    assert "Writing helper" in listed(client, q=portfolio["writing"].reference)


def test_filters_by_vendor_country_band_and_model(client, alice, portfolio):
    client.force_login(alice)
    assert "Writing helper" not in listed(client, vendor_country="cn")
    high = listed(client, band="high")
    assert "Coding assistant" in high and "Writing helper" not in high
    assert "Coding assistant" not in listed(client, model=portfolio["writing"].primary_model_id)


def test_a_business_owner_never_sees_others_even_when_searching(client, alice, portfolio):
    client.force_login(alice)
    assert "Charlie secret" not in listed(client, q="secret")


def test_a_reviewer_sees_every_submitted_use_case_no_draft_and_sorts_by_risk(client, alice, bob, charlie):
    from tests.approvals.workflow import complete_use_case, submit

    low = complete_use_case(alice, title="Low risk", residual=(1, 2))
    high = complete_use_case(alice, title="High risk", residual=(3, 4))
    theirs = complete_use_case(charlie, title="Charlie submitted")
    for use_case in (low, high, theirs):
        submit(use_case)
    complete_use_case(charlie, title="Charlie draft")
    client.force_login(bob)
    body = listed(client, sort="-risk")
    assert "Charlie submitted" in body and "Charlie draft" not in body
    assert body.index("High risk") < body.index("Low risk")


def test_bad_filter_values_are_form_errors_not_500(client, alice, portfolio):
    client.force_login(alice)
    response = client.get("/use-cases/", {"status": "bogus", "vendor_country": "China", "model": "x", "sort": "evil"})
    assert response.status_code == 400
    assert "Use a two-letter country code." in response.text
    assert client.get("/use-cases/", {"page": "abc"}).status_code == 200


def test_pages_of_25(client, alice):
    for _ in range(27):
        UseCaseFactory(user=alice)
    client.force_login(alice)
    first = listed(client)
    assert "Page 1 of 2" in first
    assert "Page 2 of 2" in listed(client, page=2)


def test_too_many_owners_to_list_become_a_user_name_box(client, bob, alice, charlie, portfolio, monkeypatch):
    from governance.forms import OwnerField
    from tests.approvals.workflow import complete_use_case, submit

    submit(complete_use_case(alice, title="Alice's submitted"))
    submit(complete_use_case(charlie, title="Charlie's submitted"))
    client.force_login(bob)
    assert '<select name="owner"' in listed(client)

    monkeypatch.setattr(OwnerField, "MAX_LISTED", 1)
    body = listed(client)
    assert '<select name="owner"' not in body and 'name="owner"' in body and 'placeholder="User name"' in body
    by_name = listed(client, owner="charlie")
    assert "Charlie&#x27;s submitted" in by_name and "Alice&#x27;s submitted" not in by_name
    by_id = listed(client, owner=str(alice.pk))  # the home page's links send the id
    assert "Alice&#x27;s submitted" in by_id and "Charlie&#x27;s submitted" not in by_id
    unknown = client.get("/use-cases/", {"owner": "nobody"})
    assert unknown.status_code == 400 and "No owner by that user name" in unknown.text
    assert client.get("/use-cases/", {"owner": "x" * 5000}).status_code == 400


def test_a_portfolio_too_large_to_list_its_owners_gets_the_box_without_counting_them(
    client, bob, alice, charlie, portfolio, monkeypatch
):
    """Past MAX_PORTFOLIO_LISTED visible use cases the owners are not counted: counting the distinct
    owners of a large portfolio reads the whole table, and their number is too large to list anyway."""
    from governance.forms import OwnerField
    from tests.approvals.workflow import complete_use_case, submit

    submit(complete_use_case(alice, title="Alice's submitted"))
    submit(complete_use_case(charlie, title="Charlie's submitted"))
    client.force_login(bob)
    monkeypatch.setattr(OwnerField, "MAX_PORTFOLIO_LISTED", 1)
    monkeypatch.setattr(OwnerField, "_more_than", _counting(OwnerField._more_than, counted := []))
    body = listed(client)
    assert '<select name="owner"' not in body and 'placeholder="User name"' in body
    assert len(counted) == 1, "only the portfolio is counted, not its owners"
    by_name = listed(client, owner="charlie")
    assert "Charlie&#x27;s submitted" in by_name and "Alice&#x27;s submitted" not in by_name


def _counting(more_than, calls: list):
    def counted(queryset, bound):
        calls.append(bound)
        return more_than(queryset, bound)

    return staticmethod(counted)
