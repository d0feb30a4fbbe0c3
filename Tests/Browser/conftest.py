"""Fixtures for the dashboard tests in a real browser: Debian's chromium driven by Playwright
(the Python package only; no browser download), against the `synapse dev` that
scripts/browser-tests.sh starts (SYNAPSE_GATEWAY_URL)."""
import os
from pathlib import Path
from urllib.parse import urlsplit

import pytest
from playwright.sync_api import sync_playwright

GATEWAY = os.environ.get("SYNAPSE_GATEWAY_URL", "http://127.0.0.1:8000")
CHROMIUM = os.environ.get("SYNAPSE_CHROMIUM", "/usr/bin/chromium")
SCREENSHOTS = Path(os.environ.get("SYNAPSE_SCREENSHOTS", ".build/browser"))


# A second gateway that requires an API key (scripts/browser-tests.sh starts it).
KEYED_GATEWAY = os.environ.get("SYNAPSE_KEYED_GATEWAY_URL")
KEYED_KEY = os.environ.get("SYNAPSE_KEYED_GATEWAY_KEY")


def same_origin(url, origin=GATEWAY):
    if url.startswith(("data:", "blob:", "about:")):
        return True
    parts, gateway = urlsplit(url), urlsplit(origin)
    return (parts.scheme, parts.netloc) == (gateway.scheme, gateway.netloc)


class Watched:
    """A page with what it logged and fetched: console errors, uncaught exceptions, requests to
    any other origin."""

    def __init__(self, page, origin=GATEWAY):
        self.page = page
        self.errors = []
        self.foreign = []
        page.on("console", lambda message: message.type == "error" and self.errors.append(message.text))
        page.on("pageerror", lambda error: self.errors.append(f"uncaught: {error}"))
        self.failed = []
        page.on("request", lambda request: same_origin(request.url, origin) or self.foreign.append(request.url))
        page.on("response", lambda response: response.status >= 400 and self.failed.append(urlsplit(response.url).path))

    def assert_clean(self, favicon_may_miss=False):
        """No console errors and nothing fetched from elsewhere. `favicon_may_miss`: a page that
        names no icon makes the browser ask for /favicon.ico, whose 404 the console reports."""
        errors = self.errors
        if favicon_may_miss and set(self.failed) <= {"/favicon.ico"}:
            errors = [e for e in errors if not e.startswith("Failed to load resource")]
        assert errors == [], f"console errors: {errors} (failed loads: {self.failed})"
        assert self.foreign == [], f"requests to other origins: {self.foreign}"


@pytest.fixture(scope="session")
def browser():
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=CHROMIUM,
            # Autoplay without a gesture, and no sandbox (containers, root).
            args=["--no-sandbox", "--autoplay-policy=no-user-gesture-required"])
        yield browser
        browser.close()


@pytest.fixture(scope="module")
def dashboard(browser):
    """One dashboard page for a module's tests, in order, as a developer would use it."""
    context = browser.new_context(viewport={"width": 1400, "height": 1000})
    watched = Watched(context.new_page())
    watched.page.goto(GATEWAY + "/", wait_until="load")
    yield watched
    context.close()


@pytest.fixture
def fresh_page(browser):
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    watched = Watched(context.new_page())
    yield watched
    context.close()


@pytest.fixture
def keyed_page(browser):
    if not KEYED_GATEWAY:
        pytest.fail("no gateway with API keys: run the browser tests with scripts/browser-tests.sh (it sets SYNAPSE_KEYED_GATEWAY_URL)")
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    watched = Watched(context.new_page(), origin=KEYED_GATEWAY)
    yield watched
    context.close()
