from collections import Counter

import pytest

from checklist.models import ChecklistItem, ChecklistTemplate
from governance.roles import Function

pytestmark = pytest.mark.django_db


def test_version_1_has_5_sections_and_24_items():
    template = ChecklistTemplate.objects.get(version=1)
    sections = list(template.sections.order_by("position"))
    assert [s.title for s in sections] == [
        "Governance and ownership",
        "Data protection",
        "Deployment and access control",
        "Security testing",
        "Operational resilience",
    ]
    assert [s.items.count() for s in sections] == [4, 5, 5, 5, 5]
    assert ChecklistItem.objects.filter(section__template=template).count() == 24


def test_every_item_has_an_owning_function_among_the_five():
    owners = Counter(
        ChecklistItem.objects.filter(section__template__version=1).values_list("owner_function", flat=True)
    )
    assert set(owners) == {Function.BUSINESS, Function.LEGAL, Function.PRIVACY, Function.SECURITY, Function.PROCUREMENT}
    assert sum(owners.values()) == 24


def test_items_carry_the_article_wording():
    texts = set(ChecklistItem.objects.values_list("text", flat=True))
    assert "Have we identified the business owner, technical owner, and risk owner?" in texts
    assert "Are audit logs retained and reviewable?" in texts
    item = ChecklistItem.objects.get(code="DEP-1")
    assert item.owner_function == Function.PROCUREMENT


def test_every_item_of_version_1_says_what_a_yes_requires_and_the_evidence_expected():
    items = list(ChecklistItem.objects.filter(section__template__version=1))
    assert len(items) == 24
    for item in items:
        assert len(item.yes_requires) > 150, item.code
        assert len(item.evidence_expected) > 80, item.code
    # Specific to each item, not one text for all.
    assert len({item.yes_requires for item in items}) == 24
    assert len({item.evidence_expected for item in items}) == 24


def test_the_guidance_names_what_an_auditor_accepts():
    items = {item.code: item for item in ChecklistItem.objects.filter(section__template__version=1)}
    assert "business owner" in items["GOV-1"].yes_requires and "technical owner" in items["GOV-1"].yes_requires
    assert "prompt injection" in items["SEC-2"].yes_requires.lower()
    assert "checksum" in items["DEP-1"].evidence_expected
    assert "secret manager" in items["DEP-4"].yes_requires


def test_the_guidance_is_in_the_items_history():
    item = ChecklistItem.objects.get(section__template__version=1, code="OPS-5")
    latest = item.history.latest()
    assert latest.yes_requires == item.yes_requires
    assert latest.history_change_reason.startswith("Guidance for version 1")


def test_the_guidance_is_bounded():
    from django.core.exceptions import ValidationError

    item = ChecklistItem.objects.get(section__template__version=1, code="GOV-1")
    item.yes_requires = "x" * 2001
    with pytest.raises(ValidationError) as error:
        item.full_clean()
    assert "yes_requires" in error.value.message_dict


def test_loading_the_guidance_again_restores_it_once(django_assert_max_num_queries):
    import importlib

    from django.apps import apps

    migration = importlib.import_module("checklist.migrations.0006_item_guidance")
    item = ChecklistItem.objects.get(section__template__version=1, code="DATA-3")
    rows = item.history.count()
    ChecklistItem.objects.filter(pk=item.pk).update(yes_requires="", evidence_expected="")
    migration.load(apps, None)
    migration.load(apps, None)  # a second time changes nothing
    item.refresh_from_db()
    assert item.yes_requires == migration.GUIDANCE["DATA-3"][0]
    assert item.history.count() == rows + 1
    assert item.history.latest().history_change_reason == migration.REASON
