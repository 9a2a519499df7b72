"""Reading service accounts for their pages: the list, an account's tokens, the history of its scopes and
what it did."""

from dataclasses import dataclass
from datetime import datetime

from django.db.models import Count, Max, Q, QuerySet
from django.utils import timezone

from approvals.models import ApprovalEvent
from identity.models import ApiToken, ServiceAccount

RECENT_EVENTS = 20
HISTORY_ROWS = 50


def service_accounts_listed() -> QuerySet:
    """Every service account with the number of its usable tokens and the last time any token was used, in
    one query whatever the number of accounts and tokens."""
    now = timezone.now()
    usable = Q(tokens__revoked_at__isnull=True) & (Q(tokens__expires_at__isnull=True) | Q(tokens__expires_at__gt=now))
    return ServiceAccount.objects.annotate(
        active_tokens=Count("tokens", filter=usable), last_used_at=Max("tokens__last_used_at")
    ).order_by("name", "pk")


def tokens_of(account: ServiceAccount) -> list[ApiToken]:
    """The account's tokens, newest first, revoked and expired ones included: they are its record."""
    return list(account.tokens.select_related("created_by", "revoked_by").order_by("-created_at", "-pk"))


@dataclass(frozen=True)
class HistoryEntry:
    at: datetime
    who: object  # the user who made the change, or None when none was recorded
    changes: list[str]
    reason: str


def _scopes_text(scopes) -> str:
    labels = [ServiceAccount.Scope(s).label for s in ServiceAccount.Scope.values if s in (scopes or [])]
    return ", ".join(labels) or "none"


def _changes(row, before) -> list[str]:
    if before is None:
        return [f"Created with the scopes: {_scopes_text(row.scopes)}"]
    changes = []
    if list(row.scopes or []) != list(before.scopes or []):
        changes.append(f"Scopes: {_scopes_text(before.scopes)} → {_scopes_text(row.scopes)}")
    if row.deactivated_at and not before.deactivated_at:
        changes.append("Deactivated: every token revoked")
    if row.name != before.name:
        changes.append(f"Renamed from “{before.name}” to “{row.name}”")
    if row.description != before.description:
        changes.append("Description changed")
    return changes or ["Saved without a change"]


def account_history(account: ServiceAccount, *, limit: int = HISTORY_ROWS) -> list[HistoryEntry]:
    """The latest `limit` versions of the account (from simple-history), newest first, each with who made it
    and what it changed compared with the version before. One query."""
    rows = list(account.history.select_related("history_user").order_by("-history_date", "-history_id")[: limit + 1])
    entries = []
    for index, row in enumerate(rows[:limit]):
        before = rows[index + 1] if index + 1 < len(rows) else None
        if before is None and row.history_type != "+":
            changes = ["An earlier version is no longer listed here"]
        else:
            changes = _changes(row, before)
        entries.append(HistoryEntry(row.history_date, row.history_user, changes, row.history_change_reason or ""))
    return entries


def recent_events(account: ServiceAccount, *, limit: int = RECENT_EVENTS) -> list[ApprovalEvent]:
    """The latest events the account's own user is the actor of: what its tokens did, newest first."""
    return list(
        ApprovalEvent.objects.filter(actor_id=account.user_id)
        .select_related("use_case", "round")
        .order_by("-created_at", "-pk")[:limit]
    )
