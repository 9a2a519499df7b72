"""POST …/evaluations/import/ and GET …/evaluations/: a pipeline posts its evaluation results, with the page's
service, limit and refusals, and reads the comparison back."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from evaluations.models import EvaluationRun
from tests.api.helpers import session_client
from tests.api.test_writes_support import (  # noqa: F401 (the *_fixture names are fixtures)
    draft_fixture,
    new_draft,
    other_owner_fixture,
    owner_fixture,
    pipeline_fixture,
    url,
)
from tests.evaluations.helpers import upload

pytestmark = pytest.mark.django_db


def import_url(reference: str) -> str:
    return url("api_evaluation_import", reference)


def test_a_submit_token_imports_results_onto_its_own_draft_and_reads_the_comparison(pipeline, draft):
    account, client = pipeline
    mine = client.post(url("api_use_case_create"), new_draft(), format="json").json()["reference"]
    response = client.post(import_url(mine), {"file": upload("promptfoo/redteam_mixed.json")}, format="multipart")
    assert response.status_code == 201, response.json()
    produced = response.json()["evaluation"]
    assert (produced["harness"], produced["harness_version"], produced["samples"], produced["tests"]) == (
        "promptfoo",
        "0.121.20",
        10,
        8,
    )
    assert produced["url"].endswith(f"/use-cases/{mine}/evaluations/{produced['id']}/")
    run = EvaluationRun.objects.get(pk=produced["id"])
    assert run.imported_by == account.user and run.history.get().history_user == account.user

    evidence = client.get(url("api_use_case_evaluations", mine)).json()
    assert evidence["reference"] == mine
    other = evidence["candidates"][-1]
    assert other["role"] == "other" and other["label"] == "clearance-hr-assistant-v1"
    assert {m["mode"]: (m["passed"], m["failed"]) for m in other["modes"]}["data_leakage"] == (1, 1)
    assert any("not the model requested" in flag for flag in evidence["flags"])
    # Not the world's use cases: a submit token sees only its own requests.
    assert (
        client.post(import_url(draft.reference), {"file": upload("garak/blank_pass.report.jsonl")}).status_code == 404
    )


def test_a_file_it_cannot_read_is_400_with_the_reason(owner, draft):
    bad = SimpleUploadedFile("results.json", b'{"evalId": "x", "results": {"version": 3, "results": [')
    response = session_client(owner).post(import_url(draft.reference), {"file": bad}, format="multipart")
    assert response.status_code == 400
    assert response.json() == {"file": ["The file ends before its JSON does: it is truncated. Nothing was stored."]}
    assert not EvaluationRun.objects.exists()


def test_a_file_over_the_limit_is_413_and_nothing_is_stored(owner, draft, settings):
    settings.EVALUATION_MAX_BYTES = 1000
    client = session_client(owner)
    response = client.post(
        import_url(draft.reference), {"file": upload("promptfoo/eval_mixed.json")}, format="multipart"
    )
    assert response.status_code == 413 and "larger than 1000 bytes" in response.json()["detail"]
    assert not EvaluationRun.objects.exists()


def test_outsiders_get_404(draft, other_owner):
    body = {"file": upload("garak/blank_pass.report.jsonl")}
    assert session_client(other_owner).post(import_url(draft.reference), body, format="multipart").status_code == 404
    assert session_client(other_owner).get(url("api_use_case_evaluations", draft.reference)).status_code == 404
