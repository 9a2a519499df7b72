"""snapshot_diff is pure: two snapshots in, the changes a reviewer reads out. No database."""

import copy
from collections.abc import Callable
from typing import Any

import pytest

from approvals.diff import DiffRow, FieldChange, RiskChange, RiskSummary, display, snapshot_diff


def person(username: str, name: str) -> dict[str, str]:
    return {"username": username, "name": name}


def risk(title: str, residual: tuple[int, int] = (2, 3), **fields) -> dict[str, Any]:
    return {
        "title": title,
        "category": "data",
        "description": "",
        "inherent_likelihood": 4,
        "inherent_impact": 4,
        "mitigations": "Redact before sending",
        "residual_likelihood": residual[0],
        "residual_impact": residual[1],
        "owner": person("rory", "Rory Risk"),
        **fields,
    }


def answer(code: str, response: str = "yes", **fields) -> dict[str, Any]:
    return {
        "code": code,
        "item": f"Item {code}?",
        "owner_function": "business",
        "response": response,
        "justification": "",
        "answered_by": person("alice", "Alice Owner"),
        "answered_at": "2026-01-05T10:00:00+00:00",
        "evidence": [],
        **fields,
    }


def snapshot() -> dict[str, Any]:
    """The shape of approvals.snapshot.build_snapshot, written out."""
    return {
        "schema": 1,
        "use_case": {
            "reference": "UC-2026-0001",
            "title": "Ticket summaries",
            "department": "Service desk",
            "purpose": "Summarise tickets",
            "approved_purpose": "Summaries read by an agent",
            "prohibited_uses": "No decisions about customers",
            "business_owner": person("alice", "Alice Owner"),
            "technical_owner": person("tom", "Tom Tech"),
            "risk_owner": person("rory", "Rory Risk"),
            "deployment_mode": "hosted_api",
            "hosting_country": "US",
            "autonomy": "advisory",
            "tool_use": False,
            "tool_use_detail": "",
            "logging": {
                "contents": "Prompts",
                "location": "SIEM",
                "access": "SecOps",
                "retention_days": 90,
                "prompt_protection": "Masked",
                "retrieval_sources": "Doc IDs",
                "tool_execution": "No tools",
                "exceptions": "Risk owner",
            },
            "no_fallback_reason": "",
        },
        "model": {
            "id": 1,
            "name": "Qwen",
            "native_name": "通义千问",
            "family": "Qwen",
            "version": "2.5",
            "origin_country": "CN",
            "distribution": "open_weights",
            "licence_name": "Apache-2.0",
            "licence_restrictions": "",
            "architecture": "dense",
            "lifecycle": "active",
            "vendor": {
                "id": 1,
                "name": "Alibaba Cloud",
                "native_name": "",
                "hq_country": "CN",
                "ownership": "listed",
                "sanctions_status": "clear",
                "sanctions_checked_on": "2026-01-01",
                "ownership_detail": "Listed in Hong Kong and New York",
                "data_retention": "No retention of API prompts",
                "incident_notification": "72 hours",
                "exit_terms": "Deletion within 30 days",
                "assurance_evidence": "ISO 27001",
                "support_region": "Asia-Pacific",
                "source": "Vendor trust centre",
                "checked_on": "2026-01-02",
            },
        },
        "fallback_models": [{"id": 7, "name": "Llama", "version": "3.1", "vendor": "Meta", "country": "US"}],
        "data_categories": [{"slug": "customer-records", "name": "Customer records", "sensitivity": "Confidential"}],
        "checklist": {"version": 1, "answers": [answer("BUS-1"), answer("BUS-2")]},
        "risks": [risk("Customer data leaks into prompts"), risk("Vendor lock-in", residual=(1, 2))],
    }


def edited(change: Callable[[dict[str, Any]], None]) -> dict[str, Any]:
    after = copy.deepcopy(snapshot())
    change(after)
    return after


def set_at(*path_and_value):
    *path, key, value = path_and_value

    def change(s):
        for part in path:
            s = s[part]
        s[key] = value

    return change


