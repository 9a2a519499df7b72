"""What was decided stays as it was decided: approval records, decided sign-offs and submitted rounds are
refused changes by the models, their querysets and the database itself; and the application's own
PostgreSQL role can write what the workflow writes and nothing more."""

import uuid
from datetime import timedelta
from io import StringIO

import psycopg
import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import IntegrityError, connection, transaction
from django.utils import timezone

from approvals.models import ApprovalEvent, ApprovalRecord, ApprovalRequest, SignOff
from approvals.sweeps import approvals_expire, signoffs_remind_overdue
from tests.approvals.workflow import approved_use_case, complete_use_case, sign, submit

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("fast_passwords")]

on_postgresql = pytest.mark.skipif(connection.vendor != "postgresql", reason="needs PostgreSQL")
Status = ApprovalRequest.Status


def sql(statement: str, params=()) -> int:
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute(statement, params)
        return cursor.rowcount


def stored_record(round: ApprovalRequest) -> ApprovalRecord:
    """A record row as the renderer stores it (the file itself does not matter here)."""
    return ApprovalRecord.objects.create(
        round=round,
        file=f"records/{round.use_case.reference}/round-{round.number}.pdf",
        sha256=uuid.uuid4().hex * 2,
        snapshot_sha256=round.snapshot_sha256,
        size=1000,
        pages=2,
    )


@pytest.fixture
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"


@pytest.fixture
def approved(alice, team) -> ApprovalRequest:
    return approved_use_case(alice, team)[1]


@pytest.fixture
def record(approved) -> ApprovalRecord:
    return stored_record(approved)


@pytest.fixture
def decided(alice, team) -> SignOff:
    """The legal sign-off of an open round, approved; the other sign-offs still pending."""
    round = submit(complete_use_case(alice))
    return sign(round, "legal", team["legal"], "approve")


# --- Approval records ----------------------------------------------------------------------------------


def test_a_record_cannot_be_deleted(record):
    with pytest.raises(ValueError, match="immutable"):
        record.delete()
    assert ApprovalRecord.objects.filter(pk=record.pk).exists()


def test_a_record_queryset_update_or_delete_is_refused(record):
    with pytest.raises(ValueError, match="immutable"):
        ApprovalRecord.objects.filter(pk=record.pk).update(sha256="0" * 64)
    with pytest.raises(ValueError, match="immutable"):
        ApprovalRecord.objects.filter(pk=record.pk).delete()
    with pytest.raises(ValueError, match="immutable"):
        ApprovalRecord.objects.all().delete()
    assert ApprovalRecord.objects.get(pk=record.pk).sha256 == record.sha256


def test_the_database_refuses_an_update_of_a_record(record):
    with pytest.raises(IntegrityError, match="approval records are immutable"):
        sql("UPDATE approvals_approvalrecord SET sha256 = %s WHERE id = %s", ["0" * 64, record.pk])
    assert ApprovalRecord.objects.get(pk=record.pk).sha256 == record.sha256


@on_postgresql
def test_postgresql_refuses_a_delete_of_a_record(record):
    with pytest.raises(IntegrityError, match="approval records are immutable"):
        sql("DELETE FROM approvals_approvalrecord WHERE id = %s", [record.pk])
    assert ApprovalRecord.objects.filter(pk=record.pk).exists()


def test_records_can_still_be_added(approved, alice, team):
    stored_record(approved)
    _, other = approved_use_case(alice, team, title="Another request")
    stored_record(other)
    assert ApprovalRecord.objects.count() == 2


# --- Sign-offs -----------------------------------------------------------------------------------------


def test_a_decided_sign_off_cannot_be_saved_again(decided):
    decided.comment = "Rewritten."
    with pytest.raises(ValueError, match="decided sign-off"):
        decided.save()
    again = SignOff.objects.get(pk=decided.pk)
    again.decision = SignOff.Decision.REJECT
    with pytest.raises(ValueError, match="decided sign-off"):
        again.save()
    assert SignOff.objects.get(pk=decided.pk).decision == SignOff.Decision.APPROVE


