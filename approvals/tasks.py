"""Background work. Each task takes an id, calls a service, and owns its retries."""

import logging
from datetime import timedelta

from celery import shared_task
from celery.exceptions import SoftTimeLimitExceeded
from celery.signals import worker_process_init
from django.conf import settings

from approvals.documents.pdf import RenderLimitExceeded
from approvals.notifications import DeliveryFailed, notification_deliver, notifications_pending

log = logging.getLogger(__name__)


@worker_process_init.connect
def prepare_renderer(**kwargs) -> None:
    """Each worker process loads the PDF renderer, its fonts and the stylesheets once, as it starts,
    rather than in its first render (the web processes never load them)."""
    from approvals.documents.pdf import prepare

    try:
        prepare()
    except Exception:  # a render will try again, and report what fails
        log.exception("Could not prepare the PDF renderer")


# The notification's own attempt cap (CLEARANCE_NOTIFICATION_MAX_ATTEMPTS) ends the retries: a row that
# used its last attempt is failed and returns "failed". max_retries is only a backstop above it.
@shared_task(bind=True, max_retries=100, default_retry_delay=60)
def deliver_notification(self, notification_id: int) -> str:
    """Send one notification e-mail; retry later when it fails and has attempts left."""
    try:
        return notification_deliver(notification_id=notification_id)
    except DeliveryFailed as exc:
        if self.request.is_eager:
            # In-process, a retry would run at once inside the request that queued it.
            log.warning("Notification %s failed (%s); left for the sweep", notification_id, exc)
            return "pending"
        raise self.retry(exc=exc) from exc


@shared_task
def deliver_pending_notifications(min_age_seconds: int = 60) -> int:
    """Send what the broker never delivered (it was down, a worker died, or the send failed). Each
    notification's failure is recorded on it and never stops the others. Returns how many were sent."""
    sent = 0
    for notification_id in notifications_pending(min_age=timedelta(seconds=min_age_seconds)):
        try:
            sent += notification_deliver(notification_id=notification_id) == "sent"
        except DeliveryFailed:
            log.warning("Notification %s failed again; it stays pending", notification_id)
        except Exception:
            log.exception("Notification %s could not be attempted; it stays pending", notification_id)
    return sent


@shared_task(bind=True, max_retries=3, default_retry_delay=60)
def suspend_dependents(self, model_id: int | None = None, vendor_id: int | None = None, reason: str = "") -> int:
    """Suspend the approvals that depend on a model or vendor whose facts changed."""
    from approvals.sweeps import approvals_suspend_dependents

    return approvals_suspend_dependents(model_id=model_id, vendor_id=vendor_id, reason=reason)


@shared_task
def suspend_stale_approvals() -> int:
    from approvals.sweeps import approvals_suspend_stale

    return approvals_suspend_stale()


@shared_task
def expire_approvals() -> int:
    from approvals.sweeps import approvals_expire

    return approvals_expire()


@shared_task
def remind_overdue_signoffs() -> int:
    from approvals.sweeps import signoffs_remind_overdue

    return signoffs_remind_overdue()


@shared_task
def sweep_conditions() -> tuple[int, int, int]:
    from approvals.conditions import conditions_sweep

    return conditions_sweep()


@shared_task
def remind_expiring_approvals() -> int:
    from approvals.sweeps import approvals_remind_expiring

    return approvals_remind_expiring()


# Renders run within their own time limits (config/settings.py): the soft one raises inside the render,
# which records the failure; the hard one ends the process if the renderer does not return.
RENDER_LIMITS = {
    "soft_time_limit": settings.CLEARANCE_RENDER_SOFT_SECONDS,
    "time_limit": settings.CLEARANCE_RENDER_HARD_SECONDS,
}


@shared_task(bind=True, max_retries=2, default_retry_delay=60, **RENDER_LIMITS)
def render_approval_record(self, round_id: int) -> int | None:
    """Render the approval record of a decided round (once: a second run returns the first record).

    Returns the record's id; None for a round with no outcome to record, one another worker is
    rendering, or one that failed for good. Retries a failed render within the round's attempt cap (a
    retry is an attempt), and the sweep below renders whatever is still missing after that.
    """
    from approvals.documents.records import RecordBusy, RecordGaveUp, RecordRefused, approval_record_render

    try:
        return approval_record_render(round_id=round_id).pk
    except (RecordRefused, RecordBusy, RecordGaveUp) as exc:
        log.warning("Not rendering a record: %s", exc)
        return None
    except (RenderLimitExceeded, SoftTimeLimitExceeded) as exc:
        log.error("The record of round %s failed for good: %s", round_id, exc)
        return None
    except Exception as exc:
        raise self.retry(exc=exc) from exc


@shared_task
def render_missing_records(min_age_seconds: int = 120) -> int:
    """Queue the renders of decided rounds that have no record (the broker was down, a worker died, a
    render failed short of its cap). Each render is its own task, within its own time limit."""
    from approvals.documents.records import records_queue_missing

    return records_queue_missing(min_age=timedelta(seconds=min_age_seconds))
