from django import template

from governance.failure_modes import FailureMode

register = template.Library()


@register.filter
def percent(value) -> str:
    """A pass rate as "95.0 %", or a dash when nothing was graded."""
    return "—" if value is None else f"{value:.1f} %"


@register.filter
def mode_label(mode: str) -> str:
    return FailureMode(mode).label if mode in FailureMode.values else mode


@register.filter
def mode_figure(candidate, mode: str):
    return candidate.mode(mode)


@register.filter
def get(mapping, key):
    return mapping.get(key) if hasattr(mapping, "get") else None
