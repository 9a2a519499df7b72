"""What the reporting layer keeps: the executive report's PDF exports, rendered in the background."""

from django.conf import settings
from django.db import models
from django.db.models import Q

from governance.limits import NOTE, BoundedTextField


class ReportExport(models.Model):
    """One PDF of the executive report, rendered in the background for the person who asked for it.

    `progress` moves through the stages below while a worker renders it; the page that shows it
    refreshes itself until it is done or failed.
    """

    class Status(models.TextChoices):
        QUEUED = "queued", "Queued"
        RENDERING = "rendering", "Rendering"
        DONE = "done", "Done"
        FAILED = "failed", "Failed"

    class Stage(models.IntegerChoices):
        """The progress each stage starts at."""

        QUEUED = 0, "Waiting for a worker"
        COMPUTING = 10, "Computing the figures"
        RENDERING = 30, "Rendering the PDF"
        STORING = 80, "Storing the file"
        DONE = 100, "Done"

    requested_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="report_exports")
    filters = models.JSONField(default=dict, blank=True, help_text="The report's filters, as the form cleaned them.")
    status = models.CharField(max_length=20, choices=Status, default=Status.QUEUED)
    progress = models.PositiveSmallIntegerField(default=0)
    file = models.FileField(upload_to="reports/", max_length=300, blank=True)
    sha256 = models.CharField(max_length=64, blank=True, help_text="SHA-256 of the PDF file.")
    error = BoundedTextField(max_length=NOTE, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    finished_at = models.DateTimeField(null=True, blank=True)
    use_case_count = models.PositiveIntegerField(null=True, blank=True)
    # Each claim adds one; the attempt number identifies the claim, so a superseded worker's late
    # writes (progress, done, failed) match no row.
    attempts = models.PositiveSmallIntegerField(default=0)
    heartbeat_at = models.DateTimeField(null=True, blank=True, help_text="Last sign of life of the rendering worker.")

    class Meta:
        ordering = ["-created_at", "-pk"]
        verbose_name = "report export"
        indexes = [models.Index(fields=["requested_by", "-created_at"]), models.Index(fields=["status", "created_at"])]
        constraints = [
            models.CheckConstraint(
                condition=Q(status__in=["queued", "rendering", "done", "failed"]), name="export_status_valid"
            ),
            models.CheckConstraint(condition=Q(progress__gte=0, progress__lte=100), name="export_progress_0_to_100"),
            models.CheckConstraint(
                condition=~Q(status="done") | (~Q(file="") & ~Q(sha256="")), name="export_done_has_file"
            ),
        ]

    def __str__(self):
        return f"Report export {self.pk} for {self.requested_by} ({self.get_status_display()})"

    @property
    def is_pending(self) -> bool:
        return self.status in (self.Status.QUEUED, self.Status.RENDERING)

    @property
    def stage_label(self) -> str:
        if self.status == self.Status.FAILED:
            return "Failed"
        return [stage.label for stage in self.Stage if stage.value <= self.progress][-1]

    @property
    def file_name(self) -> str:
        return f"clearance-portfolio-{self.created_at:%Y-%m-%d}-{self.pk}.pdf"
