"""Single sign-on through an OpenID Connect provider, with mozilla-django-oidc.

The library runs the authorization-code flow (state, nonce, PKCE) and checks the ID token's signature
against the provider's keys. This module adds what an enterprise deployment needs around it:

- the provider's endpoints come from its discovery document, fetched when first needed (never at
  start-up) and kept for an hour, so the configuration is the issuer, the client and the claim names;
- the ID token must be issued by the configured issuer for this client;
- a person is the provider's subject (`ExternalIdentity`), not an e-mail address; a first sign-in
  creates the account from the claims, or takes over a local account with the same verified e-mail
  address that no other provider account holds;
- the provider's groups give the mapped roles at every sign-in (`roles_sync_from_provider`);
- a provider that is down or answers nonsense is a failed sign-in with a message, never an error page;
- signing out ends the provider's session too (RP-initiated logout), when the provider offers it.
"""

import logging
import re
import time
from urllib.parse import urlencode

import requests
from django.conf import settings
from django.contrib import messages
from django.contrib.auth import get_user_model
from django.core.cache import cache
from django.core.exceptions import ImproperlyConfigured, SuspiciousOperation
from django.db import transaction
from django.http import Http404
from django.shortcuts import redirect
from django.urls import reverse
from django.utils import timezone
from mozilla_django_oidc.auth import OIDCAuthenticationBackend
from mozilla_django_oidc.views import OIDCAuthenticationCallbackView, OIDCAuthenticationRequestView

from governance.permissions import has_any_role
from governance.sessions import PASSWORD_AT, now
from identity.models import ExternalIdentity

logger = logging.getLogger(__name__)

DISCOVERY_CACHE_SECONDS = 3600
# Bounds on what the provider's claims may put in the database.
MAX_GROUPS = 500
MAX_GROUP_LENGTH = 255
# The request attribute where the backend leaves why a sign-in failed, for the callback's message.
FAILURE = "clearance_oidc_failure"
AUTH_TIME = "clearance_oidc_auth_time"
REAUTH_STATE = "clearance_oidc_reauth"


class ProviderError(Exception):
    """The provider could not be reached, or answered something that is not OpenID Connect."""


def enabled() -> bool:
    return bool(settings.CLEARANCE_OIDC_ISSUER)


def discovery() -> dict:
    """The provider's discovery document (cached)."""
    url = settings.CLEARANCE_OIDC_DISCOVERY_URL
    key = f"clearance:oidc-discovery:{url}"
    document = cache.get(key)
    if document is None:
        try:
            response = requests.get(url, timeout=settings.OIDC_TIMEOUT)
            response.raise_for_status()
            document = response.json()
        except (requests.RequestException, ValueError) as exc:
            raise ProviderError(f"The discovery document at {url} could not be read: {exc}") from exc
        missing = [k for k in ("issuer", "authorization_endpoint", "token_endpoint", "jwks_uri") if k not in document]
        if not isinstance(document, dict) or missing:
            raise ProviderError(f"The discovery document at {url} lacks {', '.join(missing) or 'its fields'}.")
        if document["issuer"].rstrip("/") != settings.CLEARANCE_OIDC_ISSUER.rstrip("/"):
            raise ProviderError(
                f"The discovery document names the issuer {document['issuer']!r}, "
                f"not the configured {settings.CLEARANCE_OIDC_ISSUER!r}."
            )
        cache.set(key, document, DISCOVERY_CACHE_SECONDS)
    return document


def endpoint(name: str) -> str | None:
    return discovery().get(name)


def _oidc_settings(attr, *args):
    """mozilla-django-oidc's settings lookup, with the provider's endpoints from its discovery document."""
    from_discovery = {
        "OIDC_OP_AUTHORIZATION_ENDPOINT": "authorization_endpoint",
        "OIDC_OP_TOKEN_ENDPOINT": "token_endpoint",
        "OIDC_OP_USER_ENDPOINT": "userinfo_endpoint",
        "OIDC_OP_JWKS_ENDPOINT": "jwks_uri",
    }
    if attr in from_discovery:
        return endpoint(from_discovery[attr])
    try:
        return getattr(settings, attr) if not args else getattr(settings, attr, args[0])
    except AttributeError:
        raise ImproperlyConfigured(f"Setting {attr} not found") from None


def _username_from(claims: dict) -> str:
    """A free username from the configured claim (or the e-mail's local part), in Django's username
    characters, at most 150 long."""
    User = get_user_model()
    raw = str(claims.get(settings.CLEARANCE_OIDC_USERNAME_CLAIM) or str(claims.get("email", "")).split("@")[0])
    base = re.sub(r"[^\w.@+-]", "", raw)[:140] or "user"
    candidate, n = base, 1
    while User.objects.filter(username__iexact=candidate).exists():
        n += 1
        candidate = f"{base}-{n}"
    return candidate


