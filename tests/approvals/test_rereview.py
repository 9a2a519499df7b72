"""Re-review: a material change to an approved request, or to the model or vendor it relies on, suspends
the approval; an owner's material edit opens the next round at once."""

import pytest
from django.core.exceptions import ValidationError
from django.db import models

from approvals.models import ApprovalRequest
from approvals.services import SubmissionIncomplete, WorkflowRefused, material_changes, use_case_edit
from approvals.sweeps import approvals_suspend_stale
from governance.models import AIModel, UseCase, Vendor
from governance.services import registry_save
from tests.approvals.workflow import approved_use_case, complete_use_case, subjects, submit
from tests.factories import AIModelFactory, VendorFactory, data_category

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("fast_passwords")]

# Edits that need more than a changed value; every other material field gets one from its type.
MATERIAL_EDITS = {
    "hosting_country": lambda: {"hosting_country": "FR"},
    "deployment_mode": lambda: {"deployment_mode": UseCase.DeploymentMode.HOSTED_API},
    "primary_model": lambda: {"primary_model": AIModelFactory(name="Successor")},
    "fallback_models": lambda: {"fallback_models": [AIModelFactory(name="Another fallback")]},
    "data_categories": lambda: {"data_categories": [data_category("customer-records"), data_category("source-code")]},
    "approved_purpose": lambda: {"approved_purpose": "Any purpose."},
    "prohibited_uses": lambda: {"prohibited_uses": "None."},
    "autonomy": lambda: {"autonomy": UseCase.Autonomy.AUTONOMOUS},
    "eu_ai_act_class": lambda: {"eu_ai_act_class": "limited"},
    # An area belongs to a high-risk use: the class changes with it.
    "annex_iii_area": lambda: {"eu_ai_act_class": "high_risk", "annex_iii_area": "employment"},
    "tool_use": lambda: {
        "tool_use": True,
        "tool_use_detail": "Closes tickets on its own.",
        "log_tool_execution": "Every ticket the model closes is logged with its arguments",
    },
    "log_prompt_protection": lambda: {"log_prompt_protection": "Prompts are no longer masked"},
    "log_retrieval_sources": lambda: {"log_retrieval_sources": "Retrieval sources are not tracked any more"},
    "log_tool_execution": lambda: {"log_tool_execution": "No tools, and no record kept should that change"},
    "log_exceptions": lambda: {"log_exceptions": "Any engineer may switch logging off"},
}


def a_change_to(use_case: UseCase, name: str) -> dict:
    """Edit arguments that change the material field `name` of `use_case` and nothing else material."""
    if name in MATERIAL_EDITS:
        return MATERIAL_EDITS[name]()
    field = UseCase._meta.get_field(name)
    current = getattr(use_case, name)
    if field.choices:
        return {name: next(value for value, _ in field.choices if value != current)}
    if isinstance(field, models.BooleanField):
        return {name: not current}
    if isinstance(field, models.IntegerField):
        return {name: (current or 0) + 1}
    return {name: f"{current} (changed)"}


# An owner's edit


@pytest.mark.parametrize("field", UseCase.MATERIAL_FIELDS)
def test_a_material_edit_suspends_the_approval_and_opens_round_two(alice, team, field):
    use_case, round1 = approved_use_case(alice, team)
    edited = use_case_edit(use_case=use_case, user=alice, reason="Moving on", **a_change_to(use_case, field))

    assert edited.status == UseCase.Status.IN_REVIEW
    round1.refresh_from_db()
    assert round1.status == ApprovalRequest.Status.SUSPENDED
    assert round1.closed_reason.startswith("Material change: ")
    assert field in round1.closed_reason.removeprefix("Material change: ").split(", ")
    suspended = edited.events.get(verb="suspended")
    assert (suspended.round, suspended.actor, suspended.data["reason"]) == (round1, alice, round1.closed_reason)
    round2 = edited.rounds.get(number=2)
    assert round2.status == ApprovalRequest.Status.IN_REVIEW
    assert round2.submitted_by == alice
    assert round2.snapshot_sha256 != round1.snapshot_sha256
    assert round2.signoffs.filter(decision="pending").count() == len(round2.required_functions) >= 4
    assert list(edited.events.values_list("verb", flat=True))[-2:] == ["suspended", "submitted"]
    assert subjects(alice) == [
        f"{use_case.reference} approved",
        f"{use_case.reference} suspended: {round1.closed_reason}",
    ]
    assert subjects(team["legal"])[-1] == f"{use_case.reference} needs the Legal sign-off"


