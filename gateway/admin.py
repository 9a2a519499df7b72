from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from gateway.models import ApplicationAlias, ModelIdentifier
from gateway.services import application_alias_save, model_identifier_save


@admin.register(ApplicationAlias)
class ApplicationAliasAdmin(SimpleHistoryAdmin):
    list_display = ["alias", "use_case", "created_by", "created_at"]
    search_fields = ["alias", "use_case__reference", "use_case__title"]
    autocomplete_fields = ["use_case"]
    fields = ["alias", "use_case"]
    list_select_related = ["use_case", "created_by"]

    def save_model(self, request, obj, form, change):
        application_alias_save(alias=obj, user=request.user)


@admin.register(ModelIdentifier)
class ModelIdentifierAdmin(SimpleHistoryAdmin):
    list_display = ["name", "ai_model", "litellm_model", "created_by", "created_at"]
    search_fields = ["name", "litellm_model", "ai_model__name", "ai_model__version"]
    autocomplete_fields = ["ai_model"]
    fields = ["name", "ai_model", "litellm_model"]
    list_select_related = ["ai_model__vendor", "created_by"]

    def save_model(self, request, obj, form, change):
        model_identifier_save(identifier=obj, user=request.user)
