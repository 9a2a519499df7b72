"""Who holds which role, and who may sign in at all: granting and revoking roles, closing and reopening an
account, and the roles the identity provider gives at each sign-in. Every change is a RoleChange row.

A role named as a value of CLEARANCE_OIDC_ROLE_MAP is the provider's to give to a person who signs in through
it (who has an ExternalIdentity): it is granted and taken away at each of their sign-ins, so Clearance refuses
to change it by hand. Every other role, and every role of a person with a local password only, is managed here.
"""

from collections.abc import Iterable

from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Q

from approvals.models import SignOff
from approvals.services import signoffs_release_held
from governance.limits import NOTE, clip, refuse_overlong
from governance.permissions import is_governance_admin
from governance.roles import FUNCTION_GROUP, Role
from governance.sessions import sessions_end
from identity.models import ExternalIdentity, RoleChange

User = get_user_model()


class PeopleRefused(PermissionDenied):
    """The actor may not change people's roles or accounts."""


def _role_add(person, role: str) -> None:
    """Put `person` in the role's group. Governance admins keep the reference data in the admin site, so the
    role opens it (is_staff)."""
    person.groups.add(Group.objects.get(name=role))
    if role == Role.ADMIN and not person.is_staff:
        person.is_staff = True
        person.save(update_fields=["is_staff"])


def _role_remove(person, role: str) -> None:
    """Take `person` out of the role's group; without the admin role the admin site closes to them (a
    superuser keeps it)."""
    person.groups.remove(Group.objects.get(name=role))
    if role == Role.ADMIN and person.is_staff and not person.is_superuser:
        person.is_staff = False
        person.save(update_fields=["is_staff"])


def can_manage_people(user) -> bool:
    """Governance admins (and superusers) decide who holds which role and who may sign in."""
    return is_governance_admin(user)


def provider_roles() -> set[str]:
    """The roles the identity provider gives (the values of CLEARANCE_OIDC_ROLE_MAP)."""
    return set(settings.CLEARANCE_OIDC_ROLE_MAP.values())


def has_provider_account(person) -> bool:
    """Whether `person` signs in through the identity provider (without a query when it was selected along)."""
    try:
        return person.external_identity is not None
    except ExternalIdentity.DoesNotExist:
        return False


def role_is_provider_managed(person, role: str) -> bool:
    """Whether the identity provider, not Clearance, gives `role` to `person`."""
    return str(role) in provider_roles() and has_provider_account(person)


def name_of(person) -> str:
    return person.get_full_name() or person.username


def functions_of_role(role: str) -> list[str]:
    """The reviewing functions that `role` signs for (none for business owners and admins)."""
    return [function for function, group in FUNCTION_GROUP.items() if group == role]


# --- Checks -----------------------------------------------------------------------------------------


def _refuse_unless_manager(user) -> None:
    if not can_manage_people(user):
        raise PeopleRefused("Only a governance admin changes people's roles and accounts.")


def _refuse_unless_still_manager(user) -> None:
    """The right asked of the database again once the rows are locked: another admin may just have taken
    this one's role away, or closed their account."""
    still = User.objects.filter(pk=user.pk, is_active=True).filter(Q(is_superuser=True) | Q(groups__name=Role.ADMIN))
    if not still.exists():
        raise PeopleRefused("Only a governance admin changes people's roles and accounts.")


def _checked_reason(reason: str, missing: str) -> str:
    refuse_overlong(reason=(reason, NOTE))
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError({"reason": missing})
    return reason


def _checked_role(role: str) -> str:
    if role not in Role.values:
        raise ValidationError({"role": "There is no such role."})
    return str(role)


def _lock(person, *, with_admins: bool = False):
    """Lock `person`'s row (and, for a change that may leave no governance admin, every active admin's row,
    in id order: two admins removing each other at once then wait for each other instead of both passing
    the check below). Returns `person` as locked, with their provider account."""
    ids = {person.pk}
    if with_admins:
        ids |= set(User.objects.filter(groups__name=Role.ADMIN, is_active=True).values_list("pk", flat=True))
    list(User.objects.select_for_update().filter(pk__in=ids).order_by("pk").values_list("pk", flat=True))
    return User.objects.select_related("external_identity").get(pk=person.pk)


def _refuse_if_last_admin(person, what: str) -> None:
    is_admin = person.is_active and person.groups.filter(name=Role.ADMIN).exists()
    others = User.objects.filter(groups__name=Role.ADMIN, is_active=True).exclude(pk=person.pk)
    if is_admin and not others.exists():
        raise ValidationError(
            f"{name_of(person)} is the last active governance admin: {what} would leave nobody to manage "
            "people. Make someone else a governance admin first."
        )


