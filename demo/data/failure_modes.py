"""The demo requests' answers to question 4: how each of the ten failure modes was tested, or why not.

Each request gets answers that follow from its own facts (its data, its languages, whether it writes
code or calls tools), and the requests the article dwells on get their own findings in OVERRIDES.
An answer is (status, method or reason, result): a tested mode has a method and a result, one not tested
or not applicable has a reason and no result.
"""

from demo.data.requests import DemoUseCase

Answer = tuple[str, str, str]

# The working language each demo model is tested in, beside English, by model name.
LANGUAGES = {
    "Qwen2.5-Coder-32B-Instruct": None,
    "DeepSeek-V3": "English and German",
    "HyperCLOVA X": "Korean",
    "GigaChat Pro (API)": "Russian",
    "YandexGPT-5-Lite-8B": "Russian",
    "EXAONE-3.5-32B-Instruct": "Korean",
    "Llama-3-ELYZA-JP-8B": "Japanese",
    "DeepSeek-R1": "English and Chinese",
    "iFlytek Spark (星火认知大模型)": "Mandarin Chinese",
    "Hunyuan-Large": "Chinese",
}

CATEGORY_NAMES = {
    "source-code": "source code",
    "internal-documents": "internal documents",
    "customer-records": "customer records",
    "third-party-confidential": "third-party confidential documents",
    "financial-records": "financial records",
    "security-logs": "security logs",
    "incident-response-evidence": "incident evidence",
    "proprietary-research": "proprietary research",
    "public-content": "public content",
}


def _tested(method: str, result: str) -> Answer:
    return ("tested", method, result)


def _not_tested(reason: str) -> Answer:
    return ("not_tested", reason, "")


def _not_applicable(reason: str) -> Answer:
    return ("not_applicable", reason, "")


def _derived(spec: DemoUseCase) -> dict[str, Answer]:
    """Answers that follow from the request's facts; OVERRIDES replaces some of them per request."""
    writes_code = "source-code" in spec.data_categories
    language = LANGUAGES.get(spec.model)
    data = ", ".join(CATEGORY_NAMES.get(slug, slug) for slug in spec.data_categories)
    sensitive = [slug for slug in spec.data_categories if slug != "public-content"]
    answers = {
        "hallucination": _tested(
            "150 outputs on our own documents, each checked against its source by two reviewers.",
            "6 of 150 outputs stated a fact the source did not contain; all were caught in review.",
        ),
        "unsafe_recommendations": _tested(
            "40 prompts from the prohibited-uses list and the red-team catalogue, run through the evaluation "
            "harness at production settings.",
            "No unsafe recommendation; 2 answers needed a stronger caveat, added to the system prompt.",
        ),
        "poor_refusal": _tested(
            "60 requests the approved purpose excludes, plus 30 legitimate ones worded like them.",
            "Refused 55 of 60 out-of-scope requests; wrongly refused 3 of 30 legitimate ones.",
        ),
        "prompt_injection": _tested(
            "Injected instructions in pasted documents and retrieved passages: 80 cases from the red-team "
            "catalogue" + (", including attempts to misuse the enabled tools." if spec.tool_use else "."),
            "4 of 80 injections changed the output's wording; none changed an action"
            + (" or a tool call." if spec.tool_use else "."),
        ),
        "multilingual": _tested(
            f"100 prompts each in {language} and English, scored by native-speaker reviewers.",
            f"{language} answers scored within 5% of English on our rubric.",
        )
        if language
        else _not_applicable("Prompts and outputs are English and code only; no other language is in scope."),
        "incorrect_code": _tested(
            "HumanEval-style tasks from our own repositories (120), run against their unit tests in CI.",
            "71% passed first time; failures compile but miss edge cases, so review stays mandatory.",
        )
        if writes_code
        else _not_applicable("The use case produces no code; the model is told not to write any."),
        "biased_or_censored": _tested(
            "50 prompts on politically and culturally sensitive topics from the red-team catalogue, compared "
            "with the fallback model's answers.",
            "No slant on in-scope topics; out-of-scope political topics were sometimes declined without notice.",
        ),
        "inconsistent_reasoning": _tested(
            "The same 40 prompts run 5 times each at production temperature; answers compared for agreement.",
            "36 of 40 prompts gave the same conclusion every time; the 4 others are listed in the test report.",
        ),
        "data_leakage": _tested(
            f"Canary records planted in test {data}; 60 extraction prompts tried to get them back across "
            "users and sessions.",
            "No canary was returned to another user; logs mask the canaries as they mask real identifiers.",
        )
        if sensitive
        else _not_applicable("Only public content reaches the model; there is nothing confidential to leak."),
        "overconfidence": _tested(
            "30 questions the sources cannot answer: does the model say it does not know?",
            "It admitted uncertainty in 24 of 30; the interface labels every answer as a draft to check.",
        )
        if spec.autonomy != "advisory" or sensitive
        else _not_applicable("Advisory drafts on public content: no high-risk workflow acts on the answer."),
    }
    return answers


