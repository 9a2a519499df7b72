"""Health endpoints for load balancers and orchestrators.

- `GET /healthz/live`: the process answers. No dependency is checked: a database outage must not get
  every web process restarted.
- `GET /healthz/ready` (and `GET /healthz`, kept for existing probes): can this process serve? 200 when
  the database is usable; 503 when it is not. The broker only degrades it (200, status "degraded"):
  decisions still commit and their e-mails wait in the outbox for the sweep.

Every check answers within about a second, whatever state the database or Redis is in.
"""

import threading

from django.conf import settings
from django.db import connections
from django.http import JsonResponse
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET

# Seconds a check may take before its dependency is reported as not answering.
CHECK_TIMEOUT = 1.0
# libpq's smallest connect timeout; the check thread of a hung database ends after it.
PROBE_CONNECT_TIMEOUT = 2


def _probe_database() -> None:
    """Open a connection of its own (never a worker's, which may be stuck) and run one query."""
    probe = connections["default"].copy()
    if probe.vendor == "postgresql":
        options = probe.settings_dict.setdefault("OPTIONS", {})
        options["connect_timeout"] = PROBE_CONNECT_TIMEOUT
        # The last setting of a parameter wins over the app's own statement timeout.
        options["options"] = f"{options.get('options', '')} -c statement_timeout={int(CHECK_TIMEOUT * 1000)}".strip()
    try:
        with probe.cursor() as cursor:
            cursor.execute("SELECT 1")
            cursor.fetchone()
    finally:
        probe.close()


def _within(timeout: float, check) -> str:
    """Run `check` in a thread and give up waiting after `timeout` seconds.

    The thread of a check that times out ends on its own connect timeout; the answer does not wait for it.
    """
    outcome: list[str] = []

    def run():
        try:
            check()
        except Exception as exc:
            outcome.append(f"error: {exc.__class__.__name__}")
        else:
            outcome.append("ok")

    thread = threading.Thread(target=run, name="health-check", daemon=True)
    thread.start()
    thread.join(timeout)
    return outcome[0] if outcome else "error: no answer within 1 s"


def database_state() -> str:
    return _within(CHECK_TIMEOUT, _probe_database)


def broker_state() -> str:
    if not settings.REDIS_URL:
        return "not configured (tasks run in-process)"
    import redis

    try:
        client = redis.Redis.from_url(settings.REDIS_URL, socket_connect_timeout=0.5, socket_timeout=0.5)
        try:
            client.ping()
        finally:
            client.close()
    except redis.RedisError as exc:
        return f"error: {exc.__class__.__name__}"
    return "ok"


@never_cache
@require_GET
def live(request):
    return JsonResponse({"status": "ok"})


@never_cache
@require_GET
def ready(request):
    checks = {"database": database_state(), "broker": broker_state()}
    if checks["database"] != "ok":
        status, code = "unavailable", 503
    elif checks["broker"].startswith("error"):
        status, code = "degraded", 200
    else:
        status, code = "ok", 200
    return JsonResponse({"status": status, **checks}, status=code)
