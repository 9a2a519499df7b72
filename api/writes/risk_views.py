"""A use case's risk register: recording, changing and removing a risk, judged by the risk page's form and saved by
the same services, while the request is being prepared and only by its owners."""

from django.core.exceptions import PermissionDenied
from django.shortcuts import get_object_or_404
from drf_spectacular.utils import extend_schema
from rest_framework import status
from rest_framework.response import Response

from api.writes.common import WriteView, form_values, get_use_case_for_user, outcome, refusals, require_valid
from api.writes.serializers import RemovedOutcomeSerializer, RiskOutcomeSerializer, RiskSerializer
from governance.forms import RiskForm
from governance.models import Risk
from governance.permissions import can_edit_use_case
from governance.services import risk_create, risk_delete, risk_update

REFUSED = "Risks change only while the request is being prepared, by its owners."


def _editable_use_case(user, reference):
    use_case = get_use_case_for_user(user, reference)
    if not can_edit_use_case(user, use_case):
        raise PermissionDenied(REFUSED)
    return use_case


def _risk(risk: Risk) -> dict:
    return {
        "id": risk.pk,
        "title": risk.title,
        "category": risk.category,
        "inherent_score": risk.inherent_likelihood * risk.inherent_impact,
        "residual_score": risk.residual_likelihood * risk.residual_impact,
    }


class RiskCreate(WriteView):
    @extend_schema(
        operation_id="risk_create",
        summary="Record a risk",
        description="Adds a risk to a request being prepared, scored 1–5 for likelihood and impact before (inherent) "
        "and after (residual) its mitigations; the residual score cannot exceed the inherent one.",
        request=RiskSerializer,
        responses=refusals(ok=201, produced=RiskOutcomeSerializer),
        tags=["requests"],
    )
    def post(self, request, reference):
        use_case = _editable_use_case(request.user, reference)
        form = RiskForm(self.body(RiskSerializer))
        risk = risk_create(use_case=use_case, user=request.user, **require_valid(form))
        return Response(outcome(request, use_case, risk=_risk(risk)), status=status.HTTP_201_CREATED)


class RiskChange(WriteView):
    def _risk(self, request, reference, pk):
        use_case = get_use_case_for_user(request.user, reference)
        risk = get_object_or_404(Risk, pk=pk, use_case=use_case)
        if not can_edit_use_case(request.user, use_case):
            raise PermissionDenied(REFUSED)
        return use_case, risk

    @extend_schema(
        operation_id="risk_change",
        summary="Change a risk",
        description="Changes the fields given; the rest keep their values. The same rules as recording one.",
        request=RiskSerializer,
        responses=refusals(produced=RiskOutcomeSerializer),
        tags=["requests"],
    )
    def patch(self, request, reference, pk):
        use_case, risk = self._risk(request, reference, pk)
        values = self.body(RiskSerializer)
        form = RiskForm(instance=risk)
        form = RiskForm({**form_values(form), **values}, instance=risk)
        risk = risk_update(risk=risk, user=request.user, **require_valid(form))
        return Response(outcome(request, use_case, risk=_risk(risk)))

    @extend_schema(
        operation_id="risk_remove",
        summary="Remove a risk",
        request=None,
        responses=refusals(produced=RemovedOutcomeSerializer),
        tags=["requests"],
    )
    def delete(self, request, reference, pk):
        use_case, risk = self._risk(request, reference, pk)
        removed = risk.pk
        risk_delete(risk=risk, user=request.user)
        return Response(outcome(request, use_case, removed=removed))
