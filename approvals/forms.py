from django import forms

from approvals.models import SignOff
from checklist.models import Answer
from governance.limits import NOTE, PROSE, BoundedCharField

CONDITION_ROWS = 4  # conditions one sign-off may set on the page (the services take up to ten)


class DecisionForm(forms.Form):
    """A decision, its comment, and, when approving with conditions, up to `CONDITION_ROWS` conditions:
    each what must be done, by whom (one of the use case's owners), by when, and whether missing the date
    suspends the approval. `condition_specs` holds the filled rows once the form is valid."""

    decision = forms.ChoiceField(widget=forms.RadioSelect)
    comment = BoundedCharField(
        max_length=PROSE,
        widget=forms.Textarea(attrs={"rows": 4}),
        required=False,
        help_text="Required for every decision but a plain approval.",
    )

    def __init__(self, *args, allow_approval: bool = True, owners=(), **kwargs):
        super().__init__(*args, **kwargs)
        choices = [(d.value, d.label) for d in SignOff.Decision if d != SignOff.Decision.PENDING]
        if not allow_approval:
            choices = [c for c in choices if c[0] not in SignOff.APPROVING]
        self.fields["decision"].choices = choices
        self.owners = {str(person.pk): person for person in owners}
        people = sorted(self.owners.items(), key=lambda item: item[1].get_full_name() or item[1].get_username())
        owner_choices = [("", "Choose its owner…"), *((pk, p.get_full_name() or p.get_username()) for pk, p in people)]
        for i in range(1, CONDITION_ROWS + 1):
            self.fields[f"condition_{i}_description"] = BoundedCharField(
                label=f"Condition {i}", max_length=NOTE, required=False, widget=forms.Textarea(attrs={"rows": 2})
            )
            self.fields[f"condition_{i}_owner"] = forms.ChoiceField(
                label=f"Owner of condition {i}", choices=owner_choices, required=False
            )
            self.fields[f"condition_{i}_due_on"] = forms.DateField(
                label=f"Due on (condition {i})", required=False, widget=forms.DateInput(attrs={"type": "date"})
            )
            self.fields[f"condition_{i}_suspend"] = forms.BooleanField(
                label=f"Suspend the approval if condition {i} is not met by then", required=False
            )
        self.condition_specs: list = []

    def condition_rows(self):
        """The rows' bound fields, for the template: (description, owner, due on, suspend) per row."""
        return [
            [self[f"condition_{i}_{name}"] for name in ("description", "owner", "due_on", "suspend")]
            for i in range(1, CONDITION_ROWS + 1)
        ]

    def clean(self):
        from approvals.conditions import ConditionSpec

        data = super().clean()
        if data.get("decision") != SignOff.Decision.APPROVE_WITH_CONDITIONS:
            return data
        for i in range(1, CONDITION_ROWS + 1):
            description = (data.get(f"condition_{i}_description") or "").strip()
            owner, due_on = data.get(f"condition_{i}_owner"), data.get(f"condition_{i}_due_on")
            if not (description or owner or due_on):
                continue
            missing = {
                f"condition_{i}_description": not description and "Describe the condition.",
                f"condition_{i}_owner": not owner and "Choose who must meet it.",
                f"condition_{i}_due_on": not due_on and "Give its due date.",
            }
            for field, message in missing.items():
                if message and field not in self.errors:
                    self.add_error(field, message)
            if description and owner and due_on:
                self.condition_specs.append(
                    ConditionSpec(description, self.owners[owner], due_on, bool(data.get(f"condition_{i}_suspend")))
                )
        return data


class AssignForm(forms.Form):
    """Who a lead gives a sign-off to: an active member of its function."""

    assignee = forms.ModelChoiceField(queryset=None, label="Give to", empty_label="Choose a member…")

    def __init__(self, *args, signoff: SignOff, **kwargs):
        from django.contrib.auth import get_user_model

        from governance.roles import FUNCTION_GROUP

        super().__init__(*args, **kwargs)
        members = get_user_model().objects.filter(groups__name=FUNCTION_GROUP[signoff.function], is_active=True)
        self.fields["assignee"].queryset = members.order_by("username")


class ClaimForm(forms.Form):
    """The evidence that a condition is met: a link, a file, or both, and a note."""

    link = forms.URLField(
        max_length=500, required=False, assume_scheme="https", help_text="Where the evidence is: a ticket, a report."
    )
    file = forms.FileField(required=False, help_text="Or a file: the evidence itself.")
    note = BoundedCharField(max_length=NOTE, required=False, widget=forms.Textarea(attrs={"rows": 2}))


class ReasonForm(forms.Form):
    reason = BoundedCharField(widget=forms.Textarea(attrs={"rows": 3}), max_length=NOTE)


class AnswerForm(forms.Form):
    response = forms.ChoiceField(choices=Answer.Response.choices)
    justification = BoundedCharField(widget=forms.Textarea(attrs={"rows": 2}), required=False, max_length=PROSE)
