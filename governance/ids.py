"""Database ids as they arrive from outside (paths, query strings, form fields).

An id is 1 to 19 ASCII digits within the range of a 64-bit primary key. Anything else — Unicode digits
such as "²" that `str.isdigit` accepts, signs, exponents, a number SQLite cannot bind — is no id at all,
so it is refused before it reaches a query: as a 404 in a path, as a form error in a form.
"""

import re

from django import forms

MAX_ID = 2**63 - 1  # BigAutoField, on SQLite and PostgreSQL alike
_ID_RE = re.compile(r"[0-9]{1,19}")


def parse_id(value) -> int | None:
    """The id `value` names, or None when it names none."""
    if isinstance(value, int) and not isinstance(value, bool):
        return value if 1 <= value <= MAX_ID else None
    if not isinstance(value, str):
        return None
    value = value.strip()
    if not _ID_RE.fullmatch(value):
        return None
    number = int(value)
    return number if 1 <= number <= MAX_ID else None


class IdConverter:
    """`<id:pk>` in a route: like `<int:pk>`, but a number out of range does not match (404)."""

    regex = "[0-9]{1,19}"

    def to_python(self, value: str) -> int:
        number = parse_id(value)
        if number is None:
            raise ValueError("not an id")
        return number

    def to_url(self, value) -> str:
        return str(value)


class IdChoiceMixin:
    """For model choice fields keyed by id: a value that is no id is an invalid choice, not a query."""

    def to_python(self, value):
        if value in self.empty_values or hasattr(value, "_meta"):
            return super().to_python(value)
        if parse_id(value) is None:
            raise forms.ValidationError(self.error_messages["invalid_choice"], code="invalid_choice")
        return super().to_python(value)

    def _check_values(self, value):
        for each in value:
            if parse_id(each) is None:
                raise forms.ValidationError(
                    self.error_messages["invalid_choice"], code="invalid_choice", params={"value": each}
                )
        return super()._check_values(value)


class IdChoiceField(IdChoiceMixin, forms.ModelChoiceField):
    pass


class IdMultipleChoiceField(IdChoiceMixin, forms.ModelMultipleChoiceField):
    pass
