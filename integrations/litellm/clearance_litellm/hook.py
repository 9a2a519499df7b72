"""The LiteLLM proxy callback: before each model call, ask Clearance whether the calling application may use
that model, and refuse the call with Clearance's reason when it may not.

Register it in the proxy's config.yaml:

    litellm_settings:
      callbacks: clearance_litellm.hook.clearance_hook
"""

from __future__ import annotations

import logging
import os

from fastapi import HTTPException
from litellm.integrations.custom_logger import CustomLogger

from clearance_litellm.client import DecisionClient, Settings

logger = logging.getLogger("clearance_litellm")

# Set by the proxy's administrator on a key or a team (its metadata), so it outranks anything a caller sends.
METADATA_KEY = "clearance_application"
CATEGORIES_KEY = "clearance_data_categories"
# What a caller may send when its key carries no name the proxy knows (a master key, a proxy without a
# database): a header, or the request's metadata.
APPLICATION_HEADER = "x-clearance-application"
CATEGORIES_HEADER = "x-clearance-data-categories"
REFUSED_STATUS = 403
# Where the pre-call hook leaves its question in the request's metadata, for the router's fallbacks.
STASH_KEY = "clearance"
# "false" when every caller has a key the proxy knows by name: a caller may then not name its application.
FROM_REQUEST_ENV = "CLEARANCE_APPLICATION_FROM_REQUEST"


def _text(value) -> str:
    return value.strip() if isinstance(value, str) else ""


def _headers(data: dict) -> dict:
    request = data.get("proxy_server_request")
    headers = request.get("headers") if isinstance(request, dict) else None
    return {str(k).lower(): v for k, v in headers.items()} if isinstance(headers, dict) else {}


def _request_metadata(data: dict) -> dict:
    """The metadata the caller sent: the proxy may have merged its own into `metadata`, but keeps the caller's
    copy apart as `requester_metadata`."""
    for name in ("metadata", "litellm_metadata"):
        metadata = data.get(name)
        if isinstance(metadata, dict):
            requester = metadata.get("requester_metadata")
            if isinstance(requester, dict) and (METADATA_KEY in requester or CATEGORIES_KEY in requester):
                return requester
            if METADATA_KEY in metadata or CATEGORIES_KEY in metadata:
                return metadata
    return {}


def application_of(user_api_key_dict, data: dict, *, from_request: bool = True) -> tuple[str, str]:
    """(application, where it came from). The proxy's own knowledge of the key comes first: what the
    administrator wrote on the key or its team, then the key's alias, then the team's alias; only a caller
    whose key has none of these names its application itself, and only when `from_request`."""
    key_metadata = getattr(user_api_key_dict, "metadata", None) or {}
    team_metadata = getattr(user_api_key_dict, "team_metadata", None) or {}
    candidates = (
        (key_metadata.get(METADATA_KEY) if isinstance(key_metadata, dict) else None, "key metadata"),
        (team_metadata.get(METADATA_KEY) if isinstance(team_metadata, dict) else None, "team metadata"),
        (getattr(user_api_key_dict, "key_alias", None), "key alias"),
        (getattr(user_api_key_dict, "team_alias", None), "team alias"),
    )
    if from_request:
        candidates += (
            (_headers(data).get(APPLICATION_HEADER), "request header"),
            (_request_metadata(data).get(METADATA_KEY), "request metadata"),
        )
    for value, source in candidates:
        if _text(value):
            return _text(value), source
    return "", ""


def data_categories_of(data: dict) -> list[str]:
    given = _request_metadata(data).get(CATEGORIES_KEY)
    if given is None:
        given = _headers(data).get(CATEGORIES_HEADER)
    if isinstance(given, str):
        given = given.split(",")
    if not isinstance(given, (list, tuple)):
        return []
    return [c.strip() for c in given if isinstance(c, str) and c.strip()]


def refusal(reason: str) -> HTTPException:
    """The proxy turns this into its own error response, so an OpenAI client raises PermissionDeniedError
    whose message carries Clearance's reason."""
    return HTTPException(status_code=REFUSED_STATUS, detail={"error": f"Refused by Clearance: {reason}"})


class ClearanceHook(CustomLogger):
    def __init__(self, client: DecisionClient | None = None, **kwargs):
        super().__init__(**kwargs)
        self.client = client or DecisionClient(Settings.from_env())
        self.from_request = os.environ.get(FROM_REQUEST_ENV, "true").strip().lower() not in {"0", "false", "no", "off"}

    async def async_pre_call_hook(self, user_api_key_dict, cache, data: dict, call_type):
        model = _text(data.get("model"))
        if not model:
            # Nothing names a model (a file upload, a batch status): there is no model call to decide on.
            return data
        application, source = application_of(user_api_key_dict, data, from_request=self.from_request)
        if not application:
            how = f", or send the {APPLICATION_HEADER} header" if self.from_request else ""
            raise refusal(
                "the calling application is unknown: give the key or its team an alias (or metadata "
                f"clearance_application) that Clearance knows as a use case reference or gateway alias{how}"
            )
        decision = await self.client.decide(
            application=application, model=model, data_categories=data_categories_of(data)
        )
        if not decision.allowed:
            logger.info("Clearance refused %s (%s) calling %s: %s", application, source, model, decision.reason)
            raise refusal(decision.reason)
        stash = {"application": application, "model": model, "data_categories": data_categories_of(data)}
        for name in ("metadata", "litellm_metadata"):
            if isinstance(data.get(name), dict):
                data[name][STASH_KEY] = stash
        return data

    async def async_filter_deployments(
        self, model, healthy_deployments, messages, request_kwargs=None, parent_otel_span=None
    ):
        """The router asks this for every model group it is about to call, the fallbacks too (the proxy's
        `router_settings.fallbacks` or a caller's own `fallbacks`): a group other than the one the pre-call
        hook decided on is asked about in its own right, so a fallback Clearance does not allow is skipped."""
        stash = _stash(request_kwargs)
        if stash is None or not healthy_deployments or model == stash["model"]:
            return healthy_deployments
        decision = await self.client.decide(
            application=stash["application"], model=model, data_categories=stash["data_categories"]
        )
        if not decision.allowed:
            logger.info("Clearance refused %s falling back to %s: %s", stash["application"], model, decision.reason)
            raise refusal(decision.reason)
        return healthy_deployments


def _stash(request_kwargs) -> dict | None:
    if not isinstance(request_kwargs, dict):
        return None
    for name in ("metadata", "litellm_metadata"):
        metadata = request_kwargs.get(name)
        stash = metadata.get(STASH_KEY) if isinstance(metadata, dict) else None
        if isinstance(stash, dict) and _text(stash.get("application")) and _text(stash.get("model")):
            return stash
    return None


clearance_hook = ClearanceHook()
