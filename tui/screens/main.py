"""The main screen: feeds | articles | reading pane, driven from the keyboard.

State lives here; data comes from thread workers that call the headless core and post
messages back. Nothing on the event loop touches the network, the parser or the disk.
"""

from __future__ import annotations

import asyncio
import json
from typing import TYPE_CHECKING, ClassVar

from rich.text import Text
from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal, Vertical
from textual.events import Resize
from textual.reactive import var
from textual.screen import Screen
from textual.widget import Widget
from textual.widgets import Footer, Input, OptionList, ProgressBar, Static
from textual.worker import Worker, WorkerState, get_current_worker

from ..core.errors import BroadsheetError
from ..core.textsafe import one_line
from ..library import PageRequest
from ..messages import (
    ArticleLoaded,
    ArticlesLoaded,
    FeedsLoaded,
    RefreshFinished,
    RefreshProgressed,
)
from ..opening import fetch_page, first_reading, page_reading
from ..selection import ALL, Selection
from ..widgets.article_list import ArticleList, relative_date
from ..widgets.feed_list import FeedList
from ..widgets.reading_pane import ReadingPane
from .add_feed import AddFeedScreen
from .confirm import ConfirmScreen
from .help import HelpScreen
from .note import NoteScreen

if TYPE_CHECKING:
    from ..app import BroadsheetApp
    from ..core.update import FoundFeed

PANES = ("feeds", "articles", "reader")
NARROW_WIDTH = 100
"""Below this many columns the screen shows one pane at a time."""
WIDTH_LIMITS = {"feeds": (14, 60), "articles": (24, 140)}


def clamp_width(pane: str, width: int) -> int:
    low, high = WIDTH_LIMITS[pane]
    return max(low, min(high, width))


