"""The EU AI Act risk classes a request is asked for at intake, with the guidance shown beside each.

Only article numbers and short titles are cited; the guidance is ours, in plain words. The class decides
what the report lists as high-risk uses and which framework obligations it weighs.
"""

from django.db import models


class EUAIActClass(models.TextChoices):
    PROHIBITED = "prohibited", "Prohibited practice (Art. 5)"
    HIGH_RISK = "high_risk", "High-risk (Art. 6, Annex III)"
    LIMITED = "limited", "Limited risk: transparency obligations (Art. 50)"
    MINIMAL = "minimal", "Minimal risk"


class AnnexIIIArea(models.TextChoices):
    """Why a use is high-risk: the Annex III area it serves (Art. 6(2)), or a product under Annex I (Art. 6(1))."""

    BIOMETRICS = "biometrics", "Annex III point 1: Biometrics"
    CRITICAL_INFRASTRUCTURE = "critical_infrastructure", "Annex III point 2: Critical infrastructure"
    EDUCATION = "education", "Annex III point 3: Education and vocational training"
    EMPLOYMENT = "employment", "Annex III point 4: Employment, workers' management and access to self-employment"
    ESSENTIAL_SERVICES = "essential_services", "Annex III point 5: Essential private and public services and benefits"
    LAW_ENFORCEMENT = "law_enforcement", "Annex III point 6: Law enforcement"
    MIGRATION = "migration", "Annex III point 7: Migration, asylum and border control management"
    JUSTICE_DEMOCRACY = "justice_democracy", "Annex III point 8: Administration of justice and democratic processes"
    ANNEX_I_PRODUCT = "annex_i_product", "Art. 6(1): a product, or a safety component of one, under Annex I"


# What the person answering reads beside each class.
EU_AI_ACT_GUIDANCE = {
    EUAIActClass.PROHIBITED: (
        "Choose this if the use falls under Art. 5, for example manipulative or deceptive techniques, "
        "exploiting people's vulnerabilities, social scoring, predicting crime from profiling alone, "
        "untargeted scraping of facial images, emotion recognition at work or in education, biometric "
        "categorisation by sensitive traits, or real-time remote biometric identification in public spaces "
        "for law enforcement. These uses have been banned since 2 February 2025 and cannot be approved; stop "
        "and involve Legal."
    ),
    EUAIActClass.HIGH_RISK: (
        "Choose this if the system is used in one of the eight Annex III areas listed below (Art. 6(2)), or "
        "is a safety component of, or itself, a product covered by the EU laws in Annex I that needs third-"
        "party conformity assessment (Art. 6(1)). An Annex III system may escape this class only under the "
        "narrow Art. 6(3) exceptions, never if it profiles people. The deployer duties in Art. 26 then apply:"
        " oversight, monitoring, logs and incident reporting."
    ),
    EUAIActClass.LIMITED: (
        "Choose this if the system talks directly with people (such as a chatbot), generates synthetic text, "
        "images, audio or video, produces deep fakes, or does emotion recognition or biometric "
        "categorisation, and is not high-risk. Art. 50 then requires telling people they are dealing with AI,"
        " or marking and disclosing AI-generated or manipulated content."
    ),
    EUAIActClass.MINIMAL: (
        "Choose this if none of the classes above apply, for example internal drafting help, summarisation, "
        "search or spam filtering. The Act adds no specific obligations beyond AI literacy for staff (Art. 4)"
        " and voluntary codes of conduct (Art. 95); our internal policies and this checklist still apply."
    ),
}
