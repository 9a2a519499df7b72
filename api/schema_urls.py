from django.urls import path
from drf_spectacular.views import SpectacularAPIView
from rest_framework.renderers import JSONRenderer

from api import docs_views


class SchemaView(SpectacularAPIView):
    """The OpenAPI document, in YAML or JSON as asked (`Accept` or `?format=`)."""

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
