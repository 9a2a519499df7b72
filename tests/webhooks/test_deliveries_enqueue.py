"""Events become deliveries in the transaction that records them, one per active endpoint subscribed to
their type, and are sent once it commits; a broker that is down loses none of them."""

from unittest import mock

import pytest
from django.db import transaction
from kombu.exceptions import OperationalError as BrokerDown

from approvals.models import ApprovalEvent
from approvals.services import approval_revoke
from tests.approvals.workflow import approved_use_case, complete_use_case, sign, submit
from webhooks.models import Delivery
from webhooks.services import endpoint_disable
from webhooks.tasks import deliver_due_webhooks, deliver_webhook

pytestmark = pytest.mark.django_db


class Boom(Exception):
    pass


def test_it_writes_the_delivery_in_the_transaction_of_the_event(alice, endpoint_for):
    endpoint_for("submitted")
    with pytest.raises(Boom), transaction.atomic():
        submit(complete_use_case(alice))
        assert Delivery.objects.count() == 1
        raise Boom
    assert Delivery.objects.count() == 0  # rolled back with the submission


def test_each_subscribed_endpoint_gets_its_own_delivery(alice, endpoint_for):
    first, second = endpoint_for("submitted"), endpoint_for("submitted", "decided")
    submit(complete_use_case(alice))
    assert sorted(Delivery.objects.values_list("endpoint_id", "type")) == [
        (first.pk, "submitted"),
        (second.pk, "submitted"),
    ]


def test_nothing_goes_to_an_endpoint_not_subscribed_to_the_type(alice, endpoint_for):
    endpoint_for("revoked", "expired")
    submit(complete_use_case(alice))
    assert not Delivery.objects.exists()


def test_nothing_goes_to_a_disabled_endpoint(alice, endpoint_for, gina):
    endpoint = endpoint_for("submitted")
    endpoint_disable(user=gina, endpoint=endpoint, reason="Receiver being rebuilt")
    submit(complete_use_case(alice))
    assert not Delivery.objects.exists()


def test_events_of_no_type_send_nothing(alice, team, endpoint_for):
    endpoint_for("submitted", "decided")
    round = submit(complete_use_case(alice))
    sign(round, "legal", team["legal"])  # one sign-off of four: a "signed" event, the round undecided
    assert ApprovalEvent.objects.filter(verb="signed").exists()
    assert list(Delivery.objects.values_list("type", flat=True)) == ["submitted"]


def test_a_decision_is_sent_as_decided_with_its_outcome(alice, team, endpoint_for):
    endpoint_for("decided")
    use_case, round = approved_use_case(alice, team)
    [delivery] = Delivery.objects.all()
    assert delivery.type == "decided"
    payload = delivery.payload
    assert payload["verb"] == "approved"
    assert payload["use_case"]["reference"] == use_case.reference
    assert payload["use_case"]["status"] == "approved"
    assert payload["round"] == {"number": 1, "status": "approved", "expires_on": round.expires_on.isoformat()}
    assert payload["data"] == {"expires_on": round.expires_on.isoformat()}
    assert payload["id"] == delivery.event_id


def test_a_revocation_carries_its_reason(alice, team, endpoint_for):
    use_case, _ = approved_use_case(alice, team)
    endpoint_for("revoked")
    approval_revoke(use_case=use_case, user=alice, reason="The vendor reported a breach.")
    [delivery] = Delivery.objects.all()
    assert delivery.type == "revoked"
    assert delivery.payload["reason"] == "The vendor reported a breach."
    assert delivery.payload["actor"] == "Alice"


def test_it_is_sent_when_the_transaction_commits(
    alice, endpoint_for, receiver, celery_eager, django_capture_on_commit_callbacks
):
    endpoint_for("submitted")
    with django_capture_on_commit_callbacks(execute=True):
        submit(complete_use_case(alice))
        assert receiver.received == []
    [got] = receiver.received
    assert got.signature_valid and got.payload["type"] == "submitted"
    assert Delivery.objects.get().status == Delivery.Status.DELIVERED


def test_a_broker_that_is_down_loses_nothing(alice, endpoint_for, receiver, django_capture_on_commit_callbacks):
    endpoint_for("submitted")
    with (
        mock.patch.object(deliver_webhook, "delay", side_effect=BrokerDown("Connection refused")),
        django_capture_on_commit_callbacks(execute=True),
    ):
        submit(complete_use_case(alice))
    assert receiver.received == []
    assert Delivery.objects.get().status == Delivery.Status.PENDING

    assert deliver_due_webhooks() == 1
    assert Delivery.objects.get().status == Delivery.Status.DELIVERED
    assert len(receiver.received) == 1
