"""Sign-in protection: the client address django-axes counts failures against, and its lockout page."""

from django.conf import settings
from django.contrib.auth import get_user_model
from django.shortcuts import render


def username_of(request, credentials=None) -> str | None:
    """The username a sign-in was tried with, as django-axes counts and stores it: cut to the longest a
    username can be, so that a form posted with a very long one is a failed sign-in, not a database error."""
    field = get_user_model().USERNAME_FIELD
    username = (credentials or request.POST).get(field)
    if username is None:
        return None
    return str(username)[: get_user_model()._meta.get_field(field).max_length]


def client_ip(request) -> str | None:
    """The address a request came from.

    Without trusted proxies (CLEARANCE_TRUSTED_PROXIES=0, the default) it is the direct peer; a client
    cannot choose it. Behind N proxies it is the N-th address from the right of X-Forwarded-For: each
    proxy appends the address it received the request from, so everything to the left of that may
    have been written by the client itself and is ignored.
    """
    proxies = settings.CLEARANCE_TRUSTED_PROXIES
    direct = request.META.get("REMOTE_ADDR")
    if not proxies:
        return direct
    hops = [part.strip() for part in request.META.get("HTTP_X_FORWARDED_FOR", "").split(",") if part.strip()]
    if len(hops) < proxies:
        return hops[0][:45] if hops else direct
    return hops[-proxies][:45]


def lockout_response(request, original_response=None, credentials=None):
    """The page a locked-out sign-in gets: 429, the project's layout, how long and whom to ask."""
    context = {"minutes": settings.CLEARANCE_LOGIN_LOCKOUT_MINUTES, "failure_limit": settings.AXES_FAILURE_LIMIT}
    return render(request, "registration/locked_out.html", context, status=429)
