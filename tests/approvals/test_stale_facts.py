"""No decision on stale facts: a round is never approved on registry facts (the model's version and licence,
its vendor and the vendor's sanctions status) that changed since its snapshot. The last approval re-reads
them under lock; a changed fact closes the round as superseded and opens the next one, routed afresh.
The registry's announcement and the hourly sweep do the same to rounds still in review."""

import pytest

from approvals.models import ApprovalEvent, ApprovalRequest, SignOff
from approvals.sweeps import approvals_suspend_dependents, approvals_suspend_stale
from governance.models import AIModel, UseCase, Vendor
from governance.services import registry_save
from reports.dashboard import awaited, owner_requests
from tests.approvals.workflow import ALWAYS, approve_all, complete_use_case, sign, subjects, submit
from tests.factories import AIModelFactory, VendorFactory

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("fast_passwords")]


@pytest.fixture
def vendor():
    return VendorFactory(name="Moonshot")


@pytest.fixture
def kimi(vendor):
    return AIModelFactory(vendor=vendor, name="Kimi", version="Kimi-K2")


def three_of_four_signed(round, team) -> SignOff:
    """Sign all but procurement; return the procurement sign-off, the last one."""
    for function in ("legal", "privacy", "security"):
        sign(round, function, team[function])
    return round.signoffs.get(function="procurement")


def sanction(vendor) -> None:
    """The registry changes with no announcement (as if the broker lost it, or it is still queued)."""
    Vendor.objects.filter(pk=vendor.pk).update(sanctions_status=Vendor.SanctionsStatus.SANCTIONED)


# The last sign-off


def test_the_last_approval_on_a_vendor_sanctioned_since_submission_reroutes_to_compliance_and_executive(
    alice, team, vendor, kimi
):
    use_case = complete_use_case(alice, primary_model=kimi)
    round1 = submit(use_case)
    three_of_four_signed(round1, team)
    sanction(vendor)

    sign(round1, "procurement", team["procurement"])

    use_case.refresh_from_db()
    round1.refresh_from_db()
    assert use_case.status == UseCase.Status.IN_REVIEW
    assert round1.status == ApprovalRequest.Status.SUPERSEDED
    assert round1.expires_on is None
    assert round1.closed_reason == "Registry facts changed since submission: vendor Moonshot clear → sanctioned"
    # The reviewers' decisions stay in the old round, against the snapshot they signed.
    assert list(round1.signoffs.values_list("decision", flat=True)) == ["approve"] * 4
    assert set(round1.signoffs.values_list("signed_snapshot_sha256", flat=True)) == {round1.snapshot_sha256}

    round2 = use_case.rounds.get(number=2)
    assert round2.status == ApprovalRequest.Status.IN_REVIEW
    assert round2.snapshot["model"]["vendor"]["sanctions_status"] == "sanctioned"
    assert round2.snapshot_sha256 != round1.snapshot_sha256
    assert round2.submitted_by == alice
    assert round2.checklist_template == round1.checklist_template
    assert round2.required_functions == [*ALWAYS, "compliance", "executive"]
    assert round2.routing[-2]["reason"] == "Vendor Moonshot is sanctioned"
    assert round2.signoffs.filter(decision="pending").count() == 6

    events = list(use_case.events.order_by("pk"))[-3:]
    assert [(e.verb, e.round.number, e.actor) for e in events] == [
        ("signed", 1, team["procurement"]),
        ("superseded", 1, None),
        ("submitted", 2, None),
    ]
    superseded = events[1]
    assert superseded.data["reason"] == "Registry facts changed since submission: vendor Moonshot clear → sanctioned"
    assert superseded.data["changes"] == [
        {"fact": "vendor sanctions status", "was": "clear", "now": "sanctioned", "of": "Moonshot"}
    ]
    assert superseded.data["next_round"] == 2
    assert events[2].data["functions"] == [*ALWAYS, "compliance", "executive"]
    assert not ApprovalEvent.objects.filter(verb__in=["approved", "approved_with_conditions"]).exists()

    assert subjects(alice)[-1] == f"{use_case.reference} re-routed to round 2: registry facts changed"
    assert subjects(team["compliance"]) == [f"{use_case.reference} needs the Compliance sign-off"]
    assert subjects(team["legal"])[-1] == f"{use_case.reference} needs the Legal sign-off"


def test_the_new_round_is_approved_once_compliance_signs_it(alice, team, vendor, kimi):
    use_case = complete_use_case(alice, primary_model=kimi)
    round1 = submit(use_case)
    three_of_four_signed(round1, team)
    sanction(vendor)
    sign(round1, "procurement", team["procurement"])

    round2 = use_case.rounds.get(number=2)
    approve_all(round2, team)

    use_case.refresh_from_db()
    round2.refresh_from_db()
    assert use_case.status == UseCase.Status.APPROVED
    assert round2.status == ApprovalRequest.Status.APPROVED
    assert round2.signoffs.get(function="compliance").signed_by == team["compliance"]


