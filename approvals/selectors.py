"""Reads for the review pages, each a fixed number of queries whatever the number of rows."""

from collections.abc import Iterable
from datetime import datetime

from django.conf import settings
from django.db.models import BooleanField, ExpressionWrapper, Min, OuterRef, Prefetch, Q, QuerySet, Subquery
from django.utils import timezone

from approvals.models import RECORDED_STATUSES, ApprovalEvent, ApprovalRequest, SignOff
from approvals.routing import Category, Routing, RoutingFacts, route
from governance.models import UseCase
from governance.roles import FUNCTION_GROUP


def functions_of(user) -> list[str]:
    # The role names `has_role` keeps on the user: one query per request however often a page asks.
    names = getattr(user, "_role_names", None)
    if names is None:
        names = user._role_names = set(user.groups.values_list("name", flat=True))
    return [function for function, group in FUNCTION_GROUP.items() if group in names]


def review_queue(user) -> QuerySet[SignOff]:
    """Pending sign-offs of open rounds for the functions `user` signs for, oldest first."""
    return (
        SignOff.objects.filter(
            decision=SignOff.Decision.PENDING,
            round__status=ApprovalRequest.Status.IN_REVIEW,
            function__in=functions_of(user),
        )
        .select_related("round__use_case__primary_model__vendor", "round__use_case__business_owner", "assignee")
        .defer("round__snapshot", "round__routing")  # a queue row shows neither; a snapshot runs to many KB
        .order_by("round__submitted_at", "round_id", "function")
    )


def first_submission() -> Subquery:
    """When the use case's first round opened (None without one): the source of `first_submitted_at`."""
    return Subquery(
        ApprovalRequest.objects.filter(use_case=OuterRef("pk"))
        .order_by()
        .values("use_case")
        .annotate(at=Min("submitted_at"))
        .values("at")
    )


def with_waiting_time(signoffs: Iterable[SignOff], *, now: datetime | None = None) -> list[SignOff]:
    """The sign-offs with `waiting_days` since their round was submitted, and `overdue` past the SLA."""
    now = now or timezone.now()
    rows = list(signoffs)
    for signoff in rows:
        signoff.waiting_days = (now - signoff.round.submitted_at).days
        signoff.overdue = signoff.waiting_days > settings.CLEARANCE_SIGNOFF_SLA_DAYS
    return rows


def routing_preview(use_case: UseCase) -> Routing:
    """Who would review the request if it were submitted now, and why."""
    vendor = use_case.primary_model.vendor
    return route(
        RoutingFacts(
            vendor_name=vendor.name,
            vendor_sanctions_status=vendor.sanctions_status,
            vendor_country=vendor.hq_country,
            hosting_country=use_case.hosting_country,
            residual_scores=tuple(r.residual_score for r in use_case.risks.all()),
            autonomy=use_case.autonomy,
            tool_use=use_case.tool_use,
            data_categories=tuple(
                Category(slug=c.slug, sensitivity=c.sensitivity, name=c.name)
                for c in use_case.data_categories.order_by("-sensitivity", "name")
            ),
        ),
        restricted_countries=settings.CLEARANCE_RESTRICTED_COUNTRIES,
    )


def rounds_with_signoffs(use_case: UseCase) -> QuerySet[ApprovalRequest]:
    """The use case's rounds with their sign-offs and approval record; `has_outcome` marks the rounds
    that have (or will soon have) a record."""
    return (
        use_case.rounds.select_related("submitted_by", "checklist_template", "record")
        .annotate(has_outcome=ExpressionWrapper(Q(status__in=RECORDED_STATUSES), output_field=BooleanField()))
        .prefetch_related(Prefetch("signoffs", queryset=SignOff.objects.select_related("signed_by", "assignee")))
    )


def events_of(use_case: UseCase) -> QuerySet[ApprovalEvent]:
    return use_case.events.select_related("actor", "round").order_by("created_at", "pk")
