from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import get_object_or_404, render
from django.views.decorators.http import require_GET

from governance.models import UseCase
from governance.permissions import can_view_use_case
from governance.selectors import use_cases_owned_by, use_cases_visible_to, with_list_facts


def get_use_case_for_user(user, reference: str) -> UseCase:
    """The use case, or 404 when it does not exist or the user may not see it: outsiders learn nothing."""
    use_case = get_object_or_404(
        UseCase.objects.select_related(
            "primary_model__vendor", "business_owner", "technical_owner", "risk_owner", "created_by"
        ),
        reference=reference,
    )
    if not can_view_use_case(user, use_case):
        raise Http404("No such use case")
    return use_case


@require_GET
@login_required
def home(request):
    mine = with_list_facts(use_cases_owned_by(request.user)).order_by("-updated_at")[:50]
    return render(request, "governance/home.html", {"use_cases": mine})


@require_GET
@login_required
def use_case_list(request):
    use_cases = with_list_facts(use_cases_visible_to(request.user)).order_by("-updated_at")[:200]
    return render(request, "governance/use_case_list.html", {"use_cases": use_cases})
