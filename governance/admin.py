from django.contrib import admin
from guardian.admin import GuardedModelAdminMixin
from simple_history.admin import SimpleHistoryAdmin

from governance.models import AIModel, DataCategory, Risk, UseCase, Vendor
from governance.services import registry_save


class RegistryAdmin(SimpleHistoryAdmin):
    """Vendor and model edits go through the registry service, so changes that affect approvals are seen."""

    def save_model(self, request, obj, form, change):
        registry_save(obj, user=request.user, changed=form.changed_data if change else ())


class ReadOnlyAdmin(SimpleHistoryAdmin):
    """Requests and their risks change only through the workflow services, so admins read them here."""

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


class AIModelInline(admin.TabularInline):
    model = AIModel
    fields = ["name", "version", "distribution", "licence_name", "lifecycle"]
    extra = 0
    show_change_link = True


@admin.register(Vendor)
class VendorAdmin(RegistryAdmin):
    list_display = ["name", "hq_country", "ownership", "sanctions_status", "sanctions_checked_on"]
    list_filter = ["sanctions_status", "hq_country", "ownership"]
    search_fields = ["name", "native_name", "legal_name"]
    inlines = [AIModelInline]


@admin.register(AIModel)
class AIModelAdmin(RegistryAdmin):
    list_display = ["name", "vendor", "version", "origin_country", "distribution", "architecture", "lifecycle"]
    list_filter = ["distribution", "architecture", "lifecycle", "origin_country"]
    list_select_related = ["vendor"]
    search_fields = ["name", "native_name", "family", "version", "vendor__name"]


@admin.register(DataCategory)
class DataCategoryAdmin(SimpleHistoryAdmin):
    list_display = ["name", "sensitivity"]
    prepopulated_fields = {"slug": ["name"]}


class RiskInline(admin.TabularInline):
    model = Risk
    fields = [
        "title",
        "category",
        "inherent_likelihood",
        "inherent_impact",
        "residual_likelihood",
        "residual_impact",
        "owner",
    ]
    readonly_fields = fields
    extra = 0
    can_delete = False

    def has_add_permission(self, request, obj=None):
        return False


@admin.register(UseCase)
class UseCaseAdmin(GuardedModelAdminMixin, ReadOnlyAdmin):
    list_display = [
        "reference",
        "title",
        "status",
        "primary_model",
        "deployment_mode",
        "hosting_country",
        "business_owner",
    ]
    list_filter = ["status", "deployment_mode", "autonomy"]
    list_select_related = ["primary_model", "business_owner"]
    search_fields = ["reference", "title", "purpose"]
    inlines = [RiskInline]


@admin.register(Risk)
class RiskAdmin(ReadOnlyAdmin):
    list_display = [
        "title",
        "use_case",
        "category",
        "inherent_likelihood",
        "inherent_impact",
        "residual_likelihood",
        "residual_impact",
    ]
    list_select_related = ["use_case"]
    list_filter = ["category"]
