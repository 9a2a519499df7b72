"""The registry and the use cases, read through the API: the catalog's and the use case pages' facts, to
the same people. Each view authorizes as its page does (outsiders get 404) and reads the page's selectors."""

from django.http import Http404
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import generics
from rest_framework.exceptions import ValidationError
from rest_framework.response import Response

from api.reads import selectors
from api.reads.access import use_case_for
from api.reads.serializers import (
    AIModelSerializer,
    DataCategorySerializer,
    UseCaseDetailSerializer,
    UseCaseListSerializer,
    VendorSerializer,
)
from governance.forms import UseCaseFilterForm
from governance.models import DataCategory, UseCase
from governance.selectors import filter_use_cases, use_cases_visible_to, with_list_facts

REFERENCE = OpenApiParameter("reference", OpenApiTypes.STR, OpenApiParameter.PATH, description="e.g. UC-2026-0007")


def _require(user, perm: str) -> None:
    """The catalog is every role's; an account with no role learns nothing of it (as on its pages)."""
    if not user.has_perm(perm):
        raise Http404("No such page")


def form_errors(form) -> ValidationError:
    """A filter form's errors as a 400, each field with its messages."""
    return ValidationError({field: [str(message) for message in errors] for field, errors in form.errors.items()})


@extend_schema(tags=["registry"], summary="Vendors, with their sanctions and export facts and sources")
class VendorList(generics.ListAPIView):
    serializer_class = VendorSerializer

    def get_queryset(self):
        _require(self.request.user, "governance.view_vendor")
        return selectors.vendors()


@extend_schema(tags=["registry"], summary="One vendor")
class VendorDetail(generics.RetrieveAPIView):
    serializer_class = VendorSerializer

    def get_queryset(self):
        _require(self.request.user, "governance.view_vendor")
        return selectors.vendors()


@extend_schema(tags=["registry"], summary="Models, with their vendor, facts, sources and lifecycle")
class ModelList(generics.ListAPIView):
    serializer_class = AIModelSerializer

    def get_queryset(self):
        _require(self.request.user, "governance.view_aimodel")
        return selectors.models_for(self.request.user)


@extend_schema(tags=["registry"], summary="One model")
class ModelDetail(generics.RetrieveAPIView):
    serializer_class = AIModelSerializer

    def get_queryset(self):
        _require(self.request.user, "governance.view_aimodel")
        return selectors.models_for(self.request.user)


@extend_schema(tags=["registry"], summary="Data categories, most sensitive first")
class DataCategoryList(generics.ListAPIView):
    serializer_class = DataCategorySerializer

    def get_queryset(self):
        _require(self.request.user, "governance.view_datacategory")
        return DataCategory.objects.order_by("-sensitivity", "name", "pk")


@extend_schema(
    tags=["use cases"],
    summary="Use cases the caller may open, with the list page's search, filters and order",
    parameters=[
        OpenApiParameter("q", str, description="Search the reference, title and purpose (at most 200 characters)."),
        OpenApiParameter(
            "status",
            str,
            enum=[UseCase.LIVE, *UseCase.Status.values],
            description="One status, or `live` for the live portfolio.",
        ),
        OpenApiParameter("model", int, description="The primary model's id."),
        OpenApiParameter("vendor_country", str, description="The vendor's headquarters country (ISO 3166 alpha-2)."),
        OpenApiParameter("band", str, enum=["low", "medium", "high", "critical"], description="Residual risk band."),
        OpenApiParameter("owner", int, description="A business, technical or risk owner's user id."),
        OpenApiParameter(
            "sort", str, enum=list(UseCaseFilterForm.SORTS), description="Order; by default most recently updated."
        ),
    ],
)
class UseCaseList(generics.ListAPIView):
    serializer_class = UseCaseListSerializer

    def get_queryset(self):
        user, params = self.request.user, self.request.query_params
        use_cases = with_list_facts(use_cases_visible_to(user))
        form = UseCaseFilterForm(params, user=user)
        if not form.is_valid():
            raise form_errors(form)
        return filter_use_cases(use_cases, **form.cleaned_data)


@extend_schema(
    tags=["use cases"],
    summary="One use case: its fields, owners, models, data, risks, status and the approval in force",
    parameters=[
        OpenApiParameter("reference", OpenApiTypes.STR, OpenApiParameter.PATH, description="e.g. UC-2026-0007")
    ],
)
class UseCaseDetail(generics.RetrieveAPIView):
    serializer_class = UseCaseDetailSerializer

    def get_object(self):
        return selectors.use_case_in_full(use_case_for(self.request.user, self.kwargs["reference"]))

    def retrieve(self, request, *args, **kwargs):
        use_case = self.get_object()
        context = {**self.get_serializer_context(), "current_approval": selectors.current_approval(use_case)}
        return Response(self.get_serializer_class()(use_case, context=context).data)
