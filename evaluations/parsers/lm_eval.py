"""lm-evaluation-harness results (`lm_eval --output_path …`: results_<date>.json): per task its metrics as
"<metric>,<filter>" and its sample count under `n-samples`.

lm-eval writes no per-sample outcome in this file, only metrics. An accuracy-like metric (exact_match, acc,
acc_norm, pass@1, mc1) is the share of samples scored correct, so passed = metric × samples, exact up to
rounding; a task with none of them is kept with its score and counted as neither passed nor failed."""

from __future__ import annotations

import json

from evaluations.models import Harness
from evaluations.parsers.base import ParsedRun, ParseError, count, number, text, timestamp

# A results file is a few kilobytes per task; the samples go to other files.
MAX_BYTES = 32 * 1024 * 1024
ACCURACY_METRICS = ("exact_match", "acc", "acc_norm", "pass@1", "pass_at_1", "mc1")


def _model(data: dict) -> str:
    config = data.get("config") if isinstance(data.get("config"), dict) else {}
    args = config.get("model_args")
    if isinstance(args, str):
        args = dict(part.split("=", 1) for part in args.split(",") if "=" in part)
    if isinstance(args, dict):
        for key in ("pretrained", "model", "model_name", "engine"):
            if args.get(key):
                return text(args[key])
    return text(data.get("model_name")) or text(config.get("model"))


def parse(handle) -> ParsedRun:
    raw = handle.read(MAX_BYTES + 1)
    if len(raw) > MAX_BYTES:
        raise ParseError("An lm-eval results file this large is not one: it holds only metrics per task.")
    try:
        data = json.loads(raw)
    except (ValueError, UnicodeDecodeError, RecursionError):
        raise ParseError("The lm-eval results file is not valid JSON, or is truncated.") from None
    if not isinstance(data, dict) or not isinstance(data.get("results"), dict):
        raise ParseError("This is not an lm-eval results file: it has no `results`.")
    config = data.get("config") if isinstance(data.get("config"), dict) else {}
    run = ParsedRun(harness=Harness.LM_EVAL)
    run.harness_version = text(data.get("lm_eval_version"))
    run.model = _model(data)
    run.provider = text(config.get("model"))
    run.run_at = timestamp(data.get("date"))
    run.title = text(", ".join(sorted(data["results"]))[:300])
    sizes = data.get("n-samples") if isinstance(data.get("n-samples"), dict) else {}
    for task, metrics in data["results"].items():
        if not isinstance(metrics, dict):
            continue
        size = sizes.get(task) if isinstance(sizes.get(task), dict) else {}
        samples = count(size.get("effective", size.get("original", metrics.get("sample_len"))))
        found = {key.split(",", 1)[0]: number(value) for key, value in metrics.items() if "," in str(key)}
        metric = next((m for m in ACCURACY_METRICS if found.get(m) is not None), None)
        if metric is None:
            score_name = next((k for k, v in found.items() if v is not None and not k.endswith("_stderr")), "")
            run.add(task, score_name, samples=samples, passed=0, failed=0, score=found.get(score_name))
            continue
        share = min(max(found[metric], 0.0), 1.0)
        passed = round(share * samples)
        run.add(task, metric, samples=samples, passed=passed, failed=samples - passed, score=share)
        run.samples += samples
        run.passed += passed
        run.failed += samples - passed
    return run.finish()
