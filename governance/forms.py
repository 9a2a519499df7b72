"""The request form, in the order of the article's questions, and the risk form."""

from django import forms
from django.contrib.auth import get_user_model
from django.urls import reverse_lazy

from governance.ai_act import EU_AI_ACT_GUIDANCE, EUAIActClass
from governance.failure_modes import EVIDENCES, FailureMode, TestStatus
from governance.ids import IdChoiceField, IdMultipleChoiceField, parse_id
from governance.limits import CHANGE_REASON, NOTE, PROSE, SEARCH, BoundedCharField
from governance.models import AIModel, DataCategory, Risk, UseCase
from governance.widgets import QuickSelect

# Each section of the request form, with the article's guidance as its inline help.
SECTIONS = [
    (
        "purpose",
        "What is the model for?",
        "Say what the model will do and what it must never be used for. Reviewers approve this purpose, "
        "not the model in general.",
        ["title", "department", "purpose", "approved_purpose", "prohibited_uses"],
    ),
    (
        "regulation",
        "Which EU AI Act risk class does the use fall in?",
        "The class decides the obligations that apply: a prohibited practice cannot be approved; a high-risk use "
        "brings the deployer's duties of oversight, monitoring, logs and incident reporting. Read the note beside "
        "each class; ask Legal when in doubt.",
        ["eu_ai_act_class", "annex_iii_area"],
    ),
    (
        "data",
        "What data will it process?",
        "Customer records, source code, security logs, authentication data, financial, healthcare or government "
        "information, proprietary research, incident evidence and third-party confidential data need legal, "
        "security and privacy review before any of it reaches a model.",
        ["data_categories"],
    ),
    (
        "deployment",
        "Where will inference happen?",
        "A hosted API, a private cloud and on-premises each carry different risks: data residency, logging, "
        "access control, availability, vendor lock-in. Somebody must own the production control plane.",
        ["deployment_mode", "hosting_country", "autonomy", "tool_use", "tool_use_detail"],
    ),
    (
        "model",
        "Which model, and what if it has to be replaced?",
        "Avoid depending on one provider: name a documented fallback model, or explain why there is none.",
        ["primary_model", "fallback_models", "no_fallback_reason"],
    ),
    (
        "audit",
        "Can it be audited?",
        "Enterprise AI should not be a black box in production. At minimum, define what gets logged, where logs "
        "are stored, who can access logs, how long logs are retained, how sensitive prompts are protected, how "
        "retrieval sources are tracked, how tool execution is recorded and how exceptions are approved. Do not add "
        "AI into a regulated workflow without evidence design.",
        [
            "log_contents",
            "log_location",
            "log_access",
            "log_retention_days",
            "log_prompt_protection",
            "log_retrieval_sources",
            "log_tool_execution",
            "log_exceptions",
        ],
    ),
    (
        "owners",
        "Who owns it?",
        "A business owner, a technical owner and a risk owner. None of them can sign the review.",
        ["business_owner", "technical_owner", "risk_owner"],
    ),
]


class ModelChoiceField(IdChoiceField):
    def label_from_instance(self, obj: AIModel) -> str:
        native = f" {obj.native_name}" if obj.native_name else ""
        return f"{obj.name}{native} — {obj.vendor.name} ({obj.origin_country})"


class ModelMultipleChoiceField(IdMultipleChoiceField):
    def label_from_instance(self, obj: AIModel) -> str:
        return f"{obj.name} — {obj.vendor.name} ({obj.origin_country})"


class CategoryChoiceField(IdMultipleChoiceField):
    def label_from_instance(self, obj: DataCategory) -> str:
        return f"{obj.name} ({obj.get_sensitivity_display().lower()})"


class PersonChoiceField(IdChoiceField):
    def label_from_instance(self, obj) -> str:
        return obj.get_full_name() or obj.username