class MainScreen(Screen[None]):
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

    app: BroadsheetApp

    active_pane: var[str] = var("feeds")
    """The pane shown when the terminal is too narrow for all three."""
    refreshing: var[bool] = var(False)
    _opened: int | None = None
    """The article last opened: what the reading pane shows or is about to."""

    def compose(self) -> ComposeResult:
        with Horizontal(id="panes"):
            yield FeedList(id="feeds")
            with Vertical(id="articles-pane"):
                yield Input(
                    placeholder="Search titles and text, Enter to show, Esc to close", id="search"
                )
                yield Static(id="feed-info")
                yield ArticleList(id="articles", clock=self.app.clock)
            yield ReadingPane(id="reader")
        with Horizontal(id="refresh-bar"):
            yield ProgressBar(id="refresh-progress", show_eta=False)
            yield Static(id="refresh-status")
        yield Footer()

    def on_mount(self) -> None:
        self.query_one("#feeds").border_title = "Feeds"
        self.query_one("#articles-pane").border_title = "Articles"
        self.query_one("#reader").border_title = "Reading"
        self.query_one("#search").display = False
        self.query_one("#refresh-bar").display = False
        self.apply_pane_widths(self.app.saved.pane_widths)
        self.query_one(ReadingPane).highlight_summary = self.app.saved.highlight_summary
        self.query_one(FeedList).focus()
        # The articles of the remembered selection are asked for first: they are what
        # the first screen is for, and the feed list's counts take longer to gather.
        self.show_selection(self.app.saved.selection or ALL, keep=self.app.saved.article_id)
        self.load_feeds(select=self.app.saved.selection)
        self.set_interval(self.AUTO_REFRESH_SECONDS, self.auto_refresh)

    # -- layout -------------------------------------------------------------------

    def on_resize(self, event: Resize) -> None:
        self.set_class(event.size.width < NARROW_WIDTH, "narrow")

    def watch_active_pane(self, pane: str) -> None:
        for name in PANES:
            widget = self.query_one("#articles-pane" if name == "articles" else f"#{name}")
            widget.set_class(name == pane, "-active")

    def on_descendant_focus(self, event) -> None:
        for name in PANES:
            container = "#articles-pane" if name == "articles" else f"#{name}"
            if self.query_one(container) in (event.widget, *event.widget.ancestors):
                self.active_pane = name

    def _pane_widget(self, name: str) -> Widget:
        return self.query_one(
            {"feeds": "#feeds", "articles": "#articles", "reader": "#reader"}[name]
        )

    def focus_pane(self, name: str) -> None:
        self.active_pane = name
        self._pane_widget(name).focus()

    def action_next_pane(self) -> None:
        self.focus_pane(PANES[min(PANES.index(self.active_pane) + 1, len(PANES) - 1)])

    def action_previous_pane(self) -> None:
        self.focus_pane(PANES[max(PANES.index(self.active_pane) - 1, 0)])

    def apply_pane_widths(self, widths: dict[str, int]) -> None:
        for name, width in widths.items():
            if name in WIDTH_LIMITS:
                self._pane_container(name).styles.width = clamp_width(name, width)

    def _pane_container(self, name: str) -> Widget:
        return self.query_one("#feeds" if name == "feeds" else "#articles-pane")

    def action_resize_pane(self, delta: int) -> None:
        """Make the feeds or the articles pane narrower or wider; remembered across runs."""
        name = "feeds" if self.active_pane == "feeds" else "articles"
        widths = self.app.saved.pane_widths
        current = widths.get(name, self._pane_container(name).outer_size.width)
        widths[name] = clamp_width(name, current + delta)
        self.apply_pane_widths(widths)
        self.app.save_state("pane_widths", json.dumps(widths))

    # -- loading --------------------------------------------------------------------

    @work(thread=True, exclusive=True, group="feeds", exit_on_error=False)
    def load_feeds(self, select: Selection | None = None) -> None:
        self.post_message(FeedsLoaded(self.app.library.listing(), select))

    @work(thread=True, exclusive=True, group="articles", exit_on_error=False)
    def load_page(self, request: PageRequest) -> None:
        worker = get_current_worker()
        page = self.app.library.page(request, cancelled=lambda: worker.is_cancelled)
        if not worker.is_cancelled:
            self.post_message(ArticlesLoaded(page))

    @work(exclusive=True, group="article", exit_on_error=False)
    async def load_article(self, article_id: int) -> None:
        """The feed's text at once; the page's, for a teaser, when it comes.

        Moving to another article cancels this worker, and with it the page's fetch.
        """
        library, config = self.app.library, self.app.config
        opening = await asyncio.to_thread(library.opening, article_id)
        reading, page = await asyncio.to_thread(first_reading, opening, config)
        self.post_message(ArticleLoaded(reading, loading_page=page is not None))
        if page is None:
            return
        fetched = await self.app.background.run(fetch_page(page, config))
        text, error = fetched
        library.write(lambda store: store.cache_text(article_id, text, error=error))
        reading = await asyncio.to_thread(page_reading, opening, fetched, config)
        self.post_message(ArticleLoaded(reading))

    def write(self, operation: str, *args: object, **kwargs: object) -> None:
        """A store update (read state, bookmarks), queued behind the ones before it."""
        self.app.library.write(lambda store: getattr(store, operation)(*args, **kwargs))

    def on_feeds_loaded(self, message: FeedsLoaded) -> None:
        feed_list = self.query_one(FeedList)
        feed_list.show_feeds(message.listing, select=message.select)
        selection = feed_list.selection or ALL
        self._title_articles(selection)
        self.show_feed_info()
        if selection != self.query_one(ArticleList).selection:
            self.show_selection(selection, keep=self.app.saved.article_id)
            self.app.saved.article_id = None

    def on_articles_loaded(self, message: ArticlesLoaded) -> None:
        article_list = self.query_one(ArticleList)
        if not article_list.show_page(message.page):
            return  # asked for before the user moved on: a newer page is on its way
        if not article_list.articles:
            self.query_one(ReadingPane).show_message("No articles here yet.")

    def on_article_loaded(self, message: ArticleLoaded) -> None:
        if message.reading.article.id == self._opened:  # not one the user has left
            self.query_one(ReadingPane).show(message.reading, loading_page=message.loading_page)

    def show_selection(self, selection: Selection, *, keep: int | None = None) -> None:
        self._title_articles(selection)
        self.load_page(self.query_one(ArticleList).start(selection, keep=keep))

    def _title_articles(self, selection: Selection) -> None:
        # Text, not str: a str title is read as markup, and feed titles are untrusted.
        title = Text(selection.title(self.query_one(FeedList).feeds))
        self.query_one("#articles-pane").border_title = title

    def show_feed_info(self) -> None:
        """A line above the articles: when the feed was checked and its last error."""
        feed = self.query_one(FeedList).selected_feed
        info = self.query_one("#feed-info", Static)
        if feed is None:
            info.display = False
            return
        now = self.app.clock()
        # The error first: a narrow pane cuts the end of the line, never the reason.
        parts: list[tuple[str, str]] = []
        if feed.last_error:
            parts.append((f"error: {one_line(feed.last_error)}", "bold red"))
        elif feed.last_warning:
            parts.append((f"warning: {one_line(feed.last_warning)}", "yellow"))
        if feed.last_checked:
            age = relative_date(feed.last_checked, now)
            parts.append(("checked just now" if age == "now" else f"checked {age} ago", "dim"))
        else:
            parts.append(("not fetched yet", "dim"))
        if feed.gone:
            parts.append(("gone: no longer fetched", "dim"))
        elif feed.next_check is not None:
            wait = feed.next_check - now
            label = "now" if wait.total_seconds() <= 60 else relative_date(now - wait, now)
            parts.append((f"next {label}" if label == "now" else f"next in {label}", "dim"))
        if feed.failures > 1:
            parts.append((f"{feed.failures} failures in a row", "dim"))
        line = Text(no_wrap=True, overflow="ellipsis")
        for index, (text, style) in enumerate(parts):
            if index:
                line.append(" · ", style="dim")
            line.append(text, style=style)
        info.update(line)
        info.display = True
        info.set_class(bool(feed.last_error), "-error")

    # -- selection ------------------------------------------------------------------

    @on(FeedList.Selected)
    def feed_selected(self, event: FeedList.Selected) -> None:
        self.show_feed_info()
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

    def open_article(self, index: int) -> None:
        article_list = self.query_one(ArticleList)
        article_list.highlighted = index
        if not article_list.articles[index].read:
            self.app.library.opened(article_list.articles[index].id)
        article = article_list.update_article(index, read=True)
        self._opened = article.id
        self.load_article(article.id)
        if self.has_class("narrow"):
            self.focus_pane("reader")

    # -- movement ---------------------------------------------------------------------

    def _focused_list(self) -> OptionList | None:
        focused = self.focused
        return focused if isinstance(focused, OptionList) else None

    def action_cursor_down(self) -> None:
        if (listing := self._focused_list()) is not None:
            listing.action_cursor_down()
        else:
            self.query_one(ReadingPane).scroll_down()

    def action_cursor_up(self) -> None:
        if (listing := self._focused_list()) is not None:
            listing.action_cursor_up()
        else:
            self.query_one(ReadingPane).scroll_up()

    def action_first(self) -> None:
        if (listing := self._focused_list()) is not None:
            listing.action_first()
        else:
            self.query_one(ReadingPane).scroll_home()

    def action_last(self) -> None:
        listing = self._focused_list()
        if isinstance(listing, ArticleList) and (request := listing.rest()) is not None:
            self.load_page(request)
        elif listing is not None:
            listing.action_last()
        else:
            self.query_one(ReadingPane).scroll_end()

    def action_page_down(self) -> None:
        self.query_one(ReadingPane).scroll_page_down()

    def action_open(self) -> None:
        listing = self._focused_list()
        if listing is not None:
            listing.action_select()
        elif self.focused is self.query_one("#search"):
            return

    def action_next_unread(self) -> None:
        self._jump_unread(+1)

    def action_previous_unread(self) -> None:
        self._jump_unread(-1)

    def _jump_unread(self, step: int) -> None:
        article_list = self.query_one(ArticleList)
        start = article_list.highlighted if article_list.highlighted is not None else -1
        current = article_list.current
        # The article under the cursor counts when it is still unread: "the next thing
        # I have not read" starts here.
        index = start if current is not None and not current.read else None
        if index is None:
            index = article_list.find_unread(start, step)
        if index is None:
            self.notify("No more unread articles here.", timeout=3)
            return
        self.open_article(index)

    def action_back(self) -> None:
        search = self.query_one("#search", Input)
        if search.display:
            search.display = False
            self.focus_pane("articles")
        elif self.active_pane != "feeds":
            self.action_previous_pane()

    # -- article actions ----------------------------------------------------------------

    def action_toggle_read(self) -> None:
        article_list = self.query_one(ArticleList)
        article = article_list.current
        if article is None or article_list.highlighted is None:
            return
        updated = article_list.update_article(article_list.highlighted, read=not article.read)
        self.write("set_read", [updated.id], updated.read)

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

    def action_toggle_bookmark(self) -> None:
        article_list = self.query_one(ArticleList)
        article = article_list.current
        if article is None or article_list.highlighted is None:
            return
        updated = article_list.update_article(
            article_list.highlighted, bookmarked=not article.bookmarked
        )
        self.write("set_bookmark", updated.id, updated.bookmarked)
        self.notify("Bookmarked." if updated.bookmarked else "Bookmark removed.", timeout=2)

    def action_edit_note(self) -> None:
        article_list = self.query_one(ArticleList)
        article, index = article_list.current, article_list.highlighted
        if article is None or index is None:
            return
        self.edit_note(article.id, index)

    @work(thread=True, group="writes", exit_on_error=False)
    def edit_note(self, article_id: int, index: int) -> None:
        bookmark, title = self.app.library.read(
            lambda store: (store.bookmark(article_id), store.article(article_id).title)
        )
        note = bookmark.note if bookmark else ""

        def saved(text: str | None) -> None:
            if text is None:
                return
            article_list = self.query_one(ArticleList)
            if index < len(article_list.articles) and article_list.articles[index].id == article_id:
                article_list.notes[article_id] = text
                article_list.update_article(index, bookmarked=True)
            self.write("set_bookmark", article_id, True, note=text)
            self.notify("Note saved; article bookmarked.", timeout=2)

        self.app.call_from_thread(self.app.push_screen, NoteScreen(title, note), saved)

    def action_save_article(self) -> None:
        article = self.query_one(ArticleList).current
        if article is None:
            self.notify("Select an article to save.", severity="warning", timeout=3)
            return
        self.save_articles([article.id], bookmarks=False)

    def action_save_bookmarks(self) -> None:
        self.save_articles([], bookmarks=True)

    @work(thread=True, group="export", exit_on_error=False)
    def save_articles(self, article_ids: list[int], *, bookmarks: bool) -> None:
        """Write summary files (s: one article, S: every bookmark) to the export folder."""
        from ..core.export import write_export
        from ..core.reading import export_item

        config = self.app.config
        library = self.app.library
        if bookmarks:
            article_ids = [b.article.id for b in library.read(lambda s: s.bookmarks())]
        openings = [library.opening(i) for i in article_ids]
        # Summaries take a while for many long articles: the archive stays free meanwhile.
        readings = [first_reading(opening, config)[0] for opening in openings]
        items = library.read(lambda store: [export_item(store, r, config) for r in readings])
        if not items:
            self.app.call_from_thread(
                self.notify, "No bookmarks to save yet: press b on an article.", timeout=4
            )
            return
        paths = [write_export(item, config.export_dir) for item in items]
        message = str(paths[0]) if len(paths) == 1 else f"{len(paths)} files in {paths[0].parent}"
        self.app.call_from_thread(self.notify, message, title="Saved", timeout=6)

    def action_open_link(self) -> None:
        article = self.query_one(ArticleList).current
        link = article.link if article else None
        if not link or not link.lower().startswith(("http://", "https://")):
            self.notify("This article has no web link to open.", severity="warning", timeout=3)
            return
        self.app.open_url(link)

    def action_mark_all_read(self) -> None:
        def done(changed: int) -> None:  # on the writer thread
            self.call_later(self.notify, f"Marked {changed} articles read.", timeout=2)
            self.call_later(self.reload)

        which = (self.query_one(FeedList).selection or ALL).filter
        self.app.library.write(lambda store: store.mark_all_read(which), then=done)

    def reload(self) -> None:
        """Re-read feeds and the current article list, keeping the user's place."""
        self.load_feeds()
        if (request := self.query_one(ArticleList).reread()) is not None:
            self.load_page(request)

    # -- search ---------------------------------------------------------------------------

    def action_search(self) -> None:
        search = self.query_one("#search", Input)
        search.display = True
        search.focus()

    @on(Input.Submitted, "#search")
    def search_submitted(self, event: Input.Submitted) -> None:
        query = event.value.strip()
        if not query:
            return
        self.show_selection(Selection.search(query))
        self.focus_pane("articles")

    # -- feeds: add, remove, refresh --------------------------------------------------------

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
        feed = self.query_one(FeedList).selected_feed
        if feed is None:
            self.notify("Select a feed to remove.", severity="warning", timeout=3)
            return
        self.ask_removal(feed)

    @work(thread=True, group="writes", exit_on_error=False)
    def ask_removal(self, feed) -> None:
        bookmarked = self.app.library.read(lambda store: store.count_bookmarks(feed.id))
        question = Text("Remove ")
        question.append(one_line(feed.display_title), style="bold")
        question.append(f" and its {feed.total} articles?")
        choices = [("remove", "Remove", "error")]
        if bookmarked:
            question.append(
                f"\n{bookmarked} of them {'are' if bookmarked > 1 else 'is'} bookmarked and "
                "will be kept unless you remove those too."
            )
            choices = [("keep", "Remove, keep bookmarks", "error"), ("all", "Remove all", "error")]

        def answered(answer: str | None) -> None:
            if answer is not None:
                self.remove_feed(feed.id, keep_bookmarks=answer != "all")

        self.app.call_from_thread(self.app.push_screen, ConfirmScreen(question, choices), answered)

    def remove_feed(self, feed_id: int, keep_bookmarks: bool = True) -> None:
        self.app.library.write(
            lambda store: store.remove_feed(feed_id, keep_bookmarks=keep_bookmarks),
            then=lambda _: self.call_later(self.load_feeds, ALL),
        )

    AUTO_REFRESH_SECONDS = 300
    """How often the reader fetches the feeds that are due, in the background."""

    def action_refresh_all(self) -> None:
        self.start_refresh(None)

    def auto_refresh(self) -> None:
        if not self.refreshing:
            self.start_refresh(None, force=False)

    def action_refresh_feed(self) -> None:
        feed = self.query_one(FeedList).selected_feed
        self.start_refresh(feed.url if feed else None)

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action in ("refresh_feed", "refresh_all") and self.refreshing:
            return None  # shown dimmed while a refresh runs
        return True

    def start_refresh(self, feed_url: str | None, *, force: bool = True) -> None:
        """Refresh one feed or all (only those due, without ``force``) in the background."""
        self.refreshing = True
        self.run_refresh(feed_url, force=force)

    @work(thread=True, exclusive=True, group="refresh", exit_on_error=False)
    def run_refresh(self, feed_url: str | None, *, force: bool) -> None:
        # Everything this thread needs came in as arguments: widgets belong to the loop.
        from ..refresh_process import run_refresh

        report = run_refresh(
            self.app.config,
            feed_url,
            force=force,
            progress=lambda progress: self.post_message(RefreshProgressed(progress)),
            on_start=self.app.track_child,
        )
        self.post_message(RefreshFinished(report, background=not force))

    def watch_refreshing(self, refreshing: bool) -> None:
        self.query_one("#refresh-bar").display = refreshing
        self.refresh_bindings()

    def on_refresh_progressed(self, message: RefreshProgressed) -> None:
        progress = message.progress
        self.query_one("#refresh-progress", ProgressBar).update(
            total=max(progress.total, 1), progress=progress.done
        )
        status = f"{progress.done}/{progress.total} feeds · {progress.new_articles} new"
        if progress.errors:
            status += f" · {progress.errors} failed"
        self.query_one("#refresh-status", Static).update(status)

    def on_refresh_finished(self, message: RefreshFinished) -> None:
        report = message.report
        failed = report.failed
        if message.background and not report.new_articles:
            self.reload()  # feed errors and next times still change; no need to say so
            return
        summary = f"{report.new_articles} new articles from {len(report.outcomes)} feeds"
        if failed:
            summary += f"; {failed} failed (marked ! in the feed list)"
        severity = "warning" if failed else "information"
        self.notify(summary, title="Refreshed", severity=severity, timeout=5)
        self.reload()

    # -- help and errors ---------------------------------------------------------------------

    def action_help(self) -> None:
        self.app.push_screen(HelpScreen(self.app.key_help()))

    def on_worker_state_changed(self, event: Worker.StateChanged) -> None:
        """Failures in workers become a notification, never a crash or a traceback."""
        if event.worker.group == "refresh" and event.worker.is_finished:
            self.refreshing = False
        if event.worker.group == "articles" and event.state == WorkerState.ERROR:
            self.query_one(ArticleList).pending = None  # the next move asks again
        if event.state != WorkerState.ERROR:
            return
        error = event.worker.error
        if isinstance(error, BroadsheetError):
            message = error.message
        else:
            message = f"unexpected error: {type(error).__name__}: {error}"
        self.notify(one_line(message), title="Problem", severity="error", timeout=8)
