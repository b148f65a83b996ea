"""The main screen: feeds | articles | reading pane."""

from __future__ import annotations

from typing import TYPE_CHECKING, ClassVar

from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal
from textual.screen import Screen
from textual.widgets import Footer, Header, OptionList, ProgressBar, Static
from textual.worker import Worker, WorkerState, get_current_worker

from ..core.errors import BroadsheetError
from ..core.extract import clean_text
from ..core.store import ArticleFilter
from ..core.textsafe import one_line
from ..messages import (
    ArticleLoaded,
    ArticlesLoaded,
    FeedsLoaded,
    RefreshFinished,
    RefreshProgressed,
)
from ..widgets.article_list import ArticleList
from ..widgets.feed_list import ALL_ARTICLES, FeedList
from ..widgets.reading_pane import ReadingPane

if TYPE_CHECKING:
    from ..app import BroadsheetApp


class MainScreen(Screen[None]):
    """Three panes side by side; all data comes from workers."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("j", "cursor_down", "Down", show=False, id="down"),
        Binding("k", "cursor_up", "Up", show=False, id="up"),
        Binding("r", "refresh_feed", "Refresh feed", id="refresh_feed"),
        Binding("R", "refresh_all", "Refresh all", id="refresh_all"),
    ]

    app: BroadsheetApp

    def compose(self) -> ComposeResult:
        yield Header()
        with Horizontal(id="panes"):
            yield FeedList(id="feeds")
            yield ArticleList(id="articles")
            yield ReadingPane(id="reader")
        yield ProgressBar(id="refresh-progress", show_eta=False)
        yield Static(id="status")
        yield Footer()

    def on_mount(self) -> None:
        self.query_one("#feeds").border_title = "Feeds"
        self.query_one("#articles").border_title = "Articles"
        self.query_one("#reader").border_title = "Reading"
        self.query_one("#refresh-progress").display = False
        self.load_feeds()

    # -- loading ---------------------------------------------------------------

    @work(thread=True, exclusive=True, group="feeds", exit_on_error=False)
    def load_feeds(self) -> None:
        with self.app.database() as store:
            feeds = store.feeds()
        self.post_message(FeedsLoaded(feeds))

    @work(thread=True, exclusive=True, group="articles", exit_on_error=False)
    def load_articles(self, key: str, after: tuple[int, int] | None = None) -> None:
        which = ArticleFilter() if key == ALL_ARTICLES else ArticleFilter(feed_id=_feed_id(key))
        with self.app.database() as store:
            articles = store.articles(which, limit=ArticleList.PAGE_SIZE, after=after)
        if not get_current_worker().is_cancelled:
            self.post_message(ArticlesLoaded(key, articles, append=after is not None))

    @work(thread=True, exclusive=True, group="article", exit_on_error=False)
    def load_article(self, article_id: int) -> None:
        with self.app.database() as store:
            article = store.article(article_id)
            if not article.read:
                store.set_read([article_id])
        text = clean_text(article.body_html)
        if not get_current_worker().is_cancelled:
            self.post_message(ArticleLoaded(article, text))

    def on_feeds_loaded(self, message: FeedsLoaded) -> None:
        feed_list = self.query_one(FeedList)
        before = feed_list.highlighted_option.id if feed_list.highlighted_option else None
        feed_list.show_feeds(message.feeds)
        after = feed_list.highlighted_option.id if feed_list.highlighted_option else None
        if after != before or not self.query_one(ArticleList).articles:
            self._show_feed(after or ALL_ARTICLES)

    def on_articles_loaded(self, message: ArticlesLoaded) -> None:
        article_list = self.query_one(ArticleList)
        if message.key != getattr(article_list, "key", None):
            return  # the user moved on to another feed meanwhile
        article_list.show_articles(message.articles, append=message.append)

    def on_article_loaded(self, message: ArticleLoaded) -> None:
        self.query_one(ReadingPane).show(message.article, message.text)

    def _show_feed(self, key: str) -> None:
        article_list = self.query_one(ArticleList)
        article_list.key = key
        article_list.show_feed = key == ALL_ARTICLES
        self.load_articles(key)

    # -- user actions -----------------------------------------------------------

    @on(OptionList.OptionHighlighted, "#feeds")
    def feed_highlighted(self, event: OptionList.OptionHighlighted) -> None:
        if event.option.id and event.option.id != getattr(self.query_one(ArticleList), "key", None):
            self._show_feed(event.option.id)

    @on(OptionList.OptionHighlighted, "#articles")
    def article_highlighted(self, event: OptionList.OptionHighlighted) -> None:
        article_list = self.query_one(ArticleList)
        cursor = article_list.next_page_cursor
        if cursor is not None and event.option_index >= len(article_list.articles) - 20:
            self.load_articles(article_list.key, after=cursor)

    @on(OptionList.OptionSelected, "#feeds")
    def feed_selected(self) -> None:
        self.query_one(ArticleList).focus()

    @on(OptionList.OptionSelected, "#articles")
    def article_selected(self, event: OptionList.OptionSelected) -> None:
        article_list = self.query_one(ArticleList)
        article = article_list.current
        if article is not None:
            article_list.mark_read(event.option_index)
            self.load_article(article.id)

    def action_cursor_down(self) -> None:
        self._focused_list_action("action_cursor_down", "scroll_down")

    def action_cursor_up(self) -> None:
        self._focused_list_action("action_cursor_up", "scroll_up")

    def _focused_list_action(self, list_action: str, scroll_action: str) -> None:
        focused = self.focused
        if isinstance(focused, OptionList):
            getattr(focused, list_action)()
        elif isinstance(focused, ReadingPane):
            getattr(focused, scroll_action)()

    # -- refresh ----------------------------------------------------------------

    def action_refresh_all(self) -> None:
        self.run_refresh(None)

    def action_refresh_feed(self) -> None:
        option = self.query_one(FeedList).highlighted_option
        feed_id = _feed_id(option.id) if option and option.id != ALL_ARTICLES else None
        self.run_refresh(feed_id)

    @work(thread=True, exclusive=True, group="refresh", exit_on_error=False)
    def run_refresh(self, feed_id: int | None) -> None:
        from ..core.update import open_store, refresh

        # The refresh writes for a long time: it gets a connection of its own so the
        # panes can keep reading (WAL) through the UI's connection meanwhile.
        with open_store(self.app.config.database_path) as store:
            feeds = [store.feed(feed_id)] if feed_id is not None else store.feeds()
            report = refresh(
                store,
                feeds,
                fetch=self.app.config.fetch,
                parse=self.app.config.parse,
                force=feed_id is not None,
                progress=lambda progress: self.post_message(RefreshProgressed(progress)),
            )
        self.post_message(RefreshFinished(report))

    def on_refresh_progressed(self, message: RefreshProgressed) -> None:
        progress = message.progress
        bar = self.query_one("#refresh-progress", ProgressBar)
        bar.display = True
        bar.update(total=max(progress.total, 1), progress=progress.done)
        status = f"Refreshing {progress.done}/{progress.total} · {progress.new_articles} new"
        if progress.errors:
            status += f" · {progress.errors} failed"
        self.query_one("#status", Static).update(status)

    def on_refresh_finished(self, message: RefreshFinished) -> None:
        report = message.report
        self.query_one("#refresh-progress").display = False
        status = f"{report.new_articles} new articles from {len(report.outcomes)} feeds"
        if report.failed:
            status += f" · {report.failed} failed"
        self.query_one("#status", Static).update(status)
        self.load_feeds()
        article_list = self.query_one(ArticleList)
        if report.new_articles and getattr(article_list, "key", None):
            self.load_articles(article_list.key)

    def on_worker_state_changed(self, event: Worker.StateChanged) -> None:
        """Failures in workers become a notification, never a crash or a traceback."""
        if event.state != WorkerState.ERROR:
            return
        error = event.worker.error
        message = (
            error.message if isinstance(error, BroadsheetError) else f"unexpected error: {error}"
        )
        self.notify(one_line(message), title="Problem", severity="error", timeout=8)
        if event.worker.group == "refresh":
            self.query_one("#refresh-progress").display = False
            self.query_one("#status", Static).update("Refresh failed")


def _feed_id(key: str) -> int:
    return int(key.removeprefix("feed-"))
