"""The webhook pages: governance admins only (everyone else 404, anonymous to sign in), actions by POST
only, addresses refused with a clear message, the secret shown once, and lists at a constant number of
queries."""

from unittest import mock

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from governance import sessions
from governance.roles import Role
from tests.approvals.workflow import person
from webhooks import services
from webhooks.models import Delivery, DeliveryAttempt, Endpoint

pytestmark = pytest.mark.django_db

PASSWORD = "correct horse battery staple"


@pytest.fixture
def admin(client, gina):
    client.force_login(gina)
    return client


@pytest.fixture
def endpoint(gina):
    return services.endpoint_create(user=gina, url="https://hooks.example.com/in", event_types=["submitted"])[0]


def a_delivery(endpoint, status=Delivery.Status.FAILED, attempts=0, **fields) -> Delivery:
    payload = {"type": "submitted", "use_case": {"reference": "UC-2026-0001", "url": "http://x/"}, "verb": "submitted"}
    delivery = Delivery.objects.create(endpoint=endpoint, type="submitted", payload=payload, status=status, **fields)
    for n in range(attempts):
        DeliveryAttempt.objects.create(delivery=delivery, status_code=500, error=f"Attempt {n}", duration_ms=12)
    return delivery


def routes(endpoint, delivery) -> list[tuple[str, str]]:
    base = f"/webhooks/{endpoint.pk}/"
    return [
        ("get", "/webhooks/"),
        ("get", "/webhooks/new/"),
        ("post", "/webhooks/new/"),
        ("get", base),
        ("get", base + "disable/"),
        ("post", base + "disable/"),
        ("post", base + "enable/"),
        ("get", base + "rotate-secret/"),
        ("post", base + "rotate-secret/"),
        ("post", base + "ping/"),
        ("get", base + "delete/"),
        ("post", base + "delete/"),
        ("post", f"/webhooks/deliveries/{delivery.pk}/retry/"),
    ]


@pytest.mark.parametrize("role", [None, Role.LEGAL, Role.EXECUTIVE, Role.BUSINESS_OWNER])
def test_everyone_but_an_admin_gets_404_on_every_page(client, endpoint, role):
    delivery = a_delivery(endpoint)
    client.force_login(person("someone", *([role] if role else [])))
    data = {"url": "https://evil.example.com/", "event_types": ["submitted"], "reason": "x"}
    for method, url in routes(endpoint, delivery):
        response = client.get(url) if method == "get" else client.post(url, data)
        assert response.status_code == 404, f"{method} {url}"
    endpoint.refresh_from_db()
    assert Endpoint.objects.count() == 1 and endpoint.is_active and endpoint.history.count() == 1
    assert Delivery.objects.get().status == Delivery.Status.FAILED


def test_anonymous_is_sent_to_sign_in(client, endpoint):
    for method, url in routes(endpoint, a_delivery(endpoint)):
        response = getattr(client, method)(url)
        assert response.status_code == 302 and response["Location"].startswith("/login/"), url


def test_actions_are_posted_never_got(admin, endpoint):
    delivery = a_delivery(endpoint)
    for url in (
        f"/webhooks/{endpoint.pk}/enable/",
        f"/webhooks/{endpoint.pk}/ping/",
        f"/webhooks/deliveries/{delivery.pk}/retry/",
    ):
        assert admin.get(url).status_code == 405, url
    assert Delivery.objects.count() == 1


def test_the_webhooks_link_is_for_admins(admin, client):
    assert 'href="/webhooks/"' in admin.get("/").text
    client.force_login(person("lena", Role.LEGAL))
    assert 'href="/webhooks/"' not in client.get("/").text


def test_registering_shows_the_secret_once(admin):
    response = admin.post(
        "/webhooks/new/",
        {"url": "https://hooks.example.com/clearance", "description": "SIEM", "event_types": ["submitted", "revoked"]},
    )
    assert response.status_code == 200
    endpoint = Endpoint.objects.get()
    assert endpoint.secret in response.text
    assert "not shown again" in response.text and "hmac.compare_digest" in response.text
    for page in ("/webhooks/", f"/webhooks/{endpoint.pk}/"):
        shown = admin.get(page)
        assert shown.status_code == 200 and endpoint.secret not in shown.text
        assert "https://hooks.example.com/clearance" in shown.text


@pytest.mark.parametrize(
    ("url", "message"),
    [
        ("ftp://files.example.com/hook", "use an https:// address, not ftp://"),
        ("https://user:pass@hooks.example.com/", "Remove the user name and password from the address"),
        ("https://hooks.example.com/" + "a" * 600, "Keep this to at most 500 characters (it has 626)."),
        ("http://hooks.example.com/clearance", "Use https:// for this host"),
    ],
)
def test_a_bad_address_is_refused_with_a_clear_message(admin, url, message):
    response = admin.post("/webhooks/new/", {"url": url, "event_types": ["submitted"]})
    assert response.status_code == 400
    assert message in response.content.decode().replace("&#x27;", "'")
    assert not Endpoint.objects.exists()


def test_an_endpoint_needs_an_event_type(admin):
    response = admin.post("/webhooks/new/", {"url": "https://hooks.example.com/"})
    assert response.status_code == 400 and "Choose at least one event type" in response.text


