"""The API's reference for people: Swagger UI and Redoc over /api/v1/schema/, from the vendored sidecar assets.

Both pages are for anyone signed in with a role, like the other pages; an account with no role learns nothing
(404). Neither page has an inline script: each loads its bundle and a static file that starts it."""

from django.conf import settings
from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import render
from django.views.decorators.http import require_GET

from config.middleware import CONTENT_SECURITY_POLICY
from governance.permissions import has_any_role

# The site's policy, with one exception for these pages only: Swagger UI and Redoc draw with React and
# styled-components, which write `style` attributes and <style> elements at run time, so styles must be
# allowed inline; Redoc also runs its search index in a Web Worker made from a blob: URL. Scripts stay
# 'self' only, so the exception does not let anything run that the server did not send.
DOCS_POLICY_CHANGES = {
    "style-src 'self'": "style-src 'self' 'unsafe-inline'",
    "default-src 'self'": "default-src 'self'; worker-src 'self' blob:",
}


def _docs_policy() -> str:
    policy = getattr(settings, "CONTENT_SECURITY_POLICY", CONTENT_SECURITY_POLICY)
    for strict, relaxed in DOCS_POLICY_CHANGES.items():
        policy = policy.replace(strict, relaxed)
    return policy


def _render(request, template: str):
    if not has_any_role(request.user):
        raise Http404("No such page")
    response = render(request, template, {"title": settings.SPECTACULAR_SETTINGS["TITLE"]})
    response.headers["Content-Security-Policy"] = _docs_policy()
    return response


@require_GET
@login_required
def swagger_ui(request):
    return _render(request, "api/swagger_ui.html")


@require_GET
@login_required
def redoc(request):
    return _render(request, "api/redoc.html")
