"""The evaluation evidence of a use case (the comparison of its candidate models, the runs, one run's tests),
its import and removal, and the thresholds the security function sets."""

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import FileResponse, Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from checklist.uploads import limit_upload
from evaluations.forms import ThresholdForm, ThresholdRemoveForm
from evaluations.mapping import FailureModeMap
from evaluations.models import EvaluationRun, EvaluationThreshold
from evaluations.permissions import (
    can_import_evaluation,
    can_read_thresholds,
    can_remove_evaluation,
    can_set_thresholds,
    removable_runs,
)
from evaluations.selectors import evidence_summary
from evaluations.services import evaluation_import, evaluation_remove, threshold_remove, threshold_set
from governance.models import DataCategory
from governance.views import get_use_case_for_user


def _run_for_user(user, reference, pk) -> EvaluationRun:
    use_case = get_use_case_for_user(user, reference)
    run = get_object_or_404(EvaluationRun.objects.select_related("ai_model", "imported_by"), pk=pk, use_case=use_case)
    run.use_case = use_case
    return run


@require_GET
@login_required
def evaluations(request, reference):
    """Anyone who may see the use case reads its evidence; its owners (while preparing it) and security
    reviewers import more."""
    use_case = get_use_case_for_user(request.user, reference)
    summary = evidence_summary(use_case)
    context = {
        "use_case": use_case,
        "summary": summary,
        "may_import": can_import_evaluation(request.user, use_case),
        "removable": removable_runs(request.user, use_case, summary.runs),
        "max_bytes": settings.EVALUATION_MAX_BYTES,
    }
    return render(request, "evaluations/evaluations.html", context)


def _import_refused(request, message, reference):
    get_use_case_for_user(request.user, reference)
    messages.error(request, message)
    return redirect("use_case_evaluations", reference=reference)


@require_POST
@login_required
@limit_upload(lambda: settings.EVALUATION_MAX_BYTES, refuse=_import_refused)
def evaluation_upload(request, reference):
    """Import a harness's result file. The body is read with the size limit in place, so an oversized file
    is stopped, not stored first; a file that cannot be read is refused with the reason."""
    use_case = get_use_case_for_user(request.user, reference)
    if not can_import_evaluation(request.user, use_case):
        raise PermissionDenied(f"You cannot add evaluation evidence to {use_case.reference} now.")
    upload = request.FILES.get("file")
    if request.upload_refused:
        messages.error(request, request.upload_refused)
    elif upload is None:
        messages.error(request, "Choose a result file to import.")
    else:
        try:
            run = evaluation_import(user=request.user, use_case=use_case, upload=upload)
        except ValidationError as exc:
            messages.error(request, " ".join(exc.messages))
        else:
            messages.success(
                request,
                f"{run.name} imported: {run.get_harness_display()} {run.harness_version}, {run.samples:,} samples "
                f"of {run.model_reported}.",
            )
    return redirect("use_case_evaluations", reference=use_case.reference)


@require_GET
@login_required
def evaluation_detail(request, reference, pk):
    run = _run_for_user(request.user, reference, pk)
    mapping = FailureModeMap.load()
    results = [(result, mapping.mode_for(run.harness, result.name, result.detail)) for result in run.results.all()]
    context = {
        "use_case": run.use_case,
        "run": run,
        "results": results,
        "removable": can_remove_evaluation(request.user, run),
    }
    return render(request, "evaluations/evaluation.html", context)


@require_GET
@login_required
def evaluation_file(request, reference, pk):
    run = _run_for_user(request.user, reference, pk)
    try:
        handle = run.file.open("rb")
    except FileNotFoundError:
        raise Http404("The stored file is missing.") from None
    return FileResponse(handle, as_attachment=True, filename=run.name, content_type="application/octet-stream")


@require_POST
@login_required
def evaluation_delete(request, reference, pk):
    run = _run_for_user(request.user, reference, pk)
    evaluation_remove(user=request.user, run=run)
    messages.success(request, f"{run.name} removed.")
    return redirect("use_case_evaluations", reference=reference)


@require_http_methods(["GET", "POST"])
@login_required
def thresholds(request):
    """Everyone with a role reads the thresholds; the security function (and governance admins) set them."""
    if not can_read_thresholds(request.user):
        raise Http404("No such page")
    editable = can_set_thresholds(request.user)
    form = ThresholdForm(request.POST or None)
    if request.method == "POST":
        if not editable:
            raise PermissionDenied("Only the security function sets evaluation thresholds.")
        if form.is_valid():
            data = form.cleaned_data
            threshold = threshold_set(
                user=request.user,
                sensitivity=data["sensitivity"],
                failure_mode=data["failure_mode"],
                min_pass_rate=data["min_pass_rate"],
                reason=data["reason"],
            )
            messages.success(request, f"Threshold set: {threshold}.")
            return redirect("evaluation_thresholds")
    rows = EvaluationThreshold.objects.select_related("set_by")
    context = {
        "form": form,
        "editable": editable,
        "rows": rows,
        "sensitivities": DataCategory.Sensitivity.choices,
    }
    return render(request, "evaluations/thresholds.html", context, status=400 if form.errors else 200)


@require_POST
@login_required
def threshold_delete(request, pk):
    if not can_read_thresholds(request.user):
        raise Http404("No such page")
    threshold = get_object_or_404(EvaluationThreshold, pk=pk)
    form = ThresholdRemoveForm(request.POST)
    reason = form.cleaned_data["reason"] if form.is_valid() else ""
    threshold_remove(user=request.user, threshold=threshold, reason=reason)
    messages.success(request, f"Threshold removed: {threshold}.")
    return redirect("evaluation_thresholds")
