"""Governance admins read service accounts and their tokens in the admin (governance.roles.ROLE_PERMISSIONS
has it). The delta only."""

from django.db import migrations

from governance.roles import grant_role_permissions

VIEW = ["identity.view_serviceaccount", "identity.view_apitoken"]


def grant(apps, schema_editor):
    grant_role_permissions(apps, {"Governance admins": VIEW})


class Migration(migrations.Migration):
    dependencies = [("identity", "0003_service_accounts")]

    operations = [migrations.RunPython(grant, migrations.RunPython.noop)]
