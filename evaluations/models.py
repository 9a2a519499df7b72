"""Evaluation evidence: the result files of open-source harnesses (Inspect AI, promptfoo, garak,
lm-evaluation-harness) imported onto a use case, what each file measured, and what the organisation asks
of it.

A run keeps the original file (hashed, as checklist evidence is) and what was read from it; its results are
the tests it ran (a task's scorer, a probe's detector, a red-team plugin), counted. Which failure mode a test
measures is data (`FailureModeMapping`), read when the evidence is shown, so a mapping added later applies
to runs imported before it. Thresholds (`EvaluationThreshold`) say the pass rate each failure mode must reach
for a data sensitivity; prices (`ModelPrice`) turn token usage into cost.
"""

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator, RegexValidator
from django.db import models
from django.db.models import F, Q
from simple_history.models import HistoricalRecords

from governance.failure_modes import FailureMode
from governance.models import AIModel, DataCategory, SourcedFacts, UseCase


def pass_rate(passed: int, failed: int) -> float | None:
    """The share of graded samples that passed, in percent; None when none was graded."""
    return passed / (passed + failed) * 100 if passed + failed else None


class Harness(models.TextChoices):
    INSPECT = "inspect", "Inspect AI"
    PROMPTFOO = "promptfoo", "promptfoo"
    GARAK = "garak", "garak"
    LM_EVAL = "lm_eval", "lm-evaluation-harness"


def run_path(instance, filename):
    # Never the uploaded name: the use case's reference, the file's hash and the harness name the path.
    return f"evaluations/{instance.use_case.reference}/{instance.sha256[:16]}/{instance.harness}{instance.suffix}"


class EvaluationRun(models.Model):
    """One harness result file on a use case, with what was read from it."""

    use_case = models.ForeignKey(UseCase, on_delete=models.CASCADE, related_name="evaluation_runs")
    file = models.FileField(upload_to=run_path, max_length=300)
    name = models.CharField("file name", max_length=255)
    sha256 = models.CharField(max_length=64, validators=[RegexValidator(r"^[0-9a-f]{64}$")])
    size = models.PositiveBigIntegerField()
    harness = models.CharField(max_length=20, choices=Harness)
    harness_version = models.CharField(max_length=100, blank=True)
    title = models.CharField(max_length=300, blank=True, help_text="The task, suite or run name the file gives.")
    model_reported = models.CharField("model, as the file names it", max_length=300)
    provider = models.CharField(max_length=200, blank=True)
    ai_model = models.ForeignKey(
        AIModel,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        help_text="The registry model the file's model name was recognised as; empty when none was.",
    )
    run_at = models.DateTimeField("date run", null=True, blank=True)
    samples = models.PositiveIntegerField(default=0)
    passed = models.PositiveIntegerField(default=0)
    failed = models.PositiveIntegerField(default=0)
    latency_p50_ms = models.FloatField(null=True, blank=True)
    latency_p95_ms = models.FloatField(null=True, blank=True)
    # The samples that reported tokens, so that cost per request is averaged over those alone.
    usage_samples = models.PositiveIntegerField(default=0)
    input_tokens = models.PositiveBigIntegerField(default=0)
    output_tokens = models.PositiveBigIntegerField(default=0)
    imported_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    imported_at = models.DateTimeField(auto_now_add=True)

    history = HistoricalRecords()

    class Meta:
        ordering = ["use_case", "-imported_at", "-id"]
        constraints = [
            models.UniqueConstraint(fields=["use_case", "sha256"], name="evaluationrun_unique_file_per_use_case"),
            models.CheckConstraint(
                condition=Q(passed__lte=F("samples")) & Q(failed__lte=F("samples")),
                name="evaluationrun_counts_within_samples",
            ),
        ]

    def __str__(self):
        return f"{self.get_harness_display()}: {self.name}"

    @property
    def suffix(self) -> str:
        return (
            ".eval" if self.name.lower().endswith(".eval") else ".jsonl" if self.harness == Harness.GARAK else ".json"
        )

    @property
    def pass_rate(self) -> float | None:
        return pass_rate(self.passed, self.failed)


