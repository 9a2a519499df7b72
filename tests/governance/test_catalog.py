import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from tests.factories import AIModelFactory, UseCaseFactory, UserFactory, VendorFactory

pytestmark = pytest.mark.django_db


def queries(client, path):
    client.get(path)
    with CaptureQueriesContext(connection) as ctx:
        assert client.get(path).status_code == 200
    return len(ctx.captured_queries)


@pytest.mark.parametrize("path", ["/catalog/models/", "/catalog/vendors/"])
def test_catalog_lists_run_a_constant_number_of_queries(client, alice, path):
    client.force_login(alice)
    AIModelFactory()
    few = queries(client, path)
    for _ in range(20):
        AIModelFactory(vendor=VendorFactory())
    assert queries(client, path) == few


def test_a_model_page_shows_facts_and_only_the_use_cases_i_may_see(client, alice, charlie):
    vendor = VendorFactory(name="Alibaba Cloud", hq_country="CN", sanctions_status="under_review")
    model = AIModelFactory(vendor=vendor, name="Qwen2.5-72B-Instruct", native_name="通义千问", source="QwenLM README")
    mine = UseCaseFactory(user=alice, primary_model=model, title="Mine")
    UseCaseFactory(user=charlie, primary_model=model, title="Not mine")
    client.force_login(alice)
    body = client.get(f"/catalog/models/{model.pk}/").text
    assert "通义千问" in body and "QwenLM README" in body and "Under review" in body
    assert mine.reference in body and "Not mine" not in body
    vendor_page = client.get(f"/catalog/vendors/{vendor.pk}/").text
    assert "Qwen2.5-72B-Instruct" in vendor_page and "Not mine" not in vendor_page


def test_an_account_with_no_role_gets_404(client):
    client.force_login(UserFactory(username="nobody"))
    model = AIModelFactory()
    for path in (
        "/catalog/models/",
        f"/catalog/models/{model.pk}/",
        "/catalog/vendors/",
        f"/catalog/vendors/{model.vendor_id}/",
    ):
        assert client.get(path).status_code == 404


def test_catalog_pages_refuse_post(client, alice):
    client.force_login(alice)
    assert client.post("/catalog/models/").status_code == 405
