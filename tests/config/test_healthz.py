from unittest import mock

import pytest
from django.db import OperationalError
from django.test import override_settings

pytestmark = pytest.mark.django_db


def test_healthy(client):
    response = client.get("/healthz")
    assert response.status_code == 200
    body = response.json()
    assert body["status"] == "ok"
    assert body["database"] == "ok"


def test_503_when_the_database_is_unreachable(client):
    with mock.patch("config.health.connection.cursor", side_effect=OperationalError("connection refused")):
        response = client.get("/healthz")
    assert response.status_code == 503
    assert response.json()["database"] == "error: OperationalError"


@override_settings(REDIS_URL="redis://127.0.0.1:1/0")
def test_503_when_the_configured_broker_is_unreachable(client):
    response = client.get("/healthz")
    assert response.status_code == 503
    assert response.json()["broker"].startswith("error")


@override_settings(REDIS_URL=None)
def test_broker_not_configured_is_healthy(client):
    assert client.get("/healthz").json()["broker"].startswith("not configured")


def test_healthz_needs_no_login_and_refuses_post(client):
    assert client.post("/healthz").status_code == 405


def test_pages_carry_a_content_security_policy(client):
    csp = client.get("/login/")["Content-Security-Policy"]
    assert "script-src 'self'" in csp
    assert "unsafe-inline" not in csp


def test_503_from_a_real_database_that_does_not_answer():
    """A process configured with a database nobody listens on still answers, with 503."""
    import os
    import subprocess
    import sys
    from pathlib import Path

    script = (
        "import django; django.setup();"
        "from django.test.utils import setup_test_environment; setup_test_environment();"
        "from django.test import Client; r = Client().get('/healthz'); print(r.status_code, r.json()['database'])"
    )
    env = {
        **os.environ,
        "DEBUG": "1",
        "DATABASE_URL": "postgres://nobody@127.0.0.1:9/none",
        "DJANGO_SETTINGS_MODULE": "config.settings",
    }
    env.pop("REDIS_URL", None)
    result = subprocess.run(
        [sys.executable, "-c", script],
        cwd=Path(__file__).resolve().parents[2],
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert result.stdout.split(maxsplit=1) == ["503", "error: OperationalError\n"], result.stderr
