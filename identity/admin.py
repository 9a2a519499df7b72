from django.contrib import admin

from governance.admin import ReadOnlyAdmin
from identity.models import ApiToken, ExternalIdentity, RoleChange, ServiceAccount


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


@admin.register(ServiceAccount)
class ServiceAccountAdmin(ReadOnlyAdmin):
    """Service accounts change on their pages (identity.service_accounts): here they are read, with their
    history."""

    list_display = ["name", "scopes", "created_by", "created_at", "deactivated_at"]
    list_filter = ["deactivated_at"]
    list_select_related = ["created_by"]
    search_fields = ["name", "description", "user__username"]
    readonly_fields = ["name", "description", "scopes", "user", "created_by", "created_at", "deactivated_at"]


@admin.register(ApiToken)
class ApiTokenAdmin(ViewOnlyAdmin):
    # The digest is left out: it identifies the token, and nobody needs to read it.
    list_display = ["prefix", "name", "service_account", "created_by", "created_at", "expires_at", "last_used_at"]
    list_filter = ["revoked_at", "expires_at"]
    list_select_related = ["service_account", "created_by"]
    search_fields = ["prefix", "name", "service_account__name"]
    fields = readonly_fields = [
        "service_account",
        "name",
        "prefix",
        "created_by",
        "created_at",
        "expires_at",
        "last_used_at",
        "revoked_at",
        "revoked_by",
    ]
