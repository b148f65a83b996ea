"""The reading pane: header, a slot for the summary and quotes, then the article text."""

from __future__ import annotations

from rich.console import Group
from rich.text import Text
from textual.app import ComposeResult
from textual.containers import VerticalScroll
from textual.widgets import Static

from ..core.models import Article
from ..core.textsafe import one_line


def render_header(article: Article) -> Text:
    """Title, feed, author, date and link, built as Text: feed text never becomes markup."""
    header = Text()
    header.append(one_line(article.title) or "(untitled)", style="bold")
    header.append("\n")
    meta = [one_line(article.feed_title)]
    if article.author:
        meta.append(one_line(article.author))
    when = article.published or article.first_seen
    if when:
        meta.append(when.astimezone().strftime("%a %d %b %Y %H:%M"))
    header.append(" · ".join(meta), style="dim")
    if article.link:
        header.append("\n")
        header.append(one_line(article.link), style="dim underline")
    return header


def render_body(text: str) -> Group:
    paragraphs = text.split("\n\n") if text else ["(this article has no text)"]
    parts: list[Text] = []
    for paragraph in paragraphs:
        parts.append(Text(paragraph))
        parts.append(Text(""))
    return Group(*parts)


class ReadingPane(VerticalScroll, can_focus=True):
    """Scrollable article view; summary and quotes fill their slots when available."""

    plain_text: str = ""
    """What the pane shows, as plain text (for tests and copying)."""

    def compose(self) -> ComposeResult:
        yield Static(
            Text("Select an article and press Enter to read it.", style="dim"), id="article-header"
        )
        yield Static(id="article-summary")
        yield Static(id="article-quotes")
        yield Static(id="article-body")

    def on_mount(self) -> None:
        self.query_one("#article-summary").display = False
        self.query_one("#article-quotes").display = False

    def show(self, article: Article, text: str) -> None:
        header = render_header(article)
        self.plain_text = header.plain + "\n\n" + text
        self.query_one("#article-header", Static).update(header)
        self.query_one("#article-body", Static).update(render_body(text))
        self.scroll_home(animate=False)

    def show_message(self, message: str) -> None:
        self.plain_text = message
        self.query_one("#article-header", Static).update(Text(message, style="dim"))
        self.query_one("#article-body", Static).update("")
