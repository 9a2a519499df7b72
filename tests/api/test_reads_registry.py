"""GET /api/v1/vendors/, /models/, /data-categories/: the catalog's facts with their sources, to every role
and to tokens that may read; a person with no role learns nothing of it (as on the catalog pages)."""

from datetime import date

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from governance.models import DataCategory, Vendor
from tests.api.helpers import service_account, session_client, token_client
from tests.approvals.workflow import person
from tests.factories import AIModelFactory, UseCaseFactory, VendorFactory

pytestmark = pytest.mark.django_db

VENDORS = reverse("api_vendor_list")
MODELS = reverse("api_model_list")
CATEGORIES = reverse("api_data_category_list")


@pytest.fixture
def sanctioned():
    return VendorFactory(
        name="Sanctioned Labs",
        hq_country="RU",
        sanctions_status=Vendor.SanctionsStatus.SANCTIONED,
        sanctions_checked_on=date(2026, 3, 1),
        sanctions_source="EU consolidated list, 2026-03-01",
        source="Company filings",
        checked_on=date(2026, 2, 1),
    )


def test_it_shows_a_vendors_sanctions_facts_and_their_sources(bob, sanctioned):
    AIModelFactory(vendor=sanctioned)
    data = session_client(bob).get(reverse("api_vendor_detail", args=[sanctioned.pk])).json()
    assert data["sanctions_status"] == "sanctioned"
    assert data["is_restricted"] is True
    assert data["sanctions_checked_on"] == "2026-03-01"
    assert data["sanctions_source"] == "EU consolidated list, 2026-03-01"
    assert (data["source"], data["checked_on"]) == ("Company filings", "2026-02-01")
    assert data["model_count"] == 1


def test_it_lists_vendors_by_name(bob, sanctioned):
    VendorFactory(name="Acme AI")
    names = [row["name"] for row in session_client(bob).get(VENDORS).json()["results"]]
    assert names.index("Acme AI") < names.index("Sanctioned Labs")


def test_it_shows_a_model_with_its_vendor_facts_and_lifecycle(alice, charlie, sanctioned):
    model = AIModelFactory(vendor=sanctioned, name="Giga", version="giga-2", lifecycle="deprecated", source="Card")
    UseCaseFactory(user=alice, primary_model=model)
    data = session_client(alice).get(reverse("api_model_detail", args=[model.pk])).json()
    assert data["vendor"]["sanctions_status"] == "sanctioned"
    assert (data["version"], data["lifecycle"], data["source"]) == ("giga-2", "deprecated", "Card")
    assert data["use_case_count"] == 1
    # Counted among the use cases the caller may see, as the catalog counts them.
    assert session_client(charlie).get(reverse("api_model_detail", args=[model.pk])).json()["use_case_count"] == 0


def test_it_lists_the_data_categories_most_sensitive_first(alice):
    rows = session_client(alice).get(CATEGORIES).json()["results"]
    assert rows, "loaded by a data migration"
    assert [row["sensitivity"] for row in rows] == sorted((row["sensitivity"] for row in rows), reverse=True)
    assert rows[0]["sensitivity_label"] == "Restricted"


@pytest.mark.parametrize("route", [VENDORS, MODELS, CATEGORIES])
def test_a_person_without_a_role_gets_404(route):
    assert session_client(person("nadia")).get(route).status_code == 404


def test_an_unknown_vendor_or_model_is_404(bob):
    client = session_client(bob)
    assert client.get(reverse("api_vendor_detail", args=[999999])).status_code == 404
    assert client.get(reverse("api_model_detail", args=[999999])).status_code == 404


@pytest.mark.parametrize("scopes,status", [(("read",), 200), (("submit",), 200), (("gateway",), 403)])
def test_tokens_read_the_registry_by_scope(scopes, status, sanctioned):
    client = token_client(service_account(*scopes)[1])
    for route in (VENDORS, MODELS, CATEGORIES, reverse("api_vendor_detail", args=[sanctioned.pk])):
        assert client.get(route).status_code == status


def _queries(client, url) -> int:
    with CaptureQueriesContext(connection) as queries:
        assert client.get(url).status_code == 200
    return len(queries)


@pytest.mark.parametrize("route", [VENDORS, MODELS, CATEGORIES])
def test_each_list_costs_the_same_queries_for_any_number_of_rows(bob, route):
    client = session_client(bob)
    AIModelFactory()
    few = _queries(client, route)
    for n in range(6):
        AIModelFactory()
        DataCategory.objects.create(name=f"Category {n}", slug=f"category-{n}", sensitivity=2)
    assert _queries(client, route) == few
