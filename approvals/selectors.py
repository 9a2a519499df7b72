"""Reads for the review pages, each a fixed number of queries whatever the number of rows."""

from collections.abc import Iterable
from datetime import datetime, timedelta

from django.conf import settings
from django.db.models import BooleanField, ExpressionWrapper, Min, OuterRef, Prefetch, Q, QuerySet, Subquery
from django.utils import timezone

from approvals.models import RECORDED_STATUSES, ApprovalEvent, ApprovalRequest, SignOff
from approvals.routing import Category, Routing, RoutingFacts, route
from evaluations.selectors import evidence_summary
from governance.models import DataCategory, UseCase
from governance.roles import FUNCTION_GROUP, Function
from governance.selectors import highest_sensitivity


def functions_of(user) -> list[str]:
    # The role names `has_role` keeps on the user: one query per request however often a page asks.
    names = getattr(user, "_role_names", None)
    if names is None:
        names = user._role_names = set(user.groups.values_list("name", flat=True))
    return [function for function, group in FUNCTION_GROUP.items() if group in names]


QUEUE_SORTS = {
    # Oldest first; ties by round and function (one sign-off per function of a round): a stable order.
    "waiting": ("round__submitted_at", "round_id", "function"),
    # Highest residual risk of the use case first (the tier the lists show), then oldest first.
    "risk": ("-round__use_case__highest_residual", "round__submitted_at", "round_id", "function"),
}


def review_queue(user, *, functions: list[str] | None = None) -> QuerySet[SignOff]:
    """Pending sign-offs of open rounds for the functions `user` signs for (`functions` when the caller
    has read them already), oldest first."""
    return (
        SignOff.objects.filter(
            decision=SignOff.Decision.PENDING,
            round__status=ApprovalRequest.Status.IN_REVIEW,
            function__in=functions_of(user) if functions is None else functions,
        )
        .select_related("round__use_case__primary_model__vendor", "round__use_case__business_owner", "assignee")
        .defer("round__snapshot", "round__routing")  # a queue row shows neither; a snapshot runs to many KB
        .order_by(*QUEUE_SORTS["waiting"])
    )


# What a row of the queue page shows and what its buttons' permissions read: nothing else is loaded (a use
# case carries many long texts), and nothing a row reads is left out (each would be a query per row).
QUEUE_ROW_FIELDS = (
    "function",
    "decision",
    "round__number",
    "round__status",
    "round__submitted_at",
    "round__submitted_by_id",
    "round__use_case__reference",
    "round__use_case__title",
    "round__use_case__status",
    "round__use_case__risk_band",
    "round__use_case__business_owner_id",
    "round__use_case__technical_owner_id",
    "round__use_case__risk_owner_id",
    "round__use_case__created_by_id",
    "round__use_case__primary_model__name",
    "round__use_case__primary_model__vendor__name",
    "round__use_case__primary_model__vendor__hq_country",
    "assignee__username",
    "assignee__first_name",
    "assignee__last_name",
    "assignee__is_active",
)


