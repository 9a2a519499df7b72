from django import forms

from governance.limits import NOTE, SEARCH, BoundedCharField
from governance.roles import Role
from governance.widgets import QuickSelect


class ReasonForm(forms.Form):
    reason = BoundedCharField(widget=forms.Textarea(attrs={"rows": 2}), max_length=NOTE, label="Why")


class RoleChangeForm(ReasonForm):
    """Grant or revoke one role: the role travels in a hidden field of the form drawn in its row."""

    role = forms.ChoiceField(choices=Role.choices, widget=forms.HiddenInput)


class PeopleFilterForm(forms.Form):
    STATUSES = {"active": True, "inactive": False}

    q = BoundedCharField(required=False, max_length=SEARCH, label="Search")
    role = forms.ChoiceField(
        required=False, choices=[("", "Any role"), ("none", "No role"), *Role.choices], widget=QuickSelect
    )
    status = forms.ChoiceField(
        required=False,
        choices=[("", "Active or not"), ("active", "Active"), ("inactive", "Deactivated")],
        widget=QuickSelect,
    )
