"""The AI Model Evaluation Checklist, version 1, as published in the article Clearance is built from.

Each item names the function that answers and verifies it. The data is frozen here on purpose: a
later version of the checklist is a new template, never an edit of this one.
"""

from django.db import migrations
from django.utils import timezone

SOURCE = "AI Model Evaluation Checklist, from 'How Enterprises Should Evaluate Eastern AI Models' (reviewed 2026-05-25)"

SECTIONS = [
    (
        "Governance and ownership",
        "Who owns the model's use, who reviewed it, what it may and may not do, and who accepts the residual risk.",
        [
            ("GOV-1", "Have we identified the business owner, technical owner, and risk owner?", "business"),
            ("GOV-2", "Have legal, privacy, security, and procurement reviewed the use case?", "legal"),
            ("GOV-3", "Have we documented the approved purpose and prohibited use cases?", "legal"),
            ("GOV-4", "Have we documented residual risk and approval authority?", "business"),
        ],
    ),
    (
        "Data protection",
        "Do not send regulated, confidential, export-controlled, customer-sensitive or security-sensitive data "
        "to a model provider without legal, security and privacy review.",
        [
            ("DATA-1", "Do we know what data the model will process?", "business"),
            ("DATA-2", "Have we classified the data?", "privacy"),
            ("DATA-3", "Are regulated, confidential, or customer-sensitive fields protected?", "privacy"),
            ("DATA-4", "Are prompts, outputs, and retrieval sources logged safely?", "security"),
            ("DATA-5", "Is data retention contractually defined?", "legal"),
        ],
    ),
    (
        "Deployment and access control",
        "A hosted API, a private cloud deployment and an on-premises model each create different risks; "
        "somebody must own the production control plane.",
        [
            ("DEP-1", "Have we verified the model provider, license, and hosting location?", "procurement"),
            ("DEP-2", "Is access controlled through enterprise identity?", "security"),
            ("DEP-3", "Are privileged actions separated from normal user actions?", "security"),
            ("DEP-4", "Are API keys, tokens, and service accounts managed securely?", "security"),
            ("DEP-5", "Can the model be monitored in production?", "security"),
        ],
    ),
    (
        "Security testing",
        "Public benchmarks rarely tell the full story: test against your own environment, language, "
        "terminology, threat model and operational scenarios.",
        [
            ("SEC-1", "Have we tested hallucination and unsafe output behavior?", "security"),
            ("SEC-2", "Have we tested prompt injection and data leakage scenarios?", "security"),
            ("SEC-3", "Have we tested the model against our language and domain requirements?", "business"),
            ("SEC-4", "Have we tested tool-use behavior, if tools or agents are enabled?", "security"),
            ("SEC-5", "Have we documented known failure modes?", "business"),
        ],
    ),
    (
        "Operational resilience",
        "Model abstraction, evaluation harnesses, routing layers and fallback options reduce lock-in and "
        "let the organisation switch models when pricing, quality, regulation or the vendor changes.",
        [
            ("OPS-1", "Can we switch to another model if needed?", "procurement"),
            ("OPS-2", "Is there a fallback process for degraded model quality or vendor outage?", "business"),
            ("OPS-3", "Is there a human review process for high-risk outputs?", "business"),
            ("OPS-4", "Do we have incident response procedures for AI misuse or data exposure?", "security"),
            ("OPS-5", "Are audit logs retained and reviewable?", "security"),
        ],
    ),
]


def load(apps, schema_editor):
    Template = apps.get_model("checklist", "ChecklistTemplate")
    Section = apps.get_model("checklist", "ChecklistSection")
    Item = apps.get_model("checklist", "ChecklistItem")
    if Template.objects.filter(version=1).exists():
        return
    template = Template.objects.create(
        version=1, title="AI Model Evaluation Checklist", source=SOURCE, published_at=timezone.now()
    )
    for section_position, (title, guidance, items) in enumerate(SECTIONS, start=1):
        section = Section.objects.create(template=template, position=section_position, title=title, guidance=guidance)
        Item.objects.bulk_create(
            Item(section=section, position=position, code=code, text=text, owner_function=function)
            for position, (code, text, function) in enumerate(items, start=1)
        )


def unload(apps, schema_editor):
    apps.get_model("checklist", "ChecklistTemplate").objects.filter(version=1).delete()


class Migration(migrations.Migration):
    dependencies = [("checklist", "0001_initial")]
    operations = [migrations.RunPython(load, unload)]
