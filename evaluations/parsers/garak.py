"""garak report files (`*.report.jsonl`): one JSON object a line, told apart by `entry_type`.

`start_run setup` and `init` say the version, the generator (the model) and when the run started; each
`eval` line is one probe's result under one detector (`passed` of `total`), and is what the tests are counted
from; each evaluated `attempt` (status 2) is one sample, failed when any detector scored any output at 0.5
or more (garak's own threshold for a hit)."""

from __future__ import annotations

import json

from evaluations.models import Harness
from evaluations.parsers.base import ParsedRun, ParseError, count, number, text, timestamp

LINE_MAX = 16 * 1024 * 1024
HIT = 0.5
EVALUATED = 2


def _strip_plugin(name) -> str:
    # garak writes detectors as "detector.<module>.<Class>" in some versions and "<module>.<Class>" in others.
    value = text(name)
    return value.removeprefix("detectors.").removeprefix("detector.").removeprefix("probes.")


def parse(handle) -> ParsedRun:
    run = ParsedRun(harness=Harness.GARAK)
    seen_setup = False
    evals = 0
    for number_, raw in enumerate(iter(lambda: handle.readline(LINE_MAX + 1), b""), start=1):
        if len(raw) > LINE_MAX:
            raise ParseError(f"Line {number_} of the report is longer than Clearance reads.")
        if not raw.strip():
            continue
        try:
            entry = json.loads(raw)
        except (ValueError, UnicodeDecodeError, RecursionError):
            if raw.endswith(b"\n"):
                raise ParseError(f"Line {number_} of the report is not valid JSON.") from None
            raise ParseError("The report ends in the middle of a line: the file is truncated.") from None
        if not isinstance(entry, dict):
            raise ParseError(f"Line {number_} of the report is not a JSON object.")
        kind = entry.get("entry_type")
        if kind == "start_run setup":
            seen_setup = True
            run.harness_version = text(entry.get("_config.version")) or run.harness_version
            run.provider = text(entry.get("plugins.model_type") or entry.get("plugins.target_type"))
            run.model = text(entry.get("plugins.model_name") or entry.get("plugins.target_name")) or run.provider
            run.run_at = timestamp(entry.get("transient.starttime_iso")) or run.run_at
            run.title = text(entry.get("plugins.probe_spec"))
        elif kind == "init":
            run.harness_version = text(entry.get("garak_version")) or run.harness_version
            run.run_at = run.run_at or timestamp(entry.get("start_time"))
        elif kind == "attempt" and entry.get("status") == EVALUATED:
            results = entry.get("detector_results") if isinstance(entry.get("detector_results"), dict) else {}
            scores = [number(s) for values in results.values() if isinstance(values, list) for s in values]
            scores = [s for s in scores if s is not None]
            run.sample(passed=all(s < HIT for s in scores) if scores else None)
        elif kind == "eval":
            evals += 1
            # garak 0.17 writes `total_evaluated` (outputs a detector gave a score) and `fails`; older versions
            # wrote `total`.
            total = count(entry.get("total_evaluated", entry.get("total")))
            passed = min(count(entry.get("passed")), total)
            probe, detector = _strip_plugin(entry.get("probe")), _strip_plugin(entry.get("detector"))
            run.add(probe, detector, samples=total, passed=passed, failed=total - passed)
    if not seen_setup:
        raise ParseError("This is not a garak report: it has no `start_run setup` line.")
    if not evals:
        raise ParseError("The garak report has no `eval` lines: the run did not finish evaluating.")
    return run.finish()