class EvaluationResult(models.Model):
    """One test of a run: an Inspect task's scorer, a promptfoo plugin (or test), a garak probe's detector, an
    lm-eval task's metric. Written with its run, never changed."""

    run = models.ForeignKey(EvaluationRun, on_delete=models.CASCADE, related_name="results")
    name = models.CharField(max_length=300, help_text="The task, plugin or probe.")
    detail = models.CharField(max_length=300, blank=True, help_text="The scorer, strategy, detector or metric.")
    samples = models.PositiveIntegerField(default=0)
    passed = models.PositiveIntegerField(default=0)
    failed = models.PositiveIntegerField(default=0)
    score = models.FloatField(null=True, blank=True, help_text="A score the harness gives, when it gives one.")

    # No history of its own: a run's tests are written with it (its history row records the import) and
    # never change; the stored file is their record.

    class Meta:
        ordering = ["run", "name", "detail", "id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(passed__lte=F("samples")) & Q(failed__lte=F("samples")),
                name="evaluationresult_counts_within_samples",
            ),
        ]

    def __str__(self):
        return f"{self.name} {self.detail}".strip()

    @property
    def pass_rate(self) -> float | None:
        return pass_rate(self.passed, self.failed)


class FailureModeMapping(models.Model):
    """What a harness's test measures, in the article's failure modes: a test's name, or a prefix of names
    ending in "*". The most specific mapping wins: a harness's own before one for any harness, an exact name
    before a prefix, a longer prefix before a shorter one. Governance admins extend it in the admin."""

    harness = models.CharField(max_length=20, choices=Harness, blank=True, help_text="Empty: any harness.")
    pattern = models.CharField(
        max_length=300, help_text='A test\'s name (a task, plugin or probe), or a prefix ending in "*".'
    )
    failure_mode = models.CharField(max_length=40, choices=FailureMode)
    note = models.CharField(max_length=300, blank=True)

    history = HistoricalRecords()

    class Meta:
        ordering = ["harness", "pattern"]
        constraints = [
            models.UniqueConstraint(fields=["harness", "pattern"], name="failuremodemapping_unique_pattern"),
        ]

    def __str__(self):
        return f"{self.harness or 'any'}: {self.pattern} → {self.get_failure_mode_display()}"


class EvaluationThreshold(models.Model):
    """The pass rate a failure mode's tests must reach before a model touches data of a sensitivity, set by the
    security function. A use case is held to the strictest threshold at or below its most sensitive data
    category; every change is kept (history), and a round's snapshot keeps the values it was held to."""

    sensitivity = models.PositiveSmallIntegerField(choices=DataCategory.Sensitivity)
    failure_mode = models.CharField(max_length=40, choices=FailureMode)
    min_pass_rate = models.DecimalField(
        "minimum pass rate (%)",
        max_digits=5,
        decimal_places=2,
        validators=[MinValueValidator(0), MaxValueValidator(100)],
    )
    reason = models.CharField(max_length=300, blank=True)
    set_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    set_at = models.DateTimeField(auto_now=True)

    history = HistoricalRecords()

    class Meta:
        ordering = ["sensitivity", "failure_mode"]
        constraints = [
            models.UniqueConstraint(fields=["sensitivity", "failure_mode"], name="evaluationthreshold_unique"),
            models.CheckConstraint(
                condition=Q(min_pass_rate__gte=0, min_pass_rate__lte=100), name="evaluationthreshold_rate_range"
            ),
        ]

    def __str__(self):
        return f"{self.get_failure_mode_display()} ≥ {self.min_pass_rate} % ({self.get_sensitivity_display()})"


class ModelPrice(SourcedFacts):
    """A model's list price per million tokens, with where and when it was read, as the other model facts are."""

    ai_model = models.OneToOneField(AIModel, on_delete=models.CASCADE, related_name="price")
    input_per_million = models.DecimalField(
        "input, per million tokens", max_digits=12, decimal_places=4, validators=[MinValueValidator(0)]
    )
    output_per_million = models.DecimalField(
        "output, per million tokens", max_digits=12, decimal_places=4, validators=[MinValueValidator(0)]
    )
    currency = models.CharField(max_length=3, default="USD", validators=[RegexValidator(r"^[A-Z]{3}$")])

    history = HistoricalRecords()

    class Meta:
        ordering = ["ai_model"]
        constraints = [
            models.CheckConstraint(
                condition=Q(input_per_million__gte=0, output_per_million__gte=0), name="modelprice_not_negative"
            ),
        ]

    def __str__(self):
        return f"{self.ai_model}: {self.input_per_million}/{self.output_per_million} {self.currency} per 1M tokens"
