"""Every key path of the reader, driven by Pilot against a real data dir."""

from __future__ import annotations

import asyncio
import uuid

from textual.binding import Binding

from tests.feedserver import small_rss
from tests.ui.conftest import build_app, read_store, settle
from tui.core.store import ArticleFilter
from tui.screens.add_feed import AddFeedScreen
from tui.screens.confirm import ConfirmScreen
from tui.screens.help import HelpScreen
from tui.widgets.article_list import ArticleList
from tui.widgets.feed_list import FeedList
from tui.widgets.reading_pane import ReadingPane


def titles(app) -> list[str]:
    return [a.title for a in app.screen.query_one(ArticleList).articles]


async def select_feed(app, pilot, option_id: str) -> None:
    feeds = app.screen.query_one(FeedList)
    feeds.focus()
    feeds.highlighted = [o.id for o in feeds.options].index(option_id)
    await settle(app, pilot)


def feed_id(library, url: str) -> int:
    with read_store(library) as store:
        return store.feed_by_url(url).id


async def test_virtual_feeds_and_tag_groups(library, tmp_path):
    app = build_app(library, tmp_path)
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(app, pilot)
        ids = [o.id for o in app.screen.query_one(FeedList).options]
        assert ids[:3] == ["all", "unread", "bookmarked"]
        assert "tag:news" in ids and "tag:tech" in ids
        assert ids.index("tag:news") < ids.index(
            f"feed:{feed_id(library, 'https://daily.example/rss')}@news"
        )
        assert len(titles(app)) == 4 + 4 + 2  # welcome + daily + tech, newest first
        await select_feed(app, pilot, "tag:tech")
        assert titles(app) == ["A faster parser", "Terminals in 2026"]


async def test_moving_opening_and_reading_marks_read(library, tmp_path):
    app = build_app(library, tmp_path)
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(app, pilot)
        daily = feed_id(library, "https://daily.example/rss")
        await select_feed(app, pilot, f"feed:{daily}@news")
        await pilot.press("enter")  # into the article list
        await settle(app, pilot)
        articles = app.screen.query_one(ArticleList)
        assert app.focused is articles
        await pilot.press("j", "j", "k", "enter")
        await settle(app, pilot)
        assert "Rain expected all weekend" in app.screen.query_one(ReadingPane).plain_text
        await pilot.press("G")
        await settle(app, pilot)
        assert articles.highlighted == 3
        await pilot.press("g")
        assert articles.highlighted == 0
        await pilot.press("l")
        assert app.focused is app.screen.query_one(ReadingPane)
        await pilot.press("h", "h")
        assert app.focused is app.screen.query_one(FeedList)
    with read_store(library) as store:
        read = [a.title for a in store.articles(ArticleFilter(feed_id=daily)) if a.read]
    assert read == ["Rain expected all weekend"]


async def test_next_unread_toggle_read_and_mark_all_read(library, tmp_path):
    app = build_app(library, tmp_path)
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(app, pilot)
        daily = feed_id(library, "https://daily.example/rss")
        await select_feed(app, pilot, f"feed:{daily}@news")
        await pilot.press("enter", "n")
        await settle(app, pilot)
        articles = app.screen.query_one(ArticleList)
        assert articles.highlighted == 0 and articles.articles[0].read
        await pilot.press("n")
        await settle(app, pilot)
        assert articles.highlighted == 1 and articles.articles[1].read
        await pilot.press("p")  # nothing unread above: stays put
        await settle(app, pilot)
        assert articles.highlighted == 1
        await pilot.press("m")  # back to unread
        await settle(app, pilot)
        assert not articles.articles[1].read
        with read_store(library) as store:
            assert store.feed(daily).unread == 3
        await pilot.press("A")
        await settle(app, pilot)
        with read_store(library) as store:
            assert store.feed(daily).unread == 0
        assert all(a.read for a in articles.articles)


async def test_bookmarks_show_in_the_bookmarked_view(library, tmp_path):
    app = build_app(library, tmp_path)
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(app, pilot)
        articles = app.screen.query_one(ArticleList)
        articles.focus()
        await pilot.press("j", "b")
        await settle(app, pilot)
        chosen = articles.articles[1].title
        assert articles.articles[1].bookmarked
        await select_feed(app, pilot, "bookmarked")
        assert titles(app) == [chosen]


