"""A reader with known content and a fixed clock, so Pilot tests and snapshots are stable."""

from __future__ import annotations

import asyncio
import contextlib
import os
import sys
import threading
import time
from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from textual import events
from textual.dom import DOMNode
from textual.worker import WorkerCancelled, WorkerFailed

from tui.app import BroadsheetApp
from tui.core.archive import open_store
from tui.core.config import load_config
from tui.core.models import ParsedEntry, ParsedFeed
from tui.core.store import Store

NOW = datetime(2026, 11, 25, 12, 0, tzinfo=UTC)


@pytest.fixture(autouse=True)
def utc_timezone():
    """Dates in the reading pane are local time; pin it so snapshots match everywhere."""
    previous = os.environ.get("TZ")
    os.environ["TZ"] = "UTC"
    time.tzset()
    yield
    if previous is None:
        os.environ.pop("TZ", None)
    else:
        os.environ["TZ"] = previous
    time.tzset()


def story(n: int, title: str, *, hours_ago: float, body: str | None = None) -> ParsedEntry:
    return ParsedEntry(
        title=title,
        guid=f"story-{n}",
        link=f"https://daily.example/{n}",
        author="Ada Reporter",
        published=NOW - timedelta(hours=hours_ago),
        content=body or f"<p>{title}.</p><p>Second paragraph of story {n}.</p>",
    )


DAILY = ParsedFeed(
    title="The Daily Example",
    link="https://daily.example/",
    entries=(
        story(
            1,
            "Council approves the new bridge",
            hours_ago=1,
            body="<p>The council voted 9 to 2 on Tuesday to build a footbridge over the river."
            "</p><p>“This bridge joins two halves of one town,” said Mayor Lena Varga. "
            "“We waited forty years for it.”</p><p>Councillor Tom Reed voted against. "
            "“The money should go to the schools first,” he said.</p>"
            "<p>Subscribe to our newsletter</p>",
        ),
        story(2, "Rain expected all weekend", hours_ago=5),
        story(3, "[bold red]Hostile[/] title \\[link=file:///etc/passwd]x", hours_ago=26),
        story(4, "Library opens a night reading room", hours_ago=50),
    ),
)
TECH = ParsedFeed(
    title="Tech Notes",
    link="https://tech.example/",
    entries=(
        story(10, "A faster parser", hours_ago=3),
        story(11, "Terminals in 2026", hours_ago=30),
    ),
)


@pytest.fixture
def library(data_dir: Path) -> Path:
    """A data dir holding the welcome feed, two tagged feeds and one feed in error."""
    with open_store(data_dir / "broadsheet.sqlite3") as store:
        daily = store.add_feed("https://daily.example/rss", tags=["news"])
        store.apply_feed_update(daily.id, DAILY, now=NOW)
        tech = store.add_feed("https://tech.example/atom", tags=["tech"])
        store.apply_feed_update(tech.id, TECH, now=NOW)
        broken = store.add_feed("https://broken.example/feed", title="Broken Feed")
        store.record_failure(broken.id, "HTTP 500 Internal Server Error", now=NOW, status="500")
    return data_dir


def build_app(data_dir: Path, tmp_path: Path, config_text: str = "") -> BroadsheetApp:
    config_file = tmp_path / "config.toml"
    config_file.write_text(config_text)
    return BroadsheetApp(load_config(config_file, data_dir, {}), clock=lambda: NOW)


async def settle(app: BroadsheetApp, pilot) -> None:
    """Let workers finish and their messages land, a few rounds deep."""
    for _ in range(6):
        # The app shows worker errors to the user; tests assert on what it shows. A
        # worker cancelled because the user moved on is finished too.
        with contextlib.suppress(WorkerFailed, WorkerCancelled):
            await app.workers.wait_for_complete()
        await pilot.pause()


def read_store(data_dir: Path) -> Store:
    return Store(data_dir / "broadsheet.sqlite3")


async def until(pilot, condition: Callable[[], bool], timeout: float = 10.0) -> bool:
    """Let the app run until ``condition`` holds (True) or ``timeout`` seconds pass (False)."""
    deadline = time.monotonic() + timeout
    while not condition():
        if time.monotonic() > deadline:
            return False
        await pilot.pause()
    return True


def press_at_once(app: BroadsheetApp, *keys: str) -> None:
    """Queue key presses faster than the UI handles them, as key repeat does."""
    for key in keys:
        event = events.Key(key, key if len(key) == 1 else None)
        event.set_sender(app)
        app.post_message(event)


# The worst moment for a worker to finish is while the event loop is busy (drawing, or
# handling other keys): its message then queues behind whatever the user did meanwhile.
# These two make that moment happen on purpose, by watching the loop's thread pool.


def _background_busy() -> bool:
    executor = asyncio.get_running_loop()._default_executor  # type: ignore[attr-defined]
    if executor is None:
        return False
    if executor._work_queue.qsize():
        return True
    frames = sys._current_frames()
    # An idle pool thread sits in ``_worker`` waiting for its next job.
    return any(
        (frame := frames.get(thread.ident)) is not None and frame.f_code.co_name != "_worker"
        for thread in list(executor._threads)
    )


async def until_background_busy(timeout: float = 5.0) -> None:
    """Yield to the loop until a worker thread has started on something."""
    deadline = time.monotonic() + timeout
    while not _background_busy() and time.monotonic() < deadline:
        await asyncio.sleep(0)


def stall_loop_until_background_idle(timeout: float = 5.0) -> None:
    """Hold the event loop (as a long redraw would) until the worker threads are done."""
    deadline = time.monotonic() + timeout
    while _background_busy() and time.monotonic() < deadline:
        time.sleep(0.0005)


@pytest.fixture(autouse=True)
def widgets_only_on_the_event_loop(monkeypatch):
    """Fail a test in which a worker thread looks up widgets: Textual's DOM is not
    thread-safe, and a list that reloads meanwhile makes the look-up fail."""
    loop_thread = threading.get_ident()
    offences: list[str] = []
    original = DOMNode.query_one

    def query_one(self, *args, **kwargs):
        if threading.get_ident() != loop_thread:
            offences.append(f"{type(self).__name__}.query_one{args!r} from a worker thread")
        return original(self, *args, **kwargs)

    monkeypatch.setattr(DOMNode, "query_one", query_one)
    yield
    assert offences == []
