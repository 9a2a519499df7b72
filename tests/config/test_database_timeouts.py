"""A database that accepts connections and never answers: health answers at once, pages fail within the
connect timeout instead of holding a worker until gunicorn kills it. Runs on both legs: it needs psycopg,
not a PostgreSQL server."""

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
from django.db import connection

ROOT = Path(__file__).resolve().parents[2]
PRODUCTION = {
    "DEBUG": "0",
    "SECRET_KEY": "x7#q2Lr9!vW4zK8mP0sT6yB3nH5jC1dF-gA+eU*oI&lQ(wR)tY=uZ",
    "ALLOWED_HOSTS": "testserver",
    "DJANGO_SETTINGS_MODULE": "config.settings",
}

# Each request is timed inside the process, so start-up time (including the URLconf's imports, which
# a first request would pay) does not count.
SCRIPT = """
import json, time
import django
django.setup()
from django.test.utils import setup_test_environment
setup_test_environment()
from django.test import Client
from django.urls import get_resolver
get_resolver().url_patterns

client = Client(raise_request_exception=False)
found = {}
for path in ["/healthz/ready", "/healthz", "/healthz/live"]:
    started = time.monotonic()
    response = client.get(path)
    found[path] = [response.status_code, time.monotonic() - started, response.json()]
started = time.monotonic()
response = client.post("/login/", {"username": "alice", "password": "secret"}, secure=True)
found["login"] = [response.status_code, time.monotonic() - started, None]
print(json.dumps(found))
"""


def run(env: dict, code: str) -> subprocess.CompletedProcess:
    base = {k: v for k, v in os.environ.items() if k not in {"REDIS_URL", "DEBUG", "DATABASE_URL"}}
    return subprocess.run(
        [sys.executable, "-c", code], cwd=ROOT, env={**base, **env}, capture_output=True, text=True, timeout=120
    )


@pytest.fixture
def silent_database(silent_port):
    """A database that accepts connections and never answers, as a hung one does."""
    return f"postgres://clearance@127.0.0.1:{silent_port}/clearance"


def test_a_database_that_never_answers(silent_database):
    result = run({**PRODUCTION, "DATABASE_URL": silent_database, "DB_CONNECT_TIMEOUT": "2"}, SCRIPT)
    assert result.returncode == 0, result.stderr
    found = json.loads(result.stdout.strip().splitlines()[-1])

    for path in ["/healthz/ready", "/healthz"]:
        status, seconds, body = found[path]
        assert (status, body["status"]) == (503, "unavailable"), path
        assert body["database"].startswith("error"), path
        assert seconds < 2, f"{path} took {seconds:.1f}s"
    status, seconds, body = found["/healthz/live"]
    assert (status, body) == (200, {"status": "ok"})
    assert seconds < 0.5
    # Not redirected to HTTPS (exempt), not hanging: the sign-in needs the database and fails with it.
    status, seconds, _ = found["login"]
    assert status == 500
    assert seconds < 2 + 1.5, f"a page waited {seconds:.1f}s on a database that does not answer"


def test_a_database_nobody_listens_on():
    result = run({**PRODUCTION, "DATABASE_URL": "postgres://nobody@127.0.0.1:9/none"}, SCRIPT)
    assert result.returncode == 0, result.stderr
    found = json.loads(result.stdout.strip().splitlines()[-1])
    assert found["/healthz/ready"][0] == 503
    assert found["/healthz/ready"][2]["database"] == "error: OperationalError"
    assert found["/healthz/live"][0] == 200


def test_postgresql_connections_get_a_connect_and_a_statement_timeout():
    code = "import django; django.setup(); from django.db import connection; print(connection.settings_dict['OPTIONS'])"
    env = {"DEBUG": "1", "DATABASE_URL": "postgres://u@127.0.0.1:5432/x?options=-c%20search_path%3Dclearance"}
    result = run({**env, "DB_STATEMENT_TIMEOUT": "7"}, code)
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == str(
        {"options": "-c statement_timeout=7000 -c search_path=clearance", "connect_timeout": 5}
    )


@pytest.mark.parametrize(
    ("env", "message"),
    [
        ({"DB_CONNECT_TIMEOUT": "soon"}, "DB_CONNECT_TIMEOUT='soon' is not a whole number"),
        ({"DB_CONNECT_TIMEOUT": "0"}, "DB_CONNECT_TIMEOUT='0' must be at least 1"),
        ({"DB_STATEMENT_TIMEOUT": "30s"}, "DB_STATEMENT_TIMEOUT='30s' is not a whole number"),
    ],
)
def test_malformed_timeouts_stop_start_up_with_the_variable_named(env, message):
    result = run({"DEBUG": "1", **env}, "import django; django.setup()")
    assert result.returncode != 0
    assert message in result.stderr


@pytest.mark.skipif("connection.vendor != 'postgresql'", reason="PostgreSQL leg")
@pytest.mark.django_db
def test_the_app_connection_has_the_statement_timeout():
    with connection.cursor() as cursor:
        cursor.execute("SHOW statement_timeout")
        assert cursor.fetchone()[0] == "30s"
