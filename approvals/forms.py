from django import forms

from approvals.models import SignOff
from checklist.models import Answer
from governance.limits import NOTE, PROSE, BoundedCharField


class DecisionForm(forms.Form):
    decision = forms.ChoiceField(widget=forms.RadioSelect)
    conditions = BoundedCharField(
        max_length=PROSE,
        widget=forms.Textarea(attrs={"rows": 3}),
        required=False,
        help_text="Required when approving with conditions: what must hold for the approval to stand.",
    )
    comment = BoundedCharField(
        max_length=PROSE,
        widget=forms.Textarea(attrs={"rows": 4}),
        required=False,
        help_text="Required for every decision but a plain approval.",
    )

    def __init__(self, *args, allow_approval: bool = True, **kwargs):
        super().__init__(*args, **kwargs)
        choices = [(d.value, d.label) for d in SignOff.Decision if d != SignOff.Decision.PENDING]
        if not allow_approval:
            choices = [c for c in choices if c[0] not in SignOff.APPROVING]
        self.fields["decision"].choices = choices


class AssignForm(forms.Form):
    """Who a lead gives a sign-off to: an active member of its function."""

    assignee = forms.ModelChoiceField(queryset=None, label="Give to", empty_label="Choose a member…")

    def __init__(self, *args, signoff: SignOff, **kwargs):
        from django.contrib.auth import get_user_model

        from governance.roles import FUNCTION_GROUP

        super().__init__(*args, **kwargs)
        members = get_user_model().objects.filter(groups__name=FUNCTION_GROUP[signoff.function], is_active=True)
        self.fields["assignee"].queryset = members.order_by("username")


class ReasonForm(forms.Form):
    reason = BoundedCharField(widget=forms.Textarea(attrs={"rows": 3}), max_length=NOTE)


class AnswerForm(forms.Form):
    response = forms.ChoiceField(choices=Answer.Response.choices)
    justification = BoundedCharField(widget=forms.Textarea(attrs={"rows": 2}), required=False, max_length=PROSE)
