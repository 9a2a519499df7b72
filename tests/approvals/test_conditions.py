"""Conditions of an approval as obligations: set with owners and due dates, reported met with evidence and
confirmed by the function that set them, returned, waived, reminded, overdue, and suspending the approval
the day after their due date where the setter chose so (once, however often the sweep runs)."""

from datetime import timedelta

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from approvals.conditions import (
    ConditionSpec,
    condition_claim_met,
    condition_confirm,
    condition_return,
    condition_waive,
    conditions_sweep,
)
from approvals.models import ApprovalEvent, ApprovalRequest, Condition, SuspensionCause
from approvals.services import WorkflowRefused, signoff_decide
from governance.models import UseCase
from governance.roles import Role
from tests.approvals.workflow import answer_items, complete_use_case, person, sign, subjects, submit

pytestmark = pytest.mark.django_db

EVIDENCE = "https://tickets.example.com/SEC-1234"


@pytest.fixture
def approved(alice, team):
    """Legal approves with two conditions, one of which suspends the approval if missed; the rest approve."""
    use_case = complete_use_case(alice)
    round = submit(use_case)
    answer_items(round, "legal", team["legal"])
    today = timezone.localdate()
    specs = [
        ConditionSpec("Retention clause signed by the vendor", alice, today + timedelta(days=10)),
        ConditionSpec("Red-team re-test after the upgrade", alice, today + timedelta(days=20), suspend_if_not_met=True),
    ]
    signoff_decide(
        signoff=round.signoffs.get(function="legal"),
        user=team["legal"],
        decision="approve_with_conditions",
        comment="Two obligations first.",
        condition_specs=specs,
    )
    for function in round.required_functions:
        if function != "legal":
            sign(round, function, team[function])
    round.refresh_from_db()
    assert round.status == ApprovalRequest.Status.APPROVED_WITH_CONDITIONS
    return round


def conditions_of(round) -> list[Condition]:
    return list(Condition.objects.filter(round=round).order_by("due_on"))


def test_approving_with_conditions_sets_each_with_its_owner_and_due_date(approved, alice):
    retention, retest = conditions_of(approved)
    assert (retention.function, retention.owner, retention.status) == ("legal", alice, "open")
    assert retention.due_on == timezone.localdate() + timedelta(days=10)
    assert (retention.suspend_if_not_met, retest.suspend_if_not_met) == (False, True)
    text = approved.signoffs.get(function="legal").conditions
    assert "1. Retention clause signed by the vendor (owner: Alice" in text
    assert "suspends the approval if not met" in text


@pytest.mark.parametrize(
    ("spec", "message"),
    [
        ({"owner": "bob"}, "one of the use case's owners"),
        ({"days": 0}, "due after today"),
        ({"description": "  "}, "Describe each condition."),
    ],
)
def test_a_condition_needs_an_owner_on_the_use_case_a_future_date_and_words(alice, team, spec, message):
    round = submit(complete_use_case(alice))
    answer_items(round, "legal", team["legal"])
    owner = team["security"] if spec.get("owner") else alice
    due = timezone.localdate() + timedelta(days=spec.get("days", 5))
    condition = ConditionSpec(spec.get("description", "Sign the DPA"), owner, due)
    with pytest.raises(ValidationError) as refused:
        signoff_decide(
            signoff=round.signoffs.get(function="legal"),
            user=team["legal"],
            decision="approve_with_conditions",
            comment="See conditions.",
            condition_specs=[condition],
        )
    assert message in str(refused.value)
    assert not Condition.objects.exists()
    assert round.signoffs.get(function="legal").is_pending


def test_the_owner_reports_met_and_the_function_confirms(approved, alice, team):
    retention, _ = conditions_of(approved)
    condition_claim_met(condition=retention, user=alice, link=EVIDENCE, note="Signed on the 3rd.")
    retention.refresh_from_db()
    assert (retention.status, retention.evidence_link, retention.claimed_by) == ("claimed", EVIDENCE, alice)
    assert any("reported met" in s for s in subjects(team["legal"]))

    condition_confirm(condition=retention, user=team["legal"])
    retention.refresh_from_db()
    assert (retention.status, retention.closed_by) == ("met", team["legal"])
    verbs = list(ApprovalEvent.objects.filter(round=approved).values_list("verb", flat=True))
    assert verbs[-2:] == ["condition_claimed", "condition_met"]
    assert "condition confirmed met" in " ".join(subjects(alice))


