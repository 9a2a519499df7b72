"""The runtime decision: may this application call this model now, with these data categories?

No cache of its own: every answer is read from the database with a fixed handful of indexed queries (the use
case with its standing round, its approved models with their gateway names, and, when asked about or when
allowed, its data categories and outstanding conditions), so it is fresh in every process the moment a
decision event commits. Gateways cache the answer for `cache_seconds` (CLEARANCE_GATEWAY_CACHE_SECONDS):
that, and only that, bounds how long a suspension takes to reach them.
"""

import functools
from dataclasses import dataclass, field
from datetime import date

from django.conf import settings
from django.db import connection
from django.utils import timezone

from approvals.models import ApprovalRequest, Condition, RoundStatus
from gateway.models import ApplicationAlias, ModelIdentifier
from governance.models import AIModel, DataCategory, UseCase

ALLOW = "allow"
DENY = "deny"
PRIMARY = "primary"
FALLBACK = "fallback"

# The rounds that say how an approval stands: the one that approved it, or what ended it. A round in
# review, sent back, rejected, withdrawn or superseded never carried an approval.
STANDING_ROUND_STATUSES = (
    *ApprovalRequest.APPROVED_STATUSES,
    RoundStatus.SUSPENDED,
    RoundStatus.EXPIRED,
    RoundStatus.REVOKED,
)


@dataclass
class AllowedModel:
    id: int
    name: str
    version: str
    lifecycle: str
    role: str
    identifiers: list[str] = field(default_factory=list)

    @property
    def names(self) -> list[str]:
        """What a gateway may call it: its identifiers, or its exact version when it has none."""
        return self.identifiers or [self.version]

    def answers_to(self, requested: str) -> bool:
        folded = requested.casefold()
        return requested == self.version or any(name.casefold() == folded for name in self.identifiers)


def cache_seconds() -> int:
    return settings.CLEARANCE_GATEWAY_CACHE_SECONDS


def _answer(decision: str, reason: str, *, use_case=None, model=None, conditions=(), expires_on=None, fallbacks=()):
    return {
        "decision": decision,
        "reason": reason,
        "use_case": use_case.reference if use_case else None,
        "use_case_status": use_case.status if use_case else None,
        "model": {"id": model.id, "name": model.name, "role": model.role} if model else None,
        "conditions": list(conditions),
        "expires_on": expires_on.isoformat() if expires_on else None,
        "fallbacks": list(fallbacks),
        "cache_seconds": cache_seconds(),
    }


@dataclass(frozen=True)
class Application:
    """The use case a gateway's application names, with the round its approval stands or ended on."""

    id: int
    reference: str
    status: str
    primary_model_id: int
    round_id: int | None
    round_expires_on: date | None
    round_closed_reason: str


def _as_date(value) -> date | None:
    # A raw cursor returns SQLite's dates as text and PostgreSQL's as dates.
    return date.fromisoformat(value) if isinstance(value, str) else value


# The decision is asked on every model call, so its queries are written once, in SQL: the ORM would
# compile the same statements again on every call, which costs more than running them.
@functools.cache
def _sql() -> dict[str, str]:
    use_case, alias = UseCase._meta.db_table, ApplicationAlias._meta.db_table
    round, condition = ApprovalRequest._meta.db_table, Condition._meta.db_table
    model, identifier = AIModel._meta.db_table, ModelIdentifier._meta.db_table
    fallbacks = UseCase.fallback_models.through._meta.db_table
    categories, category = UseCase.data_categories.through._meta.db_table, DataCategory._meta.db_table
    standing = ", ".join(f"'{status}'" for status in STANDING_ROUND_STATUSES)
    outstanding = ", ".join(f"'{status}'" for status in Condition.OUTSTANDING)
    return {
        "use_case": f"""
            SELECT uc.id, uc.reference, uc.status, uc.primary_model_id, r.id, r.expires_on, r.closed_reason
            FROM {use_case} uc
            LEFT JOIN {round} r ON r.id = (
                SELECT s.id FROM {round} s
                WHERE s.use_case_id = uc.id AND s.status IN ({standing}) ORDER BY s.number DESC LIMIT 1
            )
            WHERE uc.id IN (
                SELECT u.id FROM {use_case} u WHERE u.reference = %s
                UNION ALL SELECT a.use_case_id FROM {alias} a WHERE a.alias = %s
            )
            LIMIT 2""",  # noqa: S608 - table names from the models, fixed states; values are parameters
        "models": f"""
            SELECT m.id, m.name, m.version, m.lifecycle, i.name
            FROM {model} m LEFT JOIN {identifier} i ON i.ai_model_id = m.id
            WHERE m.id IN (SELECT %s UNION ALL SELECT f.aimodel_id FROM {fallbacks} f WHERE f.usecase_id = %s)
            """,  # noqa: S608
        "categories": f"""
            SELECT c.slug FROM {categories} t JOIN {category} c ON c.id = t.datacategory_id
            WHERE t.usecase_id = %s""",  # noqa: S608
        "conditions": f"""
            SELECT description, "function", due_on, status FROM {condition}
            WHERE round_id = %s AND status IN ({outstanding}) ORDER BY due_on, id""",  # noqa: S608
    }


def _rows(name: str, *params) -> list[tuple]:
    with connection.cursor() as cursor:
        cursor.execute(_sql()[name], params)
        return cursor.fetchall()


