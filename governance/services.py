"""Writes to the registry. Views, admin actions, the API, tasks and seed data all come through here."""

from collections.abc import Iterable

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from guardian.shortcuts import assign_perm, remove_perm

from governance.failure_modes import FailureMode
from governance.history import one_history_row, save_with_history, stamp
from governance.limits import CHANGE_REASON, refuse_overlong
from governance.models import AIModel, DataCategory, FailureModeTest, ReferenceCounter, Risk, UseCase, Vendor
from governance.signals import registry_changed
from governance.tiers import tier_refresh

OWNER_FIELDS = ("business_owner", "technical_owner", "risk_owner")
OWNER_PERMISSIONS = ("governance.view_usecase", "governance.change_usecase")


def reference_next(*, prefix: str, year: int | None = None) -> str:
    """Hand out the next readable reference, e.g. UC-2026-0007. Call inside a transaction."""
    year = year or timezone.now().year
    ReferenceCounter.objects.get_or_create(prefix=prefix, year=year)
    counter = ReferenceCounter.objects.select_for_update().get(prefix=prefix, year=year)
    counter.last += 1
    counter.save(update_fields=["last"])
    return f"{prefix}-{year}-{counter.last:04d}"


def _grant_owners(use_case: UseCase, users: Iterable) -> None:
    for user in users:
        for perm in OWNER_PERMISSIONS:
            assign_perm(perm, user, use_case)


def _revoke_owners(use_case: UseCase, users: Iterable) -> None:
    for user in users:
        for perm in OWNER_PERMISSIONS:
            remove_perm(perm, user, use_case)


def _owner_set(use_case: UseCase) -> set:
    return {use_case.business_owner, use_case.technical_owner, use_case.risk_owner, use_case.created_by}


@transaction.atomic
def use_case_create(
    *,
    user,
    title: str,
    purpose: str,
    primary_model: AIModel,
    deployment_mode: str,
    hosting_country: str,
    business_owner=None,
    technical_owner=None,
    risk_owner=None,
    fallback_models: Iterable[AIModel] = (),
    data_categories: Iterable[DataCategory] = (),
    **fields,
) -> UseCase:
    """Open a draft request.

    1. Give it the next reference of the year.
    2. Default each unnamed owner to the creator.
    3. Validate and save it, with the creator in its history.
    4. Grant the owners and the creator view and change rights on this one use case.
    """
    use_case = UseCase(
        reference=reference_next(prefix="UC"),
        title=title,
        purpose=purpose,
        primary_model=primary_model,
        deployment_mode=deployment_mode,
        hosting_country=hosting_country,
        business_owner=business_owner or user,
        technical_owner=technical_owner or user,
        risk_owner=risk_owner or user,
        created_by=user,
        **fields,
    )
    use_case.full_clean()
    with one_history_row(use_case, user=user, reason="Request opened", created=True):
        use_case.save()
        use_case.fallback_models.set(fallback_models)
        use_case.data_categories.set(data_categories)
    _grant_owners(use_case, _owner_set(use_case))
    return use_case


@transaction.atomic
def use_case_update(
    *,
    use_case: UseCase,
    user,
    reason: str = "",
    approved_ok: bool = False,
    fallback_models: Iterable[AIModel] | None = None,
    data_categories: Iterable[DataCategory] | None = None,
    **fields,
) -> UseCase:
    """Change a draft (or a request sent back for changes).

    1. Lock the row and refuse unless the request is editable. An approved request is edited only
       through `approvals.services.use_case_edit` (approved_ok=True), which re-opens review when the
       change is material.
    2. Apply the field changes, validate, save with who and why.
    3. Move the per-object grants when an owner changes.
    """
    refuse_overlong(reason=(reason, CHANGE_REASON))
    locked = UseCase.objects.select_for_update().get(pk=use_case.pk)
    if not (locked.is_editable or (approved_ok and locked.is_approved)):
        raise ValidationError(f"{locked.reference} is {locked.get_status_display().lower()} and cannot be edited.")
    before = _owner_set(locked)
    for name, value in fields.items():
        if name in ("status", "reference", "created_by"):
            raise ValueError(f"{name} is not changed by an edit")
        setattr(locked, name, value)
    locked.full_clean()
    with one_history_row(locked, user=user, reason=reason or "Edited", created=False):
        locked.save()
        if fallback_models is not None:
            locked.fallback_models.set(fallback_models)
        if data_categories is not None:
            locked.data_categories.set(data_categories)
    after = _owner_set(locked)
    _revoke_owners(locked, before - after)
    _grant_owners(locked, after - before)
    return locked


