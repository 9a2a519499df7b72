"""The decision client the LiteLLM hook uses, without the proxy: what it sends, how long it keeps an answer,
and that it refuses whenever Clearance cannot answer (unless told to fail open)."""

import ast
import asyncio
import json
import socket
import sys
from concurrent.futures import ThreadPoolExecutor

import httpx
from clearance_litellm.client import MAX_CACHED_ANSWERS, DecisionClient, Settings

from tests.integrations.conftest import HOOK_PACKAGE

ALLOW = {
    "decision": "allow",
    "reason": "UC-2026-0001 is approved for DeepSeek-V3 as its primary model.",
    "use_case": "UC-2026-0001",
    "use_case_status": "approved",
    "model": {"id": 1, "name": "DeepSeek-V3", "role": "primary"},
    "conditions": [],
    "expires_on": "2027-12-03",
    "fallbacks": ["qwen-max"],
    "cache_seconds": 30,
}


class Clock:
    def __init__(self):
        self.now = 1000.0

    def __call__(self):
        return self.now


class Clearance:
    """Answers every question with `answer` (or `status`), and keeps the requests."""

    def __init__(self, answer=None, status=200, error=None):
        self.answer, self.status, self.error, self.requests = answer or ALLOW, status, error, []

    def __call__(self, request: httpx.Request) -> httpx.Response:
        self.requests.append(request)
        if self.error:
            raise self.error
        if isinstance(self.answer, str):
            return httpx.Response(self.status, text=self.answer)
        return httpx.Response(self.status, json=self.answer)


def client(clearance=None, clock=None, **env) -> DecisionClient:
    settings = Settings.from_env({"CLEARANCE_URL": "http://clearance.test/", "CLEARANCE_TOKEN": "clr_secret", **env})
    transport = httpx.MockTransport(clearance) if clearance else None
    return DecisionClient(settings, clock=clock or Clock(), transport=transport)


def decide(decisions: DecisionClient, application="support-bot", model="deepseek-chat", data_categories=()):
    """The client's answer, from an event loop of its own in another thread: the browser tests' driver keeps
    a loop running in this one for the rest of the session."""
    question = decisions.decide(application=application, model=model, data_categories=data_categories)
    with ThreadPoolExecutor(max_workers=1) as pool:
        return pool.submit(asyncio.run, question).result()


def closed_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def test_it_asks_the_decision_endpoint_with_the_token_and_the_question():
    clearance = Clearance()
    decision = decide(client(clearance), data_categories=["customer-records", "customer-records"])
    assert decision.allowed and decision.reason == ALLOW["reason"] and decision.fallbacks == ("qwen-max",)
    (request,) = clearance.requests
    assert str(request.url) == "http://clearance.test/api/v1/gateway/decision/"
    assert request.headers["authorization"] == "Bearer clr_secret"
    assert json.loads(request.content) == {
        "application": "support-bot",
        "model": "deepseek-chat",
        "data_categories": ["customer-records"],
    }


def test_it_keeps_an_answer_for_its_cache_seconds_then_asks_again():
    clearance, clock = Clearance(), Clock()
    decisions = client(clearance, clock)
    decide(decisions)
    clock.now += 29.9
    decide(decisions)
    assert len(clearance.requests) == 1
    clock.now += 0.1
    decide(decisions)
    assert len(clearance.requests) == 2


def test_it_keeps_answers_apart_by_application_model_and_data_categories():
    clearance = Clearance()
    decisions = client(clearance)
    decide(decisions)
    decide(decisions, application="other-bot")
    decide(decisions, model="qwen-max")
    decide(decisions, data_categories=["health-data"])
    assert len(clearance.requests) == 4


def test_it_keeps_a_deny_too_but_not_an_answer_without_a_cache_lifetime():
    deny = {**ALLOW, "decision": "deny", "reason": "Suspended."}
    clearance = Clearance(deny)
    decisions = client(clearance)
    assert not decide(decisions).allowed
    decide(decisions)
    assert len(clearance.requests) == 1
    clearance.answer = {**ALLOW, "cache_seconds": 0}
    decide(decisions, model="qwen-max")
    decide(decisions, model="qwen-max")
    assert len(clearance.requests) == 3


def test_it_refuses_when_clearance_is_unreachable_and_asks_again_next_time():
    decisions = client(CLEARANCE_URL=f"http://127.0.0.1:{closed_port()}")
    decision = decide(decisions)
    assert not decision.allowed
    assert decision.reason.startswith("Clearance was unreachable (ConnectError)")
    assert decisions._cache == {}