CASES = {
    "no change": (lambda s: None, {}),
    "field change": (
        set_at("use_case", "hosting_country", "DE"),
        {"facts": (FieldChange("Hosting country", "US", "DE"),)},
    ),
    "nested logging change": (
        set_at("use_case", "logging", "retention_days", None),
        {"facts": (FieldChange("Logging: retention (days)", "90", "—"),)},
    ),
    "a logging point the article adds": (
        set_at("use_case", "logging", "exceptions", "The CISO, in writing"),
        {"facts": (FieldChange("Logging: how exceptions are approved", "Risk owner", "The CISO, in writing"),)},
    ),
    "each new logging point, in the article's order": (
        lambda s: s["use_case"]["logging"].update(
            prompt_protection="Hashed", retrieval_sources="URLs", tool_execution="Every call", exceptions="CISO"
        ),
        {
            "facts": (
                FieldChange("Logging: how sensitive prompts are protected", "Masked", "Hashed"),
                FieldChange("Logging: how retrieval sources are tracked", "Doc IDs", "URLs"),
                FieldChange("Logging: how tool execution is recorded", "No tools", "Every call"),
                FieldChange("Logging: how exceptions are approved", "Risk owner", "CISO"),
            )
        },
    ),
    "a vendor commitment frozen at submission": (
        lambda s: s["model"]["vendor"].update(incident_notification="24 hours", checked_on="2026-03-01"),
        {
            "facts": (
                FieldChange("Vendor incident notification", "72 hours", "24 hours"),
                FieldChange("Vendor facts checked on", "2026-01-02", "2026-03-01"),
            )
        },
    ),
    "two fields, in reading order": (
        lambda s: (set_at("model", "version", "3")(s), set_at("use_case", "title", "Summaries")(s)),
        {"facts": (FieldChange("Title", "Ticket summaries", "Summaries"), FieldChange("Model version", "2.5", "3"))},
    ),
    "boolean shown as yes or no": (
        set_at("use_case", "tool_use", True),
        {"facts": (FieldChange("Tools or agents enabled", "No", "Yes"),)},
    ),
    "vendor choice shown by its label": (
        set_at("model", "vendor", "sanctions_status", "under_review"),
        {"facts": (FieldChange("Vendor sanctions status", "Clear", "Under review"),)},
    ),
    "deployment shown by its label": (
        set_at("use_case", "deployment_mode", "on_premises"),
        {"facts": (FieldChange("Deployment mode", "Vendor-hosted API", "On-premises"),)},
    ),
    "owner changed, by name": (
        set_at("use_case", "risk_owner", person("rita", "Rita Risk")),
        {"facts": (FieldChange("Risk owner", "Rory Risk", "Rita Risk"),)},
    ),
    "renamed account is no change": (set_at("use_case", "risk_owner", person("rory", "Rory R. Risk")), {}),
    "empty string and None are the same nothing": (set_at("use_case", "tool_use_detail", None), {}),
    "risk added": (
        lambda s: s["risks"].append(risk("Prompt injection", residual=(3, 3), category="security")),
        {"risks_added": (RiskSummary("Prompt injection", "security; inherent 4 × 4 = 16; residual 3 × 3 = 9"),)},
    ),
    "risk removed": (
        lambda s: s["risks"].pop(1),
        {"risks_removed": (RiskSummary("Vendor lock-in", "data; inherent 4 × 4 = 16; residual 1 × 2 = 2"),)},
    ),
    "risk rescored": (
        lambda s: s["risks"][0].update(residual_likelihood=1, mitigations="Redact and review"),
        {
            "risks_changed": (
                RiskChange(
                    "Customer data leaks into prompts",
                    (
                        FieldChange("mitigations", "Redact before sending", "Redact and review"),
                        FieldChange("residual score", "2 × 3 = 6", "1 × 3 = 3"),
                    ),
                ),
            )
        },
    ),
    "data category added": (
        lambda s: s["data_categories"].insert(
            0, {"slug": "healthcare", "name": "Healthcare", "sensitivity": "Restricted"}
        ),
        {"data_categories_added": ("Healthcare (Restricted)",)},
    ),
    "data category removed": (
        lambda s: s["data_categories"].clear(),
        {"data_categories_removed": ("Customer records (Confidential)",)},
    ),
    "data category reclassified": (
        lambda s: s["data_categories"][0].update(sensitivity="Restricted"),
        {
            "data_categories_changed": (
                FieldChange("Data category", "Customer records (Confidential)", "Customer records (Restricted)"),
            )
        },
    ),
    "fallback model swapped": (
        set_at(
            "fallback_models", [{"id": 8, "name": "Mistral", "version": "7B", "vendor": "Mistral", "country": "FR"}]
        ),
        {
            "fallback_models_added": ("Mistral 7B (Mistral, FR)",),
            "fallback_models_removed": ("Llama 3.1 (Meta, US)",),
        },
    ),
    "checklist answer changed": (
        lambda s: s["checklist"]["answers"][1].update(response="partial", justification="Only for EU staff"),
        {
            "answers_changed_codes": ("BUS-2",),
            "answer_changes": (
                FieldChange("response", "yes", "partial"),
                FieldChange("justification", "—", "Only for EU staff"),
            ),
        },
    ),
    "re-answering the same way is no change": (
        lambda s: s["checklist"]["answers"][0].update(answered_at="2026-02-01T09:00:00+00:00"),
        {},
    ),
}