@transaction.atomic
def risk_create(*, use_case: UseCase, user, **fields) -> Risk:
    if not UseCase.objects.select_for_update().get(pk=use_case.pk).is_editable:
        raise ValidationError(f"{use_case.reference} cannot take new risks in its current state.")
    fields.setdefault("owner", use_case.risk_owner)
    risk = Risk(use_case=use_case, **fields)
    risk.full_clean()
    save_with_history(risk, user=user, reason="Risk recorded")
    tier_refresh(UseCase.objects.filter(pk=use_case.pk))
    return risk


@transaction.atomic
def risk_update(*, risk: Risk, user, **fields) -> Risk:
    if not UseCase.objects.select_for_update().get(pk=risk.use_case_id).is_editable:
        raise ValidationError("Risks change only while the request is being prepared.")
    for name, value in fields.items():
        if name in ("use_case", "use_case_id"):
            raise ValueError("a risk stays with its use case")
        setattr(risk, name, value)
    risk.full_clean()
    save_with_history(risk, user=user, reason="Risk updated")
    tier_refresh(UseCase.objects.filter(pk=risk.use_case_id))
    return risk


@transaction.atomic
def risk_delete(*, risk: Risk, user) -> None:
    if not UseCase.objects.select_for_update().get(pk=risk.use_case_id).is_editable:
        raise ValidationError("Risks change only while the request is being prepared.")
    stamp(risk, user=user, reason="Risk removed")
    risk.delete()
    tier_refresh(UseCase.objects.filter(pk=risk.use_case_id))


FAILURE_MODE_FIELDS = ("status", "method", "result", "reason")


@transaction.atomic
def failure_modes_save(
    *, use_case: UseCase, user, answers: dict[str, dict[str, str]], reason: str = ""
) -> list[FailureModeTest]:
    """Record how each failure mode was tested (question 4), all of them at once.

    1. Refuse anyone but its owners; lock the use case and refuse unless it is editable (as risks are).
    2. For each mode in `answers` ({mode: {status, method, result, reason}}): refuse an unknown mode,
       validate every answer first, and name every error at once.
    3. Save only the answers that changed, each with a history row naming who and why.
    """
    refuse_overlong(reason=(reason, CHANGE_REASON))
    if not user.has_perm("governance.change_usecase", use_case):
        raise PermissionDenied(f"Only the owners of {use_case.reference} record its failure-mode tests.")
    locked = UseCase.objects.select_for_update().get(pk=use_case.pk)
    if not locked.is_editable:
        raise ValidationError(
            f"{locked.reference} is {locked.get_status_display().lower()}: its failure-mode tests cannot change now."
        )
    unknown = set(answers) - set(FailureMode.values)
    if unknown:
        raise ValueError(f"not failure modes: {', '.join(sorted(unknown))}")
    existing = {t.mode: t for t in FailureModeTest.objects.filter(use_case=locked)}
    changed, errors = [], {}
    for mode, values in answers.items():
        test = existing.get(mode) or FailureModeTest(use_case=locked, mode=mode)
        before = {name: getattr(test, name) for name in FAILURE_MODE_FIELDS}
        for name in FAILURE_MODE_FIELDS:
            setattr(test, name, (values.get(name) or "").strip())
        # Only the text that fits the status is kept, so a reason left behind is not read as an answer.
        if test.status == FailureModeTest.Status.TESTED:
            test.reason = ""
        else:
            test.method = test.result = ""
        try:
            test.full_clean(exclude=["use_case"], validate_unique=False, validate_constraints=False)
        except ValidationError as exc:
            errors.update({f"{mode}-{field}": messages for field, messages in exc.message_dict.items()})
            continue
        if test.pk is None or before != {name: getattr(test, name) for name in FAILURE_MODE_FIELDS}:
            changed.append(test)
    if errors:
        raise ValidationError(errors)
    for test in changed:
        save_with_history(test, user=user, reason=reason or "Failure-mode tests recorded")
    return changed


# What, when it changes on a registry row, may change the basis of an approval.
REVIEW_RELEVANT_FIELDS = {
    "aimodel": {"version", "licence_name", "licence_restrictions"},
    "vendor": {"sanctions_status"},
}


@transaction.atomic
def registry_save(instance: Vendor | AIModel, *, user, reason: str = "", changed: Iterable[str] = ()) -> None:
    """Save a vendor or model with its history, and announce the changes that matter to reviews."""
    refuse_overlong(reason=(reason, CHANGE_REASON))
    instance.full_clean()
    save_with_history(instance, user=user, reason=reason or "Registry updated")
    relevant = set(changed) & REVIEW_RELEVANT_FIELDS[instance._meta.model_name]
    if relevant:
        registry_changed.send(sender=type(instance), instance=instance, changed=sorted(relevant), user=user)
