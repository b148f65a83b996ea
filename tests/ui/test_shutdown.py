"""Quitting the reader: it ends promptly, and what was asked for before is kept."""

from __future__ import annotations

import asyncio
import time
import uuid
from datetime import timedelta

import pytest

from tests.ui.conftest import NOW, build_app, read_store, settle
from tui.core.models import ParsedEntry, ParsedFeed


@pytest.fixture
def counted_summaries(monkeypatch):
    """Each summary takes 0.1 s; returns the times they started."""
    import tui.core.summarize as summarize_module

    started: list[float] = []
    real = summarize_module.summarize

    def summarize(*args, **kwargs):
        started.append(time.monotonic())
        time.sleep(0.1)
        return real(*args, **kwargs)

    monkeypatch.setattr(summarize_module, "summarize", summarize)
    return started


async def test_quitting_while_every_bookmark_is_saved_stops_the_summaries(
    library, tmp_path, counted_summaries
):
    # The process exits only when its worker threads are done: a save of every
    # bookmark went on summarising all of them after q, and the shell waited.
    marker = uuid.uuid4().hex  # texts no other test has summarised (summaries are cached)
    with read_store(library) as store:
        feed = store.add_feed("https://long.example/feed")
        entries = tuple(
            ParsedEntry(
                title=f"Long read {i}",
                guid=f"long-{i}",
                published=NOW - timedelta(hours=i),
                content=f"<p>Story {marker} number {i}. It goes on. And on.</p>",
            )
            for i in range(40)
        )
        store.apply_feed_update(feed.id, ParsedFeed("Long", entries=entries), now=NOW)
        for article in store.iter_articles():
            store.set_bookmark(article.id, True)
    app = build_app(library, tmp_path, f'export_dir = "{tmp_path / "exports"}"\n')
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(app, pilot)
        await pilot.press("S")
        deadline = time.monotonic() + 10
        while not counted_summaries and time.monotonic() < deadline:
            await asyncio.sleep(0.01)
        assert counted_summaries
        await pilot.press("q")
    quit_at = time.monotonic()
    await asyncio.sleep(1.0)
    late = [t for t in counted_summaries if t > quit_at + 0.3]
    assert late == [], f"{len(late)} summaries made after the reader quit"
