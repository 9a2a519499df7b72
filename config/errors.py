"""The site's error answers: a page for people, and JSON for the API (a program asking for
/api/v1/records/0/ gets the API's own shape of refusal, not the site's HTML page)."""

from django.http import JsonResponse
from django.views.defaults import page_not_found

API_PREFIX = "/api/"


def not_found(request, exception):
    if request.path.startswith(API_PREFIX):
        return JsonResponse({"detail": "Not found."}, status=404)
    return page_not_found(request, exception)
