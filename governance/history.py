"""Saving with a history row that names who made the change and why, and reading what each row changed."""

from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from django.contrib.auth import get_user_model
from django.db import models
from django.db.models.signals import post_save

from governance.templatetags.people import person


def stamp(instance: models.Model, *, user, reason: str = "") -> None:
    """Mark the next history row of `instance` with its author and reason."""
    instance._history_user = user
    instance._change_reason = reason or None


def save_with_history(instance: models.Model, *, user, reason: str = "", **save_kwargs) -> None:
    stamp(instance, user=user, reason=reason)
    instance.save(**save_kwargs)


@contextmanager
def one_history_row(instance: models.Model, *, user, reason: str, created: bool):
    """Record a save and its many-to-many changes as a single history row.

    simple-history writes a row on every save and on every many-to-many change, so an edit that
    touches two relations would leave three rows, the first with the relations not yet set. Inside
    this block those rows are skipped; on a clean exit one row is written from the final state, by
    the same post_save signal that simple-history listens to.
    """
    instance.skip_history_when_saving = True
    try:
        yield instance
    finally:
        del instance.skip_history_when_saving
    stamp(instance, user=user, reason=reason)
    post_save.send(
        sender=type(instance),
        instance=instance,
        created=created,
        raw=False,
        using=instance._state.db,
        update_fields=None,
    )


# --- Reading history: what changed between consecutive rows ------------------------------------------

# Bookkeeping the page does not show as a change.
UNSHOWN_FIELDS = {"id", "created_at", "updated_at", "reference"}


@dataclass(frozen=True)
class FieldChange:
    """One field of a record, before and after a change (shared with the review page's round diff)."""

    label: str
    before: str
    after: str


@dataclass(frozen=True)
class HistoryEntry:
    """One history row: when, who, why, and each field it changed against the row before it. The kind is
    simple-history's ("+", "~", "-"), or GAP for the entry that stands for rows never recorded."""

    at: datetime | None
    user: Any
    reason: str
    kind: str
    changes: list[FieldChange] = field(default_factory=list)


GAP = "gap"
# Objects inserted in bulk or saved before history was kept have no creation row, sometimes no row at all.
NOT_RECORDED = HistoryEntry(at=None, user=None, reason="History before this point was not recorded", kind=GAP)


def _display(model_field, value, names: dict) -> str:
    if value is None or value == "":
        return "—"
    if model_field.is_relation:
        return names.get((model_field.related_model, value), f"#{value}")
    if model_field.choices:
        return str(dict(model_field.flatchoices).get(value, value))
    if isinstance(value, bool):
        return "yes" if value else "no"
    return str(value)


def _relation_names(rows, relation_fields) -> dict:
    """Display names of every object the rows point to: one query per related model."""
    wanted: dict = {}
    for model_field in relation_fields:
        ids = {getattr(row, model_field.attname) for row in rows} - {None}
        wanted.setdefault(model_field.related_model, set()).update(ids)
    names = {}
    for model, ids in wanted.items():
        for obj in model._default_manager.filter(pk__in=ids):
            names[(model, obj.pk)] = person(obj) if model is get_user_model() else str(obj)
    return names


def field_changes(instance: models.Model, *, limit: int = 50) -> list[HistoryEntry]:
    """The newest `limit` history rows of `instance`, each with its field-by-field changes (many-to-many
    included), in a fixed number of queries whatever the number of rows or changes.

    The oldest row shown against no row before it has no changes. When it is the oldest row there is and
    not the creation row (or there is no row at all), the history does not start at the beginning: a last
    NOT_RECORDED entry says so rather than the page inventing what changed."""
    history = instance.history.model
    # Each tracked many-to-many field: the history row's accessor for its historical through rows, and the
    # through rows' attribute that holds the related object.
    m2m = {}
    for m2m_field in getattr(history, "_history_m2m_fields", []):
        through = history._meta.get_field(f"{history._meta.model_name}_{m2m_field.name}")
        m2m[m2m_field] = (through.get_accessor_name(), m2m_field.related_model._meta.model_name)
    rows = list(
        instance.history.select_related("history_user")
        .prefetch_related(*(f"{accessor}__{target}" for accessor, target in m2m.values()))
        .order_by("-history_date", "-history_id")[: limit + 1]
    )
    tracked = {f.attname for f in history._meta.concrete_fields}
    fields = [f for f in instance._meta.concrete_fields if f.attname in tracked and f.attname not in UNSHOWN_FIELDS]
    names = _relation_names(rows, [f for f in fields if f.is_relation])
    entries = []
    # One row more than shown was read: the row before the oldest shown, which is compared, not shown.
    for row, previous in zip(rows[:limit], [*rows[1:], None], strict=False):
        changes = []
        if previous is not None:
            for model_field in fields:
                before, after = getattr(previous, model_field.attname), getattr(row, model_field.attname)
                if before != after:
                    changes.append(
                        FieldChange(
                            str(model_field.verbose_name).capitalize(),
                            _display(model_field, before, names),
                            _display(model_field, after, names),
                        )
                    )
            for m2m_field, (accessor, target) in m2m.items():
                before = sorted(str(getattr(t, target)) for t in getattr(previous, accessor).all())
                after = sorted(str(getattr(t, target)) for t in getattr(row, accessor).all())
                if before != after:
                    label = str(m2m_field.verbose_name).capitalize()
                    changes.append(FieldChange(label, ", ".join(before) or "—", ", ".join(after) or "—"))
        entries.append(
            HistoryEntry(
                at=row.history_date,
                user=row.history_user,
                reason=row.history_change_reason or row.get_history_type_display(),
                kind=row.history_type,
                changes=changes,
            )
        )
    if len(rows) <= limit and (not rows or rows[-1].history_type != "+"):
        entries.append(NOT_RECORDED)
    return entries


def skip_history_of_raw_saves(sender, instance, raw: bool = False, **kwargs) -> None:
    """`loaddata` saves a row raw, then sets its many-to-many relations: simple-history skips the raw
    save but takes each relation set for an edit and writes a history row dated at load time (on
    PostgreSQL its key collides with a loaded history row). A loaded object's history is loaded with
    it, so nothing about the load itself is recorded."""
    if raw and hasattr(sender._meta, "simple_history_manager_attribute"):
        instance.skip_history_when_saving = True
