"""What every write endpoint shares: the request body read strictly, the page's form as the judge of its values,
and the compact answer (the use case as it now stands, with what the action produced)."""

from django.forms import Form
from drf_spectacular.utils import OpenApiResponse
from rest_framework import exceptions, parsers, serializers
from rest_framework.views import APIView

from api.writes.serializers import ProblemSerializer, UseCaseOutcomeSerializer
from governance.models import UseCase
from governance.views import get_use_case_for_user

__all__ = ["WriteView", "form_values", "get_use_case_for_user", "outcome", "refusals", "require_valid"]


class WriteView(APIView):
    """A write endpoint: no GET, a JSON body (an upload says otherwise), judged by a strict serializer first
    (unknown fields refused)."""

    parser_classes = [parsers.JSONParser]

    def body(self, serializer_class, **kwargs) -> dict:
        serializer = serializer_class(data=self.request.data, **kwargs)
        serializer.is_valid(raise_exception=True)
        return serializer.validated_data


def form_values(form: Form, initial: dict | None = None) -> dict:
    """A form's current values (its initial data, ids for objects) as the data a page would post back."""

    def plain(value):
        if hasattr(value, "_meta"):
            return value.pk
        if isinstance(value, list | tuple | set):
            return [plain(each) for each in value]
        return "" if value is None else value

    source = form.initial if initial is None else initial
    return {name: plain(source.get(name)) for name in form.fields if name in source}


def require_valid(form: Form, rename: dict[str, str] | None = None) -> dict:
    """The form's cleaned data, or a 400 with its errors under the API's field names."""
    if form.is_valid():
        return form.cleaned_data
    rename = rename or {}
    errors = {}
    for field, messages in form.errors.items():
        key = "non_field_errors" if field == "__all__" else rename.get(field, field)
        # A rule checked by the form and again by the model's validation says the same thing once.
        errors.setdefault(key, []).extend(m for m in messages if m not in errors.get(key, []))
    raise exceptions.ValidationError(errors)


def outcome(request, use_case: UseCase, **produced) -> dict:
    """The compact answer to every write: the use case's reference, title, status and page, and what the action
    produced."""
    use_case.refresh_from_db(fields=["title", "status"])
    return {
        "reference": use_case.reference,
        "title": use_case.title,
        "status": use_case.status,
        "url": request.build_absolute_uri(use_case.get_absolute_url()),
        **produced,
    }


def refusals(*codes: int, ok: int = 200, produced: type[serializers.Serializer] | None = None) -> dict:
    """The responses a write endpoint documents: its outcome and the refusals it can give."""
    described = {
        400: "The body is malformed, names an unknown field, or a rule refused a value (the service's message).",
        401: "No credentials, or a token that is unknown, revoked or expired.",
        403: "The caller may see the use case but not do this, in its current state; or the token's scopes do not "
        "reach it; or (with a session) the CSRF token is missing.",
        404: "No such use case, or one the caller may not see.",
        409: "The use case moved to a state in which this cannot happen.",
        413: "The upload is larger than the most Clearance accepts.",
    }
    responses = {ok: produced or UseCaseOutcomeSerializer}
    for code in (400, 401, 403, 404, *codes):
        responses[code] = OpenApiResponse(ProblemSerializer, description=described[code])
    return responses
