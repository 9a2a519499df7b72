"""Seconds between two timestamps, computed by the database, on SQLite and PostgreSQL alike.

Reading timestamps into Python only to subtract them costs a parse per value (SQLite keeps them as text);
the cycle times read thousands of them. Django's own `end - start` is a DurationField, which SQLite computes
in a Python function per row; these are the databases' own arithmetic instead.
"""

from django.db.models import FloatField, Func


class SecondsBetween(Func):
    """`end` minus `start`, in seconds (a float)."""

    arity = 2
    output_field = FloatField()

    def __init__(self, start, end, **extra):
        super().__init__(end, start, **extra)  # the SQL reads "end - start"

    def as_sqlite(self, compiler, connection, **extra):
        template = "((julianday(%(expressions)s)) * 86400.0)"
        return self.as_sql(compiler, connection, template=template, arg_joiner=") - julianday(", **extra)

    def as_postgresql(self, compiler, connection, **extra):
        template = "EXTRACT(EPOCH FROM (%(expressions)s))::float8"
        return self.as_sql(compiler, connection, template=template, arg_joiner=" - ", **extra)