def test_a_decided_sign_off_cannot_be_deleted(decided):
    with pytest.raises(ValueError, match="decided sign-off"):
        SignOff.objects.get(pk=decided.pk).delete()
    assert SignOff.objects.filter(pk=decided.pk).exists()


def test_a_queryset_update_or_delete_touching_a_decided_sign_off_is_refused(decided):
    round = decided.round
    with pytest.raises(ValueError, match="decided sign-off"):
        SignOff.objects.filter(pk=decided.pk).update(comment="Rewritten.")
    with pytest.raises(ValueError, match="decided sign-off"):
        round.signoffs.update(reminded_at=timezone.now())  # one decided among pending ones
    with pytest.raises(ValueError, match="decided sign-off"):
        round.signoffs.all().delete()
    assert round.signoffs.count() == 4
    assert SignOff.objects.get(pk=decided.pk).comment == ""


def test_the_database_refuses_an_update_of_a_decided_sign_off(decided):
    with pytest.raises(IntegrityError, match="decided sign-off"):
        sql("UPDATE approvals_signoff SET decision = 'reject', comment = 'No.' WHERE id = %s", [decided.pk])
    with pytest.raises(IntegrityError, match="decided sign-off"):
        sql("UPDATE approvals_signoff SET assignee_id = NULL WHERE id = %s", [decided.pk])
    assert SignOff.objects.get(pk=decided.pk).decision == SignOff.Decision.APPROVE


@on_postgresql
def test_postgresql_refuses_a_delete_of_a_decided_sign_off(decided):
    with pytest.raises(IntegrityError, match="decided sign-off"):
        sql("DELETE FROM approvals_signoff WHERE id = %s", [decided.pk])
    assert SignOff.objects.filter(pk=decided.pk).exists()


def test_a_pending_sign_off_stays_updatable(decided, team):
    pending = decided.round.signoffs.get(function="privacy")
    pending.assignee = team["privacy"]
    pending.save()
    now = timezone.now()
    assert SignOff.objects.filter(pk=pending.pk).update(reminded_at=now) == 1
    assert sql("UPDATE approvals_signoff SET assignee_id = NULL WHERE id = %s", [pending.pk]) == 1
    pending.refresh_from_db()
    assert (pending.assignee, pending.reminded_at) == (None, now)
    sign(decided.round, "privacy", team["privacy"], "approve")  # and can still be decided
    assert SignOff.objects.get(pk=pending.pk).decision == SignOff.Decision.APPROVE


# --- Review rounds -------------------------------------------------------------------------------------

FROZEN_CHANGES = {
    "snapshot": ("snapshot", '{"use_case": {"title": "Something else"}}'),
    "snapshot_sha256": ("snapshot_sha256", "0" * 64),
    "routing": ("routing", "[]"),
    "number": ("number", 7),
    "submitted_at": ("submitted_at", "2020-01-01 00:00:00+00:00"),
}


@pytest.mark.parametrize("change", FROZEN_CHANGES.values(), ids=FROZEN_CHANGES.keys())
def test_the_database_refuses_a_change_of_what_a_round_was_submitted_with(approved, change):
    column, value = change
    with pytest.raises(IntegrityError, match="submitted with cannot change"):
        sql(f"UPDATE approvals_approvalrequest SET {column} = %s WHERE id = %s", [value, approved.pk])  # noqa: S608
    assert ApprovalRequest.objects.get(pk=approved.pk).snapshot == approved.snapshot


