"""The evaluation evidence as a review round freezes it: what reviewers sign and the record prints."""

from typing import Any

from evaluations.selectors import evidence_summary
from governance.models import UseCase


def _rate(value) -> float | None:
    return None if value is None else round(value, 2)


def evidence_snapshot(use_case: UseCase) -> dict[str, Any]:
    """The comparison of the candidate models, the thresholds the use case was held to and what it was
    flagged for, as plain JSON (a fixed number of queries)."""
    summary = evidence_summary(use_case)
    return {
        "files": len(summary.runs),
        "sensitivity": summary.sensitivity_label,
        "thresholds": [
            {
                "mode": mode,
                "min_pass_rate": str(threshold.min_pass_rate.normalize()),
                "sensitivity": threshold.sensitivity_label,
            }
            for mode, threshold in summary.thresholds.items()
        ],
        "flags": summary.flags,
        "candidates": [
            {
                "label": c.label,
                "role": c.role,
                "runs": [
                    {
                        "name": r.name,
                        "sha256": r.sha256,
                        "harness": r.get_harness_display(),
                        "harness_version": r.harness_version,
                        "model": r.model_reported,
                        "run_at": r.run_at.isoformat() if r.run_at else None,
                        "samples": r.samples,
                        "passed": r.passed,
                        "failed": r.failed,
                    }
                    for r in c.runs
                ],
                "modes": [
                    {
                        "mode": f.mode,
                        "label": f.label,
                        "passed": f.passed,
                        "failed": f.failed,
                        "pass_rate": _rate(f.pass_rate),
                        "min_pass_rate": str(f.threshold.min_pass_rate.normalize()) if f.threshold else None,
                        "missed": f.missed,
                    }
                    for f in c.modes.values()
                ],
                "latency_p50_ms": _rate(c.latency_p50_ms),
                "latency_p95_ms": _rate(c.latency_p95_ms),
                "cost_per_thousand": str(c.cost_per_thousand) if c.cost_per_thousand is not None else None,
                "currency": c.price.currency if c.price else None,
                "price_checked_on": c.price.checked_on.isoformat() if c.price and c.price.checked_on else None,
                "unmapped_tests": len(c.unmapped),
            }
            for c in summary.candidates
        ],
    }
