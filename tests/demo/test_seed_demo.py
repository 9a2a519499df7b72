"""`manage.py seed_demo`: the demo `make run` shows, loaded once however often it runs, every request
taken to its status by the real workflow services."""

import datetime
import re
from collections import Counter
from io import StringIO

import pytest
from django.apps import apps
from django.contrib.auth import get_user_model
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import transaction
from django.test import override_settings
from django.utils import timezone
from guardian.models import GroupObjectPermission

from approvals.completeness import completeness_gaps, current_template
from approvals.models import ApprovalEvent, ApprovalRequest, Notification, SignOff
from approvals.services import use_case_edit
from checklist.models import Answer, ChecklistItem
from demo import data
from governance.failure_modes import FailureMode
from governance.models import AIModel, Risk, UseCase, UseCaseUserObjectPermission, Vendor
from governance.roles import FUNCTION_GROUP, Function, Role
from governance.scoring import Band, band_for_score
from governance.selectors import use_cases_visible_to

User = get_user_model()
Status = UseCase.Status
Decision = SignOff.Decision

CHECKED_ON = datetime.date(2026, 11, 28)
CJK = re.compile(r"[\u4e00-\u9fff]")
HANGUL = re.compile(r"[\uac00-\ud7af]")
CYRILLIC = re.compile(r"[\u0400-\u04ff]")
FAST_HASHER = ["django.contrib.auth.hashers.MD5PasswordHasher"]

EXPECTED_VENDORS = {
    "DeepSeek",
    "Alibaba Cloud (Qwen team)",
    "Moonshot AI",
    "Baidu",
    "Tencent",
    "iFlytek",
    "NAVER",
    "LG AI Research",
    "Sber (SaluteDevices)",
    "Yandex",
    "SB Intuitions",
    "ELYZA",
    "OpenAI",
    "Anthropic",
    "Google (Google DeepMind)",
    "Meta",
    "Mistral AI",
}


def run_seed() -> str:
    out = StringIO()
    call_command("seed_demo", stdout=out)
    return out.getvalue()


@pytest.fixture
def seed(settings):
    """Run the command as `make run` does (DEBUG on), with a fast hasher, and return what it printed."""
    settings.DEBUG = True
    settings.PASSWORD_HASHERS = FAST_HASHER
    return run_seed


def row_counts() -> dict[str, int]:
    """Rows in every table, history and many-to-many tables included."""
    return {model._meta.label: model._base_manager.count() for model in apps.get_models(include_auto_created=True)}


# --- The command, on a fresh database each time -------------------------------------------------


@pytest.mark.django_db
def test_it_is_idempotent(seed):
    seed()
    first = row_counts()

    output = seed()

    assert row_counts() == first
    for model in (Vendor, AIModel, UseCase, Risk, Answer, ApprovalRequest, SignOff):
        assert first[model.history.model._meta.label] > 0, model
    grants = (UseCaseUserObjectPermission, GroupObjectPermission)
    for model in (ApprovalRequest, SignOff, ApprovalEvent, Notification, *grants):
        assert first[model._meta.label] > 0, model
    assert "nothing added" in output


@pytest.mark.django_db
def test_it_keeps_what_a_user_changed(seed):
    seed()
    owner = User.objects.get(username="owner")
    owner.set_password("changed-by-maria")
    owner.save()

    seed()

    owner.refresh_from_db()
    assert owner.check_password("changed-by-maria")


@pytest.mark.django_db
def test_it_refuses_without_debug(settings):
    settings.DEBUG = False

    with pytest.raises(CommandError, match="DEBUG is off"):
        call_command("seed_demo", stdout=StringIO())

    assert not User.objects.filter(username="owner").exists()


@pytest.mark.django_db
def test_it_seeds_without_debug_when_forced(settings):
    settings.DEBUG = False
    settings.PASSWORD_HASHERS = FAST_HASHER

    call_command("seed_demo", force=True, stdout=StringIO())

    assert UseCase.objects.count() == len(data.USE_CASES)