def test_the_database_refuses_another_submitter_use_case_or_template(approved, alice, charlie):
    for column, value in (
        ("submitted_by_id", charlie.pk),
        ("use_case_id", complete_use_case(alice, title="Other").pk),
        ("checklist_template_id", None),
    ):
        with pytest.raises(IntegrityError):
            sql(f"UPDATE approvals_approvalrequest SET {column} = %s WHERE id = %s", [value, approved.pk])  # noqa: S608
    assert ApprovalRequest.objects.get(pk=approved.pk).submitted_by == approved.submitted_by


@pytest.mark.parametrize(
    "source, target",
    [
        ("approved", "in_review"),
        ("approved", "rejected"),
        ("rejected", "approved"),
        ("withdrawn", "in_review"),
        ("changes_requested", "approved"),
        ("expired", "approved"),
        ("revoked", "approved_with_conditions"),
        ("suspended", "approved"),
        ("in_review", "expired"),
    ],
)
def test_the_database_refuses_a_status_change_outside_the_lifecycle(alice, source, target):
    round = submit(complete_use_case(alice))
    path = {
        "in_review": [],
        "approved": ["approved"],
        "rejected": ["rejected"],
        "withdrawn": ["withdrawn"],
        "changes_requested": ["changes_requested"],
        "expired": ["approved", "expired"],
        "revoked": ["approved", "revoked"],
        "suspended": ["approved", "suspended"],
    }[source]
    for step in path:  # the allowed moves, which the trigger lets through
        assert sql("UPDATE approvals_approvalrequest SET status = %s WHERE id = %s", [step, round.pk]) == 1
    with pytest.raises(IntegrityError, match="cannot change status that way"):
        sql("UPDATE approvals_approvalrequest SET status = %s WHERE id = %s", [target, round.pk])
    assert ApprovalRequest.objects.get(pk=round.pk).status == source


def test_the_other_columns_of_a_round_stay_updatable(approved):
    tomorrow = timezone.localdate() + timedelta(days=1)
    assert (
        ApprovalRequest.objects.filter(pk=approved.pk).update(
            expires_on=tomorrow, expiry_reminded_at=timezone.now(), closed_reason="Noted."
        )
        == 1
    )
    assert ApprovalRequest.objects.get(pk=approved.pk).expires_on == tomorrow


# --- The workflow still runs ---------------------------------------------------------------------------


def test_the_sweeps_still_expire_approvals_and_remind_pending_sign_offs(alice, team, approved):
    round = submit(complete_use_case(alice, title="Waiting"))
    sign(round, "legal", team["legal"], "approve")
    assert signoffs_remind_overdue(now=round.submitted_at + timedelta(days=30)) == 3  # the pending ones only
    assert approvals_expire(today=approved.expires_on + timedelta(days=1)) == 1
    approved.refresh_from_db()
    assert approved.status == Status.EXPIRED


def test_the_triggers_survive_every_migration():
    """A later migration that rebuilds one of these tables (SQLite copies a table to alter it) must not
    drop its triggers on the way."""
    expected = {
        "sqlite": {
            "approvalevent_no_update",
            "approvalrecord_no_update",
            "signoff_decided_no_update",
            "approvalrequest_frozen",
            "approvalrequest_lifecycle",
        },
        "postgresql": {
            "approvalevent_append_only",
            "approvalrecord_immutable",
            "signoff_decided_immutable",
            "approvalrequest_frozen",
        },
    }[connection.vendor]
    query = {
        "sqlite": "SELECT name FROM sqlite_master WHERE type = 'trigger'",
        "postgresql": "SELECT tgname FROM pg_trigger WHERE NOT tgisinternal AND tgenabled <> 'D'",
    }[connection.vendor]
    with connection.cursor() as cursor:
        cursor.execute(query)
        present = {name for (name,) in cursor.fetchall()}
    assert expected <= present


# --- The application's PostgreSQL role -----------------------------------------------------------------


@pytest.mark.skipif(connection.vendor == "postgresql", reason="SQLite only")
def test_the_grant_command_says_sqlite_has_no_roles():
    out = StringIO()
    call_command("db_grant_app_role", "clearance_app", stdout=out)
    assert "has no roles" in out.getvalue()


