"""Sending deliveries to a real HTTP receiver: signed, retried with backoff after a failure, never
following a redirect, timing out, failing at the attempt cap, and disabling an endpoint that keeps
failing (the governance admins told)."""

from datetime import timedelta

import pytest
from django.conf import settings
from django.utils import timezone

from approvals.models import Notification
from tests.approvals.workflow import complete_use_case, person, submit
from tests.webhooks.receiver import Answer
from webhooks.models import Delivery, DeliveryAttempt, Endpoint
from webhooks.sending import delivery_send
from webhooks.tasks import deliver_due_webhooks

pytestmark = pytest.mark.django_db


@pytest.fixture
def submitted(alice, endpoint_for):
    """An endpoint for submissions, and alice's request submitted: one delivery waits for it."""
    endpoint = endpoint_for("submitted")
    submit(complete_use_case(alice, title="Ticket summaries"))
    return endpoint, Delivery.objects.get(endpoint=endpoint)


def make_due(delivery: Delivery) -> None:
    Delivery.objects.filter(pk=delivery.pk).update(next_attempt_at=timezone.now())


def test_it_posts_the_signed_payload_with_its_headers(submitted, receiver):
    endpoint, delivery = submitted

    assert delivery_send(delivery_id=delivery.pk) == "delivered"

    [got] = receiver.received
    assert got.signature_valid
    assert got.path == "/hooks/clearance"
    assert got.headers["Content-Type"] == "application/json"
    assert got.headers["User-Agent"] == "Clearance-Webhooks/1"
    assert got.headers["Clearance-Event"] == "submitted"
    assert got.headers["Clearance-Delivery"] == str(delivery.pk)
    assert got.headers["Clearance-Signature"].startswith("t=")
    payload = got.payload
    assert payload["type"] == "submitted" and payload["verb"] == "submitted"
    assert payload["use_case"]["title"] == "Ticket summaries"
    reference = payload["use_case"]["reference"]
    assert payload["use_case"]["url"] == f"{settings.SITE_URL}/use-cases/{reference}/"
    assert payload["use_case"]["status"] == "in_review"
    assert payload["round"]["number"] == 1 and payload["round"]["expires_on"] is None
    assert payload["actor"] == "Alice"
    delivery.refresh_from_db()
    assert delivery.status == Delivery.Status.DELIVERED and delivery.delivered_at is not None
    assert delivery.attempts == 1
    [attempt] = delivery.attempt_log.all()
    assert attempt.status_code == 200 and attempt.error == "" and attempt.response_excerpt == "ok"


def test_a_signature_made_with_another_secret_does_not_verify(submitted, receiver):
    _, delivery = submitted
    receiver.secret = "whsec_not-the-one"
    delivery_send(delivery_id=delivery.pk)
    assert receiver.received[0].signature_valid is False


def test_it_retries_after_a_500_and_the_log_shows_both_attempts(submitted, receiver):
    endpoint, delivery = submitted
    receiver.answers(Answer(500, b"<h1>Internal error</h1>"), Answer(200, b"thanks"))
    before = timezone.now()

    assert delivery_send(delivery_id=delivery.pk) == "retrying"
    delivery.refresh_from_db()
    assert delivery.status == Delivery.Status.PENDING and delivery.attempts == 1
    # The first wait of the backoff: a minute.
    assert before + timedelta(seconds=55) <= delivery.next_attempt_at <= timezone.now() + timedelta(seconds=65)
    assert delivery_send(delivery_id=delivery.pk) == "not due"
    assert Endpoint.objects.get(pk=endpoint.pk).consecutive_failures == 1

    make_due(delivery)
    assert deliver_due_webhooks() == 1

    delivery.refresh_from_db()
    assert delivery.status == Delivery.Status.DELIVERED and delivery.attempts == 2
    assert [r.signature_valid for r in receiver.received] == [True, True]
    assert receiver.received[0].body == receiver.received[1].body  # the same payload, signed afresh
    assert receiver.received[0].headers["Clearance-Delivery"] == receiver.received[1].headers["Clearance-Delivery"]
    first, second = delivery.attempt_log.order_by("at", "pk")
    assert (first.status_code, first.error) == (500, "The endpoint answered 500.")
    assert first.response_excerpt == "<h1>Internal error</h1>"
    assert (second.status_code, second.error) == (200, "")
    assert Endpoint.objects.get(pk=endpoint.pk).consecutive_failures == 0


def test_the_backoff_grows(submitted, receiver, settings):
    _, delivery = submitted
    receiver.answers(*[Answer(503)] * 3)
    waits = []
    for _ in range(3):
        make_due(delivery)
        start = timezone.now()
        delivery_send(delivery_id=delivery.pk)
        delivery.refresh_from_db()
        waits.append(round((delivery.next_attempt_at - start).total_seconds() / 60))
    assert waits == [1, 5, 30]


def test_a_redirect_is_not_followed(submitted, receiver):
    _, delivery = submitted
    receiver.answers(Answer(302, b"", headers={"Location": "/elsewhere"}))

    assert delivery_send(delivery_id=delivery.pk) == "retrying"

    assert [r.path for r in receiver.received] == ["/hooks/clearance"]
    [attempt] = DeliveryAttempt.objects.filter(delivery=delivery)
    assert attempt.status_code == 302
    assert "Redirect (302) to /elsewhere not followed" in attempt.error