def _refuse_self_or_superuser(person, user, what: str) -> None:
    if person.pk == user.pk:
        raise ValidationError(f"You cannot {what}: ask another governance admin.")
    if person.is_superuser and not user.is_superuser:
        # The break-glass accounts are above the governance admins, not among the people they manage.
        raise ValidationError(f"{name_of(person)} is a superuser: only a superuser changes their account.")


def _held_roles(person) -> set[str]:
    return set(person.groups.values_list("name", flat=True))


def _lead_drop_without_function(person, user) -> bool:
    """A lead hands out the sign-offs of the functions they are a member of: someone who is no longer a
    member of any loses the right (`approvals.lead_signoffs`), recorded in the admin's log of their account
    when a person removed it."""
    from django.contrib.admin.models import CHANGE, LogEntry
    from django.contrib.auth.models import Permission

    if person.groups.filter(name__in=FUNCTION_GROUP.values()).exists():
        return False
    permission = Permission.objects.get(codename="lead_signoffs", content_type__app_label="approvals")
    if not person.user_permissions.filter(pk=permission.pk).exists():
        return False
    person.user_permissions.remove(permission)
    if user is not None:
        LogEntry.objects.log_actions(
            user_id=user.pk,
            queryset=[person],
            action_flag=CHANGE,
            change_message="No longer a lead of sign-offs: no longer a member of a reviewing function",
            single_object=True,
        )
    return True


def _release_for_role(person, role: str, actor, reason: str) -> list[SignOff]:
    functions = functions_of_role(role)
    if not functions:
        return []
    return signoffs_release_held(person=person, actor=actor, reason=reason, functions=functions)


# --- Roles ------------------------------------------------------------------------------------------


def _refuse_unless_changeable_here(person, role: str) -> None:
    """A role is changed by hand only on an active account, and only if the identity provider does not give it."""
    if not person.is_active:
        raise ValidationError(f"{name_of(person)} is deactivated: reactivate them first.")
    if role_is_provider_managed(person, role):
        raise ValidationError(
            f"{name_of(person)} gets “{role}” from the identity provider: it is given and taken away at "
            "each of their sign-ins. Change their groups there."
        )


@transaction.atomic
def role_grant(*, person, role: str, user, reason: str) -> RoleChange:
    """A governance admin gives `person` a role managed in Clearance.

    1. Check the right, the reason and the role; lock the person.
    2. Refuse a change to one's own roles, an inactive person, a role the identity provider gives them, and
       a role they already hold.
    3. Add them to the role's group and record the change.
    """
    _refuse_unless_manager(user)
    reason = _checked_reason(reason, "Say why they get this role.")
    role = _checked_role(role)
    person = _lock(person)
    _refuse_unless_still_manager(user)
    _refuse_self_or_superuser(person, user, "change your own roles")
    _refuse_unless_changeable_here(person, role)
    if role in _held_roles(person):
        raise ValidationError(f"{name_of(person)} already holds “{role}”.")
    _role_add(person, role)
    return RoleChange.objects.create(
        person=person,
        action=RoleChange.Action.GRANTED,
        role=role,
        source=RoleChange.Source.LOCAL,
        actor=user,
        reason=reason,
    )


@transaction.atomic
def role_revoke(*, person, role: str, user, reason: str) -> RoleChange:
    """A governance admin takes a role managed in Clearance away from `person`.

    1. Check the right, the reason and the role; lock the person (and the active admins).
    2. Refuse a change to one's own roles, an inactive person, a role the identity provider gives them, a
       role they do not hold, and taking the last active governance admin's role.
    3. Remove them from the role's group and record the change.
    4. The sign-offs of the role's function that they hold go back to its queue (its members are told);
       someone left in no reviewing function no longer leads any.
    """
    _refuse_unless_manager(user)
    reason = _checked_reason(reason, "Say why this role is taken away.")
    role = _checked_role(role)
    person = _lock(person, with_admins=role == Role.ADMIN)
    _refuse_unless_still_manager(user)
    _refuse_self_or_superuser(person, user, "change your own roles")
    _refuse_unless_changeable_here(person, role)
    if role not in _held_roles(person):
        raise ValidationError(f"{name_of(person)} does not hold “{role}”.")
    if role == Role.ADMIN:
        _refuse_if_last_admin(person, "taking their role away")
    _role_remove(person, role)
    change = RoleChange.objects.create(
        person=person,
        action=RoleChange.Action.REVOKED,
        role=role,
        source=RoleChange.Source.LOCAL,
        actor=user,
        reason=reason,
    )
    _release_for_role(person, role, user, f"{name_of(person)} is no longer among the {role}: {reason}")
    _lead_drop_without_function(person, user)
    return change


