"""What was decided stays as it was decided, in the database itself.

- Approval records: no UPDATE, no DELETE. A deleted record, rendered again, would get a new SHA-256,
  and the file handed out before would no longer verify.
- Sign-offs: a pending one stays updatable (assignee, reminder time) until it is decided; a decided
  one can no longer be updated or deleted.
- Review rounds: what was submitted (snapshot and its hash, routing, number, use case, template,
  submitter, time) never changes, and the status only moves along the lifecycle. Every other column
  stays updatable, so later columns (claims, attempts, reminders) need no change here.

PostgreSQL refuses UPDATE and DELETE. SQLite refuses UPDATE only: Django's flush (between
transactional tests, `manage.py flush`) empties tables there with DELETE, which a trigger cannot tell
from any other DELETE; on PostgreSQL the flush is a TRUNCATE, which row triggers do not see. The
models and their querysets refuse deletes on both (`approvals.models`).

TRUNCATE gets no trigger: the application's role is not granted TRUNCATE at all (`manage.py
db_grant_app_role`), and a trigger's bypass for the table owner would only repeat that rule.

On SQLite a later migration that rebuilds one of these tables (most ALTERs there copy the table into a
new one) drops its triggers; tests/approvals/test_immutability.py checks they are all present after
every migration has run.
"""

from django.db import migrations

# The lifecycle of a round, as "from>to" (approvals.models.ApprovalRequest's transitions, plus
# superseded: a round replaced by a newer submission).
ROUND_TRANSITIONS = [
    "in_review>changes_requested",
    "in_review>approved",
    "in_review>approved_with_conditions",
    "in_review>rejected",
    "in_review>withdrawn",
    "in_review>superseded",
    "approved>suspended",
    "approved>expired",
    "approved>revoked",
    "approved_with_conditions>suspended",
    "approved_with_conditions>expired",
    "approved_with_conditions>revoked",
    "suspended>revoked",
]
ALLOWED = ", ".join(f"'{t}'" for t in ROUND_TRANSITIONS)
FROZEN_ROUND_COLUMNS = [
    "use_case_id",
    "number",
    "checklist_template_id",
    "snapshot",
    "snapshot_sha256",
    "routing",
    "submitted_by_id",
    "submitted_at",
]
FROZEN_CHANGED = " OR ".join(f"NEW.{c} IS DISTINCT FROM OLD.{c}" for c in FROZEN_ROUND_COLUMNS)
SQLITE_FROZEN_CHANGED = " OR ".join(f"NEW.{c} IS NOT OLD.{c}" for c in FROZEN_ROUND_COLUMNS)

RECORD_MESSAGE = "approval records are immutable"
SIGNOFF_MESSAGE = "a decided sign-off cannot be changed or deleted"
ROUND_FROZEN_MESSAGE = "what a review round was submitted with cannot change"
ROUND_STATUS_MESSAGE = "a review round cannot change status that way"

