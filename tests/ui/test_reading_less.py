"""Stories, mass actions with undo, marked rows and the rules dialog, through Pilot."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from tests.storyset import load
from tests.ui.conftest import NOW, build_app, read_store, settle, until
from tui.core.archive import open_store
from tui.core.models import ParsedEntry, ParsedFeed
from tui.core.store import ArticleFilter
from tui.core.stories import update_stories
from tui.widgets.article_list import ArticleList
from tui.widgets.feed_list import FeedList
from tui.widgets.reading_pane import ReadingPane

EVENTS = ("ferry-vote", "ferry-fares", "library-reopens")


@pytest.fixture
def outlets(data_dir):
    """Three outlets carrying rewritten copies of the same events (from the story set)."""
    versions = [v for v in load() if v.event in EVENTS]
    shift = int(NOW.timestamp()) - max(v.time for v in versions) - 3600
    with open_store(data_dir / "broadsheet.sqlite3") as store:
        for url in dict.fromkeys(v.feed for v in versions):
            feed = store.add_feed(url, title=url.split("/")[2].split(".")[0].title())
            entries = tuple(
                ParsedEntry(
                    title=v.title,
                    link=v.link,
                    guid=v.link,
                    published=datetime.fromtimestamp(v.time + shift, UTC),
                    content=v.html,
                )
                for v in versions
                if v.feed == url
            )
            store.apply_feed_update(feed.id, ParsedFeed("F", entries=entries), now=NOW)
        update_stories(store, now=NOW)
    return data_dir


def app_for(data_dir, tmp_path, extra=""):
    return build_app(data_dir, tmp_path, "[full_text]\nmin_words = 0\n" + extra)


def rows(app) -> list[str]:
    article_list = app.screen.query_one(ArticleList)
    # The welcome feed (a new archive's) has a ferry story of its own.
    return [str(o.prompt) for o in article_list.options if "Welcome to" not in str(o.prompt)]


async def open_all_articles(app, pilot):
    await settle(app, pilot)
    feeds = app.screen.query_one(FeedList)
    feeds.highlighted = 0  # All articles
    await settle(app, pilot)
    await pilot.press("enter")
    await settle(app, pilot)


def three_source_story(article_list) -> int:
    """The row of a story listed with "+2" other sources."""
    return next(
        i
        for i, a in enumerate(article_list.articles)
        if a.story and "+2 " in str(article_list.options[i].prompt)
    )


async def test_a_story_is_listed_once_with_its_sources(outlets, tmp_path):
    app = app_for(outlets, tmp_path)
    async with app.run_test(size=(140, 40)) as pilot:
        await open_all_articles(app, pilot)
        listed = rows(app)
        ferry = [r for r in listed if "ferry" in r.lower() and "fares" not in r.lower()]
        assert len(ferry) == 1, listed
        assert "+2 Ferry" in ferry[0]  # two other sources carry it
        assert any("+1 Hidden mosaic" in r for r in listed)  # a copy under another address
        fares = [r for r in listed if "fares" in r.lower()]
        assert len(fares) == 1 and "+1 Ferry fares" in fares[0]  # its own story, apart
        assert all(" min" in r for r in listed)  # reading time on every row


async def test_reading_one_version_marks_the_story_read_and_lists_the_others(outlets, tmp_path):
    app = app_for(outlets, tmp_path)
    async with app.run_test(size=(140, 40)) as pilot:
        await open_all_articles(app, pilot)
        article_list = app.screen.query_one(ArticleList)
        index = three_source_story(article_list)
        story = article_list.articles[index].story
        article_list.highlighted = index
        await pilot.press("enter")
        await settle(app, pilot)
        pane = app.screen.query_one(ReadingPane)
        assert "Also from 2 other sources" in pane.plain_text
        for name in ("Gazette", "Wire", "Coastradio"):
            assert name in pane.plain_text
        assert "min read" in pane.plain_text
        first_title = pane.plain_text.splitlines()[0]
        await pilot.press("right_square_bracket")
        await settle(app, pilot)
        assert pane.plain_text.splitlines()[0] != first_title
        await until(pilot, lambda: app.library.waiting == 0)
    with read_store(outlets) as store:
        ids = store.story_article_ids(story)
        assert len(ids) == 3
        assert all(store.article(i).read for i in ids)


async def test_reading_one_version_leaves_the_others_when_turned_off(outlets, tmp_path):
    app = app_for(outlets, tmp_path, "[stories]\nmark_read_together = false\n")
    async with app.run_test(size=(140, 40)) as pilot:
        await open_all_articles(app, pilot)
        article_list = app.screen.query_one(ArticleList)
        index = three_source_story(article_list)
        opened = article_list.articles[index]
        article_list.highlighted = index
        await pilot.press("enter")
        await settle(app, pilot)
    with read_store(outlets) as store:
        states = {i: store.article(i).read for i in store.story_article_ids(opened.story)}
    assert states.pop(opened.id) is True
    assert not any(states.values())


async def test_mark_all_read_is_undone_exactly(outlets, tmp_path):
    with read_store(outlets) as store:
        already = store.articles(limit=100)[-1].id
        store.set_read([already])
        before = {a.id: a.read for a in store.articles(limit=100)}
    app = app_for(outlets, tmp_path)
    async with app.run_test(size=(140, 40)) as pilot:
        await open_all_articles(app, pilot)
        await pilot.press("A")
        await settle(app, pilot)
        await until(pilot, lambda: app.library.waiting == 0)
        with read_store(outlets) as store:
            assert all(a.read for a in store.articles(limit=100))
        await pilot.press("u")
        await settle(app, pilot)
        await until(pilot, lambda: app.library.waiting == 0)
    with read_store(outlets) as store:
        assert {a.id: a.read for a in store.articles(limit=100)} == before
        assert store.article(already).read  # read before A: still read


async def test_marked_rows_are_marked_read_together_and_undone(outlets, tmp_path):
    app = app_for(outlets, tmp_path)
    async with app.run_test(size=(140, 40)) as pilot:
        await open_all_articles(app, pilot)
        article_list = app.screen.query_one(ArticleList)
        article_list.highlighted = 0
        await pilot.press("space", "space")  # the first two rows
        await pilot.press("v", "down")  # a range: the third and fourth
        marked = {a.id for a in article_list.marked_articles()}
        assert len(marked) == 4
        await pilot.press("m")
        await settle(app, pilot)
        await until(pilot, lambda: app.library.waiting == 0)
        with read_store(outlets) as store:
            assert all(store.article(i).read for i in marked)
            assert not any(
                a.read for a in store.articles(limit=100) if a.id not in marked and a.story is None
            )
        assert article_list.marked == set()
        await pilot.press("u")
        await settle(app, pilot)
        await until(pilot, lambda: app.library.waiting == 0)
    with read_store(outlets) as store:
        assert not any(store.article(i).read for i in marked)


async def test_rules_dialog_lists_the_rules(outlets, tmp_path):
    with read_store(outlets) as store:
        store.add_rule("title:/crypto|nft/i", "hide")
    app = app_for(outlets, tmp_path, '[[rules]]\nquery = "author:Bot"\naction = "read"\n')
    async with app.run_test(size=(140, 40)) as pilot:
        await settle(app, pilot)
        await pilot.press("K")
        await settle(app, pilot)
        text = str(app.screen.query_one("#rules-list").render())
        assert "title:/crypto|nft/i" in text and "hide" in text
        assert "config:1" in text and "author:Bot" in text
        await pilot.press("escape")
        await pilot.pause()
        assert app.screen.query(ArticleList)


async def test_a_saved_search_is_a_virtual_feed_with_its_unread_count(outlets, tmp_path):
    with read_store(outlets) as store:
        store.save_search("Ferry", "title:ferry -fares")
    app = app_for(outlets, tmp_path)
    async with app.run_test(size=(140, 40)) as pilot:
        await settle(app, pilot)
        feeds = app.screen.query_one(FeedList)
        labels = [str(o.prompt) for o in feeds.options]
        saved = next(i for i, label in enumerate(labels) if "⌕ Ferry" in label)
        assert labels[saved].split()[0] == "3"  # three unread versions
        feeds.highlighted = saved
        await settle(app, pilot)
        titles = [a.title for a in app.screen.query_one(ArticleList).articles]
        assert titles and all("ferry" in t.lower() and "fares" not in t.lower() for t in titles)


async def test_unread_only_and_hiding_read_feeds(outlets, tmp_path):
    with read_store(outlets) as store:
        wire = next(f for f in store.feeds() if "wire" in f.url)
        store.mark_all_read(ArticleFilter(feed_id=wire.id))
        gazette = next(f for f in store.feeds() if "gazette" in f.url)
        # Both copies of the library story (one story, listed once) are read.
        copies = [
            a.id for a in store.articles(ArticleFilter(feed_id=gazette.id)) if "mosaic" in a.title
        ]
        assert len(copies) == 2
        store.set_read(copies)
    app = app_for(outlets, tmp_path)
    async with app.run_test(size=(140, 40)) as pilot:
        await settle(app, pilot)
        feeds = app.screen.query_one(FeedList)
        feeds.highlighted = next(
            i for i, o in enumerate(feeds.options) if "Gazette" in str(o.prompt)
        )
        await settle(app, pilot)
        article_list = app.screen.query_one(ArticleList)
        everything = len(article_list.articles)
        await pilot.press("U")
        await settle(app, pilot)
        assert len(article_list.articles) == everything - 1
        assert not any(a.read or "mosaic" in a.title for a in article_list.articles)
        await pilot.press("U")
        await settle(app, pilot)
        assert len(article_list.articles) == everything
        assert any("Wire" in str(o.prompt) for o in feeds.options)
        await pilot.press("F")
        await settle(app, pilot)
        assert not any("Wire" in str(o.prompt) for o in feeds.options)
        assert any("Gazette" in str(o.prompt) for o in feeds.options)