@pytest.mark.parametrize(
    ("field", "value", "fact"),
    [
        ("version", "Kimi-K2-0905", "model Kimi version Kimi-K2 → Kimi-K2-0905"),
        ("licence_name", "Modified MIT", "model Kimi licence Apache-2.0 → Modified MIT"),
        ("licence_restrictions", "No use above 100M users", "model Kimi licence restrictions changed"),
    ],
)
def test_a_model_fact_changed_during_review_reroutes_the_last_approval(alice, team, kimi, field, value, fact):
    use_case = complete_use_case(alice, primary_model=kimi)
    round1 = submit(use_case)
    three_of_four_signed(round1, team)
    AIModel.objects.filter(pk=kimi.pk).update(**{field: value})

    sign(round1, "procurement", team["procurement"])

    round1.refresh_from_db()
    assert round1.status == ApprovalRequest.Status.SUPERSEDED
    assert round1.closed_reason == f"Registry facts changed since submission: {fact}"
    round2 = use_case.rounds.get(number=2)
    assert round2.snapshot["model"][field] == value
    assert round2.required_functions == ALWAYS  # the vendor is still clear: no compliance
    assert UseCase.objects.get(pk=use_case.pk).status == UseCase.Status.IN_REVIEW
    assert use_case.events.filter(verb="superseded", round=round1).count() == 1


def test_a_model_moved_to_another_vendor_reroutes_the_last_approval(alice, team, kimi):
    use_case = complete_use_case(alice, primary_model=kimi)
    round1 = submit(use_case)
    three_of_four_signed(round1, team)
    AIModel.objects.filter(pk=kimi.pk).update(
        vendor=VendorFactory(name="Shell Co", sanctions_status=Vendor.SanctionsStatus.RESTRICTED)
    )

    sign(round1, "procurement", team["procurement"])

    round1.refresh_from_db()
    assert round1.status == ApprovalRequest.Status.SUPERSEDED
    assert round1.closed_reason == "Registry facts changed since submission: model Kimi vendor Moonshot → Shell Co"
    assert use_case.rounds.get(number=2).required_functions == [*ALWAYS, "compliance"]


def test_unchanged_facts_are_approved_as_before(alice, team, vendor, kimi):
    use_case = complete_use_case(alice, primary_model=kimi)
    round1 = submit(use_case)
    three_of_four_signed(round1, team)
    # Facts that neither route nor bound the approval may change.
    Vendor.objects.filter(pk=vendor.pk).update(data_retention="30 days")
    AIModel.objects.filter(pk=kimi.pk).update(languages="zh, en")

    sign(round1, "procurement", team["procurement"])

    use_case.refresh_from_db()
    round1.refresh_from_db()
    assert use_case.status == UseCase.Status.APPROVED
    assert round1.status == ApprovalRequest.Status.APPROVED
    assert round1.expires_on is not None
    assert use_case.rounds.count() == 1
    assert not use_case.events.filter(verb="superseded").exists()


def test_a_reject_on_changed_facts_still_rejects(alice, team, vendor, kimi):
    use_case = complete_use_case(alice, primary_model=kimi)
    round1 = submit(use_case)
    three_of_four_signed(round1, team)
    sanction(vendor)

    sign(round1, "procurement", team["procurement"], "reject", comment="Not this vendor.")

    round1.refresh_from_db()
    assert round1.status == ApprovalRequest.Status.REJECTED
    assert use_case.rounds.count() == 1


def test_an_earlier_approval_on_changed_facts_waits_for_the_last(alice, team, vendor, kimi):
    """Only settling the round re-reads the registry: a sign-off before the last changes nothing yet."""
    use_case = complete_use_case(alice, primary_model=kimi)
    round1 = submit(use_case)
    sanction(vendor)
    sign(round1, "legal", team["legal"])
    round1.refresh_from_db()
    assert round1.status == ApprovalRequest.Status.IN_REVIEW
    assert use_case.rounds.count() == 1


# The registry's announcement


def registry_change(instance, user, *changed, capture):
    with capture(execute=True):
        registry_save(instance, user=user, reason="Registry review", changed=changed)


@pytest.mark.usefixtures("celery_eager")
def test_a_sanctioned_vendor_reroutes_its_rounds_in_review(
    alice, team, vendor, kimi, governance_admin, django_capture_on_commit_callbacks
):
    in_review = complete_use_case(alice, primary_model=kimi)
    round1 = submit(in_review)
    sign(round1, "legal", team["legal"])
    other = complete_use_case(alice)
    submit(other)

    vendor.sanctions_status = Vendor.SanctionsStatus.SANCTIONED
    registry_change(vendor, governance_admin, "sanctions_status", capture=django_capture_on_commit_callbacks)

    round1.refresh_from_db()
    assert round1.status == ApprovalRequest.Status.SUPERSEDED
    assert round1.signoffs.get(function="legal").decision == "approve"  # kept in the old round
    round2 = in_review.rounds.get(number=2)
    assert round2.required_functions == [*ALWAYS, "compliance", "executive"]
    event = in_review.events.get(verb="superseded")
    assert (event.round, event.actor) == (round1, None)
    assert event.data["reason"] == "Registry facts changed since submission: vendor Moonshot clear → sanctioned"
    assert other.rounds.get().status == ApprovalRequest.Status.IN_REVIEW

    # Running the announcement again (a retried task) changes nothing more.
    assert approvals_suspend_dependents(vendor_id=vendor.pk, reason="Vendor Moonshot is now sanctioned") == 0
    assert in_review.rounds.count() == 2
    assert in_review.events.filter(verb="superseded").count() == 1


