"""A reader left open: what the soak benchmark found piling up, refresh after refresh."""

from __future__ import annotations

import gc
import os
import sys

import pytest
from textual.widgets._footer import FooterKey

from tests.feedserver import small_rss
from tests.ui.conftest import build_app, settle, until
from tui.core.archive import open_store


def live_footer_keys() -> int:
    gc.collect()
    return sum(1 for o in gc.get_objects() if isinstance(o, FooterKey))


async def test_the_footer_keeps_only_the_keys_it_shows(library, tmp_path):
    app = build_app(library, tmp_path)
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(app, pilot)
        shown = live_footer_keys()
        for _ in range(6):  # every move between panes rebuilds the footer
            await pilot.press("tab")
            await settle(app, pilot)
        # Textual 8.2.8 kept every key of every rebuild (about 10 a move) alive.
        assert live_footer_keys() <= shown + 12
        await pilot.press("q")


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="counts /proc/self/fd")
async def test_refreshing_again_and_again_keeps_no_file_open(data_dir, tmp_path, feed_server):
    feed_server.set_route("leaks.xml", small_rss("Leaks", 3))
    with open_store(data_dir / "broadsheet.sqlite3") as store:
        store.add_feed(feed_server.url("leaks.xml"))
    app = build_app(data_dir, tmp_path)
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(app, pilot)
        screen = app.screen

        async def refresh() -> None:
            await pilot.press("R")
            assert await until(pilot, lambda: screen.refreshing, timeout=10)
            assert await until(pilot, lambda: not screen.refreshing, timeout=30)
            await settle(app, pilot)

        await refresh()
        before = len(os.listdir("/proc/self/fd"))
        for _ in range(3):
            await refresh()
        # Each refresh's child kept its stderr pipe open in the reader: one more a refresh.
        assert len(os.listdir("/proc/self/fd")) <= before
        await pilot.press("q")
