"""The page of one condition of an approval, and what its owner and its function do there.

A condition is seen by whoever sees its use case (anyone else gets 404). Its owner and the use case's
owners report it met with a link or a file; a member of the function that set it confirms, returns the
evidence, or waives it. Every action is a POST that calls one service and comes back to the page.
"""

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import FileResponse, Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.views.decorators.http import require_GET, require_POST

from approvals import conditions as services
from approvals.forms import ClaimForm, ReasonForm
from approvals.models import Condition
from approvals.permissions import can_claim_condition, can_settle_condition
from checklist.uploads import limit_upload
from governance.permissions import can_view_use_case


def get_condition_for_user(user, pk: int) -> Condition:
    """The condition, or 404 unless `user` sees its use case."""
    condition = get_object_or_404(
        Condition.objects.select_related(
            "use_case__business_owner",
            "use_case__technical_owner",
            "use_case__risk_owner",
            "round",
            "signoff__signed_by",
            "owner",
            "claimed_by",
            "closed_by",
        ),
        pk=pk,
    )
    if not can_view_use_case(user, condition.use_case):
        raise Http404("No such condition")
    return condition


def _page(request, condition: Condition, *, claim_form=None, reason_form=None, status=200):
    context = {
        "condition": condition,
        "use_case": condition.use_case,
        "overdue": condition.is_overdue(timezone.localdate()),
        "can_claim": can_claim_condition(request.user, condition),
        "can_confirm": can_settle_condition(request.user, condition, confirming=True),
        "can_waive": can_settle_condition(request.user, condition),
        "claim_form": claim_form or ClaimForm(),
        "reason_form": reason_form or ReasonForm(),
    }
    return render(request, "approvals/condition.html", context, status=status)


@require_GET
@login_required
def condition_detail(request, pk):
    return _page(request, get_condition_for_user(request.user, pk))


def _claim_refused(request, message, pk):
    condition = get_condition_for_user(request.user, pk)
    form = ClaimForm()
    form.add_error("file", message)
    return _page(request, condition, claim_form=form, status=413)


@require_POST
@login_required
@limit_upload(lambda: settings.EVIDENCE_MAX_BYTES, refuse=_claim_refused)
def condition_claim(request, pk):
    condition = get_condition_for_user(request.user, pk)
    form = ClaimForm(request.POST, request.FILES)
    if request.upload_refused:
        form.add_error("file", request.upload_refused)
        return _page(request, condition, claim_form=form, status=413)
    if not can_claim_condition(request.user, condition):
        raise PermissionDenied(can_claim_condition(request.user, condition).reason)
    if form.is_valid():
        try:
            services.condition_claim_met(
                condition=condition,
                user=request.user,
                link=form.cleaned_data["link"],
                upload=form.cleaned_data["file"],
                note=form.cleaned_data["note"],
            )
        except ValidationError as exc:
            for field, errors in exc.message_dict.items():
                form.add_error(field if field in form.fields else None, errors)
        else:
            messages.success(request, "The condition is reported met; its function is asked to confirm it.")
            return redirect("condition_detail", pk=condition.pk)
    return _page(request, condition, claim_form=form, status=400)


def _settle(request, pk, act, *, reasoned: bool, done: str, confirming: bool = False):
    condition = get_condition_for_user(request.user, pk)
    verdict = can_settle_condition(request.user, condition, confirming=confirming)
    if not verdict:
        raise PermissionDenied(verdict.reason)
    form = ReasonForm(request.POST) if reasoned else None
    if reasoned and not form.is_valid():
        return _page(request, condition, reason_form=form, status=400)
    try:
        act(condition=condition, user=request.user, **({"reason": form.cleaned_data["reason"]} if reasoned else {}))
    except ValidationError as exc:
        form = form or ReasonForm()
        for errors in exc.message_dict.values():
            form.add_error(None, errors)
        return _page(request, condition, reason_form=form, status=400)
    messages.success(request, done)
    return redirect("condition_detail", pk=condition.pk)


@require_POST
@login_required
def condition_confirm(request, pk):
    return _settle(
        request, pk, services.condition_confirm, reasoned=False, confirming=True, done="The condition is confirmed met."
    )


@require_POST
@login_required
def condition_return(request, pk):
    return _settle(
        request,
        pk,
        services.condition_return,
        reasoned=True,
        confirming=True,
        done="The evidence is returned to the owner.",
    )


@require_POST
@login_required
def condition_waive(request, pk):
    return _settle(request, pk, services.condition_waive, reasoned=True, done="The condition is waived.")


@require_GET
@login_required
def condition_evidence(request, pk):
    condition = get_condition_for_user(request.user, pk)
    if not condition.evidence_file:
        raise Http404("No file")
    name = condition.evidence_file.name.rsplit("/", 1)[-1]
    return FileResponse(condition.evidence_file.open("rb"), as_attachment=True, filename=name)
