"""The registry: who supplies models, which models exist, what data they may touch, and the requests
to use them (use cases) with their risks."""

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator, RegexValidator
from django.db import models
from django.db.models import F, Q
from django.db.models.lookups import LessThanOrEqual
from django.urls import reverse
from django_fsm import FSMField, FSMModelMixin, transition
from guardian.models import UserObjectPermissionBase
from simple_history.models import HistoricalRecords

from governance.ai_act import AnnexIIIArea, EUAIActClass
from governance.countries import validate_country_code
from governance.failure_modes import EVIDENCES, FailureMode, TestStatus
from governance.limits import NOTE, PROSE, BoundedTextField
from governance.scoring import BAND_RANGES, Band, band_for_score


class SourcedFacts(models.Model):
    """Where the public facts on a registry row were read, and when."""

    source = BoundedTextField(max_length=NOTE, blank=True, help_text="Where the facts on this record were read.")
    checked_on = models.DateField(null=True, blank=True, help_text="When the facts were last checked.")

    class Meta:
        abstract = True


class Vendor(SourcedFacts):
    class Ownership(models.TextChoices):
        PRIVATE = "private", "Private"
        LISTED = "listed", "Publicly listed"
        STATE_LINKED = "state_linked", "State-linked"
        UNKNOWN = "unknown", "Not confirmed"

    class SanctionsStatus(models.TextChoices):
        CLEAR = "clear", "Clear"
        UNDER_REVIEW = "under_review", "Under review"
        RESTRICTED = "restricted", "Restricted"
        SANCTIONED = "sanctioned", "Sanctioned"

    name = models.CharField(max_length=200, unique=True)
    native_name = models.CharField(max_length=200, blank=True)
    legal_name = models.CharField(max_length=500, blank=True)
    hq_country = models.CharField("headquarters country", max_length=2, validators=[validate_country_code])
    ownership = models.CharField(max_length=20, choices=Ownership, default=Ownership.UNKNOWN)
    ownership_detail = models.CharField(max_length=300, blank=True)
    sanctions_status = models.CharField(
        "sanctions / export status", max_length=20, choices=SanctionsStatus, default=SanctionsStatus.UNDER_REVIEW
    )
    sanctions_checked_on = models.DateField(null=True, blank=True)
    sanctions_source = BoundedTextField(max_length=NOTE, blank=True)
    sanctions_note = BoundedTextField(max_length=NOTE, blank=True)
    data_retention = BoundedTextField(
        max_length=PROSE, blank=True, help_text="What the vendor keeps of prompts and outputs, and for how long."
    )
    incident_notification = BoundedTextField(
        max_length=PROSE, blank=True, help_text="The vendor's commitment to notify incidents."
    )
    support_region = models.CharField(max_length=200, blank=True)
    exit_terms = BoundedTextField("exit and deletion terms", max_length=PROSE, blank=True)
    assurance_evidence = BoundedTextField(
        max_length=PROSE, blank=True, help_text="SOC 2, ISO 27001 and other evidence on file."
    )

    history = HistoricalRecords()

    class Meta:
        ordering = ["name"]
        constraints = [
            models.CheckConstraint(
                condition=Q(sanctions_status__in=["clear", "under_review", "restricted", "sanctioned"]),
                name="vendor_sanctions_status_valid",
            ),
            models.CheckConstraint(
                condition=Q(ownership__in=["private", "listed", "state_linked", "unknown"]),
                name="vendor_ownership_valid",
            ),
        ]

    def __str__(self):
        return self.name

    @property
    def is_restricted(self) -> bool:
        return self.sanctions_status in (self.SanctionsStatus.RESTRICTED, self.SanctionsStatus.SANCTIONED)


