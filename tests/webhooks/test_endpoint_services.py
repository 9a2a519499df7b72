"""The services behind the webhook pages: registering (the address checked, the secret returned once),
disabling, enabling, rotating the secret, a test delivery, retrying a failed delivery, deleting; each
refused to anyone but a governance admin."""

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from hypothesis import given
from hypothesis import settings as hypothesis_settings
from hypothesis import strategies as st

from governance.roles import Role
from tests.approvals.workflow import complete_use_case, person, submit
from tests.factories import UserFactory
from webhooks import services
from webhooks.addresses import endpoint_url_checked
from webhooks.models import Delivery, Endpoint
from webhooks.sending import delivery_send

pytestmark = pytest.mark.django_db


def url_error(url: str, **options) -> str:
    with pytest.raises(ValidationError) as refused:
        services.endpoint_create(user=options.pop("user"), url=url, event_types=["submitted"])
    return " ".join(refused.value.message_dict["url"])


def test_it_registers_an_endpoint_and_returns_its_secret_once(gina):
    endpoint, secret = services.endpoint_create(
        user=gina, url=" https://hooks.example.com/clearance ", event_types=["decided", "submitted"], description="SIEM"
    )
    assert secret.startswith("whsec_") and len(secret) > 40
    assert endpoint.secret == secret  # kept to sign with
    assert endpoint.url == "https://hooks.example.com/clearance"
    assert endpoint.event_types == ["submitted", "decided"]
    assert endpoint.created_by == gina and endpoint.is_active
    [row] = endpoint.history.all()
    assert row.history_user == gina and row.history_change_reason == "Registered"
    assert not hasattr(row, "secret")  # the history never holds it
    _, another = services.endpoint_create(user=gina, url="https://hooks.example.com/b", event_types=["expired"])
    assert another != secret


@pytest.mark.parametrize(
    ("url", "message"),
    [
        ("ftp://files.example.com/hook", "use an https:// address, not ftp://"),
        ("hooks.example.com/clearance", "not an address without http:// or https://"),
        ("https://user:secret@hooks.example.com/", "Remove the user name and password"),
        ("https://token@hooks.example.com/", "Remove the user name and password"),
        ("https://hooks.example.com/" + "a" * 500, "at most 500 characters (it has 526)"),
        ("http://hooks.example.com/clearance", "Use https:// for this host"),
        ("http://10.1.2.3/clearance", "Use https:// for this host"),
        ("https:///clearance", "no host name"),
        ("https://hooks.example.com:99999/", "not a web address"),
        ("https://hooks.example.com/a b", "no spaces or control characters"),
        ("https://hooks.example.com/#top", "Remove the part after #"),
        ("", "Give the address"),
    ],
)
def test_it_refuses_an_address_saying_what_to_change(gina, url, message):
    assert message in url_error(url, user=gina)
    assert not Endpoint.objects.exists()


@pytest.mark.parametrize("url", ["http://localhost:8080/h", "http://127.0.0.1/h", "http://[::1]:9000/h"])
def test_plain_http_is_accepted_on_this_machine(gina, url):
    endpoint, _ = services.endpoint_create(user=gina, url=url, event_types=["submitted"])
    assert endpoint.url == url


def test_the_scheme_is_kept_in_lower_case(gina):
    endpoint, _ = services.endpoint_create(user=gina, url="HTTPS://Hooks.Example.com/In", event_types=["submitted"])
    assert endpoint.url == "https://Hooks.Example.com/In"


def test_plain_http_elsewhere_only_where_the_setting_allows_it(gina, settings):
    settings.CLEARANCE_WEBHOOK_ALLOW_HTTP = True
    endpoint, _ = services.endpoint_create(user=gina, url="http://hooks.internal/h", event_types=["submitted"])
    assert endpoint.url == "http://hooks.internal/h"


@pytest.mark.parametrize(
    ("event_types", "message"), [([], "Choose at least one event type"), (["ping"], "no event type ping")]
)
def test_it_refuses_event_types_that_are_none_or_unknown(gina, event_types, message):
    with pytest.raises(ValidationError) as refused:
        services.endpoint_create(user=gina, url="https://hooks.example.com/", event_types=event_types)
    assert message in " ".join(refused.value.message_dict["event_types"])


@pytest.fixture
def endpoint(gina):
    return services.endpoint_create(user=gina, url="https://hooks.example.com/", event_types=["submitted"])[0]


@pytest.fixture
def failed(endpoint, alice):
    submit(complete_use_case(alice))
    delivery = Delivery.objects.get()
    Delivery.objects.filter(pk=delivery.pk).update(status=Delivery.Status.FAILED, attempts=6)
    return delivery


def every_service(endpoint, delivery):
    return {
        "create": lambda user: services.endpoint_create(
            user=user, url="https://x.example.com/", event_types=["expired"]
        ),
        "disable": lambda user: services.endpoint_disable(user=user, endpoint=endpoint, reason="Because."),
        "enable": lambda user: services.endpoint_enable(user=user, endpoint=endpoint),
        "rotate": lambda user: services.endpoint_secret_rotate(user=user, endpoint=endpoint),
        "ping": lambda user: services.endpoint_ping(user=user, endpoint=endpoint),
        "retry": lambda user: services.delivery_retry(user=user, delivery=delivery),
        "delete": lambda user: services.endpoint_delete(user=user, endpoint=endpoint),
    }


