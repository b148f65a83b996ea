"""Articles of the selected feed, newest first, paged in from the store as you scroll."""

from __future__ import annotations

from datetime import UTC, datetime

from rich.text import Text
from textual.widgets import OptionList
from textual.widgets.option_list import Option

from ..core.models import Article
from ..core.textsafe import one_line


def relative_date(when: datetime | None, now: datetime | None = None) -> str:
    if when is None:
        return ""
    seconds = ((now or datetime.now(UTC)) - when).total_seconds()
    if seconds < 60:
        return "now"
    for unit, size in (("m", 60), ("h", 3600), ("d", 86400)):
        if seconds < size * (60 if unit == "m" else 24 if unit == "h" else 30):
            return f"{int(seconds // size)}{unit}"
    return when.astimezone().strftime("%Y-%m-%d")


def article_prompt(article: Article, *, show_feed: bool) -> Text:
    prompt = Text(no_wrap=True, overflow="ellipsis")
    prompt.append("● " if not article.read else "  ", style="bold")
    prompt.append(one_line(article.title) or "(untitled)", style="" if article.read else "bold")
    details = [relative_date(article.published or article.first_seen)]
    if show_feed:
        details.insert(0, one_line(article.feed_title))
    prompt.append("  " + " · ".join(d for d in details if d), style="dim")
    return prompt


class ArticleList(OptionList):
    """One option per loaded article; more pages are asked for near the end."""

    PAGE_SIZE = 200
    """How many articles one store query brings."""

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.articles: list[Article] = []
        self.exhausted = False
        self.show_feed = True

    def show_articles(self, articles: list[Article], *, append: bool) -> None:
        if not append:
            self.articles = []
            self.clear_options()
        self.articles.extend(articles)
        self.exhausted = len(articles) < self.PAGE_SIZE
        self.add_options(
            Option(article_prompt(a, show_feed=self.show_feed), id=f"article-{a.id}")
            for a in articles
        )
        if not append and articles:
            self.highlighted = 0

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

    def mark_read(self, index: int) -> None:
        article = self.articles[index]
        if article.read:
            return
        from dataclasses import replace

        self.articles[index] = replace(article, read=True)
        self.replace_option_prompt_at_index(
            index, article_prompt(self.articles[index], show_feed=self.show_feed)
        )