def test_the_approved_scope_cannot_be_widened_quietly(alice, team):
    """The finding: purpose to "any purpose", autonomous, tools on, nothing prohibited, and the approval stood."""
    use_case, round1 = approved_use_case(alice, team)
    widened = {
        "approved_purpose": "Any purpose.",
        "autonomy": UseCase.Autonomy.AUTONOMOUS,
        "tool_use": True,
        "tool_use_detail": "Any tool.",
        "log_tool_execution": "Tool calls are logged with their arguments",
    }
    # With nothing prohibited the request is no longer complete: nothing is saved, the approval stands.
    with pytest.raises(SubmissionIncomplete, match="prohibited uses"):
        use_case_edit(use_case=use_case, user=alice, reason="Broader use", prohibited_uses="", **widened)
    use_case.refresh_from_db()
    assert (use_case.status, use_case.approved_purpose) == (
        UseCase.Status.APPROVED,
        round1.snapshot["use_case"]["approved_purpose"],
    )

    edited = use_case_edit(use_case=use_case, user=alice, reason="Broader use", prohibited_uses="None.", **widened)
    round1.refresh_from_db()
    assert round1.status == ApprovalRequest.Status.SUSPENDED
    assert round1.closed_reason == (
        "Material change: approved_purpose, prohibited_uses, autonomy, tool_use, tool_use_detail, log_tool_execution"
    )
    assert edited.status == UseCase.Status.IN_REVIEW
    # Autonomy on customer records (confidential) now needs an executive too.
    assert edited.rounds.get(number=2).required_functions[-1] == "executive"


def test_material_changes_names_only_what_changes(alice, team):
    use_case, _ = approved_use_case(alice, team)
    same = {
        "title": "Another title",
        "approved_purpose": use_case.approved_purpose.replace("\n", "\r\n") + " ",  # as a browser posts it
        "primary_model": use_case.primary_model,
        "fallback_models": list(use_case.fallback_models.all()),
        "data_categories": list(use_case.data_categories.all()),
        "log_retention_days": use_case.log_retention_days,
    }
    assert material_changes(use_case=use_case, changes=same) == []
    assert material_changes(use_case=use_case, changes={**same, "log_retention_days": 30}) == ["log_retention_days"]


def test_a_material_edit_is_in_history_with_who_and_why(alice, team):
    use_case, _ = approved_use_case(alice, team)
    use_case_edit(use_case=use_case, user=alice, hosting_country="FR", reason="Paris data centre")
    reasons = list(
        use_case.history.order_by("history_date", "history_id").values_list("history_change_reason", "status")
    )
    assert reasons[-3:] == [
        ("Paris data centre", "approved"),
        ("Approval suspended: Material change: hosting_country", "suspended"),
        ("Re-submitted after a material change (round 2)", "in_review"),
    ]
    assert use_case.history.first().history_user == alice


def test_a_non_material_edit_keeps_the_approval_with_its_reason_in_the_history(alice, team):
    use_case, round1 = approved_use_case(alice, team)
    events = use_case.events.count()
    edited = use_case_edit(
        use_case=use_case,
        user=alice,
        reason="Typo in the title",
        title="Ticket summaries (EMEA)",
        department="Service desk EMEA",
        data_categories=list(use_case.data_categories.all()),  # the same categories
        fallback_models=list(use_case.fallback_models.all()),  # the same fallbacks
        hosting_country="DE",  # unchanged
    )
    assert edited.status == UseCase.Status.APPROVED
    assert (edited.title, edited.department) == ("Ticket summaries (EMEA)", "Service desk EMEA")
    round1.refresh_from_db()
    assert round1.status == ApprovalRequest.Status.APPROVED
    assert edited.rounds.count() == 1
    assert use_case.events.count() == events
    latest = edited.history.first()
    assert (latest.history_change_reason, latest.history_user, latest.title) == (
        "Typo in the title",
        alice,
        "Ticket summaries (EMEA)",
    )


def test_an_approved_request_changes_only_with_a_reason(alice, team):
    use_case, _ = approved_use_case(alice, team)
    with pytest.raises(ValidationError) as error:
        use_case_edit(use_case=use_case, user=alice, reason="  ", title="Quietly renamed")
    assert set(error.value.message_dict) == {"reason"}
    use_case.refresh_from_db()
    assert use_case.title != "Quietly renamed"


