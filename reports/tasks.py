"""The reporting layer's background work: report exports, rendered and requeued."""

from celery import shared_task

from approvals.tasks import RENDER_LIMITS


@shared_task(**RENDER_LIMITS)
def render_report_export(export_id: int) -> str:
    """Render an executive report PDF. A failure is recorded on the export (the person can ask again),
    not retried: the same filters over the same data would fail the same way. A worker lost mid-render
    is another matter: the requeue below takes the export again, up to its attempt cap."""
    from reports.figures import report_export_render

    return report_export_render(export_id=export_id)


@shared_task
def requeue_report_exports() -> int:
    """Queue again the report exports the broker never delivered, or whose worker died; fail those
    whose attempts are spent."""
    from reports.figures import report_exports_requeue

    return report_exports_requeue()
