"""Reads the API adds beside the pages' own selectors: each list is one query for its rows (plus one per
prefetched relation and the page's count), whatever the number of rows."""

from django.db.models import Count, Prefetch, Q, QuerySet, prefetch_related_objects

from approvals.models import ApprovalRecord, ApprovalRequest, Condition, SignOff
from approvals.selectors import review_queue
from governance.models import AIModel, Risk, UseCase, Vendor
from governance.selectors import use_cases_visible_to


def vendors() -> QuerySet[Vendor]:
    return Vendor.objects.annotate(model_count=Count("models")).order_by("name", "pk")


def models_for(user) -> QuerySet[AIModel]:
    """Every model with its use cases counted among those `user` may see (as the catalog counts them)."""
    visible = use_cases_visible_to(user).values("pk")
    return (
        AIModel.objects.select_related("vendor")
        .annotate(use_case_count=Count("use_cases", filter=Q(use_cases__in=visible)))
        .order_by("vendor__name", "name", "pk")
    )


def use_case_in_full(use_case: UseCase) -> UseCase:
    """Load what the detail shows of `use_case` in a fixed number of queries."""
    prefetch_related_objects(
        [use_case],
        Prefetch("fallback_models", queryset=AIModel.objects.select_related("vendor").order_by("name", "pk")),
        "data_categories",
        Prefetch("risks", queryset=Risk.objects.select_related("owner").order_by("created_at", "pk")),
    )
    return use_case


def current_approval(use_case: UseCase) -> ApprovalRequest | None:
    """The round whose approval is in force (approved, with or without conditions), with its conditions and
    record; None unless the use case stands approved."""
    if not use_case.is_approved:
        return None
    return (
        use_case.rounds.filter(status__in=ApprovalRequest.APPROVED_STATUSES)
        .select_related("record")
        .prefetch_related(
            Prefetch("condition_items", queryset=Condition.objects.select_related("owner").order_by("due_on", "pk"))
        )
        .defer("snapshot")
        .order_by("-number")
        .first()
    )


def signoffs_visible_to(user, *, queue: bool = False) -> QuerySet[SignOff]:
    """The sign-offs of the rounds of the use cases `user` may see; with `queue`, only their review queue
    (pending sign-offs of open rounds of their functions)."""
    signoffs = review_queue(user) if queue else SignOff.objects.all()
    return (
        signoffs.filter(round__use_case__in=use_cases_visible_to(user).values("pk"))
        .select_related(None)
        .select_related("round__use_case", "assignee", "signed_by")
        .defer("round__snapshot", "round__routing")
        .order_by("round__submitted_at", "round_id", "function")
    )


def records_visible_to(user) -> QuerySet[ApprovalRecord]:
    return (
        ApprovalRecord.objects.filter(round__use_case__in=use_cases_visible_to(user).values("pk"))
        .select_related("round__use_case")
        .defer("round__snapshot", "round__routing")
        .order_by("-created_at", "-pk")
    )
