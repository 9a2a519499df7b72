"""/api/v1/: each area's routes in its own module. Every route's name starts with `api_`."""

from django.urls import include, path

urlpatterns = [
    path("", include("api.schema_urls")),
    path("", include("api.reads.urls")),
    path("", include("api.writes.urls")),
    path("", include("api.gateway_urls")),
]
