import pytest
from django.apps import apps
from django.core.management import call_command

pytestmark = pytest.mark.django_db


def test_migrations_match_the_models():
    call_command("makemigrations", "--check", "--dry-run", verbosity=0)


@pytest.mark.parametrize(
    "label",
    [
        "governance.Vendor",
        "governance.AIModel",
        "governance.DataCategory",
        "governance.UseCase",
        "governance.Risk",
        "checklist.ChecklistTemplate",
        "checklist.ChecklistSection",
        "checklist.ChecklistItem",
        "checklist.Answer",
        "checklist.Evidence",
    ],
)
def test_every_domain_model_keeps_history(label):
    model = apps.get_model(label)
    assert hasattr(model, "history"), f"{label} has no simple-history"