async def test_search_titles(library, tmp_path):
    app = build_app(library, tmp_path)
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(app, pilot)
        await pilot.press("slash")
        await pilot.press(*"bridge", "enter")
        await settle(app, pilot)
        assert titles(app) == ["Council approves the new bridge"]
        assert app.screen.query_one("#articles-pane").border_title == "Search: bridge"
        prompt = app.screen.query_one(ArticleList).options[0].prompt
        marked = [
            prompt.plain[span.start : span.end] for span in prompt.spans if span.style == "reverse"
        ]
        assert marked == ["bridge"]
        await pilot.press("escape", "slash")
        app.screen.query_one("#search").value = ""
        await pilot.press(*"forty years", "enter")  # words from an article's text
        await settle(app, pilot)
        assert titles(app) == ["Council approves the new bridge"]
        await pilot.press("escape")


async def test_hostile_titles_are_shown_literally(library, tmp_path):
    app = build_app(library, tmp_path)
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(app, pilot)
        articles = app.screen.query_one(ArticleList)
        index = next(i for i, a in enumerate(articles.articles) if "Hostile" in a.title)
        articles.focus()
        articles.highlighted = index
        await pilot.press("enter")
        await settle(app, pilot)
        prompt = str(articles.options[index].prompt)
        assert "[bold red]Hostile[/]" in prompt
        assert "[bold red]Hostile[/] title" in app.screen.query_one(ReadingPane).plain_text


async def test_theme_selection_and_widths_survive_a_restart(library, tmp_path):
    app = build_app(library, tmp_path)
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(app, pilot)
        first_theme = app.theme
        await pilot.press("t")
        chosen_theme = app.theme
        assert chosen_theme != first_theme
        await select_feed(app, pilot, "tag:tech")
        await pilot.press("greater_than_sign", "greater_than_sign")
        await pilot.press("enter", "j")
        await settle(app, pilot)
        width = app.screen.query_one("#feeds").outer_size.width
        await pilot.press("q")

    again = build_app(library, tmp_path)
    async with again.run_test(size=(120, 40)) as pilot:
        await settle(again, pilot)
        assert again.theme == chosen_theme
        assert again.screen.query_one(FeedList).key == "tag:tech"
        articles = again.screen.query_one(ArticleList)
        assert articles.current.title == "Terminals in 2026"
        assert again.screen.query_one("#feeds").outer_size.width == width


async def test_refresh_keeps_the_selection_and_marks_failing_feeds(data_dir, tmp_path, feed_server):
    good, bad = f"good-{uuid.uuid4().hex[:6]}", f"bad-{uuid.uuid4().hex[:6]}"
    feed_server.set_route(good, small_rss("Good", 3))
    feed_server.set_route(bad, small_rss("Soon bad", 2))
    app = build_app(data_dir, tmp_path)
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(app, pilot)
        from tui.core.archive import open_store
        from tui.core.update import subscribe

        def add_both() -> None:  # subscribe runs its own event loop: not on the app's
            with open_store(data_dir / "broadsheet.sqlite3") as store:
                subscribe(store, feed_server.url(good))
                subscribe(store, feed_server.url(bad))

        await asyncio.to_thread(add_both)
        feed_server.set_route(good, small_rss("Good", 4))
        feed_server.set_route(bad, "boom", status=500, content_type="text/plain")
        articles = app.screen.query_one(ArticleList)
        articles.focus()
        await pilot.press("j", "j")
        kept = articles.current.id
        await pilot.press("R")
        await settle(app, pilot)
        assert "Good item 4" in titles(app)
        assert articles.current.id == kept  # the cursor stays on the same article
        feeds = app.screen.query_one(FeedList)
        bad_feed = next(f for f in feeds.feeds.values() if f.url.endswith(bad))
        prompt = str(feeds.get_option(f"feed:{bad_feed.id}").prompt)
        assert "! " in prompt
        await select_feed(app, pilot, f"feed:{bad_feed.id}")
        info = str(app.screen.query_one("#feed-info").render())
        assert "HTTP 500" in info
        assert len(titles(app)) == 2  # nothing lost


async def test_add_feed_dialog_reports_errors_inside_and_adds(data_dir, tmp_path, feed_server):
    path = f"added-{uuid.uuid4().hex[:6]}"
    feed_server.set_route(path, small_rss("Added Feed", 2))
    page = f"page-{uuid.uuid4().hex[:6]}"
    feed_server.set_route(
        page, "<html><head><title>x</title></head></html>", content_type="text/html"
    )
    app = build_app(data_dir, tmp_path)
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(app, pilot)
        await pilot.press("a")
        await pilot.pause()
        dialog = app.screen
        assert isinstance(dialog, AddFeedScreen)
        await pilot.press(*"ftp://x.example/feed", "enter")
        await pilot.pause()
        assert "Only http and https" in str(dialog.query_one("#add-error").render())
        dialog.query_one("#url").value = feed_server.url(page)
        await pilot.press("enter")
        await settle(app, pilot)
        assert app.screen is dialog
        assert "does not announce a feed" in str(dialog.query_one("#add-error").render())
        dialog.query_one("#url").value = feed_server.url(path)
        await pilot.press("enter")
        await settle(app, pilot)
        assert not isinstance(app.screen, AddFeedScreen)
        feeds = app.screen.query_one(FeedList)
        added = next(f for f in feeds.feeds.values() if f.title == "Added Feed")
        assert feeds.key == f"feed:{added.id}"
        assert titles(app) == ["Added Feed item 1", "Added Feed item 2"]  # undated: feed order


