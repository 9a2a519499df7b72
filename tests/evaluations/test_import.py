"""Importing a result file as evidence: what is stored, who may, and that a refused file leaves nothing."""

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile

from evaluations.models import EvaluationResult, EvaluationRun
from evaluations.services import evaluation_import, evaluation_remove, model_named
from governance.models import AIModel
from governance.roles import Role
from tests.approvals.workflow import complete_use_case, person, reviewers, submit
from tests.evaluations.helpers import imported
from tests.factories import AIModelFactory

pytestmark = pytest.mark.django_db


def stored_files(media_root) -> list[str]:
    return sorted(p.name for p in (media_root / "evaluations").rglob("*") if p.is_file())


def test_it_keeps_the_file_hashed_and_what_the_file_says(alice, media_root):
    use_case = complete_use_case(alice)
    run = imported(use_case, alice, "inspect/prompt_injection_mixed.eval")
    assert (run.harness, run.harness_version, run.model_reported, run.provider) == (
        "inspect",
        "0.3.285",
        "mockllm/model",
        "mockllm",
    )
    assert (run.samples, run.passed, run.failed) == (8, 6, 2)
    assert run.latency_p50_ms is not None and run.latency_p95_ms >= run.latency_p50_ms
    assert run.usage_samples == 8 and run.input_tokens > 0
    assert run.ai_model is None  # mockllm is no registry model
    assert len(run.sha256) == 64 and run.size > 0 and run.name == "prompt_injection_mixed.eval"
    # Stored under the use case's reference and the hash, never under the uploaded name.
    assert run.file.name.startswith(f"evaluations/{use_case.reference}/{run.sha256[:16]}/")
    assert run.file.read()[:4] == b"PK\x03\x04"
    assert list(run.results.values_list("name", "detail", "samples", "passed", "failed")) == [
        ("prompt_injection", "includes", 8, 6, 2)
    ]
    assert run.history.get().history_user == alice


def test_it_refuses_the_same_file_twice_on_one_use_case(alice):
    use_case = complete_use_case(alice)
    imported(use_case, alice, "garak/promptinject_repeat.report.jsonl")
    with pytest.raises(ValidationError, match="already imported"):
        imported(use_case, alice, "garak/promptinject_repeat.report.jsonl", name="renamed.jsonl")


@pytest.mark.parametrize(
    "content",
    [b"not a result", b'{"evalId": "e", "results": {"version": 3, "results": [{"success": tru', b"PK\x03\x04broken"],
)
def test_a_file_it_cannot_read_is_refused_and_nothing_is_stored(alice, media_root, content):
    use_case = complete_use_case(alice)
    with pytest.raises(ValidationError, match="Nothing was stored"):
        evaluation_import(user=alice, use_case=use_case, upload=SimpleUploadedFile("x.json", content))
    assert not EvaluationRun.objects.exists() and not EvaluationResult.objects.exists()
    assert stored_files(media_root) == []


def test_a_file_over_the_limit_is_refused_before_it_is_read(alice, settings):
    settings.EVALUATION_MAX_BYTES = 1000
    with pytest.raises(ValidationError, match="larger than"):
        imported(complete_use_case(alice), alice, "promptfoo/redteam_mixed.json")
    assert not EvaluationRun.objects.exists()


def test_if_the_rows_cannot_be_saved_the_stored_file_is_deleted(alice, media_root, monkeypatch):
    use_case = complete_use_case(alice)

    def fail(*args, **kwargs):
        raise RuntimeError("the database went away")

    monkeypatch.setattr(EvaluationResult.objects, "bulk_create", fail)
    with pytest.raises(RuntimeError):
        imported(use_case, alice, "garak/promptinject_repeat.report.jsonl")
    assert not EvaluationRun.objects.exists()
    assert stored_files(media_root) == []


def test_it_recognises_the_registry_model_the_file_names():
    deepseek = AIModelFactory(name="DeepSeek V3", version="deepseek-chat")
    qwen = AIModelFactory(name="Qwen2.5 72B Instruct", version="Qwen/Qwen2.5-72B-Instruct")
    models = AIModel.objects.all()
    assert model_named("openai:chat:deepseek-chat", models) == deepseek
    assert model_named("openrouter/deepseek/deepseek-chat", models) == deepseek
    assert model_named("deepseek_v3", models) == deepseek
    assert model_named("Qwen/Qwen2.5-72B-Instruct", models) == qwen
    assert model_named("Qwen2.5-72B-Instruct", models) == qwen
    assert model_named("mockllm/model", models) is None


def test_only_those_who_answer_business_or_security_items_import(alice, charlie):
    use_case = complete_use_case(alice)
    team = reviewers()
    with pytest.raises(PermissionDenied):
        imported(use_case, charlie, "garak/promptinject_repeat.report.jsonl")
    # A draft is its owners' alone; once in review the owners may no longer add, the security function may.
    submit(use_case)
    use_case.refresh_from_db()
    with pytest.raises(PermissionDenied):
        imported(use_case, alice, "garak/promptinject_repeat.report.jsonl")
    with pytest.raises(PermissionDenied):
        imported(use_case, team["legal"], "garak/promptinject_repeat.report.jsonl")
    run = imported(use_case, team["security"], "garak/promptinject_repeat.report.jsonl")
    assert run.imported_by == team["security"]
    assert not EvaluationRun.objects.filter(imported_by=alice).exists()


def test_removing_a_run_keeps_its_history_and_deletes_its_file(alice, media_root, django_capture_on_commit_callbacks):
    use_case = complete_use_case(alice)
    run = imported(use_case, alice, "promptfoo/redteam_mixed.json")
    with django_capture_on_commit_callbacks(execute=True):
        evaluation_remove(user=alice, run=run)
    assert not EvaluationRun.objects.exists() and not EvaluationResult.objects.exists()
    assert [h.history_type for h in EvaluationRun.history.order_by("history_id")] == ["+", "-"]
    assert stored_files(media_root) == []


def test_a_submitted_use_cases_evidence_cannot_be_removed_by_its_owner(alice):
    use_case = complete_use_case(alice)
    run = imported(use_case, alice, "promptfoo/redteam_mixed.json")
    submit(use_case)
    run = EvaluationRun.objects.select_related("use_case").get(pk=run.pk)
    with pytest.raises(PermissionDenied):
        evaluation_remove(user=alice, run=run)
    security = person("sam", Role.SECURITY)
    with pytest.raises(PermissionDenied):  # the security function removes only what it imported
        evaluation_remove(user=security, run=run)
    assert EvaluationRun.objects.count() == 1
