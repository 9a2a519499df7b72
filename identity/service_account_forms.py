from datetime import date, datetime, time, timedelta

from django import forms
from django.utils import timezone

from governance.limits import NOTE, BoundedCharField
from identity.models import ServiceAccount

Scope = ServiceAccount.Scope

# What each scope lets a token do, in the words the pages and the README use.
SCOPE_MEANINGS = {
    Scope.READ: (
        "Reads what an executive reads: the registry (vendors, models, data categories) and every submitted "
        "request with its rounds, sign-offs, events and records. Changes nothing."
    ),
    Scope.SUBMIT: (
        "Opens requests, changes and submits the requests it opened, as their owner; reads the registry and "
        "its own requests. Never signs off, withdraws another's request or revokes an approval."
    ),
    Scope.GATEWAY: ("Asks the runtime decision endpoint whether an application may call a model. Reads nothing else."),
}

# A token that never expires is allowed; an expiry further ahead than this is a typing mistake.
LONGEST_EXPIRY = timedelta(days=5 * 366)


def scopes_field() -> forms.MultipleChoiceField:
    return forms.MultipleChoiceField(
        choices=Scope.choices,
        widget=forms.CheckboxSelectMultiple,
        label="Scopes",
        error_messages={"required": "Choose at least one scope."},
    )


class ServiceAccountForm(forms.Form):
    name = BoundedCharField(max_length=100, label="Name", help_text="After what uses it, e.g. “CI pipeline”.")
    description = BoundedCharField(
        required=False,
        max_length=NOTE,
        widget=forms.Textarea(attrs={"rows": 3}),
        label="Description",
        help_text="What uses it, and who runs that.",
    )
    scopes = scopes_field()


class ScopesForm(forms.Form):
    scopes = scopes_field()


class TokenIssueForm(forms.Form):
    name = BoundedCharField(
        max_length=100, label="Token name", help_text="Where it will be used, e.g. “CI pipeline, production”."
    )
    expires_on = forms.DateField(
        required=False,
        label="Expires on (optional)",
        help_text="The token stops working at the end of this day. Leave empty for a token that does not expire.",
        widget=forms.DateInput(attrs={"type": "date"}),
    )

    def clean_expires_on(self):
        day = self.cleaned_data.get("expires_on")
        if day is not None and day > timezone.localdate() + LONGEST_EXPIRY:
            raise forms.ValidationError(f"Choose a day at most {LONGEST_EXPIRY.days // 366} years ahead.")
        return day

    def expires_at(self) -> datetime | None:
        """The end of the chosen day, in the site's time zone."""
        day: date | None = self.cleaned_data.get("expires_on")
        if day is None:
            return None
        return timezone.make_aware(datetime.combine(day, time.max))
