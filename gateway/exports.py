"""The approved portfolio as gateways load it: a LiteLLM proxy config fragment, and JSON for any other gateway.

"Approved" is what the decision endpoint would allow today: a use case approved (with or without
conditions) whose standing approval is not past its date, even before the nightly sweep marks it expired.
Retired models are left out. Each export runs a fixed number of queries, whatever the portfolio's size.
"""

from collections import defaultdict
from datetime import date

import yaml
from django.db.models import OuterRef, Prefetch, Q, QuerySet, Subquery
from django.utils import timezone

from approvals.models import ApprovalRequest, Condition
from gateway.models import ApplicationAlias, ModelIdentifier
from gateway.selectors import STANDING_ROUND_STATUSES
from governance.models import AIModel, DataCategory, UseCase


def approved_use_cases(today: date | None = None) -> QuerySet[UseCase]:
    """Use cases whose approval stands today, each annotated with its approving round's id and expiry."""
    today = today or timezone.localdate()
    standing = ApprovalRequest.objects.filter(use_case=OuterRef("pk"), status__in=STANDING_ROUND_STATUSES).order_by(
        "-number"
    )
    return (
        UseCase.objects.filter(status__in=UseCase.APPROVED_STATUSES)
        .annotate(
            round_id=Subquery(standing.values("pk")[:1]),
            round_expires_on=Subquery(standing.values("expires_on")[:1]),
        )
        .filter(round_id__isnull=False)
        .filter(Q(round_expires_on__isnull=True) | Q(round_expires_on__gte=today))
    )


def _names(model: AIModel) -> list[str]:
    return [identifier.name for identifier in model.gateway_identifiers.all()] or [model.version]


# --- LiteLLM ------------------------------------------------------------------------------------------


def litellm_config(today: date | None = None) -> str:
    """A LiteLLM proxy `config.yaml` fragment: `model_list` with one entry per gateway identifier of every
    model some approved use case may call, and `router_settings.fallbacks` from each approved primary to
    the fallbacks approved with it (merged over the use cases that share a primary: LiteLLM's fallbacks are
    per model, not per caller; the decision endpoint still answers per application). Four queries."""
    approved = approved_use_cases(today)
    pairs = list(
        UseCase.fallback_models.through.objects.filter(usecase__in=approved.values("pk"))
        .exclude(aimodel__lifecycle=AIModel.Lifecycle.RETIRED)
        .values_list("usecase__primary_model_id", "aimodel_id")
        .distinct()
    )
    primaries = set(approved.values_list("primary_model_id", flat=True).distinct())
    models = {
        m.pk: m
        for m in AIModel.objects.filter(pk__in=primaries | {fallback for _, fallback in pairs})
        .exclude(lifecycle=AIModel.Lifecycle.RETIRED)
        .prefetch_related(Prefetch("gateway_identifiers", queryset=ModelIdentifier.objects.order_by("name")))
        .order_by("name", "pk")
    }
    model_list, unnamed = [], []
    for model in models.values():
        identifiers = list(model.gateway_identifiers.all())
        if not identifiers:
            unnamed.append(str(model))
        model_list += [{"model_name": i.name, "litellm_params": {"model": i.litellm_params_model}} for i in identifiers]
    fallbacks: dict[str, list[str]] = defaultdict(list)
    for primary_id, fallback_id in sorted(pairs):
        if primary_id not in models or fallback_id not in models or primary_id == fallback_id:
            continue
        for primary_name in _gateway_names(models[primary_id]):
            for name in _gateway_names(models[fallback_id]):
                if name not in fallbacks[primary_name]:
                    fallbacks[primary_name].append(name)
    body = {
        "model_list": model_list,
        "router_settings": {"fallbacks": [{name: targets} for name, targets in sorted(fallbacks.items())]},
    }
    header = [
        "# Clearance: the approved portfolio as LiteLLM model_list and fallbacks,",
        f"# generated {timezone.now().isoformat(timespec='seconds')}. Add api_key/api_base per deployment.",
    ]
    if unnamed:
        header.append("# Approved models with no gateway identifier (add one in Clearance to list them):")
        header += [f"#   {label}" for label in unnamed]
    return "\n".join(header) + "\n" + yaml.safe_dump(body, sort_keys=False, allow_unicode=True)


def _gateway_names(model: AIModel) -> list[str]:
    return [identifier.name for identifier in model.gateway_identifiers.all()]


# --- JSON for other gateways --------------------------------------------------------------------------


def portfolio_queryset(today: date | None = None) -> QuerySet[UseCase]:
    """The approved use cases with everything the JSON export prints, in a fixed number of queries: the
    use cases and their primary model, then one query each for aliases, fallbacks, identifiers, data
    categories and outstanding conditions."""
    identifiers = Prefetch("gateway_identifiers", queryset=ModelIdentifier.objects.order_by("name"))
    return (
        approved_use_cases(today)
        .select_related("primary_model")
        .prefetch_related(
            Prefetch("gateway_aliases", queryset=ApplicationAlias.objects.order_by("alias")),
            Prefetch("fallback_models", queryset=AIModel.objects.order_by("name", "pk").prefetch_related(identifiers)),
            Prefetch("primary_model__gateway_identifiers", queryset=ModelIdentifier.objects.order_by("name")),
            Prefetch("data_categories", queryset=DataCategory.objects.order_by("slug")),
            Prefetch(
                "conditions",
                queryset=Condition.objects.filter(status__in=Condition.OUTSTANDING).order_by("due_on", "pk"),
                to_attr="outstanding_conditions",
            ),
        )
        .order_by("reference")
    )


def _model_entry(model: AIModel, role: str) -> dict:
    return {
        "id": model.pk,
        "name": model.name,
        "version": model.version,
        "role": role,
        "lifecycle": model.lifecycle,
        "identifiers": _names(model),
    }


def portfolio_entry(use_case: UseCase) -> dict:
    """One approved use case as a gateway needs it: who calls (reference and aliases), which models it may
    call (primary first, then fallbacks; retired ones left out), with which data, until when, on what
    conditions."""
    models = [(use_case.primary_model, "primary")] + [
        (m, "fallback") for m in use_case.fallback_models.all() if m.pk != use_case.primary_model_id
    ]
    return {
        "reference": use_case.reference,
        "title": use_case.title,
        "status": use_case.status,
        "aliases": [a.alias for a in use_case.gateway_aliases.all()],
        "models": [_model_entry(m, role) for m, role in models if m.lifecycle != AIModel.Lifecycle.RETIRED],
        "data_categories": [c.slug for c in use_case.data_categories.all()],
        "expires_on": use_case.round_expires_on.isoformat() if use_case.round_expires_on else None,
        "conditions": [
            {"description": c.description, "function": c.function, "due_on": c.due_on.isoformat(), "status": c.status}
            for c in use_case.outstanding_conditions
            if c.round_id == use_case.round_id
        ],
    }
