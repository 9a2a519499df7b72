"""A real OpenID Connect provider for the single sign-on tests: tests/e2e/oidc_provider/provider.mjs (panva's
oidc-provider on Node.js), started on a free port with the accounts a test writes to a JSON file.

`make test` installs its packages (`npm ci`); without them, or without Node.js, these tests fail rather
than skip.
"""

import json
import shutil
import socket
import subprocess
import time
from pathlib import Path

import pytest
import requests

PROVIDER_DIR = Path(__file__).resolve().parents[1] / "e2e" / "oidc_provider"
CLIENT_ID = "clearance"
CLIENT_SECRET = "a-client-secret-for-tests-only"
PROVIDER_NAME = "Acme Sign-In"
# Where Django's test client says it is.
APP = "http://testserver"
ROLE_MAP = {
    "clearance-owners": "Business owners",
    "clearance-legal": "Legal reviewers",
    "clearance-security": "Security reviewers",
    "clearance-admins": "Governance admins",
    "clearance-executives": "Executives",
}


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class Provider:
    """One running provider: its issuer, and the accounts it knows (rewritten by `set_account`)."""

    def __init__(self, tmp: Path, app_urls: list[str]):
        if shutil.which("node") is None:
            pytest.fail("Node.js is missing: `make test` installs it.")
        if not (PROVIDER_DIR / "node_modules" / "oidc-provider").exists():
            pytest.fail(f"{PROVIDER_DIR}/node_modules is missing: `make test` runs `npm ci` there.")
        self.port = _free_port()
        self.issuer = f"http://127.0.0.1:{self.port}"
        self.accounts_file = tmp / "accounts.json"
        self.accounts: dict = {}
        self._write()
        self.log = tmp / "provider.log"
        env = {
            "PATH": "/usr/local/bin:/usr/bin:/bin",
            "PORT": str(self.port),
            "CLIENT_ID": CLIENT_ID,
            "CLIENT_SECRET": CLIENT_SECRET,
            "REDIRECT_URIS": ",".join(f"{url}/oidc/callback/" for url in app_urls),
            "POST_LOGOUT_REDIRECT_URIS": ",".join(f"{url}/login/" for url in app_urls),
            "ACCOUNTS_FILE": str(self.accounts_file),
        }
        self.process = subprocess.Popen(
            ["node", str(PROVIDER_DIR / "provider.mjs")], env=env, stdout=self.log.open("w"), stderr=subprocess.STDOUT
        )
        deadline = time.monotonic() + 20
        while time.monotonic() < deadline:
            try:
                if requests.get(f"{self.issuer}/.well-known/openid-configuration", timeout=1).ok:
                    return
            except requests.ConnectionError:
                time.sleep(0.1)
            if self.process.poll() is not None:
                break
        self.stop()
        pytest.fail(f"The OpenID Connect provider did not start: {self.log.read_text()[-2000:]}")

    def _write(self):
        self.accounts_file.write_text(json.dumps(self.accounts))

    def set_account(self, login: str, *, groups: list[str], name: str = "", email: str = "", password: str = "pw"):
        self.accounts[login] = {
            "password": password,
            "name": name or login.title(),
            "email": email or f"{login}@example.com",
            "groups": groups,
        }
        self._write()

    def settings(self, settings, *, local_login: bool = True):
        """Point Clearance's settings at this provider (the `settings` fixture restores them after)."""
        settings.CLEARANCE_OIDC_ISSUER = self.issuer
        settings.CLEARANCE_OIDC_DISCOVERY_URL = f"{self.issuer}/.well-known/openid-configuration"
        settings.CLEARANCE_OIDC_PROVIDER_NAME = PROVIDER_NAME
        settings.CLEARANCE_OIDC_ROLE_MAP = ROLE_MAP
        settings.CLEARANCE_LOCAL_LOGIN = local_login
        settings.OIDC_RP_CLIENT_ID = CLIENT_ID
        settings.OIDC_RP_CLIENT_SECRET = CLIENT_SECRET
        settings.OIDC_RP_SCOPES = "openid email profile groups"
        settings.OIDC_RP_SIGN_ALGO = "RS256"
        settings.OIDC_USE_PKCE = True
        settings.OIDC_TIMEOUT = 5
        settings.OIDC_STORE_ID_TOKEN = True
        settings.OIDC_CREATE_USER = True
        settings.OIDC_AUTHENTICATION_CALLBACK_URL = "oidc_authentication_callback"
        settings.LOGIN_REDIRECT_URL_FAILURE = "login"
        settings.OIDC_OP_LOGOUT_URL_METHOD = "identity.oidc.provider_logout_url"

    def stop(self):
        if self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(5)
            except subprocess.TimeoutExpired:
                self.process.kill()
