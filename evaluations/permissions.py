"""Who may add or remove evaluation evidence on a use case: whoever may answer its business or security
checklist items now (its owners while it is being prepared; security reviewers while it is prepared or in
review), since the evidence backs those answers."""

from checklist.permissions import answerable_functions
from governance.models import UseCase
from governance.permissions import has_any_role, has_role, is_governance_admin, service_account_scopes
from governance.roles import Function, Role

IMPORTING_FUNCTIONS = {Function.BUSINESS.value, Function.SECURITY.value}


def can_import_evaluation(user, use_case: UseCase) -> bool:
    return bool(answerable_functions(user, use_case) & IMPORTING_FUNCTIONS)


def can_remove_evaluation(user, run) -> bool:
    return run.pk in removable_runs(user, run.use_case, [run])


def removable_runs(user, use_case: UseCase, runs) -> set[int]:
    """Which of `runs` (of `use_case`) `user` may remove now: an owner any of them while preparing the request,
    the security function those it imported (a fixed number of queries, whatever the number of runs)."""
    functions = answerable_functions(user, use_case)
    if not functions & IMPORTING_FUNCTIONS:
        return set()
    owner = Function.BUSINESS.value in functions
    return {run.pk for run in runs if owner or run.imported_by_id == user.pk}


def can_set_thresholds(user) -> bool:
    """The security function sets the pass rates evidence must reach; governance admins may too."""
    return user.is_authenticated and user.is_active and (has_role(user, Role.SECURITY) or is_governance_admin(user))


def can_read_thresholds(user) -> bool:
    """Everyone with a role reads them: owners prepare their evidence against them."""
    return user.is_authenticated and user.is_active and has_any_role(user) and service_account_scopes(user) is None
