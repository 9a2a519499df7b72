"""How much text each kind of field holds, enforced in the form, in model validation and in the database.

Unbounded text is a denial of service: the approval record lays every field out in a PDF, and a few
hundred thousand characters in one field held a worker for minutes. The limits are sized to real use.
"""

from django import forms
from django.core.exceptions import ValidationError
from django.core.validators import MaxLengthValidator
from django.db import models
from django.db.models.functions import Length
from django.db.models.lookups import LessThanOrEqual
from django.utils.deconstruct import deconstructible
from django.utils.functional import cached_property

# Prose people write: a purpose, descriptions, mitigations, justifications, comments, conditions.
PROSE = 10_000
# Short notes: sources, a sanctions note, checklist wording, a reason for withdrawing or revoking,
# and the errors the system records about its own work.
NOTE = 2_000
# A message of a use case's discussion: a question or an answer, not a document.
MESSAGE = 4_000
# Why an owner edits a request (one line, kept in the history).
CHANGE_REASON = 500
SEARCH = 200


def too_long_message(limit: int, length: int) -> str:
    return f"Keep this to at most {limit:,} characters (it has {length:,})."


@deconstructible
class TextLimitValidator(MaxLengthValidator):
    """MaxLengthValidator with a message that names the limit in a readable way."""

    def __call__(self, value):
        length = len(value)
        if length > self.limit_value:
            raise ValidationError(too_long_message(self.limit_value, length), code="max_length")


class BoundedCharField(forms.CharField):
    """A form field for bounded text. Browsers count a line break as one character against `maxlength`
    but send it as two (CR LF): normalising first keeps a textarea filled to the limit valid."""

    def __init__(self, *, max_length: int, **kwargs):
        super().__init__(max_length=max_length, **kwargs)
        self.validators = [v for v in self.validators if not isinstance(v, MaxLengthValidator)]
        self.validators.append(TextLimitValidator(max_length))

    def to_python(self, value):
        value = super().to_python(value)
        return value.replace("\r\n", "\n") if value else value


class LengthCheck(models.CheckConstraint):
    """The database's copy of a text limit. LENGTH counts characters, as len() does, on SQLite and
    PostgreSQL alike. `full_clean` needs no query for it: the field's validator checks the same."""

    def validate(self, *args, **kwargs):
        pass


class BoundedTextField(models.TextField):
    """A TextField whose max_length is a rule, not a hint.

    Django's TextField(max_length=...) only sizes the form widget; this one also validates it in
    `full_clean` and adds a CHECK constraint on the column's length to its model (and history model).
    """

    def __init__(self, *args, max_length: int, **kwargs):
        super().__init__(*args, max_length=max_length, **kwargs)

    @cached_property
    def validators(self):
        return [*super().validators, TextLimitValidator(self.max_length)]

    def contribute_to_class(self, cls, name, *args, **kwargs):
        super().contribute_to_class(cls, name, *args, **kwargs)
        if not cls._meta.abstract:  # each concrete model (and its history) gets its own constraint
            check = LengthCheck(
                condition=LessThanOrEqual(Length(self.name), self.max_length),
                name=f"{cls._meta.db_table}_{self.column}_length",
            )
            # A model rendered from a migration's CreateModel already lists the check in its options:
            # adding it twice would create it twice, which PostgreSQL refuses.
            if any(c.name == check.name for c in cls._meta.constraints):
                return
            cls._meta.constraints = [*cls._meta.constraints, check]
            # Migrations read a model's constraints only when its Meta declared some (history models
            # and Notification declare none).
            cls._meta.original_attrs["constraints"] = cls._meta.constraints

    def formfield(self, **kwargs):
        return super().formfield(**{"form_class": BoundedCharField, **kwargs})


def clip(text: str, limit: int) -> str:
    """Text the system writes (an e-mail body, an error): cut to the limit rather than fail the work."""
    return text if len(text) <= limit else text[: limit - 1] + "…"


def refuse_overlong(**texts: tuple[str | None, int]) -> None:
    """Refuse text over its limit, naming each field: `refuse_overlong(comment=(comment, PROSE))`.

    Services call this first, so callers that skip the forms (the API, scripts) meet the same limits.
    """
    errors = {
        name: too_long_message(limit, len(value))
        for name, (value, limit) in texts.items()
        if value and len(value) > limit
    }
    if errors:
        raise ValidationError(errors)
