"""How fast the main pages answer as the portfolio grows, served as in production: `make bench-web`.

    python bench/bench_web.py                      the whole run (what `make bench-web` does)
    python bench/bench_web.py prepare SIZE         seed the database of SIZE (once) and print its facts
    python bench/bench_web.py measure SIZE         serve SIZE with gunicorn and time every page
    python bench/bench_web.py load SIZE            50 users against 2 workers: throughput, p95, errors

Options (also read from the environment, as the Makefile passes them): --sizes (BENCH_SIZES, default
"100 10000 100000"), --rounds (BENCH_ROUNDS, 15), --budget (BENCH_BUDGET seconds of timed rounds per
database, 300; at least 5 rounds are always run), --reseed (BENCH_RESEED=1), --load-users (50),
--load-seconds (60), --load-size (10000), --pages (BENCH_PAGES: only the pages whose names contain one of
these comma-separated words, e.g. "queue", beside the two yardsticks; default every page). The backend is
SQLite (a file per size under /tmp) and, when DATABASE_URL is a postgres:// URL, PostgreSQL as well: one
database per size, named after the URL's with the size appended (clearance_bench_100, clearance_bench_10k,
...), created with createdb if missing.

Each database is seeded once (the demo data through the real workflow, then `bench.seed.seed_portfolio`
in chunks up to SIZE use cases, with the owners' grants, risks, rounds and sign-offs) and reused after.
Every measurement is over real HTTP against gunicorn (2 sync workers, DEBUG off, static files collected
and served by WhiteNoise) with `bench.settings`: the production settings plus a one-query floor view.
Each round requests every page once in a shuffled order, the admin changelist and the floor included,
so that a page and its yardsticks see the same machine load: the ratios (the median over rounds of
page / admin and page / floor) are the figures to compare; the absolute times are secondary. A first
round warms the workers and is dropped. Then each page's first request on a freshly booted worker is
timed against that worker's next requests. Every response must be a 200 with a body; any other answer
is counted, printed and makes the run exit non-zero. The results are written as JSON to bench/results/.
"""

# A benchmark run from the checkout: it starts its own processes (gunicorn, createdb) and keeps its
# throwaway databases and static files under /tmp.
# ruff: noqa: S603, S607, S108

import argparse
import http.client
import json
import os
import random
import re
import shutil
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path
from urllib.parse import urlencode, urlsplit, urlunsplit

ROOT = Path(__file__).resolve().parent.parent
RESULTS = ROOT / "bench" / "results"
STATIC_ROOT = "/tmp/clearance-bench-static"
SECRET = "bench-web-not-a-secret-" + "x" * 40
BENCH_PASSWORD = "bench-web-password"
SUPERUSER = "bench-admin"
LEAD = "bench-legal-lead"  # a member of legal who leads it: the queue draws its boxes and member list
# The queue with a search and filters on, at its largest page: a search that every reference matches
# and filters that keep the rows, so that the page does the most work there is.
QUEUE_FILTERS = {"q": "uc-", "function": "legal", "overdue": "on", "sort": "risk", "per_page": "100"}
LOAD_OWNERS = 30
CHUNK = 10_000
# A fresh worker's first request against its next few; the target is at most half a second more.
COLD_WARM = 3
COLD_TARGET = 0.5
TIMEOUT = 300

# page name -> (who asks, URL name in the facts); the order is the table's.
PAGES = {
    "list (executive)": ("executive", "use_case_list"),
    "list (owner)": ("owner", "use_case_list"),
    "queue (reviewer)": ("reviewer", "review_queue"),
    "queue filtered (lead)": ("lead", "review_queue_filtered"),
    "home (owner)": ("owner", "home"),
    "home (reviewer)": ("reviewer", "home"),
    "home (executive)": ("executive", "home"),
    "report": ("executive", "report"),
    "use case": ("owner", "use_case"),
    "CSV": ("executive", "report_csv"),
    "admin changelist": ("admin", "admin_changelist"),
    "floor": ("executive", "floor"),
}
ADMIN, FLOOR = "admin changelist", "floor"


def label(size: int) -> str:
    return f"{size // 1000}k" if size >= 1000 and size % 1000 == 0 else str(size)