class AIModel(SourcedFacts):
    class Distribution(models.TextChoices):
        OPEN_WEIGHTS = "open_weights", "Open weights"
        HOSTED_API = "hosted_api", "Hosted API"
        BOTH = "both", "Open weights and hosted API"

    class Architecture(models.TextChoices):
        DENSE = "dense", "Dense"
        MOE = "moe", "Mixture of experts"
        UNKNOWN = "unknown", "Not disclosed"

    class Lifecycle(models.TextChoices):
        ACTIVE = "active", "Active"
        DEPRECATED = "deprecated", "Deprecated"
        RETIRED = "retired", "Retired"

    vendor = models.ForeignKey(Vendor, on_delete=models.PROTECT, related_name="models")
    name = models.CharField(max_length=200)
    native_name = models.CharField(max_length=200, blank=True)
    family = models.CharField(max_length=100)
    version = models.CharField("exact version identifier", max_length=200)
    origin_country = models.CharField(max_length=2, validators=[validate_country_code])
    distribution = models.CharField(max_length=20, choices=Distribution)
    licence_name = models.CharField(max_length=300, blank=True)
    licence_restrictions = BoundedTextField(max_length=PROSE, blank=True)
    architecture = models.CharField(max_length=20, choices=Architecture, default=Architecture.UNKNOWN)
    total_params_b = models.DecimalField(
        "total parameters (billions)", max_digits=8, decimal_places=2, null=True, blank=True
    )
    active_params_b = models.DecimalField(
        "active parameters (billions)", max_digits=8, decimal_places=2, null=True, blank=True
    )
    release_date = models.CharField(
        max_length=7, blank=True, validators=[RegexValidator(r"^\d{4}-\d{2}$", "Use YYYY-MM.")]
    )
    languages = models.CharField("languages it is strong in", max_length=300, blank=True)
    lifecycle = models.CharField("deprecation status", max_length=20, choices=Lifecycle, default=Lifecycle.ACTIVE)

    history = HistoricalRecords()

    class Meta:
        ordering = ["vendor__name", "name"]
        verbose_name = "AI model"
        constraints = [
            models.UniqueConstraint(fields=["vendor", "name", "version"], name="aimodel_unique_version"),
            models.CheckConstraint(
                condition=Q(active_params_b__isnull=True)
                | Q(total_params_b__isnull=True)
                | Q(active_params_b__lte=F("total_params_b")),
                name="aimodel_active_params_within_total",
            ),
        ]

    def __str__(self):
        return self.label(self.name, self.version)

    @staticmethod
    def label(name: str, version: str) -> str:
        """How a model is named to people: its name, and its version when that says more."""
        return f"{name} ({version})" if version != name else name


class DataCategory(models.Model):
    class Sensitivity(models.IntegerChoices):
        PUBLIC = 1, "Public"
        INTERNAL = 2, "Internal"
        CONFIDENTIAL = 3, "Confidential"
        RESTRICTED = 4, "Restricted"

    name = models.CharField(max_length=100, unique=True)
    slug = models.SlugField(unique=True)
    sensitivity = models.PositiveSmallIntegerField(choices=Sensitivity)
    description = BoundedTextField(max_length=PROSE, blank=True)

    history = HistoricalRecords()

    class Meta:
        ordering = ["-sensitivity", "name"]
        verbose_name_plural = "data categories"
        constraints = [
            models.CheckConstraint(
                condition=Q(sensitivity__gte=1, sensitivity__lte=4), name="datacategory_sensitivity_range"
            ),
        ]

    def __str__(self):
        return self.name


class ReferenceCounter(models.Model):
    """The last number handed out for a reference prefix and year (UC-2026-0007)."""

    prefix = models.CharField(max_length=10)
    year = models.PositiveSmallIntegerField()
    last = models.PositiveIntegerField(default=0)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["prefix", "year"], name="referencecounter_unique")]

    def __str__(self):
        return f"{self.prefix}-{self.year}: {self.last}"


class UseCaseStatus(models.TextChoices):
    DRAFT = "draft", "Draft"
    IN_REVIEW = "in_review", "In review"
    CHANGES_REQUESTED = "changes_requested", "Changes requested"
    APPROVED = "approved", "Approved"
    APPROVED_WITH_CONDITIONS = "approved_with_conditions", "Approved with conditions"
    REJECTED = "rejected", "Rejected"
    SUSPENDED = "suspended", "Suspended"
    EXPIRED = "expired", "Expired"
    REVOKED = "revoked", "Revoked"
    WITHDRAWN = "withdrawn", "Withdrawn"