@pytest.mark.parametrize("role", [None, Role.LEGAL, Role.EXECUTIVE, Role.BUSINESS_OWNER])
def test_everyone_but_a_governance_admin_is_refused(endpoint, failed, role):
    someone = person("someone", *([role] if role else []))
    secret = endpoint.secret
    for name, act in every_service(endpoint, failed).items():
        with pytest.raises(PermissionDenied):
            act(someone)
        assert Endpoint.objects.count() == 1, name
    endpoint.refresh_from_db()
    assert endpoint.is_active and endpoint.secret == secret
    assert Delivery.objects.get().status == Delivery.Status.FAILED
    assert endpoint.history.count() == 1


def test_a_deactivated_admin_is_refused(endpoint):
    former = UserFactory(username="former", roles=[Role.ADMIN], is_active=False)
    with pytest.raises(PermissionDenied):
        services.endpoint_disable(user=former, endpoint=endpoint, reason="Left")


def test_it_disables_with_a_reason_and_enables_again(endpoint, gina, alice, django_capture_on_commit_callbacks):
    with pytest.raises(ValidationError, match="Say why"):
        services.endpoint_disable(user=gina, endpoint=endpoint, reason="  ")
    services.endpoint_disable(user=gina, endpoint=endpoint, reason="Receiver moves to a new host")
    endpoint.refresh_from_db()
    assert not endpoint.is_active and endpoint.disabled_reason == "Receiver moves to a new host (Gina)"
    with pytest.raises(ValidationError, match="disabled already"):
        services.endpoint_disable(user=gina, endpoint=endpoint, reason="Again")

    Endpoint.objects.filter(pk=endpoint.pk).update(consecutive_failures=7)
    Delivery.objects.create(endpoint=endpoint, type="submitted", payload={})  # waited while it was disabled
    with django_capture_on_commit_callbacks() as queued:
        services.endpoint_enable(user=gina, endpoint=endpoint)
    endpoint.refresh_from_db()
    assert endpoint.is_active and endpoint.disabled_reason == "" and endpoint.consecutive_failures == 0
    assert len(queued) == 1  # the waiting delivery goes now
    with pytest.raises(ValidationError, match="active already"):
        services.endpoint_enable(user=gina, endpoint=endpoint)
    reasons = list(endpoint.history.order_by("history_id").values_list("history_change_reason", flat=True))
    assert reasons == ["Registered", "Disabled: Receiver moves to a new host", "Enabled"]


def test_a_rotated_secret_signs_from_then_on(gina, alice, endpoint_for, receiver):
    endpoint = endpoint_for("submitted")
    old = receiver.secret
    _, new = services.endpoint_secret_rotate(user=gina, endpoint=endpoint)
    assert new != old and new.startswith("whsec_")
    endpoint.refresh_from_db()
    assert endpoint.history.first().history_change_reason == "Secret rotated"

    submit(complete_use_case(alice))
    delivery_send(delivery_id=Delivery.objects.get().pk)
    assert receiver.received[-1].signature_valid is False  # the receiver still holds the old one
    receiver.secret = new
    Delivery.objects.update(status=Delivery.Status.PENDING, next_attempt_at=endpoint.created_at)
    delivery_send(delivery_id=Delivery.objects.get().pk)
    assert receiver.received[-1].signature_valid is True


def test_a_ping_is_signed_and_logged_like_any_delivery(
    gina, endpoint_for, receiver, celery_eager, django_capture_on_commit_callbacks
):
    endpoint = endpoint_for("revoked")
    with django_capture_on_commit_callbacks(execute=True):
        delivery = services.endpoint_ping(user=gina, endpoint=endpoint)
    [got] = receiver.received
    assert got.signature_valid
    assert got.headers["Clearance-Event"] == "ping"
    assert got.payload["type"] == "ping" and got.payload["actor"] == "Gina"
    assert got.payload["data"]["delivery"] == delivery.pk
    delivery.refresh_from_db()
    assert delivery.status == Delivery.Status.DELIVERED and delivery.attempt_log.count() == 1


def test_no_ping_to_a_disabled_endpoint(gina, endpoint):
    services.endpoint_disable(user=gina, endpoint=endpoint, reason="Off")
    with pytest.raises(ValidationError, match="enable it before"):
        services.endpoint_ping(user=gina, endpoint=endpoint)
    assert not Delivery.objects.exists()


def test_a_failed_delivery_is_retried_with_its_attempts_renewed(gina, failed, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks() as queued:
        services.delivery_retry(user=gina, delivery=failed)
    failed.refresh_from_db()
    assert failed.status == Delivery.Status.PENDING and failed.attempts == 0
    assert len(queued) == 1
    with pytest.raises(ValidationError, match="Only a failed delivery is retried; this one is pending"):
        services.delivery_retry(user=gina, delivery=failed)


def test_no_retry_while_the_endpoint_is_disabled(gina, endpoint, failed):
    services.endpoint_disable(user=gina, endpoint=endpoint, reason="Off")
    with pytest.raises(ValidationError, match="enable it before retrying"):
        services.delivery_retry(user=gina, delivery=failed)


def test_deleting_removes_the_endpoint_and_its_log_but_not_its_history(gina, endpoint, failed):
    services.endpoint_delete(user=gina, endpoint=endpoint)
    assert not Endpoint.objects.exists() and not Delivery.objects.exists()
    gone = Endpoint.history.filter(id=endpoint.pk).order_by("-history_id").first()
    assert gone.history_type == "-" and gone.history_user == gina


@given(st.text(max_size=600))
@hypothesis_settings(max_examples=300, deadline=None)
def test_any_text_as_an_address_is_accepted_or_refused_with_a_message(raw):
    try:
        url = endpoint_url_checked(raw)
    except ValidationError as exc:
        assert exc.message_dict["url"]
    else:
        assert url.lower().startswith(("https://", "http://localhost", "http://127.0.0.1", "http://[::1]"))
        assert "@" not in url and len(url) <= 500
