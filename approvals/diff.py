"""What changed between two rounds' frozen snapshots (`approvals.snapshot.build_snapshot`), as text a
reviewer reads: pure functions over the JSON, no queries.

Values are shown as people read them (choices by their label, see CHOICE_LABELS), lists joined with
commas, and nothing (None, "" or []) as "—". Risks carry no id in the snapshot, so they are matched by
title (the second risk of one title with the second of that title, and so on); data categories by slug,
fallback models by id, checklist answers by item code.
"""

from collections import Counter
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import Any, Literal

from governance.ai_act import AnnexIIIArea, EUAIActClass
from governance.failure_modes import TestStatus
from governance.history import FieldChange
from governance.models import AIModel, UseCase, Vendor

NOTHING = "—"

# Facts stored as a choice's value in the snapshot, shown by the choice's label.
CHOICE_LABELS: dict[tuple[str, ...], dict[str, str]] = {
    ("use_case", "deployment_mode"): dict(UseCase.DeploymentMode.choices),
    ("use_case", "autonomy"): dict(UseCase.Autonomy.choices),
    ("use_case", "eu_ai_act_class"): {"": "Not yet assessed", **dict(EUAIActClass.choices)},
    ("use_case", "annex_iii_area"): dict(AnnexIIIArea.choices),
    ("model", "distribution"): dict(AIModel.Distribution.choices),
    ("model", "architecture"): dict(AIModel.Architecture.choices),
    ("model", "lifecycle"): dict(AIModel.Lifecycle.choices),
    ("model", "vendor", "ownership"): dict(Vendor.Ownership.choices),
    ("model", "vendor", "sanctions_status"): dict(Vendor.SanctionsStatus.choices),
}

Kind = Literal["changed", "added", "removed"]

# The facts compared one by one, in the order a reviewer reads them: label, path in the snapshot.
FACTS: tuple[tuple[str, tuple[str, ...]], ...] = (
    ("Title", ("use_case", "title")),
    ("Department", ("use_case", "department")),
    ("Purpose", ("use_case", "purpose")),
    ("Approved purpose", ("use_case", "approved_purpose")),
    ("Prohibited uses", ("use_case", "prohibited_uses")),
    ("EU AI Act risk class", ("use_case", "eu_ai_act_class")),
    ("High-risk area", ("use_case", "annex_iii_area")),
    ("Business owner", ("use_case", "business_owner")),
    ("Technical owner", ("use_case", "technical_owner")),
    ("Risk owner", ("use_case", "risk_owner")),
    ("Why one person holds two owner roles", ("use_case", "owners_shared_reason")),
    ("Deployment mode", ("use_case", "deployment_mode")),
    ("Hosting country", ("use_case", "hosting_country")),
    ("Autonomy", ("use_case", "autonomy")),
    ("Tools or agents enabled", ("use_case", "tool_use")),
    ("Tool use detail", ("use_case", "tool_use_detail")),
    ("Logging: what is logged", ("use_case", "logging", "contents")),
    ("Logging: where logs are stored", ("use_case", "logging", "location")),
    ("Logging: who can read the logs", ("use_case", "logging", "access")),
    ("Logging: retention (days)", ("use_case", "logging", "retention_days")),
    ("Logging: how sensitive prompts are protected", ("use_case", "logging", "prompt_protection")),
    ("Logging: how retrieval sources are tracked", ("use_case", "logging", "retrieval_sources")),
    ("Logging: how tool execution is recorded", ("use_case", "logging", "tool_execution")),
    ("Logging: how exceptions are approved", ("use_case", "logging", "exceptions")),
    ("Why there is no fallback model", ("use_case", "no_fallback_reason")),
    ("Model", ("model", "name")),
    ("Model native name", ("model", "native_name")),
    ("Model family", ("model", "family")),
    ("Model version", ("model", "version")),
    ("Model origin country", ("model", "origin_country")),
    ("Model distribution", ("model", "distribution")),
    ("Licence", ("model", "licence_name")),
    ("Licence restrictions", ("model", "licence_restrictions")),
    ("Model architecture", ("model", "architecture")),
    ("Model lifecycle", ("model", "lifecycle")),
    ("Vendor", ("model", "vendor", "name")),
    ("Vendor native name", ("model", "vendor", "native_name")),
    ("Vendor headquarters country", ("model", "vendor", "hq_country")),
    ("Vendor ownership", ("model", "vendor", "ownership")),
    ("Vendor sanctions status", ("model", "vendor", "sanctions_status")),
    ("Vendor sanctions checked on", ("model", "vendor", "sanctions_checked_on")),
    ("Vendor ownership detail", ("model", "vendor", "ownership_detail")),
    ("Vendor data retention", ("model", "vendor", "data_retention")),
    ("Vendor incident notification", ("model", "vendor", "incident_notification")),
    ("Vendor exit and deletion terms", ("model", "vendor", "exit_terms")),
    ("Vendor assurance evidence", ("model", "vendor", "assurance_evidence")),
    ("Vendor support region", ("model", "vendor", "support_region")),
    ("Vendor facts source", ("model", "vendor", "source")),
    ("Vendor facts checked on", ("model", "vendor", "checked_on")),
    ("Checklist version", ("checklist", "version")),
)


