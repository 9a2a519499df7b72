"""Evaluation evidence as reviewers read it: per candidate model, the pass rate of each failure mode against
the thresholds the use case is held to, latency and cost; and what the request must be flagged for.

A fixed number of queries whatever the number of runs, tests or samples: the runs, their tests, the
mappings, the thresholds, the use case's data sensitivity, its fallbacks and the prices."""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal

from django.db.models import Max

from evaluations.mapping import FailureModeMap
from evaluations.models import EvaluationResult, EvaluationRun, EvaluationThreshold, ModelPrice, pass_rate
from governance.failure_modes import FailureMode
from governance.models import AIModel, DataCategory, UseCase

PRIMARY, FALLBACK, OTHER = "primary", "fallback", "other"
ROLE_LABELS = {PRIMARY: "Primary", FALLBACK: "Fallback", OTHER: "Not requested"}
PER_REQUESTS = 1000


@dataclass
class Threshold:
    mode: str
    min_pass_rate: Decimal
    sensitivity: int

    @property
    def sensitivity_label(self) -> str:
        return DataCategory.Sensitivity(self.sensitivity).label


@dataclass
class ModeFigure:
    mode: str
    passed: int = 0
    failed: int = 0
    tests: int = 0
    threshold: Threshold | None = None

    @property
    def label(self) -> str:
        return FailureMode(self.mode).label

    @property
    def pass_rate(self) -> float | None:
        return pass_rate(self.passed, self.failed)

    @property
    def missed(self) -> bool:
        rate = self.pass_rate
        return (
            self.threshold is not None
            and rate is not None
            and Decimal(str(round(rate, 4))) < self.threshold.min_pass_rate
        )


@dataclass
class Candidate:
    """One model the use case has evidence for, or may call (its primary and fallbacks)."""

    label: str
    role: str
    model: AIModel | None = None
    runs: list[EvaluationRun] = field(default_factory=list)
    modes: dict[str, ModeFigure] = field(default_factory=dict)
    unmapped: list[EvaluationResult] = field(default_factory=list)
    price: ModelPrice | None = None

    @property
    def role_label(self) -> str:
        return ROLE_LABELS[self.role]

    @property
    def samples(self) -> int:
        return sum(r.samples for r in self.runs)

    @property
    def pass_rate(self) -> float | None:
        return pass_rate(sum(r.passed for r in self.runs), sum(r.failed for r in self.runs))

    def _weighted(self, attribute: str) -> float | None:
        # The runs' own percentiles, weighted by their samples: an estimate when there is more than one run.
        pairs = [(getattr(r, attribute), r.samples or 1) for r in self.runs if getattr(r, attribute) is not None]
        if not pairs:
            return None
        return sum(value * weight for value, weight in pairs) / sum(weight for _, weight in pairs)

    @property
    def latency_p50_ms(self) -> float | None:
        return self._weighted("latency_p50_ms")

    @property
    def latency_p95_ms(self) -> float | None:
        return self._weighted("latency_p95_ms")

    @property
    def latency_estimated(self) -> bool:
        return sum(1 for r in self.runs if r.latency_p50_ms is not None) > 1

    @property
    def tokens_per_request(self) -> tuple[float, float] | None:
        requests = sum(r.usage_samples for r in self.runs)
        if not requests:
            return None
        return sum(r.input_tokens for r in self.runs) / requests, sum(r.output_tokens for r in self.runs) / requests

    @property
    def cost_per_thousand(self) -> Decimal | None:
        tokens = self.tokens_per_request
        if tokens is None or self.price is None:
            return None
        tokens_in, tokens_out = (Decimal(str(round(t, 4))) for t in tokens)
        per_request = (tokens_in * self.price.input_per_million + tokens_out * self.price.output_per_million) / 10**6
        return (per_request * PER_REQUESTS).quantize(Decimal("0.0001"))

    @property
    def misses(self) -> list[ModeFigure]:
        return [figure for figure in self.modes.values() if figure.missed]

    def mode(self, mode: str) -> ModeFigure | None:
        return self.modes.get(mode)


