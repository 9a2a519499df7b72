"""Portfolio figures kept between requests, and dropped the moment anything behind them changes.

The home page's summary and the report's figures aggregate the whole portfolio; at a hundred thousand use
cases that is hundreds of milliseconds a page. They change only when the portfolio does, so they are
cached under a key that names the portfolio's state: the newest workflow event (every submission,
decision, suspension, expiry, revocation, withdrawal), the newest history row of a use case, a risk, a
vendor, a model or a data category (every edit through the services and the admin), the newest change
time of a use case (a risk change touches its use case), and the day (expiry windows move with it).
Reading that state is one query of index-only maxima, whatever the size of the portfolio, and no
invalidation call can be forgotten: a change that matters moves the key.

One case the key cannot see: a transaction that wrote an older id and commits after a newer one was
read. Entries therefore also expire after `CLEARANCE_FIGURES_CACHE_SECONDS` (two minutes by default),
which bounds how long such a figure can lag.
"""

import hashlib
from collections.abc import Callable
from typing import TypeVar

from django.conf import settings
from django.core.cache import cache
from django.db import connection
from django.utils import timezone

from approvals.models import ApprovalEvent
from governance.models import AIModel, DataCategory, Risk, UseCase, Vendor

T = TypeVar("T")


def _newest(model, column: str) -> str:
    qn = connection.ops.quote_name
    return f"(SELECT MAX({qn(column)}) FROM {qn(model._meta.db_table)})"  # noqa: S608 - names from the models


def portfolio_state() -> str:
    """A short text that changes whenever anything a portfolio figure reads changes. One query."""
    sources = [
        _newest(ApprovalEvent, "id"),
        _newest(UseCase, "updated_at"),
        *(_newest(model.history.model, "history_id") for model in (UseCase, Risk, Vendor, AIModel, DataCategory)),
    ]
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT {', '.join(sources)}")
        values = cursor.fetchone()
    return "|".join(str(value) for value in (*values, timezone.localdate()))


def cached_figures(name: str, parts: str, compute: Callable[[], T]) -> T:
    """`compute()`, or its result from the cache while the portfolio's state is unchanged. `parts` names
    what else the figures depend on (the filter, the viewer's functions)."""
    state = portfolio_state()
    digest = hashlib.sha256(f"{parts}\n{state}".encode()).hexdigest()[:32]
    key = f"clearance:figures:{name}:{digest}"
    found = cache.get(key)
    if found is None:
        found = compute()
        cache.set(key, found, settings.CLEARANCE_FIGURES_CACHE_SECONDS)
    return found