def pg_connect(user: str) -> psycopg.Connection:
    """A connection of its own to the test database (trust authentication on 127.0.0.1)."""
    settings = connection.settings_dict
    return psycopg.connect(
        host=settings["HOST"] or "127.0.0.1",
        port=settings["PORT"] or 5432,
        user=user,
        password=(settings["PASSWORD"] or None) if user == settings["USER"] else None,
        dbname=settings["NAME"],
        autocommit=True,
    )


@pytest.fixture
def role_in_test():
    """A role created inside the test's transaction, gone with its rollback."""
    name = f"clearance_app_{uuid.uuid4().hex[:12]}"
    sql(f'CREATE ROLE "{name}"')
    return name


@pytest.fixture
def app_role():
    """A committed login role another connection can use (roles belong to the whole cluster: a unique
    name, dropped afterwards with everything granted to it)."""
    name = f"clearance_app_{uuid.uuid4().hex[:12]}"
    owner = connection.settings_dict["USER"]
    with pg_connect(owner) as admin:
        admin.execute(f'CREATE ROLE "{name}" LOGIN')
    try:
        yield name
    finally:
        with pg_connect(owner) as admin:
            admin.execute(f'DROP OWNED BY "{name}"')
            admin.execute(f'DROP ROLE "{name}"')


def privileges(role: str, table: str) -> set[str]:
    kinds = ["SELECT", "INSERT", "UPDATE", "DELETE", "TRUNCATE", "REFERENCES", "TRIGGER"]
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT kind FROM unnest(%s::text[]) kind WHERE has_table_privilege(%s, %s, kind)", [kinds, role, table]
        )
        return {kind for (kind,) in cursor.fetchall()}


@pytest.mark.postgres
@on_postgresql
def test_the_grant_command_grants_exactly_reads_and_writes(role_in_test):
    sql(f'GRANT TRUNCATE, TRIGGER, REFERENCES ON approvals_approvalevent TO "{role_in_test}"')
    sql(f'GRANT CREATE ON SCHEMA public TO "{role_in_test}"')

    call_command("db_grant_app_role", role_in_test, stdout=StringIO())

    for table in ("approvals_approvalevent", "approvals_approvalrecord", "governance_usecase", "django_session"):
        assert privileges(role_in_test, table) == {"SELECT", "INSERT", "UPDATE", "DELETE"}, table
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT bool_and(has_sequence_privilege(%s, c.oid, 'USAGE')), "
            "bool_or(has_sequence_privilege(%s, c.oid, 'UPDATE')) FROM pg_class c WHERE c.relkind = 'S' "
            "AND c.relnamespace = 'public'::regnamespace",
            [role_in_test, role_in_test],
        )
        assert cursor.fetchone() == (True, False)
        cursor.execute("SELECT has_schema_privilege(%s, 'public', 'CREATE')", [role_in_test])
        assert cursor.fetchone() == (False,)


@pytest.mark.postgres
@on_postgresql
def test_the_grant_command_refuses_the_owner_a_superuser_and_a_missing_role(role_in_test):
    owner = connection.settings_dict["USER"]
    with pytest.raises(CommandError, match="superuser|owns the tables"):
        call_command("db_grant_app_role", owner, stdout=StringIO())
    sql(f'ALTER ROLE "{role_in_test}" SUPERUSER')
    with pytest.raises(CommandError, match="superuser"):
        call_command("db_grant_app_role", role_in_test, stdout=StringIO())
    with pytest.raises(CommandError, match="There is no role"):
        call_command("db_grant_app_role", "clearance_nobody_at_all", stdout=StringIO())


def refused(app: psycopg.Connection, statement: str, params=()) -> psycopg.Error:
    with pytest.raises(psycopg.Error) as caught:
        app.execute(statement, params)
    return caught.value


