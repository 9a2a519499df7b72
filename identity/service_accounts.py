"""Machines that use the API: creating a service account, setting what it may do, issuing and revoking its
tokens, and finding the account behind a token presented to the API.

A service account is a user account of its own (no password, no role, never listed among people), so the
services the pages use check its rights and write its name into the history and events like anyone's. Its
scopes decide which model permissions that account holds (read: the portfolio's view rights; submit: the
right to open requests, and each request's own rights as its creator) and which API routes its tokens reach.
"""

import hashlib
import re
import secrets
from datetime import datetime, timedelta

from django.contrib.auth import get_user_model
from django.contrib.auth.models import Permission
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.text import slugify

from governance.limits import NOTE, refuse_overlong
from governance.permissions import service_account_scopes
from governance.roles import ROLE_PERMISSIONS, Role
from identity.models import ApiToken, ServiceAccount
from identity.services import _refuse_unless_manager

User = get_user_model()

Scope = ServiceAccount.Scope

TOKEN_PREFIX = "clr_"
_TOKEN_SHAPE = re.compile(r"^clr_[A-Za-z0-9_-]{20,80}$")
# How often a token's last use is written: a gateway asking many times a second costs no write each time.
LAST_USED_RESOLUTION = timedelta(minutes=1)

# The model permissions each scope gives the account: reading is what an executive reads (the submitted
# portfolio and the registry), submitting is what a business owner may start. The gateway scope needs none.
SCOPE_PERMISSIONS: dict[str, list[str]] = {
    Scope.READ: ROLE_PERMISSIONS[Role.EXECUTIVE],
    Scope.SUBMIT: ROLE_PERMISSIONS[Role.BUSINESS_OWNER],
    Scope.GATEWAY: [],
}


def token_digest(raw: str) -> str:
    return hashlib.sha256(raw.encode()).hexdigest()


def _checked_scopes(scopes) -> list[str]:
    chosen = [str(scope) for scope in scopes or []]
    unknown = sorted(set(chosen) - set(Scope.values))
    if unknown:
        raise ValidationError({"scopes": f"There is no scope {', '.join(unknown)}."})
    if not chosen:
        raise ValidationError({"scopes": "Choose at least one scope."})
    return [scope for scope in Scope.values if scope in chosen]


def _grant_scope_permissions(user, scopes: list[str]) -> None:
    wanted = {tuple(name.split(".", 1)) for scope in scopes for name in SCOPE_PERMISSIONS[scope]}
    candidates = Permission.objects.select_related("content_type").filter(codename__in={c for _, c in wanted})
    user.user_permissions.set([p for p in candidates if (p.content_type.app_label, p.codename) in wanted])
    for cache in ("_perm_cache", "_user_perm_cache"):
        user.__dict__.pop(cache, None)


def _username_for(name: str) -> str:
    base = f"svc-{slugify(name)[:130] or 'account'}"
    username, n = base, 1
    while User.objects.filter(username=username).exists():
        n += 1
        username = f"{base}-{n}"
    return username


@transaction.atomic
def service_account_create(*, user, name: str, scopes, description: str = "") -> ServiceAccount:
    """Create a service account with its own user account.

    1. Only a governance admin creates one; the name is unique (case aside) and the scopes known.
    2. The user account has no usable password and no role: it can never sign in to the pages.
    3. The scopes' model permissions are given to that account.
    """
    _refuse_unless_manager(user)
    refuse_overlong(name=(name, 100), description=(description, NOTE))
    name = (name or "").strip()
    if not name:
        raise ValidationError({"name": "Name the service account after what uses it."})
    if ServiceAccount.objects.filter(name__iexact=name).exists():
        raise ValidationError({"name": "A service account with this name exists."})
    scopes = _checked_scopes(scopes)
    account_user = User(username=_username_for(name), first_name=name[:150], last_name="(service account)")
    account_user.set_unusable_password()
    account_user.save()
    account = ServiceAccount(
        user=account_user, name=name, description=(description or "").strip(), scopes=scopes, created_by=user
    )
    # Who made each version is named on the row itself, whether a page, the API or a script called.
    account._history_user = user
    account.save()
    _grant_scope_permissions(account_user, scopes)
    return account