@dataclass(frozen=True)
class RiskSummary:
    """A risk added or removed: its title and one line of its facts."""

    title: str
    detail: str


@dataclass(frozen=True)
class RiskChange:
    title: str
    changes: tuple[FieldChange, ...]


@dataclass(frozen=True)
class AnswerChange:
    code: str
    item: str
    changes: tuple[FieldChange, ...]


@dataclass(frozen=True)
class DiffRow:
    """One row of the comparison table."""

    label: str
    before: str
    after: str
    kind: Kind


@dataclass(frozen=True)
class DiffSection:
    title: str
    rows: tuple[DiffRow, ...]


@dataclass(frozen=True)
class SnapshotDiff:
    has_previous: bool
    facts: tuple[FieldChange, ...] = ()
    risks_added: tuple[RiskSummary, ...] = ()
    risks_removed: tuple[RiskSummary, ...] = ()
    risks_changed: tuple[RiskChange, ...] = ()
    data_categories_added: tuple[str, ...] = ()
    data_categories_removed: tuple[str, ...] = ()
    data_categories_changed: tuple[FieldChange, ...] = ()
    fallback_models_added: tuple[str, ...] = ()
    fallback_models_removed: tuple[str, ...] = ()
    fallback_models_changed: tuple[FieldChange, ...] = ()
    answers_added: tuple[FieldChange, ...] = ()
    answers_removed: tuple[FieldChange, ...] = ()
    answers_changed: tuple[AnswerChange, ...] = ()
    failure_modes: tuple[DiffRow, ...] = ()

    @property
    def sections(self) -> tuple["DiffSection", ...]:
        return _sections(self)

    @property
    def has_changes(self) -> bool:
        return bool(self.sections)


def display(value: Any) -> str:
    """A snapshot value as text: nothing as "—", yes/no for booleans, people by name, lists joined."""
    if value is None or value == "" or value == [] or value == {}:
        return NOTHING
    if isinstance(value, bool):
        return "Yes" if value else "No"
    if isinstance(value, dict) and "username" in value:
        return value.get("name") or value["username"]
    if isinstance(value, list | tuple):
        return ", ".join(display(v) for v in value)
    return str(value)


