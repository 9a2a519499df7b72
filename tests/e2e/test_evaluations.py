"""Evaluation evidence in the browser: an owner imports an Inspect log and a promptfoo red-team result; the
security reviewer reads the pass rate of each failure mode with the missed threshold marked, and approves with
conditions; the approval record prints the comparison and the missed threshold.

The request itself (complete, its other functions' items answered) comes from the workflow services: the
request form has its own browser tests."""

import re
from datetime import timedelta

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from approvals.models import ApprovalRequest
from evaluations.services import threshold_set
from governance.models import DataCategory, UseCase
from governance.roles import Role
from tests.approvals.workflow import answer_items, complete_use_case, sign
from tests.e2e.test_workflow import pdf_text, task_runner, wait_for_record  # noqa: F401 (task_runner: a fixture)
from tests.evaluations.helpers import FIXTURES
from tests.factories import UserFactory


@pytest.fixture
def scene(db):
    """olivia's confidential request: its primary model is the one Inspect's mock model stands for, its
    fallback the red-team target's; the security function requires 95 % on prompt injection."""
    owner = UserFactory(username="olivia", first_name="Olivia", last_name="Hart", roles=[Role.BUSINESS_OWNER])
    team = {
        function: UserFactory(username=name, first_name=name.capitalize(), last_name="Reviewer", roles=[role])
        for function, name, role in (
            ("legal", "lena", Role.LEGAL),
            ("privacy", "priya", Role.PRIVACY),
            ("security", "bruno", Role.SECURITY),
            ("procurement", "pedro", Role.PROCUREMENT),
        )
    }
    use_case = complete_use_case(owner, title="Support-desk summaries")
    use_case.data_categories.set([DataCategory.objects.get(slug="customer-records")])
    primary = use_case.primary_model
    primary.version = "mockllm/model"
    primary.save()
    fallback = use_case.fallback_models.get()
    fallback.version = "clearance-hr-assistant-v1"
    fallback.save()
    threshold_set(user=team["security"], sensitivity=3, failure_mode="prompt_injection", min_pass_rate=95)
    return UseCase.objects.get(pk=use_case.pk), team


@pytest.mark.usefixtures("task_runner")
def test_an_owner_imports_results_and_security_approves_with_the_missed_threshold_on_record(visit, scene, tmp_path):
    use_case, team = scene
    reference = use_case.reference

    owner = visit()
    owner.login("olivia")
    page = owner.page
    owner.go(f"/use-cases/{reference}/")
    page.get_by_role("link", name="Evaluation evidence").first.click()
    expect(page.get_by_role("heading", name="Evaluation evidence: Support-desk summaries")).to_be_visible()
    for fixture in ("inspect/prompt_injection_mixed.eval", "promptfoo/redteam_mixed.json"):
        page.get_by_label("Result file", exact=True).set_input_files(str(FIXTURES / fixture))
        page.get_by_role("button", name="Import").click()
        expect(page.locator(".messages")).to_contain_text(f"{fixture.split('/')[1]} imported")
    comparison = page.locator("table.comparison")
    expect(comparison.get_by_role("columnheader")).to_contain_text([re.compile("Primary"), re.compile("Fallback")])
    # Prompt injection, below 95 % for both: the primary's Inspect run and the fallback's red team.
    missed = comparison.locator("td.missed")
    expect(missed).to_contain_text(["75.0 % (6 of 8)", "0.0 % (0 of 1)"])
    expect(page.locator(".flagged")).to_contain_text("Prompt injection exposure: 75.0 % of tests passed")
    owner.screenshot("evaluations-01-comparison")

    # Submitting: the submit page says the request will be flagged, and security's reason says why.
    owner.go(f"/use-cases/{reference}/submit/")
    expect(page.locator("#evaluations")).to_contain_text("Reviewers will see this request flagged")
    expect(
        page.get_by_text(re.compile(r"evaluation evidence misses prompt injection exposure 75\.0 % < 95 %"))
    ).to_be_visible()
    page.get_by_role("button", name="Submit for review").click()
    expect(page.locator(".messages")).to_contain_text(f"{reference} is submitted")

    round = ApprovalRequest.objects.get(use_case=use_case)
    for function in ("legal", "privacy", "procurement"):
        sign(round, function, team[function])
    answer_items(round, "security", team["security"])

    reviewer = visit()
    reviewer.login("bruno")
    page = reviewer.page
    signoff = round.signoffs.get(function="security")
    reviewer.go(f"/reviews/{signoff.pk}/")
    expect(page.get_by_text(re.compile("evaluation evidence misses prompt injection exposure"))).to_be_visible()
    evidence = page.locator("#evaluations")
    expect(evidence.get_by_role("heading", name="Evaluation evidence, as submitted")).to_be_visible()
    expect(evidence.locator("td.missed").first).to_contain_text("75.0 % (6 of 8)below the threshold")
    expect(evidence).to_contain_text("Sensitive data leakage")  # the red team's pii plugin, for the fallback
    reviewer.screenshot("evaluations-02-security-sign-page")
    page.get_by_label("Approve with conditions", exact=True).check()
    page.get_by_label("Condition 1", exact=True).fill("Run the prompt-injection suite again before go-live: 95 %.")
    page.get_by_label("Owner of condition 1", exact=True).select_option(index=1)
    page.get_by_label("Due on (condition 1)", exact=True).fill((timezone.localdate() + timedelta(days=30)).isoformat())
    page.get_by_label("Comment", exact=True).fill("Approved while the injection rate is raised.")
    page.get_by_role("button", name="Record decision").click()
    expect(page.locator(".messages")).to_contain_text(f"Your Security decision on {reference} is recorded.")

    owner.go(f"/use-cases/{reference}/")
    page = owner.page
    link = wait_for_record(page)
    with page.expect_download() as download:
        link.click()
    path = tmp_path / "record.pdf"
    download.value.save_as(path)
    text = pdf_text(path)
    assert "Evaluation evidence" in text
    assert "Prompt injection exposure: 75.0 % of tests passed" in text
    assert "below the threshold" in text
    assert "prompt_injection_mixed.eval" in text and "redteam_mixed.json" in text
