"""Who may see and change what in the registry. Views, templates and the API ask these predicates."""

from guardian.core import ObjectPermissionChecker

from governance.models import UseCase


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


def can_view_use_case(user, use_case: UseCase) -> bool:
    """Reviewers, executives and admins see every use case; owners see their own; no one else."""
    if not user.is_authenticated or not user.is_active:
        return False
    return user.has_perm("governance.view_usecase") or has_object_perm(user, "governance.view_usecase", use_case)


def can_edit_use_case(user, use_case: UseCase) -> bool:
    return use_case.is_editable and has_object_perm(user, "governance.change_usecase", use_case)


def can_create_use_case(user) -> bool:
    return user.is_active and user.has_perm("governance.add_usecase")