def snapshot_diff(previous: dict[str, Any] | None, current: dict[str, Any]) -> SnapshotDiff:
    """What changed from `previous` (None for a first round) to `current`, in a stable order: the
    facts in the order of FACTS, then risks, data categories, fallback models, checklist answers and
    failure modes, each in the order of the snapshot that holds them."""
    if previous is None:
        return SnapshotDiff(has_previous=False)
    facts = [_change(label, _at(previous, path), _at(current, path)) for label, path in FACTS]
    risks = _paired(_keyed_risks(previous), _keyed_risks(current))
    categories = _paired(_keyed(previous, "data_categories", "slug"), _keyed(current, "data_categories", "slug"))
    fallbacks = _paired(_keyed(previous, "fallback_models", "id"), _keyed(current, "fallback_models", "id"))
    answers = _paired(_keyed_answers(previous), _keyed_answers(current))
    return SnapshotDiff(
        has_previous=True,
        facts=tuple(c for c in facts if c),
        risks_added=tuple(_risk_summary(r) for r in risks.added),
        risks_removed=tuple(_risk_summary(r) for r in risks.removed),
        risks_changed=tuple(
            RiskChange(title=after.get("title", ""), changes=changes)
            for before, after in risks.both
            if (changes := _changes(before, after, RISK_FIELDS))
        ),
        data_categories_added=tuple(_category(c) for c in categories.added),
        data_categories_removed=tuple(_category(c) for c in categories.removed),
        data_categories_changed=_renamed("Data category", categories.both, _category),
        fallback_models_added=tuple(_fallback(m) for m in fallbacks.added),
        fallback_models_removed=tuple(_fallback(m) for m in fallbacks.removed),
        fallback_models_changed=_renamed("Fallback model", fallbacks.both, _fallback),
        answers_added=tuple(FieldChange(_answer_label(a), NOTHING, _answer(a)) for a in answers.added),
        answers_removed=tuple(FieldChange(_answer_label(a), _answer(a), NOTHING) for a in answers.removed),
        answers_changed=tuple(
            AnswerChange(code=after.get("code", ""), item=after.get("item", ""), changes=changes)
            for before, after in answers.both
            if (changes := _changes(before, after, ANSWER_FIELDS))
        ),
        failure_modes=_failure_mode_rows(previous, current),
    )


# --- Comparing ------------------------------------------------------------------------------------


def _at(snapshot: dict[str, Any], path: tuple[str, ...]) -> Any:
    """The value at `path` (a choice by its label), or None where an older snapshot lacks it."""
    value: Any = snapshot
    for key in path:
        if not isinstance(value, dict):
            return None
        value = value.get(key)
    labels = CHOICE_LABELS.get(path)
    return str(labels.get(value, value)) if labels and isinstance(value, str) else value


def _change(label: str, before: Any, after: Any) -> FieldChange | None:
    if _identity(before) == _identity(after):
        return None
    shown_before, shown_after = display(before), display(after)
    if shown_before == shown_after:  # two people of one name: tell them apart
        shown_before, shown_after = _verbose(before), _verbose(after)
    return FieldChange(label, shown_before, shown_after)


def _identity(value: Any) -> Any:
    """What makes two values the same: a person is their username (a renamed account is no change)."""
    if isinstance(value, dict) and "username" in value:
        return value["username"]
    if value == "" or value == []:
        return None
    return value


def _verbose(value: Any) -> str:
    if isinstance(value, dict) and "username" in value:
        return f"{display(value)} ({value['username']})"
    return repr(value)


FieldSpec = tuple[str, Callable[[dict[str, Any]], Any]]


def _changes(before: dict[str, Any], after: dict[str, Any], fields: Iterable[FieldSpec]) -> tuple[FieldChange, ...]:
    changes = (_change(label, get(before), get(after)) for label, get in fields)
    return tuple(c for c in changes if c)


@dataclass(frozen=True)
class _Pairing:
    added: list[dict[str, Any]]
    removed: list[dict[str, Any]]
    both: list[tuple[dict[str, Any], dict[str, Any]]]