def test_evidence_can_be_a_file_kept_with_its_hash(approved, alice):
    retention, _ = conditions_of(approved)
    upload = SimpleUploadedFile("signed.pdf", b"%PDF-1.4\n1 0 obj\n<<>>\nendobj\ntrailer\n<<>>\n%%EOF\n")
    condition_claim_met(condition=retention, user=alice, upload=upload)
    retention.refresh_from_db()
    assert retention.evidence_file.name.startswith(f"conditions/{approved.use_case.reference}/{retention.pk}/")
    assert len(retention.evidence_sha256) == 64


def test_reporting_met_needs_evidence_and_the_right_person(approved, alice, team):
    retention, _ = conditions_of(approved)
    with pytest.raises(ValidationError, match="link, a file"):
        condition_claim_met(condition=retention, user=alice)
    with pytest.raises(ValidationError, match="full web address"):
        condition_claim_met(condition=retention, user=alice, link="javascript:alert(1)")
    with pytest.raises(WorkflowRefused):
        condition_claim_met(condition=retention, user=team["legal"], link=EVIDENCE)
    retention.refresh_from_db()
    assert retention.status == "open"


def test_only_another_member_of_the_setting_function_confirms(approved, alice, team):
    retention, _ = conditions_of(approved)
    with pytest.raises(WorkflowRefused):  # nothing reported yet
        condition_confirm(condition=retention, user=team["legal"])
    condition_claim_met(condition=retention, user=alice, link=EVIDENCE)
    for wrong in (alice, team["security"], team["executive"]):
        with pytest.raises(WorkflowRefused):
            condition_confirm(condition=retention, user=wrong)
    retention.refresh_from_db()
    assert retention.status == "claimed"


def test_returned_evidence_opens_the_condition_again_with_why(approved, alice, team):
    retention, _ = conditions_of(approved)
    condition_claim_met(condition=retention, user=alice, link=EVIDENCE)
    with pytest.raises(ValidationError):
        condition_return(condition=retention, user=team["legal"], reason=" ")
    condition_return(condition=retention, user=team["legal"], reason="The clause is unsigned.")
    retention.refresh_from_db()
    assert (retention.status, retention.closing_note) == ("open", "The clause is unsigned.")


def test_the_function_waives_with_a_reason(approved, team, alice):
    _, retest = conditions_of(approved)
    with pytest.raises(ValidationError):
        condition_waive(condition=retest, user=team["legal"], reason="")
    with pytest.raises(WorkflowRefused):
        condition_waive(condition=retest, user=alice, reason="Not needed.")
    condition_waive(condition=retest, user=team["legal"], reason="The upgrade was cancelled.")
    retest.refresh_from_db()
    assert (retest.status, retest.closing_note, retest.closed_by) == (
        "waived",
        "The upgrade was cancelled.",
        team["legal"],
    )


def test_the_sweep_reminds_once_then_marks_overdue_once_and_suspends_where_chosen(approved, alice, team):
    retention, retest = conditions_of(approved)
    today = timezone.localdate()
    assert conditions_sweep(today=today + timedelta(days=5)) == (1, 0, 0)  # the retention clause, due in 10 days
    assert conditions_sweep(today=today + timedelta(days=5)) == (0, 0, 0)
    assert sum("is due on" in s for s in subjects(alice)) == 1

    # The day after the retention clause's date: overdue, told, not suspending.
    assert conditions_sweep(today=today + timedelta(days=11)) == (0, 1, 0)
    assert UseCase.objects.get(pk=approved.use_case_id).status == "approved_with_conditions"
    # The day after the re-test's date: overdue and the approval suspended, with its cause.
    assert conditions_sweep(today=today + timedelta(days=21)) == (0, 1, 1)
    use_case = UseCase.objects.get(pk=approved.use_case_id)
    assert use_case.status == "suspended"
    suspension = ApprovalEvent.objects.get(use_case=use_case, verb="suspended")
    assert suspension.data["cause"] == SuspensionCause.CONDITION_NOT_MET
    assert "Red-team re-test after the upgrade" in suspension.data["reason"]
    assert ApprovalEvent.objects.filter(round=approved, verb="condition_overdue").count() == 2
    # Again: nothing more happens.
    assert conditions_sweep(today=today + timedelta(days=22)) == (0, 0, 0)
    assert ApprovalEvent.objects.filter(use_case=use_case, verb="suspended").count() == 1


