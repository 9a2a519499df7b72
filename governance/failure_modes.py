"""The article's question 4, "What are the model's failure modes?": the ten modes every request is tested
against, and which security-testing checklist item each one evidences."""

from django.db import models


class FailureMode(models.TextChoices):
    HALLUCINATION = "hallucination", "Hallucination"
    UNSAFE_RECOMMENDATIONS = "unsafe_recommendations", "Unsafe recommendations"
    POOR_REFUSAL = "poor_refusal", "Poor refusal behaviour"
    PROMPT_INJECTION = "prompt_injection", "Prompt injection exposure"
    MULTILINGUAL = "multilingual", "Weak multilingual accuracy"
    INCORRECT_CODE = "incorrect_code", "Incorrect code generation"
    BIASED_OR_CENSORED = "biased_or_censored", "Biased or censored responses"
    INCONSISTENT_REASONING = "inconsistent_reasoning", "Inconsistent reasoning"
    DATA_LEAKAGE = "data_leakage", "Sensitive data leakage through prompts or retrieval"
    OVERCONFIDENCE = "overconfidence", "Overconfident answers in high-risk workflows"


class TestStatus(models.TextChoices):
    TESTED = "tested", "Tested"
    NOT_TESTED = "not_tested", "Not tested"
    NOT_APPLICABLE = "not_applicable", "Not applicable"


# The security-testing item (checklist template v1 codes) that each mode's answer backs. Codes, not rows:
# governance sits below checklist, and a later template keeps the codes of the items it carries over.
EVIDENCES: dict[str, str] = {
    FailureMode.HALLUCINATION: "SEC-1",
    FailureMode.UNSAFE_RECOMMENDATIONS: "SEC-1",
    FailureMode.POOR_REFUSAL: "SEC-1",
    FailureMode.PROMPT_INJECTION: "SEC-2",
    FailureMode.DATA_LEAKAGE: "SEC-2",
    FailureMode.MULTILINGUAL: "SEC-3",
    FailureMode.INCORRECT_CODE: "SEC-5",
    FailureMode.BIASED_OR_CENSORED: "SEC-5",
    FailureMode.INCONSISTENT_REASONING: "SEC-5",
    FailureMode.OVERCONFIDENCE: "SEC-5",
}


def modes_evidencing(code: str) -> list[str]:
    """The modes whose answers back checklist item `code`, in the article's order."""
    return [mode for mode in FailureMode.values if EVIDENCES[mode] == code]
