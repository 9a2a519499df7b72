"""A round closed unapproved because the registry facts it was routed on changed: status "superseded", and
the event that records why.

On SQLite, changing a check constraint rebuilds the table, which drops the append-only trigger of
approval events (0004); it is put back afterwards, in both directions.
"""

import django_fsm
from django.db import migrations, models

ROUND_STATUSES = [
    ("in_review", "In review"),
    ("changes_requested", "Changes requested"),
    ("approved", "Approved"),
    ("approved_with_conditions", "Approved with conditions"),
    ("rejected", "Rejected"),
    ("withdrawn", "Withdrawn"),
    ("suspended", "Suspended"),
    ("expired", "Expired"),
    ("revoked", "Revoked"),
    ("superseded", "Superseded (re-routed)"),
]
EVENT_VERBS = [
    ("submitted", "Submitted"),
    ("signed", "Signed"),
    ("assigned", "Assigned"),
    ("answered", "Answered checklist item"),
    ("approved", "Approved"),
    ("approved_with_conditions", "Approved with conditions"),
    ("changes_requested", "Changes requested"),
    ("rejected", "Rejected"),
    ("withdrawn", "Withdrawn"),
    ("suspended", "Suspended"),
    ("expired", "Expired"),
    ("revoked", "Revoked"),
    ("superseded", "Re-routed: registry facts changed"),
]

SQLITE_APPEND_ONLY = (
    "CREATE TRIGGER IF NOT EXISTS approvalevent_no_update BEFORE UPDATE ON approvals_approvalevent "
    "BEGIN SELECT RAISE(ABORT, 'approval events are append-only'); END;"
)


def sqlite_append_only(apps, schema_editor):
    if schema_editor.connection.vendor == "sqlite":
        schema_editor.execute(SQLITE_APPEND_ONLY)


def status_field():
    return django_fsm.FSMField(choices=ROUND_STATUSES, default="in_review", max_length=30, protected=True)


class Migration(migrations.Migration):
    dependencies = [("approvals", "0006_reportexport")]

    operations = [
        migrations.RunPython(migrations.RunPython.noop, sqlite_append_only),
        migrations.RemoveConstraint(model_name="approvalevent", name="event_verb_valid"),
        migrations.RemoveConstraint(model_name="approvalrequest", name="round_status_valid"),
        migrations.AlterField(
            model_name="approvalevent", name="verb", field=models.CharField(choices=EVENT_VERBS, max_length=30)
        ),
        migrations.AlterField(model_name="approvalrequest", name="status", field=status_field()),
        migrations.AlterField(model_name="historicalapprovalrequest", name="status", field=status_field()),
        migrations.AddConstraint(
            model_name="approvalevent",
            constraint=models.CheckConstraint(
                condition=models.Q(verb__in=[value for value, _ in EVENT_VERBS]), name="event_verb_valid"
            ),
        ),
        migrations.AddConstraint(
            model_name="approvalrequest",
            constraint=models.CheckConstraint(
                condition=models.Q(status__in=[value for value, _ in ROUND_STATUSES]), name="round_status_valid"
            ),
        ),
        migrations.RunPython(sqlite_append_only, migrations.RunPython.noop),
    ]
