"""Articles of the selection, newest first, paged in from the store as you scroll.

An ``OptionList`` renders only the lines on screen, and pages of ``PAGE_SIZE`` arrive
from keyset queries, so a feed of 100,000 articles opens as fast as one of 100. The
list remembers the one page it waits for: a page that comes back after a newer one
was asked for (another feed, G, a reload) is dropped, never added twice.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import replace
from datetime import UTC, datetime
from typing import ClassVar

from rich.text import Text
from textual import on
from textual.binding import Binding, BindingType
from textual.message import Message
from textual.widgets import OptionList
from textual.widgets.option_list import Option

from ..core.models import Article
from ..core.store import PageCursor
from ..core.textsafe import one_line
from ..library import PAGE_SIZE, ArticlePage, PageRequest
from ..selection import Selection
from .rows import RowList

Clock = Callable[[], datetime]


def relative_date(when: datetime | None, now: datetime) -> str:
    """``5m``, ``3h``, ``2d`` for the last month, then the date."""
    if when is None:
        return ""
    seconds = (now - when).total_seconds()
    if seconds < 60:
        return "now"
    if seconds < 3600:
        return f"{int(seconds // 60)}m"
    if seconds < 86400:
        return f"{int(seconds // 3600)}h"
    if seconds < 30 * 86400:
        return f"{int(seconds // 86400)}d"
    return when.astimezone().strftime("%Y-%m-%d")


def article_prompt(
    article: Article,
    *,
    show_feed: bool,
    now: datetime,
    note: str = "",
    sources: int = 0,
    marked: bool = False,
) -> Text:
    """One line: unread dot, bookmark star, how many other sources carry the story
    ("+2"), title, then feed, age and reading time dimmed, then a note. A marked row's
    title is reversed."""
    prompt = Text(no_wrap=True, overflow="ellipsis")
    prompt.append("●" if not article.read else " ", style="bold")
    prompt.append("★ " if article.bookmarked else "  ", style="bold")
    if sources > 1:  # before the title, so a long one cannot push it out of sight
        prompt.append(f"+{sources - 1} ", style="bold italic")
    style = ("" if article.read else "bold") + (" reverse" if marked else "")
    prompt.append(one_line(article.title) or "(untitled)", style=style.strip())
    details = [relative_date(article.published or article.first_seen, now)]
    if show_feed:
        details.insert(0, one_line(article.feed_title))
    if article.words:
        details.append(f"{article.reading_minutes} min")
    prompt.append("  " + " · ".join(d for d in details if d), style="dim")
    if note:  # on a line of its own, so a long title cannot push it out of sight
        prompt.append("\n     ✎ ", style="dim")
        prompt.append(one_line(note), style="italic")
    return prompt


class ArticleList(RowList):
    """The articles of one selection, a page at a time; pages are asked for by message.

    A story (the same event from several feeds) is listed once, at its newest version,
    with how many sources carry it. Rows can be marked (space, or v and move) for m, b,
    s and A to act on all of them.
    """

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("space", "toggle_mark", "Mark row", show=False, id="toggle_mark"),
        Binding("v", "mark_range", "Mark range", show=False, id="mark_range"),
    ]

    PAGE_SIZE = PAGE_SIZE
    """How many articles one store query brings."""
    NEAR_END = 20
    """Rows from the end at which the next page is asked for."""

    class Opened(Message):
        """Enter on an article (or n/p moved to it): show it and mark it read."""

        def __init__(self, article_list: ArticleList, index: int) -> None:
            super().__init__()
            self.article_list = article_list
            self.index = index

        @property
        def control(self) -> ArticleList:
            return self.article_list

    class Highlighted(Message):
        """The cursor moved to another article."""

        def __init__(self, article_list: ArticleList, article: Article) -> None:
            super().__init__()
            self.article_list = article_list
            self.article = article

        @property
        def control(self) -> ArticleList:
            return self.article_list

    class NearEnd(Message):
        """The cursor came near the last loaded article: ``request`` is the next page."""

        def __init__(self, article_list: ArticleList, request: PageRequest) -> None:
            super().__init__()
            self.article_list = article_list
            self.request = request

        @property
        def control(self) -> ArticleList:
            return self.article_list

    def __init__(self, *args, clock: Clock | None = None, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.articles: list[Article] = []
        self.selection: Selection | None = None
        """The feed-list selection these articles belong to."""
        self.pending: PageRequest | None = None
        """The page asked for last and not yet shown; only that page is taken."""
        self.exhausted = False
        self.clock: Clock = clock or (lambda: datetime.now(UTC))
        self.notes: dict[int, str] = {}
        """Bookmark notes by article id, when known (the Bookmarked view loads them)."""
        self.sources: dict[int, int] = {}
        """How many articles each listed story has, by story id."""
        self.marked: set[int] = set()
        """Ids of the rows marked for a mass action."""
        self.anchor: int | None = None
        """Where ``v`` started a range (rows from it to the cursor are marked)."""
        self._before_range: set[int] = set()

    @property
    def key(self) -> str | None:
        return self.selection.key if self.selection else None

    def _prompt(self, article: Article) -> Text:
        selection = self.selection
        note = self.notes.get(article.id, "") if article.bookmarked else ""
        show_feed = selection.shows_feed if selection else True
        prompt = article_prompt(
            article,
            show_feed=show_feed,
            now=self.clock(),
            note=note,
            sources=self.sources.get(article.story, 0) if article.story is not None else 0,
            marked=article.id in self.marked,
        )
        if selection is not None and (words := selection.search_words):
            prompt.highlight_words(words, "reverse", case_sensitive=False)
        return prompt

    # -- pages ---------------------------------------------------------------------

    def _ask(self, request: PageRequest) -> PageRequest:
        self.pending = request  # any page asked for before is no longer wanted
        return request

    def start(self, selection: Selection, *, keep: int | None = None) -> PageRequest:
        """Empty the list for ``selection``; returns the request for its first page."""
        self.selection = selection
        self.articles = []
        self.exhausted = False
        self.clear_marks(redraw=False)
        self.clear_options()
        return self._ask(PageRequest(selection, keep=keep))

    def reread(self) -> PageRequest | None:
        """The request that reads the list again as far as it goes, keeping the cursor."""
        if self.selection is None:
            return None
        current = self.current
        limit = max(self.PAGE_SIZE, len(self.articles))
        keep = current.id if current else None
        return self._ask(PageRequest(self.selection, limit=limit, keep=keep))

    def rest(self) -> PageRequest | None:
        """The request for every article after the loaded ones (G), if there are more."""
        if self.selection is None or self.exhausted or not self.articles:
            return None
        return self._ask(PageRequest(self.selection, self._end, to_end=True))

    @property
    def _end(self) -> PageCursor | None:
        if not self.articles:
            return None
        last = self.articles[-1]
        return (last.sort_time, last.id)

    def show_page(self, page: ArticlePage) -> bool:
        """Show a page if it is the one asked for last; False when it came too late."""
        request = page.request
        if request is not self.pending:
            return False
        self.pending = None
        self.notes.update(page.notes)
        append = request.after is not None
        scroll_y = self.scroll_y
        if not append:
            self.articles = []
            self.clear_options()
        self.sources.update(page.sources)
        # A story is listed once, at its newest version (lists are newest first).
        shown = {a.story for a in self.articles if a.story is not None}
        fresh = []
        for article in page.articles:
            if article.story is not None and self.sources.get(article.story, 0) > 1:
                if article.story in shown:
                    continue
                shown.add(article.story)
            fresh.append(article)
        self.articles.extend(fresh)
        self.exhausted = page.exhausted
        self.add_options(Option(self._prompt(a), id=f"article-{a.id}") for a in fresh)
        if request.to_end and self.articles:
            self.highlighted = len(self.articles) - 1
        elif not append:
            index = self.index_of(request.keep) if request.keep is not None else None
            if index is not None:
                self.highlighted = index
                self.scroll_to(y=scroll_y, animate=False, immediate=True)
            elif page.articles:
                self.highlighted = 0
        return True

    def index_of(self, article_id: int) -> int | None:
        for index, article in enumerate(self.articles):
            if article.id == article_id:
                return index
        return None

    @property
    def current(self) -> Article | None:
        index = self.highlighted
        if index is None or not 0 <= index < len(self.articles):
            return None
        return self.articles[index]

    def update_article(self, index: int, **changes: object) -> Article:
        """Change an article's flags (read, bookmarked) and redraw its line."""
        article = replace(self.articles[index], **changes)  # type: ignore[arg-type]
        self.articles[index] = article
        self.replace_option_prompt_at_index(index, self._prompt(article))
        return article

    def unread_from(self, step: int) -> int | None:
        """The article under the cursor if unread, else the next unread one going ``step``."""
        start = self.highlighted if self.highlighted is not None else -1
        current = self.current
        if current is not None and not current.read:
            return start  # "the next thing I have not read" starts here
        index = start + step
        while 0 <= index < len(self.articles):
            if not self.articles[index].read:
                return index
            index += step
        return None

    def toggle(self, flag: str) -> Article | None:
        """Flip ``read`` or ``bookmarked`` of the article under the cursor; the new one."""
        index, article = self.highlighted, self.current
        if index is None or article is None:
            return None
        return self.update_article(index, **{flag: not getattr(article, flag)})

    def set_note(self, article_id: int, note: str) -> None:
        """Show a bookmark's new note, if the article is still listed."""
        if (index := self.index_of(article_id)) is not None:
            self.notes[article_id] = note
            self.update_article(index, bookmarked=True)

    # -- marking rows for mass actions ----------------------------------------------

    def action_toggle_mark(self) -> None:
        """space: mark or unmark the row under the cursor, and move on."""
        if (article := self.current) is None:
            return
        self.anchor = None
        self.marked ^= {article.id}
        self._redraw(self.highlighted)
        self.action_cursor_down()

    def action_mark_range(self) -> None:
        """v: start marking from here (moving marks every row passed), or stop."""
        if self.anchor is not None or self.highlighted is None:
            self.anchor = None
            return
        self.anchor = self.highlighted
        self._before_range = set(self.marked)
        self._mark_to(self.highlighted)

    def _mark_to(self, index: int | None) -> None:
        if self.anchor is None or index is None:
            return
        low, high = sorted((self.anchor, index))
        wanted = self._before_range | {self.articles[i].id for i in range(low, high + 1)}
        changed = self.marked ^ wanted
        self.marked = wanted
        for i, article in enumerate(self.articles):
            if article.id in changed:
                self._redraw(i)

    def marked_articles(self) -> list[Article]:
        """The marked rows, in list order."""
        return [a for a in self.articles if a.id in self.marked]

    def clear_marks(self, *, redraw: bool = True) -> bool:
        """Unmark every row; False if none was marked."""
        had = bool(self.marked)
        ids, self.marked, self.anchor = self.marked, set(), None
        if redraw:
            for i, article in enumerate(self.articles):
                if article.id in ids:
                    self._redraw(i)
        return had

    def _redraw(self, index: int | None) -> None:
        if index is not None and 0 <= index < len(self.articles):
            self.replace_option_prompt_at_index(index, self._prompt(self.articles[index]))

    def set_read(self, article_ids: set[int], read: bool) -> None:
        """Show these articles as read (or unread), where listed."""
        for i, article in enumerate(self.articles):
            if article.id in article_ids and article.read != read:
                self.update_article(i, read=read)

    # -- what happened -------------------------------------------------------------

    @on(OptionList.OptionHighlighted)
    def _highlighted(self, event: OptionList.OptionHighlighted) -> None:
        event.stop()
        index = event.option_index
        self._mark_to(index)
        near_end = index >= len(self.articles) - self.NEAR_END
        if near_end and self.pending is None and not self.exhausted and self.selection:
            request = self._ask(PageRequest(self.selection, self._end))
            self.post_message(self.NearEnd(self, request))
        if (article := self.current) is not None:
            self.post_message(self.Highlighted(self, article))

    @on(OptionList.OptionSelected)
    def _selected(self, event: OptionList.OptionSelected) -> None:
        event.stop()
        self.post_message(self.Opened(self, event.option_index))
