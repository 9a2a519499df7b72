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
