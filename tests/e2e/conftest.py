"""End-to-end tests: Debian's Chromium, driven by Playwright, against a live server.

They never skip: without /usr/bin/chromium they fail, because `make test` installs it. Every request the
pages make to a host other than the live server fails the test. Screenshots of the main pages are
saved under test-artifacts/screenshots/.
"""

import os
from pathlib import Path
from urllib.parse import urlparse

import pytest

CHROMIUM = "/usr/bin/chromium"
SCREENSHOTS = Path(__file__).resolve().parents[2] / "test-artifacts" / "screenshots"
AXE = Path(__file__).with_name("axe-4.14.1.min.js")
PASSWORD = "correct horse battery staple"


def pytest_collection_modifyitems(items):
    for item in items:
        if "/e2e/" in str(item.fspath):
            item.add_marker(pytest.mark.e2e)
            # A live server shares the database with the browser's requests, so these tests commit;
            # serialized_rollback restores the data migrations' rows (groups, checklist) afterwards.
            item.add_marker(pytest.mark.django_db(transaction=True, serialized_rollback=True))


@pytest.fixture(scope="session")
def browser():
    from playwright.sync_api import sync_playwright

    # Playwright's sync API keeps an event loop running in this thread while the browser is open; the
    # ORM calls the tests (and the database flush after each) make meanwhile are ordinary synchronous
    # calls, which Django would otherwise refuse.
    os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"

    if not Path(CHROMIUM).exists():
        pytest.fail(f"{CHROMIUM} is missing: `make test` installs Debian's chromium package.")
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=CHROMIUM,
            args=[
                "--no-sandbox",
                "--disable-gpu",
                "--disable-dev-shm-usage",
                "--disable-background-networking",
                "--disable-component-update",
                "--disable-sync",
                "--no-first-run",
            ],
        )
        yield browser
        browser.close()
    os.environ.pop("DJANGO_ALLOW_ASYNC_UNSAFE", None)


class Visitor:
    """One person's browser session against the live server, with a guard on outside requests."""

    def __init__(self, browser, base_url: str, *, axe: bool = False, also_allowed: tuple[str, ...] = ()):
        self.base_url = base_url
        self.context = browser.new_context(viewport={"width": 1280, "height": 900}, accept_downloads=True)
        if axe:
            # An init script is injected by the browser itself, so the page's CSP (no inline scripts) stays on.
            self.context.add_init_script(path=str(AXE))
        self.outside_requests: list[str] = []
        self.console_errors: list[str] = []
        hosts = {urlparse(base_url).netloc, *(urlparse(url).netloc for url in also_allowed)}
        self.context.route("**/*", lambda route: self._guard(route, hosts))
        self.page = self.context.new_page()
        self.page.on("console", lambda message: message.type == "error" and self.console_errors.append(message.text))
        self.page.set_default_timeout(15_000)

    def _guard(self, route, hosts):
        url = route.request.url
        if url.startswith(("data:", "blob:")) or urlparse(url).netloc in hosts:
            route.continue_()
        else:
            self.outside_requests.append(url)
            route.abort()

    def go(self, path: str):
        response = self.page.goto(self.base_url + path)
        return response

    def login(self, username: str, password: str = PASSWORD):
        self.context.clear_cookies()
        self.go("/login/")
        self.page.get_by_label("Username").fill(username)
        self.page.get_by_label("Password").fill(password)
        self.page.get_by_role("button", name="Sign in").click()
        self.page.wait_for_url(lambda url: "/login/" not in url)

    def screenshot(self, name: str):
        """A full-page screenshot. Focus leaves the field first: Chromium scrolls a focused field back into
        view when the viewport returns to its size after a full-page capture, and a click made meanwhile can
        land on another element (its mousedown and mouseup hit different targets and no click happens)."""
        self.page.evaluate("document.activeElement && document.activeElement.blur()")
        SCREENSHOTS.mkdir(parents=True, exist_ok=True)
        self.page.screenshot(path=SCREENSHOTS / f"{name}.png", full_page=True)

    def axe_violations(self, impacts=("serious", "critical")) -> list[dict]:
        """Run the vendored axe-core on the current page; return the violations of the given impacts."""
        results = self.page.evaluate("async () => await axe.run(document, {resultTypes: ['violations']})")
        return [
            {"id": v["id"], "impact": v["impact"], "help": v["help"], "nodes": [n["target"] for n in v["nodes"][:3]]}
            for v in results["violations"]
            if v["impact"] in impacts
        ]

    def close(self):
        self.context.close()


@pytest.fixture
def visit(browser, live_server):
    """Open browser sessions; each must make no outside request and log no console error."""
    visitors: list[Visitor] = []

    def open_session(*, axe: bool = False, also_allowed: tuple[str, ...] = ()) -> Visitor:
        """`also_allowed`: base URLs of other servers the test runs on this machine (an identity provider)."""
        visitor = Visitor(browser, live_server.url, axe=axe, also_allowed=also_allowed)
        visitors.append(visitor)
        return visitor

    yield open_session
    for visitor in visitors:
        visitor.close()
    outside = [url for v in visitors for url in v.outside_requests]
    assert not outside, f"The pages requested outside hosts: {outside}"
    errors = [e for v in visitors for e in v.console_errors]
    assert not errors, f"The browser console logged errors: {errors}"
