"""`/healthz/live` says the process answers; `/healthz/ready` (and `/healthz`) whether it can serve."""

import time
from unittest import mock

import pytest
from django.db import OperationalError
from django.test import override_settings

pytestmark = pytest.mark.django_db

READY = ["/healthz", "/healthz/ready"]


@pytest.mark.parametrize("path", READY)
def test_it_is_ready(client, path):
    response = client.get(path)
    assert response.status_code == 200
    body = response.json()
    assert (body["status"], body["database"]) == ("ok", "ok")


def test_it_is_live_without_touching_the_database(client, django_assert_num_queries):
    with mock.patch("config.health.database_state") as database_state, django_assert_num_queries(0):
        response = client.get("/healthz/live")
    assert response.status_code == 200
    assert response.json() == {"status": "ok"}
    database_state.assert_not_called()


@pytest.mark.parametrize("path", READY)
def test_503_when_the_database_is_unusable(client, path):
    with mock.patch("config.health._probe_database", side_effect=OperationalError("connection refused")):
        response = client.get(path)
    assert response.status_code == 503
    assert response.json()["status"] == "unavailable"
    assert response.json()["database"] == "error: OperationalError"


def test_a_database_check_that_hangs_answers_503_within_a_second(client):
    with mock.patch("config.health._probe_database", side_effect=lambda: time.sleep(3)):
        started = time.monotonic()
        response = client.get("/healthz/ready")
        elapsed = time.monotonic() - started
    assert response.status_code == 503
    assert response.json()["database"] == "error: no answer within 1 s"
    assert elapsed < 2  # the bound a load balancer is promised


@override_settings(REDIS_URL="redis://127.0.0.1:1/0")
def test_an_unreachable_broker_only_degrades_readiness(client):
    response = client.get("/healthz/ready")
    assert response.status_code == 200
    body = response.json()
    assert (body["status"], body["database"]) == ("degraded", "ok")
    assert body["broker"] == "error: ConnectionError"


def test_a_broker_that_never_answers_degrades_readiness_within_a_second(client, silent_port):
    with override_settings(REDIS_URL=f"redis://127.0.0.1:{silent_port}/0"):
        started = time.monotonic()
        response = client.get("/healthz/ready")
        elapsed = time.monotonic() - started
    assert response.status_code == 200
    assert response.json()["status"] == "degraded"
    assert response.json()["broker"].startswith("error: ")
    assert elapsed < 2  # the bound a load balancer is promised


@override_settings(REDIS_URL=None)
def test_broker_not_configured_is_ready(client):
    body = client.get("/healthz/ready").json()
    assert body["status"] == "ok"
    assert body["broker"].startswith("not configured")


@pytest.mark.parametrize("path", ["/healthz", "/healthz/live", "/healthz/ready"])
def test_health_needs_no_login_and_refuses_post(client, path):
    assert client.post(path).status_code == 405


def test_pages_carry_a_content_security_policy(client):
    csp = client.get("/login/")["Content-Security-Policy"]
    assert "script-src 'self'" in csp
    assert "unsafe-inline" not in csp
