from django import template

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
