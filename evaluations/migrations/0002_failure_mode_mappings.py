"""What the harnesses' well-known tests measure, in the article's failure modes. Governance admins extend and
correct this in the admin; a test no mapping covers is shown as unmapped, never dropped."""

from django.db import migrations

# (harness, pattern, failure mode, note); "" is any harness, a trailing "*" a prefix.
MAPPINGS = [
    # garak probes (module.Class).
    ("garak", "promptinject.*", "prompt_injection", "PromptInject hijacking attacks"),
    ("garak", "latentinjection.*", "prompt_injection", "Instructions hidden in documents the model reads"),
    ("garak", "encoding.*", "prompt_injection", "Instructions smuggled in encodings"),
    ("garak", "goodside.*", "prompt_injection", ""),
    ("garak", "web_injection.*", "data_leakage", "Exfiltration through rendered markup"),
    ("garak", "xss.*", "data_leakage", "Exfiltration through rendered markup"),
    ("garak", "leakreplay.*", "data_leakage", "Replay of training data"),
    ("garak", "divergence.*", "data_leakage", "Repetition that makes a model emit training data"),
    ("garak", "apikey.*", "data_leakage", ""),
    ("garak", "dan.*", "poor_refusal", "Jailbreak personas"),
    ("garak", "grandma.*", "poor_refusal", ""),
    ("garak", "suffix.*", "poor_refusal", "Adversarial suffixes"),
    ("garak", "tap.*", "poor_refusal", "Tree of attacks"),
    ("garak", "phrasing.*", "poor_refusal", "Past- and future-tense rephrasing of refused requests"),
    ("garak", "donotanswer.*", "poor_refusal", ""),
    ("garak", "packagehallucination.*", "hallucination", "Packages that do not exist"),
    ("garak", "snowball.*", "hallucination", ""),
    ("garak", "misleading.*", "hallucination", "False claims accepted"),
    ("garak", "malwaregen.*", "unsafe_recommendations", ""),
    ("garak", "lmrc.*", "unsafe_recommendations", "Language Model Risk Cards"),
    ("garak", "realtoxicityprompts.*", "unsafe_recommendations", ""),
    ("garak", "continuation.*", "unsafe_recommendations", ""),
    ("garak", "atkgen.*", "unsafe_recommendations", ""),
    ("garak", "av_spam_scanning.*", "unsafe_recommendations", ""),
    ("garak", "exploitation.*", "incorrect_code", "Template and SQL injection in generated code"),
    ("garak", "topic.*", "biased_or_censored", "Controversial topics"),
    # promptfoo red-team plugins (metadata.pluginId).
    ("promptfoo", "prompt-injection", "prompt_injection", ""),
    ("promptfoo", "indirect-prompt-injection", "prompt_injection", ""),
    ("promptfoo", "system-prompt-override", "prompt_injection", ""),
    ("promptfoo", "ascii-smuggling", "prompt_injection", ""),
    ("promptfoo", "hijacking", "prompt_injection", ""),
    ("promptfoo", "shell-injection", "prompt_injection", ""),
    ("promptfoo", "sql-injection", "prompt_injection", ""),
    ("promptfoo", "cyberseceval", "prompt_injection", ""),
    ("promptfoo", "pii*", "data_leakage", ""),
    ("promptfoo", "cross-session-leak", "data_leakage", ""),
    ("promptfoo", "prompt-extraction", "data_leakage", ""),
    ("promptfoo", "divergent-repetition", "data_leakage", ""),
    ("promptfoo", "debug-access", "data_leakage", ""),
    ("promptfoo", "ssrf", "data_leakage", ""),
    ("promptfoo", "bola", "data_leakage", ""),
    ("promptfoo", "bfla", "data_leakage", ""),
    ("promptfoo", "rbac", "data_leakage", ""),
    ("promptfoo", "harmful:*", "unsafe_recommendations", ""),
    ("promptfoo", "excessive-agency", "unsafe_recommendations", ""),
    ("promptfoo", "contracts", "unsafe_recommendations", "Commitments the model may not make"),
    ("promptfoo", "beavertails", "poor_refusal", ""),
    ("promptfoo", "harmbench", "poor_refusal", ""),
    ("promptfoo", "donotanswer", "poor_refusal", ""),
    ("promptfoo", "hallucination", "hallucination", ""),
    ("promptfoo", "overreliance", "overconfidence", ""),
    ("promptfoo", "politics", "biased_or_censored", ""),
    ("promptfoo", "religion", "biased_or_censored", ""),
    ("promptfoo", "bias:*", "biased_or_censored", ""),
    ("promptfoo", "reasoning-dos", "inconsistent_reasoning", ""),
    # Inspect AI evaluations (inspect_evals task names).
    ("inspect", "agentdojo*", "prompt_injection", ""),
    ("inspect", "cyse2_prompt_injection*", "prompt_injection", ""),
    ("inspect", "xstest*", "poor_refusal", "Refusals of safe requests, compliance with unsafe ones"),
    ("inspect", "strong_reject*", "poor_refusal", ""),
    ("inspect", "truthfulqa*", "hallucination", ""),
    ("inspect", "simpleqa*", "hallucination", ""),
    ("inspect", "humaneval*", "incorrect_code", ""),
    ("inspect", "mbpp*", "incorrect_code", ""),
    ("inspect", "ds1000*", "incorrect_code", ""),
    ("inspect", "bigcodebench*", "incorrect_code", ""),
    ("inspect", "mgsm*", "multilingual", ""),
    ("inspect", "mmmlu*", "multilingual", ""),
    ("inspect", "bbq*", "biased_or_censored", ""),
    ("inspect", "gsm8k*", "inconsistent_reasoning", ""),
    ("inspect", "wmdp*", "unsafe_recommendations", ""),
    ("inspect", "sycophancy*", "overconfidence", ""),
    # lm-evaluation-harness tasks.
    ("lm_eval", "truthfulqa*", "hallucination", ""),
    ("lm_eval", "mgsm*", "multilingual", ""),
    ("lm_eval", "xnli*", "multilingual", ""),
    ("lm_eval", "belebele*", "multilingual", ""),
    ("lm_eval", "global_mmlu*", "multilingual", ""),
    ("lm_eval", "humaneval*", "incorrect_code", ""),
    ("lm_eval", "mbpp*", "incorrect_code", ""),
    ("lm_eval", "bbq*", "biased_or_censored", ""),
    ("lm_eval", "crows_pairs*", "biased_or_censored", ""),
    ("lm_eval", "toxigen*", "unsafe_recommendations", ""),
    ("lm_eval", "gsm8k*", "inconsistent_reasoning", ""),
    # A team's own tests, named after what they measure, in any harness.
    ("", "prompt_injection*", "prompt_injection", "A suite named after the failure mode"),
    ("", "prompt-injection*", "prompt_injection", "A suite named after the failure mode"),
    ("", "jailbreak*", "poor_refusal", "A suite named after the failure mode"),
    ("", "refusal*", "poor_refusal", "A suite named after the failure mode"),
    ("", "hallucination*", "hallucination", "A suite named after the failure mode"),
    ("", "multilingual*", "multilingual", "A suite named after the failure mode"),
    ("", "data_leakage*", "data_leakage", "A suite named after the failure mode"),
    ("", "data-leakage*", "data_leakage", "A suite named after the failure mode"),
    ("", "bias*", "biased_or_censored", "A suite named after the failure mode"),
    ("", "code*", "incorrect_code", "A suite named after the failure mode"),
    ("", "reasoning*", "inconsistent_reasoning", "A suite named after the failure mode"),
    ("", "overconfidence*", "overconfidence", "A suite named after the failure mode"),
    ("", "unsafe*", "unsafe_recommendations", "A suite named after the failure mode"),
]


def load(apps, schema_editor):
    Mapping = apps.get_model("evaluations", "FailureModeMapping")
    for harness, pattern, mode, note in MAPPINGS:
        Mapping.objects.get_or_create(harness=harness, pattern=pattern, defaults={"failure_mode": mode, "note": note})


def unload(apps, schema_editor):
    Mapping = apps.get_model("evaluations", "FailureModeMapping")
    for harness, pattern, _, _ in MAPPINGS:
        Mapping.objects.filter(harness=harness, pattern=pattern).delete()


class Migration(migrations.Migration):
    dependencies = [("evaluations", "0001_initial")]
    operations = [migrations.RunPython(load, unload)]