def test_an_incomplete_material_edit_changes_nothing(alice, team):
    use_case, round1 = approved_use_case(alice, team)
    retired = AIModelFactory(name="Old", lifecycle=AIModel.Lifecycle.RETIRED)
    with pytest.raises(SubmissionIncomplete) as error:
        use_case_edit(use_case=use_case, user=alice, primary_model=retired, reason="Back to the old model")
    assert [g.anchor for g in error.value.gaps] == ["primary_model"]
    use_case.refresh_from_db()
    round1.refresh_from_db()
    assert use_case.status == UseCase.Status.APPROVED
    assert use_case.primary_model != retired
    assert round1.status == ApprovalRequest.Status.APPROVED
    assert use_case.rounds.count() == 1


def test_only_an_owner_edits(alice, team, charlie):
    use_case, _ = approved_use_case(alice, team)
    for outsider in (charlie, team["legal"]):
        with pytest.raises(WorkflowRefused, match="Only the owners"):
            use_case_edit(use_case=use_case, user=outsider, hosting_country="FR")
    use_case.refresh_from_db()
    assert (use_case.status, use_case.hosting_country) == (UseCase.Status.APPROVED, "DE")


def test_a_request_in_review_cannot_be_edited(alice, team):
    use_case = complete_use_case(alice)
    submit(use_case)
    with pytest.raises(ValidationError, match="cannot be edited"):
        use_case_edit(use_case=use_case, user=alice, hosting_country="FR")
    assert use_case.rounds.count() == 1


def test_a_draft_edit_is_a_plain_edit(alice):
    use_case = complete_use_case(alice)
    edited = use_case_edit(use_case=use_case, user=alice, hosting_country="FR")
    assert (edited.status, edited.hosting_country) == (UseCase.Status.DRAFT, "FR")
    assert not edited.rounds.exists()


# A registry change


@pytest.fixture
def vendor():
    return VendorFactory(name="Moonshot")


def registry_change(instance, user, *changed, capture):
    with capture(execute=True):
        registry_save(instance, user=user, reason="Registry review", changed=changed)


@pytest.mark.usefixtures("celery_eager")
def test_a_sanctioned_vendor_suspends_every_approval_of_its_models(
    alice, charlie, team, vendor, governance_admin, django_capture_on_commit_callbacks
):
    kimi, kimi_small = AIModelFactory(vendor=vendor, name="Kimi"), AIModelFactory(vendor=vendor, name="Kimi small")
    first, _ = approved_use_case(alice, team, primary_model=kimi)
    second, _ = approved_use_case(charlie, team, primary_model=kimi_small)
    other, _ = approved_use_case(alice, team)
    draft = complete_use_case(alice, primary_model=kimi)

    vendor.sanctions_status = Vendor.SanctionsStatus.SANCTIONED
    registry_change(vendor, governance_admin, "sanctions_status", capture=django_capture_on_commit_callbacks)

    for use_case in (first, second):
        use_case.refresh_from_db()
        assert use_case.status == UseCase.Status.SUSPENDED
        round = use_case.rounds.get()
        assert round.status == ApprovalRequest.Status.SUSPENDED
        assert round.closed_reason == "Vendor Moonshot is now sanctioned"
        event = use_case.events.last()
        assert (event.verb, event.actor) == ("suspended", None)
        assert use_case.is_editable  # owners may fix and resubmit
    for untouched, status in ((other, UseCase.Status.APPROVED), (draft, UseCase.Status.DRAFT)):
        untouched.refresh_from_db()
        assert untouched.status == status
    assert subjects(alice).count(f"{first.reference} suspended: Vendor Moonshot is now sanctioned") == 1
    assert subjects(charlie)[-1] == f"{second.reference} suspended: Vendor Moonshot is now sanctioned"


@pytest.mark.usefixtures("celery_eager")
@pytest.mark.parametrize(("field", "value"), [("version", "Kimi-K2-0905"), ("licence_name", "Modified MIT")])
def test_a_model_version_or_licence_change_suspends_its_approvals(
    alice, team, vendor, governance_admin, django_capture_on_commit_callbacks, field, value
):
    model = AIModelFactory(vendor=vendor, name="Kimi")
    use_case, round = approved_use_case(alice, team, primary_model=model)
    setattr(model, field, value)
    registry_change(model, governance_admin, field, "languages", capture=django_capture_on_commit_callbacks)
    use_case.refresh_from_db()
    round.refresh_from_db()
    assert use_case.status == UseCase.Status.SUSPENDED
    assert round.closed_reason == f"Kimi: {field} changed"
    assert subjects(alice)[-1] == f"{use_case.reference} suspended: Kimi: {field} changed"


