"""How far the portfolio's checklist answers satisfy the frameworks the checklist is mapped to, and which
uses the EU AI Act classes as high-risk.

The crosswalk is data (`checklist.FrameworkReference`, per item of the current checklist version). A clause
is met by a use case when every item mapped to it is answered "Yes" (or "Not applicable") on that use case;
its coverage is how many of the selected use cases meet it. Each use case's satisfying answers are read as
one bit mask per use case (one aggregate query), so a clause mapped to several items is counted exactly,
not item by item. Five queries whatever the size of the portfolio.
"""

from collections import Counter, defaultdict
from dataclasses import dataclass

from django.db.models import Case, Count, IntegerField, QuerySet, Subquery, Sum, Value, When

from checklist.models import FRAMEWORK_SOURCES, Answer, ChecklistTemplate, Framework, FrameworkReference
from governance.ai_act import EUAIActClass
from governance.models import UseCase

SATISFYING = (Answer.Response.YES, Answer.Response.NOT_APPLICABLE)
HIGH_RISK_CLASSES = (EUAIActClass.PROHIBITED, EUAIActClass.HIGH_RISK)
NOT_ASSESSED = ""
HIGH_RISK_LISTED = 10


@dataclass(frozen=True)
class Clause:
    reference: str
    title: str
    items: tuple[str, ...]  # the checklist item codes mapped to it
    met: int  # selected use cases answering every one of them Yes or Not applicable


@dataclass(frozen=True)
class FrameworkCoverage:
    framework: str
    label: str
    source: str
    clauses: list[Clause]
    unmapped: list[tuple[str, str]]  # (item code, why it maps to no clause here)
    use_cases: int

    @property
    def fully_met(self) -> int:
        """Clauses every selected use case meets."""
        return sum(1 for clause in self.clauses if self.use_cases and clause.met == self.use_cases)

    @property
    def open(self) -> int:
        return len(self.clauses) - self.fully_met

    @property
    def coverage(self) -> int | None:
        """Of every (use case, clause) pair, the share met, in per cent."""
        pairs = len(self.clauses) * self.use_cases
        return round(100 * sum(clause.met for clause in self.clauses) / pairs) if pairs else None


@dataclass(frozen=True)
class Crosswalk:
    version: int | None
    frameworks: list[FrameworkCoverage]
    by_class: dict[str, int]  # EU AI Act class (NOT_ASSESSED: none given) → selected use cases
    high_risk: list[UseCase]
    high_risk_count: int

    @property
    def class_rows(self) -> list[tuple[str, str, int]]:
        labels = [*EUAIActClass.choices, (NOT_ASSESSED, "Not yet assessed")]
        return [(value, label, self.by_class.get(value, 0)) for value, label in labels]

    @property
    def not_assessed(self) -> int:
        return self.by_class.get(NOT_ASSESSED, 0)


def _current_version() -> Subquery:
    return Subquery(ChecklistTemplate.objects.filter(published_at__isnull=False).order_by("-version").values("pk")[:1])


def framework_crosswalk(use_cases: QuerySet[UseCase]) -> Crosswalk:
    """The crosswalk's coverage over `use_cases` (the report's selection) and its high-risk uses."""
    rows = list(
        FrameworkReference.objects.filter(item__section__template=_current_version())
        .order_by("framework", "item__section__position", "item__position", "pk")
        .values_list(
            "framework",
            "reference",
            "title",
            "unmapped_reason",
            "item_id",
            "item__code",
            "item__section__template__version",
        )
    )
    bits = {item_id: 1 << i for i, item_id in enumerate(dict.fromkeys(row[4] for row in rows))}
    ids = use_cases.order_by().values("pk")
    masks: Counter = Counter()
    if bits:
        mask = Sum(
            Case(*(When(item_id=item_id, then=Value(bit)) for item_id, bit in bits.items()), default=Value(0)),
            output_field=IntegerField(),
        )
        answered = (
            Answer.objects.filter(use_case__in=ids, response__in=SATISFYING, item_id__in=list(bits))
            .order_by()
            .values("use_case")
            .annotate(mask=mask)
            .values_list("mask", flat=True)
        )
        masks.update(answered)
    by_class = dict(use_cases.order_by().values_list("eu_ai_act_class").annotate(n=Count("pk")))
    total = sum(by_class.values())

    clauses: dict[str, dict[tuple[str, str], list]] = defaultdict(dict)
    unmapped: dict[str, list[tuple[str, str]]] = defaultdict(list)
    for framework, reference, title, reason, item_id, code, _ in rows:
        if not reference:
            unmapped[framework].append((code, reason))
            continue
        entry = clauses[framework].setdefault((reference, title), [0, []])
        entry[0] |= bits[item_id]
        entry[1].append(code)
    frameworks = [
        FrameworkCoverage(
            framework=framework.value,
            label=framework.label,
            source=FRAMEWORK_SOURCES[framework],
            clauses=[
                Clause(reference, title, tuple(codes), sum(n for m, n in masks.items() if m & need == need))
                for (reference, title), (need, codes) in clauses[framework].items()
            ],
            unmapped=unmapped[framework],
            use_cases=total,
        )
        for framework in Framework
    ]
    high_risk = use_cases.filter(eu_ai_act_class__in=HIGH_RISK_CLASSES)
    return Crosswalk(
        version=rows[0][6] if rows else None,
        frameworks=frameworks,
        by_class=by_class,
        high_risk=list(
            high_risk.select_related("business_owner", "primary_model__vendor").order_by(
                "-eu_ai_act_class", "reference"
            )[:HIGH_RISK_LISTED]
        ),
        high_risk_count=high_risk.count(),
    )
