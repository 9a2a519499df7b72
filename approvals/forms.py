from django import forms

from approvals.models import SignOff
from checklist.models import Answer


class DecisionForm(forms.Form):
    decision = forms.ChoiceField(widget=forms.RadioSelect)
    conditions = forms.CharField(
        widget=forms.Textarea(attrs={"rows": 3}),
        required=False,
        help_text="Required when approving with conditions: what must hold for the approval to stand.",
    )
    comment = forms.CharField(
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


class ReasonForm(forms.Form):
    reason = forms.CharField(widget=forms.Textarea(attrs={"rows": 3}), max_length=2000)


class AnswerForm(forms.Form):
    response = forms.ChoiceField(choices=Answer.Response.choices)
    justification = forms.CharField(widget=forms.Textarea(attrs={"rows": 2}), required=False, max_length=5000)
