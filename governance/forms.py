"""The request form, in the order of the article's questions, and the risk form."""

from django import forms
from django.contrib.auth import get_user_model
from django.db.models import Count, Q
from django.urls import reverse_lazy

from governance.ai_act import EU_AI_ACT_GUIDANCE, AnnexIIIArea, EUAIActClass
from governance.failure_modes import EVIDENCES, FailureMode, TestStatus
from governance.ids import IdChoiceField, IdMultipleChoiceField, parse_id
from governance.limits import CHANGE_REASON, NOTE, PROSE, SEARCH, BoundedCharField
from governance.models import AIModel, DataCategory, Risk, UseCase
from governance.widgets import FilterableCheckboxes, FilterableSelect, QuickSelect

# The request form in the article's six questions ("How Enterprises Should Evaluate Eastern AI Models"),
# one step each: key, the question, a short name for the progress line, the article's guidance, the fields.
# The purpose and its owners open step 1: they say what the data is processed for, and by whom.
STEPS = [
    (
        "data",
        "What is it for, who owns it, and what data will it process?",
        "What data",
        "Say what the model will do and what it must never be used for: reviewers approve this purpose, not the "
        "model in general. Customer records, source code, security logs, authentication data, financial, "
        "healthcare or government information, proprietary research, incident evidence and third-party "
        "confidential data need legal, security and privacy review before any of it reaches a model.",
        [
            "title",
            "department",
            "purpose",
            "approved_purpose",
            "prohibited_uses",
            "business_owner",
            "technical_owner",
            "risk_owner",
            "owners_shared_reason",
            "data_categories",
        ],
    ),
    (
        "deployment",
        "Where will inference happen?",
        "Where inference happens",
        "A hosted API, a private cloud and on-premises each carry different risks: data residency, logging, "
        "access control, availability, vendor lock-in. Somebody must own the production control plane.",
        ["deployment_mode", "hosting_country"],
    ),
    (
        "audit",
        "Can it be audited?",
        "Auditability",
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
        "failure",
        "What are the model's failure modes, and what can a failure do?",
        "Failure modes",
        "A failure costs more the more the model acts on its own: autonomous decisions and tools or agents are "
        "among the weakest use cases. Once the request is open, record how each of the ten failure modes was "
        "tested (hallucination, prompt injection, data leakage…) and score its risks in the risk register.",
        ["autonomy", "tool_use", "tool_use_detail"],
    ),
    (
        "vendor",
        "What is the vendor and jurisdiction risk?",
        "Vendor and jurisdiction",
        "The model brings its vendor, the vendor's country, its sanctions and export status and its licence; the "
        "EU AI Act class of the use decides the obligations that apply (a prohibited practice cannot be approved; "
        "a high-risk use brings the deployer's duties of oversight, monitoring, logs and incident reporting). "
        "Ask Legal when in doubt.",
        ["primary_model", "eu_ai_act_class", "annex_iii_area"],
    ),
    (
        "replace",
        "Can the model be replaced?",
        "Replaceability",
        "Avoid depending on one provider: name a documented fallback model, or explain why there is none.",
        ["fallback_models", "no_fallback_reason"],
    ),
]

OWNER_FIELDS = ("business_owner", "technical_owner", "risk_owner")
SHARED_OWNER_REASON = (
    "One person holds two owner roles: say why (for example a team of two), or choose different people."
)


def model_label(model: AIModel) -> str:
    """A model as the picker lists it: what a reviewer asks about first, so the owner sees it while choosing.
    `model.approved_uses` comes from `models_for_picker`."""
    native = f" {model.native_name}" if model.native_name else ""
    vendor = model.vendor
    licence = model.licence_name or "licence not recorded"
    uses = model.approved_uses
    return (
        f"{model.name}{native} — {vendor.name} ({vendor.hq_country}) · sanctions: "
        f"{vendor.get_sanctions_status_display().lower()} · {licence} · "
        f"already approved for {uses} use{'' if uses == 1 else 's'}"
    )


