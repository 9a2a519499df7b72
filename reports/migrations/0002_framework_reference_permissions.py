"""Governance admins keep the checklist's framework crosswalk (governance.roles.ROLE_PERMISSIONS has it);
every role reads it with the rest of the registry. The delta only."""

from django.db import migrations

from governance.roles import grant_role_permissions

VIEW = ["checklist.view_frameworkreference"]
EDIT = [f"checklist.{verb}_frameworkreference" for verb in ("add", "change", "delete")]
ROLES = [
    "Business owners",
    "Legal reviewers",
    "Privacy reviewers",
    "Security reviewers",
    "Procurement reviewers",
    "Compliance reviewers",
    "Executives",
]


def grant(apps, schema_editor):
    grant_role_permissions(apps, {**dict.fromkeys(ROLES, VIEW), "Governance admins": VIEW + EDIT})


class Migration(migrations.Migration):
    dependencies = [
        ("reports", "0001_initial"),
        ("checklist", "0005_crosswalk_v1"),
        ("approvals", "0002_role_groups"),
    ]

    operations = [migrations.RunPython(grant, migrations.RunPython.noop)]
