import pytest
from django.contrib.auth.models import Group

from governance.roles import ROLE_PERMISSIONS, Role

pytestmark = pytest.mark.django_db


def test_every_role_group_exists_with_exactly_its_permissions():
    assert set(Group.objects.values_list("name", flat=True)) >= {r.value for r in Role}
    for role, expected in ROLE_PERMISSIONS.items():
        group = Group.objects.get(name=role)
        actual = {f"{p.content_type.app_label}.{p.codename}" for p in group.permissions.select_related("content_type")}
        assert actual == set(expected), role


def test_business_owners_cannot_see_all_use_cases():
    assert "governance.view_usecase" not in ROLE_PERMISSIONS[Role.BUSINESS_OWNER]
