"""The reading pane: an article's header and its text as paragraphs."""

from __future__ import annotations

from rich.console import Group
from rich.text import Text
from textual.app import ComposeResult
from textual.containers import VerticalScroll
from textual.widgets import Static

from ..core.models import Article
from ..core.textsafe import one_line


def render_article(article: Article, text: str) -> Group:
    """Rich renderables built from Text objects: feed text never becomes markup."""
    title = Text(one_line(article.title) or "(untitled)", style="bold")
    meta = Text(style="dim")
    meta.append(one_line(article.feed_title))
    if article.author:
        meta.append(f" · {one_line(article.author)}")
    when = article.published or article.first_seen
    if when:
        meta.append(" · " + when.astimezone().strftime("%a %d %b %Y %H:%M"))
    parts: list[Text] = [title, meta]
    if article.link:
        parts.append(Text(one_line(article.link), style="dim underline"))
    parts.append(Text(""))
    for paragraph in text.split("\n\n") if text else ["(this article has no text)"]:
        parts.append(Text(paragraph))
        parts.append(Text(""))
    return Group(*parts)


class ReadingPane(VerticalScroll):
    """Scrollable article view."""

    plain_text: str = ""
    """What the pane shows, as plain text (for tests and copying)."""

    def compose(self) -> ComposeResult:
        yield Static(Text("Select an article to read it.", style="dim"), id="article-body")

    def show(self, article: Article, text: str) -> None:
        document = render_article(article, text)
        self.plain_text = "\n".join(part.plain for part in document.renderables)
        self.query_one("#article-body", Static).update(document)
        self.scroll_home(animate=False)
