"""Give the application's PostgreSQL role exactly what it needs, and nothing else.

The owner role runs migrations and then this command (after every `migrate`, which may add tables):
the application role gets SELECT, INSERT, UPDATE and DELETE on every table of the schema and USAGE
on every sequence; anything else it was granted there (TRUNCATE, REFERENCES, TRIGGER, CREATE) is
taken back. It owns nothing, so it cannot alter, drop or truncate a table, nor disable the triggers
that keep approval records, decided sign-offs and submitted rounds as they were decided.
"""

from django.core.management.base import BaseCommand, CommandError
from django.db import connections, transaction

TABLE_PRIVILEGES = "SELECT, INSERT, UPDATE, DELETE"
SEQUENCE_PRIVILEGES = "USAGE"


class Command(BaseCommand):
    help = (
        "Grant ROLE (the role the application connects as) SELECT, INSERT, UPDATE, DELETE on every table "
        "and USAGE on every sequence, revoking anything else. Run as the owner role after each migrate."
    )

    def add_arguments(self, parser):
        parser.add_argument("role", help="The PostgreSQL role the web and worker processes connect as.")
        parser.add_argument("--database", default="default")

    def handle(self, *args, role: str, database: str, **options):
        connection = connections[database]
        if connection.vendor != "postgresql":
            self.stdout.write(f"{connection.display_name} has no roles: nothing to grant.")
            return
        with transaction.atomic(using=database), connection.cursor() as cursor:
            cursor.execute("SELECT current_user, current_schema()")
            owner, schema = cursor.fetchone()
            cursor.execute("SELECT rolsuper FROM pg_roles WHERE rolname = %s", [role])
            row = cursor.fetchone()
            if row is None:
                raise CommandError(f"There is no role {role!r}: create it first (CREATE ROLE ... LOGIN).")
            if row[0]:
                raise CommandError(f"{role!r} is a superuser: the application must connect as an ordinary role.")
            if role == owner:
                raise CommandError(f"{role!r} is the role running this command, which owns the tables.")
            cursor.execute(
                "SELECT count(*) FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace "
                "WHERE n.nspname = %s AND pg_get_userbyid(c.relowner) = %s",
                [schema, role],
            )
            if cursor.fetchone()[0]:
                raise CommandError(f"{role!r} owns objects in schema {schema!r}: the owner role must own them.")

            quoted_role, quoted_schema = connection.ops.quote_name(role), connection.ops.quote_name(schema)
            for statement in (
                f"REVOKE ALL ON ALL TABLES IN SCHEMA {quoted_schema} FROM {quoted_role}",
                f"REVOKE ALL ON ALL SEQUENCES IN SCHEMA {quoted_schema} FROM {quoted_role}",
                f"REVOKE CREATE ON SCHEMA {quoted_schema} FROM {quoted_role}",
                f"GRANT USAGE ON SCHEMA {quoted_schema} TO {quoted_role}",
                f"GRANT {TABLE_PRIVILEGES} ON ALL TABLES IN SCHEMA {quoted_schema} TO {quoted_role}",
                f"GRANT {SEQUENCE_PRIVILEGES} ON ALL SEQUENCES IN SCHEMA {quoted_schema} TO {quoted_role}",
            ):
                cursor.execute(statement)

            # CREATE on the schema may still come through PUBLIC (the default before PostgreSQL 15).
            cursor.execute("SELECT has_schema_privilege(%s, %s, 'CREATE')", [role, schema])
            if cursor.fetchone()[0]:
                raise CommandError(
                    f"{role!r} can still create objects in schema {schema!r} through PUBLIC. As the owner run: "
                    f"REVOKE CREATE ON SCHEMA {quoted_schema} FROM PUBLIC; then run this command again."
                )
            cursor.execute(
                "SELECT count(*) FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace "
                "WHERE n.nspname = %s AND c.relkind IN ('r', 'p')",
                [schema],
            )
            tables = cursor.fetchone()[0]
            cursor.execute(
                "SELECT count(*) FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace "
                "WHERE n.nspname = %s AND c.relkind = 'S'",
                [schema],
            )
            sequences = cursor.fetchone()[0]
        self.stdout.write(
            f"{role}: {TABLE_PRIVILEGES} on {tables} tables and {SEQUENCE_PRIVILEGES} on {sequences} sequences "
            f"in schema {schema} (owner: {owner}); no TRUNCATE, no DDL."
        )
