"""Answering a checklist item and attaching evidence to an answer: the caller answers the items of their own
function (an owner the business owner's items, while the request is being prepared), through the services the
pages use, with the same upload limit, content sniffing and hashing as the page's upload."""

from django.conf import settings
from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.shortcuts import get_object_or_404
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import exceptions, parsers, status
from rest_framework.response import Response

from api.writes.common import WriteView, get_use_case_for_user, outcome, refusals, require_valid
from api.writes.serializers import (
    AnswerInputSerializer,
    AnswerOutcomeSerializer,
    EvidenceInputSerializer,
    EvidenceOutcomeSerializer,
)
from approvals.completeness import current_template
from approvals.forms import AnswerForm
from checklist.models import Answer, ChecklistItem
from checklist.permissions import can_answer
from checklist.services import answer_record, evidence_add
from checklist.uploads import FORM_ALLOWANCE, SizeLimitHandler, too_large_message
from governance.ids import parse_id

ITEM = OpenApiParameter(
    "item",
    str,
    OpenApiParameter.PATH,
    description="The item's id, or its code in the current checklist (e.g. GOV-1).",
)


def _item(value: str) -> ChecklistItem:
    pk = parse_id(value)
    if pk is not None:
        return get_object_or_404(ChecklistItem, pk=pk)
    if len(value) > 20:
        raise Http404("No such checklist item")
    return get_object_or_404(ChecklistItem, code=value, section__template=current_template())


class AnswerSet(WriteView):
    @extend_schema(
        operation_id="checklist_answer",
        summary="Answer a checklist item",
        description="Gives or changes the answer to one item of the caller's function (the business owner's items "
        "for the request's owners while it is being prepared; a reviewer's function's items while it is prepared "
        "or in review). Anything short of yes needs a justification.",
        parameters=[ITEM],
        request=AnswerInputSerializer,
        responses=refusals(produced=AnswerOutcomeSerializer),
        tags=["requests"],
    )
    def put(self, request, reference, item):
        use_case = get_use_case_for_user(request.user, reference)
        item = _item(item)
        if not can_answer(request.user, use_case, item):
            raise PermissionDenied(f"You cannot answer {item.code} on {use_case.reference}.")
        form = AnswerForm(self.body(AnswerInputSerializer))
        answer = answer_record(use_case=use_case, item=item, user=request.user, **require_valid(form))
        produced = {"item": item.code, "response": answer.response, "justification": answer.justification}
        return Response(outcome(request, use_case, answer=produced))


class PayloadTooLarge(exceptions.APIException):
    status_code = status.HTTP_413_REQUEST_ENTITY_TOO_LARGE
    default_code = "too_large"


class LimitedUpload(WriteView):
    """A multipart upload read with a size limit (`max_bytes`) in place."""

    parser_classes = [parsers.MultiPartParser]

    def max_bytes(self) -> int:
        raise NotImplementedError

    def initial(self, request, *args, **kwargs):
        # Before anything reads the body (the session's CSRF check reads a multipart form): a body declared larger
        # than the limit is refused unread, and any other is read with the limit in place, so an oversized file is
        # stopped as it streams and never stored whole.
        limit = self.max_bytes()
        django_request = request._request
        django_request.upload_refused = ""
        try:
            declared = max(int(django_request.META.get("CONTENT_LENGTH") or 0), 0)
        except ValueError:
            declared = 0
        if declared > limit + FORM_ALLOWANCE:
            raise PayloadTooLarge(too_large_message(limit))
        django_request.upload_handlers.insert(0, SizeLimitHandler(django_request, limit))
        super().initial(request, *args, **kwargs)

    def refuse_if_too_large(self, request) -> None:
        # Reading the body (with the limit in place) says whether the file passed the limit.
        if request.data is not None and request._request.upload_refused:
            raise PayloadTooLarge(request._request.upload_refused)


class EvidenceUpload(LimitedUpload):
    def max_bytes(self) -> int:
        return settings.EVIDENCE_MAX_BYTES

    @extend_schema(
        operation_id="evidence_upload",
        summary="Attach evidence to an answer",
        description="Uploads a file (multipart, field `file`) for an answered item of the caller's function. The "
        "size limit, the accepted kinds (read from the content, not the name) and the SHA-256 are the upload "
        "page's. A file already attached to the answer is refused.",
        parameters=[ITEM],
        request={"multipart/form-data": EvidenceInputSerializer},
        responses=refusals(413, ok=201, produced=EvidenceOutcomeSerializer),
        tags=["requests"],
    )
    def post(self, request, reference, item):
        use_case = get_use_case_for_user(request.user, reference)
        item = _item(item)
        if not can_answer(request.user, use_case, item):
            raise PermissionDenied(f"You cannot add evidence to {item.code}.")
        answer = Answer.objects.select_related("item", "use_case").filter(use_case=use_case, item=item).first()
        if answer is None:
            raise exceptions.ValidationError({"item": [f"Answer {item.code} before attaching evidence to it."]})
        self.refuse_if_too_large(request)
        upload = self.body(EvidenceInputSerializer)["file"]
        evidence = evidence_add(answer=answer, user=request.user, upload=upload)
        produced = {
            "id": evidence.pk,
            "item": item.code,
            "name": evidence.name,
            "sha256": evidence.sha256,
            "size": evidence.size,
            "content_type": evidence.content_type,
        }
        return Response(outcome(request, use_case, evidence=produced), status=status.HTTP_201_CREATED)
