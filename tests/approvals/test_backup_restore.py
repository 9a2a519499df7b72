"""Backup and restore: `manage.py backup` and `manage.py restore`, the restore drill, and what
`dumpdata`/`loaddata` may be used for (moving data, not backing it up)."""

import pytest
from django.core import serializers
from django.core.management import call_command
from django.db import transaction

from governance.models import UseCase
from tests.factories import AIModelFactory, UseCaseFactory, data_category

# --- dumpdata / loaddata ------------------------------------------------------------------------


@pytest.mark.django_db
def test_loaddata_adds_no_history_rows_of_its_own(alice, tmp_path):
    """Loading a use case sets its many-to-many relations after the row: simple-history took each of
    those for an edit and wrote a history row dated at load time (on PostgreSQL the row collided with a
    loaded one: IntegrityError on governance_historicalusecase)."""
    model, fallback = AIModelFactory(), AIModelFactory(name="Fallback")
    categories = [data_category("customer-records"), data_category("source-code")]
    with transaction.atomic():
        use_case = UseCaseFactory(
            user=alice, data_categories=categories, fallback_models=[fallback], primary_model=model
        )
        history = UseCase.history.filter(id=use_case.pk).order_by("history_id")
        expected = list(history.values())
        # XML, not JSON: Django's JSON encoder cuts timestamps to milliseconds, so rows would differ.
        fixture = tmp_path / "use_case.xml"
        fixture.write_text(serializers.serialize("xml", [*history, use_case]))
        transaction.set_rollback(True)
    assert not UseCase.objects.exists()

    call_command("loaddata", str(fixture), verbosity=0)

    loaded = UseCase.objects.get()
    assert set(loaded.data_categories.all()) == set(categories)
    assert list(loaded.fallback_models.all()) == [fallback]
    assert list(UseCase.history.filter(id=loaded.pk).order_by("history_id").values()) == expected
