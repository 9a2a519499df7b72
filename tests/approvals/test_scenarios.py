"""Whole reviews, from draft to outcome, as the people involved would go through them."""

import pytest
from django.core.exceptions import ValidationError

from approvals.models import ApprovalRequest
from checklist.services import answer_record
from governance.models import UseCase, Vendor
from governance.services import risk_create, use_case_update
from tests.approvals.workflow import ALWAYS, complete_use_case, sign, subjects, submit
from tests.factories import AIModelFactory, VendorFactory

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("fast_passwords")]


def verbs(use_case: UseCase) -> list[str]:
    return list(use_case.events.values_list("verb", flat=True))


def test_it_goes_from_draft_to_approved_with_four_approvals(alice, team):
    use_case = complete_use_case(alice)
    assert use_case.status == UseCase.Status.DRAFT
    round = submit(use_case)
    for function in ALWAYS:
        use_case.refresh_from_db()
        assert use_case.status == UseCase.Status.IN_REVIEW
        sign(round, function, team[function], "approve")
    use_case.refresh_from_db()
    assert use_case.status == UseCase.Status.APPROVED
    assert not use_case.is_editable
    assert verbs(use_case) == ["submitted", "signed", "signed", "signed", "signed", "approved"]
    assert subjects(alice) == [f"{use_case.reference} approved"]
    statuses = [h.status for h in use_case.history.order_by("history_date", "history_id")]
    assert statuses == ["draft", "in_review", "approved"]


def test_it_goes_to_approved_with_conditions(alice, team):
    use_case = complete_use_case(alice)
    round = submit(use_case)
    sign(round, "legal", team["legal"], "approve")
    sign(round, "privacy", team["privacy"], "approve_with_conditions", comment="DPA first.", conditions="Sign the DPA.")
    sign(round, "security", team["security"], "approve_with_conditions", comment="SSO.", conditions="Behind SSO only.")
    sign(round, "procurement", team["procurement"], "approve")
    use_case.refresh_from_db()
    round.refresh_from_db()
    assert use_case.status == UseCase.Status.APPROVED_WITH_CONDITIONS
    assert sorted(round.signoffs.exclude(conditions="").values_list("conditions", flat=True)) == [
        "Behind SSO only.",
        "Sign the DPA.",
    ]
    assert verbs(use_case)[-1] == "approved_with_conditions"


def test_it_goes_back_for_changes_and_is_approved_on_the_second_round(alice, team):
    use_case = complete_use_case(alice, hosting_country="US")
    round1 = submit(use_case)
    sign(round1, "legal", team["legal"], "approve")
    sign(round1, "privacy", team["privacy"], "request_changes", comment="Host it in the EU.")
    use_case.refresh_from_db()
    assert use_case.status == UseCase.Status.CHANGES_REQUESTED

    use_case_update(use_case=use_case, user=alice, hosting_country="DE", reason="Privacy asked for EU hosting")
    round2 = submit(use_case)
    assert round2.number == 2
    assert round2.snapshot["use_case"]["hosting_country"] == "DE"
    assert round1.snapshot["use_case"]["hosting_country"] == "US"
    assert round2.signoffs.filter(decision="pending").count() == 4  # everyone signs again
    for function in ALWAYS:
        sign(round2, function, team[function], "approve")

    use_case.refresh_from_db()
    round1.refresh_from_db()
    assert use_case.status == UseCase.Status.APPROVED
    assert round1.status == ApprovalRequest.Status.CHANGES_REQUESTED
    assert verbs(use_case) == [
        "submitted",
        "signed",
        "signed",
        "changes_requested",
        "submitted",
        *["signed"] * 4,
        "approved",
    ]
    assert subjects(alice) == [
        f"{use_case.reference} returned to its owners for changes",
        f"{use_case.reference} approved",
    ]


def test_it_is_rejected(alice, team):
    use_case = complete_use_case(alice)
    round = submit(use_case)
    sign(round, "procurement", team["procurement"], "reject", comment="The vendor refuses a DPA.")
    use_case.refresh_from_db()
    assert use_case.status == UseCase.Status.REJECTED
    assert not use_case.is_editable
    assert verbs(use_case) == ["submitted", "signed", "rejected"]
    with pytest.raises(ValidationError):
        use_case_update(use_case=use_case, user=alice, title="Try again")


def test_compliance_and_executive_are_added_and_needed(alice, team):
    model = AIModelFactory(vendor=VendorFactory(sanctions_status=Vendor.SanctionsStatus.RESTRICTED))
    use_case = complete_use_case(alice, primary_model=model, residual=(4, 4))
    round = submit(use_case)
    assert round.required_functions == [*ALWAYS, "compliance", "executive"]
    assert subjects(team["compliance"]) == [f"{use_case.reference} needs the Compliance sign-off"]
    assert subjects(team["executive"]) == [f"{use_case.reference} needs the Executive sign-off"]

    for function in [*ALWAYS, "compliance"]:
        sign(round, function, team[function], "approve")
    use_case.refresh_from_db()
    assert use_case.status == UseCase.Status.IN_REVIEW  # the executive has not signed yet

    sign(round, "executive", team["executive"], "approve_with_conditions", comment="Accepted.", conditions="Review Q3.")
    use_case.refresh_from_db()
    round.refresh_from_db()
    assert use_case.status == UseCase.Status.APPROVED_WITH_CONDITIONS
    assert round.highest_residual == 16


def test_a_critical_risk_cannot_be_approved_until_it_is_reduced(alice, team):
    use_case = complete_use_case(alice, residual=(5, 5))
    round = submit(use_case)
    for function in ALWAYS:
        with pytest.raises(ValidationError, match="critical"):
            sign(round, function, team[function], "approve")
    sign(round, "security", team["security"], "request_changes", comment="Mitigate the leak risk.")

    use_case.risks.all().delete()
    risk_create(
        use_case=use_case,
        user=alice,
        title="Leak, with DLP in front",
        category="data",
        inherent_likelihood=5,
        inherent_impact=5,
        residual_likelihood=2,
        residual_impact=2,
    )
    round2 = submit(use_case)
    assert round2.highest_residual == 4
    for function in ALWAYS:
        sign(round2, function, team[function], "approve")
    use_case.refresh_from_db()
    assert use_case.status == UseCase.Status.APPROVED


def test_reviewers_answer_their_items_during_the_review(alice, team):
    use_case = complete_use_case(alice)
    round = submit(use_case)
    item = round.checklist_template.sections.get(position=3).items.get(code="DEP-2")
    answer = answer_record(use_case=use_case, item=item, user=team["security"], response="yes")
    assert answer.answered_by == team["security"]
    sign(round, "security", team["security"], "approve")
    round.refresh_from_db()
    # The answer came after the snapshot: what was signed is what was submitted.
    assert "DEP-2" not in [a["code"] for a in round.snapshot["checklist"]["answers"]]
