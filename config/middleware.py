from urllib.parse import urlsplit

from django.conf import settings
from django.utils.cache import add_never_cache_headers

CONTENT_SECURITY_POLICY = "; ".join(
    [
        "default-src 'self'",
        "script-src 'self'",
        "style-src 'self'",
        "img-src 'self' data:",
        "font-src 'self'",
        "connect-src 'self'",
        "object-src 'none'",
        "base-uri 'self'",
        "form-action 'self'",
        "frame-ancestors 'none'",
    ]
)


class ContentSecurityPolicyMiddleware:
    """Forbid inline scripts and every host but our own on every response."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        policy = getattr(settings, "CONTENT_SECURITY_POLICY", CONTENT_SECURITY_POLICY)
        if settings.CLEARANCE_OIDC_ISSUER:
            # Signing out posts a form that ends at the provider's logout page: the browser checks that
            # redirect against form-action.
            issuer = urlsplit(settings.CLEARANCE_OIDC_ISSUER)
            policy = policy.replace("form-action 'self'", f"form-action 'self' {issuer.scheme}://{issuer.netloc}")
        response.headers.setdefault("Content-Security-Policy", policy)
        return response


class RefuseNulMiddleware:
    """A NUL character in the address (path or query string) or in a posted form is refused with 400.

    No page takes one, and PostgreSQL refuses NUL in text, so it would otherwise surface as a server
    error from whichever query first saw it. Multipart bodies are left to the forms (which refuse NUL
    in text fields) so that upload views can still choose how their files are read.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if _has_nul(request):
            from django.http import JsonResponse
            from django.shortcuts import render

            message = "The address or the form contains a NUL character, which no page accepts."
            if request.path_info.startswith("/api/"):
                # The API answers every refusal in JSON, as its schema says.
                return JsonResponse({"detail": message}, status=400)
            return render(request, "400.html", {"message": message}, status=400)
        return self.get_response(request)


def _has_nul(request) -> bool:
    if "\x00" in request.path or "\x00" in request.path_info:
        return True
    data = [request.GET]
    if request.method == "POST" and request.content_type == "application/x-www-form-urlencoded":
        data.append(request.POST)
    return any("\x00" in key or any("\x00" in v for v in values) for d in data for key, values in d.lists())


class NoStoreWhenSignedInMiddleware:
    """Nothing shown to a signed-in person is kept by the browser or a shared cache: every response to
    an authenticated request (pages, fragments, downloads) says `Cache-Control: no-store`, so the back
    button or a shared machine does not bring a page back after sign-out. Anonymous responses (the
    sign-in page, health checks; static files never reach here) keep their own headers."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        user = getattr(request, "user", None)
        if user is not None and user.is_authenticated:
            add_never_cache_headers(response)
        return response
