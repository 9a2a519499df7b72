"""The frozen copy of a request that reviewers sign, and its SHA-256."""

import hashlib
import json
from typing import Any

from approvals.failure_modes import failure_modes_snapshot
from checklist.models import Answer, ChecklistTemplate
from evaluations.snapshot import evidence_snapshot
from governance.models import UseCase

SCHEMA = 1


def _person(user) -> dict[str, str]:
    return {"username": user.username, "name": user.get_full_name() or user.username}


def _date(value) -> str | None:
    return value.isoformat() if value else None


def build_snapshot(use_case: UseCase, template: ChecklistTemplate) -> dict[str, Any]:
    """Everything a reviewer decides on, as plain JSON: the request, its model and vendor facts as they
    stand now, its answers to `template`, its risks and its failure-mode tests. Costs a fixed number of
    queries."""
    model = use_case.primary_model
    vendor = model.vendor
    answers = (
        Answer.objects.filter(use_case=use_case, item__section__template=template)
        .select_related("item", "answered_by")
        .prefetch_related("evidence")
        .order_by("item__section__position", "item__position")
    )
    return {
        "schema": SCHEMA,
        "use_case": {
            "reference": use_case.reference,
            "title": use_case.title,
            "department": use_case.department,
            "purpose": use_case.purpose,
            "approved_purpose": use_case.approved_purpose,
            "prohibited_uses": use_case.prohibited_uses,
            "eu_ai_act_class": use_case.eu_ai_act_class,
            "annex_iii_area": use_case.annex_iii_area,
            "business_owner": _person(use_case.business_owner),
            "technical_owner": _person(use_case.technical_owner),
            "risk_owner": _person(use_case.risk_owner),
            "owners_shared_reason": use_case.owners_shared_reason,
            "deployment_mode": use_case.deployment_mode,
            "hosting_country": use_case.hosting_country,
            "autonomy": use_case.autonomy,
            "tool_use": use_case.tool_use,
            "tool_use_detail": use_case.tool_use_detail,
            "logging": {
                "contents": use_case.log_contents,
                "location": use_case.log_location,
                "access": use_case.log_access,
                "retention_days": use_case.log_retention_days,
                "prompt_protection": use_case.log_prompt_protection,
                "retrieval_sources": use_case.log_retrieval_sources,
                "tool_execution": use_case.log_tool_execution,
                "exceptions": use_case.log_exceptions,
            },
            "no_fallback_reason": use_case.no_fallback_reason,
        },
        "model": {
            "id": model.pk,
            "name": model.name,
            "native_name": model.native_name,
            "family": model.family,
            "version": model.version,
            "origin_country": model.origin_country,
            "distribution": model.distribution,
            "licence_name": model.licence_name,
            "licence_restrictions": model.licence_restrictions,
            "architecture": model.architecture,
            "lifecycle": model.lifecycle,
            "vendor": {
                "id": vendor.pk,
                "name": vendor.name,
                "native_name": vendor.native_name,
                "hq_country": vendor.hq_country,
                "ownership": vendor.ownership,
                "sanctions_status": vendor.sanctions_status,
                "sanctions_checked_on": _date(vendor.sanctions_checked_on),
                # Question 5's commitments as the vendor stood at submission: the record prints these,
                # not whatever the registry says later.
                "ownership_detail": vendor.ownership_detail,
                "data_retention": vendor.data_retention,
                "incident_notification": vendor.incident_notification,
                "exit_terms": vendor.exit_terms,
                "assurance_evidence": vendor.assurance_evidence,
                "support_region": vendor.support_region,
                "source": vendor.source,
                "checked_on": _date(vendor.checked_on),
            },
        },
        "fallback_models": [
            {"id": m.pk, "name": m.name, "version": m.version, "vendor": m.vendor.name, "country": m.origin_country}
            for m in use_case.fallback_models.select_related("vendor").order_by("pk")
        ],
        "data_categories": [
            {"slug": c.slug, "name": c.name, "sensitivity": c.get_sensitivity_display()}
            for c in use_case.data_categories.order_by("-sensitivity", "name")
        ],
        "checklist": {
            "version": template.version,
            "answers": [
                {
                    "code": a.item.code,
                    "item": a.item.text,
                    "owner_function": a.item.owner_function,
                    "response": a.response,
                    "justification": a.justification,
                    "answered_by": _person(a.answered_by),
                    "answered_at": a.answered_at.isoformat(),
                    "evidence": [{"name": e.name, "sha256": e.sha256, "size": e.size} for e in a.evidence.all()],
                }
                for a in answers
            ],
        },
        "risks": [
            {
                "title": r.title,
                "category": r.category,
                "description": r.description,
                "inherent_likelihood": r.inherent_likelihood,
                "inherent_impact": r.inherent_impact,
                "mitigations": r.mitigations,
                "residual_likelihood": r.residual_likelihood,
                "residual_impact": r.residual_impact,
                "owner": _person(r.owner),
            }
            for r in use_case.risks.select_related("owner").order_by("pk")
        ],
        # Question 4: how each of the ten failure modes was tested, or why not.
        "failure_modes": failure_modes_snapshot(use_case),
        # And what the evaluation harnesses measured, per candidate model, against the thresholds.
        "evaluations": evidence_snapshot(use_case),
    }