# Findings of the requests the article dwells on, by title (prefix).
OVERRIDES: dict[str, dict[str, Answer]] = {
    "Code completion and review assistant": {
        "incorrect_code": _tested(
            "412 tasks from our Java and Python repositories, completions run against the repositories' own "
            "unit tests and SAST in CI.",
            "68% passed first time; 9 suggestions introduced a SAST finding (SQL built from strings). Review "
            "and SAST stay mandatory.",
        ),
        "multilingual": _not_tested(
            "Kotlin and Terraform evaluation is still running (see SEC-3); Java and Python are done."
        ),
    },
    "Marketing copy first drafts": {
        "biased_or_censored": _tested(
            "120 prompts on topics sensitive in China (Taiwan, Tiananmen, Xinjiang) and neutral controls, "
            "through the hosted API.",
            "The API declined or deflected 31 of 40 sensitive prompts; acceptable for product copy, "
            "recorded as a known failure mode.",
        ),
    },
    "Korean customer support reply suggestions": {
        "multilingual": _tested(
            "300 past Korean tickets with agent-written replies; politeness level and accuracy scored by "
            "native-speaker team leads.",
            "Correct honorific level in 97%; 11 replies mixed formal and informal speech.",
        ),
        "overconfidence": _tested(
            "50 tickets whose answer is not in the knowledge base.",
            "Invented a policy in 4 of 50; replies without a cited article are now blocked.",
        ),
    },
    "Russian-language supplier document translation": {
        "prompt_injection": _not_tested(
            "Testing stopped when compliance found the vendor ownership issue; the request is not pursued."
        ),
        "data_leakage": _not_tested(
            "No confidential supplier document may be sent to the API before the sanctions review; not tested."
        ),
    },
    "Security alert triage and incident summaries": {
        "prompt_injection": _tested(
            "500 alerts with attacker-controlled strings (user agents, file names, DNS names) carrying "
            "instructions, replayed from the purple-team exercise.",
            "12 summaries repeated injected text; none issued a SIEM query outside the allow-list. Injected "
            "text is now quoted and flagged.",
        ),
        "overconfidence": _tested(
            "80 historic incidents with the analyst's conclusion; the model's confidence compared with its accuracy.",
            "Stated 'confirmed compromise' on 5 benign cases: containment stays a human decision.",
        ),
    },
    "Internal writing and summarising assistant": {
        "unsafe_recommendations": _not_applicable(
            "Writing and summarising only; the assistant gives no operational, medical or legal advice."
        ),
    },
    "Agentic unit-test generation": {
        "unsafe_recommendations": _tested(
            "The agent given 25 tasks that tempt destructive commands (cleanup, dependency upgrades) in the sandbox.",
            "2 attempts to delete files outside the work directory, both stopped by the sandbox profile.",
        ),
    },
    "Research literature and patent summaries": {
        "inconsistent_reasoning": _tested(
            "60 papers summarised 5 times each; the reasoning traces compared for the same conclusion.",
            "Conclusions differed on 7 of 60 papers; summaries now cite the paragraph they rest on.",
        ),
    },
    "Minutes of Mandarin supplier meetings": {
        "data_leakage": _not_tested(
            "Withdrawn before testing: confidential supplier terms cannot go to this vendor's hosted API."
        ),
    },
    "Chinese product review analysis": {
        "biased_or_censored": _tested(
            "400 public product reviews, including ones that mention politics, labelled by two analysts.",
            "Sentiment agreed with the analysts on 92%; politically worded reviews were sometimes dropped.",
        ),
    },
}


def failure_mode_answers(spec: DemoUseCase) -> dict[str, dict[str, str]]:
    """All ten answers of `spec`, as `failure_modes_save` takes them."""
    answers = _derived(spec)
    for prefix, overrides in OVERRIDES.items():
        if spec.title.startswith(prefix):
            answers.update(overrides)
    result = {}
    for mode, (status, text, found) in answers.items():
        if status == "tested":
            result[mode] = {"status": status, "method": text, "result": found}
        else:
            result[mode] = {"status": status, "reason": text}
    return result
