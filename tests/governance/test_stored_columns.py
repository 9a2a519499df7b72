"""The columns a use case keeps for the lists: its risk tier (highest residual score and band) and when it
was first submitted. The services keep them in step; the database refuses a band that does not match its
score; `manage.py stored_columns` finds drift and `--fix` repairs it; the migration fills them and moves
the owners' grants to the direct table."""

import importlib

import pytest
from django.apps import apps
from django.contrib.auth.models import Permission
from django.contrib.contenttypes.models import ContentType
from django.core.management import CommandError, call_command
from django.db import IntegrityError, transaction
from guardian.models import UserObjectPermission

from governance.models import UseCase, UseCaseUserObjectPermission
from governance.permissions import can_view_use_case
from governance.selectors import use_cases_visible_to
from governance.services import risk_create, risk_delete, risk_update
from tests.approvals.workflow import complete_use_case, submit

pytestmark = pytest.mark.django_db

SCORES = {"inherent_likelihood": 5, "inherent_impact": 5}


def stored(use_case) -> tuple[int, str]:
    use_case.refresh_from_db()
    return use_case.highest_residual, use_case.risk_band


def test_the_risk_services_keep_the_stored_tier_in_step(alice):
    use_case = complete_use_case(alice, residual=None)
    assert stored(use_case) == (0, "")
    changed = use_case.updated_at

    low = risk_create(
        use_case=use_case, user=alice, title="Low", category="data", residual_likelihood=1, residual_impact=2, **SCORES
    )
    assert stored(use_case) == (2, "low")
    assert use_case.updated_at > changed  # a risk change is a change of its use case (the list's latest change)

    high = risk_create(
        use_case=use_case,
        user=alice,
        title="High",
        category="legal",
        residual_likelihood=3,
        residual_impact=4,
        **SCORES,
    )
    assert stored(use_case) == (12, "high")

    risk_update(risk=high, user=alice, residual_likelihood=5, residual_impact=4)
    assert stored(use_case) == (20, "critical")

    risk_delete(risk=high, user=alice)
    assert stored(use_case) == (2, "low")
    risk_delete(risk=low, user=alice)
    assert stored(use_case) == (0, "")


@pytest.mark.parametrize(("score", "band"), [(0, "low"), (12, ""), (12, "medium"), (26, "critical")])
def test_the_database_refuses_a_band_that_does_not_match_the_score(alice, score, band):
    use_case = complete_use_case(alice)
    with pytest.raises(IntegrityError), transaction.atomic():
        UseCase.objects.filter(pk=use_case.pk).update(highest_residual=score, risk_band=band)


def test_submission_records_when_the_use_case_joined_the_portfolio(alice):
    use_case = complete_use_case(alice)
    assert use_case.first_submitted_at is None
    first = submit(use_case)
    use_case.refresh_from_db()
    assert use_case.first_submitted_at == first.submitted_at


def test_the_command_finds_drift_and_fixes_it(alice, capsys):
    drafted, submitted = complete_use_case(alice, residual=(3, 4)), complete_use_case(alice, residual=(1, 1))
    round = submit(submitted)
    call_command("stored_columns")  # nothing drifted
    # Writes that bypass the services: a band that still matches its (wrong) score, a lost submission time.
    UseCase.objects.filter(pk=drafted.pk).update(highest_residual=2, risk_band="low")
    UseCase.objects.filter(pk=submitted.pk).update(first_submitted_at=None)

    with pytest.raises(CommandError, match="2 stored values drifted"):
        call_command("stored_columns")
    errors = capsys.readouterr().err
    assert f"{drafted.reference}: stored risk tier" in errors
    assert f"{submitted.reference}: stored first submission" in errors

    call_command("stored_columns", "--fix")
    assert stored(drafted) == (12, "high")
    submitted.refresh_from_db()
    assert submitted.first_submitted_at == round.submitted_at
    call_command("stored_columns")


def test_the_migration_fills_the_tier_and_moves_the_grants_to_the_direct_table(alice, charlie):
    migration = importlib.import_module("governance.migrations.0006_stored_tier_and_direct_grants")
    use_case = complete_use_case(alice, residual=(4, 4))
    UseCase.objects.filter(pk=use_case.pk).update(highest_residual=0, risk_band="")
    # A grant as guardian's generic table held it before the direct table existed.
    view = Permission.objects.get(codename="view_usecase")
    UserObjectPermission.objects.create(
        user=charlie,
        permission=view,
        content_type=ContentType.objects.get_for_model(UseCase),
        object_pk=str(use_case.pk),
    )
    assert not can_view_use_case(charlie, use_case)  # the generic row is no longer read

    migration.store_tiers(apps, None)
    migration.move_grants_to_direct(apps, None)

    assert stored(use_case) == (16, "high")
    assert UseCaseUserObjectPermission.objects.filter(user=charlie, content_object=use_case, permission=view).exists()
    assert not UserObjectPermission.objects.filter(object_pk=str(use_case.pk)).exists()
    charlie = type(charlie).objects.get(pk=charlie.pk)  # a fresh permission cache
    assert can_view_use_case(charlie, use_case)
    assert list(use_cases_visible_to(charlie)) == [use_case]


def test_owners_are_granted_through_the_direct_table(alice):
    use_case = complete_use_case(alice)
    grants = UseCaseUserObjectPermission.objects.filter(content_object=use_case, user=alice)
    assert set(grants.values_list("permission__codename", flat=True)) == {"view_usecase", "change_usecase"}
    assert not UserObjectPermission.objects.filter(content_type__model="usecase").exists()
    assert list(use_cases_visible_to(alice)) == [use_case]