def models_for_picker():
    """The models an owner may choose, each with the number of approved use cases that run it as their primary
    model: one query for the whole list (a count per model would be a query per option)."""
    approved = Count("use_cases", filter=Q(use_cases__status__in=UseCase.APPROVED_STATUSES))
    return (
        AIModel.objects.select_related("vendor")
        .exclude(lifecycle=AIModel.Lifecycle.RETIRED)
        .annotate(approved_uses=approved)
        .order_by("name", "pk")
    )


class ModelChoiceField(IdChoiceField):
    def label_from_instance(self, obj: AIModel) -> str:
        return model_label(obj)


class ModelMultipleChoiceField(IdMultipleChoiceField):
    def label_from_instance(self, obj: AIModel) -> str:
        return model_label(obj)


class CategoryChoiceField(IdMultipleChoiceField):
    def label_from_instance(self, obj: DataCategory) -> str:
        return f"{obj.name} ({obj.get_sensitivity_display().lower()})"


class PersonChoiceField(IdChoiceField):
    def label_from_instance(self, obj) -> str:
        return obj.get_full_name() or obj.username


class UseCaseForm(forms.ModelForm):
    primary_model = ModelChoiceField(
        queryset=AIModel.objects.none(), empty_label="Choose a model", widget=FilterableSelect
    )
    fallback_models = ModelMultipleChoiceField(
        queryset=AIModel.objects.none(), required=False, widget=FilterableCheckboxes
    )
    data_categories = CategoryChoiceField(
        queryset=DataCategory.objects.none(), required=False, widget=forms.CheckboxSelectMultiple
    )
    business_owner = PersonChoiceField(
        queryset=get_user_model().objects.none(), empty_label="Choose the business owner"
    )
    technical_owner = PersonChoiceField(
        queryset=get_user_model().objects.none(), empty_label="Choose the technical owner"
    )
    risk_owner = PersonChoiceField(queryset=get_user_model().objects.none(), empty_label="Choose the risk owner")

    class Meta:
        model = UseCase
        fields = [name for _, _, _, _, names in STEPS for name in names]
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
            "owners_shared_reason": forms.Textarea(attrs={"rows": 2}),
            "deployment_mode": forms.RadioSelect,
            "eu_ai_act_class": forms.RadioSelect,
            "autonomy": forms.RadioSelect,
            "hosting_country": forms.TextInput(attrs={"size": 3, "maxlength": 2, "autocomplete": "off"}),
        }
        help_texts = {
            "hosting_country": "Two-letter ISO 3166-1 code, e.g. DE, US, KR.",
            "owners_shared_reason": "Only when one person holds two of the three roles. Three people keep each "
            "other honest; where that is not possible, say why.",
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
        self.fields["annex_iii_area"].choices = [("", "Choose the area (high-risk uses only)"), *AnnexIIIArea.choices]
        models = models_for_picker()
        self.fields["deployment_mode"].choices = UseCase.DeploymentMode.choices  # no empty radio
        self.fields["primary_model"].queryset = models
        self.fields["fallback_models"].queryset = models
        self.fields["data_categories"].queryset = DataCategory.objects.order_by("-sensitivity", "name")
        # Owners are people: a service account (a machine's own account) answers for nothing.
        people = (
            get_user_model()
            .objects.filter(is_active=True, service_account__isnull=True)
            .order_by("first_name", "last_name", "username")
        )
        for name in OWNER_FIELDS:
            self.fields[name].queryset = people
        # The requester is the business owner unless they say otherwise; the technical and risk owners are
        # chosen, never defaulted to the same person.
        if user is not None and not self.instance.pk:
            self.fields["business_owner"].initial = user.pk
        for field in self.fields.values():
            if field.required and not isinstance(field.widget, forms.RadioSelect):
                field.widget.attrs["aria-required"] = "true"
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
        if not self.shared_owners(cleaned):
            cleaned["owners_shared_reason"] = ""  # a reason belongs to shared roles only
        elif "owners_shared_reason" not in self.errors and not (cleaned.get("owners_shared_reason") or "").strip():
            self.add_error("owners_shared_reason", SHARED_OWNER_REASON)
        return cleaned

    @staticmethod
    def shared_owners(values) -> bool:
        """Whether one person is named for two (or three) of the owner roles."""
        chosen = [values.get(name) for name in OWNER_FIELDS if values.get(name)]
        return len(chosen) != len(set(chosen))

    def owners_are_shared(self) -> bool:
        """Whether the owners as the page shows them (posted, or as saved) name one person twice."""
        return self.shared_owners({name: str(self[name].value() or "") for name in OWNER_FIELDS})

    def steps(self):
        """The form's fields in the article's six questions, as the page shows them. The first step with an
        error is the one the page opens on."""
        steps = []
        for number, (key, title, short, help_text, names) in enumerate(STEPS, start=1):
            fields = [self[name] for name in names]
            steps.append(
                {
                    "id": key,
                    "number": number,
                    "total": len(STEPS),
                    "title": title,
                    "short": short,
                    "help": help_text,
                    "fields": fields,
                    "errors": any(field.errors for field in fields),
                }
            )
        first_error = next((step for step in steps if step["errors"]), None)
        for step, following in zip(steps, [*steps[1:], None], strict=True):
            step["next"] = following["short"] if following else ""
            step["current"] = step is first_error
        return steps


# What each level of the 5 × 5 scale means, in words an owner can score against. Shown beside the fields.
LIKELIHOOD_LEVELS = [
    (1, "Rare", "Not expected while the use case runs: less than once in five years."),
    (2, "Unlikely", "Could happen but is not expected: once in two to five years."),
    (3, "Possible", "Might well happen: about once a year."),
    (4, "Likely", "Will probably happen: several times a year."),
    (5, "Almost certain", "Expected: every month or more often, or already seen in testing."),
]
IMPACT_LEVELS = [
    (1, "Negligible", "A moment's inconvenience: no data leaves, no decision or customer is affected."),
    (
        2,
        "Minor",
        "A wrong output caught by the person reviewing it, or internal data seen by colleagues who "
        "should not see it, contained the same day.",
    ),
    (
        3,
        "Moderate",
        "A wrong decision or answer reaches a customer or an operation, or confidential data is "
        "exposed inside the company: internal incident, rework, a complaint.",
    ),
    (
        4,
        "Major",
        "Customer, regulated or security data exposed, or a harmful action taken: regulators or "
        "customers must be told, significant cost or outage.",
    ),
    (
        5,
        "Severe",
        "Physical harm, a sanctions or export breach, a mass breach of personal data, or a finding "
        "that stops the business line.",
    ),
]
SCORE_FIELDS = ("inherent_likelihood", "inherent_impact", "residual_likelihood", "residual_impact")

# The article's failure modes (question 4) as risks an owner adds in one click: the title, category and
# description are filled in, the scores are left to the owner.
RISK_SUGGESTIONS: dict[str, tuple[str, str, str]] = {
    FailureMode.HALLUCINATION: (
        "The model states false facts with confidence",
        Risk.Category.QUALITY,
        "Hallucinated facts, citations or figures are taken as true by the people who read the output.",
    ),
    FailureMode.UNSAFE_RECOMMENDATIONS: (
        "The model recommends an unsafe action",
        Risk.Category.QUALITY,
        "An unsafe recommendation (a configuration, a containment step, an instruction) is followed.",
    ),
    FailureMode.POOR_REFUSAL: (
        "The model answers what it should refuse, or refuses what it should answer",
        Risk.Category.QUALITY,
        "Poor refusal behaviour: harmful requests are answered, or legitimate work is blocked.",
    ),
    FailureMode.PROMPT_INJECTION: (
        "Prompt injection takes over the model",
        Risk.Category.SECURITY,
        "Instructions hidden in documents, tickets, web pages or tool results change what the model does.",
    ),
    FailureMode.MULTILINGUAL: (
        "Weak accuracy in the languages the users work in",
        Risk.Category.QUALITY,
        "The model performs well in English but misreads local language, terminology or regulatory wording.",
    ),
    FailureMode.INCORRECT_CODE: (
        "Generated code is wrong or insecure",
        Risk.Category.QUALITY,
        "Code suggestions introduce bugs or vulnerabilities that pass review.",
    ),
    FailureMode.BIASED_OR_CENSORED: (
        "Biased or censored responses",
        Risk.Category.LEGAL,
        "Answers are biased against groups of people, or topics are silently censored by the model's origin.",
    ),
    FailureMode.INCONSISTENT_REASONING: (
        "Inconsistent reasoning on the same question",
        Risk.Category.QUALITY,
        "The same input gets different conclusions, so decisions cannot be explained or repeated.",
    ),
    FailureMode.DATA_LEAKAGE: (
        "Sensitive data leaks through prompts or retrieval",
        Risk.Category.DATA,
        "Confidential or personal data in prompts, logs or retrieved documents reaches people or a vendor "
        "that should not see it.",
    ),
    FailureMode.OVERCONFIDENCE: (
        "Overconfident answers in a high-risk workflow",
        Risk.Category.OPERATIONAL,
        "The model gives no sign of doubt, so people act on its answer without checking it.",
    ),
}


def risk_suggestions(recorded_titles=()) -> list[dict]:
    """The failure-mode risks to offer, in the article's order, each marked when a risk of that title exists."""
    recorded = {title.casefold() for title in recorded_titles}
    return [
        {
            "mode": mode,
            "label": label,
            "title": RISK_SUGGESTIONS[mode][0],
            "recorded": RISK_SUGGESTIONS[mode][0].casefold() in recorded,
        }
        for mode, label in FailureMode.choices
    ]


def risk_suggestion_initial(mode: str) -> dict | None:
    """The risk form's starting values for a suggestion (no scores), or None for an unknown one."""
    if mode not in RISK_SUGGESTIONS:
        return None
    title, category, description = RISK_SUGGESTIONS[mode]
    return {"title": title, "category": category, "description": description}


def _score_choices(levels, prompt):
    return [("", prompt), *((number, f"{number} · {name}") for number, name, _ in levels)]


class RiskForm(forms.ModelForm):
    """A risk and its scores. No score is chosen for the owner: each select starts on a prompt."""

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
        }

    likelihood_levels = LIKELIHOOD_LEVELS
    impact_levels = IMPACT_LEVELS

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["category"].choices = [("", "Choose a category"), *Risk.Category.choices]
        for name in SCORE_FIELDS:
            likelihood = name.endswith("likelihood")
            field = forms.TypedChoiceField(
                label=self.fields[name].label,
                coerce=int,
                choices=_score_choices(
                    LIKELIHOOD_LEVELS if likelihood else IMPACT_LEVELS,
                    "Choose likelihood" if likelihood else "Choose impact",
                ),
                error_messages={"required": f"Choose the {'likelihood' if likelihood else 'impact'} (1–5)."},
            )
            field.widget.attrs["aria-describedby"] = "likelihood-levels" if likelihood else "impact-levels"
            self.fields[name] = field
        for field in self.fields.values():
            if field.required:
                field.widget.attrs["aria-required"] = "true"

    def clean(self):
        cleaned = super().clean()
        values = [cleaned.get(f) for f in SCORE_FIELDS]
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


def vendor_country_field(**kwargs) -> forms.RegexField:
    """The optional two-letter vendor country of the list filters."""
    return forms.RegexField(
        required=False,
        regex=r"^[A-Za-z]{2}$",
        max_length=2,
        label="Vendor country",
        error_messages={"invalid": "Use a two-letter country code."},
        **kwargs,
    )


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
    vendor_country = vendor_country_field()
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
