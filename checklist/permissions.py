"""Who may answer which checklist item of a use case."""

from checklist.models import ChecklistItem
from governance.models import UseCase
from governance.permissions import has_role
from governance.roles import FUNCTION_GROUP, Function

# Reviewers answer their function's items while a request is being prepared or reviewed; not after.
REVIEWER_ANSWER_STATUSES = (*UseCase.EDITABLE_STATUSES, UseCase.Status.IN_REVIEW)


def can_answer(user, use_case: UseCase, item: ChecklistItem) -> bool:
    if not user.is_authenticated or not user.is_active:
        return False
    if item.owner_function == Function.BUSINESS:
        return use_case.is_editable and user.has_perm("governance.change_usecase", use_case)
    group = FUNCTION_GROUP.get(item.owner_function)
    owners = {use_case.business_owner_id, use_case.technical_owner_id, use_case.risk_owner_id, use_case.created_by_id}
    return (
        group is not None
        and use_case.status in REVIEWER_ANSWER_STATUSES
        and has_role(user, group)
        and user.pk not in owners
    )