class UseCase(FSMModelMixin, models.Model):
    """A request to use one AI model for one purpose: what the organisation reviews and approves."""

    Status = UseCaseStatus

    class DeploymentMode(models.TextChoices):
        HOSTED_API = "hosted_api", "Vendor-hosted API"
        PRIVATE_CLOUD = "private_cloud", "Private cloud"
        ON_PREMISES = "on_premises", "On-premises"

    class Autonomy(models.TextChoices):
        ADVISORY = "advisory", "Advisory (a person decides)"
        HUMAN_REVIEWED = "human_reviewed", "Human-reviewed before use"
        AUTONOMOUS = "autonomous", "Autonomous"

    # Owners edit freely in these states and (re)submit from them.
    EDITABLE_STATUSES = (Status.DRAFT, Status.CHANGES_REQUESTED, Status.WITHDRAWN, Status.SUSPENDED, Status.EXPIRED)
    SUBMITTABLE_STATUSES = EDITABLE_STATUSES
    APPROVED_STATUSES = (Status.APPROVED, Status.APPROVED_WITH_CONDITIONS)
    # The live portfolio, the exposure an organisation carries now: what may be in use (approved, with or
    # without conditions), what was stopped but not ended (suspended), and what is under review (in
    # review, or sent back for changes in its open round). Drafts, rejected, withdrawn, expired and
    # revoked requests are counted only when asked for.
    LIVE_STATUSES = (
        Status.APPROVED,
        Status.APPROVED_WITH_CONDITIONS,
        Status.SUSPENDED,
        Status.IN_REVIEW,
        Status.CHANGES_REQUESTED,
    )
    LIVE = "live"  # the list filter's and the report's name for LIVE_STATUSES
    # What an approval is an approval of: changing any of these after approval suspends it and opens a
    # new round. Everything else (title, department, owners...) may change with a reason in the history.
    MATERIAL_FIELDS = (
        "primary_model",
        "fallback_models",
        "data_categories",
        "deployment_mode",
        "hosting_country",
        "approved_purpose",
        "prohibited_uses",
        "eu_ai_act_class",
        "annex_iii_area",
        "autonomy",
        "tool_use",
        "tool_use_detail",
        "log_contents",
        "log_location",
        "log_access",
        "log_retention_days",
        "log_prompt_protection",
        "log_retrieval_sources",
        "log_tool_execution",
        "log_exceptions",
    )

    reference = models.CharField(max_length=20, unique=True, editable=False)
    title = models.CharField(max_length=200)
    department = models.CharField(max_length=100, blank=True)
    purpose = BoundedTextField(max_length=PROSE, help_text="What the model is for, in the business's words.")
    approved_purpose = BoundedTextField(
        max_length=PROSE, blank=True, help_text="The purpose the approval covers, precisely."
    )
    prohibited_uses = BoundedTextField(max_length=PROSE, blank=True, help_text="What the model must not be used for.")

    business_owner = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    technical_owner = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    risk_owner = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    owners_shared_reason = BoundedTextField(
        "why one person holds two owner roles",
        max_length=NOTE,
        blank=True,
        help_text="Asked when the business, technical and risk owners are not three different people.",
    )
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")

    primary_model = models.ForeignKey(AIModel, on_delete=models.PROTECT, related_name="use_cases")
    fallback_models = models.ManyToManyField(AIModel, blank=True, related_name="fallback_for")
    no_fallback_reason = BoundedTextField(
        max_length=PROSE, blank=True, help_text="Why there is no documented fallback model."
    )

    eu_ai_act_class = models.CharField(
        "EU AI Act risk class", max_length=20, choices=EUAIActClass, blank=True, help_text="Empty: not yet assessed."
    )
    annex_iii_area = models.CharField("high-risk area", max_length=30, choices=AnnexIIIArea, blank=True)
    deployment_mode = models.CharField(max_length=20, choices=DeploymentMode)
    hosting_country = models.CharField(max_length=2, validators=[validate_country_code])
    data_categories = models.ManyToManyField(DataCategory, blank=True, related_name="use_cases")
    autonomy = models.CharField(max_length=20, choices=Autonomy, default=Autonomy.ADVISORY)
    tool_use = models.BooleanField("tools or agents enabled", default=False)
    tool_use_detail = BoundedTextField(max_length=PROSE, blank=True)

    log_contents = BoundedTextField("what is logged", max_length=PROSE, blank=True)
    log_location = models.CharField("where logs are stored", max_length=300, blank=True)
    log_access = models.CharField("who can read the logs", max_length=300, blank=True)
    log_retention_days = models.PositiveIntegerField("log retention (days)", null=True, blank=True)
    # The rest of what the article asks every audit plan to define, beside the four above.
    log_prompt_protection = BoundedTextField("how sensitive prompts are protected", max_length=PROSE, blank=True)
    log_retrieval_sources = BoundedTextField("how retrieval sources are tracked", max_length=PROSE, blank=True)
    log_tool_execution = BoundedTextField("how tool execution is recorded", max_length=PROSE, blank=True)
    log_exceptions = BoundedTextField("how exceptions are approved", max_length=PROSE, blank=True)

    status = FSMField(max_length=30, choices=Status, default=Status.DRAFT, protected=True)
    # The tier's source, kept with the use case so that lists sort, filter and count on an index: the
    # highest residual score of its risks (0 while none is recorded) and its band. `risks_changed` (the
    # risk services) keeps both in step, in the transaction of the change; `tier_drift` finds any drift.
    highest_residual = models.PositiveSmallIntegerField(default=0, editable=False)
    risk_band = models.CharField(max_length=10, choices=Band, blank=True, default="", editable=False)
    # When the first review round opened (set by the submission service): from then on the use case is
    # part of the portfolio that reviewers, executives and admins see. Never cleared.
    first_submitted_at = models.DateTimeField(null=True, blank=True, editable=False)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    history = HistoricalRecords(
        m2m_fields=[fallback_models, data_categories],
        excluded_fields=["highest_residual", "risk_band", "first_submitted_at"],
    )

    class Meta:
        ordering = ["-created_at"]
        # Every list sort has an index ending in the primary key, its tiebreaker.
        indexes = [
            models.Index(fields=["status", "-created_at"]),
            models.Index(fields=["updated_at", "id"], name="usecase_updated_id"),
            models.Index(fields=["highest_residual", "id"], name="usecase_residual_id"),
            models.Index(fields=["title", "id"], name="usecase_title_id"),
            models.Index(fields=["status", "id"], name="usecase_status_id"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(highest_residual=0, risk_band="")
                | Q(highest_residual__range=BAND_RANGES[Band.LOW], risk_band=Band.LOW)
                | Q(highest_residual__range=BAND_RANGES[Band.MEDIUM], risk_band=Band.MEDIUM)
                | Q(highest_residual__range=BAND_RANGES[Band.HIGH], risk_band=Band.HIGH)
                | Q(highest_residual__range=BAND_RANGES[Band.CRITICAL], risk_band=Band.CRITICAL),
                name="usecase_band_matches_residual",
            ),
            models.CheckConstraint(
                condition=Q(log_retention_days__isnull=True) | Q(log_retention_days__gte=1),
                name="usecase_log_retention_positive",
            ),
            models.CheckConstraint(condition=Q(status__in=UseCaseStatus.values), name="usecase_status_valid"),
            # An area only for a high-risk use, and a high-risk use always names one.
            models.CheckConstraint(
                condition=Q(eu_ai_act_class="high_risk", annex_iii_area__in=AnnexIIIArea.values)
                | (~Q(eu_ai_act_class="high_risk") & Q(annex_iii_area="")),
                name="usecase_high_risk_area",
            ),
        ]

    def __str__(self):
        return f"{self.reference} {self.title}"

    def get_absolute_url(self):
        return reverse("use_case_detail", args=[self.reference])

    def clean_fields(self, exclude=None):
        # The state is protected: only workflow transitions change it, so validation must not reassign it.
        super().clean_fields(exclude={*(exclude or ()), "status"})

    @property
    def owners(self):
        return {self.business_owner, self.technical_owner, self.risk_owner}

    @property
    def is_editable(self) -> bool:
        return self.status in self.EDITABLE_STATUSES

    @property
    def is_approved(self) -> bool:
        return self.status in self.APPROVED_STATUSES

    # Lifecycle. Each transition only moves the state; the approvals services decide when, check who
    # may, and record why.
    @transition(field=status, source=SUBMITTABLE_STATUSES, target=Status.IN_REVIEW)
    def submit(self):
        pass

    @transition(field=status, source=Status.IN_REVIEW, target=Status.CHANGES_REQUESTED)
    def request_changes(self):
        pass

    @transition(field=status, source=Status.IN_REVIEW, target=Status.APPROVED)
    def approve(self):
        pass

    @transition(field=status, source=Status.IN_REVIEW, target=Status.APPROVED_WITH_CONDITIONS)
    def approve_with_conditions(self):
        pass

    @transition(field=status, source=Status.IN_REVIEW, target=Status.REJECTED)
    def reject(self):
        pass

    @transition(field=status, source=Status.IN_REVIEW, target=Status.WITHDRAWN)
    def withdraw(self):
        pass

    @transition(field=status, source=APPROVED_STATUSES, target=Status.SUSPENDED)
    def suspend(self):
        pass

    @transition(field=status, source=APPROVED_STATUSES, target=Status.EXPIRED)
    def expire(self):
        pass

    @transition(field=status, source=(*APPROVED_STATUSES, Status.SUSPENDED), target=Status.REVOKED)
    def revoke(self):
        pass

    @property
    def risk_tier(self) -> Band | None:
        """The band of the highest residual risk, None while no risk is recorded."""
        return Band(self.risk_band) if self.risk_band else None


