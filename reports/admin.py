from django.contrib import admin

from approvals.admin import NoSimpleHistory, RetryByGovernanceAdmins
from governance.admin import ReadOnlyAdmin
from reports.figures import report_export_retry
from reports.models import ReportExport


@admin.register(ReportExport)
class ReportExportAdmin(NoSimpleHistory, RetryByGovernanceAdmins, ReadOnlyAdmin):
    list_display = [
        "pk",
        "requested_by",
        "status",
        "progress",
        "attempts",
        "use_case_count",
        "created_at",
        "heartbeat_at",
        "finished_at",
        "error",
    ]
    list_filter = ["status"]
    list_select_related = ["requested_by"]
    readonly_fields = [
        "requested_by",
        "filters",
        "status",
        "progress",
        "attempts",
        "file",
        "sha256",
        "error",
        "created_at",
        "heartbeat_at",
        "finished_at",
        "use_case_count",
    ]
    actions = ["retry_exports"]

    @admin.action(description="Retry the selected failed exports", permissions=["retry"])
    def retry_exports(self, request, queryset):
        retried = sum(report_export_retry(export_id=pk) for pk in queryset.values_list("pk", flat=True))
        self.message_user(request, f"{retried} export(s) queued again; exports not failed were left alone.")
