"""Who must sign a review round, and why: a pure function of the request's facts.

The rules are data (`RULES`): `route()` builds its reason texts from them, and the README's table
"Who signs, and why" is checked against them by a test, so what a risk officer reads is what runs.
"""

from collections.abc import Iterable
from dataclasses import dataclass

from governance.roles import Function
from governance.scoring import Band, band_for_score

ALWAYS = (Function.LEGAL, Function.PRIVACY, Function.SECURITY, Function.PROCUREMENT)
RESTRICTED_VENDOR_STATUSES = ("restricted", "sanctioned")
# Data categories whose processing is regulated in itself (slugs of governance 0002_data_categories).
REGULATED_CATEGORIES = ("financial-records", "healthcare-data", "government-information")
# DataCategory.Sensitivity.CONFIDENTIAL: routing stays free of the ORM, so the level is repeated here.
CONFIDENTIAL = 3
AUTONOMOUS = "autonomous"
# SignOff.reason holds 300 characters; a reason naming many categories is cut, never refused.
REASON_MAX = 300


@dataclass(frozen=True)
class Rule:
    """One reason a function signs. `when` and `why` are what the README's table shows; `reason` is the
    text a route carries, formatted with the facts that made the rule fire."""

    key: str
    function: str
    when: str
    why: str
    reason: str


_SIGN_EVERY = "This review should involve security, legal, privacy, procurement, and business stakeholders."
_JURISDICTION = "Workflows affected by sanctions, export controls, or restricted jurisdictions without legal approval"

RULES = (
    Rule("always", Function.LEGAL, "every request", _SIGN_EVERY, "signs every request"),
    Rule("always", Function.PRIVACY, "every request", _SIGN_EVERY, "signs every request"),
    Rule("always", Function.SECURITY, "every request", _SIGN_EVERY, "signs every request"),
    Rule("always", Function.PROCUREMENT, "every request", _SIGN_EVERY, "signs every request"),
    Rule(
        "tool_use",
        Function.SECURITY,
        "tools or agents are enabled",
        "Have we tested tool-use behavior, if tools or agents are enabled?",
        "tools or agents are enabled: the tool-use checklist item must be answered, "
        "and security may only approve with conditions",
    ),
    Rule(
        "evaluation_evidence",
        Function.SECURITY,
        "its evaluation evidence misses a threshold for its data, or measured a model other than the one requested",
        "Teams should test the model against their own environment, language requirements, business terminology, "
        "threat model, and operational scenarios.",
        "evaluation evidence {evidence}",
    ),
    Rule(
        "vendor_restricted",
        Function.COMPLIANCE,
        "the vendor is restricted or sanctioned",
        _JURISDICTION,
        "vendor {vendor} is {status}",
    ),
    Rule(
        "hosting_restricted",
        Function.COMPLIANCE,
        "the hosting country is one the organisation restricts",
        _JURISDICTION,
        "hosting country {country} is restricted",
    ),
    Rule(
        "regulated_jurisdiction",
        Function.COMPLIANCE,
        "regulated data (financial, healthcare, government) meets a restricted or sanctioned vendor, "
        "a vendor headquartered in a restricted country, or a restricted hosting country",
        "Do not send regulated, confidential, export-controlled, customer-sensitive, or security-sensitive "
        "data to a model provider without legal, security, and privacy review.",
        "regulated data ({categories}) meets {jurisdiction}",
    ),
    Rule(
        "residual_high",
        Function.EXECUTIVE,
        "the highest residual risk is high (10–16)",
        "Have we documented residual risk and approval authority?",
        "highest residual risk is high ({score})",
    ),
    Rule(
        "residual_critical",
        Function.EXECUTIVE,
        "the highest residual risk is critical (20–25); the request cannot be approved as it stands",
        "Do not let engineering teams approve high-risk model adoption through a normal SaaS intake path.",
        "highest residual risk is critical ({score}): it cannot be approved as it stands, "
        "and the executive must see it",
    ),
    Rule(
        "vendor_sanctioned",
        Function.EXECUTIVE,
        "the vendor is sanctioned",
        _JURISDICTION,
        "vendor {vendor} is sanctioned",
    ),
    Rule(
        "autonomous_sensitive",
        Function.EXECUTIVE,
        "the model acts autonomously on confidential or restricted data",
        "High-risk autonomous decision-making",
        "autonomous use on confidential or restricted data ({categories})",
    ),
)


@dataclass(frozen=True)
class Category:
    slug: str
    sensitivity: int
    name: str = ""

    @property
    def label(self) -> str:
        return self.name or self.slug