@dataclass
class EvidenceSummary:
    use_case: UseCase
    sensitivity: int
    thresholds: dict[str, Threshold]
    candidates: list[Candidate]
    runs: list[EvaluationRun]

    @property
    def sensitivity_label(self) -> str:
        return DataCategory.Sensitivity(self.sensitivity).label

    @property
    def primary(self) -> Candidate:
        return self.candidates[0]

    @property
    def modes(self) -> list[str]:
        """The failure modes measured for any candidate or held to a threshold, in the article's order."""
        shown = set(self.thresholds)
        for candidate in self.candidates:
            shown |= set(candidate.modes)
        return [mode for mode in FailureMode.values if mode in shown]

    @property
    def misses(self) -> list[ModeFigure]:
        """The requested model's missed thresholds."""
        return self.primary.misses

    @property
    def foreign_runs(self) -> list[EvaluationRun]:
        """Runs of a model that is neither the requested model nor a listed fallback (or not recognised)."""
        return [run for candidate in self.candidates if candidate.role == OTHER for run in candidate.runs]

    @property
    def flags(self) -> list[str]:
        """What the request is flagged for, in sentences (empty when it has no evidence, or clean evidence)."""
        if not self.runs:
            return []
        found = []
        for figure in self.misses:
            threshold = figure.threshold
            found.append(
                f"{figure.label}: {figure.pass_rate:.1f} % of tests passed on {self.primary.label}, below the "
                f"{threshold.min_pass_rate.normalize():f} % required for {threshold.sensitivity_label.lower()} data."
            )
        for run in self.foreign_runs:
            found.append(
                f'{run.name} measured "{run.model_reported}", which is not the model requested '
                f"({self.primary.label}) nor a listed fallback."
            )
        if not self.primary.runs:
            found.append(f"No evaluation evidence is of the model requested ({self.primary.label}).")
        return found


def use_case_sensitivity(use_case: UseCase) -> int:
    """The highest sensitivity of the data the use case touches (public when it names none)."""
    found = use_case.data_categories.aggregate(top=Max("sensitivity"))["top"]
    return found or DataCategory.Sensitivity.PUBLIC


def thresholds_for(sensitivity: int) -> dict[str, Threshold]:
    """Per failure mode, the strictest threshold set for this sensitivity or a lower one."""
    found: dict[str, Threshold] = {}
    for row in EvaluationThreshold.objects.filter(sensitivity__lte=sensitivity):
        current = found.get(row.failure_mode)
        if current is None or row.min_pass_rate > current.min_pass_rate:
            found[row.failure_mode] = Threshold(row.failure_mode, row.min_pass_rate, row.sensitivity)
    return found


def evidence_summary(use_case: UseCase) -> EvidenceSummary:
    """The use case's evaluation evidence, per candidate model (`use_case.primary_model` should be loaded)."""
    runs = list(
        EvaluationRun.objects.filter(use_case=use_case)
        .select_related("ai_model", "imported_by")
        .order_by("-run_at", "-imported_at", "-id")
    )
    results: dict[int, list[EvaluationResult]] = {}
    if runs:
        for result in EvaluationResult.objects.filter(run__use_case=use_case).order_by("name", "detail", "id"):
            results.setdefault(result.run_id, []).append(result)
    mapping = FailureModeMap.load() if runs else None
    sensitivity = use_case_sensitivity(use_case)
    thresholds = thresholds_for(sensitivity)

    primary = use_case.primary_model
    candidates: dict[object, Candidate] = {primary.pk: Candidate(str(primary), PRIMARY, primary)}
    for model in use_case.fallback_models.order_by("name", "version"):
        candidates.setdefault(model.pk, Candidate(str(model), FALLBACK, model))
    for run in runs:
        key = run.ai_model_id or f"reported:{run.model_reported.casefold()}"
        candidate = candidates.get(key)
        if candidate is None:
            label = str(run.ai_model) if run.ai_model else run.model_reported
            candidate = candidates[key] = Candidate(label, OTHER, run.ai_model)
        candidate.runs.append(run)
        for result in results.get(run.pk, []):
            mode = mapping.mode_for(run.harness, result.name, result.detail)
            if mode is None:
                candidate.unmapped.append(result)
                continue
            figure = candidate.modes.setdefault(mode, ModeFigure(mode, threshold=thresholds.get(mode)))
            figure.passed += result.passed
            figure.failed += result.failed
            figure.tests += 1
    models = [c.model.pk for c in candidates.values() if c.model is not None]
    prices = {p.ai_model_id: p for p in ModelPrice.objects.filter(ai_model_id__in=models)}
    for candidate in candidates.values():
        if candidate.model is not None:
            candidate.price = prices.get(candidate.model.pk)
        if candidate.runs:  # a mode held to a threshold that its evidence did not measure is shown as such
            for mode, threshold in thresholds.items():
                candidate.modes.setdefault(mode, ModeFigure(mode, threshold=threshold))
    return EvidenceSummary(use_case, sensitivity, thresholds, list(candidates.values()), runs)
