"""Saving with a history row that names who made the change and why."""

from contextlib import contextmanager

from django.db import models
from django.db.models.signals import post_save


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
