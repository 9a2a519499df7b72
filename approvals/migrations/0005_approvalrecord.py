"""Approval records: the immutable PDF of each decided round; Governance admins may read them."""

import django.db.models.deletion
import django.db.models.functions.text
import django.db.models.lookups
from django.db import migrations, models

import approvals.models
from governance.roles import grant_role_permissions

# The delta only: Governance admins may read approval records (governance.roles.ROLE_PERMISSIONS has it).
ADMIN_READS_RECORDS = {"Governance admins": ["approvals.view_approvalrecord"]}


def grant_record_view(apps, schema_editor):
    grant_role_permissions(apps, ADMIN_READS_RECORDS)


class Migration(migrations.Migration):
    dependencies = [
        ("approvals", "0004_append_only_events_and_roles"),
    ]

    operations = [
        migrations.CreateModel(
            name="ApprovalRecord",
            fields=[
                ("id", models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name="ID")),
                ("file", models.FileField(max_length=300, upload_to=approvals.models.record_upload_to)),
                ("sha256", models.CharField(help_text="SHA-256 of the PDF file.", max_length=64, unique=True)),
                (
                    "snapshot_sha256",
                    models.CharField(help_text="The round's snapshot this record certifies.", max_length=64),
                ),
                ("size", models.PositiveIntegerField(help_text="Bytes.")),
                ("pages", models.PositiveSmallIntegerField()),
                ("created_at", models.DateTimeField(auto_now_add=True)),
                ("render_seconds", models.FloatField(default=0)),
                (
                    "round",
                    models.OneToOneField(
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="record",
                        to="approvals.approvalrequest",
                    ),
                ),
            ],
            options={
                "verbose_name": "approval record",
                "ordering": ["-created_at", "-pk"],
                "constraints": [
                    models.CheckConstraint(
                        condition=django.db.models.lookups.Exact(django.db.models.functions.text.Length("sha256"), 64),
                        name="record_sha256_length",
                    ),
                    models.CheckConstraint(
                        condition=django.db.models.lookups.Exact(
                            django.db.models.functions.text.Length("snapshot_sha256"), 64
                        ),
                        name="record_snapshot_sha256_length",
                    ),
                ],
            },
        ),
        migrations.RunPython(grant_record_view, migrations.RunPython.noop),
    ]
