"""`use_case_submit`: completeness, the frozen snapshot, routing, the event and the notifications."""

import pytest
from django.contrib.auth.models import Group
from django.core.exceptions import ValidationError

from approvals.completeness import current_template
from approvals.models import ApprovalEvent, ApprovalRequest, Notification
from approvals.services import SubmissionIncomplete, WorkflowRefused, use_case_submit
from approvals.snapshot import snapshot_sha256
from checklist.models import Answer, ChecklistItem, ChecklistSection, ChecklistTemplate
from governance.failure_modes import FailureMode
from governance.models import UseCase
from governance.roles import Role
from governance.services import use_case_update
from tests.approvals.workflow import ALWAYS, business_items, complete_use_case, person, sign, subjects, submit
from tests.factories import UseCaseFactory

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("fast_passwords")]

BUSINESS_CODES = ["GOV-1", "GOV-4", "DATA-1", "SEC-3", "SEC-5", "OPS-2", "OPS-3"]


def test_it_creates_round_one_in_review(alice, team):
    use_case = complete_use_case(alice)
    round = use_case_submit(use_case=use_case, user=alice)
    assert round.number == 1
    assert round.status == ApprovalRequest.Status.IN_REVIEW
    assert round.submitted_by == alice
    assert round.submitted_at is not None
    assert round.highest_residual == 6
    use_case.refresh_from_db()
    assert use_case.status == UseCase.Status.IN_REVIEW


def test_it_freezes_a_snapshot_whose_sha256_is_stored(alice, team):
    use_case = complete_use_case(alice, title="Ticket summaries")
    round = submit(use_case)
    round = ApprovalRequest.objects.get(pk=round.pk)  # as stored, through the database's JSON
    assert len(round.snapshot_sha256) == 64
    assert snapshot_sha256(round.snapshot) == round.snapshot_sha256
    assert round.snapshot["use_case"]["title"] == "Ticket summaries"
    assert round.snapshot["use_case"]["reference"] == use_case.reference
    assert [a["code"] for a in round.snapshot["checklist"]["answers"]] == BUSINESS_CODES
    assert [r["title"] for r in round.snapshot["risks"]] == ["Customer data leaks into prompts"]
    assert [c["slug"] for c in round.snapshot["data_categories"]] == ["customer-records"]
    assert round.snapshot["model"]["version"] == use_case.primary_model.version


def test_the_snapshot_does_not_follow_later_edits(alice, team):
    use_case = complete_use_case(alice, title="Before")
    round = submit(use_case)
    sign(round, "legal", team["legal"], "request_changes", comment="Narrow the purpose.")
    use_case_update(use_case=use_case, user=alice, title="After")
    round.refresh_from_db()
    assert round.snapshot["use_case"]["title"] == "Before"
    assert snapshot_sha256(round.snapshot) == round.snapshot_sha256


def test_it_freezes_the_checklist_version_current_at_submission(alice, team):
    use_case = complete_use_case(alice)
    assert submit(use_case).checklist_template == current_template()
    sign(use_case.rounds.get(), "legal", team["legal"], "request_changes", comment="More detail.")

    # A version 2 is published with one more business item; the next round is evaluated against it.
    v2 = ChecklistTemplate.objects.create(version=2, title="Checklist v2", published_at=current_template().published_at)
    section = ChecklistSection.objects.create(template=v2, position=1, title="Governance")
    item = ChecklistItem.objects.create(
        section=section, position=1, code="GOV-9", text="New?", owner_function="business"
    )
    with pytest.raises(SubmissionIncomplete) as error:
        submit(use_case)
    assert [g.anchor for g in error.value.gaps] == ["checklist-GOV-9"]
    Answer.objects.create(use_case=use_case, item=item, response="yes", answered_by=alice)
    round2 = submit(use_case)
    assert round2.checklist_template == v2
    assert use_case.rounds.get(number=1).checklist_template.version == 1
    assert round2.snapshot["checklist"]["version"] == 2


def test_it_makes_one_pending_signoff_per_routed_function(alice, team):
    round = submit(complete_use_case(alice))
    signoffs = list(round.signoffs.order_by("pk"))
    assert [s.function for s in signoffs] == ALWAYS
    assert all(s.is_pending and s.signed_by is None for s in signoffs)
    assert [r["function"] for r in round.routing] == ALWAYS


def test_it_records_a_submitted_event(alice, team):
    round = submit(complete_use_case(alice))
    event = ApprovalEvent.objects.get()
    assert event.verb == ApprovalEvent.Verb.SUBMITTED
    assert event.actor == alice
    assert event.round == round
    assert event.data["snapshot_sha256"] == round.snapshot_sha256
    assert event.data["functions"] == ALWAYS
    assert event.data["checklist_version"] == 1


def test_it_notifies_the_members_of_each_routed_function(alice, team):
    second_lawyer = person("larry", "Legal reviewers")
    use_case = complete_use_case(alice)
    submit(use_case)
    for function, label in zip(ALWAYS, ["Legal", "Privacy", "Security", "Procurement"], strict=True):
        assert subjects(team[function]) == [f"{use_case.reference} needs the {label} sign-off"]
    assert subjects(second_lawyer) == [f"{use_case.reference} needs the Legal sign-off"]
    assert subjects(team["compliance"]) == []
    assert subjects(team["executive"]) == []
    assert subjects(alice) == []
    assert Notification.objects.filter(sent_at__isnull=True).count() == 5


def test_it_makes_the_use_case_read_only(alice, team):
    use_case = complete_use_case(alice)
    submit(use_case)
    with pytest.raises(ValidationError, match="in review and cannot be edited"):
        use_case_update(use_case=use_case, user=alice, title="Sneaky edit")
    use_case.refresh_from_db()
    assert use_case.title != "Sneaky edit"


