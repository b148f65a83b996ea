"""The main screen: feeds | articles | reading pane, driven from the keyboard.

This module is the layout and what each key does. Data comes from the workers of
``LoadingScreen`` (loaders.py) as messages; widgets say what happened in their own
messages; writes go to the library's writer, in the order the keys were pressed.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from dataclasses import replace
from typing import TYPE_CHECKING, ClassVar

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Vertical
from textual.events import Resize
from textual.widgets import Input, OptionList

from ..library import OLDER_THAN_DAYS
from ..selection import ALL, Selection
from ..widgets.article_list import ArticleList
from ..widgets.feed_info import FeedInfo
from ..widgets.feed_list import FeedList
from ..widgets.footer import Footer
from ..widgets.panes import Panes
from ..widgets.reading_pane import ReadingPane
from ..widgets.refresh_bar import RefreshBar
from .add_feed import AddFeedScreen
from .confirm import ConfirmScreen
from .help import HelpScreen
from .loaders import LoadingScreen
from .note import NoteScreen

if TYPE_CHECKING:
    from ..core.store import Store, Undone
    from ..core.update import FoundFeed

NARROW_WIDTH = 100
"""Below this many columns the screen shows one pane at a time."""


class MainScreen(LoadingScreen):
    """Three panes side by side (one at a time on narrow terminals)."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("j,down", "cursor_down", "Down", show=False, id="down"),
        Binding("k,up", "cursor_up", "Up", show=False, id="up"),
        Binding("g,home", "first", "Top", show=False, id="top"),
        Binding("G,end", "last", "Bottom", show=False, id="bottom"),
        Binding("l,right", "next_pane", "Next pane", show=False, id="next_pane"),
        Binding("h,left", "previous_pane", "Previous pane", show=False, id="previous_pane"),
        Binding("enter", "open", "Open", id="open"),
        Binding("space", "page_down", "Page", show=False, id="page_down"),
        Binding("n", "next_unread", "Next unread", id="next_unread"),
        Binding("p", "previous_unread", "Prev unread", show=False, id="previous_unread"),
        Binding("m", "toggle_read", "Read/unread", show=False, id="toggle_read"),
        Binding("A", "mark_all_read", "Mark all read", show=False, id="mark_all_read"),
        Binding("u", "undo", "Undo mass action", show=False, id="undo"),
        Binding(
            "right_square_bracket", "next_version", "Next version", show=False, id="next_version"
        ),
        Binding("U", "unread_only", "Only unread here", show=False, id="unread_only"),
        Binding("F", "hide_read_feeds", "Hide read feeds", show=False, id="hide_read_feeds"),
        Binding("K", "rules", "Rules", show=False, id="rules"),
        Binding("b", "toggle_bookmark", "Bookmark", id="bookmark"),
        Binding("B", "edit_note", "Note", show=False, id="bookmark_note"),
        Binding("s", "save_article", "Save", show=False, id="save_article"),
        Binding("S", "save_bookmarks", "Save bookmarks", show=False, id="save_bookmarks"),
        Binding("o", "open_link", "Open link", show=False, id="open_link"),
        Binding("H", "toggle_summary_marks", "Mark summary in text", show=False, id="mark_summary"),
        Binding("r", "refresh_feed", "Refresh", id="refresh_feed"),
        Binding("R", "refresh_all", "Refresh all", id="refresh_all"),
        Binding("a", "add_feed", "Add feed", id="add_feed"),
        Binding("d", "remove_feed", "Remove feed", show=False, id="remove_feed"),
        Binding("slash", "search", "Search", id="search"),
        Binding("escape", "back", "Back", show=False, id="back"),
        Binding("question_mark", "help", "Help", id="help"),
        Binding("less_than_sign", "resize_pane(-2)", "Narrower", show=False, id="narrower"),
        Binding("greater_than_sign", "resize_pane(2)", "Wider", show=False, id="wider"),
    ]

    AUTO_REFRESH_SECONDS = 300
    """How often the reader fetches the feeds that are due, in the background."""

    def compose(self) -> ComposeResult:
        with Panes(id="panes"):
            yield FeedList(id="feeds")
            with Vertical(id="articles-pane"):
                yield Input(
                    placeholder="Search titles and text, Enter to show, Esc to close", id="search"
                )
                yield FeedInfo(id="feed-info")
                yield ArticleList(id="articles", clock=self.app.clock)
            yield ReadingPane(id="reader")
        yield RefreshBar(id="refresh-bar")
        yield Footer()

    def on_mount(self) -> None:
        self.query_one("#feeds").border_title = "Feeds"
        self.query_one("#articles-pane").border_title = "Articles"
        self.query_one("#reader").border_title = "Reading"
        self.query_one("#search").display = False
        self.query_one(Panes).apply_widths(self.app.saved.pane_widths)
        self.query_one(ReadingPane).highlight_summary = self.app.saved.highlight_summary
        self.query_one(FeedList).focus()
        # The articles of the remembered selection are asked for first: they are what
        # the first screen is for, and the feed list's counts take longer to gather.
        self.show_selection(self.app.saved.selection or ALL, keep=self.app.saved.article_id)
        self.load_feeds(select=self.app.saved.selection)
        self.set_interval(self.AUTO_REFRESH_SECONDS, self.auto_refresh)

    # -- layout -------------------------------------------------------------------

    @property
    def active_pane(self) -> str:
        return self.query_one(Panes).active

    def on_resize(self, event: Resize) -> None:
        self.set_class(event.size.width < NARROW_WIDTH, "narrow")

    def focus_pane(self, name: str) -> None:
        self.query_one(Panes).focus_pane(name)

    def action_next_pane(self) -> None:
        self.query_one(Panes).step(+1)

    def action_previous_pane(self) -> None:
        self.query_one(Panes).step(-1)

    def action_resize_pane(self, delta: int) -> None:
        """Make the feeds or the articles pane narrower or wider; remembered across runs."""
        widths = self.query_one(Panes).resize_active(delta, self.app.saved.pane_widths)
        self.app.saved.pane_widths = widths
        self.app.save_state("pane_widths", json.dumps(widths))

    # -- what the widgets did ----------------------------------------------------

    @on(FeedList.Selected)
    def feed_selected(self, event: FeedList.Selected) -> None:
        self.query_one(FeedInfo).show(self.query_one(FeedList).selected_feed, self.app.clock())
        if event.selection != self.query_one(ArticleList).selection:
            self.show_selection(event.selection)
            self.app.save_state("selection", event.selection.key)

    @on(FeedList.Entered)
    def feed_entered(self) -> None:
        self.focus_pane("articles")

    @on(ArticleList.NearEnd)
    def next_page(self, event: ArticleList.NearEnd) -> None:
        self.load_page(event.request)

    @on(ArticleList.Highlighted)
    def article_highlighted(self, event: ArticleList.Highlighted) -> None:
        self.app.save_state("article", str(event.article.id))

    @on(ArticleList.Opened)
    def article_opened(self, event: ArticleList.Opened) -> None:
        self.open_article(event.index)

    @on(Input.Submitted, "#search")
    def search_submitted(self, event: Input.Submitted) -> None:
        if query := event.value.strip():
            self.show_selection(Selection.search(query))
            self.focus_pane("articles")

    def open_article(self, index: int) -> None:
        article_list = self.query_one(ArticleList)
        article_list.highlighted = index
        article = article_list.articles[index]
        together = self.app.config.stories.mark_read_together and article.story is not None
        if not article.read or together:
            self.app.library.opened(article.id, with_story=together)
        self.opened = article_list.update_article(index, read=True).id
        self.load_article(self.opened)
        if self.has_class("narrow"):
            self.focus_pane("reader")

    # -- moving ------------------------------------------------------------------

    def _move(self, in_list: str, in_reader: str) -> None:
        """Move in the focused list, or scroll the reading pane."""
        focused = self.focused
        if isinstance(focused, OptionList):
            getattr(focused, f"action_{in_list}")()
        else:
            getattr(self.query_one(ReadingPane), in_reader)()

    def action_cursor_down(self) -> None:
        self._move("cursor_down", "scroll_down")

    def action_cursor_up(self) -> None:
        self._move("cursor_up", "scroll_up")

    def action_first(self) -> None:
        self._move("first", "scroll_home")

    def action_last(self) -> None:
        article_list = self.query_one(ArticleList)
        if self.focused is article_list and (request := article_list.rest()) is not None:
            self.load_page(request)  # the rest of the list, then the cursor to its end
        else:
            self._move("last", "scroll_end")

    def action_page_down(self) -> None:
        self.query_one(ReadingPane).scroll_page_down()

    def action_open(self) -> None:
        if isinstance(self.focused, OptionList):
            self.focused.action_select()

    def action_next_unread(self) -> None:
        self._jump_unread(+1)

    def action_previous_unread(self) -> None:
        self._jump_unread(-1)

    def _jump_unread(self, step: int) -> None:
        if (index := self.query_one(ArticleList).unread_from(step)) is None:
            self.notify("No more unread articles here.", timeout=3)
        else:
            self.open_article(index)

    def action_back(self) -> None:
        search = self.query_one("#search", Input)
        if self.query_one(ArticleList).clear_marks():
            return
        if search.display:
            search.display = False
            self.focus_pane("articles")
        elif self.active_pane != "feeds":
            self.action_previous_pane()

    def action_search(self) -> None:
        search = self.query_one("#search", Input)
        search.display = True
        search.focus()

    def action_help(self) -> None:
        self.app.push_screen(HelpScreen(self.app.key_help()))

    # -- articles ----------------------------------------------------------------

    def action_toggle_read(self) -> None:
        article_list = self.query_one(ArticleList)
        if marked := article_list.marked_articles():
            # On marked rows: all read, or all unread when every one was read already.
            read = not all(a.read for a in marked)
            ids = {a.id for a in marked}
            label = f"mark {len(ids)} articles {'read' if read else 'unread'}"
            self._mass(lambda store: store.mark_read_undoably(ids, label, read=read))
            article_list.set_read(ids, read)
            article_list.clear_marks()
            return
        if (article := article_list.toggle("read")) is not None:
            self.app.library.write(lambda store: store.set_read([article.id], article.read))

    def action_toggle_bookmark(self) -> None:
        article_list = self.query_one(ArticleList)
        if marked := article_list.marked_articles():
            ids = [a.id for a in marked]

            def bookmark(store: Store) -> None:
                for article_id in ids:
                    store.set_bookmark(article_id, True)

            self.app.library.write(bookmark, then=lambda _: self.call_later(self.reload))
            self.notify(f"Bookmarked {len(ids)} articles.", timeout=2)
            article_list.clear_marks()
            return
        if (article := article_list.toggle("bookmarked")) is not None:
            self.app.library.write(lambda store: store.set_bookmark(article.id, article.bookmarked))
            self.notify("Bookmarked." if article.bookmarked else "Bookmark removed.", timeout=2)

    def action_edit_note(self) -> None:
        if (article := self.query_one(ArticleList).current) is None:
            return

        def saved(note: str | None) -> None:
            if note is not None:
                self.query_one(ArticleList).set_note(article.id, note)
                self.app.library.write(lambda s: s.set_bookmark(article.id, True, note=note))
                self.notify("Note saved; article bookmarked.", timeout=2)

        self.ask(
            lambda store: store.bookmark(article.id),
            lambda bookmark: NoteScreen(article.title, bookmark.note if bookmark else ""),
            saved,
        )

    def action_toggle_summary_marks(self) -> None:
        """H: mark the summary's sentences in the article text, or stop marking them."""
        pane = self.query_one(ReadingPane)
        on = not pane.highlight_summary
        pane.set_highlight_summary(on)
        self.app.saved.highlight_summary = on
        self.app.save_state("highlight_summary", "on" if on else "off")
        self.notify(
            "Summary sentences marked in the text" if on else "Summary marks off", timeout=2
        )

    def action_save_article(self) -> None:
        article_list = self.query_one(ArticleList)
        if marked := article_list.marked_articles():
            self.save_articles([a.id for a in marked])
            article_list.clear_marks()
            return
        if (article := article_list.current) is None:
            self.notify("Select an article to save.", severity="warning", timeout=3)
        else:
            self.save_articles([article.id])

    def action_save_bookmarks(self) -> None:
        self.save_articles(None)

    def action_open_link(self) -> None:
        article = self.query_one(ArticleList).current
        link = article.link if article else None
        if not link or not link.lower().startswith(("http://", "https://")):
            self.notify("This article has no web link to open.", severity="warning", timeout=3)
            return
        self.app.open_url(link)

    def action_mark_all_read(self) -> None:
        """A: every article of the selected feed or view read (or only the marked rows);
        u undoes it."""
        article_list = self.query_one(ArticleList)
        if marked := article_list.marked_articles():
            ids = {a.id for a in marked}
            label = f"mark {len(ids)} articles read"
            self._mass(lambda store: store.mark_read_undoably(ids, label))
            article_list.clear_marks()
            return
        selection = self.query_one(FeedList).selection or ALL
        which, label = selection.filter, f"mark all read in {selection.key}"
        self._mass(lambda store: store.mark_all_read_undoably(which, label))

    def _mass(self, run: Callable[[Store], int]) -> None:
        def done(changed: int) -> None:  # on the writer thread: hand it to the loop
            message = f"Marked {changed} articles read. u undoes it."
            self.call_later(self.notify, message, timeout=3)
            self.call_later(self.reload)

        self.app.library.write(run, then=done)

    def action_undo(self) -> None:
        """u: put back what the last mass action changed, exactly."""

        def done(undone: Undone) -> None:
            message = f"Undid {undone.label}: {undone.articles} articles as they were."
            self.call_later(self.notify, message, timeout=3)
            self.call_later(self.reload)

        self.app.library.write(lambda store: store.undo_last(), then=done)

    def action_unread_only(self) -> None:
        """U: only the unread articles of this feed or view, or all of them again."""
        selection = self.query_one(ArticleList).selection or ALL
        self.show_selection(replace(selection, unread_only=not selection.unread_only))

    def action_show_hidden(self) -> None:
        """Also list the articles rules hid, or stop."""
        selection = self.query_one(ArticleList).selection or ALL
        self.show_selection(replace(selection, with_hidden=not selection.with_hidden))

    def action_hide_read_feeds(self) -> None:
        """F: leave the feeds with nothing unread out of the feed list, or show them."""
        hidden = self.query_one(FeedList).toggle_hide_read()
        self.notify(
            "Feeds with nothing unread hidden." if hidden else "Every feed shown.", timeout=2
        )

    def action_mark_older_than(self, days: int = OLDER_THAN_DAYS) -> None:
        """Every unread article older than ``days`` read, as one undoable action."""
        before = int(self.app.clock().timestamp()) - days * 86400

        def run(store: Store) -> int:
            label = f"mark older than {days}d read"
            return store.mark_read_undoably(store.unread_older_than(before), label)

        self._mass(run)

    def action_rules(self) -> None:
        """K: the rules, from the archive and the settings file."""
        from ..core.rules import load_rules
        from .rules import RulesScreen

        configured = self.app.config.rules
        self.ask(lambda store: load_rules(store, configured), RulesScreen, lambda _: None)

    def action_next_version(self) -> None:
        """]: open the next version of the story in the reading pane (another feed's)."""
        if (article_id := self.query_one(ReadingPane).next_version()) is None:
            self.notify("This article is in no story with other sources.", timeout=3)
            return
        self.opened = article_id
        self.app.library.opened(article_id)
        self.load_article(article_id)

    # -- feeds -------------------------------------------------------------------

    def action_add_feed(self) -> None:
        def found(feed: FoundFeed | None) -> None:
            from ..core.update import store_subscription  # fetch and aiohttp: not at start-up

            if feed is not None:
                self.app.library.write(
                    lambda store: store_subscription(store, feed),
                    then=lambda added: self.call_later(self._subscribed, added.feed.id),
                )

        self.app.push_screen(AddFeedScreen(), found)

    def _subscribed(self, feed_id: int) -> None:
        self.notify("Feed added.", timeout=3)
        self.load_feeds(select=Selection.feed(feed_id))

    def action_remove_feed(self) -> None:
        if (feed := self.query_one(FeedList).selected_feed) is None:
            self.notify("Select a feed to remove.", severity="warning", timeout=3)
            return

        def answered(answer: str | None) -> None:
            if answer is not None:
                keep = answer != "all"
                self.app.library.write(
                    lambda store: store.remove_feed(feed.id, keep_bookmarks=keep),
                    then=lambda _: self.call_later(self.load_feeds, ALL),
                )

        self.ask(
            lambda store: store.count_bookmarks(feed.id),
            lambda bookmarked: ConfirmScreen.removal(feed, bookmarked),
            answered,
        )

    def action_refresh_all(self) -> None:
        self.start_refresh(None)

    def action_refresh_feed(self) -> None:
        feed = self.query_one(FeedList).selected_feed
        self.start_refresh(feed.url if feed else None)