def test_a_condition_reported_met_is_neither_reminded_nor_overdue(approved, alice):
    retention, retest = conditions_of(approved)
    for condition in (retention, retest):
        condition_claim_met(condition=condition, user=alice, link=EVIDENCE)
    assert conditions_sweep(today=timezone.localdate() + timedelta(days=30)) == (0, 0, 0)
    assert UseCase.objects.get(pk=approved.use_case_id).status == "approved_with_conditions"


def test_a_text_condition_from_the_services_gets_the_business_owner_and_the_default_date(alice, team, settings):
    settings.CLEARANCE_CONDITION_DAYS = 45
    round = submit(complete_use_case(alice))
    sign(round, "legal", team["legal"], "approve_with_conditions", comment="Fine.", conditions="EU hosting only.")
    (condition,) = Condition.objects.filter(round=round)
    assert (condition.description, condition.owner) == ("EU hosting only.", round.use_case.business_owner)
    assert condition.due_on == timezone.localdate() + timedelta(days=45)


def test_an_executive_sees_a_condition_an_outsider_does_not(client, approved, alice):
    retention, _ = conditions_of(approved)
    client.force_login(person("ellen", Role.EXECUTIVE))
    assert client.get(f"/conditions/{retention.pk}/").status_code == 200
    client.force_login(person("olga", Role.BUSINESS_OWNER))
    assert client.get(f"/conditions/{retention.pk}/").status_code == 404


def test_the_owner_and_the_function_act_on_the_page(client, approved, alice, team):
    retention, _ = conditions_of(approved)
    client.force_login(alice)
    page = client.get(f"/conditions/{retention.pk}/")
    assert "Report it met" in page.text and "Confirm met" not in page.text
    bad = client.post(f"/conditions/{retention.pk}/claim/", {"link": "not a link"})
    assert bad.status_code == 400
    done = client.post(f"/conditions/{retention.pk}/claim/", {"link": EVIDENCE, "note": "Signed."})
    assert done.status_code == 302
    assert client.post(f"/conditions/{retention.pk}/confirm/").status_code == 403

    client.force_login(team["legal"])
    page = client.get(f"/conditions/{retention.pk}/")
    assert "Confirm met" in page.text and EVIDENCE in page.text
    assert client.post(f"/conditions/{retention.pk}/confirm/").status_code == 302
    retention.refresh_from_db()
    assert retention.status == "met"
    use_case_page = client.get(approved.use_case.get_absolute_url()).text
    assert "Conditions of the approval" in use_case_page and "Retention clause signed by the vendor" in use_case_page


def test_home_pages_show_the_conditions_waiting_for_each_person(client, approved, alice, team):
    retention, retest = conditions_of(approved)
    client.force_login(alice)
    home = client.get("/").text
    assert "Condition set by Legal: report it met" in home
    assert "Retention clause signed by the vendor" in home
    assert f"due {retention.due_on:%Y-%m-%d}" in home

    condition_claim_met(condition=retention, user=alice, link=EVIDENCE)
    client.force_login(team["legal"])
    home = client.get("/").text
    assert "Condition reported met: confirm or return" in home and "Retention clause" in home
    client.force_login(team["security"])
    home = client.get("/").text
    assert "Retention clause" not in home and "Overdue conditions across the portfolio" not in home

    Condition.objects.filter(pk=retest.pk).update(due_on=timezone.localdate() - timedelta(days=2))
    client.force_login(team["executive"])
    home = client.get("/").text
    assert "Overdue conditions across the portfolio" in home and "overdue 2 days" in home


def test_conditions_of_a_suspended_approval_lapse_with_the_next_round(approved, alice):
    retention, retest = conditions_of(approved)
    conditions_sweep(today=timezone.localdate() + timedelta(days=21))  # the re-test is missed: suspended
    condition_claim_met(condition=retention, user=alice, link=EVIDENCE)  # still current while suspended
    submit(UseCase.objects.get(pk=approved.use_case_id))  # round 2 replaces the suspended approval
    with pytest.raises(WorkflowRefused, match="lapsed"):
        condition_claim_met(condition=retest, user=alice, link=EVIDENCE)
    assert not Condition.objects.current().filter(round=approved).exists()
