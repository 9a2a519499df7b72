"""Reading an upload with a size limit: refused before the body is read when its declared length is too
large, and stopped at the limit while it streams, so an oversized file is never written out whole."""

from functools import wraps

from django.core.files.uploadhandler import FileUploadHandler, StopUpload
from django.views.decorators.csrf import csrf_exempt, csrf_protect

# Room in a request body for the multipart boundaries and the small fields beside the file.
FORM_ALLOWANCE = 64 * 1024


def too_large_message(max_bytes: int) -> str:
    return f"The file is larger than {_size(max_bytes)}, the most Clearance accepts. Nothing was stored."


def _size(n: int) -> str:
    return f"{n // (1024 * 1024)} MB" if n >= 1024 * 1024 else f"{n} bytes"


class SizeLimitHandler(FileUploadHandler):
    """First of the request's upload handlers: passes chunks on until a file passes `max_bytes`, then
    stops the upload; the handlers after it close and delete what they had written."""

    def __init__(self, request, max_bytes: int):
        super().__init__(request)
        self.max_bytes = max_bytes

    def receive_data_chunk(self, raw_data, start):
        if start + len(raw_data) > self.max_bytes:
            self.request.upload_refused = too_large_message(self.max_bytes)
            raise StopUpload(connection_reset=False)
        return raw_data

    def file_complete(self, file_size):
        return None


def limit_upload(max_bytes, *, refuse):
    """Decorate a view that takes a file.

    A body whose declared length is over `max_bytes` (plus room for the form) is not read at all:
    `refuse(request, message, *args, **kwargs)` answers instead. Otherwise the view runs with the limit
    in place while the body streams; when a file passes it, the file is absent from `request.FILES` and
    `request.upload_refused` holds the message for the view to show. `max_bytes` is a number or a
    callable, read on each request.

    The view is CSRF-protected as usual; the protection is applied inside, because the CSRF middleware
    would read the body before the limit is in place.
    """

    def decorator(view):
        protected = csrf_protect(view)

        @wraps(view)
        @csrf_exempt
        def wrapper(request, *args, **kwargs):
            limit = max_bytes() if callable(max_bytes) else max_bytes
            request.upload_refused = ""
            if _content_length(request) > limit + FORM_ALLOWANCE:
                # Refused unread. The CSRF token is in that body, so `refuse` must change nothing.
                return refuse(request, too_large_message(limit), *args, **kwargs)
            request.upload_handlers.insert(0, SizeLimitHandler(request, limit))
            return protected(request, *args, **kwargs)

        return wrapper

    return decorator


def _content_length(request) -> int:
    try:
        return max(int(request.META.get("CONTENT_LENGTH") or 0), 0)
    except ValueError:
        return 0
