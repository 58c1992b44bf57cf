"""A headless Chromium for the page tests (playwright driving the Debian ``chromium``
package: no browser download), with every request that is not ``file://`` blocked and
recorded; skipped where playwright or Chromium is missing."""

from __future__ import annotations

import os
import shutil

import pytest

BROWSERS = ("chromium", "chromium-browser", "google-chrome", "google-chrome-stable")


def chromium_path() -> str | None:
    own = os.environ.get("ACTVIZ_CHROMIUM")
    if own:
        return own
    for name in BROWSERS:
        path = shutil.which(name)
        if path:
            return path
    return None


@pytest.fixture(scope="session")
def browser():
    sync_api = pytest.importorskip("playwright.sync_api", reason="playwright is not installed")
    exe = chromium_path()
    if exe is None:
        pytest.skip("Chromium is not installed (apt-get install chromium)")
    with sync_api.sync_playwright() as p:
        b = p.chromium.launch(executable_path=exe, args=["--no-sandbox"])
        yield b
        b.close()


class Opened:
    """A page loaded from file:// with the network blocked; ``errors`` collects console
    errors, uncaught exceptions and blocked requests."""

    def __init__(self, browser, path: str, fragment: str = ""):
        self.page = browser.new_page(viewport={"width": 1280, "height": 1000})
        self.errors: list[str] = []
        self.warnings: list[str] = []
        self.blocked: list[str] = []
        self.page.on("console", self._console)
        self.page.on("pageerror", lambda e: self.errors.append(f"uncaught: {e}"))
        self.page.route("**/*", self._route)
        self.goto(path, fragment)

    def _console(self, msg):
        if msg.type == "error":
            self.errors.append(f"console: {msg.text}")
        elif msg.type == "warning":
            self.warnings.append(msg.text)

    def _route(self, route):
        url = route.request.url
        if url.startswith("file://"):
            route.continue_()
        else:
            self.blocked.append(url)
            route.abort()

    def goto(self, path: str, fragment: str = ""):
        url = "file://" + os.path.abspath(path) + (("#" + fragment) if fragment else "")
        self.page.goto(url)
        self.page.wait_for_function("window.actvizExplore && window.actvizExplore.last()",
                                    timeout=30000)

    def js(self, code: str, arg=None):
        return self.page.evaluate(code, arg)

    def set(self, what: str, value):
        """Set a widget's value as a user would; returns once the page's callback (which
        Bokeh runs soon after, not at once) has rendered."""
        return self.js("""async ([w, v]) => { const ui = actvizExplore.ui();
            const m = w.startsWith('slider') ? ui.sliders[+w.slice(6)] : ui[w];
            const before = actvizExplore.last();
            if (w === 'show') m.active = v; else m.value = v;
            for (let i = 0; i < 200 && actvizExplore.last() === before; i++)
              await new Promise(r => setTimeout(r, 5)); }""", [what, value])

    def show(self, fragment: str):
        """Go to another state by editing the URL hash (the page's hashchange handler)."""
        return self.js("""async h => { const before = actvizExplore.last();
            window.location.hash = h;
            for (let i = 0; i < 400 && actvizExplore.last() === before; i++)
              await new Promise(r => setTimeout(r, 5)); }""", fragment)

    def curve(self, slot: int = 0) -> dict:
        return self.js("s => actvizExplore.curve(s)", slot)

    def state(self) -> dict:
        return self.js("actvizExplore.state()")

    def hash(self) -> str:
        return self.js("window.location.hash")

    def close(self):
        self.page.close()


@pytest.fixture
def opened(browser):
    pages = []

    def open_(path, fragment=""):
        p = Opened(browser, path, fragment)
        pages.append(p)
        return p

    yield open_
    for p in pages:
        p.close()


@pytest.fixture(scope="session")
def opened_class():
    """:class:`Opened`, for the tests (a conftest is not importable by name under pytest's
    default import mode)."""
    return Opened
