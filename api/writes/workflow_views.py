"""Moving a request through review: submitting and withdrawing it (its owners, tokens included), deciding a
sign-off and revoking an approval (people only, signed in: no token reaches them). Each checks as its page does,
validates with its page's form and calls the same service."""

from django.conf import settings
from django.core.exceptions import PermissionDenied
from django.urls import reverse
from drf_spectacular.utils import extend_schema
from rest_framework import status
from rest_framework.permissions import IsAuthenticated
from rest_framework.response import Response

from api.permissions import SessionOnly, TokenScope
from api.writes.common import WriteView, get_use_case_for_user, outcome, refusals, require_valid
from api.writes.serializers import (
    DecisionInputSerializer,
    DecisionOutcomeSerializer,
    ReasonSerializer,
    RoundOutcomeSerializer,
)
from approvals import services
from approvals.forms import DecisionForm, ReasonForm
from approvals.models import ApprovalRequest
from approvals.notify import owners_of
from approvals.permissions import (
    can_revoke,
    can_sign,
    can_submit,
    can_withdraw,
    decision_standing,
    get_signoff_for_user,
)
from identity.reauth import reauth_needed


def _round(round: ApprovalRequest) -> dict:
    return {"number": round.number, "status": round.status, "functions": list(round.required_functions)}


def _refuse_unless(verdict) -> None:
    if not verdict:
        raise PermissionDenied(verdict.reason)


class UseCaseSubmit(WriteView):
    @extend_schema(
        operation_id="use_case_submit",
        summary="Submit a request for review",
        description="Freezes the request and sends it to the functions that must sign, as the submit page does. "
        "An incomplete request is refused with 400 and every gap in `gaps`.",
        request=None,
        responses=refusals(ok=201, produced=RoundOutcomeSerializer),
        tags=["requests"],
    )
    def post(self, request, reference):
        use_case = get_use_case_for_user(request.user, reference)
        _refuse_unless(can_submit(request.user, use_case))
        try:
            round = services.use_case_submit(use_case=use_case, user=request.user)
        except services.SubmissionIncomplete as exc:
            gaps = [gap.message for gap in exc.gaps]
            detail = f"{use_case.reference} is not complete yet: {len(gaps)} things are missing."
            return Response({"detail": detail, "gaps": gaps}, status=status.HTTP_400_BAD_REQUEST)
        return Response(outcome(request, use_case, round=_round(round)), status=status.HTTP_201_CREATED)


def _reason(view, missing: str) -> str:
    form = ReasonForm(view.body(ReasonSerializer))
    form.fields["reason"].error_messages["required"] = missing
    return require_valid(form)["reason"]


class UseCaseWithdraw(WriteView):
    @extend_schema(
        operation_id="use_case_withdraw",
        summary="Withdraw a request from review",
        description="Its owners take a request in review back, with the reason; the round closes as withdrawn.",
        request=ReasonSerializer,
        responses=refusals(produced=RoundOutcomeSerializer),
        tags=["requests"],
    )
    def post(self, request, reference):
        use_case = get_use_case_for_user(request.user, reference)
        _refuse_unless(can_withdraw(request.user, use_case))
        reason = _reason(self, "Say why the request is withdrawn.")
        round = services.use_case_withdraw(use_case=use_case, user=request.user, reason=reason)
        return Response(outcome(request, use_case, round=_round(round)))


class ApprovalRevoke(WriteView):
    permission_classes = [IsAuthenticated, TokenScope, SessionOnly]

    @extend_schema(
        operation_id="approval_revoke",
        summary="Revoke an approval",
        description="An executive or the use case's risk owner ends an approval for good, with the reason. People "
        "only (no token). Someone who has not given their password (or confirmed at the identity provider) within "
        f"the last {settings.CLEARANCE_REAUTH_MINUTES} minutes is refused with 403: confirm on the revoke page.",
        request=ReasonSerializer,
        responses=refusals(produced=RoundOutcomeSerializer),
        tags=["review"],
    )
    def post(self, request, reference):
        use_case = get_use_case_for_user(request.user, reference)
        _refuse_unless(can_revoke(request.user, use_case))
        if reauth_needed(request._request):
            page = request.build_absolute_uri(reverse("use_case_revoke", args=[use_case.reference]))
            raise PermissionDenied(
                "Revoking asks you to confirm that it is you, and you have not done so in the last "
                f"{settings.CLEARANCE_REAUTH_MINUTES} minutes. Confirm and revoke on the page: {page}"
            )
        reason = _reason(self, "Say why the approval is revoked.")
        round = services.approval_revoke(use_case=use_case, user=request.user, reason=reason)
        return Response(outcome(request, use_case, round=_round(round)))


def _decision_form_data(values: dict, owners) -> dict:
    """The body as the sign page posts it: one row of fields per condition, its owner by id."""
    by_name = {person.get_username(): str(person.pk) for person in owners}
    data = {"decision": values["decision"], "comment": values.get("comment", "")}
    for i, condition in enumerate(values.get("conditions") or [], start=1):
        data[f"condition_{i}_description"] = condition["description"]
        data[f"condition_{i}_owner"] = by_name.get(condition["owner"], condition["owner"])
        data[f"condition_{i}_due_on"] = condition["due_on"].isoformat()
        if condition.get("suspend_if_not_met"):
            data[f"condition_{i}_suspend"] = "on"
    return data


def _condition_field_names(count: int) -> dict[str, str]:
    return {
        f"condition_{i}_{name}": f"conditions[{i - 1}].{api}"
        for i in range(1, count + 1)
        for name, api in (("description", "description"), ("owner", "owner"), ("due_on", "due_on"), ("suspend", "x"))
    }


class SignOffDecide(WriteView):
    permission_classes = [IsAuthenticated, TokenScope, SessionOnly]

    @extend_schema(
        operation_id="signoff_decide",
        summary="Decide a sign-off",
        description="A reviewer of the sign-off's function decides it, as on the sign page: approve, approve with "
        "conditions (each with its description, an owner among the use case's owners, a due date after today, "
        "and whether missing it suspends the approval), request changes, or reject. Every decision but a plain "
        "approval needs a comment. People only (no token).",
        request=DecisionInputSerializer,
        responses=refusals(produced=DecisionOutcomeSerializer),
        tags=["review"],
    )
    def post(self, request, pk):
        signoff = get_signoff_for_user(request.user, pk)
        use_case = signoff.round.use_case
        _refuse_unless(can_sign(request.user, signoff))
        values = self.body(DecisionInputSerializer)
        owners = owners_of(use_case)
        form = DecisionForm(
            _decision_form_data(values, owners),
            allow_approval=not decision_standing(signoff).critical,
            owners=owners,
        )
        cleaned = require_valid(form, rename=_condition_field_names(len(values.get("conditions") or [])))
        signoff = services.signoff_decide(
            signoff=signoff,
            user=request.user,
            decision=cleaned["decision"],
            comment=cleaned["comment"],
            condition_specs=form.condition_specs,
        )
        signoff.round.refresh_from_db()
        produced = {
            "round": _round(signoff.round),
            "signoff": {
                "id": signoff.pk,
                "function": signoff.function,
                "decision": signoff.decision,
                "conditions": signoff.conditions,
            },
        }
        return Response(outcome(request, use_case, **produced))