@transaction.atomic
def service_account_scopes_set(*, user, account: ServiceAccount, scopes) -> ServiceAccount:
    """Change what an active service account may do; its tokens keep working with the new scopes."""
    _refuse_unless_manager(user)
    account = ServiceAccount.objects.select_for_update().select_related("user").get(pk=account.pk)
    if not account.is_active:
        raise ValidationError("This service account is deactivated.")
    account.scopes = _checked_scopes(scopes)
    account._history_user = user
    account._change_reason = f"Scopes set by {user.get_username()}"
    account.save(update_fields=["scopes"])
    _grant_scope_permissions(account.user, account.scopes)
    return account


@transaction.atomic
def service_account_deactivate(*, user, account: ServiceAccount) -> ServiceAccount:
    """Switch a service account off for good: every token it has is revoked and its user account closed."""
    _refuse_unless_manager(user)
    account = ServiceAccount.objects.select_for_update().select_related("user").get(pk=account.pk)
    if not account.is_active:
        raise ValidationError("This service account is already deactivated.")
    now = timezone.now()
    account.deactivated_at = now
    account._history_user = user
    account._change_reason = f"Deactivated by {user.get_username()}"
    account.save(update_fields=["deactivated_at"])
    account.tokens.filter(revoked_at__isnull=True).update(revoked_at=now, revoked_by=user)
    User.objects.filter(pk=account.user_id).update(is_active=False)
    return account


@transaction.atomic
def token_issue(
    *, user, account: ServiceAccount, name: str, expires_at: datetime | None = None
) -> tuple[ApiToken, str]:
    """Issue a token to an active service account. Returns the token's row and the token itself, which is
    shown once and kept nowhere (only its SHA-256 digest is stored)."""
    _refuse_unless_manager(user)
    refuse_overlong(name=(name, 100))
    name = (name or "").strip()
    if not name:
        raise ValidationError({"name": "Say where the token will be used."})
    account = ServiceAccount.objects.select_for_update().get(pk=account.pk)
    if not account.is_active:
        raise ValidationError("This service account is deactivated: it gets no new tokens.")
    if expires_at is not None and expires_at <= timezone.now():
        raise ValidationError({"expires_at": "The expiry must be in the future."})
    raw = TOKEN_PREFIX + secrets.token_urlsafe(32)
    token = ApiToken.objects.create(
        service_account=account,
        name=name,
        prefix=raw[:12],
        digest=token_digest(raw),
        created_by=user,
        expires_at=expires_at,
    )
    return token, raw


@transaction.atomic
def token_revoke(*, user, token: ApiToken) -> ApiToken:
    """Revoke a token at once: the next request that presents it is refused."""
    _refuse_unless_manager(user)
    token = ApiToken.objects.select_for_update().get(pk=token.pk)
    if token.revoked_at is not None:
        raise ValidationError("This token is already revoked.")
    token.revoked_at = timezone.now()
    token.revoked_by = user
    token.save(update_fields=["revoked_at", "revoked_by"])
    return token


def token_authenticate(raw: str) -> ApiToken | None:
    """The usable token `raw` is, with its account and user, or None (malformed, unknown, revoked, expired,
    or its account deactivated). One query; its last use is written at most once a minute."""
    if not raw or not _TOKEN_SHAPE.match(raw):
        return None
    now = timezone.now()
    token = (
        ApiToken.objects.select_related("service_account__user")
        .filter(digest=token_digest(raw), revoked_at__isnull=True, service_account__deactivated_at__isnull=True)
        .filter(Q(expires_at__isnull=True) | Q(expires_at__gt=now))
        .first()
    )
    if token is None or not token.service_account.user.is_active:
        return None
    if token.last_used_at is None or now - token.last_used_at > LAST_USED_RESOLUTION:
        ApiToken.objects.filter(pk=token.pk).update(last_used_at=now)
        token.last_used_at = now
    return token


def is_service_account(user) -> bool:
    """Whether `user` is a service account, as the API's authentication marks it (no query)."""
    return service_account_scopes(user) is not None
