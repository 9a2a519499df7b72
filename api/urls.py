"""/api/v1/: each area's routes in its own module."""

from django.urls import include, path

urlpatterns = [
    path("", include("api.schema_urls")),
]
