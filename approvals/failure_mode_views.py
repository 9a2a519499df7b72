"""Question 4 of the request: how each of the article's ten failure modes was tested, on one form."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import redirect, render
from django.views.decorators.http import require_http_methods

from governance.forms import FailureModesForm
from governance.models import FailureModeTest
from governance.permissions import can_edit_use_case
from governance.services import failure_modes_save
from governance.views import get_use_case_for_user


@require_http_methods(["GET", "POST"])
@login_required
def failure_modes(request, reference):
    """Anyone who may see the request reads the answers; its owners change them while it is editable."""
    use_case = get_use_case_for_user(request.user, reference)
    editable = can_edit_use_case(request.user, use_case)
    tests = list(FailureModeTest.objects.filter(use_case=use_case))
    form = FailureModesForm(request.POST or None, tests=tests)
    if request.method == "POST":
        if not editable:
            raise PermissionDenied("Failure-mode tests change only while the request is being prepared, by its owners.")
        if form.is_valid():
            try:
                failure_modes_save(
                    use_case=use_case,
                    user=request.user,
                    answers=form.answers(),
                    reason=form.cleaned_data["change_reason"],
                )
            except ValidationError as exc:
                for field, errors in exc.message_dict.items():
                    for error in errors:
                        form.add_error(field if field in form.fields else None, error)
            else:
                messages.success(request, "Failure-mode tests saved.")
                return redirect("use_case_failure_modes", reference=use_case.reference)
    context = {"use_case": use_case, "form": form, "editable": editable}
    return render(request, "approvals/failure_modes.html", context, status=400 if form.errors else 200)
