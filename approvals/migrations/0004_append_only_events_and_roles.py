"""Approval events are append-only in the database itself, and admins may read the review rounds.

SQLite gets no DELETE trigger: Django's flush (between transactional tests, `manage.py flush`) deletes
rows there, where PostgreSQL truncates, which a row trigger does not see.
"""

from django.db import migrations

from governance.roles import sync_role_groups

ROLE_PERMISSIONS = {
    "Business owners": [
        "governance.view_vendor",
        "governance.view_aimodel",
        "governance.view_datacategory",
        "checklist.view_checklisttemplate",
        "checklist.view_checklistsection",
        "checklist.view_checklistitem",
        "governance.add_usecase",
    ],
    "Legal reviewers": [
        "governance.view_vendor",
        "governance.view_aimodel",
        "governance.view_datacategory",
        "checklist.view_checklisttemplate",
        "checklist.view_checklistsection",
        "checklist.view_checklistitem",
        "governance.view_usecase",
        "governance.view_risk",
        "checklist.view_answer",
        "checklist.view_evidence",
    ],
    "Privacy reviewers": [
        "governance.view_vendor",
        "governance.view_aimodel",
        "governance.view_datacategory",
        "checklist.view_checklisttemplate",
        "checklist.view_checklistsection",
        "checklist.view_checklistitem",
        "governance.view_usecase",
        "governance.view_risk",
        "checklist.view_answer",
        "checklist.view_evidence",
    ],
    "Security reviewers": [
        "governance.view_vendor",
        "governance.view_aimodel",
        "governance.view_datacategory",
        "checklist.view_checklisttemplate",
        "checklist.view_checklistsection",
        "checklist.view_checklistitem",
        "governance.view_usecase",
        "governance.view_risk",
        "checklist.view_answer",
        "checklist.view_evidence",
    ],
    "Procurement reviewers": [
        "governance.view_vendor",
        "governance.view_aimodel",
        "governance.view_datacategory",
        "checklist.view_checklisttemplate",
        "checklist.view_checklistsection",
        "checklist.view_checklistitem",
        "governance.view_usecase",
        "governance.view_risk",
        "checklist.view_answer",
        "checklist.view_evidence",
    ],
    "Compliance reviewers": [
        "governance.view_vendor",
        "governance.view_aimodel",
        "governance.view_datacategory",
        "checklist.view_checklisttemplate",
        "checklist.view_checklistsection",
        "checklist.view_checklistitem",
        "governance.view_usecase",
        "governance.view_risk",
        "checklist.view_answer",
        "checklist.view_evidence",
    ],
    "Executives": [
        "governance.view_vendor",
        "governance.view_aimodel",
        "governance.view_datacategory",
        "checklist.view_checklisttemplate",
        "checklist.view_checklistsection",
        "checklist.view_checklistitem",
        "governance.view_usecase",
        "governance.view_risk",
        "checklist.view_answer",
        "checklist.view_evidence",
    ],
    "Governance admins": [
        "governance.view_vendor",
        "governance.view_aimodel",
        "governance.view_datacategory",
        "checklist.view_checklisttemplate",
        "checklist.view_checklistsection",
        "checklist.view_checklistitem",
        "governance.view_usecase",
        "governance.view_risk",
        "checklist.view_answer",
        "checklist.view_evidence",
        "governance.add_vendor",
        "governance.change_vendor",
        "governance.delete_vendor",
        "governance.add_aimodel",
        "governance.change_aimodel",
        "governance.delete_aimodel",
        "governance.add_datacategory",
        "governance.change_datacategory",
        "governance.delete_datacategory",
        "checklist.add_checklisttemplate",
        "checklist.change_checklisttemplate",
        "checklist.delete_checklisttemplate",
        "checklist.add_checklistsection",
        "checklist.change_checklistsection",
        "checklist.delete_checklistsection",
        "checklist.add_checklistitem",
        "checklist.change_checklistitem",
        "checklist.delete_checklistitem",
        "approvals.view_notification",
        "approvals.view_approvalrequest",
        "approvals.view_signoff",
        "approvals.view_approvalevent",
    ],
}

APPEND_ONLY = {
    "sqlite": [
        "CREATE TRIGGER approvalevent_no_update BEFORE UPDATE ON approvals_approvalevent "
        "BEGIN SELECT RAISE(ABORT, 'approval events are append-only'); END;",
    ],
    "postgresql": [
        "CREATE FUNCTION approvalevent_append_only() RETURNS trigger LANGUAGE plpgsql AS $$ "
        "BEGIN RAISE EXCEPTION 'approval events are append-only'; END; $$;",
        "CREATE TRIGGER approvalevent_append_only BEFORE UPDATE OR DELETE ON approvals_approvalevent "
        "FOR EACH ROW EXECUTE FUNCTION approvalevent_append_only();",
    ],
}
DROP = {
    "sqlite": ["DROP TRIGGER approvalevent_no_update;"],
    "postgresql": [
        "DROP TRIGGER approvalevent_append_only ON approvals_approvalevent;",
        "DROP FUNCTION approvalevent_append_only();",
    ],
}


def _run(statements, schema_editor):
    for sql in statements.get(schema_editor.connection.vendor, []):
        schema_editor.execute(sql)


def forwards(apps, schema_editor):
    _run(APPEND_ONLY, schema_editor)
    sync_role_groups(apps, ROLE_PERMISSIONS)


def backwards(apps, schema_editor):
    _run(DROP, schema_editor)


class Migration(migrations.Migration):
    dependencies = [("approvals", "0003_review_rounds")]
    operations = [migrations.RunPython(forwards, backwards)]
