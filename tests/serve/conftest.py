"""``broadsheet serve`` as a user runs it: a real process on a free loopback port.

``served`` starts it on the test's archive; ``Tab`` is a browser tab's side of the
websocket (what textual-serve's page sends and receives), for tests that need no
browser; tests/serve/test_browser.py drives a real Chromium.
"""

from __future__ import annotations

import asyncio
import json
import os
import re
import signal
import subprocess
import sys
import threading
import time
from dataclasses import dataclass, field
from pathlib import Path

import aiohttp
import pytest

from tests.feedserver import small_rss

# CSI and OSC sequences, and the lone escapes Textual writes: what is left is the text.
_ESCAPES = re.compile(rb"\x1b\[[0-?]*[ -/]*[@-~]|\x1b\][^\x07\x1b]*(?:\x07|\x1b\\)|\x1b[@-Z\\-_]")


def screen_text(data: bytes) -> str:
    """The characters a terminal stream draws, without its escape sequences."""
    return _ESCAPES.sub(b"", data).decode("utf-8", "replace")


@dataclass
class Served:
    """A running ``broadsheet serve``."""

    process: subprocess.Popen[str]
    url: str
    """What it printed: the address with its token."""
    stderr: list[str] = field(default_factory=list)

    @property
    def base(self) -> str:
        return self.url.split("/?", 1)[0]

    @property
    def token(self) -> str:
        return self.url.rsplit("token=", 1)[1]

    @property
    def port(self) -> int:
        return int(self.base.rsplit(":", 1)[1])

    def stop(self, signum: int = signal.SIGINT, timeout: float = 30) -> int:
        self.process.send_signal(signum)
        return self.process.wait(timeout)


def start_serve(command: list[str], env: dict[str, str], *, timeout: float = 30) -> Served:
    """Start ``command`` (a serve) and wait for its one line on stdout."""
    process = subprocess.Popen(
        command,
        stdin=subprocess.DEVNULL,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        env=env,
    )
    lines: list[str] = []
    got_line = threading.Event()

    def read_stdout() -> None:
        assert process.stdout is not None
        for line in process.stdout:
            lines.append(line)
            got_line.set()
        got_line.set()

    served = Served(process, "")

    def read_stderr() -> None:
        assert process.stderr is not None
        served.stderr.extend(process.stderr)

    threading.Thread(target=read_stdout, daemon=True).start()
    threading.Thread(target=read_stderr, daemon=True).start()
    if not got_line.wait(timeout) or not lines:
        process.kill()
        process.wait()
        raise AssertionError(f"serve printed no address: {''.join(served.stderr)}")
    served.url = lines[0].strip()
    served.lines = lines  # type: ignore[attr-defined]
    return served


@pytest.fixture
def serve_config(tmp_path: Path) -> Path:
    """A config whose export folder is in the test's tmp dir (never the user's Documents)."""
    exports = tmp_path / "exports"
    config = tmp_path / "serve.toml"
    config.write_text(f'export_dir = "{exports}"\n', encoding="utf-8")
    return config


def serve_command(config: Path, *args: str) -> list[str]:
    return [sys.executable, "-m", "tui", "--config", str(config), "serve", "--port", "0", *args]


def serve_env(data_dir: Path) -> dict[str, str]:
    env = {**os.environ, "BROADSHEET_HOME": str(data_dir)}
    env.pop("BROADSHEET_DEBUG", None)
    return env


@pytest.fixture
def served(data_dir: Path, serve_config: Path):
    """``broadsheet serve --port 0`` on the test's archive; stopped after the test."""
    running = start_serve(serve_command(serve_config), serve_env(data_dir))
    yield running
    if running.process.poll() is None:
        running.stop(signal.SIGTERM)


def news_pages(feed_server) -> str:
    """Where the test feed's articles link to (on loopback: `o` opens no outside page)."""
    return feed_server.url("files/pages/")


