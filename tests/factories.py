"""Factories for the registry. Each test builds only what it needs."""

import factory
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group

from checklist.models import Answer, ChecklistItem
from governance.failure_modes import FailureMode, TestStatus
from governance.models import AIModel, DataCategory, FailureModeTest, Risk, UseCase, Vendor
from governance.services import failure_modes_save, use_case_create
from governance.tiers import tier_refresh


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = get_user_model()
        django_get_or_create = ["username"]
        skip_postgeneration_save = True

    username = factory.Sequence(lambda n: f"user{n}")
    email = factory.LazyAttribute(lambda u: f"{u.username}@example.com")
    first_name = factory.LazyAttribute(lambda u: u.username.capitalize())
    password = factory.django.Password("correct horse battery staple")

    @factory.post_generation
    def roles(self, create, extracted, **kwargs):
        for name in extracted or ():
            self.groups.add(Group.objects.get(name=name))


class VendorFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Vendor

    name = factory.Sequence(lambda n: f"Vendor {n}")
    hq_country = "US"
    ownership = Vendor.Ownership.PRIVATE
    sanctions_status = Vendor.SanctionsStatus.CLEAR


class AIModelFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = AIModel

    vendor = factory.SubFactory(VendorFactory)
    name = factory.Sequence(lambda n: f"Model {n}")
    family = "Test"
    version = factory.LazyAttribute(lambda m: f"{m.name}-2026-01")
    origin_country = factory.LazyAttribute(lambda m: m.vendor.hq_country)
    distribution = AIModel.Distribution.OPEN_WEIGHTS
    licence_name = "Apache-2.0"


class UseCaseFactory(factory.django.DjangoModelFactory):
    """Creates through the service, so references, history and grants are real."""

    class Meta:
        model = UseCase

    title = factory.Sequence(lambda n: f"Use case {n}")
    purpose = "Summarise internal tickets for the service desk."
    primary_model = factory.SubFactory(AIModelFactory)
    deployment_mode = UseCase.DeploymentMode.ON_PREMISES
    hosting_country = "DE"
    user = factory.SubFactory(UserFactory)

    @classmethod
    def _create(cls, model_class, *args, user, **kwargs):
        return use_case_create(user=user, **kwargs)


class RiskFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Risk

    use_case = factory.SubFactory(UseCaseFactory)
    title = factory.Sequence(lambda n: f"Risk {n}")
    category = Risk.Category.DATA
    inherent_likelihood = 4
    inherent_impact = 4
    residual_likelihood = 2
    residual_impact = 3
    owner = factory.LazyAttribute(lambda r: r.use_case.risk_owner)

    @classmethod
    def _create(cls, model_class, *args, **kwargs):
        """Insert the risk directly (any state) and keep the use case's stored tier in step, as the risk
        services do."""
        risk = super()._create(model_class, *args, **kwargs)
        tier_refresh(UseCase.objects.filter(pk=risk.use_case_id), touch=False)
        risk.use_case.refresh_from_db(fields=["highest_residual", "risk_band"])
        return risk


class AnswerFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Answer

    use_case = factory.SubFactory(UseCaseFactory)
    item = factory.LazyFunction(lambda: ChecklistItem.objects.order_by("pk").first())
    response = Answer.Response.YES
    answered_by = factory.LazyAttribute(lambda a: a.use_case.business_owner)


class FailureModeTestFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = FailureModeTest

    use_case = factory.SubFactory(UseCaseFactory)
    mode = FailureMode.HALLUCINATION
    status = TestStatus.TESTED
    method = "200 ticket summaries checked against the source tickets by two agents."
    result = "3 of 200 summaries named a product the ticket did not mention."


def tested_answer(mode: str) -> dict[str, str]:
    label = FailureMode(mode).label.lower()
    return {
        "status": TestStatus.TESTED,
        "method": f"Red-team set for {label}: 100 prompts, run through the evaluation harness.",
        "result": f"No finding above the agreed threshold for {label}.",
    }


def failure_modes_tested(use_case: UseCase, user=None, **answers: dict[str, str]) -> list[FailureModeTest]:
    """Answer all ten failure modes of `use_case` through the service: tested, unless `answers` says
    otherwise for a mode (`prompt_injection={"status": "not_applicable", "reason": "..."}`)."""
    every = {mode: answers.get(mode) or tested_answer(mode) for mode in FailureMode.values}
    return failure_modes_save(use_case=use_case, user=user or use_case.business_owner, answers=every)


def data_category(slug: str) -> DataCategory:
    return DataCategory.objects.get(slug=slug)