@pytest.mark.postgres
@on_postgresql
@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_the_app_role_writes_what_the_workflow_writes_and_nothing_more(alice, team, app_role, celery_eager, media):
    """One scenario, since each transactional test empties and refills the database: an approved round
    with its rendered record, a round in review with one decided sign-off; then the app role acts."""
    approved_round = approved_use_case(alice, team)[1]
    record = ApprovalRecord.objects.get(round=approved_round)
    open_round = submit(complete_use_case(alice, title="In review"))
    decided = sign(open_round, "legal", team["legal"], "approve")
    pending = open_round.signoffs.get(function="privacy")

    out = StringIO()
    call_command("db_grant_app_role", app_role, stdout=out)
    assert "no TRUNCATE, no DDL" in out.getvalue()

    with pg_connect(app_role) as app:
        # The ordinary writes.
        app.execute(
            "INSERT INTO approvals_approvalevent (use_case_id, round_id, actor_id, verb, data, created_at) "
            "VALUES (%s, %s, %s, 'assigned', '{}', now())",
            [open_round.use_case_id, open_round.pk, team["privacy"].pk],
        )
        app.execute(
            "UPDATE approvals_signoff SET assignee_id = %s, reminded_at = now() WHERE id = %s",
            [team["privacy"].pk, pending.pk],
        )
        app.execute("UPDATE approvals_approvalrequest SET closed_reason = 'Noted.' WHERE id = %s", [open_round.pk])
        assert app.execute("SELECT count(*) FROM approvals_approvalrecord").fetchone() == (1,)

        # Refused by the triggers, which bind the app role as they bind everyone.
        for statement, params in (
            ("UPDATE approvals_approvalrecord SET sha256 = %s WHERE id = %s", ["0" * 64, record.pk]),
            ("DELETE FROM approvals_approvalrecord WHERE id = %s", [record.pk]),
            ("UPDATE approvals_signoff SET decision = 'reject', comment = 'No.' WHERE id = %s", [decided.pk]),
            ("DELETE FROM approvals_signoff WHERE id = %s", [decided.pk]),
            ("UPDATE approvals_approvalrequest SET status = 'in_review' WHERE id = %s", [approved_round.pk]),
            ("UPDATE approvals_approvalrequest SET snapshot = '{}' WHERE id = %s", [approved_round.pk]),
        ):
            error = refused(app, statement, params)
            assert isinstance(error, psycopg.errors.IntegrityConstraintViolation), statement
        error = refused(app, "DELETE FROM approvals_approvalevent WHERE round_id = %s", [open_round.pk])
        assert "append-only" in str(error)

        # Refused by the role's privileges: no TRUNCATE, no DDL, not even on the triggers.
        for statement in (
            "TRUNCATE approvals_approvalevent",
            "TRUNCATE approvals_approvalrecord",
            "TRUNCATE approvals_signoff, approvals_approvalrequest CASCADE",
            "CREATE TABLE approvals_scratch (id int)",
            "ALTER TABLE approvals_approvalrecord DISABLE TRIGGER approvalrecord_immutable",
            "DROP TRIGGER approvalrecord_immutable ON approvals_approvalrecord",
            "DROP TABLE approvals_approvalevent",
        ):
            assert isinstance(refused(app, statement), psycopg.errors.InsufficientPrivilege), statement
        assert app.execute("SELECT count(*) FROM pg_tables WHERE tableowner = current_user").fetchone() == (0,)

    pending.refresh_from_db()
    assert pending.assignee == team["privacy"]
    assert ApprovalRecord.objects.get(pk=record.pk).sha256 == record.sha256
    assert SignOff.objects.get(pk=decided.pk).decision == SignOff.Decision.APPROVE
    assert ApprovalRequest.objects.get(pk=approved_round.pk).status == Status.APPROVED
    assert ApprovalEvent.objects.filter(round=open_round, verb="assigned").count() == 1
