"""The hook in the proxy's own Python (.venv-litellm): how it names the calling application, what it asks and how
it refuses. One interpreter runs every case, since importing litellm takes a while."""

import json
import os
import subprocess

from tests.integrations.conftest import HOOK_PACKAGE, LITELLM_PYTHON

CASES = r"""
import asyncio, json
from fastapi import HTTPException
from litellm.proxy._types import UserAPIKeyAuth
from clearance_litellm.client import Decision
from clearance_litellm.hook import ClearanceHook, application_of

def request(headers=None, metadata=None):
    data = {"model": "deepseek-chat", "proxy_server_request": {"headers": headers or {}}}
    if metadata is not None:
        data["metadata"] = metadata
    return data

header = {"X-Clearance-Application": "from-header"}
named = {
    "key metadata over everything": application_of(
        UserAPIKeyAuth(metadata={"clearance_application": "UC-2026-0007"}, key_alias="key", team_alias="team"),
        request(header),
    ),
    "team metadata over the aliases": application_of(
        UserAPIKeyAuth(team_metadata={"clearance_application": "UC-2026-0008"}, key_alias="key", team_alias="team"),
        request(header),
    ),
    "key alias over the team's and the header": application_of(
        UserAPIKeyAuth(key_alias="key", team_alias="team"), request(header)
    ),
    "team alias over the header": application_of(UserAPIKeyAuth(team_alias="team"), request(header)),
    "header": application_of(UserAPIKeyAuth(), request(header, {"clearance_application": "from-metadata"})),
    "metadata": application_of(UserAPIKeyAuth(), request(None, {"clearance_application": "from-metadata"})),
    "requester metadata": application_of(
        UserAPIKeyAuth(), request(None, {"requester_metadata": {"clearance_application": "from-caller"}})
    ),
    "nothing from the request when told so": application_of(
        UserAPIKeyAuth(), request(header, {"clearance_application": "x"}), from_request=False
    ),
    "blank names skipped": application_of(UserAPIKeyAuth(key_alias="  "), request({"x-clearance-application": " a "})),
}

class Clearance:
    def __init__(self, decision):
        self.decision, self.questions = decision, []
    async def decide(self, **question):
        self.questions.append(question)
        return self.decision

def run(decision, data):
    clearance = Clearance(decision)
    hook = ClearanceHook(client=clearance)
    try:
        out = asyncio.run(hook.async_pre_call_hook(UserAPIKeyAuth(key_alias="support-bot"), None, data, "completion"))
        return {"passed": out is data, "questions": clearance.questions}
    except HTTPException as refused:
        return {"status": refused.status_code, "detail": refused.detail, "questions": clearance.questions}

calls = {
    "allowed": run(Decision(True, "ok"), request(None, {"clearance_data_categories": ["customer-records"]})),
    "denied": run(
        Decision(False, "Model \"gpt-4o\" is not approved."), request({"x-clearance-data-categories": "a, b"})
    ),
    "no model": run(Decision(False, "never asked"), {"proxy_server_request": {"headers": {}}}),
}
anonymous = ClearanceHook(client=Clearance(Decision(True, "ok")))
try:
    asyncio.run(anonymous.async_pre_call_hook(UserAPIKeyAuth(), None, request(), "completion"))
    calls["anonymous"] = "passed"
except HTTPException as refused:
    calls["anonymous"] = refused.detail["error"]
# The router's fallbacks: the pre-call hook leaves its question in the metadata (over any a caller forged), and
# each other model group the router tries is asked about before it is called.
forged = request(None, {"clearance": {"application": "forged", "model": "gpt-4o", "data_categories": []}})
allowing = Clearance(Decision(True, "ok"))
hook = ClearanceHook(client=allowing)
asyncio.run(hook.async_pre_call_hook(UserAPIKeyAuth(key_alias="support-bot"), None, forged, "completion"))
fallbacks = {"stash": forged["metadata"]["clearance"]}
for model, decision in (("deepseek-chat", Decision(False, "never asked")), ("gpt-4o", Decision(False, "Not approved.")),
                        ("qwen-max", Decision(True, "ok"))):
    clearance = Clearance(decision)
    try:
        kept = asyncio.run(ClearanceHook(client=clearance).async_filter_deployments(
            model, [{"model_name": model}], None, request_kwargs={"metadata": forged["metadata"]}))
        fallbacks[model] = {"kept": len(kept), "questions": clearance.questions}
    except HTTPException as refused:
        fallbacks[model] = {"status": refused.status_code, "questions": clearance.questions}
outside = asyncio.run(ClearanceHook(client=Clearance(Decision(False, "x"))).async_filter_deployments(
    "gpt-4o", [{}], None, request_kwargs={"metadata": {}}))
fallbacks["without the hook's question"] = len(outside)
print(json.dumps({"named": named, "calls": calls, "fallbacks": fallbacks}))
"""


def run_cases() -> dict:
    assert LITELLM_PYTHON.exists(), f"{LITELLM_PYTHON} is missing: `make test-litellm` makes the proxy's virtualenv."
    env = {"PATH": os.environ.get("PATH", ""), "PYTHONPATH": str(HOOK_PACKAGE), "LITELLM_LOCAL_MODEL_COST_MAP": "True"}
    done = subprocess.run(
        [str(LITELLM_PYTHON), "-c", CASES], env=env, capture_output=True, text=True, timeout=240, check=False
    )
    assert done.returncode == 0, done.stderr[-3000:]
    return json.loads(done.stdout.strip().splitlines()[-1])


def test_it_names_the_application_from_the_key_first_and_from_the_request_last_and_refuses_what_clearance_denies():
    results = run_cases()
    assert results["named"] == {
        "key metadata over everything": ["UC-2026-0007", "key metadata"],
        "team metadata over the aliases": ["UC-2026-0008", "team metadata"],
        "key alias over the team's and the header": ["key", "key alias"],
        "team alias over the header": ["team", "team alias"],
        "header": ["from-header", "request header"],
        "metadata": ["from-metadata", "request metadata"],
        "requester metadata": ["from-caller", "request metadata"],
        "nothing from the request when told so": ["", ""],
        "blank names skipped": ["a", "request header"],
    }
    calls = results["calls"]
    assert calls["allowed"] == {
        "passed": True,
        "questions": [
            {"application": "support-bot", "model": "deepseek-chat", "data_categories": ["customer-records"]}
        ],
    }
    assert calls["denied"] == {
        "status": 403,
        "detail": {"error": 'Refused by Clearance: Model "gpt-4o" is not approved.'},
        "questions": [{"application": "support-bot", "model": "deepseek-chat", "data_categories": ["a", "b"]}],
    }
    assert calls["no model"] == {"passed": True, "questions": []}
    assert calls["anonymous"].startswith("Refused by Clearance: the calling application is unknown")
    question = {"application": "support-bot", "model": "gpt-4o", "data_categories": []}
    assert results["fallbacks"] == {
        "stash": {"application": "support-bot", "model": "deepseek-chat", "data_categories": []},
        "deepseek-chat": {"kept": 1, "questions": []},
        "gpt-4o": {"status": 403, "questions": [question]},
        "qwen-max": {"kept": 1, "questions": [{**question, "model": "qwen-max"}]},
        "without the hook's question": 1,
    }
