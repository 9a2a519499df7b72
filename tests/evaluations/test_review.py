"""A request whose evaluation evidence missed a threshold when it was submitted: security approves it at most
with conditions (the other functions as usual), and the sign page says why."""

from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError

from approvals.models import SignOff
from approvals.permissions import decision_standing
from approvals.services import signoff_decide
from evaluations.services import threshold_set
from governance.models import DataCategory
from tests.approvals.workflow import answer_items, complete_use_case, sign, submit
from tests.evaluations.helpers import imported

pytestmark = pytest.mark.django_db


@pytest.fixture
def flagged_round(alice, team):
    threshold_set(user=team["security"], sensitivity=3, failure_mode="prompt_injection", min_pass_rate=Decimal("95"))
    use_case = complete_use_case(alice)
    use_case.data_categories.set([DataCategory.objects.get(slug="customer-records")])
    model = use_case.primary_model
    model.version = "mockllm/model"
    model.save()
    imported(use_case, alice, "inspect/prompt_injection_mixed.json")
    return submit(use_case)


def test_security_approves_at_most_with_conditions(flagged_round, team):
    signoff = flagged_round.signoffs.get(function="security")
    answer_items(flagged_round, "security", team["security"])
    standing = decision_standing(signoff)
    assert standing.missed_thresholds == ["prompt injection exposure"]
    assert SignOff.Decision.APPROVE not in standing.allowed
    assert "misses the threshold for prompt injection exposure" in standing.refusal(SignOff.Decision.APPROVE)
    with pytest.raises(ValidationError, match="misses the threshold"):
        signoff_decide(signoff=signoff, user=team["security"], decision="approve")
    decided = sign(
        flagged_round,
        "security",
        team["security"],
        "approve_with_conditions",
        comment="Approved while the injection rate is raised.",
        conditions="Run the prompt-injection suite again before go-live.",
    )
    assert decided.decision == SignOff.Decision.APPROVE_WITH_CONDITIONS


def test_the_other_functions_approve_as_usual(flagged_round, team):
    assert sign(flagged_round, "legal", team["legal"]).decision == SignOff.Decision.APPROVE


def test_the_sign_page_says_why_plain_approval_is_withheld(client, flagged_round, team):
    answer_items(flagged_round, "security", team["security"])
    client.force_login(team["security"])
    signoff = flagged_round.signoffs.get(function="security")
    page = client.get(f"/reviews/{signoff.pk}/").content.decode()
    assert "the evaluation evidence misses the threshold for prompt injection exposure" in page
