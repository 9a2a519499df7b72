"""Sessions end after a spell without activity and, regardless of activity, some hours after sign-in.

The sign-in time and the time of the last request are kept in the session (seconds since the epoch).
The last-request time is written at most once a minute, so a busy page does not save its session on
every request. An expired session is logged out and sent to the sign-in page with a message; an htmx
request gets `HX-Redirect` so that the browser goes there instead of swapping the sign-in page into a
fragment of the page it is on.
"""

import time

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import logout
from django.http import HttpResponse
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.http import urlencode

SIGNED_IN_AT = "clearance_signed_in_at"
LAST_SEEN = "clearance_last_seen"
PASSWORD_AT = "clearance_password_at"
# The last-seen stamp is refreshed when it is at least this old.
REFRESH_SECONDS = 60


def now() -> int:
    """The clock the session limits are measured with (tests move it)."""
    return int(time.time())


def stamp_sign_in(sender, request, user, **kwargs):
    """user_logged_in receiver: a new session starts its clocks."""
    if request is None or not hasattr(request, "session"):
        return
    moment = now()
    request.session[SIGNED_IN_AT] = moment
    request.session[LAST_SEEN] = moment
    # Signing in with a password means giving it; a sensitive action may ask for it again once this is
    # old. Single sign-on replaces this with when the provider authenticated the person.
    request.session[PASSWORD_AT] = moment


def expiry_reason(session, moment: int) -> str | None:
    idle = settings.CLEARANCE_SESSION_IDLE_MINUTES
    signed_in = session.get(SIGNED_IN_AT)
    last_seen = session.get(LAST_SEEN, signed_in)
    if last_seen is not None and moment - last_seen > idle * 60:
        return f"You were signed out after {idle} minutes without activity. Sign in again to continue."
    hours = settings.CLEARANCE_SESSION_MAX_HOURS
    if signed_in is not None and moment - signed_in > hours * 3600:
        return f"You were signed out because your session reached its limit of {hours} hours. Sign in again."
    return None


API_PREFIX = "/api/"


class SessionTimeoutMiddleware:
    """After the authentication and messages middleware."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if request.user.is_authenticated:
            session = request.session
            moment = now()
            reason = expiry_reason(session, moment)
            if reason:
                if request.path.startswith(API_PREFIX):
                    # A program gets the API's own answer (401, asking for credentials), not a sign-in page.
                    logout(request)
                    return self.get_response(request)
                return self.signed_out(request, reason)
            if SIGNED_IN_AT not in session:
                # A session from before these limits: its clocks start now.
                session[SIGNED_IN_AT] = moment
            if moment - session.get(LAST_SEEN, 0) >= REFRESH_SECONDS:
                session[LAST_SEEN] = moment
        return self.get_response(request)

    def signed_out(self, request, reason: str):
        logout(request)
        messages.info(request, reason)
        login = reverse(settings.LOGIN_URL)
        if request.headers.get("HX-Request") == "true":
            response = HttpResponse(status=204)
            response["HX-Redirect"] = login
            return response
        if request.method == "GET" and request.path != login:
            # Back to the page after signing in again (not to the sign-in page itself: a loop).
            login = f"{login}?{urlencode({'next': request.get_full_path()})}"
        return redirect(login)


def password_is_recent(request) -> bool:
    """Whether the person gave their password within CLEARANCE_REAUTH_MINUTES (at sign-in or since), or,
    signed in through single sign-on, was authenticated by the provider within that time."""
    given = request.session.get(PASSWORD_AT)
    return given is not None and now() - given <= settings.CLEARANCE_REAUTH_MINUTES * 60


def confirm_password(request, password: str) -> bool:
    """Check the signed-in person's password again, through the authentication backends, so that a wrong
    one counts as a failed sign-in (and a locked-out account is refused). Right: the clock restarts."""
    from django.contrib.auth import authenticate

    user = authenticate(request, username=request.user.get_username(), password=password)
    if user is None or user.pk != request.user.pk:
        return False
    request.session[PASSWORD_AT] = now()
    return True


def confirms_at_provider(request) -> bool:
    """Whether the signed-in person confirms who they are at the single sign-on provider rather than with a
    password: they signed in through it, have no password here, or may not use one (local passwords off
    and theirs is not a break-glass account)."""
    if not settings.CLEARANCE_OIDC_ISSUER:
        return False
    user = request.user
    password_allowed = settings.CLEARANCE_LOCAL_LOGIN or user.get_username() in settings.CLEARANCE_BREAK_GLASS_USERS
    return "oidc_id_token" in request.session or not user.has_usable_password() or not password_allowed


def provider_confirmation_url(request, *, back: str | None = None) -> str:
    """A fresh sign-in at the provider, then back to `back` (by default the page the person is on)."""
    return f"{reverse('oidc_authentication_init')}?{urlencode({'reauth': 1, 'next': back or request.get_full_path()})}"


def sessions_end(user_id: int) -> int:
    """Delete every unexpired session of the person (a deactivated account). Sessions live in the database
    and name their user only inside their encoded data, so each is read: fine for a rare admin action."""
    from django.contrib.auth import SESSION_KEY
    from django.contrib.sessions.models import Session
    from django.utils import timezone

    ended = [
        session.pk
        for session in Session.objects.filter(expire_date__gt=timezone.now()).iterator()
        if str(session.get_decoded().get(SESSION_KEY)) == str(user_id)
    ]
    Session.objects.filter(pk__in=ended).delete()
    return len(ended)