@pytest.mark.django_db
def test_it_sends_no_email(seed, celery_eager, mailoutbox, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        seed()

    assert callbacks  # the services did queue their deliveries
    assert mailoutbox == []
    assert Notification.objects.exists()
    assert not Notification.objects.filter(sent_at__isnull=True).exists()
    assert set(Notification.objects.values_list("last_error", flat=True)) == {"Demo data: not e-mailed."}


# --- The demo, seeded once for the read-only checks below ---------------------------------------


@pytest.fixture(scope="class")
def demo(django_db_setup, django_db_blocker):
    """The demo, seeded once for the class and rolled back after it; returns what the command printed."""
    with (
        django_db_blocker.unblock(),
        override_settings(DEBUG=True, PASSWORD_HASHERS=FAST_HASHER),
        transaction.atomic(),
    ):
        yield run_seed()
        transaction.set_rollback(True)


def current_round(use_case: UseCase) -> ApprovalRequest:
    return use_case.rounds.order_by("-number").first()


@pytest.mark.django_db
@pytest.mark.usefixtures("demo")
class TestTheDemo:
    # The registry
    def test_it_loads_every_model_and_vendor(self):
        assert AIModel.objects.count() == 22
        assert set(Vendor.objects.values_list("name", flat=True)) == EXPECTED_VENDORS

    def test_facts_keep_their_source_and_date(self):
        deepseek = AIModel.objects.get(name="DeepSeek-V3")
        assert "deepseek-ai/DeepSeek-V3" in deepseek.source
        assert deepseek.checked_on == CHECKED_ON
        assert not AIModel.objects.filter(source="").exists()
        assert not AIModel.objects.exclude(checked_on=CHECKED_ON).exists()
        assert not Vendor.objects.filter(source="").exists()
        assert not Vendor.objects.exclude(checked_on=CHECKED_ON).exists()

    def test_it_maps_the_csv_columns(self):
        kimi = AIModel.objects.select_related("vendor").get(name="Kimi K2")
        assert kimi.version == "Kimi-K2-Instruct"
        assert kimi.architecture == AIModel.Architecture.MOE
        assert (kimi.total_params_b, kimi.active_params_b) == (1000, 32)
        assert kimi.release_date == "2025-07"
        assert kimi.origin_country == "CN"
        assert kimi.vendor.ownership == Vendor.Ownership.PRIVATE
        assert AIModel.objects.get(name="Mistral Small 3").version == "Mistral-Small-24B-Instruct-2501"
        assert AIModel.objects.get(name="DeepSeek-V3").distribution == AIModel.Distribution.BOTH
        exaone = AIModel.objects.get(name="EXAONE-3.5-32B-Instruct")
        assert exaone.architecture == AIModel.Architecture.UNKNOWN
        assert "non-commercial" in exaone.licence_restrictions
        assert AIModel.objects.get(name="GPT-4o").total_params_b is None
        assert Vendor.objects.get(name="Baidu").ownership == Vendor.Ownership.LISTED
        assert Vendor.objects.get(name="DeepSeek").ownership == Vendor.Ownership.UNKNOWN
        sber = Vendor.objects.get(name="Sber (SaluteDevices)")
        assert sber.ownership == Vendor.Ownership.STATE_LINKED
        assert "Sberbank" in sber.ownership_detail
        assert sber.hq_country == "RU"

    def test_it_speaks_chinese_korean_and_russian(self):
        native_names = [
            *Vendor.objects.values_list("native_name", flat=True),
            *AIModel.objects.values_list("native_name", flat=True),
        ]
        assert any(CJK.search(name) for name in native_names)
        assert any(HANGUL.search(name) for name in native_names)
        assert any(CYRILLIC.search(name) for name in native_names)
        assert Vendor.objects.get(name="Moonshot AI").native_name == "月之暗面"
        assert Vendor.objects.get(name="Yandex").native_name == "Яндекс"
        assert set(AIModel.objects.filter(family="GigaChat").values_list("native_name", flat=True)) == {"ГигаЧат"}
        assert AIModel.objects.get(name="Qwen2.5-Coder-32B-Instruct").native_name == "通义千问"
        full_names = [user.get_full_name() for user in User.objects.all()]
        assert any(CYRILLIC.search(name) for name in full_names)
        assert any(HANGUL.search(name) for name in full_names)

    def test_it_records_the_sanctions_assessment(self):
        statuses = dict(Vendor.objects.values_list("name", "sanctions_status"))
        assert statuses["Sber (SaluteDevices)"] == Vendor.SanctionsStatus.SANCTIONED
        assert statuses["iFlytek"] == Vendor.SanctionsStatus.RESTRICTED
        for name in ("Tencent", "Alibaba Cloud (Qwen team)", "Baidu", "DeepSeek", "Yandex"):
            assert statuses[name] == Vendor.SanctionsStatus.UNDER_REVIEW, name
        for vendor in Vendor.objects.filter(sanctions_status=Vendor.SanctionsStatus.CLEAR):
            assert vendor.sanctions_note.startswith("No listing found in sources read"), vendor.name
        assert not Vendor.objects.exclude(sanctions_checked_on=CHECKED_ON).exists()
        assert not Vendor.objects.filter(sanctions_source="").exists()
        assert "50% rule" in Vendor.objects.get(name="Sber (SaluteDevices)").sanctions_note

    def test_it_claims_no_vendor_assurance(self):
        assert not Vendor.objects.exclude(assurance_evidence="").exists()
        # What is said of self-hosted weights cannot be said of a hosted API.
        assert Vendor.objects.get(name="OpenAI").data_retention == ""
        assert Vendor.objects.get(name="Meta").data_retention.startswith("Not applicable when self-hosted")

    # People
    def test_demo_users_hold_their_roles(self):
        for demo in data.USERS:
            user = User.objects.get(username=demo.username)
            assert list(user.groups.values_list("name", flat=True)) == [demo.role.value]
            assert user.check_password(data.DEMO_PASSWORD)
            assert user.email == f"{demo.username}@example.com"
            assert not user.is_superuser
        assert User.objects.get(username="admin").is_staff
        assert not User.objects.get(username="owner").is_staff

    def test_it_prints_every_demo_login(self, demo):
        for user in data.USERS:
            assert re.search(rf"^{user.username}\s+{re.escape(user.role.value)}\s", demo, re.MULTILINE)
        assert data.DEMO_PASSWORD in demo
        assert demo.rstrip().endswith("(Accounts that existed before seed_demo ran keep their own password.)")

    # Requests
    def test_it_opens_every_request_with_risks(self):
        use_cases = UseCase.objects.all()
        assert len(use_cases) == len(data.USE_CASES)
        for use_case in use_cases:
            # Referenced in the year it was opened: the expired one was opened over a year ago.
            assert re.fullmatch(rf"UC-{use_case.created_at.year}-\d{{4}}", use_case.reference)
            assert 2 <= use_case.risks.count() <= 4, use_case.reference

    def test_owners_are_business_owners_not_reviewers(self):
        for use_case in UseCase.objects.all():
            for owner in use_case.owners:
                assert list(owner.groups.values_list("name", flat=True)) == [Role.BUSINESS_OWNER]
        assert UseCase.objects.filter(business_owner__username="owner2").count() in (2, 3)

    def test_statuses_cover_the_lifecycle(self):
        statuses = set(UseCase.objects.values_list("status", flat=True))
        assert statuses >= {
            Status.DRAFT,
            Status.IN_REVIEW,
            Status.CHANGES_REQUESTED,
            Status.APPROVED,
            Status.APPROVED_WITH_CONDITIONS,
            Status.REJECTED,
            Status.WITHDRAWN,
            Status.SUSPENDED,
            Status.EXPIRED,
        }
        assert {s.status for s in data.USE_CASES} == statuses

    def test_every_status_is_in_history(self):
        for use_case in UseCase.objects.all():
            assert use_case.history.latest().status == use_case.status, use_case.title
        assert not UseCase.history.filter(history_change_reason__startswith="Demo data: status set").exists()

    def test_residual_risks_span_every_band(self):
        bands = {risk.residual_band for risk in Risk.objects.all()}
        assert bands == set(Band)
        assert {use_case.risk_tier for use_case in UseCase.objects.all()} >= {Band.MEDIUM, Band.HIGH, Band.CRITICAL}

    def test_answers_come_from_the_item_function(self):
        answers = Answer.objects.select_related("use_case__business_owner", "item", "answered_by")
        assert answers.exists()
        for answer in answers:
            if answer.item.owner_function == Function.BUSINESS:
                assert answer.answered_by == answer.use_case.business_owner
            else:
                group = FUNCTION_GROUP[Function(answer.item.owner_function)]
                assert answer.answered_by.groups.filter(name=group).exists()
            latest = answer.history.latest()
            assert latest.history_user == answer.answered_by
            assert latest.history_change_reason.startswith(f"Answered {answer.item.code}")
        assert not Answer.objects.filter(use_case__status=Status.DRAFT).exclude(item__owner_function=Function.BUSINESS)

    def test_reviewers_answer_their_items_during_review(self):
        reviewer_answers = Answer.objects.exclude(item__owner_function=Function.BUSINESS)
        assert {a.item.owner_function for a in reviewer_answers.select_related("item")} == {
            Function.LEGAL,
            Function.PRIVACY,
            Function.SECURITY,
            Function.PROCUREMENT,
        }
        for answer in reviewer_answers.select_related("use_case"):
            first = answer.history.earliest()
            assert first.history_date >= answer.use_case.rounds.order_by("number").first().submitted_at

    def test_an_owner_does_not_see_another_owners_use_cases(self):
        owner, owner2 = User.objects.get(username="owner"), User.objects.get(username="owner2")
        theirs = UseCase.objects.filter(business_owner=owner2).first()

        visible = use_cases_visible_to(owner)

        assert theirs not in visible
        assert set(visible) == set(UseCase.objects.filter(business_owner=owner))
        assert theirs in use_cases_visible_to(owner2)
        legal = use_cases_visible_to(User.objects.get(username="legal"))
        assert set(legal) == set(UseCase.objects.filter(rounds__isnull=False).distinct())

    def test_one_draft_is_ready_to_submit_and_one_is_not(self):
        template = current_template()
        gaps = [completeness_gaps(use_case, template) for use_case in UseCase.objects.filter(status=Status.DRAFT)]
        assert [] in gaps
        assert any(gaps)

    # The review workflow
    def test_every_request_past_draft_went_through_a_round(self):
        assert not ApprovalRequest.objects.filter(use_case__status=Status.DRAFT).exists()
        for use_case in UseCase.objects.exclude(status=Status.DRAFT):
            assert use_case.rounds.exists(), use_case.title
            assert use_case.events.filter(verb=ApprovalEvent.Verb.SUBMITTED).count() == use_case.rounds.count()

    def test_every_round_froze_a_complete_request(self):
        business_codes = set(
            ChecklistItem.objects.filter(
                section__template=current_template(), owner_function=Function.BUSINESS
            ).values_list("code", flat=True)
        )
        for round in ApprovalRequest.objects.select_related("use_case"):
            snapshot = round.snapshot
            answered = {a["code"] for a in snapshot["checklist"]["answers"] if a["owner_function"] == Function.BUSINESS}
            assert answered == business_codes, round
            assert snapshot["risks"] and snapshot["data_categories"], round
            assert snapshot["fallback_models"] or snapshot["use_case"]["no_fallback_reason"], round
            assert round.submitted_by == round.use_case.business_owner

    def test_every_round_froze_all_eight_logging_points_and_the_vendor_commitments(self):
        for round in ApprovalRequest.objects.select_related("use_case"):
            logging, vendor = round.snapshot["use_case"]["logging"], round.snapshot["model"]["vendor"]
            assert all(logging[key] for key in ("contents", "location", "access", "retention_days")), round
            for key in ("prompt_protection", "retrieval_sources", "tool_execution", "exceptions"):
                assert len(logging[key]) > 30, (round, key)
            says_no_tools = logging["tool_execution"].startswith("No tools")
            assert says_no_tools != round.snapshot["use_case"]["tool_use"], round
            assert {"data_retention", "exit_terms", "source", "checked_on"} <= vendor.keys(), round

    def test_every_round_froze_all_ten_failure_modes_with_varied_answers(self):
        statuses = Counter()
        for round in ApprovalRequest.objects.select_related("use_case"):
            frozen = {t["mode"]: t for t in round.snapshot["failure_modes"]}
            assert set(frozen) == set(FailureMode.values), round
            for test in frozen.values():
                statuses[test["status"]] += 1
                if test["status"] == "tested":
                    assert test["method"] and test["result"], (round, test["mode"])
                else:
                    assert test["reason"] and not test["result"], (round, test["mode"])
        assert statuses["tested"] > statuses["not_applicable"] > 0
        assert statuses["not_tested"] > 0
        methods = {t["method"] for r in ApprovalRequest.objects.all() for t in r.snapshot["failure_modes"]}
        assert len(methods) > 20  # answers follow each request's facts, not one text for all

    def test_the_coding_request_records_its_code_findings(self):
        use_case = UseCase.objects.get(title__startswith="Code completion and review assistant")
        test = use_case.failure_mode_tests.get(mode="incorrect_code")
        assert test.status == "tested" and "412 tasks" in test.method and "SAST" in test.result
        assert use_case.failure_mode_tests.get(mode="multilingual").status == "not_tested"

    def test_approvals_are_signed_by_every_function_and_expire(self):
        today = timezone.localdate()
        approved = UseCase.objects.filter(status__in=UseCase.APPROVED_STATUSES)
        assert {use_case.status for use_case in approved} == set(UseCase.APPROVED_STATUSES)
        for use_case in approved:
            round = current_round(use_case)
            assert round.status == use_case.status
            assert set(round.signoffs.values_list("decision", flat=True)) <= set(SignOff.APPROVING), use_case.title
            assert round.expires_on > today
            conditional = round.signoffs.filter(decision=Decision.APPROVE_WITH_CONDITIONS).exclude(conditions="")
            assert conditional.exists() == (use_case.status == Status.APPROVED_WITH_CONDITIONS)

    def test_the_gigachat_request_is_rejected_by_compliance(self):
        gigachat = UseCase.objects.get(primary_model__family="GigaChat")
        round = current_round(gigachat)
        compliance = round.signoffs.get(function=Function.COMPLIANCE)

        assert gigachat.status == Status.REJECTED
        assert round.status == ApprovalRequest.Status.REJECTED
        assert band_for_score(round.highest_residual) == Band.CRITICAL
        assert "sanctioned" in compliance.reason
        assert compliance.decision == Decision.REJECT
        assert compliance.signed_by.username == "compliance"
        assert "SDN" in compliance.comment
        assert not round.signoffs.filter(decision__in=SignOff.APPROVING).exists()

    def test_no_one_signs_their_own_request(self):
        signed = SignOff.objects.exclude(decision=Decision.PENDING).select_related("round__use_case", "signed_by")
        assert signed.count() > 30
        for signoff in signed:
            round, use_case = signoff.round, signoff.round.use_case
            involved = {*(owner.pk for owner in use_case.owners), use_case.created_by_id, round.submitted_by_id}
            assert signoff.signed_by_id not in involved, signoff
            assert signoff.signed_by.username == data.SIGNER_USERNAME[Function(signoff.function)]
            assert signoff.signed_by.groups.filter(name=FUNCTION_GROUP[Function(signoff.function)]).exists()
            assert signoff.signed_snapshot_sha256 == round.snapshot_sha256
            if signoff.decision != Decision.APPROVE:
                assert signoff.comment, signoff

    def test_high_residual_risk_is_signed_by_an_executive(self):
        high = [r for r in ApprovalRequest.objects.all() if band_for_score(r.highest_residual) == Band.HIGH]
        assert high
        for round in high:
            assert round.signoffs.filter(function=Function.EXECUTIVE).exists(), round
        approved_high = [r for r in high if r.events.filter(verb__in=ApprovalRequest.APPROVED_STATUSES).exists()]
        assert approved_high
        for round in approved_high:
            assert round.signoffs.get(function=Function.EXECUTIVE).decision in SignOff.APPROVING

    def test_in_review_rounds_wait_for_some_functions(self):
        for use_case in UseCase.objects.filter(status=Status.IN_REVIEW):
            decisions = list(current_round(use_case).signoffs.values_list("decision", flat=True))
            assert Decision.PENDING in decisions
            assert set(decisions) - {Decision.PENDING}, use_case.title

    def test_a_request_sent_back_is_resubmitted(self):
        sent_back = ApprovalRequest.objects.filter(status=ApprovalRequest.Status.CHANGES_REQUESTED)
        assert sent_back.exists()
        for round in sent_back:
            assert round.signoffs.filter(decision=Decision.REQUEST_CHANGES).exclude(comment="").exists()
        resubmitted = [r for r in sent_back if r.use_case.rounds.filter(number=r.number + 1).exists()]
        assert resubmitted
        for round in resubmitted:
            use_case = round.use_case
            assert use_case.history.filter(history_change_reason__startswith="Resubmitted").exists()
            assert current_round(use_case).status in (
                ApprovalRequest.Status.IN_REVIEW,
                *ApprovalRequest.APPROVED_STATUSES,
            )

    def test_a_material_change_suspends_the_approval_and_reopens_review(self):
        reopened = ApprovalRequest.objects.filter(
            status=ApprovalRequest.Status.SUSPENDED, closed_reason__startswith="Material change"
        )
        assert reopened.exists()
        for round in reopened:
            assert round.use_case.status == Status.IN_REVIEW
            assert current_round(round.use_case).number == round.number + 1

    def test_an_approved_demo_request_edited_in_its_scope_is_suspended_and_reviewed_again(self):
        """The demo as a user finds it: widening an approved request's autonomy is material. (The test's
        own transaction rolls the edit back, so the other checks see the demo as seeded.)"""
        use_case = UseCase.objects.filter(status=Status.APPROVED, autonomy=UseCase.Autonomy.ADVISORY).first()
        approved = current_round(use_case)

        edited = use_case_edit(
            use_case=use_case,
            user=use_case.business_owner,
            reason="Let it act without a person",
            autonomy=UseCase.Autonomy.AUTONOMOUS,
        )

        approved.refresh_from_db()
        assert edited.status == Status.IN_REVIEW
        assert approved.status == ApprovalRequest.Status.SUSPENDED
        event = use_case.events.filter(verb=ApprovalEvent.Verb.SUSPENDED).latest("pk")
        assert (event.round, event.actor, event.data["reason"]) == (
            approved,
            use_case.business_owner,
            "Material change: autonomy",
        )
        new_round = current_round(edited)
        assert (new_round.number, new_round.status) == (approved.number + 1, ApprovalRequest.Status.IN_REVIEW)
        assert new_round.snapshot["use_case"]["autonomy"] == "autonomous"

    def test_the_suspended_approval_says_why(self):
        use_case = UseCase.objects.get(status=Status.SUSPENDED)
        round = current_round(use_case)
        event = use_case.events.get(verb=ApprovalEvent.Verb.SUSPENDED)

        assert round.status == ApprovalRequest.Status.SUSPENDED
        assert round.closed_reason and event.data["reason"] == round.closed_reason
        assert event.actor.username == "security"

    def test_the_expired_approval_ran_out_before_today(self):
        use_case = UseCase.objects.get(status=Status.EXPIRED)
        round = current_round(use_case)
        approved = round.events.get(verb__in=ApprovalRequest.APPROVED_STATUSES)

        assert round.status == ApprovalRequest.Status.EXPIRED
        assert round.expires_on < timezone.localdate()
        # Played in the past as a whole: its dates, events and history agree with each other.
        assert approved.data["expires_on"] == round.expires_on.isoformat()
        assert approved.created_at.date() == round.decided_at.date()
        assert use_case.created_at <= round.submitted_at <= round.decided_at
        assert use_case.history.earliest().history_date.date() == use_case.created_at.date()
        assert round.events.filter(verb=ApprovalEvent.Verb.EXPIRED, actor=None).exists()

    def test_the_withdrawn_and_revoked_requests_say_why(self):
        withdrawn = current_round(UseCase.objects.get(status=Status.WITHDRAWN))
        assert withdrawn.status == ApprovalRequest.Status.WITHDRAWN and withdrawn.closed_reason
        assert withdrawn.events.get(verb=ApprovalEvent.Verb.WITHDRAWN).actor == withdrawn.use_case.business_owner
        for use_case in UseCase.objects.filter(status=Status.REVOKED):
            revoked = current_round(use_case)
            assert revoked.closed_reason
            assert revoked.events.get(verb=ApprovalEvent.Verb.REVOKED).actor.username == "executive"

    def test_demo_notifications_are_not_e_mailed(self):
        assert Notification.objects.exists()
        assert not Notification.objects.filter(sent_at__isnull=True).exists()
