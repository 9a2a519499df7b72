"""Who must sign a review round, and why: a pure function of the request's facts."""

from collections.abc import Iterable
from dataclasses import dataclass

from governance.roles import Function
from governance.scoring import Band, band_for_score

ALWAYS = (Function.LEGAL, Function.PRIVACY, Function.SECURITY, Function.PROCUREMENT)
RESTRICTED_VENDOR_STATUSES = ("restricted", "sanctioned")


@dataclass(frozen=True)
class RoutingFacts:
    vendor_name: str
    vendor_sanctions_status: str
    hosting_country: str
    residual_scores: tuple[int, ...]


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


def route(facts: RoutingFacts, *, restricted_countries: Iterable[str]) -> Routing:
    """The functions that must sign, each with its reason, and whether approval is possible at all.

    - Legal, privacy, security and procurement always sign.
    - Compliance signs when the vendor is restricted or sanctioned, or the hosting country is on the
      organisation's restricted list.
    - An executive signs when the highest residual risk is high.
    - A critical residual risk cannot be approved: reviewers may only request changes or reject.
    """
    routes = [Route(f, "Signs every request") for f in ALWAYS]

    compliance_reasons = []
    if facts.vendor_sanctions_status in RESTRICTED_VENDOR_STATUSES:
        compliance_reasons.append(f"vendor {facts.vendor_name} is {facts.vendor_sanctions_status}")
    restricted = {c.upper() for c in restricted_countries}
    if facts.hosting_country.upper() in restricted:
        compliance_reasons.append(f"hosting country {facts.hosting_country.upper()} is restricted")
    if compliance_reasons:
        reason = "; ".join(compliance_reasons)
        # Not str.capitalize(): it would lowercase the vendor's name and the country code.
        routes.append(Route(Function.COMPLIANCE, reason[0].upper() + reason[1:]))

    highest = max(facts.residual_scores, default=None)
    highest_band = band_for_score(highest) if highest else None
    if highest_band == Band.HIGH:
        routes.append(Route(Function.EXECUTIVE, f"Highest residual risk is high ({highest})"))

    blocked = ""
    if highest_band == Band.CRITICAL:
        blocked = f"Highest residual risk is critical ({highest}): it must be reduced before approval"
    return Routing(routes=tuple(routes), highest_residual=highest, can_be_approved=not blocked, blocked_reason=blocked)