def test_it_asks_once_more_when_a_kept_alive_connection_was_closed_under_it():
    answers = iter([httpx.ReadError("reset by peer"), httpx.Response(200, json=ALLOW)])
    requests = []

    def clearance(request):
        requests.append(request)
        answer = next(answers)
        if isinstance(answer, Exception):
            raise answer
        return answer

    decision = decide(client(clearance))
    assert decision.allowed and len(requests) == 2


def test_it_refuses_when_the_second_attempt_fails_too():
    clearance = Clearance(error=httpx.RemoteProtocolError("Server disconnected without sending a response."))
    decision = decide(client(clearance))
    assert not decision.allowed and "Clearance was unreachable (RemoteProtocolError)" in decision.reason
    assert len(clearance.requests) == 2


def test_it_refuses_when_clearance_does_not_answer_in_time():
    clearance = Clearance(error=httpx.ReadTimeout("slow"))
    decision = decide(client(clearance))
    assert not decision.allowed and "Clearance was unreachable (ReadTimeout)" in decision.reason
    assert len(clearance.requests) == 1  # a slow Clearance is not asked twice


def test_it_refuses_when_clearance_fails_or_answers_what_it_cannot_read():
    for clearance, why in (
        (Clearance(status=500, answer="Server Error"), "Clearance could not decide (HTTP 500)"),
        (Clearance(status=401, answer={"detail": "Invalid token."}), "Clearance could not decide (HTTP 401)"),
        (Clearance(answer="<html>"), "Clearance's answer could not be read"),
        (Clearance(answer={"reason": "no decision"}), "Clearance's answer could not be read"),
    ):
        decisions = client(clearance)
        decision = decide(decisions)
        assert not decision.allowed and decision.reason.startswith(why), decision.reason
        decide(decisions)
        assert len(clearance.requests) == 2, "an answer not from Clearance is never kept"


def test_it_refuses_every_call_when_not_configured():
    decision = decide(DecisionClient(Settings.from_env({})))
    assert not decision.allowed and "Clearance is not configured" in decision.reason


def test_it_allows_when_clearance_is_unreachable_only_if_told_to_fail_open():
    url = f"http://127.0.0.1:{closed_port()}"
    assert not decide(client(CLEARANCE_URL=url, CLEARANCE_FAIL_OPEN="no")).allowed
    decision = decide(client(CLEARANCE_URL=url, CLEARANCE_FAIL_OPEN="true"))
    assert decision.allowed and "allowed because CLEARANCE_FAIL_OPEN is set" in decision.reason


def test_it_refuses_names_longer_than_clearance_accepts_without_asking():
    clearance = Clearance()
    assert not decide(client(clearance), application="x" * 201).allowed
    assert clearance.requests == []


def test_it_reads_its_timeout_from_the_environment_and_ignores_a_bad_one():
    assert Settings.from_env({"CLEARANCE_TIMEOUT_SECONDS": "0.5"}).timeout == 0.5
    assert Settings.from_env({"CLEARANCE_TIMEOUT_SECONDS": "soon"}).timeout == 2.0
    assert Settings.from_env({"CLEARANCE_TIMEOUT_SECONDS": "-1"}).timeout == 2.0


def test_it_keeps_a_bounded_number_of_answers():
    clearance, clock = Clearance(), Clock()
    decisions = client(clearance, clock)
    decisions._cache = {("app", str(n), ()): (clock.now + 30, None) for n in range(MAX_CACHED_ANSWERS)}
    decide(decisions)
    assert len(decisions._cache) == MAX_CACHED_ANSWERS
    assert ("support-bot", "deepseek-chat", ()) in decisions._cache


def test_the_hook_imports_nothing_but_the_standard_library_httpx_and_litellm():
    """It runs inside the proxy's Python, where neither Django nor the app is installed."""
    allowed = set(sys.stdlib_module_names) | {"httpx", "litellm", "fastapi", "clearance_litellm"}
    for module in (HOOK_PACKAGE / "clearance_litellm").glob("*.py"):
        for node in ast.walk(ast.parse(module.read_text())):
            names = []
            if isinstance(node, ast.Import):
                names = [alias.name for alias in node.names]
            elif isinstance(node, ast.ImportFrom) and node.level == 0:
                names = [node.module]
            for name in names:
                assert name.split(".")[0] in allowed, f"{module.name} imports {name}"
