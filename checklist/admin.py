from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from checklist.models import Answer, ChecklistItem, ChecklistSection, ChecklistTemplate, Evidence, FrameworkReference
from governance.admin import ReadOnlyAdmin


class SectionInline(admin.TabularInline):
    model = ChecklistSection
    extra = 0
    show_change_link = True


class ItemInline(admin.StackedInline):
    model = ChecklistItem
    fields = [("position", "code", "owner_function"), "text", "yes_requires", "evidence_expected"]
    extra = 0
    show_change_link = True


@admin.register(ChecklistTemplate)
class ChecklistTemplateAdmin(SimpleHistoryAdmin):
    list_display = ["title", "version", "published_at"]
    inlines = [SectionInline]


@admin.register(ChecklistSection)
class ChecklistSectionAdmin(SimpleHistoryAdmin):
    list_display = ["title", "template", "position"]
    list_select_related = ["template"]
    inlines = [ItemInline]


class FrameworkReferenceInline(admin.TabularInline):
    model = FrameworkReference
    fields = ["framework", "reference", "title", "unmapped_reason"]
    extra = 0


@admin.register(ChecklistItem)
class ChecklistItemAdmin(SimpleHistoryAdmin):
    list_display = ["code", "text", "owner_function", "section"]
    list_filter = ["owner_function", "section__template"]
    list_select_related = ["section"]
    search_fields = ["code", "text", "yes_requires", "evidence_expected"]
    fieldsets = [
        (None, {"fields": ["section", "position", "code", "text", "owner_function", "guidance"]}),
        ("What an auditor accepts", {"fields": ["yes_requires", "evidence_expected"]}),
    ]
    inlines = [FrameworkReferenceInline]


class EvidenceInline(admin.TabularInline):
    model = Evidence
    fields = ["name", "sha256", "size", "uploaded_by", "uploaded_at"]
    readonly_fields = fields
    extra = 0
    can_delete = False


@admin.register(Answer)
class AnswerAdmin(ReadOnlyAdmin):
    list_display = ["use_case", "item", "response", "answered_by", "answered_at"]
    list_filter = ["response", "item__owner_function"]
    list_select_related = ["use_case", "item", "answered_by"]
    inlines = [EvidenceInline]


@admin.register(Evidence)
class EvidenceAdmin(ReadOnlyAdmin):
    list_display = ["name", "answer", "sha256", "size", "uploaded_by"]
    list_select_related = ["answer__use_case", "answer__item", "uploaded_by"]


@admin.register(FrameworkReference)
class FrameworkReferenceAdmin(SimpleHistoryAdmin):
    """The crosswalk: which clauses of the EU AI Act, ISO/IEC 42001 and the NIST AI RMF each item serves."""

    list_display = ["item", "framework", "reference", "title", "unmapped_reason"]
    list_filter = ["framework", "item__section__template"]
    list_select_related = ["item"]
    search_fields = ["reference", "title", "item__code"]
