"""The catalog of models and vendors: the registry's public facts, where they came from, and who depends on them."""

from django.contrib.auth.decorators import login_required
from django.db.models import Count, Q
from django.http import Http404
from django.shortcuts import get_object_or_404, render
from django.views.decorators.http import require_GET

from governance.models import AIModel, Vendor
from governance.selectors import use_cases_visible_to, with_list_facts


def _require(user, perm: str) -> None:
    """Every role reads the catalog; an account with no role is an outsider and learns nothing."""
    if not user.has_perm(perm):
        raise Http404("No such page")


@require_GET
@login_required
def model_list(request):
    _require(request.user, "governance.view_aimodel")
    # Each model's use cases counted among those the viewer may see: an owner counts only their own.
    visible = use_cases_visible_to(request.user).values("pk")
    models = (
        AIModel.objects.select_related("vendor")
        .annotate(use_case_count=Count("use_cases", filter=Q(use_cases__in=visible)))
        .order_by("vendor__name", "name")
    )
    return render(request, "governance/catalog_models.html", {"models": models})


@require_GET
@login_required
def model_detail(request, pk):
    _require(request.user, "governance.view_aimodel")
    model = get_object_or_404(AIModel.objects.select_related("vendor"), pk=pk)
    use_cases = with_list_facts(use_cases_visible_to(request.user).filter(primary_model=model)).order_by("-updated_at")
    context = {"model": model, "use_cases": use_cases, "history": model.history.select_related("history_user")[:20]}
    return render(request, "governance/catalog_model.html", context)


@require_GET
@login_required
def vendor_list(request):
    _require(request.user, "governance.view_vendor")
    vendors = Vendor.objects.annotate(model_count=Count("models")).order_by("name")
    return render(request, "governance/catalog_vendors.html", {"vendors": vendors})


@require_GET
@login_required
def vendor_detail(request, pk):
    _require(request.user, "governance.view_vendor")
    vendor = get_object_or_404(Vendor, pk=pk)
    use_cases = with_list_facts(use_cases_visible_to(request.user).filter(primary_model__vendor=vendor)).order_by(
        "-updated_at"
    )
    context = {
        "vendor": vendor,
        "models": vendor.models.order_by("name"),
        "use_cases": use_cases,
        "history": vendor.history.select_related("history_user")[:20],
    }
    return render(request, "governance/catalog_vendor.html", context)