def test_a_timeout_is_recorded(submitted, receiver, settings):
    settings.CLEARANCE_WEBHOOK_TIMEOUT_SECONDS = 1
    _, delivery = submitted
    receiver.answers(Answer(200, delay=2.5))

    assert delivery_send(delivery_id=delivery.pk) == "retrying"

    [attempt] = DeliveryAttempt.objects.filter(delivery=delivery)
    assert attempt.status_code is None
    assert attempt.error == "No answer within 1 s (timed out)."
    assert 900 <= attempt.duration_ms < 2500


def test_a_refused_connection_is_recorded(alice, endpoint_for, receiver):
    endpoint = endpoint_for("submitted", url="http://127.0.0.1:9/nothing-listens")
    submit(complete_use_case(alice))
    delivery = Delivery.objects.get(endpoint=endpoint)

    assert delivery_send(delivery_id=delivery.pk) == "retrying"

    [attempt] = delivery.attempt_log.all()
    assert attempt.status_code is None and attempt.error.startswith("Could not connect")


def test_a_long_or_binary_answer_is_cut_and_kept_readable(submitted, receiver):
    _, delivery = submitted
    receiver.answers(Answer(500, b"\x00<script>alert(1)</script>" + b"x" * 5000))
    delivery_send(delivery_id=delivery.pk)
    [attempt] = delivery.attempt_log.all()
    assert len(attempt.response_excerpt) == 1000
    assert "\x00" not in attempt.response_excerpt
    assert attempt.response_excerpt.startswith("\ufffd<script>")


def test_it_fails_for_good_at_the_attempt_cap(submitted, receiver, settings):
    settings.CLEARANCE_WEBHOOK_MAX_ATTEMPTS = 3
    _, delivery = submitted
    receiver.answers(*[Answer(500)] * 5)

    results = []
    for _ in range(4):
        make_due(delivery)
        results.append(delivery_send(delivery_id=delivery.pk))

    assert results == ["retrying", "retrying", "failed", "failed"]
    assert len(receiver.received) == 3
    delivery.refresh_from_db()
    assert delivery.status == Delivery.Status.FAILED and delivery.attempts == 3
    assert delivery.attempt_log.count() == 3


def test_a_delivery_whose_claim_lapsed_at_its_last_attempt_fails_without_another_send(submitted, receiver, settings):
    settings.CLEARANCE_WEBHOOK_MAX_ATTEMPTS = 2
    _, delivery = submitted
    Delivery.objects.filter(pk=delivery.pk).update(attempts=2)  # a worker died during the last send
    assert delivery_send(delivery_id=delivery.pk) == "failed"
    assert receiver.received == []


def test_an_endpoint_that_keeps_failing_is_disabled_and_the_admins_are_told(alice, endpoint_for, receiver, settings):
    settings.CLEARANCE_WEBHOOK_DISABLE_AFTER = 3
    other_admin = person("gus", "Governance admins")
    endpoint = endpoint_for("submitted")
    receiver.answers(*[Answer(500)] * 10)
    for n in range(2):
        submit(complete_use_case(alice, title=f"Request {n}"))
    first, second = Delivery.objects.filter(endpoint=endpoint).order_by("pk")

    delivery_send(delivery_id=first.pk)
    delivery_send(delivery_id=second.pk)
    endpoint.refresh_from_db()
    assert endpoint.is_active and endpoint.consecutive_failures == 2
    make_due(first)
    delivery_send(delivery_id=first.pk)

    endpoint.refresh_from_db()
    assert not endpoint.is_active
    assert "3 failed attempts in a row" in endpoint.disabled_reason
    assert "The endpoint answered 500." in endpoint.disabled_reason
    told = Notification.objects.filter(subject__startswith="Webhook endpoint disabled")
    assert {n.recipient.username for n in told} == {"gina", other_admin.username}
    assert {n.link for n in told} == {f"/webhooks/{endpoint.pk}/"}
    assert endpoint.history.first().history_change_reason == "Disabled after repeated failures"

    # Nothing more goes to it: the sweep leaves its deliveries waiting.
    make_due(second)
    sent = len(receiver.received)
    assert deliver_due_webhooks() == 0
    assert delivery_send(delivery_id=second.pk) == "endpoint disabled"
    assert len(receiver.received) == sent
    second.refresh_from_db()
    assert second.status == Delivery.Status.PENDING


def test_the_sweep_sends_what_is_due_and_leaves_the_rest(alice, endpoint_for, receiver):
    endpoint = endpoint_for("submitted")
    for n in range(3):
        submit(complete_use_case(alice, title=f"Request {n}"))
    waiting, due, done = Delivery.objects.filter(endpoint=endpoint).order_by("pk")
    Delivery.objects.filter(pk=waiting.pk).update(next_attempt_at=timezone.now() + timedelta(minutes=5))
    Delivery.objects.filter(pk=done.pk).update(status=Delivery.Status.DELIVERED)

    assert deliver_due_webhooks() == 1

    assert [r.headers["Clearance-Delivery"] for r in receiver.received] == [str(due.pk)]
    waiting.refresh_from_db()
    assert waiting.status == Delivery.Status.PENDING and waiting.attempts == 0