def _use_case_for(application: str) -> Application | None:
    """The use case `application` names, by reference or gateway alias, with its standing round's facts.
    A reference wins over an alias that happens to spell another use case's reference."""
    found = [
        Application(pk, reference, status, primary, round_id, _as_date(expires_on), closed_reason or "")
        for pk, reference, status, primary, round_id, expires_on, closed_reason in _rows(
            "use_case", application, application
        )
    ]
    if not found:
        return None
    return next((uc for uc in found if uc.reference == application), found[0])


def _allowed_models(use_case: Application) -> list[AllowedModel]:
    """The approved primary, then the listed fallbacks by name, each with its gateway identifiers (one query)."""
    models: dict[int, AllowedModel] = {}
    for pk, name, version, lifecycle, identifier in _rows("models", use_case.primary_model_id, use_case.id):
        role = PRIMARY if pk == use_case.primary_model_id else FALLBACK
        entry = models.setdefault(pk, AllowedModel(pk, name, version, lifecycle, role))
        if identifier:
            entry.identifiers.append(identifier)
    # Sorted here, not by the database: collations differ (SQLite sorts "GPT" before "Gemini").
    for entry in models.values():
        entry.identifiers.sort(key=str.casefold)
    return sorted(models.values(), key=lambda m: (m.role != PRIMARY, m.name.casefold(), m.id))


def _approved_categories(use_case: Application) -> set[str]:
    return {slug for (slug,) in _rows("categories", use_case.id)}


def _outstanding_conditions(round_id: int) -> list[dict]:
    return [
        {"description": description, "function": function, "due_on": _as_date(due_on).isoformat(), "status": status}
        for description, function, due_on, status in _rows("conditions", round_id)
    ]


def _not_standing_reason(use_case: Application, today: date) -> str | None:
    """Why the use case's approval does not stand today, or None when it does."""
    ref = use_case.reference
    status = use_case.status
    why = (use_case.round_closed_reason or "").strip()
    because = f": {why}" if why else "."
    if status == UseCase.Status.SUSPENDED:
        return f"The approval of {ref} is suspended{because}"
    if status == UseCase.Status.REVOKED:
        return f"The approval of {ref} was revoked{because}"
    if status == UseCase.Status.EXPIRED:
        on = f" on {use_case.round_expires_on.isoformat()}" if use_case.round_expires_on else ""
        return f"The approval of {ref} expired{on}. Submit it again to renew it."
    if status not in UseCase.APPROVED_STATUSES or use_case.round_id is None:
        label = UseCase.Status(status).label.lower()
        return f"{ref} is not approved: its status is {label}."
    # The nightly sweep marks it expired; until it runs, the date alone decides.
    if use_case.round_expires_on is not None and use_case.round_expires_on < today:
        return f"The approval of {ref} expired on {use_case.round_expires_on.isoformat()}. Submit it again to renew it."
    return None


def _fallback_names(models: list[AllowedModel]) -> list[str]:
    return [name for m in models if m.role == FALLBACK and m.lifecycle != AIModel.Lifecycle.RETIRED for name in m.names]


def _listing(models: list[AllowedModel]) -> str:
    return ", ".join(f"{' or '.join(m.names)} ({m.role})" for m in models)


def gateway_decision(*, application: str, model: str, data_categories: list[str] | None = None, today=None) -> dict:
    """Allow or deny one call, deny by default, with the reason. The checks, in order:

    1. the application names a use case (its reference or a gateway alias);
    2. the use case is approved, and its approval is not suspended, expired, revoked or past its date;
    3. the model is the approved primary or a listed fallback (by gateway identifier or exact version);
    4. that model is not retired;
    5. every data category named is in the approved set.
    """
    today = today or timezone.localdate()
    use_case = _use_case_for(application)
    if use_case is None:
        return _answer(DENY, f'Unknown application "{application}": no use case has this reference or gateway alias.')
    expires_on = use_case.round_expires_on
    why = _not_standing_reason(use_case, today)
    if why:
        return _answer(DENY, why, use_case=use_case, expires_on=expires_on)
    models = _allowed_models(use_case)
    fallbacks = _fallback_names(models)
    chosen = next((m for m in models if m.answers_to(model)), None)
    if chosen is None:
        return _answer(
            DENY,
            f'Model "{model}" is neither the approved primary nor a listed fallback of {use_case.reference}; '
            f"approved: {_listing(models)}.",
            use_case=use_case,
            expires_on=expires_on,
            fallbacks=fallbacks,
        )
    if chosen.lifecycle == AIModel.Lifecycle.RETIRED:
        return _answer(
            DENY,
            f'Model "{model}" ({AIModel.label(chosen.name, chosen.version)}) is retired.',
            use_case=use_case,
            model=chosen,
            expires_on=expires_on,
            fallbacks=[name for name in fallbacks if name not in chosen.names],
        )
    if data_categories:
        outside = sorted(set(data_categories) - _approved_categories(use_case))
        if outside:
            plural = "ies" if len(outside) > 1 else "y"
            return _answer(
                DENY,
                f"Data categor{plural} {', '.join(outside)} outside the set approved for {use_case.reference}.",
                use_case=use_case,
                model=chosen,
                expires_on=expires_on,
                fallbacks=fallbacks,
            )
    return _answer(
        ALLOW,
        f"{use_case.reference} is approved for {AIModel.label(chosen.name, chosen.version)} "
        f"as its {chosen.role} model.",
        use_case=use_case,
        model=chosen,
        conditions=_outstanding_conditions(use_case.round_id),
        expires_on=expires_on,
        fallbacks=[name for name in fallbacks if name not in chosen.names],
    )
