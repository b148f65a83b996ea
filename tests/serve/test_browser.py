"""The served reader in a real Chromium, as a new user would try it.

Few and thorough: each test starts ``broadsheet serve`` on a free port with a
temporary archive and a loopback feed, opens the printed address, types keys and
checks their effect where a user would see it: on the screen, in the archive (through
the CLI) and in the export folder. A screenshot of the first screen is kept in
``test-artifacts/`` (``BROADSHEET_TEST_ARTIFACTS``), never compared: fonts differ.
"""

from __future__ import annotations

import json
import os
import sqlite3
import subprocess
import sys
import time
from collections.abc import Callable
from pathlib import Path

import pytest

from tests.feedserver import small_rss
from tests.serve.browser import BrowserTab, launch, require_browser
from tests.serve.conftest import broadsheet_json, news_pages, screen_text, serve_env
from tui.app import BroadsheetApp
from tui.screens.main import MainScreen

# One Chromium at a time, started once for the module (pytest-xdist keeps the group on
# one worker).
pytestmark = pytest.mark.xdist_group("browser")

ARTIFACTS = Path(os.environ.get("BROADSHEET_TEST_ARTIFACTS", "test-artifacts"))


@pytest.fixture(scope="module")
def playwright():
    require_browser()
    from playwright.sync_api import sync_playwright

    with sync_playwright() as running:
        yield running


@pytest.fixture
def browser(playwright, tmp_path):
    context = launch(playwright, tmp_path / "chromium-profile")
    yield context
    context.close()


def wait_until(check: Callable[[], object], what: str, timeout: float = 20) -> object:
    deadline = time.monotonic() + timeout
    while not (value := check()):
        if time.monotonic() > deadline:
            raise AssertionError(f"never happened: {what}")
        time.sleep(0.05)
    return value


def query(data_dir: Path, sql: str, *args: object) -> list[tuple]:
    """Read the archive as another process does (polls: quicker than the CLI)."""
    with sqlite3.connect(f"file:{data_dir / 'broadsheet.sqlite3'}?mode=ro", uri=True) as db:
        db.execute("PRAGMA busy_timeout = 5000")
        return db.execute(sql, args).fetchall()


def state(data_dir: Path, key: str) -> str | None:
    """What the reader remembered (selection, article, pane widths...) in the archive."""
    rows = query(data_dir, "SELECT value FROM state WHERE key = ?", key)
    return rows[0][0] if rows else None


def test_a_new_user_opens_the_printed_address(
    served, news, browser, feed_server, serve_config, data_dir, tmp_path
):
    tab = BrowserTab(browser)
    refused = tab.page.goto(served.base + "/")
    assert refused is not None and refused.status == 403
    assert "access token" in tab.page.inner_text("body")

    tab.problems.clear()  # the 403 above is logged as a failed load
    tab.open(served.url)
    tab.wait_for("Loopback News item 1")
    for pane in ("Feeds", "All articles", "Reading"):
        assert pane in tab.text
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    tab.settle()  # the footer comes last
    tab.page.screenshot(path=str(ARTIFACTS / "serve-first-screen.png"))

    # R refreshes the feeds.
    path = "/" + news.rsplit("/", 1)[1]
    asked = feed_server.count(path=path)
    tab.shows_after("R", "Refreshed")
    assert feed_server.count(path=path) > asked

    # b bookmarks the article under the cursor; the CLI sees it at once.
    tab.step("Tab")
    tab.shows_after("b", "Bookmarked.")
    bookmarks = broadsheet_json(serve_config, data_dir, "bookmarks")
    assert [b["title"] for b in bookmarks] == ["Loopback News item 1"]

    # o opens the article's link in a new browser tab.
    with browser.expect_page(timeout=15_000) as opened:
        tab.press("o")
    assert opened.value.url == feed_server.url("files/pages/1")
    opened.value.close()

    # s writes the summary file to the server's export folder and says where.
    tab.shows_after("s", "Saved on the server")
    saved = list((tmp_path / "exports").glob("*.md"))
    assert [p.name for p in saved] == [f"{time.strftime('%Y-%m-%d')}-loopback-news-item-1.md"]
    tab.wait_for("exports")  # the notification names the folder

    # Everything the page loaded came from the server itself; no script errors.
    assert all(url.startswith(served.base + "/") for url in tab.requests), tab.requests
    assert tab.problems == []


