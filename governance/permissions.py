"""Who may see and change what in the registry. Views, templates and the API ask these predicates."""

from guardian.core import ObjectPermissionChecker

from governance.models import UseCase
from governance.roles import Role


def has_object_perm(user, perm: str, obj) -> bool:
    """`user.has_perm(perm, obj)` answered by one checker kept on the user object, so that the many
    checks one page makes about one object cost two queries in all rather than two each. Services
    that grant or re-check rights inside a transaction use `user.has_perm` directly."""
    if not user.is_active:
        return False
    if user.is_superuser:
        return True
    checker = getattr(user, "_object_perm_checker", None)
    if checker is None:
        checker = user._object_perm_checker = ObjectPermissionChecker(user)
    return checker.has_perm(perm.split(".", 1)[-1], obj)


def has_role(user, *roles: str) -> bool:
    if not user.is_authenticated:
        return False
    names = getattr(user, "_role_names", None)
    if names is None:
        names = set(user.groups.values_list("name", flat=True))
        user._role_names = names
    return bool(names.intersection(roles))


def service_account_scopes(user) -> frozenset[str] | None:
    """The scopes of the service account asking (the API's token authentication marks the user with them),
    or None when a person asks."""
    return getattr(user, "service_account_scopes", None)


def is_governance_admin(user) -> bool:
    """Governance admins (and superusers): they manage people, service accounts, webhooks and the gateway's
    names, and may try the runtime decision."""
    return bool(user.is_authenticated and user.is_active and (user.is_superuser or has_role(user, Role.ADMIN.value)))


def has_any_role(user) -> bool:
    """Whether the account holds any role at all: one with none is an outsider everywhere. A service account
    (marked by the API's token authentication) holds none; its scopes stand for one."""
    if not user.is_authenticated or not user.is_active:
        return False
    if service_account_scopes(user) is not None:
        return True
    return user.is_superuser or has_role(user, *Role.values)


def was_submitted(use_case: UseCase) -> bool:
    """Whether the use case has been submitted at least once (a review round was opened for it)."""
    return use_case.first_submitted_at is not None


def can_view_use_case(user, use_case: UseCase) -> bool:
    """Need to know: owners and the creator see their use case from the first draft; reviewers,
    executives and admins (the global view right) see it once it has been submitted, never a draft
    that was not; an account with no role sees none. `use_cases_visible_to` is the same rule as a query."""
    if not has_any_role(user):
        return False
    if user.has_perm("governance.view_usecase") and was_submitted(use_case):
        return True
    return has_object_perm(user, "governance.view_usecase", use_case)


def can_edit_use_case(user, use_case: UseCase) -> bool:
    return use_case.is_editable and has_object_perm(user, "governance.change_usecase", use_case)


def can_create_use_case(user) -> bool:
    return user.is_active and user.has_perm("governance.add_usecase")
