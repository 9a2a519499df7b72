"""promptfoo results (`promptfoo eval -o results.json`, evaluations and red-team runs alike): `evalId`, then
`results` with the format `version`, the `timestamp` and the list of `results`, one per test case and provider.

A red-team result names its plugin (`metadata.pluginId`) and strategy (`metadata.strategyId`): the plugin is
the test, the strategy its detail. An ordinary test case is counted under its description. A result passes
when promptfoo says `success`; one that ended in an error is counted as a sample but not graded. Latency is
`latencyMs`, tokens the response's `tokenUsage`."""

from __future__ import annotations

import ijson

from evaluations.models import Harness
from evaluations.parsers.base import ParsedRun, ParseError, number, text, timestamp

# promptfoo's ResultFailureReason: 1 an assertion failed, 2 the provider or the test errored.
ERROR = 2
MAX_PROVIDERS_NAMED = 5
LOCAL_PROVIDERS = ("file://", "exec:", "python:", "golang:", "ruby:")
LOCAL_SUFFIXES = (".js", ".mjs", ".cjs", ".ts", ".py")


def _first(*values):
    return next((v for v in values if v not in (None, "")), None)


def _metadata(result: dict) -> dict:
    merged = {}
    test_case = result.get("testCase") if isinstance(result.get("testCase"), dict) else {}
    for source in (test_case.get("metadata"), result.get("metadata")):
        if isinstance(source, dict):
            merged.update({k: v for k, v in source.items() if v not in (None, "")})
    return merged


def _provider(result: dict, response: dict) -> tuple[str, str]:
    """(model, provider) of a result. A provider id names the model ("openai:chat:gpt-4o"); a local script
    (file://, exec:, python:) does not, so the model its response reports, or the provider's label, does."""
    provider = result.get("provider")
    provider_id = text(provider.get("id") if isinstance(provider, dict) else provider)
    label = text(provider.get("label")) if isinstance(provider, dict) else ""
    if provider_id.startswith(LOCAL_PROVIDERS) or provider_id.endswith(LOCAL_SUFFIXES):
        reported = response.get("metadata", {}).get("model") if isinstance(response.get("metadata"), dict) else None
        return text(reported) or label or provider_id, "local script"
    return provider_id or label, provider_id.split(":", 1)[0] if ":" in provider_id else ""


def _header(handle, run: ParsedRun) -> None:
    found = {}
    for prefix in ("evalId", "results.version", "results.timestamp", "metadata"):
        handle.seek(0)
        found[prefix] = next(ijson.items(handle, prefix, use_float=True), None)
    if found["evalId"] is None and found["results.version"] is None:
        raise ParseError("This is not a promptfoo result: it has neither `evalId` nor `results.version`.")
    metadata = found["metadata"] if isinstance(found["metadata"], dict) else {}
    run.harness_version = text(metadata.get("promptfooVersion"))
    run.run_at = timestamp(found["results.timestamp"]) or timestamp(metadata.get("exportedAt"))
    handle.seek(0)
    description = next(ijson.items(handle, "config.description"), None)
    run.title = text(description or found["evalId"])


def parse(handle) -> ParsedRun:
    run = ParsedRun(harness=Harness.PROMPTFOO)
    providers: dict[str, str] = {}
    try:
        _header(handle, run)
        handle.seek(0)
        for result in ijson.items(handle, "results.results.item", use_float=True):
            if not isinstance(result, dict):
                raise ParseError("A result of the file is not an object.")
            response = result.get("response") if isinstance(result.get("response"), dict) else {}
            model, provider = _provider(result, response)
            providers[model] = provider
            metadata = _metadata(result)
            test_case = result.get("testCase") if isinstance(result.get("testCase"), dict) else {}
            name = _first(metadata.get("pluginId"), test_case.get("description"), result.get("description"))
            detail = _first(metadata.get("strategyId"), "")
            reason = result.get("failureReason")
            errored = reason == ERROR or (
                reason is None and bool(result.get("error")) and not result.get("gradingResult")
            )
            passed = None if errored else bool(result.get("success"))
            run.grade(name or "(tests without a description)", detail, passed=passed, score=number(result.get("score")))
            run.sample(passed=passed)
            run.latency(result.get("latencyMs"))
            usage = _first(response.get("tokenUsage"), result.get("tokenUsage"))
            if isinstance(usage, dict):
                run.usage(usage.get("prompt"), usage.get("completion"))
    except ijson.IncompleteJSONError:
        raise ParseError("The file ends before its JSON does: it is truncated.") from None
    except ijson.JSONError as error:
        raise ParseError(f"The file is not valid JSON ({text(error, 200)}).") from None
    providers.pop("", None)
    if len(providers) > 1:
        named = ", ".join(sorted(providers)[:MAX_PROVIDERS_NAMED])
        raise ParseError(
            f"The file holds results of {len(providers)} models ({named}); import one model's results at a time "
            "(promptfoo eval --filter-providers)."
        )
    run.model, run.provider = next(iter(providers.items()), ("", ""))
    return run.finish()
