"""Governance admins read the provider accounts and the history of role changes in the admin
(governance.roles.ROLE_PERMISSIONS has it). The delta only."""

from django.db import migrations

from governance.roles import grant_role_permissions

VIEW = ["identity.view_externalidentity", "identity.view_rolechange"]


def grant(apps, schema_editor):
    grant_role_permissions(apps, {"Governance admins": VIEW})


class Migration(migrations.Migration):
    dependencies = [
        ("identity", "0001_people"),
        ("approvals", "0019_sign_in_lockout_permissions"),
    ]

    operations = [migrations.RunPython(grant, migrations.RunPython.noop)]