class UseCaseForm(forms.ModelForm):
    primary_model = ModelChoiceField(queryset=AIModel.objects.none())
    fallback_models = ModelMultipleChoiceField(
        queryset=AIModel.objects.none(), required=False, widget=forms.CheckboxSelectMultiple
    )
    data_categories = CategoryChoiceField(
        queryset=DataCategory.objects.none(), required=False, widget=forms.CheckboxSelectMultiple
    )
    business_owner = PersonChoiceField(queryset=get_user_model().objects.none())
    technical_owner = PersonChoiceField(queryset=get_user_model().objects.none())
    risk_owner = PersonChoiceField(queryset=get_user_model().objects.none())

    class Meta:
        model = UseCase
        fields = [name for _, _, _, names in SECTIONS for name in names]
        widgets = {
            "purpose": forms.Textarea(attrs={"rows": 3}),
            "approved_purpose": forms.Textarea(attrs={"rows": 2}),
            "prohibited_uses": forms.Textarea(attrs={"rows": 2}),
            "no_fallback_reason": forms.Textarea(attrs={"rows": 2}),
            "tool_use_detail": forms.Textarea(attrs={"rows": 2}),
            "log_contents": forms.Textarea(attrs={"rows": 2}),
            "log_prompt_protection": forms.Textarea(attrs={"rows": 2}),
            "log_retrieval_sources": forms.Textarea(attrs={"rows": 2}),
            "log_tool_execution": forms.Textarea(attrs={"rows": 2}),
            "log_exceptions": forms.Textarea(attrs={"rows": 2}),
            "deployment_mode": forms.RadioSelect,
            "eu_ai_act_class": forms.RadioSelect,
            "autonomy": forms.RadioSelect,
            "hosting_country": forms.TextInput(attrs={"size": 3, "maxlength": 2, "autocomplete": "off"}),
        }
        help_texts = {
            "hosting_country": "Two-letter ISO 3166-1 code, e.g. DE, US, KR.",
            "log_contents": "Prompts, outputs, system messages, retrieval context, tool calls, administrative "
            "actions, user activity: which of them are logged.",
            "log_prompt_protection": "Prompts can carry customer records, credentials or incident evidence: how "
            "they are masked, encrypted or kept out of the logs.",
            "log_retrieval_sources": "Which documents or records each answer drew on, and how that is recorded. "
            "Write “No retrieval” if the model reads none.",
            "log_tool_execution": "Every tool or agent call, its inputs and its result, and where that is recorded. "
            "Always answered: with tools off, write “No tools” and the record says so.",
            "log_exceptions": "Who may approve a departure from this logging plan, how it is recorded, and for "
            "how long it holds.",
        }

    def __init__(self, *args, user=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["eu_ai_act_class"].choices = [
            ("", "Not yet assessed"),
            *((value, f"{label}. {EU_AI_ACT_GUIDANCE[value]}") for value, label in EUAIActClass.choices),
        ]
        self.fields["annex_iii_area"].help_text = "For a high-risk use only: the area that makes it high-risk."
        models = AIModel.objects.select_related("vendor").exclude(lifecycle=AIModel.Lifecycle.RETIRED)
        self.fields["deployment_mode"].choices = UseCase.DeploymentMode.choices  # no empty radio
        self.fields["primary_model"].queryset = models
        self.fields["fallback_models"].queryset = models
        self.fields["data_categories"].queryset = DataCategory.objects.order_by("-sensitivity", "name")
        people = get_user_model().objects.filter(is_active=True).order_by("first_name", "last_name", "username")
        for name in ("business_owner", "technical_owner", "risk_owner"):
            self.fields[name].queryset = people
            if user is not None and not self.instance.pk:
                self.fields[name].initial = user.pk
        self.fields["primary_model"].widget.attrs.update(
            {
                "hx-get": reverse_lazy("model_facts"),
                "hx-target": "#model-facts",
                "hx-trigger": "change",
                "hx-include": "#id_hosting_country",
            }
        )

    def clean_hosting_country(self):
        return self.cleaned_data["hosting_country"].strip().upper()

    def clean(self):
        cleaned = super().clean()
        primary, fallbacks = cleaned.get("primary_model"), cleaned.get("fallback_models")
        if primary and fallbacks and primary in fallbacks:
            self.add_error("fallback_models", "The primary model cannot be its own fallback.")
        if cleaned.get("eu_ai_act_class") == EUAIActClass.HIGH_RISK:
            if not cleaned.get("annex_iii_area"):
                self.add_error("annex_iii_area", "Name the area that makes the use high-risk.")
        else:
            cleaned["annex_iii_area"] = ""  # an area belongs to a high-risk use only
        if cleaned.get("tool_use") and not (cleaned.get("tool_use_detail") or "").strip():
            self.add_error("tool_use_detail", "Describe the tools or agents the model may call.")
        return cleaned

    def sections(self):
        """The form's fields grouped as the page shows them."""
        return [
            {"id": key, "title": title, "help": help_text, "fields": [self[name] for name in names]}
            for key, title, help_text, names in SECTIONS
        ]


class RiskForm(forms.ModelForm):
    class Meta:
        model = Risk
        fields = [
            "title",
            "category",
            "description",
            "inherent_likelihood",
            "inherent_impact",
            "mitigations",
            "residual_likelihood",
            "residual_impact",
        ]
        widgets = {
            "description": forms.Textarea(attrs={"rows": 2}),
            "mitigations": forms.Textarea(attrs={"rows": 2}),
            **{
                name: forms.Select(choices=[(i, str(i)) for i in range(1, 6)])
                for name in ("inherent_likelihood", "inherent_impact", "residual_likelihood", "residual_impact")
            },
        }

    def clean(self):
        cleaned = super().clean()
        values = [
            cleaned.get(f) for f in ("inherent_likelihood", "inherent_impact", "residual_likelihood", "residual_impact")
        ]
        if all(values) and values[2] * values[3] > values[0] * values[1]:
            raise forms.ValidationError("The residual score cannot be higher than the inherent score.")
        return cleaned


class OwnerField(IdChoiceField):
    """An owner among those the viewer may see: a drop-down while they are few, a user-name box when a
    portfolio has too many to list (a drop-down of thousands is neither readable nor cheap). Either way
    it accepts the owner's id, as the home page's links send it, or their user name."""

    MAX_LISTED = 200
    # Past this many visible use cases the owners are not counted at all: finding the distinct owners of a
    # large portfolio reads the whole table, and such a portfolio has too many owners to list anyway.
    MAX_PORTFOLIO_LISTED = 1000

    def __init__(self, **kwargs):
        kwargs.setdefault("widget", QuickSelect)
        super().__init__(queryset=get_user_model().objects.none(), empty_label="Any owner", **kwargs)

    def offer(self, owners, *, portfolio=None) -> None:
        """Offer `owners`, the people who own one of the use cases in `portfolio` (the viewer's)."""
        self.queryset = owners
        large = portfolio is not None and self._more_than(portfolio, self.MAX_PORTFOLIO_LISTED)
        if large or self._more_than(owners, self.MAX_LISTED):
            self.widget = forms.TextInput(attrs={"maxlength": 150, "placeholder": "User name", "autocomplete": "off"})
            self.help_text = "Type the owner's user name."

    @staticmethod
    def _more_than(queryset, bound: int) -> bool:
        return queryset.order_by()[: bound + 1].count() > bound  # stops at the bound

    def to_python(self, value):
        if isinstance(value, str) and value.strip() and parse_id(value.strip()) is None:
            name = value.strip()
            owner = self.queryset.filter(username=name).first() if len(name) <= 150 else None
            if owner is None:
                raise forms.ValidationError("No owner by that user name among the use cases you may see.")
            return owner
        return super().to_python(value)


class UseCaseFilterForm(forms.Form):
    """The use case list's search, filters and sort order. Every field is optional; bad values are errors."""

    SORTS = {
        "reference": "reference",
        "-reference": "-reference",
        "title": "title",
        "status": "status",
        "updated": "updated_at",
        "-updated": "-updated_at",
        "-risk": "-highest_residual",
        "risk": "highest_residual",
    }

    q = BoundedCharField(required=False, max_length=SEARCH, label="Search")
    status = forms.ChoiceField(
        required=False,
        choices=[("", "Any status"), (UseCase.LIVE, "Live portfolio"), *UseCase.Status.choices],
        widget=QuickSelect,
    )
    model = IdChoiceField(required=False, queryset=AIModel.objects.none(), empty_label="Any model", widget=QuickSelect)
    vendor_country = forms.RegexField(
        required=False,
        regex=r"^[A-Za-z]{2}$",
        max_length=2,
        label="Vendor country",
        error_messages={"invalid": "Use a two-letter country code."},
    )
    band = forms.ChoiceField(
        required=False,
        label="Risk band",
        choices=[("", "Any band"), ("low", "Low"), ("medium", "Medium"), ("high", "High"), ("critical", "Critical")],
        widget=QuickSelect,
    )
    owner = OwnerField(required=False)
    sort = forms.ChoiceField(required=False, choices=[(k, k) for k in SORTS], widget=forms.HiddenInput)

    def __init__(self, *args, user=None, **kwargs):
        from governance.selectors import owner_choices_for, use_cases_visible_to

        super().__init__(*args, **kwargs)
        self.fields["model"].queryset = AIModel.objects.select_related("vendor").order_by("name")
        # Only people the viewer may see: the filter must not list the directory.
        if user is None:
            self.fields["owner"].offer(get_user_model().objects.none())
        else:
            self.fields["owner"].offer(owner_choices_for(user), portfolio=use_cases_visible_to(user))


class FailureModesForm(forms.Form):
    """All ten failure modes of question 4 on one form: for each, a status and either how it was tested
    and what was found, or why not. A mode left without a status stays unanswered."""

    FIELDS = ("status", "method", "result", "reason")

    def __init__(self, *args, tests=(), **kwargs):
        super().__init__(*args, **kwargs)
        current = {t.mode: t for t in tests}
        for mode, label in FailureMode.choices:
            test = current.get(mode)
            self.fields[f"{mode}-status"] = forms.ChoiceField(
                label=label,
                required=False,
                choices=[("", "Not answered yet"), *TestStatus.choices],
                initial=test.status if test else "",
            )
            for name, limit, rows, text in (
                ("method", PROSE, 2, "How it was tested (dataset or harness, sample size)"),
                ("result", PROSE, 2, "What was found"),
                ("reason", NOTE, 1, "Why not tested, or why it does not apply"),
            ):
                self.fields[f"{mode}-{name}"] = BoundedCharField(
                    label=text,
                    max_length=limit,
                    required=False,
                    initial=getattr(test, name) if test else "",
                    widget=forms.Textarea(attrs={"rows": rows}),
                )
        self.fields["change_reason"] = BoundedCharField(
            label="Why you are changing these (kept in the history)", max_length=CHANGE_REASON, required=False
        )

    def clean(self):
        cleaned = super().clean()
        for mode in FailureMode.values:
            status = cleaned.get(f"{mode}-status")
            if status == TestStatus.TESTED:
                if not cleaned.get(f"{mode}-method"):
                    self.add_error(
                        f"{mode}-method", "Say how it was tested: the dataset or harness, and the sample size."
                    )
                if not cleaned.get(f"{mode}-result"):
                    self.add_error(f"{mode}-result", "Say what the tests found.")
            elif status and not cleaned.get(f"{mode}-reason"):
                self.add_error(f"{mode}-reason", "Say why it was not tested, or why it does not apply.")
        if not any(cleaned.get(f"{mode}-status") for mode in FailureMode.values):
            raise forms.ValidationError("Nothing to save: give at least one failure mode a status.")
        return cleaned

    def answers(self) -> dict[str, dict[str, str]]:
        """The answered modes, as `failure_modes_save` takes them."""
        return {
            mode: {name: self.cleaned_data.get(f"{mode}-{name}", "") for name in self.FIELDS}
            for mode in FailureMode.values
            if self.cleaned_data.get(f"{mode}-status")
        }

    def modes(self):
        """The form's fields grouped by mode, in the article's order, with the item each one backs."""
        return [
            {
                "mode": mode,
                "label": label,
                "evidences": EVIDENCES[mode],
                **{name: self[f"{mode}-{name}"] for name in self.FIELDS},
            }
            for mode, label in FailureMode.choices
        ]
