"""The database refuses what the rules forbid, whichever code path writes."""

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction

from checklist.models import Answer
from governance.models import DataCategory, ReferenceCounter, Vendor
from tests.factories import AIModelFactory, AnswerFactory, RiskFactory, UseCaseFactory, VendorFactory

pytestmark = pytest.mark.django_db


def rejected(factory, **kwargs):
    with pytest.raises(IntegrityError), transaction.atomic():
        factory(**kwargs)


@pytest.mark.parametrize("field", ["inherent_likelihood", "inherent_impact", "residual_likelihood", "residual_impact"])
@pytest.mark.parametrize("value", [0, 6])
def test_risk_scores_stay_on_the_1_to_5_scale(use_case, field, value):
    values = {"inherent_likelihood": 5, "inherent_impact": 5, "residual_likelihood": 1, "residual_impact": 1}
    values[field] = value
    rejected(RiskFactory, use_case=use_case, **values)


def test_residual_score_cannot_exceed_inherent(use_case):
    rejected(
        RiskFactory,
        use_case=use_case,
        inherent_likelihood=2,
        inherent_impact=2,
        residual_likelihood=3,
        residual_impact=2,
    )
    RiskFactory(use_case=use_case, inherent_likelihood=2, inherent_impact=3, residual_likelihood=3, residual_impact=2)


def test_residual_above_inherent_is_a_validation_error_with_a_message(use_case):
    risk = RiskFactory.build(
        use_case=use_case, inherent_likelihood=1, inherent_impact=1, residual_likelihood=2, residual_impact=2
    )
    with pytest.raises(ValidationError, match="residual score cannot be higher"):
        risk.full_clean()


def test_one_answer_per_item_per_use_case(use_case):
    first = AnswerFactory(use_case=use_case)
    rejected(AnswerFactory, use_case=use_case, item=first.item)


def test_an_answer_other_than_yes_needs_a_justification(use_case):
    rejected(AnswerFactory, use_case=use_case, response=Answer.Response.NO, justification="")
    AnswerFactory(use_case=use_case, response=Answer.Response.NO, justification="No DLP on the gateway yet.")


def test_answer_response_must_be_a_known_choice(use_case):
    rejected(AnswerFactory, use_case=use_case, response="maybe", justification="x")


def test_vendor_sanctions_status_must_be_a_known_choice():
    rejected(VendorFactory, sanctions_status="fine")


def test_vendor_names_are_unique():
    VendorFactory(name="DeepSeek")
    rejected(VendorFactory, name="DeepSeek")


def test_model_version_is_unique_per_vendor():
    model = AIModelFactory()
    rejected(AIModelFactory, vendor=model.vendor, name=model.name, version=model.version)


def test_active_parameters_cannot_exceed_total():
    rejected(AIModelFactory, total_params_b=37, active_params_b=671)
    AIModelFactory(total_params_b=671, active_params_b=37)


def test_data_category_sensitivity_range():
    with pytest.raises(IntegrityError), transaction.atomic():
        DataCategory.objects.create(name="Odd", slug="odd", sensitivity=9)


def test_use_case_references_are_unique_and_sequential(alice):
    first, second = UseCaseFactory(user=alice), UseCaseFactory(user=alice)
    year = ReferenceCounter.objects.get(prefix="UC").year
    assert first.reference == f"UC-{year}-0001"
    assert second.reference == f"UC-{year}-0002"


def test_use_case_status_must_be_a_known_state(use_case):
    from governance.models import UseCase

    with pytest.raises(IntegrityError), transaction.atomic():
        UseCase.objects.filter(pk=use_case.pk).update(status="bogus")


def test_country_codes_are_validated():
    vendor = VendorFactory.build(hq_country="China")
    with pytest.raises(ValidationError, match="two-letter"):
        vendor.full_clean()
    assert Vendor.objects.count() == 0
