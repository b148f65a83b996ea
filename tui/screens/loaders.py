"""The main screen's workers, and what the screen does with what they bring.

Each worker takes what it needs as arguments, runs off the event loop (in a thread,
or awaiting one) and never looks at a widget; it posts a message, and the handlers
below put the result on screen.
"""

from __future__ import annotations

import asyncio
from collections.abc import Callable
from typing import TYPE_CHECKING, TypeVar

from rich.text import Text
from textual import work
from textual.reactive import var
from textual.screen import ModalScreen, Screen
from textual.worker import Worker, WorkerState, get_current_worker

from ..core.errors import BroadsheetError, RefreshRunningError
from ..core.store import Store
from ..core.textsafe import one_line
from ..library import PageRequest
from ..messages import (
    ArticleLoaded,
    ArticlesLoaded,
    FeedsLoaded,
    RefreshFinished,
    RefreshProgressed,
    StoryLoaded,
)
from ..opening import fetch_page, first_reading, page_reading, save_articles, story_summary
from ..selection import ALL, Selection
from ..widgets.article_list import ArticleList
from ..widgets.feed_info import FeedInfo
from ..widgets.feed_list import FeedList
from ..widgets.reading_pane import ReadingPane
from ..widgets.refresh_bar import RefreshBar

if TYPE_CHECKING:
    from ..app import BroadsheetApp

T = TypeVar("T")
R = TypeVar("R")


