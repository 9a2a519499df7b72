from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from evaluations.models import EvaluationResult, EvaluationRun, EvaluationThreshold, FailureModeMapping, ModelPrice
from governance.admin import ReadOnlyAdmin


@admin.register(FailureModeMapping)
class FailureModeMappingAdmin(SimpleHistoryAdmin):
    list_display = ["pattern", "harness", "failure_mode", "note"]
    list_filter = ["harness", "failure_mode"]
    search_fields = ["pattern", "note"]
    fields = ["harness", "pattern", "failure_mode", "note"]


@admin.register(ModelPrice)
class ModelPriceAdmin(SimpleHistoryAdmin):
    list_display = ["ai_model", "input_per_million", "output_per_million", "currency", "checked_on"]
    search_fields = ["ai_model__name", "ai_model__version"]
    autocomplete_fields = ["ai_model"]
    fields = ["ai_model", "input_per_million", "output_per_million", "currency", "source", "checked_on"]
    list_select_related = ["ai_model__vendor"]


@admin.register(EvaluationRun)
class EvaluationRunAdmin(ReadOnlyAdmin):
    list_display = ["name", "use_case", "harness", "model_reported", "ai_model", "samples", "imported_at"]
    list_filter = ["harness"]
    search_fields = ["name", "use_case__reference", "model_reported"]
    list_select_related = ["use_case", "ai_model__vendor"]


@admin.register(EvaluationResult)
class EvaluationResultAdmin(admin.ModelAdmin):
    """A run's tests keep no history of their own (the run's records their import): a plain admin, read-only."""

    list_display = ["name", "detail", "run", "samples", "passed", "failed"]
    search_fields = ["name", "detail", "run__use_case__reference"]
    list_select_related = ["run"]

    has_add_permission = ReadOnlyAdmin.has_add_permission
    has_change_permission = ReadOnlyAdmin.has_change_permission
    has_delete_permission = ReadOnlyAdmin.has_delete_permission


@admin.register(EvaluationThreshold)
class EvaluationThresholdAdmin(ReadOnlyAdmin):
    list_display = ["failure_mode", "sensitivity", "min_pass_rate", "set_by", "set_at"]
    list_select_related = ["set_by"]
