from django.contrib import admin

from identity.models import ExternalIdentity, RoleChange


class ViewOnlyAdmin(admin.ModelAdmin):
    """Roles and accounts change through the people pages (identity.services), each change recorded; the
    admin only reads them."""

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(RoleChange)
class RoleChangeAdmin(ViewOnlyAdmin):
    list_display = ["at", "person", "action", "role", "source", "actor"]
    list_filter = ["action", "source", "role", "at"]
    list_select_related = ["person", "actor"]
    search_fields = ["person__username", "person__email", "role", "reason"]
    readonly_fields = ["person", "action", "role", "source", "actor", "reason", "at"]


@admin.register(ExternalIdentity)
class ExternalIdentityAdmin(ViewOnlyAdmin):
    list_display = ["user", "subject", "issuer", "last_signed_in_at"]
    list_select_related = ["user"]
    search_fields = ["user__username", "subject", "issuer"]
    readonly_fields = ["user", "issuer", "subject", "groups", "first_signed_in_at", "last_signed_in_at"]
