"""The evaluation checklist: versioned templates of sections and items, and each use case's answers."""

from django.conf import settings
from django.core.validators import RegexValidator
from django.db import models
from django.db.models import Q
from simple_history.models import HistoricalRecords

from governance.limits import NOTE, PROSE, BoundedTextField
from governance.models import UseCase
from governance.roles import Function


class ChecklistTemplate(models.Model):
    """One version of the checklist. A published version never changes; a new one is added instead."""

    version = models.PositiveIntegerField(unique=True)
    title = models.CharField(max_length=200)
    source = BoundedTextField(max_length=NOTE, blank=True, help_text="Where the checklist comes from.")
    published_at = models.DateTimeField(null=True, blank=True)

    history = HistoricalRecords()

    class Meta:
        ordering = ["-version"]
        constraints = [models.CheckConstraint(condition=Q(version__gte=1), name="checklisttemplate_version_positive")]

    def __str__(self):
        return f"{self.title} v{self.version}"


class ChecklistSection(models.Model):
    template = models.ForeignKey(ChecklistTemplate, on_delete=models.CASCADE, related_name="sections")
    position = models.PositiveSmallIntegerField()
    title = models.CharField(max_length=200)
    guidance = BoundedTextField(max_length=NOTE, blank=True)

    history = HistoricalRecords()

    class Meta:
        ordering = ["template", "position"]
        constraints = [
            models.UniqueConstraint(fields=["template", "position"], name="checklistsection_unique_position")
        ]

    def __str__(self):
        return self.title


class ChecklistItem(models.Model):
    section = models.ForeignKey(ChecklistSection, on_delete=models.CASCADE, related_name="items")
    position = models.PositiveSmallIntegerField()
    code = models.CharField(max_length=10, validators=[RegexValidator(r"^[A-Z]{2,4}-\d{1,2}$")])
    text = BoundedTextField(max_length=NOTE)
    owner_function = models.CharField(max_length=20, choices=Function)
    guidance = BoundedTextField(max_length=NOTE, blank=True)
    # What an auditor accepts, shown beside the item wherever it is answered. Part of the item, so part of
    # its template version: a later version words it afresh.
    yes_requires = BoundedTextField(
        "what a “Yes” requires", max_length=NOTE, blank=True, help_text="What must be true to answer yes."
    )
    evidence_expected = BoundedTextField(
        "evidence expected", max_length=NOTE, blank=True, help_text="The documents or records that show it."
    )

    history = HistoricalRecords()

    class Meta:
        ordering = ["section__template", "section__position", "position"]
        constraints = [
            models.UniqueConstraint(fields=["section", "position"], name="checklistitem_unique_position"),
            models.UniqueConstraint(fields=["section", "code"], name="checklistitem_unique_code"),
            models.CheckConstraint(
                condition=Q(owner_function__in=[f.value for f in Function]), name="checklistitem_function_valid"
            ),
        ]

    def __str__(self):
        return f"{self.code} {self.text}"


class Answer(models.Model):
    """A use case's answer to one checklist item, given by someone of the item's owning function."""

    class Response(models.TextChoices):
        YES = "yes", "Yes"
        PARTIAL = "partial", "Partially"
        NO = "no", "No"
        NOT_APPLICABLE = "n/a", "Not applicable"

    use_case = models.ForeignKey(UseCase, on_delete=models.CASCADE, related_name="answers")
    item = models.ForeignKey(ChecklistItem, on_delete=models.PROTECT, related_name="answers")
    response = models.CharField(max_length=10, choices=Response)
    justification = BoundedTextField(max_length=PROSE, blank=True)
    answered_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    answered_at = models.DateTimeField(auto_now=True)

    history = HistoricalRecords()

    class Meta:
        ordering = ["use_case", "item__section__position", "item__position"]
        constraints = [
            models.UniqueConstraint(fields=["use_case", "item"], name="answer_one_per_item"),
            models.CheckConstraint(
                condition=Q(response__in=["yes", "partial", "no", "n/a"]), name="answer_response_valid"
            ),
            # Anything short of a plain "yes" must say why.
            models.CheckConstraint(
                condition=Q(response="yes") | ~Q(justification=""), name="answer_justified_unless_yes"
            ),
        ]

    def __str__(self):
        return f"{self.use_case.reference} {self.item.code}: {self.get_response_display()}"


def evidence_path(instance, filename):
    return f"evidence/{instance.answer.use_case.reference}/{instance.sha256[:16]}/{filename}"


class Evidence(models.Model):
    """A file that backs an answer. Its SHA-256 is taken on upload and recorded with it."""

    answer = models.ForeignKey(Answer, on_delete=models.CASCADE, related_name="evidence")
    file = models.FileField(upload_to=evidence_path, max_length=300)
    name = models.CharField(max_length=255)
    sha256 = models.CharField(max_length=64, validators=[RegexValidator(r"^[0-9a-f]{64}$")])
    size = models.PositiveBigIntegerField()
    content_type = models.CharField(max_length=100, blank=True)
    uploaded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    uploaded_at = models.DateTimeField(auto_now_add=True)

    history = HistoricalRecords()

    class Meta:
        ordering = ["answer", "uploaded_at"]
        verbose_name_plural = "evidence"
        constraints = [
            models.UniqueConstraint(fields=["answer", "sha256"], name="evidence_unique_file_per_answer"),
        ]

    def __str__(self):
        return self.name


class Framework(models.TextChoices):
    """The external frameworks each checklist item is mapped to."""

    EU_AI_ACT = "eu_ai_act", "EU AI Act"
    ISO_42001 = "iso_42001", "ISO/IEC 42001"
    NIST_AI_RMF = "nist_ai_rmf", "NIST AI RMF"


FRAMEWORK_SOURCES = {
    Framework.EU_AI_ACT: "Regulation (EU) 2024/1689",
    Framework.ISO_42001: "ISO/IEC 42001:2023, Annex A",
    Framework.NIST_AI_RMF: "NIST AI 100-1, AI Risk Management Framework 1.0",
}


class FrameworkReference(models.Model):
    """One clause of a framework that a checklist item helps satisfy: the crosswalk, kept as data.

    It belongs to an item of one template version, so a later version carries its own crosswalk; governance
    admins edit it in the admin, with history. A row with no clause states why the item maps to nothing in
    that framework. Only clause identifiers and short titles are kept, never the framework's text.
    """

    item = models.ForeignKey(ChecklistItem, on_delete=models.CASCADE, related_name="framework_references")
    framework = models.CharField(max_length=20, choices=Framework)
    reference = models.CharField(
        max_length=40, blank=True, help_text="The clause, e.g. Art. 26(6), A.6.2.8, MEASURE 2.7."
    )
    title = models.CharField(max_length=200, blank=True, help_text="Its short title; never the clause's text.")
    unmapped_reason = models.CharField(
        max_length=300, blank=True, help_text="Only when no clause applies: why this item maps to nothing here."
    )

    history = HistoricalRecords()

    class Meta:
        ordering = ["item", "framework", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["item", "framework", "reference"], name="frameworkreference_unique"),
            models.CheckConstraint(
                condition=Q(framework__in=[f.value for f in Framework]), name="frameworkreference_framework_valid"
            ),
            # A clause with its title, or no clause and the reason why.
            models.CheckConstraint(
                condition=(~Q(reference="") & ~Q(title="") & Q(unmapped_reason=""))
                | (Q(reference="", title="") & ~Q(unmapped_reason="")),
                name="frameworkreference_clause_or_reason",
            ),
        ]

    def __str__(self):
        return f"{self.item.code} → {self.get_framework_display()} {self.reference or '(none)'}"