# --- Databases and environment ----------------------------------------------------------------------


def backends() -> list[str]:
    url = os.environ.get("DATABASE_URL", "")
    return ["sqlite", "postgres"] if url.startswith(("postgres://", "postgresql://")) else ["sqlite"]


def database_url(backend: str, size: int) -> str:
    if backend == "sqlite":
        return f"sqlite:////tmp/clearance-bench-web-{label(size)}.sqlite3"
    parts = urlsplit(os.environ["DATABASE_URL"])
    return urlunsplit(parts._replace(path=f"{parts.path.rstrip('/')}_{label(size)}"))


def server_env(backend: str, size: int, **extra) -> dict[str, str]:
    """Production settings (DEBUG off), over plain HTTP on 127.0.0.1."""
    env = dict(os.environ)
    env.update(
        DJANGO_SETTINGS_MODULE="bench.settings",
        DEBUG="0",
        SECRET_KEY=SECRET,
        ALLOWED_HOSTS="127.0.0.1,localhost",
        SECURE_SSL_REDIRECT="0",
        SECURE_HSTS_SECONDS="0",
        SESSION_COOKIE_SECURE="0",
        CSRF_COOKIE_SECURE="0",
        LOG_LEVEL="WARNING",
        DATABASE_URL=database_url(backend, size),
        MEDIA_ROOT=f"/tmp/clearance-bench-web-media-{backend}-{label(size)}",
        BENCH_STATIC_ROOT=STATIC_ROOT,
        REDIS_URL=os.environ.get("BENCH_REDIS_URL", "redis://127.0.0.1:6379/12"),
        PYTHONPATH=str(ROOT),
    )
    env.update(extra)
    return env


def _pg(url: str) -> tuple[list[str], str]:
    parts = urlsplit(url)
    args = ["-h", parts.hostname or "127.0.0.1", "-p", str(parts.port or 5432), "-U", parts.username or "postgres"]
    return args, parts.path.lstrip("/")


def reset_database(backend: str, size: int, reseed: bool) -> None:
    url = database_url(backend, size)
    if backend == "sqlite":
        path = Path(urlsplit(url).path)
        if reseed:
            for suffix in ("", "-wal", "-shm"):
                Path(f"{path}{suffix}").unlink(missing_ok=True)
        return
    args, name = _pg(url)
    if reseed:
        subprocess.run(["dropdb", *args, "--if-exists", name], check=True)
    made = subprocess.run(["createdb", *args, name], capture_output=True, text=True)
    if made.returncode and "already exists" not in made.stderr:
        raise SystemExit(f"createdb {name}: {made.stderr.strip()}")


# --- prepare: seed once, then the facts the client needs (run inside Django) ------------------------------