@pytest.mark.usefixtures("celery_eager")
def test_a_change_that_does_not_matter_keeps_the_approval(
    alice, team, vendor, governance_admin, django_capture_on_commit_callbacks
):
    model = AIModelFactory(vendor=vendor)
    use_case, _ = approved_use_case(alice, team, primary_model=model)
    model.languages = "zh, en"
    registry_change(model, governance_admin, "languages", capture=django_capture_on_commit_callbacks)
    use_case.refresh_from_db()
    assert use_case.status == UseCase.Status.APPROVED


@pytest.mark.usefixtures("celery_eager")
def test_a_vendor_under_review_keeps_the_approval(
    alice, team, vendor, governance_admin, django_capture_on_commit_callbacks
):
    use_case, _ = approved_use_case(alice, team, primary_model=AIModelFactory(vendor=vendor))
    vendor.sanctions_status = Vendor.SanctionsStatus.UNDER_REVIEW
    registry_change(vendor, governance_admin, "sanctions_status", capture=django_capture_on_commit_callbacks)
    use_case.refresh_from_db()
    assert use_case.status == UseCase.Status.APPROVED
    assert use_case.rounds.get().status == ApprovalRequest.Status.APPROVED


def test_a_registry_change_waits_for_its_commit(
    alice, team, vendor, governance_admin, django_capture_on_commit_callbacks
):
    use_case, _ = approved_use_case(alice, team, primary_model=AIModelFactory(vendor=vendor))
    vendor.sanctions_status = Vendor.SanctionsStatus.RESTRICTED
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        registry_save(vendor, user=governance_admin, changed=["sanctions_status"])
    assert len(callbacks) == 1
    use_case.refresh_from_db()
    assert use_case.status == UseCase.Status.APPROVED  # nothing happens unless the change commits


# The sweep that finds lost announcements


def test_the_stale_sweep_catches_a_version_change_whose_signal_was_lost(alice, team):
    model = AIModelFactory(name="Qwen")
    use_case, round = approved_use_case(alice, team, primary_model=model)
    fresh, _ = approved_use_case(alice, team)
    AIModel.objects.filter(pk=model.pk).update(version="Qwen-2026-06")  # no signal

    assert approvals_suspend_stale() == 1
    use_case.refresh_from_db()
    round.refresh_from_db()
    assert use_case.status == UseCase.Status.SUSPENDED
    assert round.closed_reason == "Qwen: version changed"
    fresh.refresh_from_db()
    assert fresh.status == UseCase.Status.APPROVED
    assert subjects(alice)[-1] == f"{use_case.reference} suspended: Qwen: version changed"
    assert approvals_suspend_stale() == 0  # once


def test_the_stale_sweep_catches_a_vendor_turned_restricted(alice, team, vendor):
    use_case, _ = approved_use_case(alice, team, primary_model=AIModelFactory(vendor=vendor))
    Vendor.objects.filter(pk=vendor.pk).update(sanctions_status=Vendor.SanctionsStatus.RESTRICTED)
    assert approvals_suspend_stale() == 1
    use_case.refresh_from_db()
    assert use_case.status == UseCase.Status.SUSPENDED
    assert use_case.rounds.get().closed_reason == "Vendor Moonshot is now restricted"


def test_the_stale_sweep_leaves_a_vendor_under_review_alone(alice, team, vendor):
    use_case, _ = approved_use_case(alice, team, primary_model=AIModelFactory(vendor=vendor))
    Vendor.objects.filter(pk=vendor.pk).update(sanctions_status=Vendor.SanctionsStatus.UNDER_REVIEW)
    assert approvals_suspend_stale() == 0
    use_case.refresh_from_db()
    assert use_case.status == UseCase.Status.APPROVED


def test_a_suspended_request_is_submitted_again_by_its_owner(alice, team):
    model = AIModelFactory(name="Qwen")
    use_case, round1 = approved_use_case(alice, team, primary_model=model)
    AIModel.objects.filter(pk=model.pk).update(version="Qwen-2026-06")
    approvals_suspend_stale()
    round2 = submit(use_case)
    assert round2.number == 2
    assert round2.snapshot["model"]["version"] == "Qwen-2026-06"
    round1.refresh_from_db()
    assert round1.status == ApprovalRequest.Status.SUSPENDED
