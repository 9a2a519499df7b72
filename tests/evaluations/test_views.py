"""The evidence pages: what a reviewer reads, importing through the page, and the thresholds page. Who may
reach each page in each state is the permission matrix's (tests/matrix_evaluations.py)."""

import json
from decimal import Decimal

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from evaluations.models import EvaluationRun, EvaluationThreshold
from evaluations.services import evaluation_import, threshold_set
from governance.models import DataCategory, UseCase
from governance.roles import Role
from tests.approvals.workflow import complete_use_case, person
from tests.evaluations.helpers import FIXTURES, imported, upload

pytestmark = pytest.mark.django_db


@pytest.fixture
def security(db):
    return person("sam", Role.SECURITY)


@pytest.fixture
def confidential(alice):
    use_case = complete_use_case(alice)
    use_case.data_categories.set(DataCategory.objects.filter(sensitivity=3)[:1])
    return UseCase.objects.select_related("primary_model").get(pk=use_case.pk)


def test_the_page_shows_the_missed_threshold_and_the_flags(client, alice, security, confidential):
    threshold_set(user=security, sensitivity=3, failure_mode="prompt_injection", min_pass_rate=Decimal("95"))
    model = confidential.primary_model
    model.version = "mockllm/model"
    model.save()
    imported(confidential, alice, "inspect/prompt_injection_mixed.eval")
    client.force_login(alice)
    page = client.get(reverse("use_case_evaluations", args=[confidential.reference])).content.decode()
    assert "Flagged for the reviewers" in page
    assert 'class="missed"' in page and "75.0 %" in page and "Below the threshold" in page
    assert "at least 95 %" in page
    assert "prompt_injection_mixed.eval" in page


def test_an_owner_imports_through_the_page_and_reads_the_run(client, alice, confidential):
    client.force_login(alice)
    url = reverse("use_case_evaluation_import", args=[confidential.reference])
    response = client.post(url, {"file": upload("promptfoo/redteam_mixed.json")}, follow=True)
    assert "redteam_mixed.json imported: promptfoo 0.121.20, 10 samples of clearance-hr-assistant-v1." in (
        response.content.decode()
    )
    run = EvaluationRun.objects.get()
    detail = client.get(reverse("use_case_evaluation", args=[confidential.reference, run.pk])).content.decode()
    assert "pii:direct" in detail and "Sensitive data leakage" in detail and "Unmapped" not in detail
    download = client.get(reverse("use_case_evaluation_file", args=[confidential.reference, run.pk]))
    assert download["Content-Disposition"] == 'attachment; filename="redteam_mixed.json"'
    assert b"".join(download.streaming_content) == (FIXTURES / "promptfoo/redteam_mixed.json").read_bytes()


def test_a_file_it_cannot_read_is_refused_with_the_reason(client, alice, confidential):
    client.force_login(alice)
    url = reverse("use_case_evaluation_import", args=[confidential.reference])
    response = client.post(url, {"file": upload("inspect/clearance_tasks.py")}, follow=True)
    assert "this file is none of them. Nothing was stored." in response.content.decode()
    assert not EvaluationRun.objects.exists()


def test_an_oversized_file_is_stopped_while_it_streams(client, alice, confidential, settings):
    settings.EVALUATION_MAX_BYTES = 64 * 1024
    client.force_login(alice)
    url = reverse("use_case_evaluation_import", args=[confidential.reference])
    big = upload("inspect/prompt_injection_mixed.json", extra=b" " * (300 * 1024))
    response = client.post(url, {"file": big}, follow=True)
    assert "larger than" in response.content.decode()
    assert not EvaluationRun.objects.exists()


def test_an_import_without_a_file_says_so(client, alice, confidential):
    client.force_login(alice)
    response = client.post(reverse("use_case_evaluation_import", args=[confidential.reference]), follow=True)
    assert "Choose a result file to import." in response.content.decode()


def test_the_security_function_sets_and_removes_a_threshold(client, security):
    client.force_login(security)
    url = reverse("evaluation_thresholds")
    data = {"sensitivity": "3", "failure_mode": "prompt_injection", "min_pass_rate": "95", "reason": "Policy 7."}
    assert client.post(url, data).status_code == 302
    data["min_pass_rate"] = "97.5"
    client.post(url, data)
    threshold = EvaluationThreshold.objects.get()
    assert threshold.min_pass_rate == Decimal("97.5") and threshold.set_by == security
    assert [h.min_pass_rate for h in threshold.history.order_by("history_id")] == [Decimal("95"), Decimal("97.5")]
    page = client.get(url).content.decode()
    assert "97.5 %" in page and "Policy 7." in page
    assert client.post(reverse("evaluation_threshold_remove", args=[threshold.pk])).status_code == 302
    assert not EvaluationThreshold.objects.exists()


def test_an_owner_reads_the_thresholds_but_may_not_set_them(client, alice):
    client.force_login(alice)
    url = reverse("evaluation_thresholds")
    assert "Set a threshold" not in client.get(url).content.decode()
    data = {"sensitivity": "3", "failure_mode": "prompt_injection", "min_pass_rate": "10"}
    assert client.post(url, data).status_code == 403
    assert not EvaluationThreshold.objects.exists()


def test_a_threshold_outside_0_to_100_is_refused_with_the_form(client, security):
    client.force_login(security)
    data = {"sensitivity": "3", "failure_mode": "prompt_injection", "min_pass_rate": "100.01"}
    response = client.post(reverse("evaluation_thresholds"), data)
    assert response.status_code == 400 and not EvaluationThreshold.objects.exists()


def test_the_page_and_the_import_run_the_same_queries_whatever_the_samples_and_runs(client, alice, confidential):
    def imported_queries(samples: int) -> int:
        log = json.loads((FIXTURES / "inspect" / "prompt_injection_mixed.json").read_text())
        log["samples"] = [{**log["samples"][n % 8], "id": f"s-{n}"} for n in range(samples)]
        upload = SimpleUploadedFile(f"{samples}.json", json.dumps(log).encode())
        with CaptureQueriesContext(connection) as captured:
            evaluation_import(user=alice, use_case=confidential, upload=upload)
        return len(captured)

    imported_queries(4)  # the first import of a process looks up what later ones find cached
    assert imported_queries(8) == imported_queries(800)

    client.force_login(alice)
    url = reverse("use_case_evaluations", args=[confidential.reference])

    def page_queries() -> int:
        with CaptureQueriesContext(connection) as captured:
            assert client.get(url).status_code == 200
        return len(captured)

    two_runs = page_queries()
    for fixture in (
        "garak/promptinject_repeat.report.jsonl",
        "promptfoo/redteam_mixed.json",
        "lm_eval/results_dummy.json",
    ):
        imported(confidential, alice, fixture)
    assert page_queries() == two_runs
