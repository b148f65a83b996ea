"""Things a quick user or a slow web site can do to the reader, and what must not happen."""

from __future__ import annotations

import asyncio
import threading
import uuid
from datetime import timedelta

import pytest

from tests.feedserver import small_rss
from tests.ui.conftest import (
    NOW,
    build_app,
    press_at_once,
    read_store,
    settle,
    stall_loop_until_background_idle,
    until,
    until_background_busy,
)
from tui.core.archive import open_store
from tui.core.models import ParsedEntry, ParsedFeed
from tui.core.store import ArticleFilter
from tui.widgets.article_list import ArticleList
from tui.widgets.feed_list import FeedList
from tui.widgets.reading_pane import ReadingPane


def add_feed(data_dir, url: str, entries: list[ParsedEntry], title: str = "Feed") -> int:
    with open_store(data_dir / "broadsheet.sqlite3") as store:
        feed = store.add_feed(url)
        store.apply_feed_update(feed.id, ParsedFeed(title, entries=tuple(entries)), now=NOW)
        return feed.id


async def show_feed(app, pilot, feed_id: int) -> ArticleList:
    feeds = app.screen.query_one(FeedList)
    ids = [(o.id or "").partition("@")[0] for o in feeds.options]
    feeds.highlighted = ids.index(f"feed:{feed_id}")
    await settle(app, pilot)
    articles = app.screen.query_one(ArticleList)
    articles.focus()
    return articles


def teaser_feed(data_dir, feed_server, count: int, page: str) -> int:
    """A feed whose items are one-line teasers linking to ``page``/N on the test server."""
    return add_feed(
        data_dir,
        feed_server.url(f"teasers-{uuid.uuid4().hex[:6]}"),
        [
            ParsedEntry(
                title=f"Teaser {i}",
                guid=f"t{i}",
                link=feed_server.url(f"{page}/{i}"),
                published=NOW - timedelta(minutes=i),
                content=f"<p>Teaser text {i}.</p>",
            )
            for i in range(count)
        ],
        title="Teasers",
    )


async def test_moving_between_teasers_on_a_hung_site_keeps_the_lists_loading(
    data_dir, tmp_path, feed_server
):
    teasers = teaser_feed(data_dir, feed_server, 40, "hang")  # /hang never answers
    app = build_app(data_dir, tmp_path, "[fetch]\nread_timeout = 60\n")
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(app, pilot)
        articles = await show_feed(app, pilot, teasers)
        await pilot.press("enter")
        for _ in range(34):  # more than the thread pool has threads
            await pilot.press("j", "enter")
        pane = app.screen.query_one(ReadingPane)
        # The feed's own text shows at once, without waiting for the page.
        assert await until(pilot, lambda: "Teaser text 34." in pane.plain_text, timeout=5)
        # Pages of the articles left behind are no longer asked for.
        assert await until(pilot, lambda: feed_server.in_flight <= 1, timeout=10)
        feeds = app.screen.query_one(FeedList)
        feeds.highlighted = [o.id for o in feeds.options].index("all")
        assert await until(pilot, lambda: len(articles.articles) > 40, timeout=10)
        await pilot.press("q")


async def test_an_article_shows_its_feed_text_until_its_page_arrives(
    data_dir, tmp_path, feed_server
):
    slow = f"slow-{uuid.uuid4().hex[:6]}"
    words = " ".join(f"word{i}" for i in range(300))
    page = f"<html><body><article><h1>Full</h1><p>The whole story. {words}</p></article></body>"
    feed_server.set_route(f"{slow}/0", page, content_type="text/html", delay=2)
    teasers = teaser_feed(data_dir, feed_server, 1, slow)
    app = build_app(data_dir, tmp_path)
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(app, pilot)
        await show_feed(app, pilot, teasers)
        pane = app.screen.query_one(ReadingPane)
        await pilot.press("enter")
        assert await until(pilot, lambda: "Teaser text 0." in pane.plain_text, timeout=5)
        assert feed_server.count(status=200, path=f"/{slow}/0") == 0  # still on its way
        assert await until(pilot, lambda: "The whole story." in pane.plain_text, timeout=10)
        assert "full text from the article's page" in pane.plain_text


async def test_refreshing_one_feed_reads_no_widget_from_a_worker(data_dir, tmp_path, feed_server):
    # widgets_only_on_the_event_loop (conftest) fails the test if a thread looks one up.
    path = f"one-{uuid.uuid4().hex[:6]}"
    feed_server.set_route(path, small_rss("One", 2))
    feed = add_feed(data_dir, feed_server.url(path), [])
    app = build_app(data_dir, tmp_path)
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(app, pilot)
        await show_feed(app, pilot, feed)
        await pilot.press("r")
        await settle(app, pilot)
        assert feed_server.count(path=f"/{path}") == 1
        assert await until(pilot, lambda: "One item 2" in [a.title for a in _articles(app)])


def _articles(app):
    return app.screen.query_one(ArticleList).articles