# Every key the help screen lists, as Playwright names it, and what it must do.
COVERED_BY_WALK = {
    "down", "up", "top", "bottom", "next_pane", "previous_pane", "open", "page_down",
    "next_unread", "previous_unread", "toggle_read", "mark_all_read", "bookmark",
    "bookmark_note", "save_article", "save_bookmarks", "open_link", "mark_summary",
    "refresh_feed", "refresh_all", "add_feed", "remove_feed", "search", "back", "help",
    "narrower", "wider", "quit", "cycle_theme",
    "undo", "next_version", "unread_only", "hide_read_feeds", "rules",
}  # fmt: skip


def test_the_walk_below_presses_every_key_in_help():
    listed = {b.id for owner in (MainScreen, BroadsheetApp) for b in owner.BINDINGS}
    missing = listed - COVERED_BY_WALK
    assert not missing, f"keys in ? that test_every_key_in_help_works never presses: {missing}"


def test_every_key_in_help_works(
    served, news, browser, feed_server, serve_config, data_dir, tmp_path
):
    tab = BrowserTab(browser)
    tab.page.set_viewport_size({"width": 1100, "height": 560})
    tab.open(served.url)
    tab.wait_for("Loopback News item 1")
    articles = broadsheet_json(serve_config, data_dir, "articles")
    ids = {a["title"]: a["id"] for a in articles}
    remembered = {"selection": lambda: state(data_dir, "selection")}

    def selection_after(keys: list[str], expected: str) -> None:
        tab.press(*keys)
        wait_until(lambda: remembered["selection"]() == expected, f"{keys} -> {expected}")

    def article_after(keys: list[str], title: str) -> None:
        tab.press(*keys)
        wanted = str(ids[title])
        wait_until(lambda: state(data_dir, "article") == wanted, f"{keys} -> {title}")

    def read(title: str) -> bool:
        return query(data_dir, "SELECT read FROM articles WHERE title = ?", title) == [(1,)]

    # Feeds pane: j/k and the arrows move, g/G and Home/End jump.
    selection_after(["j"], "unread")
    selection_after(["ArrowDown"], "bookmarked")
    selection_after(["k"], "unread")
    selection_after(["ArrowUp"], "all")
    selection_after(["G"], state_of_last_feed(data_dir))
    selection_after(["g"], "all")
    selection_after(["End"], state_of_last_feed(data_dir))
    selection_after(["Home"], "all")

    # Panes: l / Right / Tab go right, h / Left / Shift+Tab go left.
    tab.step("l")
    article_after(["j"], "Loopback News item 2")
    article_after(["ArrowDown"], "Loopback News item 3")
    article_after(["k"], "Loopback News item 2")
    tab.step("ArrowRight", "h")  # to the reading pane and back
    article_after(["ArrowUp"], "Loopback News item 1")
    tab.step("ArrowLeft")  # the feeds again
    selection_after(["j"], "unread")
    tab.step("Tab", "Shift+Tab")
    selection_after(["k"], "all")
    tab.step("Tab")

    # Enter opens the article (and marks it read); n / p go to the next / previous unread.
    tab.shows_after("Enter", "Item 1.")
    wait_until(lambda: read("Loopback News item 1"), "Enter marked item 1 read")
    tab.shows_after("n", "Item 2.")
    wait_until(lambda: read("Loopback News item 2"), "n opened item 2")
    tab.press("m")  # item 2 unread again
    wait_until(lambda: not read("Loopback News item 2"), "m marked item 2 unread")
    article_after(["j", "j", "j"], "The keys: everything works from the keyboard")
    tab.shows_after("p", "driven from the keyboard")  # unread itself: opened
    opened_at = tab.mark()
    tab.shows_after("p", "Opponents said")  # the unread article before it: the long one
    harbour = "Harbour town votes to keep its ferry after a night of debate"
    assert state(data_dir, "article") == str(ids[harbour])

    # Space pages down the reading pane: the article's later paragraphs come into view.
    assert "Arkwright" not in screen_text(bytes(tab.received[opened_at:]))
    tab.step("l")
    tab.shows_after(["Space", "Space"], "Arkwright")
    tab.step("h")

    # H marks the summary's sentences in the text, and stops.
    tab.shows_after("H", "Summary sentences marked")
    tab.shows_after("H", "Summary marks off")

    # b / B: bookmark, and a note typed in the browser (Ctrl+S saves it).
    tab.shows_after("b", "Bookmarked.")
    tab.shows_after("B", "Note for")
    tab.type("read on the ferry")
    tab.shows_after("Control+s", "Note saved")
    notes = {b["title"]: b["note"] for b in broadsheet_json(serve_config, data_dir, "bookmarks")}
    assert notes == {harbour: "read on the ferry"}

    # s / S: summary files in the server's export folder.
    exports = tmp_path / "exports"
    tab.shows_after("s", "Saved")
    tab.press("g")
    tab.shows_after("b", "Bookmarked.")
    tab.shows_after("S", "2 files in")
    assert len(list(exports.glob("*.md"))) == 2

    # o: the link in a new browser tab.
    with browser.expect_page(timeout=15_000) as opened:
        tab.press("o")
    assert opened.value.url == feed_server.url("files/pages/1")
    opened.value.close()

    # A marks everything in the view read.
    tab.shows_after("A", "articles read.")
    assert not [a for a in broadsheet_json(serve_config, data_dir, "articles") if not a["read"]]

    # u undoes it exactly (the articles read before stay read); A again for what follows.
    tab.shows_after("u", "Undid")
    wait_until(
        lambda: [a for a in broadsheet_json(serve_config, data_dir, "articles") if not a["read"]],
        "u made the articles A marked unread again",
    )
    assert read(harbour)  # it was read before A
    tab.shows_after("A", "articles read.")

    # U keeps only the unread articles here; F hides the feeds with nothing unread;
    # K lists the rules; ] opens the next version of a story (these articles are in none).
    tab.shows_after("U", "(unread only)")
    tab.press("U")
    tab.shows_after("F", "Feeds with nothing unread hidden.")
    tab.shows_after("F", "Every feed shown.")
    tab.shows_after("K", "No rules yet")
    tab.step("Escape")
    tab.shows_after("]", "in no story")

    # r / R: refresh the selected feed, then every feed.
    path = "/" + news.rsplit("/", 1)[1]
    asked = feed_server.count(path=path)
    tab.step("h")
    selection_after(["g", "j", "j", "j"], f"feed:{feed_id(data_dir, news)}")
    for key, times in (("r", 1), ("R", 2)):
        mark = tab.mark()
        tab.press(key)
        wait_until(lambda t=times: feed_server.count(path=path) == asked + t, f"{key} fetched")
        tab.wait_for("Refreshed", since=mark)
        tab.settle()  # the refresh has ended: r and R are enabled again

    # a adds a feed (typed in the dialog); d removes it again.
    second = feed_server.url("files/feeds/ours/dates.rss")
    tab.shows_after("a", "Add a feed")
    tab.type(second)
    tab.shows_after("Enter", "Feed added.")
    urls = [f["url"] for f in broadsheet_json(serve_config, data_dir, "feeds")]
    assert second in urls
    tab.shows_after("d", "Remove")
    tab.press("y")
    wait_until(lambda: not query(data_dir, "SELECT 1 FROM feeds WHERE url = ?", second), "d")

    # / searches; Esc closes the search.
    tab.shows_after("/", "Search titles and text")
    tab.type("ferry")
    tab.shows_after("Enter", "Search: ferry")
    tab.wait_for(harbour[:30])
    tab.step("Escape", "Escape")  # the search closes; then back to the feeds
    selection_after(["j"], "unread")  # removing the feed selected All

    # < / > make the focused pane narrower / wider (remembered).
    widths = json.loads(state(data_dir, "pane_widths") or "{}")
    tab.press("<")
    wait_until(lambda: json.loads(state(data_dir, "pane_widths") or "{}") != widths, "<")
    narrower = json.loads(state(data_dir, "pane_widths"))
    tab.press(">")
    wait_until(lambda: json.loads(state(data_dir, "pane_widths")) != narrower, ">")

    # t changes the theme; ? shows the keys; Ctrl+P the command palette.
    tab.shows_after("t", "Theme:")
    tab.shows_after("?", "Prev unread")
    tab.step("Escape")
    tab.shows_after("Control+p", "Search for commands")
    tab.step("Escape")

    # q quits the reader: the page says the session ended.
    tab.press("q")
    tab.page.wait_for_selector("body.-closed", timeout=30_000)
    assert tab.problems == []


