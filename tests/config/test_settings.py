"""Settings come from the environment and fail loudly on bad values."""

import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
PRODUCTION = {
    "DEBUG": "0",
    "SECRET_KEY": "x7#q2Lr9!vW4zK8mP0sT6yB3nH5jC1dF-gA+eU*oI&lQ(wR)tY=uZ",
    "ALLOWED_HOSTS": "clearance.example.com",
    "DATABASE_URL": "sqlite:////tmp/clearance-deploy-check.sqlite3",
}


def manage(*args, **env):
    ignored = {"DEBUG", "SECRET_KEY", "ALLOWED_HOSTS", "REDIS_URL", "DJANGO_ALLOW_ASYNC_UNSAFE"}
    base = {k: v for k, v in os.environ.items() if k not in ignored}
    return subprocess.run(
        [sys.executable, "manage.py", *args], cwd=ROOT, env={**base, **env}, capture_output=True, text=True, timeout=120
    )


def test_production_settings_pass_the_deploy_check():
    result = manage("check", "--deploy", "--fail-level", "WARNING", **PRODUCTION)
    assert result.returncode == 0, result.stderr + result.stdout


@pytest.mark.parametrize(
    ("env", "message"),
    [
        ({"DEBUG": "0", "ALLOWED_HOSTS": "x"}, "SECRET_KEY must be set"),
        ({**PRODUCTION, "ALLOWED_HOSTS": ""}, "ALLOWED_HOSTS must be set"),
        ({"DEBUG": "maybe"}, "DEBUG='maybe' is not a boolean"),
        ({"DEBUG": "1", "DB_CONN_MAX_AGE": "ten"}, "DB_CONN_MAX_AGE='ten' is not a whole number"),
        ({"DEBUG": "1", "REDIS_URL": "localhost:6379"}, "REDIS_URL must start with"),
        ({"DEBUG": "1", "CLEARANCE_LOGIN_FAILURE_LIMIT": "0"}, "CLEARANCE_LOGIN_FAILURE_LIMIT='0' must be at least 1"),
        ({"DEBUG": "1", "CLEARANCE_SESSION_IDLE_MINUTES": "half"}, "CLEARANCE_SESSION_IDLE_MINUTES='half' is not"),
        ({"DEBUG": "1", "CLEARANCE_TRUSTED_PROXIES": "-1"}, "CLEARANCE_TRUSTED_PROXIES='-1' must be at least 0"),
    ],
)
def test_bad_values_stop_start_up_with_the_variable_named(env, message):
    result = manage("check", **env)
    assert result.returncode != 0
    assert message in result.stderr


def test_debug_gets_a_development_key():
    result = manage("check", DEBUG="1")
    assert result.returncode == 0, result.stderr


def test_sign_in_and_session_limits_come_from_the_environment():
    env = {
        "DEBUG": "1",
        "CLEARANCE_LOGIN_FAILURE_LIMIT": "5",
        "CLEARANCE_LOGIN_LOCKOUT_MINUTES": "15",
        "CLEARANCE_SESSION_IDLE_MINUTES": "20",
        "CLEARANCE_SESSION_MAX_HOURS": "8",
        "CLEARANCE_REAUTH_MINUTES": "5",
        "CLEARANCE_TRUSTED_PROXIES": "1",
    }
    code = (
        "from django.conf import settings as s; print(s.AXES_FAILURE_LIMIT, s.AXES_COOLOFF_TIME.total_seconds(), "
        "s.CLEARANCE_SESSION_IDLE_MINUTES, s.SESSION_COOKIE_AGE, s.CLEARANCE_REAUTH_MINUTES, "
        "s.CLEARANCE_TRUSTED_PROXIES)"
    )
    result = manage("shell", "-c", code, **env)
    assert result.returncode == 0, result.stderr
    assert result.stdout.split()[-6:] == ["5", "900.0", "20", "28800", "5", "1"]