def _paired(previous: dict[Any, dict[str, Any]], current: dict[Any, dict[str, Any]]) -> _Pairing:
    """Entries only in `current` (its order), only in `previous` (its order), and in both (current's order)."""
    return _Pairing(
        added=[entry for key, entry in current.items() if key not in previous],
        removed=[entry for key, entry in previous.items() if key not in current],
        both=[(previous[key], entry) for key, entry in current.items() if key in previous],
    )


def _entries(snapshot: dict[str, Any], key: str) -> list[dict[str, Any]]:
    return [e for e in snapshot.get(key) or [] if isinstance(e, dict)]


def _keyed(snapshot: dict[str, Any], key: str, id_key: str) -> dict[Any, dict[str, Any]]:
    return {entry.get(id_key): entry for entry in _entries(snapshot, key)}


def _keyed_risks(snapshot: dict[str, Any]) -> dict[tuple[str, int], dict[str, Any]]:
    seen: Counter[str] = Counter()
    keyed = {}
    for risk in _entries(snapshot, "risks"):
        title = risk.get("title", "")
        keyed[(title, seen[title])] = risk
        seen[title] += 1
    return keyed


def _keyed_answers(snapshot: dict[str, Any]) -> dict[str, dict[str, Any]]:
    return {a.get("code"): a for a in (snapshot.get("checklist") or {}).get("answers") or [] if isinstance(a, dict)}


def _renamed(
    label: str, pairs: list[tuple[dict[str, Any], dict[str, Any]]], render: Callable[[dict[str, Any]], str]
) -> tuple[FieldChange, ...]:
    """Entries of one id shown differently now (a category's sensitivity, a fallback model's version)."""
    return tuple(
        FieldChange(label, render(before), render(after)) for before, after in pairs if render(before) != render(after)
    )


# --- Rendering entries ----------------------------------------------------------------------------


def _score(likelihood: Any, impact: Any) -> str | None:
    if likelihood is None or impact is None:
        return None
    return f"{likelihood} × {impact} = {likelihood * impact}"


RISK_FIELDS: tuple[FieldSpec, ...] = (
    ("category", lambda r: r.get("category")),
    ("description", lambda r: r.get("description")),
    ("inherent score", lambda r: _score(r.get("inherent_likelihood"), r.get("inherent_impact"))),
    ("mitigations", lambda r: r.get("mitigations")),
    ("residual score", lambda r: _score(r.get("residual_likelihood"), r.get("residual_impact"))),
    ("owner", lambda r: r.get("owner")),
)


def _evidence(answer: dict[str, Any]) -> list[str]:
    # The hash tells a replaced file from one of the same name.
    return [f"{e.get('name')} ({str(e.get('sha256', ''))[:8]})" for e in answer.get("evidence") or []]


ANSWER_FIELDS: tuple[FieldSpec, ...] = (
    ("response", lambda a: a.get("response")),
    ("justification", lambda a: a.get("justification")),
    ("evidence", _evidence),
)


def _risk_summary(risk: dict[str, Any]) -> RiskSummary:
    inherent = _score(risk.get("inherent_likelihood"), risk.get("inherent_impact"))
    residual = _score(risk.get("residual_likelihood"), risk.get("residual_impact"))
    detail = f"{display(risk.get('category'))}; inherent {display(inherent)}; residual {display(residual)}"
    return RiskSummary(title=risk.get("title", ""), detail=detail)


def _category(category: dict[str, Any]) -> str:
    return f"{display(category.get('name'))} ({display(category.get('sensitivity'))})"


def _fallback(model: dict[str, Any]) -> str:
    name = " ".join(str(part) for part in (model.get("name"), model.get("version")) if part)
    return f"{name or NOTHING} ({display(model.get('vendor'))}, {display(model.get('country'))})"


def _answer_label(answer: dict[str, Any]) -> str:
    return f"{answer.get('code')} response"


def _answer(answer: dict[str, Any]) -> str:
    return display(answer.get("response"))


# --- The table ------------------------------------------------------------------------------------