def prepare(size: int) -> dict:
    import django

    sys.path.insert(0, str(ROOT))
    django.setup()
    from django.contrib.auth import get_user_model
    from django.contrib.auth.hashers import make_password
    from django.core.management import call_command
    from django.db.models import Count, Q
    from django.urls import reverse

    from approvals.forms import QueueFilterForm
    from approvals.selectors import filter_review_queue, review_queue
    from bench.seed import owner_pool_size, seed_portfolio
    from governance.models import UseCase

    User = get_user_model()
    call_command("migrate", verbosity=0, interactive=False)
    started = time.perf_counter()
    seeded = 0
    if not UseCase.objects.exists():
        with open(os.devnull, "w") as quiet:
            call_command("seed_demo", force=True, verbosity=0, stdout=quiet)
    demo_seconds = time.perf_counter() - started
    owners = owner_pool_size(size)
    while (missing := size - UseCase.objects.count()) > 0:
        seeded += seed_portfolio(min(missing, CHUNK), owners=owners)
        print(f"  seeded {UseCase.objects.count():,} of {size:,}", file=sys.stderr, flush=True)
    seed_seconds = time.perf_counter() - started
    # The state autovacuum (PostgreSQL) or a maintained database reaches after a bulk load or a migration
    # that rewrote many rows: fresh planner statistics, and on PostgreSQL a visibility map that lets
    # index-only scans skip the table. Without them the planner guesses and reads dead rows.
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute("VACUUM ANALYZE" if connection.vendor == "postgresql" else "ANALYZE")
    facts_file = _facts_file()
    previous = json.loads(facts_file.read_text()) if facts_file.exists() and not seeded else {}
    if not User.objects.filter(username=SUPERUSER).exists():
        User.objects.create_superuser(SUPERUSER, f"{SUPERUSER}@example.com", BENCH_PASSWORD)
    lead = _legal_lead(User)
    queue_filters = QueueFilterForm(QUEUE_FILTERS, functions=["legal"]).filters()
    # One hash for every bench login: PBKDF2 once, not once per user.
    load_owners = [f"bench-owner-{i}" for i in range(1, LOAD_OWNERS + 1)]
    User.objects.filter(username__in=load_owners).update(password=make_password(BENCH_PASSWORD))
    owned = Q(business_owner__username="bench-owner-1") | Q(technical_owner__username="bench-owner-1")
    owned |= Q(risk_owner__username="bench-owner-1")

    def submitted_of(username: str) -> str | None:
        mine = Q(business_owner__username=username) | Q(technical_owner__username=username)
        mine |= Q(risk_owner__username=username)
        return (
            UseCase.objects.filter(mine)
            .annotate(n=Count("rounds__signoffs"))
            .filter(n__gt=0)
            .order_by("-n", "pk")
            .values_list("reference", flat=True)
            .first()
        )

    reference = submitted_of("bench-owner-1")
    facts = {
        "size": size,
        "use_cases": UseCase.objects.count(),
        "users": User.objects.count(),
        "owner_use_cases": UseCase.objects.filter(owned).count(),
        "queue_pending": review_queue(lead).count(),
        "queue_filtered": filter_review_queue(review_queue(lead), lead, **queue_filters).count(),
        "seeded_now": seeded,
        "seed_seconds": round(seed_seconds, 1) if seeded else previous.get("seed_seconds"),
        "demo_seconds": round(demo_seconds, 1) if seeded else previous.get("demo_seconds"),
        "logins": {
            "executive": ["executive", "clearance-demo"],
            "owner": ["bench-owner-1", BENCH_PASSWORD],
            "reviewer": ["legal", "clearance-demo"],
            "admin": [SUPERUSER, BENCH_PASSWORD],
            "lead": [LEAD, BENCH_PASSWORD],
        },
        "urls": {
            "home": reverse("home"),
            "login": reverse("login"),
            "use_case_list": reverse("use_case_list"),
            "review_queue": reverse("review_queue"),
            "review_queue_filtered": f"{reverse('review_queue')}?{urlencode(QUEUE_FILTERS)}",
            "report": reverse("report"),
            "report_csv": reverse("report_csv"),
            "use_case": reverse("use_case_detail", args=[reference]),
            "admin_changelist": reverse("admin:governance_usecase_changelist"),
            "floor": reverse("bench_floor"),
        },
        "load_owners": {u: reverse("use_case_detail", args=[r]) for u in load_owners if (r := submitted_of(u))},
    }
    facts_file.write_text(json.dumps(facts))
    return facts


def _legal_lead(User):
    """The benchmark's lead of legal (created once): signs in with the bench password."""
    from django.contrib.auth.hashers import make_password
    from django.contrib.auth.models import Group, Permission

    from governance.roles import Role

    lead, created = User.objects.get_or_create(
        username=LEAD, defaults={"first_name": "Lee", "last_name": "Lead", "password": make_password(BENCH_PASSWORD)}
    )
    if created:
        lead.groups.add(Group.objects.get(name=Role.LEGAL))
        lead.user_permissions.add(Permission.objects.get(codename="lead_signoffs", content_type__app_label="approvals"))
    return lead


def _facts_file() -> Path:
    url = os.environ["DATABASE_URL"]
    if url.startswith("sqlite"):
        return Path(f"{urlsplit(url).path}.facts.json")
    return Path(tempfile.gettempdir(), f"clearance-bench-web-{_pg(url)[1]}.facts.json")


