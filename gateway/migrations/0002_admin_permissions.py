"""Governance admins keep the gateway's names for applications and models in the admin
(governance.roles.ROLE_PERMISSIONS has it). The delta only."""

from django.db import migrations

from governance.roles import grant_role_permissions

EDIT = [
    f"gateway.{verb}_{model}"
    for model in ("applicationalias", "modelidentifier")
    for verb in ("add", "change", "delete")
]


def grant(apps, schema_editor):
    grant_role_permissions(apps, {"Governance admins": EDIT})


class Migration(migrations.Migration):
    dependencies = [
        ("gateway", "0001_initial"),
        ("identity", "0002_people_view_permissions"),
    ]

    operations = [migrations.RunPython(grant, migrations.RunPython.noop)]
