"""Opening and editing a request, its risks, and the model facts shown while choosing a model."""

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import FileResponse, Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from approvals.permissions import can_change_request
from approvals.routing import RESTRICTED_VENDOR_STATUSES
from approvals.services import (
    REASON_REQUIRED,
    SubmissionIncomplete,
    WorkflowRefused,
    material_changes,
    use_case_edit,
)
from checklist.models import Answer, Evidence
from checklist.services import evidence_add
from checklist.uploads import limit_upload
from governance.forms import RiskForm, UseCaseForm, risk_suggestion_initial, risk_suggestions
from governance.ids import parse_id
from governance.models import AIModel, Risk, UseCase
from governance.permissions import can_create_use_case, can_edit_use_case
from governance.services import risk_create, risk_delete, risk_update, use_case_create
from governance.views import get_use_case_for_user


def _apply_errors(form, exc: ValidationError) -> None:
    if hasattr(exc, "error_dict"):
        for field, errors in exc.message_dict.items():
            for error in errors:
                form.add_error(field if field in form.fields else None, error)
    else:
        for error in exc.messages:
            form.add_error(None, error)


@require_http_methods(["GET", "POST"])
@login_required
def use_case_new(request):
    if not can_create_use_case(request.user):
        raise PermissionDenied("Only business owners open requests.")
    form = UseCaseForm(request.POST or None, user=request.user)
    if request.method == "POST" and form.is_valid():
        try:
            use_case = use_case_create(user=request.user, **form.cleaned_data)
        except ValidationError as exc:
            _apply_errors(form, exc)
        else:
            messages.success(
                request, f"{use_case.reference} is open as a draft. Answer the checklist and record its risks."
            )
            return redirect(use_case)
    return render(request, "approvals/use_case_form.html", {"form": form}, status=400 if form.errors else 200)


def _labels(names) -> list[str]:
    return [str(UseCase._meta.get_field(name).verbose_name) for name in names]


@require_http_methods(["GET", "POST"])
@login_required
def use_case_change(request, reference):
    """Edit a request. On an approved one, a material change is named first and saved only once the
    owner confirms exactly those changes, since saving suspends the approval and re-opens review."""
    use_case = get_use_case_for_user(request.user, reference)
    if not can_change_request(request.user, use_case):
        raise PermissionDenied("Only the owners can edit this request, and not while it is in review or closed.")
    form = UseCaseForm(request.POST or None, instance=use_case, user=request.user)
    material = []
    if request.method == "POST" and form.is_valid():
        data = dict(form.cleaned_data)
        reason = request.POST.get("reason", "").strip()
        # The form has already written its values onto `use_case`: compare with the row as saved.
        saved = UseCase.objects.get(pk=use_case.pk)
        material = material_changes(use_case=saved, changes=data) if saved.is_approved else []
        # Unconfirmed (or confirmed for other fields than these): the page names them, nothing is saved.
        unconfirmed = material and request.POST.get("confirm_material") != ",".join(material)
        if use_case.is_approved and not reason:
            form.add_error(None, REASON_REQUIRED)
        elif not unconfirmed:
            try:
                updated = use_case_edit(use_case=use_case, user=request.user, reason=reason, **data)
            except SubmissionIncomplete as exc:
                form.add_error(
                    None, "This change re-opens review, but the request is not complete: " + " ".join(exc.messages)
                )
            except ValidationError as exc:
                _apply_errors(form, exc)
            except WorkflowRefused as exc:
                raise PermissionDenied(str(exc)) from exc
            else:
                if material:
                    messages.warning(
                        request,
                        f"{updated.reference}: the change is material, so the approval is suspended "
                        "and a new review round is open.",
                    )
                else:
                    messages.success(request, f"{updated.reference} is saved.")
                return redirect(updated)
    context = {
        "form": form,
        "use_case": use_case,
        "approved": use_case.is_approved,
        "material_fields": _labels(UseCase.MATERIAL_FIELDS),
        "material": _labels(material),
        "material_token": ",".join(material),
        "current_model": use_case.primary_model,
    }
    return render(request, "approvals/use_case_form.html", context, status=400 if form.errors else 200)


@require_GET
@login_required
def model_facts(request):
    """The facts of the chosen model and what they mean for review (an htmx fragment). Registry facts,
    so for anyone who may read the catalog; an account with no role is an outsider."""
    if not request.user.has_perm("governance.view_aimodel"):
        raise Http404("No such page")
    model_id = parse_id(request.GET.get("primary_model", ""))
    model = AIModel.objects.select_related("vendor").filter(pk=model_id).first() if model_id else None
    notes = []
    if model is not None:
        vendor = model.vendor
        if vendor.sanctions_status in RESTRICTED_VENDOR_STATUSES:
            notes.append(f"Compliance will review: vendor status {vendor.get_sanctions_status_display().lower()}.")
        elif vendor.sanctions_status == vendor.SanctionsStatus.UNDER_REVIEW:
            notes.append("The vendor's sanctions and export status is under review: expect questions from legal.")
        if model.licence_restrictions:
            notes.append(f"Licence restrictions: {model.licence_restrictions}")
        if model.lifecycle != model.Lifecycle.ACTIVE:
            notes.append(f"This model is {model.get_lifecycle_display().lower()}.")
    country = (request.GET.get("hosting_country") or "").strip().upper()
    if country in settings.CLEARANCE_RESTRICTED_COUNTRIES:
        notes.append(f"Compliance will review: hosting country {country} is restricted.")
    return render(request, "approvals/_model_facts.html", {"model": model, "notes": notes})


# --- Risks ----------------------------------------------------------------------------------------