def groups_of(claims: dict) -> list[str]:
    groups = claims.get(settings.CLEARANCE_OIDC_GROUPS_CLAIM) or []
    if isinstance(groups, str):
        groups = [groups]
    if not isinstance(groups, list):
        return []
    return sorted({str(g)[:MAX_GROUP_LENGTH] for g in groups if isinstance(g, (str, int))})[:MAX_GROUPS]


class ClearanceOIDCBackend(OIDCAuthenticationBackend):
    """The library's backend, with lazy endpoints, issuer and audience checks and provider subjects."""

    def __init__(self, *args, **kwargs):
        # The library reads every endpoint here; Django builds a backend for each authenticate() call,
        # password sign-ins included, so nothing is read before a single sign-on needs it.
        self.UserModel = get_user_model()

    get_settings = staticmethod(_oidc_settings)

    OIDC_RP_CLIENT_ID = property(lambda self: settings.OIDC_RP_CLIENT_ID)
    OIDC_RP_CLIENT_SECRET = property(lambda self: settings.OIDC_RP_CLIENT_SECRET)
    OIDC_RP_SIGN_ALGO = property(lambda self: settings.OIDC_RP_SIGN_ALGO)
    OIDC_RP_IDP_SIGN_KEY = None
    OIDC_OP_TOKEN_ENDPOINT = property(lambda self: endpoint("token_endpoint"))
    OIDC_OP_USER_ENDPOINT = property(lambda self: endpoint("userinfo_endpoint"))
    OIDC_OP_JWKS_ENDPOINT = property(lambda self: endpoint("jwks_uri"))

    def authenticate(self, request, **kwargs):
        if not enabled() or request is None or "code" not in request.GET:
            return None
        try:
            return super().authenticate(request, **kwargs)
        except (ProviderError, requests.RequestException, SuspiciousOperation, ValueError, KeyError) as exc:
            logger.warning("Single sign-on failed: %s", exc)
            setattr(request, FAILURE, "The sign-in service could not confirm who you are. Try again in a moment.")
            return None

    def verify_token(self, token, **kwargs):
        payload = super().verify_token(token, **kwargs)
        issuer = discovery()["issuer"]
        audience = payload.get("aud")
        audiences = audience if isinstance(audience, list) else [audience]
        if payload.get("iss") != issuer or settings.OIDC_RP_CLIENT_ID not in audiences:
            raise SuspiciousOperation("The ID token was not issued by the configured provider for this client.")
        if payload.get("exp") is not None and payload["exp"] < time.time():
            raise SuspiciousOperation("The ID token has expired.")
        if kwargs.get("nonce") is not None:  # the ID token (the userinfo JWT has no nonce)
            self.subject = payload.get("sub")
            setattr(self.request, AUTH_TIME, payload.get("auth_time"))
        return payload

    def get_userinfo(self, access_token, id_token, payload):
        """The ID token's claims, with the userinfo endpoint's over them where the provider has one: some
        providers put the groups only in the ID token (Entra ID), others only in userinfo."""
        userinfo = super().get_userinfo(access_token, id_token, payload) if self.OIDC_OP_USER_ENDPOINT else {}
        if not isinstance(userinfo, dict):
            raise SuspiciousOperation("The userinfo response is not a JSON object.")
        return {**payload, **userinfo}

    def verify_claims(self, claims):
        # The userinfo response must be about the person the ID token names.
        return bool(claims.get("sub")) and claims.get("sub") == getattr(self, "subject", None)

    def filter_users_by_claims(self, claims):
        issuer = discovery()["issuer"]
        found = self.UserModel.objects.filter(
            external_identity__issuer=issuer, external_identity__subject=str(claims["sub"])[:255]
        )
        if found.exists():
            return found
        email = str(claims.get("email") or "")
        if email and claims.get("email_verified") is True:
            # A local account made before single sign-on, with this verified address and no provider
            # account of its own, is this person's; never a superuser or a break-glass account, which stay
            # local whatever a provider says about an address.
            return self.UserModel.objects.filter(
                email__iexact=email, external_identity__isnull=True, is_superuser=False
            ).exclude(username__in=settings.CLEARANCE_BREAK_GLASS_USERS)
        return self.UserModel.objects.none()

    @transaction.atomic
    def create_user(self, claims):
        user = self.UserModel(username=_username_from(claims))
        user.set_unusable_password()
        self._update_profile(user, claims)
        user.save()
        return self._after_sign_in(user, claims)

    @transaction.atomic
    def update_user(self, user, claims):
        self._update_profile(user, claims)
        user.save(update_fields=["first_name", "last_name", "email"])
        return self._after_sign_in(user, claims)

    def _update_profile(self, user, claims):
        user.first_name = str(claims.get("given_name") or "")[:150]
        user.last_name = str(claims.get("family_name") or "")[:150]
        if not user.first_name and not user.last_name and claims.get("name"):
            user.first_name = str(claims["name"])[:150]
        email = str(claims.get("email") or "")
        user.email = email[:254] if len(email) <= 254 else ""

    def _after_sign_in(self, user, claims):
        from identity.services import roles_sync_from_provider

        issuer = discovery()["issuer"]
        groups = groups_of(claims)
        identity, created = ExternalIdentity.objects.get_or_create(
            user=user, defaults={"issuer": issuer, "subject": str(claims["sub"])[:255], "groups": groups}
        )
        if not created:
            identity.groups = groups
            identity.last_signed_in_at = timezone.now()
            identity.save(update_fields=["groups", "last_signed_in_at"])
        if user.is_active:
            roles_sync_from_provider(person=user, groups=groups, provider=settings.CLEARANCE_OIDC_PROVIDER_NAME)
        else:
            setattr(self.request, FAILURE, "Your Clearance account is deactivated. Ask a governance admin.")
        return user

    def get_user(self, user_id):
        user = super().get_user(user_id)
        return user if user is not None and user.is_active else None