async def test_remove_feed_asks_first(library, tmp_path):
    app = build_app(library, tmp_path)
    tech = feed_id(library, "https://tech.example/atom")
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(app, pilot)
        await select_feed(app, pilot, f"feed:{tech}@tech")
        await pilot.press("d")
        await pilot.pause()
        assert isinstance(app.screen, ConfirmScreen)
        await pilot.press("n")
        await settle(app, pilot)
        assert tech in app.screen.query_one(FeedList).feeds
        await pilot.press("d")
        await pilot.pause()
        await pilot.press("y")
        await settle(app, pilot)
        assert tech not in app.screen.query_one(FeedList).feeds


async def test_open_link_only_for_web_links(library, tmp_path):
    opened: list[str] = []
    app = build_app(library, tmp_path)
    app.open_url = lambda url, **kw: opened.append(url)  # the OS browser is outside the test
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(app, pilot)
        daily = feed_id(library, "https://daily.example/rss")
        await select_feed(app, pilot, f"feed:{daily}@news")
        await pilot.press("enter", "o")
        assert opened == ["https://daily.example/1"]
        await select_feed(app, pilot, "all")
        welcome = app.screen.query_one(ArticleList)
        welcome.focus()
        welcome.highlighted = next(
            i for i, a in enumerate(welcome.articles) if a.feed_url == "broadsheet:welcome"
        )
        await pilot.press("o")  # bundled articles have no web link
        assert opened == ["https://daily.example/1"]


async def test_help_lists_keys_and_config_rebinds_them(library, tmp_path):
    app = build_app(library, tmp_path, '[keys]\nrefresh_all = "ctrl+r"\nbookmark = "B,f"\n')
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(app, pilot)
        await pilot.press("question_mark")
        await pilot.pause()
        assert isinstance(app.screen, HelpScreen)
        rows = dict((desc, keys) for keys, desc in app.key_help())
        assert rows["Refresh all"] == app.get_key_display(Binding("ctrl+r", ""))
        assert "j" in rows["Down"] and "q" in rows["Quit"]
        await pilot.press("escape")
        articles = app.screen.query_one(ArticleList)
        articles.focus()
        await pilot.press("f")
        await settle(app, pilot)
        assert articles.articles[0].bookmarked


async def test_narrow_terminal_shows_one_pane_at_a_time(library, tmp_path):
    app = build_app(library, tmp_path)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(app, pilot)
        screen = app.screen
        assert screen.has_class("narrow")

        def visible() -> list[str]:
            panes = ("#feeds", "#articles-pane", "#reader")
            return [
                n for n in panes if screen.query_one(n).display and screen.query_one(n).size.width
            ]

        assert visible() == ["#feeds"]
        await pilot.press("enter")
        await settle(app, pilot)
        assert visible() == ["#articles-pane"]
        await pilot.press("enter")
        await settle(app, pilot)
        assert visible() == ["#reader"]
        await pilot.press("escape")
        assert visible() == ["#articles-pane"]


async def test_twenty_thousand_articles_scroll_to_the_end(data_dir, tmp_path):
    from datetime import timedelta

    from tests.ui.conftest import NOW
    from tui.core.archive import open_store
    from tui.core.models import ParsedEntry, ParsedFeed

    with open_store(data_dir / "broadsheet.sqlite3") as store:
        big = store.add_feed("https://big.example/feed")
        entries = tuple(
            ParsedEntry(title=f"Story {i:05d}", guid=str(i), published=NOW - timedelta(minutes=i))
            for i in range(20_000)
        )
        store.apply_feed_update(big.id, ParsedFeed("Big", entries=entries), now=NOW)
    app = build_app(data_dir, tmp_path)
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(app, pilot)
        await select_feed(app, pilot, f"feed:{big.id}")
        articles = app.screen.query_one(ArticleList)
        assert len(articles.articles) == ArticleList.PAGE_SIZE  # paged, not all at once
        articles.focus()
        await pilot.press("G")
        await settle(app, pilot)
        assert len(articles.articles) == 20_000
        await pilot.press("enter")
        await settle(app, pilot)
        assert "Story 19999" in app.screen.query_one(ReadingPane).plain_text