class UseCaseUserObjectPermission(UserObjectPermissionBase):
    """A person's right on one use case (its owners' view and change), held by a foreign key rather than
    guardian's generic text column, so that "the use cases I may see" is an indexed join, not a scan."""

    content_object = models.ForeignKey(UseCase, on_delete=models.CASCADE, related_name="user_grants")

    class Meta(UserObjectPermissionBase.Meta):
        verbose_name = "use case grant"


score_validators = [MinValueValidator(1), MaxValueValidator(5)]


class Risk(models.Model):
    """One risk of a use case, scored before (inherent) and after (residual) its mitigations."""

    class Category(models.TextChoices):
        DATA = "data", "Data exposure"
        SECURITY = "security", "Security"
        LEGAL = "legal", "Legal and regulatory"
        VENDOR = "vendor", "Vendor and jurisdiction"
        QUALITY = "quality", "Model quality and failure modes"
        OPERATIONAL = "operational", "Operational resilience"

    use_case = models.ForeignKey(UseCase, on_delete=models.CASCADE, related_name="risks")
    title = models.CharField(max_length=200)
    description = BoundedTextField(max_length=PROSE, blank=True)
    category = models.CharField(max_length=20, choices=Category)
    inherent_likelihood = models.PositiveSmallIntegerField(validators=score_validators)
    inherent_impact = models.PositiveSmallIntegerField(validators=score_validators)
    mitigations = BoundedTextField(max_length=PROSE, blank=True)
    residual_likelihood = models.PositiveSmallIntegerField(validators=score_validators)
    residual_impact = models.PositiveSmallIntegerField(validators=score_validators)
    owner = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    history = HistoricalRecords()

    class Meta:
        ordering = ["use_case", "created_at", "pk"]
        constraints = [
            *[
                models.CheckConstraint(condition=Q(**{f"{f}__gte": 1, f"{f}__lte": 5}), name=f"risk_{f}_1_to_5")
                for f in ("inherent_likelihood", "inherent_impact", "residual_likelihood", "residual_impact")
            ],
            models.CheckConstraint(
                condition=LessThanOrEqual(
                    F("residual_likelihood") * F("residual_impact"), F("inherent_likelihood") * F("inherent_impact")
                ),
                name="risk_residual_not_above_inherent",
                violation_error_message="The residual score cannot be higher than the inherent score.",
            ),
        ]

    def __str__(self):
        return self.title

    @property
    def inherent_score(self) -> int:
        return self.inherent_likelihood * self.inherent_impact

    @property
    def residual_score(self) -> int:
        return self.residual_likelihood * self.residual_impact

    @property
    def inherent_band(self):
        return band_for_score(self.inherent_score)

    @property
    def residual_band(self):
        return band_for_score(self.residual_score)


