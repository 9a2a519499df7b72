"""Bad input gets a 400 or a 404 with a message, never a 500: odd digits, ids out of range, NUL bytes."""

import pytest

from governance.roles import Role
from tests.factories import AIModelFactory, UseCaseFactory, UserFactory

pytestmark = pytest.mark.django_db

HUGE = "9" * 30


@pytest.fixture
def client_of(client):
    def login(user):
        client.raise_request_exception = True
        client.force_login(user)
        return client

    return login


@pytest.mark.parametrize("value", ["²", "٣", HUGE, "-1", "1.5", "0x10", ""])
def test_model_facts_takes_any_value_without_500(client_of, alice, value):
    AIModelFactory()
    response = client_of(alice).get("/catalog/model-facts/", {"primary_model": value})
    assert response.status_code == 200


def request_form(model, **overrides):
    return {
        "title": "Summaries",
        "purpose": "Summarise tickets.",
        "deployment_mode": "on_premises",
        "hosting_country": "DE",
        "autonomy": "advisory",
        "primary_model": model.pk,
        **overrides,
    }


@pytest.mark.parametrize(
    "field", ["data_categories", "fallback_models", "primary_model", "business_owner", "technical_owner", "risk_owner"]
)
@pytest.mark.parametrize("value", [HUGE, "-" + HUGE, "²", "1e3"])
def test_the_request_form_refuses_an_id_out_of_range_as_a_form_error(client_of, alice, field, value):
    model = AIModelFactory()
    response = client_of(alice).post("/use-cases/new/", request_form(model, **{field: value}))
    assert response.status_code == 400
    assert "Select a valid choice" in response.text


@pytest.mark.parametrize("param", ["model", "owner", "page"])
def test_the_list_filters_refuse_an_id_out_of_range(client_of, alice, param):
    UseCaseFactory(user=alice)
    response = client_of(alice).get("/use-cases/", {param: HUGE})
    assert response.status_code in (200, 400)


@pytest.mark.parametrize(
    "path",
    [
        f"/catalog/models/{HUGE}/",
        f"/catalog/vendors/{HUGE}/",
        f"/reviews/{HUGE}/",
        f"/records/{HUGE}/download/",
        f"/reports/exports/{HUGE}/",
        f"/reports/exports/{HUGE}/download/",
        "/use-cases/{ref}/risks/" + HUGE + "/",
        "/use-cases/{ref}/evidence/" + HUGE + "/",
    ],
)
def test_an_id_out_of_range_in_a_path_is_404(client_of, alice, path):
    use_case = UseCaseFactory(user=alice)
    alice.groups.add(*type(alice.groups.first()).objects.filter(name__in=[Role.EXECUTIVE]))
    response = client_of(alice).get(path.format(ref=use_case.reference))
    assert response.status_code == 404


@pytest.mark.parametrize("path", ["/answers/{huge}/", "/answers/{huge}/evidence/"])
def test_an_item_id_out_of_range_on_a_post_is_404(client_of, alice, path):
    use_case = UseCaseFactory(user=alice)
    url = f"/use-cases/{use_case.reference}" + path.format(huge=HUGE)
    assert client_of(alice).post(url, {"response": "yes"}).status_code == 404


@pytest.mark.parametrize(
    "path",
    [
        "/use-cases/UC%00/",
        "/use-cases/?q=%00",
        "/use-cases/?owner=%00",
        "/catalog/model-facts/?primary_model=%00",
        "/records/verify/?sha256=%00",
        "/use-cases/%00/edit/",
        "/login/?next=%00",
    ],
)
def test_a_nul_byte_in_the_address_is_refused_with_400(client_of, alice, path):
    response = client_of(alice).get(path)
    assert response.status_code == 400
    assert "NUL character" in response.text


def test_a_nul_byte_in_a_posted_reason_is_refused_with_400(client_of, alice):
    use_case = UseCaseFactory(user=alice)
    response = client_of(alice).post(f"/use-cases/{use_case.reference}/edit/", {"reason": "x\x00y"})
    assert response.status_code == 400


def test_every_route_takes_ids_through_the_range_checked_converter():
    """A route added with `<int:…>` would pass a 30-digit number to the database."""
    from django.urls import URLPattern, URLResolver, get_resolver

    def patterns(resolver, prefix=""):
        for entry in resolver.url_patterns:
            if isinstance(entry, URLResolver):
                if "admin" not in str(entry.pattern):
                    yield from patterns(entry, prefix + str(entry.pattern))
            elif isinstance(entry, URLPattern):
                yield prefix + str(entry.pattern)

    assert [p for p in patterns(get_resolver()) if "<int:" in p] == []


def test_a_nul_byte_in_a_posted_form_is_refused_not_500(client_of, alice):
    model = AIModelFactory()
    response = client_of(alice).post("/use-cases/new/", request_form(model, title="Sum\x00maries"))
    assert response.status_code == 400


def test_a_nul_byte_posted_to_the_verify_page_is_refused(client_of, alice):
    response = client_of(alice).post("/records/verify/", {"sha256": "\x00" * 64})
    assert response.status_code == 400


@pytest.mark.parametrize("model_name", ["notification", "reportexport"])
def test_the_admin_history_pages_of_models_without_simple_history_open(client_of, governance_admin, model_name):
    from approvals.models import Notification
    from reports.models import ReportExport

    objects = {
        "notification": lambda: Notification.objects.create(recipient=governance_admin, subject="Hello", body="Hi"),
        "reportexport": lambda: ReportExport.objects.create(requested_by=governance_admin, filters={}),
    }
    app = {"notification": "approvals", "reportexport": "reports"}[model_name]
    url = f"/admin/{app}/{model_name}/{objects[model_name]().pk}/history/"
    response = client_of(governance_admin).get(url)
    assert response.status_code == 200


@pytest.mark.parametrize(
    "value, expected",
    [
        ("7", 7),
        (" 7 ", 7),
        ("0", None),
        ("-1", None),
        ("²", None),
        ("٣", None),
        ("1e3", None),
        ("", None),
        (str(2**63 - 1), 2**63 - 1),
        (str(2**63), None),
        (HUGE, None),
        (None, None),
        (True, None),
        (["1"], None),
    ],
)
def test_parse_id_takes_only_ascii_digits_in_range(value, expected):
    from governance.ids import parse_id

    assert parse_id(value) == expected


def test_model_facts_is_404_to_an_account_with_no_role(client_of):
    model = AIModelFactory()
    response = client_of(UserFactory(username="nobody")).get("/catalog/model-facts/", {"primary_model": model.pk})
    assert response.status_code == 404
    assert model.name not in response.text