@pytest.fixture
def news(feed_server, data_dir: Path):
    """A subscribed feed of three articles whose links stay on loopback.

    Stored as ``broadsheet add`` would store it, in this process: a subprocess per
    test costs a second of the suite.
    """
    from datetime import UTC, datetime

    from tui.core.archive import open_store
    from tui.core.models import ParsedEntry, ParsedFeed

    path = f"serve-news-{time.monotonic_ns()}.xml"
    pages = news_pages(feed_server)
    feed_server.set_route(path, small_rss("Loopback News", 3, link=pages))
    url = feed_server.url(path)
    entries = tuple(
        ParsedEntry(
            title=f"Loopback News item {i}",
            guid=f"{pages}{i}",
            link=f"{pages}{i}",
            summary_html=f"Item {i}.",
        )
        for i in range(1, 4)
    )
    with open_store(data_dir / "broadsheet.sqlite3") as store:
        feed = store.add_feed(url)
        store.apply_feed_update(
            feed.id, ParsedFeed("Loopback News", link=pages, entries=entries), now=datetime.now(UTC)
        )
    return url


def broadsheet_json(config: Path, data_dir: Path, *args: str):
    done = subprocess.run(
        [sys.executable, "-m", "tui", "--config", str(config), *args, "--json"],
        capture_output=True,
        text=True,
        env=serve_env(data_dir),
        timeout=60,
    )
    assert done.returncode == 0, done.stderr
    return json.loads(done.stdout)


class Tab:
    """The page's side of one tab: the websocket that drives a reader process."""

    def __init__(self, served: Served, *, width: int = 140, height: int = 40) -> None:
        self.served = served
        self.size = (width, height)
        self.received = bytearray()
        self._session: aiohttp.ClientSession | None = None
        self._ws: aiohttp.ClientWebSocketResponse | None = None
        self._reader: asyncio.Task[None] | None = None
        self.closed = asyncio.Event()

    async def __aenter__(self) -> Tab:
        from tui.serve.access import cookie_name

        self._session = aiohttp.ClientSession(
            cookies={cookie_name(self.served.port): self.served.token}
        )
        width, height = self.size
        self._ws = await self._session.ws_connect(
            f"{self.served.base}/ws?width={width}&height={height}",
            headers={"Origin": self.served.base},
        )
        self._reader = asyncio.create_task(self._read())
        return self

    async def _read(self) -> None:
        assert self._ws is not None
        async for message in self._ws:
            if message.type == aiohttp.WSMsgType.BINARY:
                self.received += message.data
        self.closed.set()

    @property
    def text(self) -> str:
        return screen_text(bytes(self.received))

    async def wait_for(self, wanted: str, *, since: int = 0, timeout: float = 30) -> None:
        """Wait until the screen has drawn ``wanted`` (after byte ``since``)."""
        deadline = time.monotonic() + timeout
        while wanted not in screen_text(bytes(self.received[since:])):
            if time.monotonic() > deadline:
                raise AssertionError(f"{wanted!r} never shown; last: {self.text[-400:]!r}")
            await asyncio.sleep(0.05)

    def mark(self) -> int:
        return len(self.received)

    async def press(self, *keys: str) -> None:
        assert self._ws is not None
        for key in keys:
            await self._ws.send_str(json.dumps(["stdin", key]))

    async def close(self) -> None:
        """Close the tab as a browser does: the websocket goes, nothing else is said."""
        if self._ws is not None:
            await self._ws.close()
        if self._reader is not None:
            await self._reader
        if self._session is not None:
            await self._session.close()

    async def __aexit__(self, *exc: object) -> None:
        await self.close()


def children_of(pid: int) -> list[int]:
    """Living child processes of ``pid`` (Linux /proc)."""
    found = []
    for task in Path(f"/proc/{pid}/task").glob("*/children"):
        try:
            found += [int(p) for p in task.read_text().split()]
        except OSError:
            continue
    alive = []
    for child in found:
        try:
            state = Path(f"/proc/{child}/stat").read_text().rpartition(")")[2].split()[0]
        except (OSError, IndexError):
            continue
        if state != "Z":
            alive.append(child)
    return alive