def canonical_json(snapshot: dict[str, Any]) -> bytes:
    return json.dumps(snapshot, sort_keys=True, separators=(",", ":"), ensure_ascii=False).encode("utf-8")


def snapshot_sha256(snapshot: dict[str, Any]) -> str:
    return hashlib.sha256(canonical_json(snapshot)).hexdigest()


# The registry facts a round rests on, beside the request's own (which cannot change while it is in
# review): what routing reads (the model's vendor and the vendor's sanctions status) and what the approval
# is an approval of (the model's exact version and licence). Label, field of the snapshot's "model" and
# of the model, and whether a value is short enough to quote in a reason.
MODEL_FACTS = (
    ("version", "version", True),
    ("licence", "licence_name", True),
    ("licence restrictions", "licence_restrictions", False),
)


def registry_drift(snapshot: dict[str, Any], model) -> list[dict[str, str]]:
    """How the primary model `model` (with its vendor, as the registry has them now) differs from what
    `snapshot` froze of them: one {"fact", "of", "was", "now"} per changed fact, empty when none did."""
    frozen = snapshot["model"]
    vendor = model.vendor
    drift = [
        {"fact": f"model {label}", "of": model.name, "was": frozen[field], "now": getattr(model, field)}
        for label, field, _ in MODEL_FACTS
        if frozen[field] != getattr(model, field)
    ]
    if (frozen["vendor"]["id"], frozen["vendor"]["name"]) != (vendor.pk, vendor.name):
        # Another vendor (or the same renamed): routing names it, and reads another sanctions status.
        drift.append({"fact": "model vendor", "of": model.name, "was": frozen["vendor"]["name"], "now": vendor.name})
    elif frozen["vendor"]["sanctions_status"] != vendor.sanctions_status:
        drift.append(
            {
                "fact": "vendor sanctions status",
                "of": vendor.name,
                "was": frozen["vendor"]["sanctions_status"],
                "now": vendor.sanctions_status,
            }
        )
    return drift


def drift_reason(drift: list[dict[str, str]]) -> str:
    """One line naming each changed fact, e.g. "vendor Moonshot clear → sanctioned"."""
    quotable = {f"model {label}" for label, _, short in MODEL_FACTS if short} | {"model vendor"}
    parts = []
    for change in drift:
        if change["fact"] == "vendor sanctions status":
            parts.append(f"vendor {change['of']} {change['was']} → {change['now']}")
        elif change["fact"] in quotable:
            label = change["fact"].removeprefix("model ")
            parts.append(f"model {change['of']} {label} {change['was']} → {change['now']}")
        else:
            parts.append(f"model {change['of']} {change['fact'].removeprefix('model ')} changed")
    return "Registry facts changed since submission: " + "; ".join(parts)
