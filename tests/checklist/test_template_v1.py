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