# SQLSTATE 23000 (integrity constraint violation): Django raises IntegrityError on both backends, as
# SQLite's RAISE(ABORT) does.
POSTGRESQL = [
    f"""CREATE FUNCTION approvalrecord_immutable() RETURNS trigger LANGUAGE plpgsql AS $$
    BEGIN
        RAISE EXCEPTION '{RECORD_MESSAGE}' USING ERRCODE = 'integrity_constraint_violation';
    END; $$;""",
    "CREATE TRIGGER approvalrecord_immutable BEFORE UPDATE OR DELETE ON approvals_approvalrecord "
    "FOR EACH ROW EXECUTE FUNCTION approvalrecord_immutable();",
    f"""CREATE FUNCTION signoff_decided_immutable() RETURNS trigger LANGUAGE plpgsql AS $$
    BEGIN
        IF OLD.decision <> 'pending' THEN
            RAISE EXCEPTION '{SIGNOFF_MESSAGE}' USING ERRCODE = 'integrity_constraint_violation';
        END IF;
        IF TG_OP = 'DELETE' THEN
            RETURN OLD;
        END IF;
        RETURN NEW;
    END; $$;""",
    "CREATE TRIGGER signoff_decided_immutable BEFORE UPDATE OR DELETE ON approvals_signoff "
    "FOR EACH ROW EXECUTE FUNCTION signoff_decided_immutable();",
    f"""CREATE FUNCTION approvalrequest_frozen() RETURNS trigger LANGUAGE plpgsql AS $$
    BEGIN
        IF {FROZEN_CHANGED} THEN
            RAISE EXCEPTION '{ROUND_FROZEN_MESSAGE}' USING ERRCODE = 'integrity_constraint_violation';
        END IF;
        IF NEW.status IS DISTINCT FROM OLD.status AND (OLD.status || '>' || NEW.status) NOT IN ({ALLOWED}) THEN
            RAISE EXCEPTION '{ROUND_STATUS_MESSAGE}: % to %', OLD.status, NEW.status
                USING ERRCODE = 'integrity_constraint_violation';
        END IF;
        RETURN NEW;
    END; $$;""",
    "CREATE TRIGGER approvalrequest_frozen BEFORE UPDATE ON approvals_approvalrequest "
    "FOR EACH ROW EXECUTE FUNCTION approvalrequest_frozen();",
]
POSTGRESQL_DROP = [
    "DROP TRIGGER approvalrequest_frozen ON approvals_approvalrequest;",
    "DROP FUNCTION approvalrequest_frozen();",
    "DROP TRIGGER signoff_decided_immutable ON approvals_signoff;",
    "DROP FUNCTION signoff_decided_immutable();",
    "DROP TRIGGER approvalrecord_immutable ON approvals_approvalrecord;",
    "DROP FUNCTION approvalrecord_immutable();",
]

SQLITE = [
    "CREATE TRIGGER approvalrecord_no_update BEFORE UPDATE ON approvals_approvalrecord "
    f"BEGIN SELECT RAISE(ABORT, '{RECORD_MESSAGE}'); END;",
    "CREATE TRIGGER signoff_decided_no_update BEFORE UPDATE ON approvals_signoff "
    f"WHEN OLD.decision <> 'pending' BEGIN SELECT RAISE(ABORT, '{SIGNOFF_MESSAGE}'); END;",
    "CREATE TRIGGER approvalrequest_frozen BEFORE UPDATE ON approvals_approvalrequest "
    f"WHEN {SQLITE_FROZEN_CHANGED} BEGIN SELECT RAISE(ABORT, '{ROUND_FROZEN_MESSAGE}'); END;",
    "CREATE TRIGGER approvalrequest_lifecycle BEFORE UPDATE OF status ON approvals_approvalrequest "
    f"WHEN NEW.status IS NOT OLD.status AND (OLD.status || '>' || NEW.status) NOT IN ({ALLOWED}) "
    f"BEGIN SELECT RAISE(ABORT, '{ROUND_STATUS_MESSAGE}'); END;",
]
SQLITE_DROP = [
    "DROP TRIGGER approvalrequest_lifecycle;",
    "DROP TRIGGER approvalrequest_frozen;",
    "DROP TRIGGER signoff_decided_no_update;",
    "DROP TRIGGER approvalrecord_no_update;",
]

STATEMENTS = {"postgresql": POSTGRESQL, "sqlite": SQLITE}
DROP = {"postgresql": POSTGRESQL_DROP, "sqlite": SQLITE_DROP}


def _run(statements, schema_editor):
    for sql in statements.get(schema_editor.connection.vendor, []):
        schema_editor.execute(sql, params=None)


def forwards(apps, schema_editor):
    _run(STATEMENTS, schema_editor)


def backwards(apps, schema_editor):
    _run(DROP, schema_editor)


class Migration(migrations.Migration):
    dependencies = [("approvals", "0010_text_limits")]
    operations = [migrations.RunPython(forwards, backwards)]
