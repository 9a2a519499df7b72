from django import template

from approvals.diff import CHOICE_LABELS
from approvals.models import SignOff
from governance.roles import Function

register = template.Library()


@register.filter
def decision_label(value: str) -> str:
    """A sign-off decision as people read it ("Approve with conditions"), from its stored value."""
    return str(dict(SignOff.Decision.choices).get(value, value))


@register.filter
def function_label(value: str) -> str:
    return str(dict(Function.choices).get(value, value))


@register.filter
def snapshot_label(value, path: str):
    """A choice stored in a snapshot, by its label; `path` is its place in the snapshot, dotted:
    `{{ snapshot.use_case.autonomy|snapshot_label:"use_case.autonomy" }}`."""
    labels = CHOICE_LABELS.get(tuple(path.split(".")), {})
    return str(labels.get(value, value))