def filter_review_queue(
    signoffs: QuerySet[SignOff],
    user,
    *,
    q: str = "",
    function: str = "",
    overdue: bool = False,
    assigned: str = "",
    sensitivity: int | None = None,
    band: str = "",
    vendor_country: str = "",
    sort: str = "",
    now: datetime | None = None,
) -> QuerySet[SignOff]:
    """The queue page's rows of `signoffs` (a `review_queue`): a search of the reference, title, primary
    model and vendor; one function; past the sign-off target (`overdue`, measured from `now`); held by
    `user` (`assigned="me"`) or by nobody ("unassigned"); the use case's most sensitive data category; its
    residual risk band (the tier the other lists show); its vendor's country. Ordered by waiting time or
    by risk (`sort`), each row with its `data_sensitivity`, all in one query."""
    if function:
        signoffs = signoffs.filter(function=function)
    if q:
        signoffs = signoffs.filter(
            Q(round__use_case__reference__icontains=q)
            | Q(round__use_case__title__icontains=q)
            | Q(round__use_case__primary_model__name__icontains=q)
            | Q(round__use_case__primary_model__vendor__name__icontains=q)
        )
    if overdue:
        # `waiting_days` (whole days) passes the target a full day after it: submitted that long ago.
        limit = (now or timezone.now()) - timedelta(days=settings.CLEARANCE_SIGNOFF_SLA_DAYS + 1)
        signoffs = signoffs.filter(round__submitted_at__lte=limit)
    if assigned == "me":
        signoffs = signoffs.filter(assignee=user)
    elif assigned == "unassigned":
        signoffs = signoffs.filter(assignee__isnull=True)
    if band:
        signoffs = signoffs.filter(round__use_case__risk_band=band)
    if vendor_country:
        signoffs = signoffs.filter(round__use_case__primary_model__vendor__hq_country=vendor_country.upper())
    signoffs = signoffs.annotate(data_sensitivity=highest_sensitivity("round__use_case_id"))
    if sensitivity:
        signoffs = signoffs.filter(data_sensitivity=sensitivity)
    return (
        signoffs.select_related(None)
        .select_related("round__use_case__primary_model__vendor", "assignee")
        .only(*QUEUE_ROW_FIELDS)
        .order_by(*QUEUE_SORTS.get(sort, QUEUE_SORTS["waiting"]))
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
    """The sign-offs with `waiting_days` since their round was submitted, `overdue` past the SLA, and the
    name of their `data_sensitivity` (when the queryset carried it) as `data_sensitivity_label`."""
    now = now or timezone.now()
    rows = list(signoffs)
    for signoff in rows:
        signoff.waiting_days = (now - signoff.round.submitted_at).days
        signoff.overdue = signoff.waiting_days > settings.CLEARANCE_SIGNOFF_SLA_DAYS
        sensitivity = getattr(signoff, "data_sensitivity", None)
        signoff.data_sensitivity_label = DataCategory.Sensitivity(sensitivity).label if sensitivity else ""
    return rows


def routing_preview(use_case: UseCase) -> Routing:
    """Who would review the request if it were submitted now, and why."""
    vendor = use_case.primary_model.vendor
    evidence = evidence_summary(use_case)
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
            missed_thresholds=tuple(
                f"{f.label.lower()} {f.pass_rate:.1f} % < {f.threshold.min_pass_rate.normalize():f} %"
                for f in evidence.misses
            ),
            foreign_evidence=len(evidence.foreign_runs),
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


def signed_functions_by_round(user, round_ids: Iterable[int]) -> dict[int, set[str]]:
    """The functions `user` already signed in each of the rounds, in one query (for `can_take` on a list)."""
    signed: dict[int, set[str]] = {}
    if not round_ids:
        return signed
    rows = SignOff.objects.filter(round_id__in=list(round_ids), signed_by=user).values_list("round_id", "function")
    for round_id, function in rows:
        signed.setdefault(round_id, set()).add(function)
    return signed


def function_members() -> list:
    """The active members of the reviewing functions, by name: each with `functions` (the names of the
    functions they sign for) and `leads` (they hold `approvals.lead_signoffs` themselves). Three queries."""
    from django.contrib.auth import get_user_model

    User = get_user_model()
    function_of = {group: Function(function).label for function, group in FUNCTION_GROUP.items()}
    memberships = User.objects.filter(is_active=True, groups__name__in=function_of).values_list("pk", "groups__name")
    functions: dict[int, list[str]] = {}
    for pk, group in memberships:
        functions.setdefault(pk, []).append(function_of[group])
    leads = set(
        User.objects.filter(
            pk__in=functions,
            user_permissions__codename="lead_signoffs",
            user_permissions__content_type__app_label="approvals",
        ).values_list("pk", flat=True)
    )
    members = list(User.objects.filter(pk__in=functions).order_by("first_name", "last_name", "username"))
    for member in members:
        member.functions = sorted(functions[member.pk])
        member.leads = member.pk in leads
    return members
