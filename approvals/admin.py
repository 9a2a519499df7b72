from django.contrib import admin, messages
from django.db.models import Q
from django.http import Http404
from django.utils import timezone

from approvals.documents.records import MAX_RECORD_ATTEMPTS, record_render_retry
from approvals.models import ApprovalRecord, Notification, RecordRender
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


class RetryByGovernanceAdmins:
    """Background work is read-only in the admin except for one verb: governance admins may retry what
    failed for good."""

    def has_retry_permission(self, request) -> bool:
        return request.user.is_superuser or has_role(request.user, Role.ADMIN)


class NoSimpleHistory:
    """For models that keep no simple-history (outbox rows, records, exports): the history page is
    Django's own log; simple-history's would fail on a model it does not track."""

    object_history_template = None
    object_history_form_template = None

    def history_view(self, request, object_id, extra_context=None):
        return admin.ModelAdmin.history_view(self, request, object_id, extra_context)

    def history_form_view(self, request, object_id, version_id, extra_context=None):
        raise Http404("This kind of row keeps no versions.")


@admin.register(Notification)
class NotificationAdmin(NoSimpleHistory, RetryByGovernanceAdmins, ReadOnlyAdmin):
    list_display = ["subject", "recipient", "created_at", "sent_at", "attempts", "failed_at", "last_error"]
    list_filter = [NotificationStateFilter, "created_at"]
    list_select_related = ["recipient"]
    actions = ["retry"]

    @admin.action(description="Retry the selected notifications", permissions=["retry"])
    def retry(self, request, queryset):
        count = notifications_retry(notification_ids=queryset.values_list("pk", flat=True))
        self.message_user(request, f"{count} notification(s) queued again.", messages.SUCCESS)


@admin.register(ApprovalRecord)
class ApprovalRecordAdmin(NoSimpleHistory, ReadOnlyAdmin):
    list_display = ["round", "created_at", "sha256", "pages", "size", "render_seconds"]
    list_select_related = ["round__use_case"]
    search_fields = ["sha256", "snapshot_sha256", "round__use_case__reference"]
    readonly_fields = ["round", "file", "sha256", "snapshot_sha256", "size", "pages", "created_at", "render_seconds"]


class RecordRenderState(admin.SimpleListFilter):
    title = "state"
    parameter_name = "state"

    def lookups(self, request, model_admin):
        return [("failed", "Failed"), ("rendering", "Rendering"), ("waiting", "Waiting to be tried again")]

    def queryset(self, request, queryset):
        now = timezone.now()
        failed = Q(failed_at__isnull=False) | Q(attempts__gte=MAX_RECORD_ATTEMPTS, claimed_until__lte=now)
        pending = queryset.filter(round__record__isnull=True)
        if self.value() == "failed":
            return pending.filter(failed)
        if self.value() == "rendering":
            return pending.filter(claimed_until__gt=now)
        if self.value() == "waiting":
            return pending.exclude(failed).exclude(claimed_until__gt=now)
        return queryset


@admin.register(RecordRender)
class RecordRenderAdmin(NoSimpleHistory, RetryByGovernanceAdmins, ReadOnlyAdmin):
    """Each round's record render: its attempts and last error. A round whose record failed for good
    shows here as failed, with a retry."""

    list_display = ["round", "state", "attempts", "last_error", "claimed_until", "failed_at", "updated_at"]
    list_filter = [RecordRenderState]
    list_select_related = ["round__use_case", "round__record"]
    search_fields = ["round__use_case__reference"]
    readonly_fields = ["round", "attempts", "claim", "claimed_until", "last_error", "failed_at", "updated_at"]
    actions = ["retry_records"]

    @admin.display(description="State")
    def state(self, obj: RecordRender) -> str:
        if hasattr(obj.round, "record"):
            return "Rendered"
        now = timezone.now()
        if obj.claimed_until and obj.claimed_until > now:
            return "Rendering"
        if obj.failed_at or obj.attempts >= MAX_RECORD_ATTEMPTS:
            return "Failed"
        return "Waiting to be tried again"

    @admin.action(description="Retry the records of the selected rounds", permissions=["retry"])
    def retry_records(self, request, queryset):
        retried = sum(record_render_retry(round_id=pk) for pk in queryset.values_list("round_id", flat=True))
        level = messages.SUCCESS if retried else messages.WARNING
        self.message_user(
            request, f"{retried} record(s) queued again; rendered or rendering ones were left alone.", level
        )