@pytest.mark.usefixtures("celery_eager")
def test_a_vendor_put_under_review_reroutes_rounds_in_review_but_keeps_approvals(
    alice, team, vendor, kimi, governance_admin, django_capture_on_commit_callbacks
):
    in_review = complete_use_case(alice, primary_model=kimi)
    round1 = submit(in_review)
    approved = complete_use_case(alice, primary_model=kimi)
    approve_all(submit(approved), team)

    vendor.sanctions_status = Vendor.SanctionsStatus.UNDER_REVIEW
    registry_change(vendor, governance_admin, "sanctions_status", capture=django_capture_on_commit_callbacks)

    round1.refresh_from_db()
    assert round1.status == ApprovalRequest.Status.SUPERSEDED
    assert in_review.rounds.get(number=2).snapshot["model"]["vendor"]["sanctions_status"] == "under_review"
    approved.refresh_from_db()
    assert approved.status == UseCase.Status.APPROVED


@pytest.mark.usefixtures("celery_eager")
def test_a_model_version_change_reroutes_its_rounds_in_review(
    alice, team, kimi, governance_admin, django_capture_on_commit_callbacks
):
    use_case = complete_use_case(alice, primary_model=kimi)
    round1 = submit(use_case)

    kimi.version = "Kimi-K2-0905"
    registry_change(kimi, governance_admin, "version", capture=django_capture_on_commit_callbacks)

    round1.refresh_from_db()
    assert round1.status == ApprovalRequest.Status.SUPERSEDED
    assert use_case.rounds.get(number=2).snapshot["model"]["version"] == "Kimi-K2-0905"
    assert approvals_suspend_dependents(model_id=kimi.pk, reason="Kimi: version changed") == 0


# The hourly sweep


def test_the_stale_sweep_reroutes_a_round_in_review_whose_announcement_was_lost(alice, team, vendor, kimi):
    use_case = complete_use_case(alice, primary_model=kimi)
    round1 = submit(use_case)
    untouched = complete_use_case(alice)
    submit(untouched)
    sanction(vendor)

    assert approvals_suspend_stale() == 1
    round1.refresh_from_db()
    assert round1.status == ApprovalRequest.Status.SUPERSEDED
    assert use_case.rounds.get(number=2).required_functions == [*ALWAYS, "compliance", "executive"]
    assert use_case.events.get(verb="superseded").actor is None
    assert untouched.rounds.get().status == ApprovalRequest.Status.IN_REVIEW
    assert approvals_suspend_stale() == 0  # once


def test_the_stale_sweep_suspends_approvals_and_reroutes_reviews_together(alice, team, vendor, kimi):
    approved = complete_use_case(alice, primary_model=kimi)
    approve_all(submit(approved), team)
    in_review = complete_use_case(alice, primary_model=kimi)
    submit(in_review)
    sanction(vendor)

    assert approvals_suspend_stale() == 2
    approved.refresh_from_db()
    in_review.refresh_from_db()
    assert approved.status == UseCase.Status.SUSPENDED
    assert in_review.status == UseCase.Status.IN_REVIEW
    assert in_review.rounds.first().number == 2
    assert approvals_suspend_stale() == 0


def test_a_superseded_round_whose_request_is_no_longer_complete_goes_back_to_its_owners(alice, team, kimi):
    use_case = complete_use_case(alice, primary_model=kimi)
    round1 = submit(use_case)
    AIModel.objects.filter(pk=kimi.pk).update(version="Kimi-K3", lifecycle=AIModel.Lifecycle.RETIRED)

    assert approvals_suspend_stale() == 1

    use_case.refresh_from_db()
    round1.refresh_from_db()
    assert round1.status == ApprovalRequest.Status.SUPERSEDED
    assert use_case.status == UseCase.Status.CHANGES_REQUESTED
    assert use_case.rounds.count() == 1
    event = use_case.events.get(verb="superseded")
    assert event.data["next_round"] is None
    assert event.data["gaps"] == ["Kimi (Kimi-K3) is retired: choose another model."]
    assert subjects(alice)[-1] == f"{use_case.reference} returned to its owners: registry facts changed"
    [request] = owner_requests(alice)
    assert [(a.who, a.what) for a in awaited(request)] == [
        ("You", f"update the request ({round1.closed_reason}), then resubmit")
    ]