async def test_a_page_that_arrives_late_is_not_added_twice(data_dir, tmp_path):
    big = add_feed(
        data_dir,
        "https://big.example/feed",
        [
            ParsedEntry(title=f"Story {i:04d}", guid=str(i), published=NOW - timedelta(minutes=i))
            for i in range(1000)
        ],
    )
    app = build_app(data_dir, tmp_path)
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(app, pilot)
        articles = await show_feed(app, pilot, big)
        assert len(articles.articles) == ArticleList.PAGE_SIZE
        articles.highlighted = ArticleList.PAGE_SIZE - 21
        await settle(app, pilot)
        # One step more asks for the next page. It comes back while the loop is busy,
        # and G (to the end, the action bound to it) is handled before the page is.
        articles.highlighted += 1
        await until_background_busy()
        stall_loop_until_background_idle()
        await app.run_action("screen.last")
        await settle(app, pilot)
        assert app.is_running
        ids = [a.id for a in articles.articles]
        assert len(ids) == len(set(ids)) == 1000
        assert articles.highlighted == 999


async def test_m_pressed_quickly_leaves_the_archive_as_the_screen_shows(data_dir, tmp_path):
    feed = add_feed(
        data_dir,
        "https://many.example/feed",
        [
            ParsedEntry(title=f"Story {i:04d}", guid=str(i), published=NOW - timedelta(minutes=i))
            for i in range(ArticleList.PAGE_SIZE)
        ],
    )
    app = build_app(data_dir, tmp_path)
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(app, pilot)
        articles = await show_feed(app, pilot, feed)
        for _ in range(len(articles.articles) - 1):
            press_at_once(app, "m", "m", "m", "j")  # each article ends up read
        await settle(app, pilot)
        shown = {a.id: a.read for a in articles.articles}
        assert sum(shown.values()) == len(shown) - 1
    with read_store(data_dir) as store:
        stored = {a.id: a.read for a in store.articles(ArticleFilter(feed_id=feed), limit=1000)}
    assert stored == shown


async def test_an_empty_feed_clears_the_summary_and_quotes(library, tmp_path):
    app = build_app(library, tmp_path)
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(app, pilot)
        articles = app.screen.query_one(ArticleList)
        articles.focus()
        articles.highlighted = next(
            i for i, a in enumerate(articles.articles) if a.title.startswith("Council")
        )
        await pilot.press("enter")
        await settle(app, pilot)
        pane = app.screen.query_one(ReadingPane)
        assert pane.query_one("#article-summary").display
        assert pane.query_one("#article-quotes").display
        feeds = app.screen.query_one(FeedList)
        broken = next(f.id for f in feeds.feeds.values() if f.title == "Broken Feed")
        feeds.highlighted = [o.id for o in feeds.options].index(f"feed:{broken}")
        await settle(app, pilot)
        assert "No articles here yet." in pane.plain_text
        assert not pane.query_one("#article-summary").display
        assert not pane.query_one("#article-quotes").display
        assert "Mayor" not in str(pane.query_one("#article-quotes").render())


async def test_cancel_in_the_add_feed_dialog_stops_the_subscription(
    data_dir, tmp_path, feed_server
):
    path = f"slow-feed-{uuid.uuid4().hex[:6]}"
    feed_server.set_route(path, small_rss("Slow Feed", 2), delay=1.5)
    app = build_app(data_dir, tmp_path)
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(app, pilot)
        await pilot.press("a")
        await pilot.pause()
        app.screen.query_one("#url").value = feed_server.url(path)
        await pilot.press("enter")
        assert await until(pilot, lambda: feed_server.in_flight == 1, timeout=5)  # waiting
        await pilot.press("escape")
        # The server answers after its delay, to a client that has hung up or not.
        answered = lambda: feed_server.count(status=200, path=f"/{path}") == 1  # noqa: E731
        assert await until(pilot, answered, timeout=10)
        await settle(app, pilot)
        assert not any(f.url.endswith(path) for f in app.screen.query_one(FeedList).feeds.values())
    with read_store(data_dir) as store:
        assert feed_server.url(path) not in [feed.url for feed in store.feeds()]


@pytest.fixture
def slow_summaries(monkeypatch):
    """Summaries that wait for the test to let them go (a long article on a slow machine)."""
    import tui.core.summarize as summarize_module

    started, release = threading.Event(), threading.Event()
    real = summarize_module.summarize

    def summarize(*args, **kwargs):
        started.set()
        release.wait(30)
        return real(*args, **kwargs)

    monkeypatch.setattr(summarize_module, "summarize", summarize)
    yield started, release
    release.set()


async def test_lists_load_while_every_bookmark_is_being_saved(library, tmp_path, slow_summaries):
    started, release = slow_summaries
    marker = uuid.uuid4().hex  # texts no earlier test has summarised (summaries are cached)
    extra = add_feed(
        library,
        "https://extra.example/feed",
        [
            ParsedEntry(
                title=f"Long read {i}",
                guid=f"long-{i}",
                published=NOW - timedelta(hours=i),
                content=f"<p>Story {marker} number {i}. It goes on. And on.</p>",
            )
            for i in range(3)
        ],
    )
    with read_store(library) as store:
        for article in store.articles(ArticleFilter(feed_id=extra)):
            store.set_bookmark(article.id, True)
    export_dir = tmp_path / "exports"
    app = build_app(library, tmp_path, f'export_dir = "{export_dir}"\n')
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(app, pilot)
        await pilot.press("S")
        assert await asyncio.to_thread(started.wait, 10)
        feeds = app.screen.query_one(FeedList)
        feeds.highlighted = [o.id for o in feeds.options].index("tag:tech")
        tech = ["A faster parser", "Terminals in 2026"]
        assert await until(pilot, lambda: [a.title for a in _articles(app)] == tech)
        release.set()
        await settle(app, pilot)
        assert len(list(export_dir.iterdir())) == 3
