"""A real LiteLLM proxy (its own virtualenv, .venv-litellm, made by `make test-litellm`) with Clearance's hook,
asking a live Clearance before each call. Its models answer with `mock_response`, so nothing leaves the machine.
It never skips: without the proxy's virtualenv it fails, because `make test` makes it."""

import os
import socket
import subprocess
import time
from pathlib import Path

import httpx
import openai
import pytest
from django.db import transaction

from approvals.models import SuspensionCause
from approvals.services import approval_suspend
from gateway.selectors import gateway_decision
from governance.roles import Role
from tests.api.helpers import service_account
from tests.approvals.workflow import person, reviewers
from tests.gateway.helpers import approved_for_gateway
from tests.integrations.conftest import HOOK_PACKAGE, LITELLM_VENV

LITELLM = LITELLM_VENV / "bin" / "litellm"
MASTER_KEY = "sk-clearance-test-master"
CACHE_SECONDS = 2
READY_TIMEOUT = 150  # the proxy imports a great deal; a busy two-core machine takes its time

CONFIG = """
model_list:
  - model_name: deepseek-chat
    litellm_params: {{model: openai/deepseek-chat, api_key: unused, mock_response: "{primary}"}}
  - model_name: qwen-max
    litellm_params: {{model: openai/qwen-max, api_key: unused, mock_response: "{fallback}"}}
  - model_name: gpt-4o
    litellm_params: {{model: openai/gpt-4o, api_key: unused, mock_response: "Never shown"}}
router_settings:
  fallbacks: [{{deepseek-chat: [gpt-4o, qwen-max]}}]
litellm_settings:
  callbacks: clearance_litellm.hook.clearance_hook
  telemetry: false
general_settings:
  master_key: {master_key}
  # Lets a request force the router onto its fallbacks (mock_testing_fallbacks).
  dangerously_allow_mock_testing_request_params: true
"""
PRIMARY_ANSWER = "The primary model answers."
FALLBACK_ANSWER = "The fallback model answers."

pytestmark = pytest.mark.django_db(transaction=True)


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class Proxy:
    def __init__(self, tmp_path: Path, clearance_url: str, token: str):
        assert LITELLM.exists(), f"{LITELLM} is missing: `make test-litellm` makes the proxy's virtualenv."
        config = tmp_path / "config.yaml"
        config.write_text(CONFIG.format(primary=PRIMARY_ANSWER, fallback=FALLBACK_ANSWER, master_key=MASTER_KEY))
        self.port = free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        self.log = tmp_path / "proxy.log"
        # Only what the proxy needs: a DATABASE_URL or REDIS_URL of the app's would make it look for its own.
        env = {
            "PATH": os.environ.get("PATH", "/usr/bin:/bin"),
            "HOME": str(tmp_path),
            "LANG": "C.UTF-8",
            "PYTHONPATH": str(HOOK_PACKAGE),
            "LITELLM_LOCAL_MODEL_COST_MAP": "True",
            "CLEARANCE_URL": clearance_url,
            "CLEARANCE_TOKEN": token,
            "CLEARANCE_TIMEOUT_SECONDS": "10",
        }
        with self.log.open("wb") as log:
            self.process = subprocess.Popen(
                [str(LITELLM), "--config", str(config), "--host", "127.0.0.1", "--port", str(self.port)],
                cwd=tmp_path,
                env=env,
                stdout=log,
                stderr=subprocess.STDOUT,
                start_new_session=True,
            )

    def wait_until_ready(self) -> None:
        deadline = time.monotonic() + READY_TIMEOUT
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                pytest.fail(f"The LiteLLM proxy exited ({self.process.returncode}):\n{self.tail()}")
            try:
                if httpx.get(f"{self.url}/health/readiness", timeout=2).status_code == 200:
                    return
            except httpx.HTTPError:
                pass
            time.sleep(0.5)
        pytest.fail(f"The LiteLLM proxy was not ready within {READY_TIMEOUT} s:\n{self.tail()}")

    def tail(self) -> str:
        return self.log.read_text(errors="replace")[-4000:]

    def stop(self) -> None:
        if self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(timeout=10)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait(timeout=10)

    def client(self, **headers) -> openai.OpenAI:
        return openai.OpenAI(
            base_url=f"{self.url}/v1", api_key=MASTER_KEY, default_headers=headers, max_retries=0, timeout=30
        )


