"""`manage.py seed_demo`: the demo `make run` shows, loaded once however often it runs."""

import datetime
import re
from io import StringIO

import pytest
from django.apps import apps
from django.contrib.auth import get_user_model
from django.core.management import call_command
from django.core.management.base import CommandError
from django.utils import timezone
from guardian.models import UserObjectPermission

from approvals.demo import data
from checklist.models import Answer
from governance.models import AIModel, Risk, UseCase, Vendor
from governance.roles import FUNCTION_GROUP, Function, Role
from governance.scoring import Band
from governance.selectors import use_cases_visible_to

User = get_user_model()

CHECKED_ON = datetime.date(2026, 11, 28)
CJK = re.compile(r"[\u4e00-\u9fff]")
HANGUL = re.compile(r"[\uac00-\ud7af]")
CYRILLIC = re.compile(r"[\u0400-\u04ff]")

EXPECTED_VENDORS = {
    "DeepSeek",
    "Alibaba Cloud (Qwen team)",
    "Moonshot AI",
    "Baidu",
    "Tencent",
    "iFlytek",
    "NAVER",
    "LG AI Research",
    "Sber (SaluteDevices)",
    "Yandex",
    "SB Intuitions",
    "ELYZA",
    "OpenAI",
    "Anthropic",
    "Google (Google DeepMind)",
    "Meta",
    "Mistral AI",
}


@pytest.fixture
def seed(settings):
    """Run the command as `make run` does (DEBUG on), with a fast hasher, and return what it printed."""
    settings.DEBUG = True
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]

    def run() -> str:
        out = StringIO()
        call_command("seed_demo", stdout=out)
        return out.getvalue()

    return run


@pytest.fixture
def seeded(db, seed) -> str:
    return seed()


def row_counts() -> dict[str, int]:
    """Rows in every table, history and many-to-many tables included."""
    return {model._meta.label: model._base_manager.count() for model in apps.get_models(include_auto_created=True)}


@pytest.mark.django_db
def test_it_is_idempotent(seed):
    seed()
    first = row_counts()

    output = seed()

    assert row_counts() == first
    for model in (Vendor, AIModel, UseCase, Risk, Answer):
        assert first[model.history.model._meta.label] > 0
    assert first[UserObjectPermission._meta.label] > 0
    assert "nothing added" in output


@pytest.mark.django_db
def test_it_keeps_what_a_user_changed(seed):
    seed()
    owner = User.objects.get(username="owner")
    owner.set_password("changed-by-maria")
    owner.save()

    seed()

    owner.refresh_from_db()
    assert owner.check_password("changed-by-maria")


@pytest.mark.django_db
def test_it_refuses_without_debug(settings):
    settings.DEBUG = False

    with pytest.raises(CommandError, match="DEBUG is off"):
        call_command("seed_demo", stdout=StringIO())

    assert not User.objects.filter(username="owner").exists()


@pytest.mark.django_db
def test_it_seeds_without_debug_when_forced(settings):
    settings.DEBUG = False
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]

    call_command("seed_demo", force=True, stdout=StringIO())

    assert UseCase.objects.count() == 12


def test_it_loads_every_model_and_vendor(seeded):
    assert AIModel.objects.count() == 22
    assert set(Vendor.objects.values_list("name", flat=True)) == EXPECTED_VENDORS


def test_facts_keep_their_source_and_date(seeded):
    deepseek = AIModel.objects.get(name="DeepSeek-V3")
    assert "deepseek-ai/DeepSeek-V3" in deepseek.source
    assert deepseek.checked_on == CHECKED_ON
    assert not AIModel.objects.filter(source="").exists()
    assert not AIModel.objects.exclude(checked_on=CHECKED_ON).exists()
    assert not Vendor.objects.filter(source="").exists()
    assert not Vendor.objects.exclude(checked_on=CHECKED_ON).exists()


def test_it_maps_the_csv_columns(seeded):
    kimi = AIModel.objects.select_related("vendor").get(name="Kimi K2")
    assert kimi.version == "Kimi-K2-Instruct"
    assert kimi.architecture == AIModel.Architecture.MOE
    assert (kimi.total_params_b, kimi.active_params_b) == (1000, 32)
    assert kimi.release_date == "2025-07"
    assert kimi.origin_country == "CN"
    assert kimi.vendor.ownership == Vendor.Ownership.PRIVATE
    assert AIModel.objects.get(name="Mistral Small 3").version == "Mistral-Small-24B-Instruct-2501"
    assert AIModel.objects.get(name="DeepSeek-V3").distribution == AIModel.Distribution.BOTH
    exaone = AIModel.objects.get(name="EXAONE-3.5-32B-Instruct")
    assert exaone.architecture == AIModel.Architecture.UNKNOWN
    assert "non-commercial" in exaone.licence_restrictions
    assert AIModel.objects.get(name="GPT-4o").total_params_b is None
    assert Vendor.objects.get(name="Baidu").ownership == Vendor.Ownership.LISTED
    assert Vendor.objects.get(name="DeepSeek").ownership == Vendor.Ownership.UNKNOWN
    sber = Vendor.objects.get(name="Sber (SaluteDevices)")
    assert sber.ownership == Vendor.Ownership.STATE_LINKED
    assert "Sberbank" in sber.ownership_detail
    assert sber.hq_country == "RU"


