"""SVG snapshots of the main screens (update with `pytest --snapshot-update`, then review)."""

from __future__ import annotations

from tests.ui.conftest import NOW, build_app, settle
from tui.widgets.feed_list import FeedList


def reader_open_on_first_story(library, tmp_path):
    # The stories are short enough to count as teasers: without this their pages would
    # be looked up on the network, and the screen would depend on what DNS answers.
    app = build_app(library, tmp_path, "[full_text]\nmin_words = 0\n")

    async def run_before(pilot) -> None:
        await settle(app, pilot)
        feeds = app.screen.query_one(FeedList)
        feeds.highlighted = next(
            i for i, o in enumerate(feeds.options) if (o.id or "").endswith("@news")
        )
        await settle(app, pilot)
        await pilot.press("enter", "enter")
        await settle(app, pilot)

    return app, run_before


def test_main_screen_wide(library, tmp_path, snap_compare):
    app, run_before = reader_open_on_first_story(library, tmp_path)
    assert snap_compare(app, terminal_size=(120, 40), run_before=run_before)


def test_summary_sentences_marked_in_the_text(library, tmp_path, snap_compare):
    app, open_story = reader_open_on_first_story(library, tmp_path)

    async def run_before(pilot) -> None:
        await open_story(pilot)
        await pilot.press("H")
        await settle(app, pilot)

    assert snap_compare(app, terminal_size=(120, 40), run_before=run_before)


def test_main_screen_narrow(library, tmp_path, snap_compare):
    app, run_before = reader_open_on_first_story(library, tmp_path)
    assert snap_compare(app, terminal_size=(80, 24), run_before=run_before)


def test_help_screen(library, tmp_path, snap_compare):
    app = build_app(library, tmp_path)

    async def run_before(pilot) -> None:
        await settle(app, pilot)
        await pilot.press("question_mark")
        await pilot.pause()

    assert snap_compare(app, terminal_size=(120, 40), run_before=run_before)


def test_add_feed_dialog_with_an_error(library, tmp_path, snap_compare):
    app = build_app(library, tmp_path)

    async def run_before(pilot) -> None:
        await settle(app, pilot)
        await pilot.press("a")
        await pilot.pause()
        await pilot.press(*"ftp://example.org/feed", "enter")
        await pilot.pause()

    assert snap_compare(app, terminal_size=(120, 40), run_before=run_before)


def test_feed_in_error(library, tmp_path, snap_compare):
    app = build_app(library, tmp_path)

    async def run_before(pilot) -> None:
        await settle(app, pilot)
        feeds = app.screen.query_one(FeedList)
        feeds.highlighted = next(
            i
            for i, o in enumerate(feeds.options)
            if o.id
            and o.id.startswith("feed:")
            and feeds.feeds[int(o.id[5:].split("@")[0])].last_error
        )
        await settle(app, pilot)

    assert snap_compare(app, terminal_size=(120, 40), run_before=run_before)


def test_bookmarks_view_and_note_dialog(library, tmp_path, snap_compare):
    from tests.ui.conftest import read_store
    from tui.core.store import ArticleFilter

    with read_store(library) as store:
        for article in store.articles(ArticleFilter(tag="news"))[:2]:
            store.set_bookmark(article.id, True, note=f"Note on {article.title[:12]}")
        # Made at one moment, as they were unless a second began between the two calls
        # (then the list's order flipped): the newest id comes first.
        with store.transaction() as db:
            db.execute("UPDATE bookmarks SET created_at = ?", (int(NOW.timestamp()),))
    app = build_app(library, tmp_path)

    async def run_before(pilot) -> None:
        await settle(app, pilot)
        feeds = app.screen.query_one(FeedList)
        feeds.highlighted = [o.id for o in feeds.options].index("bookmarked")
        await settle(app, pilot)
        await pilot.press("enter", "B")
        await settle(app, pilot)

    assert snap_compare(app, terminal_size=(120, 40), run_before=run_before)