@pytest.fixture
def gateway_token(live_server):
    _, raw = service_account("gateway", name="LiteLLM proxy")
    return raw


@pytest.fixture
def proxy(live_server, tmp_path, gateway_token, settings):
    settings.CLEARANCE_GATEWAY_CACHE_SECONDS = CACHE_SECONDS
    running = Proxy(tmp_path, live_server.url, gateway_token)
    yield running
    running.stop()
    print(f"The proxy's log (shown when the test fails):\n{running.tail()}")


def ask(client: openai.OpenAI, model: str, **extra) -> str:
    answer = client.chat.completions.create(model=model, messages=[{"role": "user", "content": "Hello"}], **extra)
    return answer.choices[0].message.content


def refusal(client: openai.OpenAI, model: str, **extra) -> openai.PermissionDeniedError:
    with pytest.raises(openai.PermissionDeniedError) as refused:
        ask(client, model, **extra)
    return refused.value


def test_it_lets_the_proxy_call_only_what_clearance_allows_and_stops_a_suspended_approval_within_the_cache_life(
    proxy,
):
    # The proxy starts while the use case is approved: both take a while.
    use_case, _ = approved_for_gateway(person("alice", Role.BUSINESS_OWNER), reviewers())
    proxy.wait_until_ready()
    app = proxy.client(**{"X-Clearance-Application": "support-bot"})

    assert ask(app, "deepseek-chat") == PRIMARY_ANSWER

    refused = refusal(app, "gpt-4o")
    assert refused.status_code == 403
    assert gateway_decision(application="support-bot", model="gpt-4o")["reason"] in str(refused)

    # The application may be named in the request's metadata too; the fallback is allowed.
    by_metadata = proxy.client()
    assert ask(by_metadata, "qwen-max", extra_body={"metadata": {"clearance_application": "support-bot"}}) == (
        FALLBACK_ANSWER
    )

    # When the primary fails, the router falls back only to what Clearance allows: gpt-4o is skipped.
    assert ask(app, "deepseek-chat", extra_body={"mock_testing_fallbacks": True}) == FALLBACK_ANSWER
    # A caller's own fallbacks are asked about too.
    with pytest.raises(openai.InternalServerError) as failed:
        ask(app, "qwen-max", extra_body={"fallbacks": ["gpt-4o"], "mock_testing_fallbacks": True})
    assert gateway_decision(application="support-bot", model="gpt-4o")["reason"] in str(failed.value)

    # A data category outside the approved set is refused, with the category named.
    refused = refusal(app, "deepseek-chat", extra_body={"metadata": {"clearance_data_categories": ["health-data"]}})
    assert "health-data" in str(refused)

    # No name for the calling application: refused, never let through.
    assert "calling application is unknown" in str(refusal(proxy.client(), "deepseek-chat"))

    with transaction.atomic():
        approval_suspend(use_case=use_case, reason="The vendor is under review.", cause=SuspensionCause.REVIEW_FINDING)
    suspended = time.monotonic()
    for model in ("deepseek-chat", "qwen-max"):
        reason = gateway_decision(application="support-bot", model=model)["reason"]
        assert reason in str(refused_within(app, model, suspended + CACHE_SECONDS + 1))


def refused_within(client: openai.OpenAI, model: str, deadline: float) -> openai.PermissionDeniedError:
    """Calls until the proxy refuses (an allow it holds may stand for the cache lifetime, no longer)."""
    while True:
        try:
            ask(client, model)
        except openai.PermissionDeniedError as error:
            return error
        assert time.monotonic() < deadline, f"{model} still allowed after the cache lifetime"
        time.sleep(0.2)
