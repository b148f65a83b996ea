"""One refresh at a time per archive: a second one, from any process, is told and does nothing."""

from __future__ import annotations

import os
import subprocess
import sys
import time
import uuid

from tests.feedserver import small_rss
from tests.ui.conftest import build_app, settle, until

SLOW = 2.0
"""Seconds the slow feed takes to answer: the first refresh holds the lock that long."""


def slow_feed(cli, feed_server) -> str:
    path = f"slow-{uuid.uuid4().hex[:8]}.xml"
    feed_server.set_route(path, small_rss("Slow", 2))
    assert cli("add", feed_server.url(path)).code == 0
    feed_server.set_route(path, small_rss("Slow", 3), delay=SLOW)
    return path


def start_refresh(cli, data_dir) -> subprocess.Popen[str]:
    return subprocess.Popen(
        [sys.executable, "-m", "tui", "--config", str(cli.config), "refresh", "--force"],
        env={**os.environ, "BROADSHEET_HOME": str(data_dir)},
        stdin=subprocess.DEVNULL,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )


def wait_for(condition, timeout: float = 20.0) -> bool:
    deadline = time.monotonic() + timeout
    while not condition():
        if time.monotonic() > deadline:
            return False
        time.sleep(0.02)
    return True


def test_a_second_cli_refresh_is_told_one_is_running(cli, data_dir, feed_server):
    path = slow_feed(cli, feed_server)
    first = start_refresh(cli, data_dir)
    try:
        assert wait_for(lambda: feed_server.in_flight >= 1)  # it holds the lock now
        started = time.monotonic()
        second = cli("refresh", "--force")
        assert time.monotonic() - started < SLOW  # told at once, not made to wait
        assert second.code == 1
        assert second.stdout == ""
        assert second.stderr.strip() == (
            f"broadsheet: a refresh of this archive is already running (process {first.pid}); "
            "this one did nothing"
        )
    finally:
        out, err = first.communicate(timeout=60)
    assert first.returncode == 0, err
    assert "1 new articles" in out  # the first one's work was not disturbed
    feed_server.set_route(path, small_rss("Slow", 3))  # answers at once now
    assert cli("refresh", "--force").code == 0  # and the lock went with it


async def test_the_reader_and_the_cli_refresh_one_at_a_time(cli, data_dir, feed_server, tmp_path):
    slow_feed(cli, feed_server)
    app = build_app(data_dir, tmp_path)
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(app, pilot)
        # The reader refreshes (in a child process); a CLI refresh meanwhile is told.
        await pilot.press("R")
        assert await until(pilot, lambda: feed_server.in_flight >= 1, timeout=20)
        told = cli("refresh", "--force")
        assert told.code == 1 and "already running" in told.stderr
        assert await until(pilot, lambda: not app.screen.refreshing, timeout=30)

        # A CLI refresh runs; the reader's R is told in its notification.
        first = start_refresh(cli, data_dir)
        try:
            assert await until(pilot, lambda: feed_server.in_flight >= 1, timeout=20)
            await pilot.press("R")
            assert await until(
                pilot,
                lambda: any("already running" in n.message for n in app._notifications),
                timeout=20,
            )
        finally:
            first.communicate(timeout=60)
        await pilot.press("q")
    assert first.returncode == 0


async def test_a_timed_refresh_that_meets_another_stays_quiet_and_R_is_told(data_dir, tmp_path):
    """Several tabs of `broadsheet serve` each refresh due feeds every five minutes: one
    that meets another's refresh must not pop up a problem, as that one does the work."""
    from tui.core.refreshlock import refresh_lock

    app = build_app(data_dir, tmp_path)
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(app, pilot)
        # This process holds the lock, as another reader's refresh would.
        with refresh_lock(data_dir / "broadsheet.sqlite3"):
            app.screen.auto_refresh()
            assert app.screen.refreshing
            assert await until(pilot, lambda: not app.screen.refreshing, timeout=30)
            await settle(app, pilot)
            assert [n.message for n in app._notifications] == []
            await pilot.press("R")
            assert await until(
                pilot,
                lambda: any("already running" in n.message for n in app._notifications),
                timeout=30,
            )
        problems = [n for n in app._notifications if n.severity == "error"]
        assert [n.message for n in problems] == [
            f"a refresh of this archive is already running (process {os.getpid()}); "
            "this one did nothing"
        ]
        await pilot.press("q")
