"""How long the documents take to make, and how much memory: `make bench-pdf`.

    python bench/bench_documents.py                    the whole run (what `make bench-pdf` does)
    python bench/bench_documents.py seed N             top the portfolio up to N use cases
    python bench/bench_documents.py measure KIND [--trace] [--cold]
                                                       one measurement: record | report-pdf | report-figures |
                                                       csv | trends | slide

Run it against a throwaway database (the Makefile uses an SQLite file under /tmp): it loads the demo data
and bulk-inserts thousands of use cases. The whole run seeds the demo data (real workflow, real approval
records), then measures, each time in a fresh process so that one measurement's memory does not hide
the next's:

- the approval record of a demo round (`approvals.documents.records.approval_record_render`);
- the executive report PDF at 100 and at 1,000 use cases (figures, top lists, appendix);
- the CSV export at 10,000 use cases (every row through the streaming generator the view returns);
- the 16:9 slide at 100 use cases, and the trends over 12 months with the review cycle times at 100
  and 10,000 use cases (replayed from the event log; the median of five warm computations is the target).

Each is run twice: once plain, for the time (wall and this process's CPU) and the process's peak RSS
(ru_maxrss, which counts what WeasyPrint, Pango and cairo allocate in C), and once under tracemalloc for
the peak of Python allocations (tracing slows Python down, so that run's time is not the one reported).
Before the clock starts, the process prepares the renderer as a Celery worker does when it starts
(`approvals.documents.pdf.prepare`: WeasyPrint imported, fonts loaded, stylesheets and templates parsed);
`--cold` leaves that to the measured render. The targets are on CPU time for the record (the machine may
be shared) and on wall time for the report.
"""

import json
import logging
import os
import resource
import shutil
import subprocess
import sys
import time
import tracemalloc
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PDFINFO = shutil.which("pdfinfo") or "/usr/bin/pdfinfo"  # poppler-utils, installed by `make setup`
# record: CPU seconds; report: wall seconds; trends: the median wall seconds of a warm computation
TARGETS = {"record": 1.0, "report-pdf@1000": 10.0, "trends@10000": 0.5}
RSS_TARGET_MB = 500


def _setup_django() -> None:
    sys.path.insert(0, str(ROOT))
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
    import django

    django.setup()
    # WeasyPrint logs every layout step at INFO; the benchmark's output is the table below.
    for name in ("weasyprint", "fontTools"):
        logging.getLogger(name).setLevel(logging.WARNING)


def _rss_now_mb() -> float:
    with open("/proc/self/status") as status:
        for line in status:
            if line.startswith("VmRSS:"):
                return int(line.split()[1]) / 1024
    return 0.0


def _rss_peak_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024  # kilobytes on Linux


# --- Seeding ---------------------------------------------------------------------------------------


def seed(target: int) -> None:
    from django.core.management import call_command

    from bench.seed import seed_portfolio
    from governance.models import UseCase

    started = time.perf_counter()
    if not UseCase.objects.exists():
        call_command("seed_demo", verbosity=0, stdout=open(os.devnull, "w"))  # noqa: SIM115
    missing = target - UseCase.objects.count()
    seed_portfolio(missing)
    print(json.dumps({"seeded": max(missing, 0), "seconds": time.perf_counter() - started}))


# --- Measurements ----------------------------------------------------------------------------------


def _record():
    """Render the record of the demo round with the most sign-offs again, the way
    `approvals.documents.records.approval_record_render` does (context, layout, PDF, SHA-256), without
    storing it: seed_demo stored it already, and a record can never be deleted or replaced."""
    import hashlib

    from django.db.models import Count
    from django.template.loader import render_to_string

    from approvals.documents import records
    from approvals.models import ApprovalRequest

    round_id = (
        # Only the demo rounds went through the real workflow (and so have a record and a full snapshot).
        ApprovalRequest.objects.filter(status__in=ApprovalRequest.DECIDED_STATUSES, record__isnull=False)
        .annotate(n=Count("signoffs"))
        .order_by("-n", "pk")
        .values_list("pk", flat=True)
        .first()
    )
    if round_id is None:
        raise SystemExit("No decided demo round to render: was seed_demo run?")

    def run():
        round = ApprovalRequest.objects.select_related("use_case", "checklist_template", "submitted_by").get(
            pk=round_id
        )
        html = records._compact(render_to_string(records.TEMPLATE, records.record_context(round)))
        pdf = records.render_document(html)
        hashlib.sha256(pdf.data).hexdigest()
        return f"{round.use_case.reference} round {round.number}: {pdf.pages} pages, {len(pdf.data) // 1024} KB"

    return run