@dataclass(frozen=True)
class RoutingFacts:
    vendor_name: str
    vendor_sanctions_status: str
    hosting_country: str
    residual_scores: tuple[int, ...]
    vendor_country: str = ""
    autonomy: str = "advisory"
    tool_use: bool = False
    data_categories: tuple[Category, ...] = ()
    # From the evaluation evidence: each missed threshold in words ("prompt injection exposure 75.0 % < 95 %"),
    # and how many result files measured a model neither requested nor a listed fallback.
    missed_thresholds: tuple[str, ...] = ()
    foreign_evidence: int = 0


@dataclass(frozen=True)
class Route:
    function: str
    reason: str


@dataclass(frozen=True)
class Routing:
    routes: tuple[Route, ...]
    highest_residual: int | None
    can_be_approved: bool
    blocked_reason: str = ""

    @property
    def functions(self) -> list[str]:
        return [r.function for r in self.routes]

    def as_json(self) -> list[dict[str, str]]:
        return [{"function": r.function, "reason": r.reason} for r in self.routes]


def _sentence(parts: list[str]) -> str:
    reason = "; ".join(parts)
    # Not str.capitalize(): it would lowercase the vendor's name and the country code.
    reason = reason[0].upper() + reason[1:]
    return reason if len(reason) <= REASON_MAX else reason[: REASON_MAX - 1] + "…"


def _fired(facts: RoutingFacts, restricted: set[str]) -> list[tuple[Rule, dict[str, object]]]:
    """Every rule the facts meet, with the values its reason names, in the order of `RULES`."""
    vendor, status = facts.vendor_name, facts.vendor_sanctions_status
    hosting, vendor_country = facts.hosting_country.upper(), facts.vendor_country.upper()
    highest = max(facts.residual_scores, default=None)
    highest_band = band_for_score(highest) if highest else None

    jurisdictions = []
    if status in RESTRICTED_VENDOR_STATUSES:
        jurisdictions.append(f"vendor {vendor}, {status}")
    if vendor_country and vendor_country in restricted:
        jurisdictions.append(f"vendor {vendor}, headquartered in {vendor_country}")
    if hosting in restricted:
        jurisdictions.append(f"hosting in {hosting}")
    regulated = [c.label for c in facts.data_categories if c.slug in REGULATED_CATEGORIES]
    sensitive = [c.label for c in facts.data_categories if c.sensitivity >= CONFIDENTIAL]

    evidence = []
    if facts.missed_thresholds:
        evidence.append("misses " + ", ".join(facts.missed_thresholds))
    if facts.foreign_evidence:
        plural = "s" if facts.foreign_evidence > 1 else ""
        evidence.append(f"has {facts.foreign_evidence} file{plural} of a model not requested")

    met = {
        "always": {},
        "evaluation_evidence": {"evidence": " and ".join(evidence)} if evidence else None,
        "tool_use": {} if facts.tool_use else None,
        "vendor_restricted": {"vendor": vendor, "status": status} if status in RESTRICTED_VENDOR_STATUSES else None,
        "hosting_restricted": {"country": hosting} if hosting in restricted else None,
        "regulated_jurisdiction": (
            {"categories": ", ".join(regulated), "jurisdiction": " and ".join(jurisdictions)}
            if regulated and jurisdictions
            else None
        ),
        "residual_high": {"score": highest} if highest_band == Band.HIGH else None,
        "residual_critical": {"score": highest} if highest_band == Band.CRITICAL else None,
        "vendor_sanctioned": {"vendor": vendor} if status == "sanctioned" else None,
        "autonomous_sensitive": (
            {"categories": ", ".join(sensitive)} if facts.autonomy == AUTONOMOUS and sensitive else None
        ),
    }
    return [(rule, met[rule.key]) for rule in RULES if met[rule.key] is not None]


def route(facts: RoutingFacts, *, restricted_countries: Iterable[str]) -> Routing:
    """The functions that must sign, each with its reason, and whether approval is possible at all.

    Each function signs once; when several rules call it, its reason joins theirs. The rules are
    `RULES`: legal, privacy, security and procurement always; compliance and an executive on the
    article's weakest use cases (sanctions and restricted jurisdictions, regulated data in them,
    autonomy on sensitive data, high and critical residual risk). A critical residual risk cannot be
    approved: reviewers may only request changes or reject.
    """
    restricted = {c.upper() for c in restricted_countries}
    reasons: dict[str, list[str]] = {}
    for rule, values in _fired(facts, restricted):
        reasons.setdefault(rule.function, []).append(rule.reason.format(**values))
    routes = tuple(Route(function, _sentence(parts)) for function, parts in reasons.items())

    highest = max(facts.residual_scores, default=None)
    blocked = ""
    if highest and band_for_score(highest) == Band.CRITICAL:
        blocked = f"Highest residual risk is critical ({highest}): it must be reduced before approval"
    return Routing(routes=routes, highest_residual=highest, can_be_approved=not blocked, blocked_reason=blocked)
