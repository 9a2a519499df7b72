"""Clearance's runtime decision, as a model gateway asks for it: one POST per (application, model, data
categories), answers kept for the `cache_seconds` Clearance returns, and a deny when Clearance cannot answer.

It runs inside the gateway's own Python, so it needs nothing but the standard library and httpx."""

from __future__ import annotations

import asyncio
import logging
import os
import time
from dataclasses import dataclass, field

import httpx

logger = logging.getLogger("clearance_litellm")

DECISION_PATH = "/api/v1/gateway/decision/"
DEFAULT_TIMEOUT_SECONDS = 2.0
# Bounds the memory a gateway spends on answers however many applications and models it serves.
MAX_CACHED_ANSWERS = 10_000
# Clearance's own field limits: a longer value could never match, and would be refused as a bad request.
NAME_MAX = 200
MAX_CATEGORIES = 50

TRUE = {"1", "true", "yes", "on"}
# A kept-alive connection the server closed meanwhile fails this way before the question reaches Clearance;
# the question is asked once more on a new connection. A timeout or a refused connection is not retried.
STALE_CONNECTION_ERRORS = (httpx.ReadError, httpx.WriteError, httpx.RemoteProtocolError)


@dataclass(frozen=True)
class Decision:
    allowed: bool
    reason: str
    use_case: str | None = None
    fallbacks: tuple[str, ...] = ()
    conditions: tuple[dict, ...] = ()
    expires_on: str | None = None
    cache_seconds: int = 0
    # False for the answers given without Clearance (unreachable, not configured): never cached.
    from_clearance: bool = True


@dataclass(frozen=True)
class Settings:
    url: str
    token: str
    timeout: float = DEFAULT_TIMEOUT_SECONDS
    fail_open: bool = False

    @classmethod
    def from_env(cls, environ=None) -> Settings:
        environ = os.environ if environ is None else environ
        try:
            timeout = float(environ.get("CLEARANCE_TIMEOUT_SECONDS") or DEFAULT_TIMEOUT_SECONDS)
        except ValueError:
            timeout = DEFAULT_TIMEOUT_SECONDS
        if not timeout > 0:
            timeout = DEFAULT_TIMEOUT_SECONDS
        return cls(
            url=(environ.get("CLEARANCE_URL") or "").strip().rstrip("/"),
            token=(environ.get("CLEARANCE_TOKEN") or "").strip(),
            timeout=timeout,
            fail_open=(environ.get("CLEARANCE_FAIL_OPEN") or "").strip().lower() in TRUE,
        )

    @property
    def decision_url(self) -> str:
        return self.url + DECISION_PATH


@dataclass
class DecisionClient:
    """Asks Clearance and remembers its answers. One instance serves the whole gateway process."""

    settings: Settings
    clock: object = time.monotonic
    transport: httpx.AsyncBaseTransport | None = None
    _cache: dict = field(default_factory=dict)
    _http: httpx.AsyncClient | None = None
    _loop: object = None

    async def decide(self, *, application: str, model: str, data_categories=()) -> Decision:
        categories = tuple(sorted({c for c in data_categories if c}))
        key = (application, model, categories)
        now = self.clock()
        cached = self._cache.get(key)
        if cached is not None and cached[0] > now:
            return cached[1]
        decision = await self._ask(application=application, model=model, data_categories=categories)
        if decision.from_clearance and decision.cache_seconds > 0:
            self._remember(key, decision, now)
        return decision

    def forget(self) -> None:
        self._cache.clear()

    def _remember(self, key, decision: Decision, now: float) -> None:
        if len(self._cache) >= MAX_CACHED_ANSWERS:
            for stale in [k for k, (expires, _) in self._cache.items() if expires <= now]:
                del self._cache[stale]
            while len(self._cache) >= MAX_CACHED_ANSWERS:
                del self._cache[next(iter(self._cache))]  # the oldest entry: dicts keep insertion order
        self._cache[key] = (now + decision.cache_seconds, decision)

    def _client(self) -> httpx.AsyncClient:
        # An AsyncClient belongs to the event loop it was first used on; the proxy may run more than one.
        loop = asyncio.get_running_loop()
        if self._http is None or self._loop is not loop:
            self._http = httpx.AsyncClient(
                timeout=self.settings.timeout, follow_redirects=False, transport=self.transport
            )
            self._loop = loop
        return self._http

    async def _ask(self, *, application: str, model: str, data_categories: tuple[str, ...]) -> Decision:
        settings = self.settings
        if not settings.url or not settings.token:
            return self._without_clearance("Clearance is not configured (CLEARANCE_URL, CLEARANCE_TOKEN)")
        if len(application) > NAME_MAX or len(model) > NAME_MAX or len(data_categories) > MAX_CATEGORIES:
            return Decision(False, "The application, model or data categories are longer than Clearance accepts.")
        body = {"application": application, "model": model, "data_categories": list(data_categories)}
        headers = {"Authorization": f"Bearer {settings.token}"}
        try:
            try:
                response = await self._client().post(settings.decision_url, json=body, headers=headers)
            except STALE_CONNECTION_ERRORS as error:
                logger.info("Asking Clearance again after %s: %s", type(error).__name__, error)
                response = await self._client().post(settings.decision_url, json=body, headers=headers)
        except httpx.HTTPError as error:
            logger.warning("Clearance unreachable at %s: %s", settings.decision_url, error)
            return self._without_clearance(f"Clearance was unreachable ({type(error).__name__})")
        if response.status_code != 200:
            logger.warning("Clearance answered %s: %s", response.status_code, response.text[:500])
            return self._without_clearance(f"Clearance could not decide (HTTP {response.status_code})")
        try:
            answer = response.json()
            return Decision(
                allowed=answer["decision"] == "allow",
                reason=str(answer.get("reason") or ""),
                use_case=answer.get("use_case"),
                fallbacks=tuple(answer.get("fallbacks") or ()),
                conditions=tuple(answer.get("conditions") or ()),
                expires_on=answer.get("expires_on"),
                cache_seconds=max(0, int(answer.get("cache_seconds") or 0)),
            )
        except (ValueError, KeyError, TypeError) as error:
            logger.warning("Clearance's answer could not be read: %s", error)
            return self._without_clearance("Clearance's answer could not be read")

    def _without_clearance(self, why: str) -> Decision:
        if self.settings.fail_open:
            return Decision(True, f"{why}; allowed because CLEARANCE_FAIL_OPEN is set", from_clearance=False)
        return Decision(False, f"{why}; calls are refused until it answers", from_clearance=False)
