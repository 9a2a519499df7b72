from django.contrib import admin, messages

from approvals.models import ApprovalRecord, Notification, ReportExport
from approvals.notifications import notifications_retry
from governance.admin import ReadOnlyAdmin
from governance.permissions import has_role
from governance.roles import Role


class NotificationStateFilter(admin.SimpleListFilter):
    title = "state"
    parameter_name = "state"

    def lookups(self, request, model_admin):
        return [("pending", "Waiting"), ("failed", "Failed"), ("sent", "Sent")]

    def queryset(self, request, queryset):
        if self.value() == "pending":
            return queryset.filter(sent_at__isnull=True, failed_at__isnull=True)
        if self.value() == "failed":
            return queryset.filter(failed_at__isnull=False)
        if self.value() == "sent":
            return queryset.filter(sent_at__isnull=False)
        return queryset


@admin.register(Notification)
class NotificationAdmin(ReadOnlyAdmin):
    list_display = ["subject", "recipient", "created_at", "sent_at", "attempts", "failed_at", "last_error"]
    list_filter = [NotificationStateFilter, "created_at"]
    list_select_related = ["recipient"]
    actions = ["retry"]

    def has_retry_permission(self, request) -> bool:
        return request.user.is_superuser or has_role(request.user, Role.ADMIN)

    @admin.action(description="Retry the selected notifications", permissions=["retry"])
    def retry(self, request, queryset):
        count = notifications_retry(notification_ids=queryset.values_list("pk", flat=True))
        self.message_user(request, f"{count} notification(s) queued again.", messages.SUCCESS)


@admin.register(ApprovalRecord)
class ApprovalRecordAdmin(ReadOnlyAdmin):
    list_display = ["round", "created_at", "sha256", "pages", "size", "render_seconds"]
    list_select_related = ["round__use_case"]
    search_fields = ["sha256", "snapshot_sha256", "round__use_case__reference"]
    readonly_fields = ["round", "file", "sha256", "snapshot_sha256", "size", "pages", "created_at", "render_seconds"]
    # A record never changes, so it keeps no simple-history; use Django's own log for the history page.
    object_history_template = None
    object_history_form_template = None

    def history_view(self, request, object_id, extra_context=None):
        return admin.ModelAdmin.history_view(self, request, object_id, extra_context)


@admin.register(ReportExport)
class ReportExportAdmin(ReadOnlyAdmin):
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