class SignInView(OIDCAuthenticationRequestView):
    """Off to the provider; with ?reauth=1, a fresh sign-in there (prompt=login, max_age=0) to confirm a
    sensitive action."""

    get_settings = staticmethod(_oidc_settings)

    def __init__(self, *args, **kwargs):
        super(OIDCAuthenticationRequestView, self).__init__(*args, **kwargs)
        self.OIDC_RP_CLIENT_ID = settings.OIDC_RP_CLIENT_ID if enabled() else None

    def dispatch(self, request, *args, **kwargs):
        if not enabled():
            raise Http404("Single sign-on is not configured.")
        try:
            self.OIDC_OP_AUTH_ENDPOINT = endpoint("authorization_endpoint")
        except ProviderError as exc:
            logger.warning("Single sign-on unavailable: %s", exc)
            messages.error(request, "The sign-in service cannot be reached just now. Try again in a moment.")
            return redirect(settings.LOGIN_URL)
        request.session[REAUTH_STATE] = bool(request.GET.get("reauth") and request.user.is_authenticated)
        return super().dispatch(request, *args, **kwargs)

    def get_extra_params(self, request):
        if request.session.get(REAUTH_STATE):
            return {"prompt": "login", "max_age": "0"}
        return {}


class CallbackView(OIDCAuthenticationCallbackView):
    get_settings = staticmethod(_oidc_settings)

    def dispatch(self, request, *args, **kwargs):
        if not enabled():
            raise Http404("Single sign-on is not configured.")
        return super().dispatch(request, *args, **kwargs)

    def get(self, request):
        try:
            return super().get(request)
        except SuspiciousOperation as exc:
            # A callback this browser did not start (an old tab, a replayed link).
            logger.warning("Single sign-on callback refused: %s", exc)
            return self._failed("That sign-in link has expired or was not started here. Sign in again.")

    def login_failure(self):
        reason = getattr(self.request, FAILURE, None)
        if self.request.GET.get("error"):
            reason = reason or "The sign-in service did not sign you in."
        return self._failed(reason or "Single sign-on did not complete. Sign in again.")

    def _failed(self, reason: str):
        messages.error(self.request, reason)
        return redirect(settings.LOGIN_URL)

    def login_success(self):
        self.request.session.pop(REAUTH_STATE, None)
        response = super().login_success()
        auth_time = getattr(self.request, AUTH_TIME, None)
        if isinstance(auth_time, (int, float)) and not isinstance(auth_time, bool):
            # When the person last proved who they are is when the provider authenticated them, which may
            # be long before this sign-in (a provider session) or just now (a fresh sign-in asked for to
            # confirm a sensitive action: prompt=login).
            self.request.session[PASSWORD_AT] = min(int(auth_time), now())
        if not has_any_role(self.user):
            return redirect("no_role")
        return response


def provider_logout_url(request) -> str:
    """Where signing out sends the browser: the provider's end-session endpoint, which ends the person's
    session there and comes back to the sign-in page; the sign-in page itself when there is none."""
    back = request.build_absolute_uri(reverse(settings.LOGIN_URL))
    try:
        end_session = endpoint("end_session_endpoint")
    except ProviderError:
        end_session = None
    id_token = request.session.get("oidc_id_token")
    if not end_session or not id_token:
        return back
    query = {"id_token_hint": id_token, "post_logout_redirect_uri": back, "client_id": settings.OIDC_RP_CLIENT_ID}
    return f"{end_session}?{urlencode(query)}"
