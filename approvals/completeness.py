"""What a request still lacks before it can be submitted. Every gap is named at once."""

from dataclasses import dataclass

from checklist.models import Answer, ChecklistItem, ChecklistTemplate
from governance.failure_modes import FailureMode
from governance.models import AIModel, FailureModeTest, UseCase
from governance.roles import Function


@dataclass(frozen=True)
class Gap:
    """One missing thing. `anchor` names where to fix it: a field name, `risks`, `failure-mode-<mode>`
    or `checklist-<code>`."""

    anchor: str
    message: str

    @property
    def place(self) -> str:
        """Where it is fixed: `form` (the request form), `risks` (the risk register),
        `failure_modes` (question 4's page) or `checklist`."""
        if self.anchor == "risks":
            return "risks"
        if self.anchor.startswith("failure-mode-"):
            return "failure_modes"
        return "checklist" if self.anchor.startswith("checklist-") else "form"


REQUIRED_FIELDS = [
    ("title", "a title"),
    ("purpose", "the purpose"),
    ("approved_purpose", "the approved purpose"),
    ("prohibited_uses", "the prohibited uses"),
    ("department", "the department"),
    ("log_contents", "what is logged"),
    ("log_location", "where logs are stored"),
    ("log_access", "who can read the logs"),
]

# The rest of the article's minimum audit plan, asked after the retention period, in the article's order.
LOGGING_POINTS = [
    ("log_prompt_protection", "how sensitive prompts are protected"),
    ("log_retrieval_sources", "how retrieval sources are tracked"),
    # Asked even with tool use off: the answer is then "No tools", said on the record.
    ("log_tool_execution", "how tool execution is recorded (write “No tools” if none are enabled)"),
    ("log_exceptions", "how exceptions are approved"),
]


def current_template() -> ChecklistTemplate:
    template = ChecklistTemplate.objects.filter(published_at__isnull=False).order_by("-version").first()
    if template is None:
        raise ChecklistTemplate.DoesNotExist("No published checklist template")
    return template


def _missing(use_case: UseCase, fields: list[tuple[str, str]], verb: str) -> list[Gap]:
    return [Gap(field, f"{verb} {label}.") for field, label in fields if not str(getattr(use_case, field)).strip()]


def completeness_gaps(use_case: UseCase, template: ChecklistTemplate) -> list[Gap]:
    gaps = _missing(use_case, REQUIRED_FIELDS, "Give")
    if not use_case.log_retention_days:
        gaps.append(Gap("log_retention_days", "Say how long logs are retained."))
    gaps += _missing(use_case, LOGGING_POINTS, "Say")
    if not use_case.data_categories.exists():
        gaps.append(Gap("data_categories", "Name the kinds of data the model will process."))
    if not use_case.fallback_models.exists() and not use_case.no_fallback_reason.strip():
        gaps.append(Gap("fallback_models", "Name a fallback model, or explain why there is none."))
    if use_case.tool_use and not use_case.tool_use_detail.strip():
        gaps.append(Gap("tool_use_detail", "Describe the tools or agents the model may call."))
    if use_case.tool_use and use_case.log_tool_execution.strip().lower().startswith("no tools"):
        gaps.append(Gap("log_tool_execution", "Tools are enabled: say how each tool call is recorded."))
    for fallback in use_case.fallback_models.filter(lifecycle=AIModel.Lifecycle.RETIRED):
        gaps.append(Gap("fallback_models", f"Fallback {fallback} is retired: choose another or remove it."))
    if use_case.primary_model.lifecycle == AIModel.Lifecycle.RETIRED:
        gaps.append(Gap("primary_model", f"{use_case.primary_model} is retired: choose another model."))
    if not use_case.risks.exists():
        gaps.append(Gap("risks", "Record at least one risk."))
    tested = set(FailureModeTest.objects.filter(use_case=use_case).values_list("mode", flat=True))
    for mode, label in FailureMode.choices:
        if mode not in tested:
            gaps.append(Gap(f"failure-mode-{mode}", f"Say how the model was tested for {label.lower()}, or why not."))
    answered = set(Answer.objects.filter(use_case=use_case).values_list("item_id", flat=True))
    for item in ChecklistItem.objects.filter(section__template=template, owner_function=Function.BUSINESS).order_by(
        "section__position", "position"
    ):
        if item.pk not in answered:
            gaps.append(Gap(f"checklist-{item.code}", f"Answer checklist item {item.code}: {item.text}"))
    return gaps
