"""Who may answer which checklist item of a use case."""

from checklist.models import ChecklistItem
from governance.models import UseCase
from governance.permissions import has_object_perm, has_role
from governance.roles import FUNCTION_GROUP, Function

# Reviewers answer their function's items while a request is being prepared or reviewed; not after.
REVIEWER_ANSWER_STATUSES = (*UseCase.EDITABLE_STATUSES, UseCase.Status.IN_REVIEW)


def answerable_functions(user, use_case: UseCase) -> set[str]:
    """The functions whose items `user` may answer on `use_case` now (a fixed number of queries)."""
    if not user.is_authenticated or not user.is_active:
        return set()
    functions = set()
    if use_case.is_editable and has_object_perm(user, "governance.change_usecase", use_case):
        functions.add(Function.BUSINESS.value)
    owners = {use_case.business_owner_id, use_case.technical_owner_id, use_case.risk_owner_id, use_case.created_by_id}
    if use_case.status in REVIEWER_ANSWER_STATUSES and user.pk not in owners:
        functions.update(function.value for function, group in FUNCTION_GROUP.items() if has_role(user, group))
    return functions


def can_answer(user, use_case: UseCase, item: ChecklistItem) -> bool:
    return item.owner_function in answerable_functions(user, use_case)