def _sections(diff: SnapshotDiff) -> tuple[DiffSection, ...]:
    """The diff as rows of field | before | after, grouped; empty groups left out."""
    risk_rows = [
        *(DiffRow(f"Risk: {r.title}", NOTHING, r.detail, "added") for r in diff.risks_added),
        *(DiffRow(f"Risk: {r.title}", r.detail, NOTHING, "removed") for r in diff.risks_removed),
        *(
            DiffRow(f"Risk: {r.title}, {c.label}", c.before, c.after, "changed")
            for r in diff.risks_changed
            for c in r.changes
        ),
    ]
    answer_rows = [
        *(DiffRow(c.label, c.before, c.after, "added") for c in diff.answers_added),
        *(DiffRow(c.label, c.before, c.after, "removed") for c in diff.answers_removed),
        *(
            DiffRow(f"{a.code} {c.label}", c.before, c.after, "changed")
            for a in diff.answers_changed
            for c in a.changes
        ),
    ]
    sections = (
        DiffSection("Request, model and vendor", _changed_rows(diff.facts)),
        DiffSection("Risks", tuple(risk_rows)),
        DiffSection(
            "Data categories",
            _list_rows("Data category", diff.data_categories_added, diff.data_categories_removed)
            + _changed_rows(diff.data_categories_changed),
        ),
        DiffSection(
            "Fallback models",
            _list_rows("Fallback model", diff.fallback_models_added, diff.fallback_models_removed)
            + _changed_rows(diff.fallback_models_changed),
        ),
        DiffSection("Checklist answers", tuple(answer_rows)),
        DiffSection("Failure modes (question 4)", diff.failure_modes),
    )
    return tuple(s for s in sections if s.rows)


def _list_rows(label: str, added: tuple[str, ...], removed: tuple[str, ...]) -> tuple[DiffRow, ...]:
    return (
        *(DiffRow(label, NOTHING, name, "added") for name in added),
        *(DiffRow(label, name, NOTHING, "removed") for name in removed),
    )


def _changed_rows(changes: tuple[FieldChange, ...]) -> tuple[DiffRow, ...]:
    return tuple(DiffRow(c.label, c.before, c.after, "changed") for c in changes)


# --- Failure modes (question 4) -------------------------------------------------------------------

FAILURE_MODE_FIELDS: tuple[FieldSpec, ...] = (
    ("status", lambda t: _failure_mode_status(t.get("status"))),
    ("how it was tested", lambda t: t.get("method")),
    ("what was found", lambda t: t.get("result")),
    ("why not", lambda t: t.get("reason")),
)


def _failure_mode_status(status: Any) -> str | None:
    return str(dict(TestStatus.choices).get(status, status)) if status else None


def _failure_mode_rows(previous: dict[str, Any], current: dict[str, Any]) -> tuple[DiffRow, ...]:
    """Modes answered since the last round, modes whose answer changed (field by field), and modes no
    longer answered, matched by mode. A snapshot from before question 4 had its own place holds none."""
    modes = _paired(_keyed(previous, "failure_modes", "mode"), _keyed(current, "failure_modes", "mode"))

    def label(test: dict[str, Any]) -> str:
        return f"Failure mode: {test.get('label') or test.get('mode')}"

    def summary(test: dict[str, Any]) -> str:
        status = _failure_mode_status(test.get("status")) or NOTHING
        detail = test.get("result") if test.get("status") == "tested" else test.get("reason")
        return f"{status}: {detail}" if detail else status

    return (
        *(DiffRow(label(t), NOTHING, summary(t), "added") for t in modes.added),
        *(DiffRow(label(t), summary(t), NOTHING, "removed") for t in modes.removed),
        *(
            DiffRow(f"{label(after)}, {c.label}", c.before, c.after, "changed")
            for before, after in modes.both
            for c in _changes(before, after, FAILURE_MODE_FIELDS)
        ),
    )