def run_prepare(backend: str, size: int, reseed: bool) -> dict:
    reset_database(backend, size, reseed)
    # The demo's records are rendered in-process and before the bulk seed starts: a render on a background
    # thread would wait on SQLite's write lock behind the seed's long transactions.
    env = server_env(backend, size, REDIS_URL="", CLEARANCE_RENDER_IN_BACKGROUND="0")
    started = time.perf_counter()
    # The seed's progress goes to stderr, shown as it comes; the facts are the last line of stdout.
    out = subprocess.run(
        [sys.executable, __file__, "prepare", str(size)], env=env, check=True, stdout=subprocess.PIPE, text=True
    )
    facts = json.loads(out.stdout.strip().splitlines()[-1])
    facts["prepare_seconds"] = round(time.perf_counter() - started, 1)
    return facts


def collectstatic(backend: str, size: int) -> None:
    env = server_env(backend, size)
    subprocess.run([sys.executable, "manage.py", "collectstatic", "--no-input", "-v0"], cwd=ROOT, env=env, check=True)


# --- HTTP -----------------------------------------------------------------------------------------------


class Client:
    """One signed-in browser: its cookies, and requests over a new connection each (sync workers close it)."""

    def __init__(self, port: int):
        self.port = port
        self.cookies: dict[str, str] = {}

    def request(self, method: str, path: str, body: str | None = None) -> tuple[int, bytes, float]:
        headers = {"Host": "127.0.0.1"}
        if self.cookies:
            headers["Cookie"] = "; ".join(f"{k}={v}" for k, v in self.cookies.items())
        if body is not None:
            headers["Content-Type"] = "application/x-www-form-urlencoded"
        started = time.perf_counter()
        connection = http.client.HTTPConnection("127.0.0.1", self.port, timeout=TIMEOUT)
        try:
            connection.request(method, path, body=body, headers=headers)
            response = connection.getresponse()
            data = response.read()  # the whole body: a streamed CSV is timed to its last row
            elapsed = time.perf_counter() - started
        except (http.client.HTTPException, OSError):
            # A worker killed mid-answer (gunicorn's timeout) or a refused connection: status 0, an error.
            connection.close()
            return 0, b"", time.perf_counter() - started
        try:
            for header, value in response.getheaders():
                if header.lower() == "set-cookie":
                    name, _, rest = value.partition("=")
                    self.cookies[name.strip()] = rest.split(";", 1)[0]
            return response.status, data, elapsed
        finally:
            connection.close()

    def login(self, login_url: str, username: str, password: str) -> None:
        status, page, _ = self.request("GET", login_url)
        token = re.search(rb'name="csrfmiddlewaretoken" value="([^"]+)"', page)
        if status != 200 or not token:
            raise SystemExit(f"Login page answered {status} without a CSRF token")
        form = urlencode({"username": username, "password": password, "csrfmiddlewaretoken": token.group(1)})
        status, _, _ = self.request("POST", login_url, form)
        if status != 302 or "sessionid" not in self.cookies:
            raise SystemExit(f"Logging in as {username} failed: {status}")


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class Server:
    """gunicorn with `workers` sync workers, started and stopped by the benchmark, ready once every worker
    has loaded the application (the `post_worker_init` hook in bench/gunicorn_conf.py)."""

    def __init__(self, env: dict[str, str], workers: int = 2):
        self.env, self.workers, self.port = env, workers, free_port()

    def __enter__(self) -> "Server":
        self.ready = tempfile.mkdtemp(prefix="clearance-bench-ready-")
        gunicorn = Path(sys.executable).with_name("gunicorn")
        command = [str(gunicorn), "config.wsgi:application", "-c", str(ROOT / "bench" / "gunicorn_conf.py")]
        command += ["--workers", str(self.workers), "--bind", f"127.0.0.1:{self.port}", "--log-level", "warning"]
        self.process = subprocess.Popen(command, cwd=ROOT, env={**self.env, "BENCH_READY_DIR": self.ready})
        deadline = time.monotonic() + 60
        while len(os.listdir(self.ready)) < self.workers:
            if self.process.poll() is not None or time.monotonic() > deadline:
                raise SystemExit("gunicorn did not start")
            time.sleep(0.05)
        return self

    def __exit__(self, *exc) -> None:
        self.process.send_signal(signal.SIGTERM)
        try:
            self.process.wait(timeout=30)
        except subprocess.TimeoutExpired:
            self.process.kill()
            self.process.wait()
        shutil.rmtree(self.ready, ignore_errors=True)


