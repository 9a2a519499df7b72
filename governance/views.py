from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import get_object_or_404, render
from django.views.decorators.http import require_GET

from governance.forms import UseCaseFilterForm
from governance.models import UseCase
from governance.paging import paginate
from governance.permissions import can_view_use_case
from governance.selectors import filter_use_cases, in_list_order, use_cases_visible_to, with_list_facts


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
def use_case_list(request):
    """Every use case the user may see, searchable, filtered, sorted and paginated."""
    form = UseCaseFilterForm(request.GET or None, user=request.user)
    use_cases = with_list_facts(use_cases_visible_to(request.user))
    use_cases = filter_use_cases(use_cases, **form.cleaned_data) if form.is_valid() else in_list_order(use_cases)
    page = paginate(use_cases, request.GET.get("page"))
    query = request.GET.copy()
    query.pop("page", None)
    sort_query = query.copy()
    sort_query.pop("sort", None)
    context = {
        "form": form,
        "page": page,
        "use_cases": page.object_list,
        "query": query.urlencode(),
        "sort_query": sort_query.urlencode(),
        "sort": form.cleaned_data.get("sort", "") if form.is_valid() else "",
    }
    return render(request, "governance/use_case_list.html", context, status=400 if form.errors else 200)