async def test_note_dialog_bookmarks_and_the_bookmarked_view_shows_notes(library, tmp_path):
    from tui.screens.note import NoteScreen

    app = build_app(library, tmp_path)
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(app, pilot)
        articles = app.screen.query_one(ArticleList)
        articles.focus()
        await pilot.press("j", "B")
        await settle(app, pilot)
        assert isinstance(app.screen, NoteScreen)
        await pilot.press(*"check the [b]figures[/b]", "ctrl+s")
        await settle(app, pilot)
        chosen = articles.articles[1]
        assert chosen.bookmarked
        await select_feed(app, pilot, "bookmarked")
        assert titles(app) == [chosen.title]
        prompt = str(app.screen.query_one(ArticleList).options[0].prompt)
        assert "check the [b]figures[/b]" in prompt
        # Editing again shows the saved note.
        app.screen.query_one(ArticleList).focus()
        await pilot.press("B")
        await settle(app, pilot)
        assert app.screen.query_one("#note").text == "check the [b]figures[/b]"
        await pilot.press("escape")
    with read_store(library) as store:
        assert store.bookmark(chosen.id).note == "check the [b]figures[/b]"


async def test_removing_a_feed_with_bookmarks_offers_to_keep_them(library, tmp_path):
    daily = feed_id(library, "https://daily.example/rss")
    with read_store(library) as store:
        kept = store.articles(ArticleFilter(feed_id=daily))[0]
        store.set_bookmark(kept.id, True, note="keep")
    app = build_app(library, tmp_path)
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(app, pilot)
        await select_feed(app, pilot, f"feed:{daily}@news")
        await pilot.press("d")
        await settle(app, pilot)
        assert isinstance(app.screen, ConfirmScreen)
        assert "1 of them is bookmarked" in str(app.screen.question)
        await pilot.press("y")  # the first answer: remove, keep bookmarks
        await settle(app, pilot)
        assert daily not in app.screen.query_one(FeedList).feeds
    with read_store(library) as store:
        assert [b.article.id for b in store.bookmarks()] == [kept.id]


async def test_s_saves_the_article_and_S_every_bookmark(library, tmp_path):
    export_dir = tmp_path / "exports"
    app = build_app(library, tmp_path, f'export_dir = "{export_dir}"\n')
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(app, pilot)
        daily = feed_id(library, "https://daily.example/rss")
        await select_feed(app, pilot, f"feed:{daily}@news")
        await pilot.press("enter", "s")
        await settle(app, pilot)
        (saved,) = export_dir.iterdir()
        text = saved.read_text()
        assert saved.name == "2026-11-25-council-approves-the-new-bridge.md"
        assert "## Summary" in text and "Mayor Lena Varga" in text
        await pilot.press("j", "b", "j", "b", "S")
        await settle(app, pilot)
        assert len(list(export_dir.iterdir())) == 3


async def test_a_search_with_markup_is_titled_literally(library, tmp_path):
    from textual.content import Content

    app = build_app(library, tmp_path)
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(app, pilot)
        await pilot.press("slash", *"[bold red]bridge[/]", "enter")
        await settle(app, pilot)
        title = app.screen.query_one("#articles-pane").border_title
        assert Content.from_markup(title).plain == "Search: [bold red]bridge[/]"


async def test_an_unknown_name_in_the_keys_table_is_named_in_a_warning(library, tmp_path):
    app = build_app(library, tmp_path, '[keys]\nrefresh_everything = "ctrl+r"\nbookmark = "f"\n')
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(app, pilot)
        warnings = [n.message for n in app._notifications if n.severity == "warning"]
        assert len(warnings) == 1
        assert "'refresh_everything'" in warnings[0] and "bookmark" not in warnings[0]


async def test_notifications_show_brackets_literally(library, tmp_path):
    from textual.widgets._toast import Toast

    export_dir = tmp_path / "[bold]exports[/bold]"
    app = build_app(library, tmp_path, f"export_dir = '{export_dir}'\n")
    async with app.run_test(size=(120, 40), notifications=True) as pilot:
        await settle(app, pilot)
        app.screen.query_one(ArticleList).focus()
        await pilot.press("s")
        await settle(app, pilot)
        shown = [str(toast.render()) for toast in app.screen.query(Toast)]
        assert any("[bold]exports[/bold]" in text for text in shown), shown
