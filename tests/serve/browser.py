"""A real Chromium (Debian's, at /usr/bin/chromium) driven by Playwright for Python.

``playwright install`` downloads browsers and cannot work here, so the system's
Chromium is launched with a fresh profile. Where it is missing the browser tests are
skipped with the reason, except in CI (``CI=true``), where they must run.

What a tab shows is read from the websocket: the reader's screen arrives there as a
terminal stream, which ``screen_text`` turns back into the characters drawn.
"""

from __future__ import annotations

import os
import re
import time
from pathlib import Path
from typing import Any

import pytest

from tests.serve.conftest import screen_text

CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]


def missing_browser() -> str | None:
    """Why the browser tests cannot run here, or None."""
    if not CHROMIUM.exists():
        return f"no Chromium at {CHROMIUM} (apt-get install chromium)"
    try:
        import playwright.sync_api  # noqa: F401
    except ImportError:
        return "Playwright for Python is not installed (pip install '.[test]')"
    return None


def require_browser() -> None:
    if (reason := missing_browser()) is None:
        return
    if os.environ.get("CI") == "true":
        pytest.fail(f"browser tests must run in CI: {reason}")
    pytest.skip(reason)


def launch(playwright: Any, profile: Path, **options: Any) -> Any:
    """Chromium with a fresh profile; returns its (only) browser context."""
    return playwright.chromium.launch_persistent_context(
        str(profile),
        executable_path=str(CHROMIUM),
        headless=True,
        args=CHROMIUM_ARGS,
        viewport={"width": 1280, "height": 800},
        **options,
    )


class BrowserTab:
    """One browser tab on the served reader, with what its screen has drawn."""

    def __init__(self, context: Any) -> None:
        self.page = context.new_page()
        self.received = bytearray()
        self.first_frame_at: float | None = None
        """perf_counter() when the reader's first bytes came (to a 20 ms poll)."""
        self.requests: list[str] = []
        self.problems: list[str] = []
        self.latency = 0.0
        """Seconds the last key took to show its effect."""
        self.page.on("request", lambda request: self.requests.append(request.url))
        self.page.on("console", self._console)
        self.page.on("websocket", self._websocket)

    def _console(self, message: Any) -> None:
        if message.type == "error" and "favicon.ico" not in str(message.location):
            self.problems.append(message.text)

    def _websocket(self, websocket: Any) -> None:
        def received(payload: Any) -> None:
            if isinstance(payload, bytes):
                if self.first_frame_at is None:
                    self.first_frame_at = time.perf_counter()
                self.received += payload

        websocket.on("framereceived", received)

    def open(self, url: str) -> None:
        self.page.goto(url)
        self.page.wait_for_selector("body.-first-byte", timeout=30_000)

    def mark(self) -> int:
        return len(self.received)

    @property
    def text(self) -> str:
        return screen_text(bytes(self.received))

    @property
    def words(self) -> str:
        """The screen's words in the order drawn, one space apart: a message wrapped over
        lines (between a box's borders) reads whole."""
        return " ".join(re.findall(r"\w+", self.text))

    def wait_for(self, wanted: str, *, since: int = 0, timeout: float = 30) -> None:
        """Wait until the screen has drawn ``wanted`` (after byte ``since``)."""
        deadline = time.monotonic() + timeout
        while wanted not in screen_text(bytes(self.received[since:])):
            if time.monotonic() > deadline:
                raise AssertionError(f"{wanted!r} never shown; last: {self.text[-600:]!r}")
            self.page.wait_for_timeout(20)

    def press(self, *keys: str) -> None:
        for key in keys:
            self.page.keyboard.press(key)

    def settle(self, quiet: float = 0.12, timeout: float = 10) -> None:
        """Wait until the screen has stopped changing for ``quiet`` seconds.

        Textual moves the focus on its next turn, not within the key's handler: a key
        typed a millisecond after a pane change would still go to the old pane. A
        person's next key comes later; a test waits for the redraw instead.
        """
        deadline = time.monotonic() + timeout
        seen, since = len(self.received), time.monotonic()
        while time.monotonic() - since < quiet and time.monotonic() < deadline:
            self.page.wait_for_timeout(25)
            if len(self.received) != seen:
                seen, since = len(self.received), time.monotonic()

    def step(self, *keys: str, timeout: float = 30) -> None:
        """Press each key and let the screen settle after it.

        The key must redraw something (a pane's border, a dialog closing). What was
        still being drawn settles first, so the first bytes after the key are its redraw;
        then the screen must stay still for twice as long as that redraw took to come
        (at least ``settle``'s 0.12 s): a busy machine that answered late finishes late.
        """
        for key in keys:
            self.settle()
            mark, pressed = self.mark(), time.monotonic()
            self.press(key)
            while self.mark() == mark:
                if time.monotonic() - pressed > timeout:
                    raise AssertionError(f"{key!r} redrew nothing in {timeout:g} s")
                self.page.wait_for_timeout(20)
            self.latency = time.monotonic() - pressed
            self.settle(quiet=self._quiet())

    def _quiet(self) -> float:
        return min(2.0, max(0.12, 2 * self.latency))

    def shows_after(self, keys: str | list[str], wanted: str, timeout: float = 30) -> None:
        """Press ``keys`` and wait until the screen draws ``wanted``."""
        mark, pressed = self.mark(), time.monotonic()
        self.press(*([keys] if isinstance(keys, str) else keys))
        self.wait_for(wanted, since=mark, timeout=timeout)
        self.latency = time.monotonic() - pressed

    def type(self, text: str) -> None:
        """Type into what the last key opened, once it has settled (and has the focus)."""
        self.settle(quiet=self._quiet())
        self.page.keyboard.type(text)
