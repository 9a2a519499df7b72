"""Approval events are append-only in the database itself, and admins may read the review rounds.

SQLite gets no DELETE trigger: Django's flush (between transactional tests, `manage.py flush`) deletes
rows there, where PostgreSQL truncates, which a row trigger does not see.
"""

from django.db import migrations

from governance.roles import grant_role_permissions

ADMIN_READS_ROUNDS = {
    "Governance admins": [
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
    grant_role_permissions(apps, ADMIN_READS_ROUNDS)


def backwards(apps, schema_editor):
    _run(DROP, schema_editor)


class Migration(migrations.Migration):
    dependencies = [("approvals", "0003_review_rounds")]
    operations = [migrations.RunPython(forwards, backwards)]
