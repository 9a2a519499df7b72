from django import forms

from governance.limits import NOTE, BoundedCharField
from webhooks.models import URL_MAX_LENGTH, EventType


class EndpointForm(forms.Form):
    # Checked by the service (webhooks.addresses), which names what to change; the form only bounds it.
    url = BoundedCharField(
        max_length=URL_MAX_LENGTH,
        label="Address (URL)",
        widget=forms.TextInput(attrs={"inputmode": "url", "autocomplete": "off", "spellcheck": "false"}),
        help_text="An https:// address that accepts POST requests (http:// only on this machine).",
    )
    description = BoundedCharField(
        max_length=NOTE,
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text="What receives the deliveries, and who runs it.",
    )
    event_types = forms.MultipleChoiceField(
        choices=EventType.choices,
        widget=forms.CheckboxSelectMultiple,
        label="Events to send",
        error_messages={"required": "Choose at least one event type to send."},
    )


class DisableForm(forms.Form):
    reason = BoundedCharField(widget=forms.Textarea(attrs={"rows": 2}), max_length=NOTE, label="Why")


class ConfirmForm(forms.Form):
    """A confirmation that asks nothing but, when it is due, the password (identity.reauth)."""