def percentile(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, max(0, round(q * (len(ordered) - 1))))]


# --- measure: interleaved rounds, then each page's first request on a fresh worker -----------------------


def sign_in(port: int, facts: dict) -> dict[str, Client]:
    clients = {}
    for role, (username, password) in facts["logins"].items():
        clients[role] = Client(port)
        clients[role].login(facts["urls"]["login"], username, password)
    return clients


def chosen_pages(names: str) -> list[str]:
    """The pages whose names contain one of the comma-separated `names` (all when empty), with the
    yardsticks every ratio is measured against."""
    wanted = [n.strip() for n in names.split(",") if n.strip()]
    if not wanted:
        return list(PAGES)
    pages = [page for page in PAGES if any(n in page for n in wanted) or page in (ADMIN, FLOOR)]
    if len(pages) == 2:
        raise SystemExit(f"No page name contains {names!r}: choose among {', '.join(PAGES)}")
    return pages


def measure(backend: str, size: int, facts: dict, *, rounds: int, budget: float, pages: list[str]) -> dict:
    env = server_env(backend, size)
    errors: list[str] = []
    times: dict[str, list[float]] = {page: [] for page in pages}
    rng = random.Random(size)

    def get(clients, page) -> float:
        role, url = PAGES[page]
        status, body, elapsed = clients[role].request("GET", facts["urls"][url])
        if status != 200 or not body:
            errors.append(f"{page}: {status or 'connection lost (worker timeout?)'}, {len(body)} bytes")
        return elapsed

    with Server(env) as server:
        clients = sign_in(server.port, facts)
        started, done = time.monotonic(), 0
        for number in range(rounds + 1):  # round 0 warms the workers and is dropped
            order = list(pages)
            rng.shuffle(order)
            for page in order:
                elapsed = get(clients, page)
                if number:
                    times[page].append(elapsed)
            done = number
            if number >= 5 and time.monotonic() - started > budget:
                break
    cold = {}
    for page in pages:
        # A worker that has loaded the application and served nothing yet; the session is the one above.
        with Server(env, workers=1) as server:
            for client in clients.values():
                client.port = server.port
            first = get(clients, page)
            warm = [get(clients, page) for _ in range(COLD_WARM)]
        cold[page] = {"first": first, "warm": statistics.median(warm), "extra": first - statistics.median(warm)}
    return {"rounds": done, "times": times, "cold": cold, "errors": errors}


def summarize(result: dict) -> dict:
    times = result["times"]
    summary = {}
    for page, values in times.items():
        summary[page] = {
            "median": statistics.median(values),
            "p95": percentile(values, 0.95),
            # Paired per round: a page against the yardsticks of the same round.
            "x_admin": statistics.median(v / a for v, a in zip(values, times[ADMIN], strict=True)),
            "x_floor": statistics.median(v / f for v, f in zip(values, times[FLOOR], strict=True)),
        }
    return summary


def print_table(backend: str, size: int, facts: dict, result: dict) -> None:
    summary = summarize(result)
    seed = facts.get("seed_seconds")
    print(
        f"\n{backend} · {facts['use_cases']:,} use cases · {facts['users']:,} users · owner sees "
        f"{facts['owner_use_cases']} · legal queue {facts.get('queue_pending', '?')} pending, "
        f"{facts.get('queue_filtered', '?')} match its filters · {result['rounds']} rounds · seeded in "
        f"{f'{seed:.0f} s' if seed is not None else '(unknown: seeded by an earlier run)'}"
    )
    print(
        f"{'page':<22} {'median ms':>10} {'p95 ms':>8} {'× admin':>8} {'× floor':>8} {'first ms':>9} {'+first ms':>9}"
    )
    for page, row in summary.items():
        cold = result["cold"][page]
        print(
            f"{page:<22} {row['median'] * 1000:>10.1f} {row['p95'] * 1000:>8.1f} {row['x_admin']:>8.2f} "
            f"{row['x_floor']:>8.2f} {cold['first'] * 1000:>9.1f} {cold['extra'] * 1000:>9.1f}"
        )
    over = [page for page, cold in result["cold"].items() if cold["extra"] > COLD_TARGET]
    print(
        f"first request of a fresh worker within {COLD_TARGET * 1000:.0f} ms of its next {COLD_WARM}: "
        f"{len(result['cold']) - len(over)} of {len(result['cold'])} pages"
        + (f" (over: {', '.join(over)})" if over else "")
    )


