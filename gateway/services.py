"""Writes to the gateway's names: aliases for applications and identifiers for models. Governance admins make
them (in the admin); each save is kept in history with who made it."""

from django.core.exceptions import ValidationError
from django.db import transaction

from gateway.models import ApplicationAlias, ModelIdentifier
from governance.history import save_with_history
from governance.models import UseCase


@transaction.atomic
def application_alias_save(*, alias: ApplicationAlias, user, reason: str = "") -> ApplicationAlias:
    """Add or change an alias. An alias that spells another use case's reference would be shadowed by that
    reference (the decision prefers a reference), so it is refused."""
    alias.alias = alias.alias.strip()
    clash = UseCase.objects.filter(reference=alias.alias).exclude(pk=alias.use_case_id).first()
    if clash is not None:
        raise ValidationError({"alias": f"{alias.alias} is the reference of another use case."})
    if alias.pk is None and alias.created_by_id is None:
        alias.created_by = user
    alias.full_clean()
    save_with_history(alias, user=user, reason=reason or ("Changed" if alias.pk else "Added"))
    return alias


@transaction.atomic
def model_identifier_save(*, identifier: ModelIdentifier, user, reason: str = "") -> ModelIdentifier:
    identifier.name = identifier.name.strip()
    identifier.litellm_model = identifier.litellm_model.strip()
    if identifier.pk is None and identifier.created_by_id is None:
        identifier.created_by = user
    identifier.full_clean()
    save_with_history(identifier, user=user, reason=reason or ("Changed" if identifier.pk else "Added"))
    return identifier
