"""Opening a draft and editing a request, judged by the request page's form and saved by the same services."""

import json

from django.core.exceptions import PermissionDenied
from drf_spectacular.utils import extend_schema
from rest_framework import exceptions, status
from rest_framework.response import Response

from api.writes.common import WriteView, form_values, get_use_case_for_user, outcome, refusals, require_valid
from api.writes.serializers import (
    EditOutcomeSerializer,
    UseCaseCreateSerializer,
    UseCaseEditSerializer,
)
from approvals.permissions import can_change_request
from approvals.services import REASON_REQUIRED, SubmissionIncomplete, material_changes, use_case_edit
from governance.forms import OWNER_FIELDS, UseCaseForm
from governance.models import UseCase
from governance.permissions import can_create_use_case
from governance.services import use_case_create


def _as_posted(form: UseCaseForm, values: dict) -> dict:
    """The body's values as the page posts them: owners by id (looked up among the people the form offers, so
    a user name it does not offer stays an invalid choice) and data categories by id (likewise)."""
    data = dict(values)
    for name in OWNER_FIELDS:
        if name in data:
            pk = form.fields[name].queryset.filter(username=data[name]).values_list("pk", flat=True).first()
            data[name] = pk or data[name]
    if "data_categories" in data:
        slugs = list(data["data_categories"])
        known = dict(form.fields["data_categories"].queryset.filter(slug__in=slugs).values_list("slug", "pk"))
        data["data_categories"] = [known.get(slug, slug) for slug in slugs]
    return data


def _defaults(form: UseCaseForm) -> dict:
    """What the page's form starts from when nothing is chosen (the model's defaults), owners aside: the API
    names every owner."""
    return {
        name: field.initial
        for name, field in form.fields.items()
        if field.initial not in (None, "") and name not in OWNER_FIELDS
    }


class UseCaseCreate(WriteView):
    @extend_schema(
        operation_id="use_case_create",
        summary="Open a draft request",
        description="Opens a draft use case as the request page does: the same form, the same rules (three owners "
        "who may own, a fallback that is not the primary model, a reason when one person holds two owner roles…), "
        "the same service. A service account's token needs the submit scope; the draft is then the account's to "
        "edit and submit.",
        request=UseCaseCreateSerializer,
        responses=refusals(ok=201),
        tags=["requests"],
    )
    def post(self, request):
        if not can_create_use_case(request.user):
            raise PermissionDenied("Only business owners open requests.")
        values = self.body(UseCaseCreateSerializer)
        form = UseCaseForm(user=request.user)
        form = UseCaseForm({**_defaults(form), **_as_posted(form, values)}, user=request.user)
        use_case = use_case_create(user=request.user, **require_valid(form))
        return Response(outcome(request, use_case), status=status.HTTP_201_CREATED)


class UseCaseEdit(WriteView):
    @extend_schema(
        operation_id="use_case_edit",
        summary="Edit a request",
        description="Changes the fields given; the rest keep their values. A draft (or a request sent back, "
        "withdrawn, suspended or expired) is edited by its owners. An approved one needs a `reason`; a change to "
        "what the approval is an approval of (model, data, deployment, purpose, logging…) is refused with 400 "
        "naming those fields until `confirm_material` names them too, and then suspends the approval and opens "
        "a new review round, as the page does.",
        request=UseCaseEditSerializer,
        responses=refusals(409, produced=EditOutcomeSerializer),
        tags=["requests"],
    )
    def patch(self, request, reference):
        use_case = get_use_case_for_user(request.user, reference)
        if not can_change_request(request.user, use_case):
            raise PermissionDenied("Only the owners can edit this request, and not while it is in review or closed.")
        values = dict(self.body(UseCaseEditSerializer))
        reason = values.pop("reason", "").strip()
        confirmed = values.pop("confirm_material", None)
        form = UseCaseForm(instance=use_case, user=request.user)
        data = {**form_values(form), **_as_posted(form, values)}
        form = UseCaseForm(data, instance=use_case, user=request.user)
        cleaned = dict(require_valid(form))
        saved = UseCase.objects.get(pk=use_case.pk)  # the form wrote its values onto `use_case`
        if saved.is_approved and not reason:
            raise exceptions.ValidationError({"reason": [REASON_REQUIRED]})
        material = material_changes(use_case=saved, changes=cleaned) if saved.is_approved else []
        if material and sorted(confirmed or []) != sorted(material):
            raise exceptions.ValidationError(
                {
                    "confirm_material": [
                        "This change is material: it suspends the approval and opens a new review round. Send "
                        f"confirm_material: {json.dumps(material)} to make it."
                    ]
                }
            )
        rounds_before = saved.rounds.count()
        try:
            updated = use_case_edit(use_case=use_case, user=request.user, reason=reason, **cleaned)
        except SubmissionIncomplete as exc:
            return Response(
                {
                    "detail": "This change re-opens review, but the request is not complete.",
                    "gaps": [gap.message for gap in exc.gaps],
                },
                status=status.HTTP_400_BAD_REQUEST,
            )
        opened = updated.rounds.order_by("-number").first() if updated.rounds.count() > rounds_before else None
        return Response(
            outcome(request, updated, material_changes=material, review_round=opened.number if opened else None)
        )
