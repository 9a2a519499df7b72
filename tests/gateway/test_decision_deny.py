"""Deny by default, each time with the specific reason."""

from datetime import timedelta

import pytest

from approvals.models import ApprovalRequest, SuspensionCause
from approvals.services import approval_revoke, approval_suspend, use_case_withdraw
from approvals.sweeps import approvals_expire
from governance.models import AIModel
from tests.approvals.workflow import sign, submit
from tests.gateway.helpers import approved_for_gateway, ask, gateway_request

pytestmark = pytest.mark.django_db


def test_it_denies_an_unknown_application(gateway):
    body = ask(gateway, "unknown-app", "deepseek-chat")
    assert body["decision"] == "deny"
    assert body["reason"] == 'Unknown application "unknown-app": no use case has this reference or gateway alias.'
    assert body["use_case"] is None
    assert body["use_case_status"] is None
    assert body["model"] is None
    assert body["fallbacks"] == []


def test_it_denies_a_draft(alice, gateway):
    use_case = gateway_request(alice)
    body = ask(gateway)
    assert body["decision"] == "deny"
    assert body["reason"] == f"{use_case.reference} is not approved: its status is draft."
    assert body["use_case_status"] == "draft"


def test_it_denies_a_request_in_review(alice, gateway):
    use_case = gateway_request(alice)
    submit(use_case)
    body = ask(gateway)
    assert body["decision"] == "deny"
    assert body["reason"] == f"{use_case.reference} is not approved: its status is in review."


def test_it_denies_a_request_sent_back_for_changes(alice, team, gateway):
    use_case = gateway_request(alice)
    sign(submit(use_case), "legal", team["legal"], "request_changes", comment="Name the retention.")
    assert ask(gateway)["reason"] == f"{use_case.reference} is not approved: its status is changes requested."


def test_it_denies_a_rejected_request(alice, team, gateway):
    use_case = gateway_request(alice)
    sign(submit(use_case), "legal", team["legal"], "reject", comment="No.")
    body = ask(gateway)
    assert body["decision"] == "deny"
    assert body["reason"] == f"{use_case.reference} is not approved: its status is rejected."


def test_it_denies_a_withdrawn_request(alice, gateway):
    use_case = gateway_request(alice)
    submit(use_case)
    use_case_withdraw(use_case=use_case, user=alice, reason="Not now.")
    assert ask(gateway)["reason"] == f"{use_case.reference} is not approved: its status is withdrawn."


def test_it_denies_a_suspended_approval_with_the_reason(alice, team, gateway):
    use_case, round = approved_for_gateway(alice, team)
    approval_suspend(use_case=use_case, reason="Checking the vendor.", cause=SuspensionCause.REVIEW_FINDING)
    body = ask(gateway)
    assert body["decision"] == "deny"
    assert body["reason"] == f"The approval of {use_case.reference} is suspended: Checking the vendor."
    assert body["use_case_status"] == "suspended"
    assert body["expires_on"] == round.expires_on.isoformat()


def test_it_denies_a_revoked_approval_with_the_reason(alice, team, gateway):
    use_case, _ = approved_for_gateway(alice, team)
    approval_revoke(use_case=use_case, user=team["executive"], reason="The vendor left the market.")
    body = ask(gateway)
    assert body["decision"] == "deny"
    assert body["reason"] == f"The approval of {use_case.reference} was revoked: The vendor left the market."


def test_it_denies_an_expired_approval(alice, team, gateway):
    use_case, round = approved_for_gateway(alice, team)
    approvals_expire(today=round.expires_on + timedelta(days=1))
    body = ask(gateway)
    assert body["decision"] == "deny"
    assert body["use_case_status"] == "expired"
    assert body["reason"] == (
        f"The approval of {use_case.reference} expired on {round.expires_on.isoformat()}. Submit it again to renew it."
    )


def test_it_denies_an_approval_past_its_date_before_the_sweep_runs(alice, team, gateway):
    use_case, round = approved_for_gateway(alice, team)
    ApprovalRequest.objects.filter(pk=round.pk).update(expires_on=round.submitted_at.date() - timedelta(days=1))
    round.refresh_from_db()
    body = ask(gateway)
    assert body["decision"] == "deny"
    assert body["use_case_status"] == "approved"  # the sweep has not marked it yet
    assert body["reason"] == (
        f"The approval of {use_case.reference} expired on {round.expires_on.isoformat()}. Submit it again to renew it."
    )


def test_it_denies_a_model_neither_primary_nor_fallback_and_names_the_approved_ones(alice, team, gateway):
    use_case, _ = approved_for_gateway(alice, team)
    body = ask(gateway, model="gpt-4o")
    assert body["decision"] == "deny"
    assert body["reason"] == (
        f'Model "gpt-4o" is neither the approved primary nor a listed fallback of {use_case.reference}; '
        "approved: deepseek-chat (primary), qwen-max (fallback)."
    )
    assert body["model"] is None
    assert body["fallbacks"] == ["qwen-max"]


def test_it_denies_a_data_category_outside_the_approved_set_and_names_it(alice, team, gateway):
    use_case, _ = approved_for_gateway(alice, team)
    body = ask(gateway, data_categories=["customer-records", "healthcare-data"])
    assert body["decision"] == "deny"
    assert body["reason"] == f"Data category healthcare-data outside the set approved for {use_case.reference}."
    assert body["model"]["role"] == "primary"


def test_it_denies_a_data_category_that_does_not_exist(alice, team, gateway):
    use_case, _ = approved_for_gateway(alice, team)
    body = ask(gateway, data_categories=["no-such-thing", "healthcare-data"])
    assert body["decision"] == "deny"
    assert body["reason"] == (
        f"Data categories healthcare-data, no-such-thing outside the set approved for {use_case.reference}."
    )


def test_it_denies_a_retired_model(alice, team, gateway):
    use_case, _ = approved_for_gateway(alice, team)
    AIModel.objects.filter(pk=use_case.fallback_models.get().pk).update(lifecycle=AIModel.Lifecycle.RETIRED)
    body = ask(gateway, model="qwen-max")
    assert body["decision"] == "deny"
    assert body["reason"] == 'Model "qwen-max" (Qwen-Max (qwen-max-2025-01-25)) is retired.'
    # and a retired fallback is no longer offered to callers of the primary
    assert ask(gateway)["fallbacks"] == []


def test_an_alias_cannot_spell_another_use_cases_reference(alice, team):
    from django.core.exceptions import ValidationError

    from tests.gateway.helpers import alias

    first = gateway_request(alice, application="first-app")
    second = gateway_request(alice, application="second-app", named=False)
    with pytest.raises(ValidationError, match="reference of another use case"):
        alias(second, first.reference)
