"""Governance admins keep the failure-mode mappings and the model prices in the admin, and read the evidence
and thresholds there (governance.roles.ROLE_PERMISSIONS has it). The delta only."""

from django.db import migrations

from governance.roles import grant_role_permissions

GRANTS = [
    f"evaluations.{verb}_{model}"
    for model in ("failuremodemapping", "modelprice")
    for verb in ("add", "change", "delete")
] + [f"evaluations.view_{model}" for model in ("evaluationrun", "evaluationresult", "evaluationthreshold")]


def grant(apps, schema_editor):
    grant_role_permissions(apps, {"Governance admins": GRANTS})


class Migration(migrations.Migration):
    dependencies = [
        ("evaluations", "0002_failure_mode_mappings"),
        ("identity", "0004_service_account_view_permissions"),
    ]

    operations = [migrations.RunPython(grant, migrations.RunPython.noop)]
