"""Who may read what through the API: the pages' own predicates and selectors, asked for the caller. A
service account with the read scope reads what an executive reads; its scopes stand in for a role."""

from django.http import Http404
from django.shortcuts import get_object_or_404

from approvals.models import ApprovalRecord
from governance.models import UseCase
from governance.permissions import can_view_use_case, service_account_scopes
from governance.views import get_use_case_for_user
from identity.models import ServiceAccount
from reports.figures import can_view_portfolio


def can_read_portfolio(user) -> bool:
    """The executive report's readers: executives and governance admins, and a service account whose token
    may read (it sees what an executive sees). Anyone else learns nothing of the report."""
    scopes = service_account_scopes(user)
    if scopes is not None:
        return ServiceAccount.Scope.READ in scopes and user.is_active
    return can_view_portfolio(user)


def require_portfolio_reader(user) -> None:
    if not can_read_portfolio(user):
        raise Http404("No such page")


def use_case_for(user, reference: str) -> UseCase:
    """The use case the page would show `user`, or 404 (outsiders learn nothing)."""
    if len(reference) > UseCase._meta.get_field("reference").max_length:
        raise Http404("No such use case")
    return get_use_case_for_user(user, reference)


def record_for(user, pk: int) -> ApprovalRecord:
    """The approval record, to people who may see its use case (as its download page); else 404."""
    record = get_object_or_404(ApprovalRecord.objects.select_related("round__use_case").defer("round__snapshot"), pk=pk)
    if not can_view_use_case(user, record.round.use_case):
        raise Http404("No such record")
    return record
