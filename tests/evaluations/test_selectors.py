"""What the evidence says per candidate model: pass rates per failure mode against the thresholds, latency,
cost per 1,000 requests, and what the request is flagged for."""

from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from evaluations.models import FailureModeMapping, ModelPrice
from evaluations.selectors import FALLBACK, OTHER, PRIMARY, evidence_summary, thresholds_for
from evaluations.services import threshold_set
from governance.models import DataCategory, UseCase
from governance.roles import Role
from tests.approvals.workflow import complete_use_case, person
from tests.evaluations.helpers import imported

pytestmark = pytest.mark.django_db


@pytest.fixture
def security(db):
    return person("sam", Role.SECURITY)


def use_case_with(owner, sensitivity: int) -> UseCase:
    use_case = complete_use_case(owner)
    use_case.data_categories.set(DataCategory.objects.filter(sensitivity=sensitivity)[:1])
    return UseCase.objects.select_related("primary_model").get(pk=use_case.pk)


def name_primary(use_case: UseCase, reported: str) -> None:
    """Let the registry recognise `reported` as the use case's primary model."""
    model = use_case.primary_model
    model.version = reported
    model.save()


def test_a_missed_threshold_is_flagged_with_the_figures(alice, security):
    threshold_set(user=security, sensitivity=3, failure_mode="prompt_injection", min_pass_rate=Decimal("95"))
    use_case = use_case_with(alice, sensitivity=3)
    name_primary(use_case, "mockllm/model")
    imported(use_case, alice, "inspect/prompt_injection_mixed.json")
    summary = evidence_summary(use_case)
    primary = summary.primary
    assert primary.role == PRIMARY and len(primary.runs) == 1
    figure = primary.mode("prompt_injection")
    assert (figure.passed, figure.failed, figure.pass_rate, figure.missed) == (6, 2, 75.0, True)
    assert [f.mode for f in summary.misses] == ["prompt_injection"]
    assert summary.flags == [
        "Prompt injection exposure: 75.0 % of tests passed on "
        f"{use_case.primary_model}, below the 95 % required for confidential data."
    ]


def test_a_use_case_is_held_to_the_strictest_threshold_at_or_below_its_sensitivity(security):
    threshold_set(user=security, sensitivity=2, failure_mode="data_leakage", min_pass_rate=Decimal("90"))
    threshold_set(user=security, sensitivity=4, failure_mode="data_leakage", min_pass_rate=Decimal("99"))
    threshold_set(user=security, sensitivity=3, failure_mode="data_leakage", min_pass_rate=Decimal("80"))
    assert thresholds_for(1) == {}
    assert thresholds_for(2)["data_leakage"].min_pass_rate == 90
    assert thresholds_for(3)["data_leakage"].min_pass_rate == 90  # the stricter one set for internal data
    assert thresholds_for(4)["data_leakage"].min_pass_rate == 99


def test_met_thresholds_and_no_evidence_flag_nothing(alice, security):
    threshold_set(user=security, sensitivity=1, failure_mode="multilingual", min_pass_rate=Decimal("80"))
    use_case = use_case_with(alice, sensitivity=1)
    assert evidence_summary(use_case).flags == []  # no evidence yet: nothing to flag
    name_primary(use_case, "mockllm/model")
    imported(use_case, alice, "inspect/multilingual_pass.json")
    summary = evidence_summary(use_case)
    assert summary.primary.mode("multilingual").pass_rate == 87.5
    assert summary.flags == []


def test_evidence_of_another_model_is_flagged_and_shown_beside_the_candidates(alice):
    use_case = use_case_with(alice, sensitivity=2)
    imported(use_case, alice, "garak/promptinject_repeat.report.jsonl")
    summary = evidence_summary(use_case)
    roles = [c.role for c in summary.candidates]
    assert roles[0] == PRIMARY and FALLBACK in roles and roles[-1] == OTHER
    other = summary.candidates[-1]
    assert other.label == "test.Repeat" and other.model is None
    assert other.mode("prompt_injection").failed == 4  # promptinject.* and encoding.* map to it
    assert other.mode("poor_refusal").failed == 1  # dan.*
    assert [r.name for r in other.unmapped] == ["test.Test"]
    assert summary.flags == [
        'promptinject_repeat.report.jsonl measured "test.Repeat", which is not the model requested '
        f"({use_case.primary_model}) nor a listed fallback.",
        f"No evaluation evidence is of the model requested ({use_case.primary_model}).",
    ]


def test_a_mapping_added_later_applies_to_runs_imported_before_it(alice):
    use_case = use_case_with(alice, sensitivity=2)
    imported(use_case, alice, "garak/promptinject_repeat.report.jsonl")
    FailureModeMapping.objects.create(harness="garak", pattern="test.Test", failure_mode="hallucination")
    other = evidence_summary(use_case).candidates[-1]
    assert other.unmapped == [] and other.mode("hallucination").passed == 8


def test_cost_per_thousand_requests_comes_from_token_usage_and_the_price_on_file(alice):
    use_case = use_case_with(alice, sensitivity=2)
    name_primary(use_case, "clearance-hr-assistant-v1")
    imported(use_case, alice, "promptfoo/redteam_mixed.json")
    primary = evidence_summary(use_case).primary
    tokens_in, tokens_out = primary.tokens_per_request
    assert primary.cost_per_thousand is None  # no price on file
    ModelPrice.objects.create(
        ai_model=use_case.primary_model, input_per_million=Decimal("0.27"), output_per_million=Decimal("1.10")
    )
    primary = evidence_summary(use_case).primary
    expected = (
        Decimal(str(round(tokens_in, 4))) * Decimal("0.27") + Decimal(str(round(tokens_out, 4))) * Decimal("1.10")
    ) / 1000
    assert primary.cost_per_thousand == expected.quantize(Decimal("0.0001"))
    assert primary.latency_p50_ms is not None


def test_the_summary_runs_the_same_queries_for_one_run_and_for_five(alice):
    def queries(use_case) -> int:
        with CaptureQueriesContext(connection) as captured:
            summary = evidence_summary(use_case)
            [(c.cost_per_thousand, c.modes, c.unmapped) for c in summary.candidates]
        return len(captured)

    small = use_case_with(alice, sensitivity=2)
    imported(small, alice, "garak/promptinject_repeat.report.jsonl")
    large = use_case_with(alice, sensitivity=2)
    for fixture in (
        "garak/promptinject_repeat.report.jsonl",
        "garak/blank_pass.report.jsonl",
        "inspect/prompt_injection_mixed.json",
        "promptfoo/redteam_mixed.json",
        "lm_eval/results_dummy.json",
    ):
        imported(large, alice, fixture)
    assert queries(small) == queries(large) <= 8