class FailureModeTest(models.Model):
    """How one of the article's ten failure modes was tested for a use case (question 4), or why not."""

    Mode = FailureMode
    Status = TestStatus

    use_case = models.ForeignKey(UseCase, on_delete=models.CASCADE, related_name="failure_mode_tests")
    mode = models.CharField(max_length=30, choices=FailureMode)
    status = models.CharField(max_length=20, choices=TestStatus)
    method = BoundedTextField(
        max_length=PROSE, blank=True, help_text="How it was tested: the dataset or harness, and the sample size."
    )
    result = BoundedTextField(max_length=PROSE, blank=True, help_text="What the tests found.")
    reason = BoundedTextField(max_length=NOTE, blank=True, help_text="Why it was not tested, or does not apply.")
    updated_at = models.DateTimeField(auto_now=True)

    history = HistoricalRecords()

    class Meta:
        ordering = ["use_case", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["use_case", "mode"], name="failuremodetest_one_per_mode"),
            models.CheckConstraint(condition=Q(mode__in=FailureMode.values), name="failuremodetest_mode_valid"),
            models.CheckConstraint(condition=Q(status__in=TestStatus.values), name="failuremodetest_status_valid"),
            models.CheckConstraint(
                condition=(Q(status="tested") & ~Q(method="") & ~Q(result=""))
                | (Q(status__in=["not_tested", "not_applicable"]) & ~Q(reason="")),
                name="failuremodetest_answer_complete",
                violation_error_message=(
                    "A tested mode needs how it was tested and what was found; "
                    "an untested or inapplicable one needs a reason."
                ),
            ),
        ]

    def __str__(self):
        return f"{self.use_case_id}: {self.get_mode_display()} ({self.get_status_display().lower()})"

    def clean(self):
        errors = {}
        if self.status == TestStatus.TESTED:
            if not self.method.strip():
                errors["method"] = "Say how it was tested: the dataset or harness, and the sample size."
            if not self.result.strip():
                errors["result"] = "Say what the tests found."
        elif self.status and not self.reason.strip():
            errors["reason"] = "Say why it was not tested, or why it does not apply."
        if errors:
            raise ValidationError(errors)

    @property
    def evidences(self) -> str:
        """The security-testing checklist item this answer backs."""
        return EVIDENCES[self.mode]
