"""The reader's wait for a teaser's page is bounded by the interactive deadline too."""

from __future__ import annotations

import time
import uuid
from datetime import timedelta

from tests.ui.conftest import NOW, build_app, settle, until
from tui.core.archive import open_store
from tui.core.models import ParsedEntry, ParsedFeed
from tui.widgets.article_list import ArticleList
from tui.widgets.feed_list import FeedList
from tui.widgets.reading_pane import ReadingPane


def teaser_feed(data_dir, link: str) -> int:
    with open_store(data_dir / "broadsheet.sqlite3") as store:
        feed = store.add_feed(f"http://teasers.example/{uuid.uuid4().hex[:6]}")
        entry = ParsedEntry(
            title="Teaser",
            guid="t0",
            link=link,
            published=NOW - timedelta(minutes=1),
            content="<p>Teaser text.</p>",
        )
        store.apply_feed_update(feed.id, ParsedFeed("Teasers", entries=(entry,)), now=NOW)
        return feed.id


async def test_a_page_that_drips_past_the_deadline_leaves_the_feed_text_with_a_note(
    data_dir, tmp_path, feed_server
):
    feed_id = teaser_feed(data_dir, feed_server.url("trickle?every=0.1"))
    app = build_app(data_dir, tmp_path, "[fetch]\ninteractive_deadline = 1\nread_timeout = 60\n")
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(app, pilot)
        feeds = app.screen.query_one(FeedList)
        feeds.highlighted = [(o.id or "").partition("@")[0] for o in feeds.options].index(
            f"feed:{feed_id}"
        )
        await settle(app, pilot)
        app.screen.query_one(ArticleList).focus()
        pane = app.screen.query_one(ReadingPane)
        started = time.monotonic()
        await pilot.press("enter")
        assert await until(pilot, lambda: "Teaser text." in pane.plain_text, timeout=5)
        assert "fetching the full text" in pane.plain_text
        assert await until(pilot, lambda: "interactive_deadline" in pane.plain_text, timeout=10)
        assert time.monotonic() - started < 10
        assert "Teaser text." in pane.plain_text and "fetching" not in pane.plain_text
        await pilot.press("q")