def _risk_page(request, use_case, form, risk=None, status=200):
    risks = list(use_case.risks.select_related("owner"))
    editable = can_edit_use_case(request.user, use_case)
    context = {
        "use_case": use_case,
        "form": form,
        "risk": risk,
        "risks": risks,
        "can_edit": editable,
        "suggestions": risk_suggestions(r.title for r in risks) if editable else [],
    }
    template = "approvals/_risk_register.html" if request.htmx else "approvals/risk_register.html"
    return render(request, template, context, status=status)


def _refuse_unless_editable(user, use_case) -> None:
    if not can_edit_use_case(user, use_case):
        raise PermissionDenied("Risks change only while the request is being prepared, by its owners.")


@require_http_methods(["GET", "POST"])
@login_required
def risks(request, reference):
    """The risk register: list, and add a risk (inline with htmx, or as a plain form). `?suggest=<failure mode>`
    starts the form from one of the article's failure modes: title, category and description filled in, the
    scores left for the owner to choose."""
    use_case = get_use_case_for_user(request.user, reference)
    suggestion = risk_suggestion_initial(request.GET.get("suggest", "")[:50]) if request.method == "GET" else None
    form = RiskForm(request.POST or None, initial=suggestion)
    if suggestion:
        form.fields["inherent_likelihood"].widget.attrs["autofocus"] = True  # what the owner must do next
    if request.method == "POST":
        _refuse_unless_editable(request.user, use_case)
        if form.is_valid():
            try:
                risk_create(use_case=use_case, user=request.user, **form.cleaned_data)
            except ValidationError as exc:
                _apply_errors(form, exc)
            else:
                messages.success(request, "Risk recorded.")
                if not request.htmx:
                    return redirect("use_case_risks", reference=use_case.reference)
                form = RiskForm()
        return _risk_page(request, use_case, form, status=400 if form.errors else 200)
    return _risk_page(request, use_case, form)


@require_http_methods(["GET", "POST"])
@login_required
def risk_change(request, reference, pk):
    use_case = get_use_case_for_user(request.user, reference)
    risk = get_object_or_404(Risk, pk=pk, use_case=use_case)
    _refuse_unless_editable(request.user, use_case)
    form = RiskForm(request.POST or None, instance=risk)
    if request.method == "POST" and form.is_valid():
        try:
            risk_update(risk=risk, user=request.user, **form.cleaned_data)
        except ValidationError as exc:
            _apply_errors(form, exc)
        else:
            messages.success(request, "Risk updated.")
            return redirect("use_case_risks", reference=use_case.reference)
    return render(
        request,
        "approvals/risk_form.html",
        {"use_case": use_case, "form": form, "risk": risk},
        status=400 if form.errors else 200,
    )


@require_POST
@login_required
def risk_remove(request, reference, pk):
    use_case = get_use_case_for_user(request.user, reference)
    risk = get_object_or_404(Risk, pk=pk, use_case=use_case)
    _refuse_unless_editable(request.user, use_case)
    risk_delete(risk=risk, user=request.user)
    messages.success(request, "Risk removed.")
    return redirect("use_case_risks", reference=use_case.reference)


@require_GET
@login_required
def risk_score(request):
    """Live score and band for the risk form (an htmx fragment)."""
    from governance.scoring import band

    def value(name):
        try:
            number = int(request.GET.get(name, ""))
        except ValueError:
            return None
        return number if 1 <= number <= 5 else None

    scores = {}
    for kind in ("inherent", "residual"):
        likelihood, impact = value(f"{kind}_likelihood"), value(f"{kind}_impact")
        scores[kind] = (likelihood * impact, band(likelihood, impact)) if likelihood and impact else None
    return render(request, "approvals/_risk_score.html", {"scores": scores})


# --- Evidence -------------------------------------------------------------------------------------


def _evidence_answer(user, reference, item_id):
    use_case = get_use_case_for_user(user, reference)
    answer = get_object_or_404(Answer.objects.select_related("item", "use_case"), use_case=use_case, item_id=item_id)
    return answer, f"{use_case.get_absolute_url()}#checklist-{answer.item.code}"


def _evidence_too_large(request, message, reference, item_id):
    answer, back = _evidence_answer(request.user, reference, item_id)
    messages.error(request, f"{answer.item.code}: {message}")
    return redirect(back)


@require_POST
@login_required
@limit_upload(lambda: settings.EVIDENCE_MAX_BYTES, refuse=_evidence_too_large)
def evidence_upload(request, reference, item_id):
    """Attach a file to an answer; its SHA-256 is recorded as uploaded. The body is read with the size
    limit in place (`limit_upload`), so an oversized file is stopped, not stored first."""
    answer, back = _evidence_answer(request.user, reference, item_id)
    upload = request.FILES.get("file")
    if request.upload_refused:
        messages.error(request, f"{answer.item.code}: {request.upload_refused}")
        return redirect(back)
    if upload is None:
        messages.error(request, f"{answer.item.code}: choose a file to attach.")
        return redirect(back)
    try:
        evidence = evidence_add(answer=answer, user=request.user, upload=upload)
    except ValidationError as exc:
        messages.error(request, f"{answer.item.code}: {' '.join(exc.messages)}")
    else:
        messages.success(request, f"{evidence.name} attached to {answer.item.code} (SHA-256 {evidence.sha256[:12]}…).")
    return redirect(back)


@require_GET
@login_required
def evidence_download(request, reference, pk):
    use_case = get_use_case_for_user(request.user, reference)
    evidence = get_object_or_404(Evidence, pk=pk, answer__use_case=use_case)
    return FileResponse(evidence.file.open("rb"), as_attachment=True, filename=evidence.name)
