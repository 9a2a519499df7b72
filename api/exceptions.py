"""A service's refusal is the client's error: Django's ValidationError becomes a 400 with the service's own
messages (DRF already turns PermissionDenied into 403 and Http404 into 404, keeping their messages), and a state
machine's refused transition (the request moved on since it was read) a 409 with its message."""

from django.core.exceptions import ValidationError as DjangoValidationError
from django_fsm import TransitionNotAllowed
from rest_framework import exceptions, status
from rest_framework.renderers import JSONRenderer
from rest_framework.views import exception_handler


class Conflict(exceptions.APIException):
    status_code = status.HTTP_409_CONFLICT
    default_detail = "The request is no longer in a state that allows this."
    default_code = "conflict"


def handler(exc, context):
    if isinstance(exc, DjangoValidationError):
        detail = exc.message_dict if hasattr(exc, "error_dict") else {"detail": exc.messages}
        exc = exceptions.ValidationError(detail)
    elif isinstance(exc, TransitionNotAllowed):
        exc = Conflict(str(exc) or None)
    return exception_handler(exc, context)


class RefusalsAsJson:
    """For a view that answers a file: a refusal (4xx) is JSON whatever type the client asked for, as every
    other refusal of the API is (a `?format=csv` must not dress an error up as a CSV file)."""

    def finalize_response(self, request, response, *args, **kwargs):
        response = super().finalize_response(request, response, *args, **kwargs)
        if response.status_code >= 400 and hasattr(response, "accepted_renderer"):
            response.accepted_renderer = JSONRenderer()
            response.accepted_media_type = JSONRenderer.media_type
        return response
