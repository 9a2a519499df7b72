"""A use case's risk tier, stored: the highest residual score of its risks and that score's band, kept on
the use case so that lists sort, filter and count on an index instead of grouping over the risks.

The risk services call `tier_refresh` in the transaction of every risk change; `tier_drift` finds any use
case whose stored tier no longer matches its risks (a change that bypassed the services), and
`manage.py tier_drift --fix` repairs them. Both work on any queryset of use cases, including the
historical models a migration sees.
"""

from django.db.models import Case, F, Max, OuterRef, QuerySet, Subquery, Value, When
from django.db.models.functions import Coalesce
from django.db.models.lookups import Range
from django.utils import timezone

from governance.scoring import BAND_ORDER, BAND_RANGES


def _computed_highest(use_cases: QuerySet) -> Coalesce:
    Risk = use_cases.model._meta.get_field("risks").related_model
    highest = (
        Risk.objects.filter(use_case=OuterRef("pk"))
        .order_by()
        .values("use_case")
        .annotate(score=Max(F("residual_likelihood") * F("residual_impact")))
        .values("score")
    )
    return Coalesce(Subquery(highest), Value(0))


def _band_of(score) -> Case:
    whens = [When(Range(score, BAND_RANGES[band]), then=Value(band.value)) for band in BAND_ORDER]
    return Case(*whens, default=Value(""))


def tier_refresh(use_cases: QuerySet, *, touch: bool = True) -> int:
    """Recompute the stored tier of `use_cases` from their risks, in one statement; `touch` also marks
    them changed now (a risk change is a change of the use case). Returns how many rows were updated."""
    fields = {
        "highest_residual": _computed_highest(use_cases),
        "risk_band": _band_of(_computed_highest(use_cases)),
    }
    if touch:
        fields["updated_at"] = timezone.now()
    return use_cases.update(**fields)


def tier_drift(use_cases: QuerySet) -> QuerySet:
    """The use cases among `use_cases` whose stored tier differs from what their risks say."""
    return use_cases.alias(computed=_computed_highest(use_cases)).exclude(highest_residual=F("computed"))
