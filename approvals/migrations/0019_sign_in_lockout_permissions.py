"""Governance admins see sign-in lockouts and clear them (governance.roles.ROLE_PERMISSIONS has it). The
delta only."""

from django.db import migrations

from governance.roles import grant_role_permissions

UNLOCK = ["axes.view_accessattempt", "axes.delete_accessattempt", "axes.view_accessfailurelog", "axes.view_accesslog"]


def grant(apps, schema_editor):
    grant_role_permissions(apps, {"Governance admins": UNLOCK})


class Migration(migrations.Migration):
    dependencies = [
        ("approvals", "0018_inbox_and_discussion"),
        ("axes", "0010_accessattemptexpiration"),
    ]

    operations = [migrations.RunPython(grant, migrations.RunPython.noop)]
