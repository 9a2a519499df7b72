"""Country fields hold assigned ISO 3166-1 alpha-2 codes, not any two capital letters."""

import pytest
from django.core.exceptions import ValidationError

from governance.countries import COUNTRIES, country_label, validate_country_code
from governance.forms import UseCaseForm
from governance.models import UseCase
from governance.services import use_case_create, use_case_update
from tests.approvals.test_request_views import request_data
from tests.factories import AIModelFactory, UseCaseFactory, VendorFactory

pytestmark = pytest.mark.django_db


def test_the_module_holds_the_249_assigned_codes():
    assert len(COUNTRIES) == 249
    assert all(len(code) == 2 and code.isupper() for code in COUNTRIES)
    assert {"CN", "KR", "RU", "US", "DE", "TW", "AE"} <= COUNTRIES.keys()
    assert not {"ZZ", "XX", "EU", "UK", "XK"} & COUNTRIES.keys()


@pytest.mark.parametrize("value", ["ZZ", "XX", "EU", "UK", "de", ""])
def test_unassigned_codes_are_refused_naming_the_value(value):
    with pytest.raises(ValidationError) as error:
        validate_country_code(value)
    assert f"“{value}” is not an ISO 3166-1 country code" in error.value.messages[0]


def test_labels_name_the_country():
    assert country_label("KR") == "KR · South Korea"
    assert country_label("CN") == "CN · China"
    assert country_label("ZZ") == "ZZ"


def test_full_clean_refuses_zz_on_every_country_field():
    vendor = VendorFactory.build(hq_country="ZZ")
    with pytest.raises(ValidationError) as error:
        vendor.full_clean()
    assert "“ZZ”" in error.value.message_dict["hq_country"][0]

    model = AIModelFactory.build(vendor=VendorFactory(), origin_country="ZZ")
    with pytest.raises(ValidationError) as error:
        model.full_clean()
    assert "“ZZ”" in error.value.message_dict["origin_country"][0]


def test_the_services_refuse_zz(alice):
    with pytest.raises(ValidationError, match="“ZZ” is not an ISO 3166-1 country code"):
        use_case_create(
            user=alice,
            title="Ticket summaries",
            purpose="Summarise tickets",
            primary_model=AIModelFactory(),
            deployment_mode=UseCase.DeploymentMode.ON_PREMISES,
            hosting_country="ZZ",
        )
    assert not UseCase.objects.exists()

    use_case = UseCaseFactory(user=alice)
    with pytest.raises(ValidationError, match="“ZZ”"):
        use_case_update(use_case=use_case, user=alice, hosting_country="ZZ")
    use_case.refresh_from_db()
    assert use_case.hosting_country == "DE"


def test_the_request_form_refuses_zz_and_says_which_value(alice):
    form = UseCaseForm(data=request_data(AIModelFactory(), alice, hosting_country="zz"), user=alice)
    assert not form.is_valid()
    assert form.errors["hosting_country"] == [
        "“ZZ” is not an ISO 3166-1 country code: use an assigned two-letter code, e.g. DE, KR, US."
    ]


def test_the_request_form_takes_a_real_code_in_any_case(alice):
    form = UseCaseForm(data=request_data(AIModelFactory(), alice, hosting_country=" kr "), user=alice)
    assert form.is_valid(), form.errors
    assert form.cleaned_data["hosting_country"] == "KR"


def test_the_request_page_shows_the_error_next_to_the_field(client, alice):
    client.force_login(alice)
    response = client.post("/use-cases/new/", request_data(AIModelFactory(), alice, hosting_country="ZZ"))
    assert response.status_code == 400
    assert "“ZZ” is not an ISO 3166-1 country code" in response.text
    assert not UseCase.objects.exists()
