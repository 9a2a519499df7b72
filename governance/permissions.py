"""Who may see and change what in the registry. Views, templates and the API ask these predicates."""

from governance.models import UseCase


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
    return user.has_perm("governance.view_usecase") or user.has_perm("governance.view_usecase", use_case)


def can_edit_use_case(user, use_case: UseCase) -> bool:
    return use_case.is_editable and user.is_active and user.has_perm("governance.change_usecase", use_case)


def can_create_use_case(user) -> bool:
    return user.is_active and user.has_perm("governance.add_usecase")
