"""Question 4's answers as the review reads them: frozen into a round's snapshot, and grouped under the
security-testing checklist item each one backs."""

from typing import Any

from governance.failure_modes import EVIDENCES, FailureMode, TestStatus
from governance.models import FailureModeTest, UseCase

_ORDER = {mode: position for position, mode in enumerate(FailureMode.values)}


def failure_modes_snapshot(use_case: UseCase) -> list[dict[str, Any]]:
    """The use case's failure-mode answers as plain JSON, in the article's order (one query)."""
    tests = sorted(FailureModeTest.objects.filter(use_case=use_case), key=lambda t: _ORDER.get(t.mode, len(_ORDER)))
    return [
        {
            "mode": t.mode,
            "label": t.get_mode_display(),
            "status": t.status,
            "method": t.method,
            "result": t.result,
            "reason": t.reason,
            "evidences": EVIDENCES.get(t.mode, ""),
        }
        for t in tests
    ]


def status_label(status: Any) -> str:
    return str(dict(TestStatus.choices).get(status, status or ""))


def entries_for_display(entries: list[dict[str, Any]] | None) -> list[dict[str, Any]]:
    """Snapshot entries (or live ones) with the status in words, for pages and the record."""
    return [{**e, "status_label": status_label(e.get("status"))} for e in entries or [] if isinstance(e, dict)]


def attach_to_checklist(rows: list[dict], entries: list[dict[str, Any]] | None) -> list[dict]:
    """Give each checklist row (as `checklist_rows` builds them) the failure-mode answers that back its
    item, under "failure_modes": an empty list for items no mode backs."""
    by_code: dict[str, list[dict[str, Any]]] = {}
    for entry in entries_for_display(entries):
        by_code.setdefault(entry.get("evidences", ""), []).append(entry)
    for row in rows:
        row["failure_modes"] = by_code.get(row["item"].code, [])
    return rows
