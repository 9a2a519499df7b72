"""The data categories an evaluation asks about, with the sensitivity the organisation starts from."""

from django.db import migrations

CATEGORIES = [
    ("Customer records", "customer-records", 3, "Personal data about customers and prospects."),
    ("Source code", "source-code", 3, "The organisation's code, configuration and infrastructure definitions."),
    ("Security logs", "security-logs", 3, "SIEM, EDR, firewall and access logs."),
    ("Authentication data", "authentication-data", 4, "Credentials, tokens, keys and identity attributes."),
    ("Financial records", "financial-records", 3, "Ledgers, payments, forecasts and bank details."),
    ("Healthcare data", "healthcare-data", 4, "Health information of employees, customers or patients."),
    ("Government information", "government-information", 4, "Information received from or produced for governments."),
    ("Proprietary research", "proprietary-research", 3, "Unpublished research, designs and trade secrets."),
    ("Incident-response evidence", "incident-response-evidence", 4, "Forensic images, IOCs and case notes."),
    ("Third-party confidential data", "third-party-confidential", 3, "Data received under NDA or contract."),
    ("Internal documents", "internal-documents", 2, "Policies, wikis and everyday business documents."),
    ("Public content", "public-content", 1, "Material already published by the organisation."),
]


def load(apps, schema_editor):
    DataCategory = apps.get_model("governance", "DataCategory")
    for name, slug, sensitivity, description in CATEGORIES:
        DataCategory.objects.get_or_create(
            slug=slug, defaults={"name": name, "sensitivity": sensitivity, "description": description}
        )


def unload(apps, schema_editor):
    apps.get_model("governance", "DataCategory").objects.filter(slug__in=[c[1] for c in CATEGORIES]).delete()


class Migration(migrations.Migration):
    dependencies = [("governance", "0001_initial")]
    operations = [migrations.RunPython(load, unload)]
