from django import forms

from approvals.models import SignOff
from checklist.models import Answer
from governance.forms import vendor_country_field
from governance.ids import IdChoiceField, parse_id
from governance.limits import NOTE, PROSE, SEARCH, BoundedCharField
from governance.models import DataCategory
from governance.roles import FUNCTION_GROUP, Function
from governance.scoring import Band
from governance.widgets import QuickSelect

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


class ReasonAndPasswordForm(ReasonForm):
    """A reason, and the person's password again: for a grave action long after they last gave it."""

    password = forms.CharField(
        strip=False,
        max_length=1024,
        widget=forms.PasswordInput(attrs={"autocomplete": "current-password"}),
        error_messages={"required": "Enter your password to confirm."},
    )


class AnswerForm(forms.Form):
    response = forms.ChoiceField(choices=Answer.Response.choices)
    justification = BoundedCharField(widget=forms.Textarea(attrs={"rows": 2}), required=False, max_length=PROSE)


# --- The review queue ------------------------------------------------------------------------------

QUEUE_PAGE_SIZES = (25, 50, 100)
_NOT_A_MEMBER = "Choose a member of a function you lead."
BULK_ASSIGN_MAX = max(QUEUE_PAGE_SIZES)  # one page's rows at most


class QueueFilterForm(forms.Form):
    """The review queue's search, filters, order and page size. Every field is optional; a bad value is
    an error on its field and that filter is left out."""

    q = BoundedCharField(
        required=False,
        max_length=SEARCH,
        label="Search",
        help_text="Reference, title, model or vendor.",
        widget=forms.TextInput(attrs={"type": "search"}),
    )
    function = forms.ChoiceField(required=False, label="Function", widget=QuickSelect)
    assigned = forms.ChoiceField(
        required=False,
        label="Assigned to",
        choices=[("", "Anyone or nobody"), ("me", "Me"), ("unassigned", "Nobody yet")],
        widget=QuickSelect,
    )
    overdue = forms.BooleanField(required=False, label="Overdue only")
    sensitivity = forms.TypedChoiceField(
        required=False,
        label="Most sensitive data",
        choices=[("", "Any"), *DataCategory.Sensitivity.choices],
        coerce=int,
        empty_value=None,
        widget=QuickSelect,
    )
    band = forms.ChoiceField(
        required=False, label="Residual risk band", choices=[("", "Any band"), *Band.choices], widget=QuickSelect
    )
    vendor_country = vendor_country_field(widget=forms.TextInput(attrs={"size": 3}))
    sort = forms.ChoiceField(
        required=False,
        label="Order",
        choices=[("waiting", "Longest waiting first"), ("risk", "Highest residual risk first")],
        widget=QuickSelect,
    )
    per_page = forms.TypedChoiceField(
        required=False,
        label="Rows per page",
        choices=[(n, str(n)) for n in QUEUE_PAGE_SIZES],
        coerce=int,
        empty_value=QUEUE_PAGE_SIZES[0],
        widget=QuickSelect,
    )

    def __init__(self, *args, functions: list[str] = (), sla_days: int | None = None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["function"].choices = [("", "All my functions"), *((f, Function(f).label) for f in functions)]
        if sla_days is not None:
            self.fields["overdue"].help_text = f"Waiting more than {sla_days} day{'s' if sla_days != 1 else ''}."

    def filters(self) -> dict:
        """The valid filters (those with an error are left out) as `review_queue` takes them."""
        if not self.is_bound:
            return {}
        self.is_valid()
        return {name: value for name, value in self.cleaned_data.items() if name != "per_page"}

    def page_size(self) -> int:
        if not self.is_bound:
            return QUEUE_PAGE_SIZES[0]
        self.is_valid()
        return self.cleaned_data.get("per_page") or QUEUE_PAGE_SIZES[0]


class IdListField(forms.Field):
    """Several ids from one repeated key (checkboxes): each 1 to 19 digits, at most `max_count` of them."""

    widget = forms.MultipleHiddenInput
    default_error_messages = {
        "required": "Select at least one sign-off.",
        "invalid": "The selection is not valid: reload the page and select again.",
        "too_many": "Select at most %(max)s sign-offs at a time.",
    }

    def __init__(self, *, max_count: int, **kwargs):
        self.max_count = max_count
        super().__init__(**kwargs)

    def to_python(self, value) -> list[int]:
        if value in self.empty_values:
            return []
        if not isinstance(value, list | tuple):
            value = [value]
        ids = [parse_id(each) for each in value]
        if None in ids:
            raise forms.ValidationError(self.error_messages["invalid"], code="invalid")
        unique = list(dict.fromkeys(ids))
        if len(unique) > self.max_count:
            raise forms.ValidationError(
                self.error_messages["too_many"], code="too_many", params={"max": self.max_count}
            )
        return unique


class MemberChoiceField(IdChoiceField):
    def label_from_instance(self, obj) -> str:
        return obj.get_full_name() or obj.get_username()


class BulkAssignForm(forms.Form):
    """A lead gives the selected pending sign-offs (of the functions they lead) to one member."""

    signoffs = IdListField(max_count=BULK_ASSIGN_MAX, label="Sign-offs")
    assignee = MemberChoiceField(
        queryset=None,
        label="Assign selected to",
        empty_label="Choose a member…",
        error_messages={"required": "Choose who gets the selected sign-offs.", "invalid_choice": _NOT_A_MEMBER},
    )

    def __init__(self, *args, functions: list[str] = (), **kwargs):
        from django.contrib.auth import get_user_model

        super().__init__(*args, **kwargs)
        groups = [FUNCTION_GROUP[f] for f in functions if f in FUNCTION_GROUP]
        members = get_user_model().objects.filter(groups__name__in=groups, is_active=True).distinct()
        self.fields["assignee"].queryset = members.order_by("first_name", "last_name", "username")

    def message(self) -> str:
        """The form's errors as one sentence for the page's messages."""
        return " ".join(error for errors in self.errors.values() for error in errors)


class LeadForm(forms.Form):
    """A governance admin makes someone a lead of their functions, or no longer one."""

    member = IdChoiceField(queryset=None, label="Member")
    lead = forms.ChoiceField(choices=[("on", "Lead"), ("off", "Not a lead")], label="Lead")

    def __init__(self, *args, **kwargs):
        from django.contrib.auth import get_user_model

        super().__init__(*args, **kwargs)
        self.fields["member"].queryset = get_user_model().objects.filter(is_active=True)