def _report_pdf():
    from reports.figures import ReportFilters, report_pdf

    def run():
        pdf, report = report_pdf(ReportFilters())
        pages = subprocess.run([PDFINFO, "-"], input=pdf, capture_output=True, check=True)  # noqa: S603
        count = next(line.split()[-1] for line in pages.stdout.decode().splitlines() if line.startswith("Pages:"))
        return f"{report.total} use cases: {count} pages, {len(pdf) // 1024} KB"

    return run


def _report_figures():
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from reports.figures import ReportFilters, portfolio_report

    def run():
        with CaptureQueriesContext(connection) as queries:
            report = portfolio_report(ReportFilters())
        return f"{report.total} use cases: {len(queries.captured_queries)} queries"

    return run


def _csv():
    from reports.figures import ReportFilters
    from reports.portfolio_csv import PREAMBLE_ROWS, portfolio_csv_lines

    def run():
        rows, size = -1 - PREAMBLE_ROWS, 0  # the header and the rows saying what the file holds
        for line in portfolio_csv_lines(ReportFilters()):
            rows += 1
            size += len(line.encode())
        return f"{rows} rows, {size // 1024} KB"

    return run


def _trends():
    """The report's trends over 12 months and its review cycle times, replayed from the event log: the
    first computation, then five more, whose median is what a warm worker answers in (the figures cache
    aside). The line's wall and CPU columns are the six together."""
    import statistics

    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from reports.cycle_times import review_cycle_times
    from reports.figures import ReportFilters, _day_start, history_scope
    from reports.trends import portfolio_trends

    def compute():
        scope = history_scope(ReportFilters())
        trends = portfolio_trends(scope)
        return trends, review_cycle_times(scope, since=_day_start(trends.first))

    def run():
        started = time.perf_counter()
        with CaptureQueriesContext(connection) as queries:
            trends, cycle = compute()
        first = time.perf_counter() - started
        again = []
        for _ in range(5):
            started = time.perf_counter()
            compute()
            again.append(time.perf_counter() - started)
        median = statistics.median(again)
        return {
            "text": f"{trends.months[-1].live_total} live now, {cycle.decision.count} decisions in 12 months, "
            f"{len(queries.captured_queries)} queries; first {first * 1000:.0f} ms, median of 5 more "
            f"{median * 1000:.0f} ms",
            "median": median,
        }

    return run


def _slide():
    from reports.exports import slide_pdf
    from reports.figures import ReportFilters, portfolio_report

    def run():
        pdf = slide_pdf(portfolio_report(ReportFilters()))
        return f"{len(pdf) // 1024} KB"

    return run


KINDS = {
    "record": _record,
    "report-pdf": _report_pdf,
    "report-figures": _report_figures,
    "csv": _csv,
    "trends": _trends,
    "slide": _slide,
}


def measure(kind: str, *, trace: bool, cold: bool = False) -> None:
    from django.db import connection

    from approvals.documents.pdf import prepare

    run = KINDS[kind]()  # imports and setup before the baseline
    if not cold and kind in ("record", "report-pdf", "slide"):
        prepare(kind.removesuffix("-pdf"))  # what a worker process does as it starts, for this document
    connection.ensure_connection()
    rss_before = _rss_now_mb()
    if trace:
        tracemalloc.start()
    started, cpu_started = time.perf_counter(), time.process_time()
    detail = run()
    seconds, cpu = time.perf_counter() - started, time.process_time() - cpu_started
    extra = detail if isinstance(detail, dict) else {"text": detail}
    result = {
        "kind": kind,
        "seconds": seconds,
        "cpu": cpu,
        "detail": extra.pop("text"),
        **extra,
        "rss_before": rss_before,
        "rss_peak": _rss_peak_mb(),
    }
    if trace:
        result["py_peak"] = tracemalloc.get_traced_memory()[1] / 2**20
        tracemalloc.stop()
    print(json.dumps(result))


