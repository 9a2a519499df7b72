"""The crosswalk of checklist version 1 to the EU AI Act, ISO/IEC 42001 Annex A and the NIST AI RMF.

Frozen here as the checklist itself is (0002): governance admins edit the rows afterwards in the admin,
with history, and a later checklist version loads its own. Clause identifiers and short titles only; the
EU AI Act paragraph and NIST subcategory titles are our paraphrases (those clauses have no official
titles), article and ISO/IEC 42001 control titles the official ones.
"""

from django.db import migrations

# item code -> framework key -> list of (reference, title); title is the clause's short official title
CROSSWALK = {
    # ---------------------------------------------------------------- Governance
    "GOV-1": {
        "eu_ai_act": [
            ("Art. 26(1)", "Deployers: technical and organisational measures for use per instructions"),
            ("Art. 26(2)", "Human oversight by competent, trained persons"),
        ],
        "iso_42001": [
            ("A.3.2", "AI roles and responsibilities"),
        ],
        "nist_ai_rmf": [
            ("GOVERN 2.1", "Roles, responsibilities and lines of communication are documented"),
            ("GOVERN 2.3", "Executive leadership takes responsibility for AI risk decisions"),
        ],
    },
    "GOV-2": {
        "eu_ai_act": [
            ("Art. 26(9)", "Deployers: data protection impact assessment"),
            ("Art. 27", "Fundamental rights impact assessment for high-risk AI systems"),
        ],
        "iso_42001": [
            ("A.2.3", "Alignment with other organizational policies"),
            ("A.5.2", "AI system impact assessment process"),
        ],
        "nist_ai_rmf": [
            ("GOVERN 1.1", "Legal and regulatory requirements are understood and documented"),
            ("MAP 1.2", "Interdisciplinary AI actors and expertise take part in establishing context"),
        ],
    },
    "GOV-3": {
        "eu_ai_act": [
            ("Art. 5", "Prohibited AI practices"),
            ("Art. 26(1)", "Deployers: use in accordance with instructions for use"),
            ("Art. 13(3)(b)", "Instructions for use: intended purpose, capabilities and limitations"),
        ],
        "iso_42001": [
            ("A.9.4", "Intended use of the AI system"),
            ("A.9.2", "Processes for responsible use of AI systems"),
        ],
        "nist_ai_rmf": [
            ("MAP 1.1", "Intended purposes and context of use are documented"),
            ("MAP 3.3", "Targeted application scope is specified and documented"),
        ],
    },
    "GOV-4": {
        "eu_ai_act": [
            ("Art. 9(5)", "Risk management system: acceptable residual risk"),
        ],
        "iso_42001": [
            ("A.5.3", "Documentation of AI system impact assessments"),
            ("A.3.2", "AI roles and responsibilities"),
            ("A.6.2.5", "AI system deployment"),
        ],
        "nist_ai_rmf": [
            ("MANAGE 1.4", "Residual risks are documented"),
            ("MANAGE 1.1", "Go/no-go determination on development or deployment"),
            ("GOVERN 2.3", "Executive leadership takes responsibility for AI risk decisions"),
        ],
    },
    # ---------------------------------------------------------------- Data
    "DATA-1": {
        "eu_ai_act": [
            ("Art. 26(4)", "Deployers: relevance and representativeness of input data"),
            ("Art. 13(3)(b)", "Instructions for use: input data specifications"),
        ],
        "iso_42001": [
            ("A.4.3", "Data resources"),
            ("A.7.5", "Data provenance"),
        ],
        "nist_ai_rmf": [
            ("MAP 4.1", "Risks of components, incl. third-party data, are mapped"),
            ("MAP 2.3", "Data collection and selection considerations are documented"),
        ],
    },
    "DATA-2": {
        "eu_ai_act": [
            ("Art. 26(9)", "Deployers: data protection impact assessment"),
        ],
        "iso_42001": [
            ("A.4.3", "Data resources"),
            ("A.2.3", "Alignment with other organizational policies"),
        ],
        "nist_ai_rmf": [
            ("MEASURE 2.10", "Privacy risk is examined and documented"),
            ("MAP 4.1", "Risks of components, incl. third-party data, are mapped"),
        ],
    },
    "DATA-3": {
        "eu_ai_act": [
            ("Art. 26(9)", "Deployers: data protection impact assessment"),
            ("Art. 15(5)", "Cybersecurity: resilience against attacks, incl. confidentiality"),
        ],
        "iso_42001": [
            ("A.5.4", "Assessing AI system impact on individuals or groups of individuals"),
            ("A.6.2.2", "AI system requirements and specification"),
        ],
        "nist_ai_rmf": [
            ("MEASURE 2.10", "Privacy risk is examined and documented"),
            ("MAP 4.2", "Internal risk controls for components are documented"),
        ],
    },
    "DATA-4": {
        "eu_ai_act": [
            ("Art. 12", "Record-keeping"),
            ("Art. 26(6)", "Deployers: keeping automatically generated logs"),
        ],
        "iso_42001": [
            ("A.6.2.8", "AI system recording of event logs"),
            ("A.7.5", "Data provenance"),
        ],
        "nist_ai_rmf": [
            ("MEASURE 2.8", "Transparency and accountability risks are examined"),
            ("MEASURE 2.10", "Privacy risk is examined and documented"),
        ],
    },
    "DATA-5": {
        "eu_ai_act": [
            ("Art. 26(6)", "Deployers: log retention period"),
            ("Art. 19(1)", "Providers: retention of automatically generated logs"),
        ],
        "iso_42001": [
            ("A.10.2", "Allocating responsibilities"),
            ("A.10.3", "Suppliers"),
        ],
        "nist_ai_rmf": [
            ("GOVERN 6.1", "Policies address third-party AI risks"),
            ("GOVERN 1.1", "Legal and regulatory requirements are understood and documented"),
        ],
    },
    # ---------------------------------------------------------------- Deployment
    "DEP-1": {
        "eu_ai_act": [
            ("Art. 13(3)(a)", "Instructions for use: identity and contact details of provider"),
            ("Art. 25", "Responsibilities along the AI value chain"),
            ("Art. 53(1)(b)", "GPAI providers: information for downstream providers"),
        ],
        "iso_42001": [
            ("A.10.3", "Suppliers"),
            ("A.10.2", "Allocating responsibilities"),
        ],
        "nist_ai_rmf": [
            ("GOVERN 6.1", "Policies address third-party AI risks"),
            ("MAP 4.1", "Legal risks of components, incl. IP, are mapped"),
            ("MANAGE 3.1", "Third-party AI risks are monitored and controlled"),
        ],
    },
    "DEP-2": {
        "eu_ai_act": [
            ("Art. 15(5)", "Cybersecurity: resilience against unauthorised third parties"),
            ("Art. 26(1)", "Deployers: technical and organisational measures"),
        ],
        "iso_42001": [
            ("A.2.3", "Alignment with other organizational policies"),
            ("A.6.2.5", "AI system deployment"),
        ],
        "nist_ai_rmf": [
            ("MEASURE 2.7", "Security and resilience are evaluated and documented"),
            ("MAP 4.2", "Internal risk controls for components are documented"),
        ],
    },
    "DEP-3": {
        "eu_ai_act": [
            ("Art. 15(5)", "Cybersecurity: resilience against unauthorised third parties"),
            ("Art. 26(1)", "Deployers: technical and organisational measures"),
        ],
        "iso_42001": [
            ("A.3.2", "AI roles and responsibilities"),
            ("A.2.3", "Alignment with other organizational policies"),
        ],
        "nist_ai_rmf": [
            ("MEASURE 2.7", "Security and resilience are evaluated and documented"),
            ("GOVERN 3.2", "Roles for human-AI configurations and oversight are differentiated"),
            ("MAP 4.2", "Internal risk controls for components are documented"),
        ],
    },
    "DEP-4": {
        "eu_ai_act": [
            ("Art. 15(5)", "Cybersecurity: resilience against unauthorised third parties"),
            ("Art. 26(1)", "Deployers: technical and organisational measures"),
        ],
        "iso_42001": [
            ("A.2.3", "Alignment with other organizational policies"),
            ("A.6.2.5", "AI system deployment"),
        ],
        "nist_ai_rmf": [
            ("MEASURE 2.7", "Security and resilience are evaluated and documented"),
            ("MAP 4.2", "Internal risk controls for components are documented"),
        ],
    },
    "DEP-5": {
        "eu_ai_act": [
            ("Art. 26(5)", "Deployers: monitoring operation of the system"),
            ("Art. 72", "Post-market monitoring by providers"),
        ],
        "iso_42001": [
            ("A.6.2.6", "AI system operation and monitoring"),
        ],
        "nist_ai_rmf": [
            ("MEASURE 2.4", "System functionality and behaviour are monitored in production"),
            ("MANAGE 4.1", "Post-deployment monitoring plans are implemented"),
        ],
    },
    # ---------------------------------------------------------------- Security & quality testing
    "SEC-1": {
        "eu_ai_act": [
            ("Art. 15(1)", "Accuracy, robustness and cybersecurity"),
            ("Art. 9(6)", "Risk management system: testing"),
        ],
        "iso_42001": [
            ("A.6.2.4", "AI system verification and validation"),
        ],
        "nist_ai_rmf": [
            ("MEASURE 2.5", "System is shown to be valid and reliable"),
            ("MEASURE 2.6", "Safety risks are evaluated"),
        ],
    },
    "SEC-2": {
        "eu_ai_act": [
            ("Art. 15(5)", "Cybersecurity: adversarial and confidentiality attacks"),
        ],
        "iso_42001": [
            ("A.6.2.4", "AI system verification and validation"),
        ],
        "nist_ai_rmf": [
            ("MEASURE 2.7", "Security and resilience are evaluated and documented"),
            ("MEASURE 2.10", "Privacy risk is examined and documented"),
        ],
    },
    "SEC-3": {
        "eu_ai_act": [
            ("Art. 10(4)", "Data governance: specific setting of intended use"),
            ("Art. 15(3)", "Accuracy levels and metrics declared"),
            ("Art. 26(4)", "Deployers: relevance and representativeness of input data"),
        ],
        "iso_42001": [
            ("A.6.2.2", "AI system requirements and specification"),
            ("A.6.2.4", "AI system verification and validation"),
        ],
        "nist_ai_rmf": [
            ("MEASURE 2.3", "Performance is measured in deployment-like conditions"),
            ("MAP 1.6", "System requirements are elicited and understood"),
            ("MEASURE 4.2", "Measurement results informed by domain experts"),
        ],
    },
    "SEC-4": {
        "eu_ai_act": [
            ("Art. 15(4)", "Robustness: resilience to errors and faults"),
            ("Art. 14(4)", "Human oversight: ability to intervene or stop"),
        ],
        "iso_42001": [
            ("A.6.2.4", "AI system verification and validation"),
        ],
        "nist_ai_rmf": [
            ("MEASURE 2.6", "Safety risks are evaluated"),
            ("MEASURE 2.7", "Security and resilience are evaluated and documented"),
        ],
    },
    "SEC-5": {
        "eu_ai_act": [
            ("Art. 13(3)(b)", "Instructions for use: capabilities and limitations"),
            ("Art. 9(2)", "Risk management system: identification of known and foreseeable risks"),
        ],
        "iso_42001": [
            ("A.6.2.7", "AI system technical documentation"),
            ("A.8.2", "System documentation and information for users"),
        ],
        "nist_ai_rmf": [
            ("MAP 2.2", "Knowledge limits of the system are documented"),
            ("MEASURE 2.5", "Limitations of generalizability are documented"),
        ],
    },
    # ---------------------------------------------------------------- Operations
    "OPS-1": {
        "eu_ai_act": [],
        "iso_42001": [
            ("A.10.3", "Suppliers"),
        ],
        "nist_ai_rmf": [
            ("GOVERN 6.2", "Contingency processes for third-party failures"),
            ("MANAGE 2.4", "Mechanisms to supersede, disengage or deactivate systems"),
        ],
    },
    "OPS-2": {
        "eu_ai_act": [
            ("Art. 15(4)", "Robustness: redundancy, backup or fail-safe plans"),
            ("Art. 26(5)", "Deployers: monitoring and suspension of use"),
        ],
        "iso_42001": [
            ("A.6.2.6", "AI system operation and monitoring"),
            ("A.10.3", "Suppliers"),
        ],
        "nist_ai_rmf": [
            ("GOVERN 6.2", "Contingency processes for third-party failures"),
            ("MANAGE 2.4", "Mechanisms to supersede, disengage or deactivate systems"),
        ],
    },
    "OPS-3": {
        "eu_ai_act": [
            ("Art. 26(2)", "Human oversight by competent, trained persons"),
            ("Art. 14(4)", "Human oversight: ability to interpret, override or stop"),
            ("Art. 4", "AI literacy"),
        ],
        "iso_42001": [
            ("A.9.2", "Processes for responsible use of AI systems"),
            ("A.9.3", "Objectives for responsible use of AI system"),
        ],
        "nist_ai_rmf": [
            ("MAP 3.5", "Human oversight processes are defined and documented"),
            ("GOVERN 3.2", "Roles for human-AI configurations and oversight are differentiated"),
        ],
    },
    "OPS-4": {
        "eu_ai_act": [
            ("Art. 26(5)", "Deployers: informing provider and authorities of serious incidents"),
            ("Art. 73", "Reporting of serious incidents"),
        ],
        "iso_42001": [
            ("A.8.4", "Communication of incidents"),
            ("A.3.3", "Reporting of concerns"),
        ],
        "nist_ai_rmf": [
            ("MANAGE 4.3", "Incidents and errors are communicated and tracked"),
            ("MANAGE 2.3", "Procedures to respond to and recover from unknown risks"),
        ],
    },
    "OPS-5": {
        "eu_ai_act": [
            ("Art. 26(6)", "Deployers: keeping automatically generated logs"),
            ("Art. 12", "Record-keeping"),
            ("Art. 19", "Automatically generated logs"),
        ],
        "iso_42001": [
            ("A.6.2.8", "AI system recording of event logs"),
        ],
        "nist_ai_rmf": [
            ("MEASURE 2.8", "Transparency and accountability risks are examined"),
            ("MANAGE 4.1", "Post-deployment monitoring plans are implemented"),
        ],
    },
}