def test_registering_asks_the_password_again_when_it_was_given_long_ago(client, gina):
    client.force_login(gina)
    later = sessions.now() + 11 * 60  # past CLEARANCE_REAUTH_MINUTES, inside the session's idle time
    data = {"url": "https://hooks.example.com/", "event_types": ["submitted"]}
    with mock.patch.object(sessions, "now", return_value=later):
        assert 'name="password"' in client.get("/webhooks/new/").text
        refused = client.post("/webhooks/new/", {**data, "password": "wrong"})
        assert refused.status_code == 400 and not Endpoint.objects.exists()
        assert client.post("/webhooks/new/", {**data, "password": PASSWORD}).status_code == 200
    assert Endpoint.objects.count() == 1


def test_it_disables_with_a_reason_and_enables(admin, endpoint):
    assert admin.get(f"/webhooks/{endpoint.pk}/disable/").status_code == 200
    assert admin.post(f"/webhooks/{endpoint.pk}/disable/", {"reason": ""}).status_code == 400
    response = admin.post(f"/webhooks/{endpoint.pk}/disable/", {"reason": "Moving hosts"})
    assert response.status_code == 302 and response["Location"] == f"/webhooks/{endpoint.pk}/"
    endpoint.refresh_from_db()
    assert not endpoint.is_active
    assert "Moving hosts" in admin.get(f"/webhooks/{endpoint.pk}/").text
    assert admin.post(f"/webhooks/{endpoint.pk}/ping/").status_code == 400
    assert admin.post(f"/webhooks/{endpoint.pk}/enable/").status_code == 302
    endpoint.refresh_from_db()
    assert endpoint.is_active


def test_enabling_an_active_endpoint_is_refused_with_why(admin, endpoint):
    response = admin.post(f"/webhooks/{endpoint.pk}/enable/")
    assert response.status_code == 400 and "This endpoint is active already." in response.text


def test_rotating_shows_the_new_secret_once(admin, endpoint):
    old = endpoint.secret
    assert admin.get(f"/webhooks/{endpoint.pk}/rotate-secret/").status_code == 200
    response = admin.post(f"/webhooks/{endpoint.pk}/rotate-secret/")
    endpoint.refresh_from_db()
    assert response.status_code == 200 and endpoint.secret != old and endpoint.secret in response.text
    assert endpoint.secret not in admin.get(f"/webhooks/{endpoint.pk}/").text


def test_a_ping_is_queued_from_the_page(admin, endpoint, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks() as queued:
        response = admin.post(f"/webhooks/{endpoint.pk}/ping/")
    assert response.status_code == 302 and len(queued) == 1
    assert Delivery.objects.get().type == "ping"


def test_a_failed_delivery_is_retried_from_the_page(admin, endpoint, django_capture_on_commit_callbacks):
    failed = a_delivery(endpoint, attempts=6)
    with django_capture_on_commit_callbacks() as queued:
        response = admin.post(f"/webhooks/deliveries/{failed.pk}/retry/")
    assert response.status_code == 302 and len(queued) == 1
    failed.refresh_from_db()
    assert failed.status == Delivery.Status.PENDING
    again = admin.post(f"/webhooks/deliveries/{failed.pk}/retry/")
    assert again.status_code == 400 and "Only a failed delivery is retried" in again.text


def test_deleting_asks_first(admin, endpoint):
    a_delivery(endpoint)
    page = admin.get(f"/webhooks/{endpoint.pk}/delete/")
    assert page.status_code == 200 and "1 failed" in page.text
    response = admin.post(f"/webhooks/{endpoint.pk}/delete/")
    assert response.status_code == 302 and response["Location"] == "/webhooks/"
    assert not Endpoint.objects.exists()


def test_the_log_shows_each_attempt_escaped(admin, endpoint):
    delivery = a_delivery(endpoint)
    DeliveryAttempt.objects.create(delivery=delivery, status_code=500, response_excerpt="<script>alert(1)</script>")
    page = admin.get(f"/webhooks/{endpoint.pk}/").text
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in page and "<script>alert" not in page
    assert "HTTP 500" in page


def _queries(client, url: str) -> int:
    with CaptureQueriesContext(connection) as captured:
        assert client.get(url).status_code == 200
    return len(captured)


def test_the_list_runs_the_same_queries_for_few_or_many_endpoints(admin, gina):
    def grow(n):
        for i in range(n):
            endpoint, _ = services.endpoint_create(
                user=gina, url=f"https://hooks.example.com/{Endpoint.objects.count()}-{i}", event_types=["submitted"]
            )
            a_delivery(endpoint, attempts=1)

    grow(2)
    few = _queries(admin, "/webhooks/")
    grow(15)
    assert _queries(admin, "/webhooks/") == few


def test_the_delivery_log_runs_the_same_queries_for_few_or_many_deliveries(admin, endpoint):
    for _ in range(3):
        a_delivery(endpoint, attempts=1)
    few = _queries(admin, f"/webhooks/{endpoint.pk}/")
    for _ in range(30):
        a_delivery(endpoint, attempts=3, created_at=timezone.now())
    many = _queries(admin, f"/webhooks/{endpoint.pk}/")
    assert many == few
    assert _queries(admin, f"/webhooks/{endpoint.pk}/?page=2") == few