def print_growth(results: dict) -> None:
    for backend, by_size in results.items():
        sizes = sorted(by_size, key=int)
        if len(sizes) < 2:
            continue
        small, large = sizes[0], sizes[-1]
        print(f"\n{backend}: growth of the median from {int(small):,} to {int(large):,} use cases")
        print(f"{'page':<22} {'small ms':>9} {'large ms':>9} {'growth':>8}")
        for page in by_size[small]["summary"]:
            a = by_size[small]["summary"][page]["median"]
            b = by_size[large]["summary"][page]["median"]
            print(f"{page:<22} {a * 1000:>9.1f} {b * 1000:>9.1f} {b / a:>7.1f}×")


# --- load: many users at once ---------------------------------------------------------------------------


def load(backend: str, size: int, facts: dict, *, users: int, seconds: float) -> dict:
    """`users` simulated people, signed in (owners as themselves, reviewers and executives sharing the demo
    accounts), each walking its role's main pages with no think time, against 2 workers."""
    urls = facts["urls"]
    owners = list(facts["load_owners"].items())
    reviewers = ["legal", "privacy", "security", "procurement", "compliance"]
    plans = []
    for i in range(users):
        if i % 5 == 3:
            plans.append(
                (reviewers[i // 5 % 5], "clearance-demo", ["home", "review_queue", "use_case_list", "use_case"])
            )
        elif i % 5 == 4:
            plans.append(("executive", "clearance-demo", ["home", "use_case_list", "report", "use_case"]))
        else:
            username, page = owners[i % len(owners)]
            plans.append((username, BENCH_PASSWORD, ["home", "use_case_list", page]))
    records: list[tuple[str, int, float, int]] = []
    failures: list[str] = []
    lock = threading.Lock()
    with Server(server_env(backend, size)) as server:
        clients = [Client(server.port) for _ in plans]
        gate = threading.Barrier(users + 1)
        stop = threading.Event()

        def walk(client: Client, username: str, password: str, route: list[str]) -> None:
            try:
                client.login(urls["login"], username, password)
            except (SystemExit, OSError) as exc:
                with lock:
                    failures.append(f"login {username}: {exc}")
            gate.wait()
            while not stop.is_set():
                for step in route:
                    path = urls.get(step, step)
                    try:
                        status, body, elapsed = client.request("GET", path)
                    except OSError as exc:
                        status, body, elapsed = 0, b"", 0.0
                        with lock:
                            failures.append(f"{step}: {exc}")
                    with lock:
                        records.append((step if step in urls else "use_case", status, elapsed, len(body)))
                    if stop.is_set():
                        break

        threads = [
            threading.Thread(target=walk, args=(c, *plan), daemon=True) for c, plan in zip(clients, plans, strict=True)
        ]
        for thread in threads:
            thread.start()
        gate.wait()
        started = time.perf_counter()
        time.sleep(seconds)
        stop.set()
        for thread in threads:
            thread.join(TIMEOUT)
        wall = time.perf_counter() - started
    times = [r[2] for r in records if r[1] == 200]
    statuses: dict[str, int] = {}
    for _, status, _, length in records:
        if status != 200 or not length:
            statuses[str(status)] = statuses.get(str(status), 0) + 1
    return {
        "users": users,
        "seconds": round(wall, 1),
        "requests": len(records),
        "throughput": len(records) / wall,
        "p50": statistics.median(times) if times else None,
        "p95": percentile(times, 0.95) if times else None,
        "errors": sum(statuses.values()) + len(failures),
        "statuses": statuses,
        "failures": failures[:20],
        "per_page": {
            page: {"n": len(t), "p50": statistics.median(t), "p95": percentile(t, 0.95)}
            for page in {r[0] for r in records}
            if (t := [r[2] for r in records if r[0] == page and r[1] == 200])
        },
    }


def print_load(backend: str, facts: dict, result: dict) -> None:
    print(
        f"\nload on {backend}, {facts['use_cases']:,} use cases: {result['users']} users, 2 workers, "
        f"{result['seconds']:.0f} s: {result['requests']} requests, {result['throughput']:.1f} req/s, "
        f"p50 {result['p50'] * 1000:.0f} ms, p95 {result['p95'] * 1000:.0f} ms, errors {result['errors']} "
        f"{result['statuses'] or ''}"
    )
    for page, row in sorted(result["per_page"].items()):
        print(f"  {page:<16} n={row['n']:<6} p50 {row['p50'] * 1000:>7.0f} ms  p95 {row['p95'] * 1000:>7.0f} ms")


# --- The whole run --------------------------------------------------------------------------------------


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("command", nargs="?", default="all", choices=["all", "prepare", "measure", "load"])
    parser.add_argument("size", nargs="?", type=int)
    parser.add_argument("--sizes", default=os.environ.get("BENCH_SIZES", "100 10000 100000"))
    parser.add_argument("--rounds", type=int, default=int(os.environ.get("BENCH_ROUNDS", 15)))
    parser.add_argument("--budget", type=float, default=float(os.environ.get("BENCH_BUDGET", 300)))
    parser.add_argument("--reseed", action="store_true", default=os.environ.get("BENCH_RESEED", "") == "1")
    parser.add_argument("--backends", default=os.environ.get("BENCH_BACKENDS", ""))
    parser.add_argument("--pages", default=os.environ.get("BENCH_PAGES", ""))
    parser.add_argument("--load-users", type=int, default=int(os.environ.get("BENCH_LOAD_USERS", 50)))
    parser.add_argument("--load-seconds", type=float, default=float(os.environ.get("BENCH_LOAD_SECONDS", 60)))
    parser.add_argument("--load-size", type=int, default=int(os.environ.get("BENCH_LOAD_SIZE", 10000)))
    args = parser.parse_args()

    if args.command == "prepare":  # inside the environment run_prepare gives it
        print(json.dumps(prepare(args.size)))
        return 0
    sizes = [args.size] if args.size else [int(s) for s in args.sizes.replace(",", " ").split()]
    chosen = args.backends.split() or backends()
    if "postgres" in chosen and "postgres" not in backends():
        raise SystemExit("The postgres backend needs DATABASE_URL=postgres://user@host:port/name_prefix")
    pages = chosen_pages(args.pages)
    do_measure = args.command in ("all", "measure")
    do_load = args.command == "load" or args.command == "all"
    results: dict = {}
    report = {"started": time.strftime("%Y-%m-%dT%H:%M:%S"), "sizes": sizes, "results": results, "load": {}}
    errors = 0
    RESULTS.mkdir(exist_ok=True)
    path = RESULTS / f"web-{time.strftime('%Y%m%d-%H%M%S')}.json"

    def save() -> None:  # after every step, so that a run cut short keeps what it measured
        path.write_text(json.dumps(report, indent=1))

    collectstatic(chosen[0], sizes[0])
    for backend in chosen:
        for size in sizes:
            print(f"\n== {backend}, {size:,} use cases: preparing", flush=True)
            facts = run_prepare(backend, size, args.reseed)
            print(
                f"   {facts['use_cases']:,} use cases ready in {facts['prepare_seconds']:.0f} s "
                f"({facts['seeded_now']:,} seeded now)",
                flush=True,
            )
            if do_measure:
                result = measure(backend, size, facts, rounds=args.rounds, budget=args.budget, pages=pages)
                results.setdefault(backend, {})[str(size)] = {
                    "facts": facts,
                    "summary": summarize(result),
                    **result,
                }
                save()
                print_table(backend, size, facts, result)
                errors += len(result["errors"])
                for error in result["errors"][:20]:
                    print(f"   ERROR {error}")
            if do_load and (args.command == "load" or (backend == "postgres" and size == args.load_size)):
                outcome = load(backend, size, facts, users=args.load_users, seconds=args.load_seconds)
                report["load"][f"{backend}/{size}"] = outcome
                save()
                print_load(backend, facts, outcome)
                errors += outcome["errors"]
    if do_measure:
        print_growth(results)
    save()
    print(f"\nResults: {path.relative_to(ROOT)}")
    if errors:
        print(f"FAILED: {errors} requests did not answer 200 with a body", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
