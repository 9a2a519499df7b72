from django.conf import settings
from django.urls import get_urlconf, path
from django.utils import translation
from drf_spectacular.views import SpectacularAPIView
from rest_framework.renderers import JSONRenderer
from rest_framework.response import Response

from api import docs_views

# The document depends on the code alone: built once per process and language, not on every request (building
# it takes a fifth of a second, which any signed-in caller could otherwise ask for again and again).
_DOCUMENTS: dict[tuple[str, str], dict] = {}


class SchemaView(SpectacularAPIView):
    """The OpenAPI document, in YAML or JSON as asked (`Accept` or `?format=`)."""

    def _get_schema_response(self, request):
        language = translation.get_language()
        version = self.api_version or request.version or self._get_version_parameter(request)
        known = {settings.LANGUAGE_CODE, *(code for code, _ in settings.LANGUAGES)}
        if version is not None or language not in known:
            return super()._get_schema_response(request)
        # The URLconf too: a test (or a second site in one process) may serve other routes.
        key = (language, str(get_urlconf() or settings.ROOT_URLCONF))
        if key not in _DOCUMENTS:
            generator = self.generator_class(urlconf=self.urlconf, api_version=None, patterns=self.patterns)
            _DOCUMENTS[key] = generator.get_schema(request=request, public=self.serve_public)
        filename = self._get_filename(request, None)
        return Response(data=_DOCUMENTS[key], headers={"Content-Disposition": f'inline; filename="{filename}"'})

    def handle_exception(self, exc):
        # A refusal (no credentials, a bad token) is JSON like every other error of the API, whatever
        # format the document was asked in.
        self.request.accepted_renderer = JSONRenderer()
        self.request.accepted_media_type = JSONRenderer.media_type
        return super().handle_exception(exc)


urlpatterns = [
    path("schema/", SchemaView.as_view(), name="api_schema"),
    path("docs/", docs_views.swagger_ui, name="api_docs"),
    path("redoc/", docs_views.redoc, name="api_redoc"),
]