def state_of_last_feed(data_dir: Path) -> str:
    """The selection key of the last row of the feed list (the welcome feed, by its tag)."""
    return f"feed:{feed_id(data_dir, 'broadsheet:welcome')}"


def feed_id(data_dir: Path, url: str) -> int:
    return query(data_dir, "SELECT id FROM feeds WHERE url = ?", url)[0][0]


def test_two_tabs_and_a_terminal_at_once_keep_the_archive_whole(
    served, news, browser, feed_server, serve_config, data_dir
):
    first, second = BrowserTab(browser), BrowserTab(browser)
    first.open(served.url)
    second.open(served.url)
    for tab in (first, second):
        tab.wait_for("Loopback News item 1")
        tab.step("Tab")
    # Each tab bookmarks its own article while the terminal reads and writes too.
    terminal = subprocess.Popen(
        [sys.executable, "-m", "tui", "--config", str(serve_config), "bookmark", "3"],
        env=serve_env(data_dir),
    )
    first.shows_after("b", "Bookmarked.")
    second.shows_after(["j", "b"], "Bookmarked.")
    # One refresh at a time per archive: while the first tab's refresh waits for a slow
    # feed, the second tab's R is told that one is already running, and does nothing.
    path = news.rsplit("/", 1)[1]
    slower = small_rss("Loopback News", 4, link=news_pages(feed_server))
    feed_server.set_route(path, slower, delay=2)
    asked = feed_server.count(path="/" + path)
    first.press("R")
    wait_until(lambda: feed_server.in_flight == 1, "the first tab's refresh asks the feed")
    second.shows_after("R", "already")
    assert "archive is already running" in second.words  # "refresh failed: a refresh ..."
    first.wait_for("Refreshed")
    assert "1 new articles" in first.words
    assert feed_server.count(path="/" + path) == asked + 1  # the second tab fetched nothing
    assert terminal.wait(60) == 0
    for tab in (first, second):
        tab.page.close()  # closing a tab ends its reader
    with sqlite3.connect(data_dir / "broadsheet.sqlite3") as db:
        assert db.execute("PRAGMA integrity_check").fetchone() == ("ok",)
    titles = {b["title"] for b in broadsheet_json(serve_config, data_dir, "bookmarks")}
    assert {"Loopback News item 1", "Loopback News item 2"} <= titles
    assert len(titles) == 3
    assert len(broadsheet_json(serve_config, data_dir, "articles", "--feed", news)) == 4