# --- Accounts ---------------------------------------------------------------------------------------


@transaction.atomic
def person_deactivate(*, person, user, reason: str) -> RoleChange:
    """A governance admin closes `person`'s account: they can no longer sign in, and their open sessions end
    at their next request (the authentication backend refuses an inactive account).

    1. Check the right and the reason; lock the person and the active admins.
    2. Refuse oneself, someone already deactivated, and the last active governance admin.
    3. Mark them inactive and record it.
    4. Every pending sign-off they hold goes back to its function's queue, with the reason; the functions'
       members are told. Their roles stay, for a reactivation.
    """
    _refuse_unless_manager(user)
    reason = _checked_reason(reason, "Say why this account is deactivated.")
    person = _lock(person, with_admins=True)
    _refuse_unless_still_manager(user)
    _refuse_self_or_superuser(person, user, "deactivate yourself")
    if not person.is_active:
        raise ValidationError(f"{name_of(person)} is already deactivated.")
    _refuse_if_last_admin(person, "deactivating them")
    person.is_active = False
    person.save(update_fields=["is_active"])
    # Their sessions end now, not at their next request: a reactivation must not revive one.
    transaction.on_commit(lambda: sessions_end(person.pk))
    change = RoleChange.objects.create(
        person=person, action=RoleChange.Action.DEACTIVATED, source=RoleChange.Source.LOCAL, actor=user, reason=reason
    )
    signoffs_release_held(person=person, actor=user, reason=f"{name_of(person)} was deactivated: {reason}")
    return change


@transaction.atomic
def person_reactivate(*, person, user, reason: str) -> RoleChange:
    """A governance admin reopens a deactivated account, with the roles it had.

    1. Check the right and the reason; lock the person.
    2. Refuse someone who is active.
    3. Mark them active and record it.
    """
    _refuse_unless_manager(user)
    reason = _checked_reason(reason, "Say why this account is reactivated.")
    person = _lock(person)
    _refuse_unless_still_manager(user)
    _refuse_self_or_superuser(person, user, "reactivate yourself")
    if person.is_active:
        raise ValidationError(f"{name_of(person)} is active already.")
    person.is_active = True
    person.save(update_fields=["is_active"])
    return RoleChange.objects.create(
        person=person, action=RoleChange.Action.REACTIVATED, source=RoleChange.Source.LOCAL, actor=user, reason=reason
    )


# --- The identity provider --------------------------------------------------------------------------


def _joined(names: Iterable[str]) -> str:
    return ", ".join(sorted(names))


@transaction.atomic
def roles_sync_from_provider(*, person, groups: list[str], provider: str) -> list[RoleChange]:
    """At each single sign-on: give `person` the roles their provider groups map to, and take away the
    provider's roles they hold that their groups no longer give. Roles the provider does not give are never
    touched. A second call with the same groups changes nothing.

    1. Lock the person; work out the roles the groups give (CLEARANCE_OIDC_ROLE_MAP), naming the groups.
    2. Add those not held, remove the provider's roles held but not given; one RoleChange each, from the
       provider, with no actor.
    3. A removed reviewing role sends the sign-offs of its function they hold back to its queue; someone
       left in no reviewing function no longer leads any.
    Returns the changes, granted first.
    """
    role_map = settings.CLEARANCE_OIDC_ROLE_MAP
    managed = set(role_map.values())
    provider = clip(str(provider), 200)
    giving: dict[str, list[str]] = {}
    for group in dict.fromkeys(str(g) for g in groups or ()):
        if group in role_map:
            giving.setdefault(role_map[group], []).append(group)
    person = _lock(person)
    held = _held_roles(person) & managed
    changes = []
    for role in sorted(set(giving) - held):
        _role_add(person, role)
        changes.append(
            RoleChange.objects.create(
                person=person,
                action=RoleChange.Action.GRANTED,
                role=role,
                source=RoleChange.Source.PROVIDER,
                actor=None,
                reason=clip(f"At sign-in through {provider}: member of {_joined(giving[role])}", NOTE),
            )
        )
    for role in sorted(held - set(giving)):
        _role_remove(person, role)
        reason = f"At sign-in through {provider}: in no group that gives this role"
        changes.append(
            RoleChange.objects.create(
                person=person,
                action=RoleChange.Action.REVOKED,
                role=role,
                source=RoleChange.Source.PROVIDER,
                actor=None,
                reason=clip(reason, NOTE),
            )
        )
        _release_for_role(person, role, None, f"{name_of(person)} is no longer among the {role} ({reason})")
    if any(change.action == RoleChange.Action.REVOKED for change in changes):
        _lead_drop_without_function(person, None)
    return changes