# item code -> framework key -> reason, only where a list above is empty
UNMAPPED_REASONS = {
    "OPS-1": {
        "eu_ai_act": (
            "The AI Act sets no model portability or vendor-exit requirement; note only that swapping "
            "the model inside a high-risk system may be a substantial modification that makes the "
            "enterprise a provider (Art. 25(1))."
        ),
    },
}


def load(apps, schema_editor):
    Item = apps.get_model("checklist", "ChecklistItem")
    Reference = apps.get_model("checklist", "FrameworkReference")
    items = {item.code: item for item in Item.objects.filter(section__template__version=1)}
    if not items or Reference.objects.filter(item__in=items.values()).exists():
        return
    rows = []
    for code, frameworks in CROSSWALK.items():
        for framework, references in frameworks.items():
            rows += [
                Reference(item=items[code], framework=framework, reference=reference, title=title)
                for reference, title in references
            ]
            if not references:
                reason = UNMAPPED_REASONS[code][framework]
                rows.append(Reference(item=items[code], framework=framework, unmapped_reason=reason))
    Reference.objects.bulk_create(rows)


def unload(apps, schema_editor):
    apps.get_model("checklist", "FrameworkReference").objects.filter(item__section__template__version=1).delete()


class Migration(migrations.Migration):
    dependencies = [("checklist", "0004_framework_references")]

    operations = [migrations.RunPython(load, unload)]
