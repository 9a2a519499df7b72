"""Approval events are append-only: in the model, and in the database itself."""

import pytest
from django.db import DatabaseError, connection, transaction

from approvals.models import ApprovalEvent
from tests.approvals.workflow import complete_use_case, sign, submit

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("fast_passwords")]


@pytest.fixture
def event(alice, team):
    round = submit(complete_use_case(alice))
    sign(round, "legal", team["legal"], "approve", comment="Fine.")
    return ApprovalEvent.objects.get(verb=ApprovalEvent.Verb.SIGNED)


def test_it_records_who_what_and_when(event, team):
    assert event.actor == team["legal"]
    assert event.created_at is not None
    assert event.data["comment"] == "Fine."
    assert event.round.number == 1


def test_it_cannot_be_saved_again(event):
    event.data = {"comment": "Rewritten."}
    with pytest.raises(ValueError, match="append-only"):
        event.save()
    event.refresh_from_db()
    assert event.data["comment"] == "Fine."


def test_it_cannot_be_deleted(event):
    with pytest.raises(ValueError, match="append-only"):
        event.delete()
    assert ApprovalEvent.objects.filter(pk=event.pk).exists()


def test_a_queryset_update_or_delete_is_refused(event):
    with pytest.raises(ValueError, match="append-only"):
        ApprovalEvent.objects.filter(pk=event.pk).update(data={"comment": "Rewritten."})
    with pytest.raises(ValueError, match="append-only"):
        ApprovalEvent.objects.filter(pk=event.pk).delete()
    event.refresh_from_db()
    assert event.data["comment"] == "Fine."
    assert ApprovalEvent.objects.count() == 2


def test_the_database_refuses_an_update_in_sql(event):
    with pytest.raises(DatabaseError, match="append-only"), transaction.atomic(), connection.cursor() as cursor:
        cursor.execute("UPDATE approvals_approvalevent SET verb = 'rejected' WHERE id = %s", [event.pk])
    event.refresh_from_db()
    assert event.verb != "rejected"


@pytest.mark.skipif(connection.vendor != "postgresql", reason="SQLite keeps DELETE for Django's test flush")
def test_postgresql_refuses_a_delete_in_sql(event):
    with pytest.raises(DatabaseError, match="append-only"), transaction.atomic(), connection.cursor() as cursor:
        cursor.execute("DELETE FROM approvals_approvalevent WHERE id = %s", [event.pk])
    assert ApprovalEvent.objects.count() == 2


def test_new_events_can_still_be_added(event, alice):
    ApprovalEvent.objects.create(use_case=event.use_case, actor=alice, verb=ApprovalEvent.Verb.ANSWERED)
    assert ApprovalEvent.objects.count() == 3


def test_the_database_refuses_an_unknown_verb(event, alice):
    with pytest.raises(DatabaseError), transaction.atomic():
        ApprovalEvent.objects.create(use_case=event.use_case, actor=alice, verb="erased")