def test_it_names_every_gap_in_one_error(alice):
    use_case = UseCaseFactory(user=alice, tool_use=True)
    with pytest.raises(SubmissionIncomplete) as error:
        submit(use_case)
    anchors = [g.anchor for g in error.value.gaps]
    assert anchors == [
        "approved_purpose",
        "prohibited_uses",
        "department",
        "log_contents",
        "log_location",
        "log_access",
        "log_retention_days",
        "log_prompt_protection",
        "log_retrieval_sources",
        "log_tool_execution",
        "log_exceptions",
        "data_categories",
        "fallback_models",
        "tool_use_detail",
        "risks",
        *[f"failure-mode-{mode}" for mode in FailureMode.values],
        *[f"checklist-{code}" for code in BUSINESS_CODES],
    ]
    assert len(error.value.messages) == len(anchors)
    assert "Record at least one risk." in error.value.messages
    assert not ApprovalRequest.objects.exists()
    use_case.refresh_from_db()
    assert use_case.status == UseCase.Status.DRAFT


@pytest.mark.parametrize(
    ("field", "message"),
    [
        ("log_prompt_protection", "Say how sensitive prompts are protected."),
        ("log_retrieval_sources", "Say how retrieval sources are tracked."),
        ("log_tool_execution", "Say how tool execution is recorded (write “No tools” if none are enabled)."),
        ("log_exceptions", "Say how exceptions are approved."),
    ],
)
def test_it_names_each_missing_logging_point(alice, team, field, message):
    use_case = complete_use_case(alice, **{field: "   "})
    with pytest.raises(SubmissionIncomplete) as error:
        submit(use_case)
    assert [(g.anchor, g.message) for g in error.value.gaps] == [(field, message)]


def test_a_request_without_tools_submits_when_it_says_no_tools(alice, team):
    use_case = complete_use_case(alice, tool_use=False, log_tool_execution="No tools: tool use is off.")
    round = submit(use_case)
    assert round.snapshot["use_case"]["logging"]["tool_execution"] == "No tools: tool use is off."


def test_a_request_with_tools_cannot_say_no_tools(alice, team):
    use_case = complete_use_case(
        alice, tool_use=True, tool_use_detail="Ticket lookup", log_tool_execution="No tools: tool use is off."
    )
    with pytest.raises(SubmissionIncomplete) as error:
        submit(use_case)
    assert [(g.anchor, g.message) for g in error.value.gaps] == [
        ("log_tool_execution", "Tools are enabled: say how each tool call is recorded.")
    ]


def test_it_names_a_single_missing_answer(alice):
    use_case = complete_use_case(alice)
    Answer.objects.filter(use_case=use_case, item__code="OPS-3").delete()
    with pytest.raises(SubmissionIncomplete) as error:
        submit(use_case)
    assert [g.anchor for g in error.value.gaps] == ["checklist-OPS-3"]
    assert "OPS-3" in error.value.messages[0]


def test_it_needs_a_risk(alice):
    with pytest.raises(SubmissionIncomplete) as error:
        submit(complete_use_case(alice, residual=None))
    assert [g.anchor for g in error.value.gaps] == ["risks"]


def test_it_needs_a_fallback_model_or_a_reason(alice, team):
    with pytest.raises(SubmissionIncomplete) as error:
        submit(complete_use_case(alice, fallback_models=[]))
    assert [g.anchor for g in error.value.gaps] == ["fallback_models"]

    no_fallback = complete_use_case(alice, fallback_models=[], no_fallback_reason="Advisory only; agents work without.")
    assert submit(no_fallback).number == 1


def test_it_refuses_a_non_owner(alice, charlie, team):
    use_case = complete_use_case(alice)
    for outsider in (charlie, team["security"]):
        with pytest.raises(WorkflowRefused, match="Only the owners"):
            use_case_submit(use_case=use_case, user=outsider)
    assert not ApprovalRequest.objects.exists()
    assert not ApprovalEvent.objects.exists()


def test_it_refuses_a_non_owner_before_naming_gaps(alice, charlie):
    with pytest.raises(WorkflowRefused):
        use_case_submit(use_case=UseCaseFactory(user=alice), user=charlie)


def test_it_refuses_a_use_case_already_in_review(alice, team):
    use_case = complete_use_case(alice)
    submit(use_case)
    with pytest.raises(WorkflowRefused, match="in review cannot be submitted"):
        submit(use_case)
    assert use_case.rounds.count() == 1


def test_it_refuses_a_rejected_use_case(alice, team):
    use_case = complete_use_case(alice)
    sign(submit(use_case), "legal", team["legal"], "reject", comment="Not for customer data.")
    with pytest.raises(WorkflowRefused, match="rejected cannot be submitted"):
        submit(use_case)
    assert use_case.rounds.count() == 1


def test_every_technical_or_risk_owner_may_submit(alice, team):
    tess = person("tess")
    use_case = complete_use_case(alice, technical_owner=tess)
    round = use_case_submit(use_case=use_case, user=tess)
    assert round.submitted_by == tess


def test_the_business_item_helper_matches_the_template(db):
    assert [item.code for item in business_items()] == BUSINESS_CODES


def test_owners_who_are_also_reviewers_are_not_asked_to_sign_their_own_request(alice, team):
    alice.groups.add(Group.objects.get(name=Role.LEGAL))
    submit(complete_use_case(alice))
    assert not Notification.objects.filter(recipient=alice).exists()
    assert Notification.objects.filter(recipient=team["legal"]).exists()