class LoadingScreen(Screen[None]):
    """A screen that reads the archive, opens articles, refreshes and saves."""

    app: BroadsheetApp

    refreshing: var[bool] = var(False)
    """A refresh runs: the bar shows, r and R are dimmed."""
    opened: int | None = None
    """The article last opened: what the reading pane shows or is about to."""
    older_unread: int = 0
    """Unread articles older than a week, as the last feed listing counted them."""

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

        Opening another article cancels this worker, and with it the page's fetch.
        """
        library, config = self.app.library, self.app.config
        opening = await asyncio.to_thread(library.opening, article_id)
        reading, page = await asyncio.to_thread(first_reading, opening, config)
        versions = opening.versions
        self.post_message(ArticleLoaded(reading, loading_page=page is not None, versions=versions))
        if len(versions) > 1:
            summary = await asyncio.to_thread(story_summary, library, versions, config)
            self.post_message(StoryLoaded(article_id, summary, len(versions)))
        if page is None:
            return
        fetched = await self.app.background.run(fetch_page(page, config))
        text, error = fetched
        library.write(lambda store: store.cache_text(article_id, text, error=error))
        reading = await asyncio.to_thread(page_reading, opening, fetched, config)
        self.post_message(ArticleLoaded(reading, versions=versions))

    @work(thread=True, exclusive=True, group="refresh", exit_on_error=False)
    def run_refresh(self, feed_url: str | None, *, force: bool) -> None:
        """One feed, or every feed (only those due without ``force``), in a child process."""
        from ..refresh_process import run_refresh

        try:
            report = run_refresh(
                self.app.config,
                feed_url,
                force=force,
                progress=lambda progress: self.post_message(RefreshProgressed(progress)),
                on_start=self.app.track_child,
            )
        except RefreshRunningError:
            if force:
                raise  # R or r: the user is told one is running
            # The timed refresh of due feeds met another tab's, reader's or cron's
            # refresh, which is doing that work: nothing to say.
            return
        self.post_message(RefreshFinished(report, background=not force))

    @work(group="dialogs", exit_on_error=False)
    async def ask(
        self,
        query: Callable[[Store], T],
        dialog: Callable[[T], ModalScreen[R]],
        answered: Callable[[R | None], None],
    ) -> None:
        """Read what a dialog needs (off the loop), show it, hand its answer on."""
        found = await asyncio.to_thread(self.app.library.read, query)
        self.app.push_screen(dialog(found), answered)

    @work(thread=True, group="export", exit_on_error=False)
    def save_articles(self, article_ids: list[int] | None) -> None:
        """Summary files for these articles (None: every bookmark) in the export folder."""
        library, worker = self.app.library, get_current_worker()
        if article_ids is None:
            article_ids = [b.article.id for b in library.read(lambda store: store.bookmarks())]
        paths = save_articles(library, self.app.config, article_ids, lambda: worker.is_cancelled)
        if worker.is_cancelled:
            return  # the reader is quitting
        # In a browser tab the files are written where `broadsheet serve` runs, not
        # downloaded: the title says so.
        saved = "Saved on the server" if self.app.is_web else "Saved"
        if not paths:
            message, title = "No bookmarks to save yet: press b on an article.", ""
        elif len(paths) == 1:
            message, title = str(paths[0]), saved
        else:
            message, title = f"{len(paths)} files in {paths[0].parent}", saved
        self.call_later(self.notify, message, title=title, timeout=6 if paths else 4)

    # -- what they found ---------------------------------------------------------

    def on_feeds_loaded(self, message: FeedsLoaded) -> None:
        self.older_unread = message.listing.older_unread
        feed_list = self.query_one(FeedList)
        feed_list.show_feeds(message.listing, select=message.select)
        selection = feed_list.selection or ALL
        self._title_articles(selection)
        self.query_one(FeedInfo).show(feed_list.selected_feed, self.app.clock())
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
        if message.reading.article.id == self.opened:  # not one the user has left
            self.query_one(ReadingPane).show(
                message.reading, loading_page=message.loading_page, versions=message.versions
            )

    def on_story_loaded(self, message: StoryLoaded) -> None:
        if message.article_id == self.opened:
            self.query_one(ReadingPane).show_story(message.summary, message.sources)

    def on_refresh_progressed(self, message: RefreshProgressed) -> None:
        self.query_one(RefreshBar).show_progress(message.progress)

    def on_refresh_finished(self, message: RefreshFinished) -> None:
        report = message.report
        if not message.background or report.new_articles:
            # A timed refresh that brought nothing is not worth a word.
            summary = f"{report.new_articles} new articles from {len(report.outcomes)} feeds"
            if report.failed:
                summary += f"; {report.failed} failed (marked ! in the feed list)"
            if report.sync_error:
                # One clause with the reason: offline reads as such, and a login the
                # server no longer takes says to run `sync setup` (or nobody would).
                reason = one_line(report.sync_error)
                summary += f"; sync: {reason} ({report.sync_pending} changes wait)"
            severity = "warning" if report.failed else "information"
            self.notify(summary, title="Refreshed", severity=severity, timeout=5)
        self.reload()  # feed errors and next times change even then

    def on_worker_state_changed(self, event: Worker.StateChanged) -> None:
        """Failures in workers become a notification, never a crash or a traceback."""
        if event.worker.group == "refresh" and event.worker.is_finished:
            self.refreshing = False
        if event.state != WorkerState.ERROR:
            return
        if event.worker.group == "articles":
            self.query_one(ArticleList).pending = None  # the next move asks again
        error = event.worker.error
        if isinstance(error, BroadsheetError):
            message = error.message
        else:
            message = f"unexpected error: {type(error).__name__}: {error}"
        self.notify(one_line(message), title="Problem", severity="error", timeout=8)

    def show_selection(self, selection: Selection, *, keep: int | None = None) -> None:
        self._title_articles(selection)
        self.load_page(self.query_one(ArticleList).start(selection, keep=keep))

    def _title_articles(self, selection: Selection) -> None:
        # Text, not str: a str title is read as markup, and feed titles are untrusted.
        title = Text(selection.title(self.query_one(FeedList).feeds))
        self.query_one("#articles-pane").border_title = title

    def reload(self) -> None:
        """Read feeds and the current article list again, keeping the user's place."""
        self.load_feeds()
        if (request := self.query_one(ArticleList).reread()) is not None:
            self.load_page(request)

    # -- refreshing ----------------------------------------------------------------

    def auto_refresh(self) -> None:
        if not self.refreshing:
            self.start_refresh(None, force=False)

    def start_refresh(self, feed_url: str | None, *, force: bool = True) -> None:
        self.refreshing = True
        self.run_refresh(feed_url, force=force)

    def watch_refreshing(self, refreshing: bool) -> None:
        self.query_one(RefreshBar).display = refreshing
        self.refresh_bindings()

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action in ("refresh_feed", "refresh_all") and self.refreshing:
            return None  # shown dimmed while a refresh runs
        return True
