from django.contrib import admin

from approvals.models import ApprovalRecord, Notification, ReportExport
from governance.admin import ReadOnlyAdmin


class NoSimpleHistory:
    """For models that keep no simple-history (outbox rows, records, exports): the history page is
    Django's own log; simple-history's would fail on a model it does not track."""

    object_history_template = None
    object_history_form_template = None

    def history_view(self, request, object_id, extra_context=None):
        return admin.ModelAdmin.history_view(self, request, object_id, extra_context)


@admin.register(Notification)
class NotificationAdmin(NoSimpleHistory, ReadOnlyAdmin):
    list_display = ["subject", "recipient", "created_at", "sent_at", "attempts"]
    list_filter = ["sent_at"]
    list_select_related = ["recipient"]


@admin.register(ApprovalRecord)
class ApprovalRecordAdmin(NoSimpleHistory, ReadOnlyAdmin):
    list_display = ["round", "created_at", "sha256", "pages", "size", "render_seconds"]
    list_select_related = ["round__use_case"]
    search_fields = ["sha256", "snapshot_sha256", "round__use_case__reference"]
    readonly_fields = ["round", "file", "sha256", "snapshot_sha256", "size", "pages", "created_at", "render_seconds"]


@admin.register(ReportExport)
class ReportExportAdmin(NoSimpleHistory, ReadOnlyAdmin):
    list_display = ["pk", "requested_by", "status", "progress", "use_case_count", "created_at", "finished_at"]
    list_filter = ["status"]
    list_select_related = ["requested_by"]
    readonly_fields = [
        "requested_by",
        "filters",
        "status",
        "progress",
        "file",
        "sha256",
        "error",
        "created_at",
        "finished_at",
        "use_case_count",
    ]
