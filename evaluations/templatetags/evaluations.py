from django import template

from governance.failure_modes import EVIDENCES, FailureMode

register = template.Library()


@register.filter
def percent(value) -> str:
    """A pass rate as "95.0 %", or a dash when nothing was graded."""
    return "—" if value is None else f"{value:.1f} %"


@register.filter
def mode_label(mode: str) -> str:
    return FailureMode(mode).label if mode in FailureMode.values else mode


@register.filter
def mode_item(mode: str) -> str:
    """The security-testing checklist item a failure mode's evidence backs."""
    return EVIDENCES.get(mode, "")


@register.filter
def mode_figure(candidate, mode: str):
    return candidate.mode(mode)


@register.filter
def get(mapping, key):
    return mapping.get(key) if hasattr(mapping, "get") else None


@register.filter
def evaluation_rows(evaluations: dict) -> list[dict]:
    """A frozen comparison's failure-mode rows: per mode (in the article's order), each candidate's cell."""
    candidates = evaluations.get("candidates") or []
    by_candidate = [{m["mode"]: m for m in c.get("modes", [])} for c in candidates]
    measured = {mode for modes in by_candidate for mode in modes}
    rows = []
    for mode in [m for m in FailureMode.values if m in measured]:
        cells = [modes.get(mode, {}) for modes in by_candidate]
        threshold = next((cell.get("min_pass_rate") for cell in cells if cell.get("min_pass_rate")), None)
        rows.append({"label": mode_label(mode), "min_pass_rate": threshold, "cells": cells})
    return rows
