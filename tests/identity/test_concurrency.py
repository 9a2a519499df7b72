"""Two governance admins taking each other's role away at the same moment: the row locks make one go
second, and the second finds that it would leave nobody to manage people (or that it no longer may).

Only on PostgreSQL: SQLite has no row locks."""

import time
from unittest import mock

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import connection  # noqa: F401 (the skipif condition reads it)

from governance.roles import Role
from identity import services
from identity.services import person_deactivate, role_revoke
from tests.approvals.test_concurrency import at_once
from tests.approvals.workflow import person

pytestmark = [
    pytest.mark.skipif("connection.vendor != 'postgresql'", reason="needs PostgreSQL row locks"),
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]


@pytest.fixture
def slow_check():
    """Hold each transaction open after its last-admin check, so that both check before either commits
    unless a lock makes the second wait."""
    check = services._refuse_if_last_admin

    def slow(*args, **kwargs):
        check(*args, **kwargs)
        time.sleep(0.3)

    with mock.patch.object(services, "_refuse_if_last_admin", slow):
        yield


def admins_left() -> int:
    return services.User.objects.filter(groups__name=Role.ADMIN, is_active=True).count()


@pytest.mark.usefixtures("slow_check")
def test_two_admins_revoking_each_other_leave_one(db):
    gina, greta = person("gina", Role.ADMIN), person("greta", Role.ADMIN)
    results = at_once(
        lambda: role_revoke(person=greta, role=Role.ADMIN, user=gina, reason="Reorganisation."),
        lambda: role_revoke(person=gina, role=Role.ADMIN, user=greta, reason="Reorganisation."),
    )
    refused = [r for r in results if isinstance(r, ValidationError | PermissionDenied)]
    assert len(refused) == 1, results
    assert admins_left() == 1


@pytest.mark.usefixtures("slow_check")
def test_two_admins_deactivating_each_other_leave_one(db):
    gina, greta = person("gina", Role.ADMIN), person("greta", Role.ADMIN)
    results = at_once(
        lambda: person_deactivate(person=greta, user=gina, reason="Left."),
        lambda: person_deactivate(person=gina, user=greta, reason="Left."),
    )
    refused = [r for r in results if isinstance(r, ValidationError | PermissionDenied)]
    assert len(refused) == 1, results
    assert admins_left() == 1