def test_it_speaks_chinese_korean_and_russian(seeded):
    native_names = [
        *Vendor.objects.values_list("native_name", flat=True),
        *AIModel.objects.values_list("native_name", flat=True),
    ]
    assert any(CJK.search(name) for name in native_names)
    assert any(HANGUL.search(name) for name in native_names)
    assert any(CYRILLIC.search(name) for name in native_names)
    assert Vendor.objects.get(name="Moonshot AI").native_name == "月之暗面"
    assert Vendor.objects.get(name="Yandex").native_name == "Яндекс"
    assert set(AIModel.objects.filter(family="GigaChat").values_list("native_name", flat=True)) == {"ГигаЧат"}
    assert AIModel.objects.get(name="Qwen2.5-Coder-32B-Instruct").native_name == "通义千问"
    full_names = [user.get_full_name() for user in User.objects.all()]
    assert any(CYRILLIC.search(name) for name in full_names)
    assert any(HANGUL.search(name) for name in full_names)


def test_it_records_the_sanctions_assessment(seeded):
    statuses = dict(Vendor.objects.values_list("name", "sanctions_status"))
    assert statuses["Sber (SaluteDevices)"] == Vendor.SanctionsStatus.SANCTIONED
    assert statuses["iFlytek"] == Vendor.SanctionsStatus.RESTRICTED
    for name in ("Tencent", "Alibaba Cloud (Qwen team)", "Baidu", "DeepSeek", "Yandex"):
        assert statuses[name] == Vendor.SanctionsStatus.UNDER_REVIEW, name
    for vendor in Vendor.objects.filter(sanctions_status=Vendor.SanctionsStatus.CLEAR):
        assert vendor.sanctions_note.startswith("No listing found in sources read"), vendor.name
    assert not Vendor.objects.exclude(sanctions_checked_on=CHECKED_ON).exists()
    assert not Vendor.objects.filter(sanctions_source="").exists()
    assert "50% rule" in Vendor.objects.get(name="Sber (SaluteDevices)").sanctions_note


def test_it_claims_no_vendor_assurance(seeded):
    assert not Vendor.objects.exclude(assurance_evidence="").exists()
    # What is said of self-hosted weights cannot be said of a hosted API.
    assert Vendor.objects.get(name="OpenAI").data_retention == ""
    assert Vendor.objects.get(name="Meta").data_retention.startswith("Not applicable when self-hosted")


def test_demo_users_hold_their_roles(seeded):
    for demo in data.USERS:
        user = User.objects.get(username=demo.username)
        assert list(user.groups.values_list("name", flat=True)) == [demo.role.value]
        assert user.check_password(data.DEMO_PASSWORD)
        assert user.email == f"{demo.username}@example.com"
        assert not user.is_superuser
    assert User.objects.get(username="admin").is_staff
    assert not User.objects.get(username="owner").is_staff


def test_it_opens_a_dozen_use_cases_with_risks(seeded):
    year = timezone.now().year
    use_cases = UseCase.objects.all()
    assert len(use_cases) == 12
    for use_case in use_cases:
        assert re.fullmatch(rf"UC-{year}-\d{{4}}", use_case.reference)
        assert 2 <= use_case.risks.count() <= 4, use_case.reference


def test_owners_are_business_owners_not_reviewers(seeded):
    for use_case in UseCase.objects.all():
        for owner in use_case.owners:
            assert list(owner.groups.values_list("name", flat=True)) == [Role.BUSINESS_OWNER]
    assert UseCase.objects.filter(business_owner__username="owner2").count() in (2, 3)


def test_statuses_cover_the_lifecycle(seeded):
    assert len(set(UseCase.objects.values_list("status", flat=True))) >= 6


def test_each_status_is_in_history(seeded):
    for use_case in UseCase.objects.exclude(status=UseCase.Status.DRAFT):
        latest = use_case.history.latest()
        assert latest.status == use_case.status
        assert latest.history_change_reason.startswith("Demo data: status set to")
        assert latest.history_user.username == "admin"


def test_residual_risks_span_every_band(seeded):
    bands = {risk.residual_band for risk in Risk.objects.all()}
    assert bands == set(Band)
    assert {use_case.risk_tier for use_case in UseCase.objects.all()} >= {Band.MEDIUM, Band.HIGH, Band.CRITICAL}


def test_answers_come_from_the_item_function(seeded):
    answers = Answer.objects.select_related("use_case__business_owner", "item", "answered_by")
    assert answers.exists()
    for answer in answers:
        if answer.item.owner_function == Function.BUSINESS:
            assert answer.answered_by == answer.use_case.business_owner
        else:
            group = FUNCTION_GROUP[Function(answer.item.owner_function)]
            assert answer.answered_by.groups.filter(name=group).exists()
        assert answer.history.latest().history_user == answer.answered_by
    assert not Answer.objects.filter(use_case__status=UseCase.Status.DRAFT).exclude(
        item__owner_function=Function.BUSINESS
    )


def test_an_owner_does_not_see_another_owners_use_cases(seeded):
    owner, owner2 = User.objects.get(username="owner"), User.objects.get(username="owner2")
    theirs = UseCase.objects.filter(business_owner=owner2).first()

    visible = use_cases_visible_to(owner)

    assert theirs not in visible
    assert set(visible) == set(UseCase.objects.filter(business_owner=owner))
    assert theirs in use_cases_visible_to(owner2)
    assert theirs in use_cases_visible_to(User.objects.get(username="legal"))


def test_it_prints_every_demo_login(seeded):
    for demo in data.USERS:
        assert re.search(rf"^{demo.username}\s+{re.escape(demo.role.value)}\s", seeded, re.MULTILINE)
    assert data.DEMO_PASSWORD in seeded
