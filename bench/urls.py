"""The app's URLconf plus the benchmark's floor: a signed-in page that runs one trivial query and renders a
tiny template. It is what every page costs at least (middleware, session, user, one round trip to the
database, a template), so a page's time divided by the floor's says what the page itself adds."""

from django.contrib.auth import get_user_model
from django.contrib.auth.decorators import login_required
from django.http import HttpResponse
from django.template import engines
from django.urls import path

from config.urls import urlpatterns as app_urlpatterns

FLOOR = engines["django"].from_string("<!doctype html><title>floor</title><p>{{ name }}</p>")


@login_required
def floor(request):
    name = get_user_model().objects.filter(pk=request.user.pk).values_list("username", flat=True).first()
    return HttpResponse(FLOOR.render({"name": name}, request))


urlpatterns = [path("bench/floor/", floor, name="bench_floor"), *app_urlpatterns]
