"""Articles of the selection, newest first, paged in from the store as you scroll.

An ``OptionList`` renders only the lines on screen, and pages of ``PAGE_SIZE`` arrive
from keyset queries, so a feed of 100,000 articles opens as fast as one of 100.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import replace
from datetime import UTC, datetime

from rich.text import Text
from textual.widgets.option_list import Option

from ..core.models import Article
from ..core.textsafe import one_line
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


def article_prompt(article: Article, *, show_feed: bool, now: datetime, note: str = "") -> Text:
    """One line: unread dot, bookmark star, title, then feed and age dimmed, then a note."""
    prompt = Text(no_wrap=True, overflow="ellipsis")
    prompt.append("●" if not article.read else " ", style="bold")
    prompt.append("★ " if article.bookmarked else "  ", style="bold")
    prompt.append(one_line(article.title) or "(untitled)", style="" if article.read else "bold")
    details = [relative_date(article.published or article.first_seen, now)]
    if show_feed:
        details.insert(0, one_line(article.feed_title))
    prompt.append("  " + " · ".join(d for d in details if d), style="dim")
    if note:  # on a line of its own, so a long title cannot push it out of sight
        prompt.append("\n     ✎ ", style="dim")
        prompt.append(one_line(note), style="italic")
    return prompt


class ArticleList(RowList):
    """One option per loaded article; the screen asks for more pages near the end."""

    PAGE_SIZE = 200
    """How many articles one store query brings."""

    def __init__(self, *args, clock: Clock | None = None, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.articles: list[Article] = []
        self.key: str | None = None
        """The feed-list selection these articles belong to."""
        self.exhausted = False
        self.show_feed = True
        self.clock: Clock = clock or (lambda: datetime.now(UTC))
        self.highlight: list[str] = []
        """Search words to mark in the titles."""
        self.notes: dict[int, str] = {}
        """Bookmark notes by article id, when known (the Bookmarked view loads them)."""

    def _prompt(self, article: Article) -> Text:
        note = self.notes.get(article.id, "") if article.bookmarked else ""
        prompt = article_prompt(article, show_feed=self.show_feed, now=self.clock(), note=note)
        if self.highlight:
            prompt.highlight_words(self.highlight, "reverse", case_sensitive=False)
        return prompt

    def show_articles(
        self, articles: list[Article], *, append: bool, exhausted: bool, keep: int | None = None
    ) -> None:
        """Show a first page (or append the next); ``keep`` re-highlights an article id."""
        scroll_y = self.scroll_y
        if not append:
            self.articles = []
            self.clear_options()
        self.articles.extend(articles)
        self.exhausted = exhausted
        self.add_options(Option(self._prompt(a), id=f"article-{a.id}") for a in articles)
        if append:
            return
        index = self.index_of(keep) if keep is not None else None
        if index is not None:
            self.highlighted = index
            self.scroll_to(y=scroll_y, animate=False, immediate=True)
        elif articles:
            self.highlighted = 0

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

    @property
    def next_page_cursor(self) -> tuple[int, int] | None:
        if self.exhausted or not self.articles:
            return None
        last = self.articles[-1]
        return (last.sort_time, last.id)

    def update_article(self, index: int, **changes: object) -> Article:
        """Change an article's flags (read, bookmarked) and redraw its line."""
        article = replace(self.articles[index], **changes)  # type: ignore[arg-type]
        self.articles[index] = article
        self.replace_option_prompt_at_index(index, self._prompt(article))
        return article

    def find_unread(self, start: int, step: int) -> int | None:
        index = start + step
        while 0 <= index < len(self.articles):
            if not self.articles[index].read:
                return index
            index += step
        return None
