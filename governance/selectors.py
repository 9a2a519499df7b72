"""Reads of the registry, shaped so that a page costs the same number of queries for any number of rows."""

from django.contrib.auth import get_user_model
from django.db.models import Exists, Max, OuterRef, Q, QuerySet, Subquery

from governance.models import UseCase, UseCaseUserObjectPermission
from governance.permissions import has_any_role


def highest_sensitivity(use_case_ref: str = "pk") -> Subquery:
    """The highest sensitivity among the data categories of the use case that `use_case_ref` names in the
    outer query (None without any): one subquery, for lists of use cases or of what hangs off them."""
    through = UseCase.data_categories.through
    return Subquery(
        through.objects.filter(usecase_id=OuterRef(use_case_ref))
        .order_by()
        .values("usecase_id")
        .annotate(highest=Max("datacategory__sensitivity"))
        .values("highest")[:1]
    )


def use_cases_visible_to(user) -> QuerySet[UseCase]:
    """Every use case `user` may see, by the rule of `can_view_use_case`: their own (an object grant),
    and, for holders of the global view right, every use case submitted at least once. One query, which
    reaches an owner's few use cases through the grants' index rather than scanning the table."""
    if not has_any_role(user):
        return UseCase.objects.none()
    if user.is_superuser:
        return UseCase.objects.all()
    grants = UseCaseUserObjectPermission.objects.filter(user=user, permission__codename="view_usecase")
    own = Q(pk__in=grants.values("content_object"))
    if not user.has_perm("governance.view_usecase"):
        return UseCase.objects.filter(own)
    return UseCase.objects.filter(own | Q(first_submitted_at__isnull=False))


def owner_choices_for(user) -> QuerySet:
    """The people the list's owner filter may offer `user`: the owners of the use cases they may see when
    they hold the global view right, else only themselves. Never the whole directory."""
    User = get_user_model()
    if not has_any_role(user):
        return User.objects.none()
    if not user.has_perm("governance.view_usecase"):
        return User.objects.filter(pk=user.pk)
    visible = use_cases_visible_to(user)
    owners = Q()
    for field in ("business_owner", "technical_owner", "risk_owner"):  # per person, an index probe
        owners |= Exists(visible.filter(**{field: OuterRef("pk")}))
    return User.objects.filter(owners, is_active=True).order_by("first_name", "last_name", "username")


def with_list_facts(use_cases: QuerySet[UseCase]) -> QuerySet[UseCase]:
    """Join what a list row shows (the tier is a column of the use case)."""
    return use_cases.select_related("primary_model__vendor", "business_owner", "technical_owner", "risk_owner")


def use_cases_owned_by(user) -> QuerySet[UseCase]:
    return UseCase.objects.filter(
        Q(business_owner=user) | Q(technical_owner=user) | Q(risk_owner=user) | Q(created_by=user)
    )


def filter_use_cases(
    use_cases: QuerySet[UseCase], *, q="", status="", model=None, vendor_country="", band="", owner=None, sort=""
) -> QuerySet[UseCase]:
    """Apply the list page's filters to an annotated (`with_list_facts`) queryset."""
    from governance.forms import UseCaseFilterForm

    if q:
        use_cases = use_cases.filter(Q(reference__icontains=q) | Q(title__icontains=q) | Q(purpose__icontains=q))
    if status == UseCase.LIVE:
        use_cases = use_cases.filter(status__in=UseCase.LIVE_STATUSES)
    elif status:
        use_cases = use_cases.filter(status=status)
    if model is not None:
        use_cases = use_cases.filter(primary_model=model)
    if vendor_country:
        use_cases = use_cases.filter(primary_model__vendor__hq_country=vendor_country.upper())
    if band:
        use_cases = use_cases.filter(risk_band=band)
    if owner is not None:
        use_cases = use_cases.filter(Q(business_owner=owner) | Q(technical_owner=owner) | Q(risk_owner=owner))
    return in_list_order(use_cases, UseCaseFilterForm.SORTS.get(sort, "-updated_at"))


def in_list_order(use_cases: QuerySet[UseCase], key: str = "-updated_at") -> QuerySet[UseCase]:
    """Order on `key` with the primary key as tiebreaker in the same direction: each sort is one index."""
    return use_cases.order_by(key, "-pk" if key.startswith("-") else "pk")