# --- The whole run ---------------------------------------------------------------------------------


def _child(*args: str) -> dict:
    done = subprocess.run(  # noqa: S603 (this script, run again with our own arguments)
        [sys.executable, str(Path(__file__).resolve()), *args], capture_output=True, text=True, cwd=ROOT
    )
    if done.returncode != 0:
        sys.stderr.write(done.stdout + done.stderr)
        raise SystemExit(f"bench step {' '.join(args)} failed")
    return json.loads(done.stdout.strip().splitlines()[-1])


def _both(kind: str) -> dict:
    plain = _child("measure", kind)
    plain["py_peak"] = _child("measure", kind, "--trace")["py_peak"]
    return plain


def main() -> None:
    import platform

    import weasyprint
    from django.conf import settings

    db = settings.DATABASES["default"]
    print(
        f"Clearance documents benchmark · {db['ENGINE'].rsplit('.', 1)[-1]} {db['NAME']} · Python "
        f"{platform.python_version()} · WeasyPrint {weasyprint.__version__} · {os.cpu_count()} CPUs"
    )
    print("Each line is a fresh process; RSS is the whole process (Django, WeasyPrint, Pango, cairo included).")
    header = (
        f"{'measurement':<30}{'wall':>9}{'CPU':>9}{'python peak':>13}{'RSS before':>12}{'RSS peak':>10}{'growth':>9}"
        "  detail"
    )
    print(header)
    print("-" * (len(header) + 40))
    results = {}

    def line(label: str, key: str, kind: str) -> None:
        r = results[key] = _both(kind)
        print(
            f"{label:<30}{r['seconds']:>8.2f}s{r['cpu']:>8.2f}s{r['py_peak']:>10.1f} MB{r['rss_before']:>9.0f} MB"
            f"{r['rss_peak']:>7.0f} MB{r['rss_peak'] - r['rss_before']:>+6.0f} MB  {r['detail']}"
        )

    seeded = _child("seed", "100")
    print(f"{'seed demo data + 100 use cases':<30}{seeded['seconds']:>8.2f}s")
    line("approval record", "record", "record")
    line("report PDF, 100 use cases", "report-pdf@100", "report-pdf")
    line("slide PDF, 100 use cases", "slide@100", "slide")
    line("trends + cycle times, 100", "trends@100", "trends")
    seeded = _child("seed", "1000")
    print(f"{'seed to 1,000 use cases':<30}{seeded['seconds']:>8.2f}s")
    line("report PDF, 1,000 use cases", "report-pdf@1000", "report-pdf")
    seeded = _child("seed", "10000")
    print(f"{'seed to 10,000 use cases':<30}{seeded['seconds']:>8.2f}s")
    line("report figures, 10,000", "figures@10000", "report-figures")
    line("trends + cycle times, 10,000", "trends@10000", "trends")
    line("CSV, 10,000 use cases", "csv@10000", "csv")
    line("report PDF, 10,000 use cases", "report-pdf@10000", "report-pdf")

    print()
    verdicts = [
        (f"approval record under {TARGETS['record']:g} s of CPU", results["record"]["cpu"] < TARGETS["record"]),
        (
            f"1,000-use-case report under {TARGETS['report-pdf@1000']:g} s",
            results["report-pdf@1000"]["seconds"] < TARGETS["report-pdf@1000"],
        ),
        (
            f"1,000-use-case report under {RSS_TARGET_MB} MB peak",
            results["report-pdf@1000"]["rss_peak"] < RSS_TARGET_MB,
        ),
    ]
    verdicts.append(
        (
            f"trends over 12 months at 10,000 use cases under {TARGETS['trends@10000'] * 1000:g} ms",
            results["trends@10000"]["median"] < TARGETS["trends@10000"],
        )
    )
    for label, ok in verdicts:
        print(f"{'PASS' if ok else 'FAIL'}  {label}")
    if not all(ok for _, ok in verdicts):
        raise SystemExit(1)


if __name__ == "__main__":
    _setup_django()
    args = sys.argv[1:]
    if not args:
        main()
    elif args[0] == "seed":
        seed(int(args[1]))
    elif args[0] == "measure":
        measure(args[1], trace="--trace" in args, cold="--cold" in args)
    else:
        raise SystemExit(__doc__)