EMPTY = {
    "facts": (),
    "risks_added": (),
    "risks_removed": (),
    "risks_changed": (),
    "data_categories_added": (),
    "data_categories_removed": (),
    "data_categories_changed": (),
    "fallback_models_added": (),
    "fallback_models_removed": (),
    "fallback_models_changed": (),
    "answers_added": (),
    "answers_removed": (),
}


@pytest.mark.parametrize(("change", "expected"), CASES.values(), ids=CASES.keys())
def test_it_reports_exactly_what_changed(change, expected):
    diff = snapshot_diff(snapshot(), edited(change))
    assert diff.has_previous
    expected = {**EMPTY, **expected}
    codes = expected.pop("answers_changed_codes", ())
    answer_changes = expected.pop("answer_changes", ())
    assert {name: getattr(diff, name) for name in expected} == expected
    assert tuple(a.code for a in diff.answers_changed) == codes
    assert tuple(c for a in diff.answers_changed for c in a.changes) == answer_changes
    assert diff.has_changes == (any(expected.values()) or bool(codes))


def test_the_first_round_has_nothing_to_compare():
    diff = snapshot_diff(None, snapshot())
    assert not diff.has_previous
    assert not diff.has_changes
    assert diff.sections == ()


def test_risks_of_one_title_are_matched_in_order():
    before = edited(lambda s: s["risks"].append(risk("Vendor lock-in", residual=(2, 2))))
    after = edited(lambda s: s["risks"].append(risk("Vendor lock-in", residual=(1, 1))))
    diff = snapshot_diff(before, after)
    assert diff.risks_added == diff.risks_removed == ()
    assert diff.risks_changed == (
        RiskChange("Vendor lock-in", (FieldChange("residual score", "2 × 2 = 4", "1 × 1 = 1"),)),
    )


def test_the_table_groups_rows_and_says_added_or_removed():
    def change(s):
        s["use_case"]["hosting_country"] = "DE"
        s["risks"].pop(0)
        s["data_categories"].append({"slug": "source-code", "name": "Source code", "sensitivity": "Confidential"})

    sections = snapshot_diff(snapshot(), edited(change)).sections
    assert [(s.title, s.rows) for s in sections] == [
        ("Request, model and vendor", (DiffRow("Hosting country", "US", "DE", "changed"),)),
        (
            "Risks",
            (
                DiffRow(
                    "Risk: Customer data leaks into prompts",
                    "data; inherent 4 × 4 = 16; residual 2 × 3 = 6",
                    "—",
                    "removed",
                ),
            ),
        ),
        ("Data categories", (DiffRow("Data category", "—", "Source code (Confidential)", "added"),)),
    ]


def test_an_older_snapshot_without_a_key_reads_as_nothing():
    before = edited(lambda s: s["use_case"].pop("logging"))
    diff = snapshot_diff(before, snapshot())
    assert [(c.label, c.before, c.after) for c in diff.facts] == [
        ("Logging: what is logged", "—", "Prompts"),
        ("Logging: where logs are stored", "—", "SIEM"),
        ("Logging: who can read the logs", "—", "SecOps"),
        ("Logging: retention (days)", "—", "90"),
        ("Logging: how sensitive prompts are protected", "—", "Masked"),
        ("Logging: how retrieval sources are tracked", "—", "Doc IDs"),
        ("Logging: how tool execution is recorded", "—", "No tools"),
        ("Logging: how exceptions are approved", "—", "Risk owner"),
    ]


def test_a_snapshot_frozen_before_the_vendor_facts_reads_them_as_nothing():
    def drop(s):
        for key in ("data_retention", "exit_terms", "source"):
            s["model"]["vendor"].pop(key)

    diff = snapshot_diff(edited(drop), snapshot())
    assert [(c.label, c.before, c.after) for c in diff.facts] == [
        ("Vendor data retention", "—", "No retention of API prompts"),
        ("Vendor exit and deletion terms", "—", "Deletion within 30 days"),
        ("Vendor facts source", "—", "Vendor trust centre"),
    ]


@pytest.mark.parametrize(
    ("value", "shown"),
    [
        (None, "—"),
        ("", "—"),
        ([], "—"),
        (True, "Yes"),
        (False, "No"),
        (90, "90"),
        (["a", "b"], "a, b"),
        (person("alice", "Alice Owner"), "Alice Owner"),
        (person("alice", ""), "alice"),
        ("hosted_api", "hosted_api"),
    ],
)
def test_values_are_shown_readably(value, shown):
    assert display(value) == shown
