"""The reading pane: header, a slot for the summary and quotes, then the article text."""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING, ClassVar

from rich.style import Style
from rich.text import Text
from textual.app import ComposeResult
from textual.containers import VerticalScroll
from textual.widgets import Static

from ..core.models import Article, Quote, Summary
from ..core.reading import Reading

if TYPE_CHECKING:  # not at start-up: the story summary brings NumPy and the scorer
    from ..core.stories.summary import StoryQuote, StorySummary
from ..core.textsafe import one_line


def render_header(article: Article) -> Text:
    """Title, feed, author, date, reading time and link, built as Text: feed text never
    becomes markup."""
    header = Text()
    header.append(one_line(article.title) or "(untitled)", style="bold")
    header.append("\n")
    meta = [one_line(article.feed_title)]
    if article.author:
        meta.append(one_line(article.author))
    when = article.published or article.first_seen
    if when:
        meta.append(when.astimezone().strftime("%a %d %b %Y %H:%M"))
    if article.words:
        meta.append(f"{article.reading_minutes} min read")
    header.append(" · ".join(meta), style="dim")
    if article.link:
        header.append("\n")
        header.append(one_line(article.link), style="dim underline")
    return header


def render_versions(article: Article, versions: Sequence[Article]) -> Text:
    """The story's other versions: feed, title and time of each (] opens the next)."""
    listing = Text()
    others = [v for v in versions if v.id != article.id]
    listing.append(
        f"Also from {len(others)} other source{'s' if len(others) != 1 else ''}", style="bold"
    )
    listing.append("  (] opens the next)\n", style="dim")
    for version in versions:
        when = version.published or version.first_seen
        mark = "▸ " if version.id == article.id else "  "
        listing.append(mark + one_line(version.feed_title), style="bold" if mark.strip() else "")
        listing.append(" · " + (one_line(version.title) or "(untitled)"))
        if when:
            listing.append(" · " + when.astimezone().strftime("%a %d %b %H:%M"), style="dim")
        listing.append("\n")
    listing.rstrip()
    return listing


def render_body(
    text: str,
    quotes: Sequence[Quote] = (),
    *,
    summary_spans: Sequence[tuple[int, int]] = (),
    quote_style: Style | str = "italic bold",
    summary_style: Style | str = "underline",
) -> Text:
    """The article text with each direct quotation, and any summary sentence, highlighted."""
    if not text:
        return Text("(this article has no text)", style="dim")
    body = Text(text)
    for start, end in summary_spans:
        body.stylize(summary_style, start, end)
    for quote in quotes:
        # a quotation broken by its attribution: the pieces, not the words between
        for start, end in quote.spans():
            body.stylize(quote_style, start, end)
    return body


def render_summary(summary: Summary | StorySummary, heading: str = "Summary") -> Text:
    """The gist: the summary's sentences in article order."""
    box = Text()
    box.append(heading + "\n", style="bold")
    for sentence in summary.sentences:
        box.append("• ", style="bold")
        # A sentence from a list item already starts with its own bullet.
        box.append(one_line(sentence).removeprefix("• ") + "\n")
    box.rstrip()
    return box


def short_speaker(speaker: str) -> str:
    """The name without a trailing description: "Ana Lopes, who led the work" -> "Ana Lopes"."""
    name = one_line(speaker)
    head, comma, rest = name.partition(", ")
    return head if comma and rest[:1].islower() else name


def render_quotes(quotes: Sequence[Quote], *, limit: int = 12) -> Text:
    """Who said what: one line per quotation, speaker first."""
    listing = Text()
    listing.append("Quotes\n", style="bold")
    for quote in quotes[:limit]:
        speaker = short_speaker(quote.speaker) if quote.speaker else "unattributed"
        # a quotation broken by its attribution is shown as its pieces
        words = "” … “".join(one_line(piece) for piece in quote.piece_texts())
        if len(words) > 160:
            words = words[:159] + "…"
        listing.append(f"{speaker}: ", style="bold")
        listing.append(f"“{words}”\n", style="italic")
    if len(quotes) > limit:
        listing.append(f"… and {len(quotes) - limit} more, highlighted in the text\n", style="dim")
    return listing


def render_story_quotes(quotes: Sequence[StoryQuote], *, limit: int = 12) -> Text:
    """Each quotation of a story once, with how many of its sources carry it."""
    listing = Text()
    listing.append("Quotes\n", style="bold")
    for quote in quotes[:limit]:
        speaker = short_speaker(quote.speaker) if quote.speaker else "unattributed"
        words = one_line(quote.text)
        if len(words) > 160:
            words = words[:159] + "…"
        listing.append(f"{speaker}: ", style="bold")
        listing.append(f"“{words}”", style="italic")
        count = len(quote.articles)
        listing.append(f"  {count} source{'s' if count != 1 else ''}\n", style="dim")
    listing.rstrip()
    return listing


class ReadingPane(VerticalScroll, can_focus=True):
    """Scrollable article view; summary and quotes fill their slots when available."""

    COMPONENT_CLASSES: ClassVar[set[str]] = {"reading-pane--quote", "reading-pane--summary"}
    """Styles (in app.tcss, so themes apply) for quotations and summary sentences."""

    plain_text: str = ""
    """What the pane shows, as plain text (for tests and copying)."""
    highlight_summary: bool = False
    """Whether the summary's sentences are also marked in the article text."""
    _reading: Reading | None = None
    versions: tuple[Article, ...] = ()
    """The story of the article shown: every version, oldest first (or none)."""

    def compose(self) -> ComposeResult:
        yield Static(
            Text("Select an article and press Enter to read it.", style="dim"), id="article-header"
        )
        yield Static(id="article-versions")
        yield Static(id="article-summary")
        yield Static(id="article-quotes")
        yield Static(id="article-body")

    def on_mount(self) -> None:
        self.query_one("#article-summary").display = False
        self.query_one("#article-quotes").display = False
        self.query_one("#article-versions").display = False
        self.watch(self.app, "theme", self._theme_changed, init=False)

    def _theme_changed(self, _theme: str) -> None:
        # The text keeps the styles it was drawn with; draw it again in the new theme's.
        self.call_after_refresh(self._render_text)

    def show(
        self, reading: Reading, *, loading_page: bool = False, versions: Sequence[Article] = ()
    ) -> None:
        """Show an article (and the other versions of its story); shown again with its
        page's text, it keeps the scroll."""
        header = render_header(reading.article)
        self.versions = tuple(versions)
        versions_box = self.query_one("#article-versions", Static)
        listed = render_versions(reading.article, versions) if len(versions) > 1 else Text()
        versions_box.display = bool(listed.plain)
        versions_box.update(listed)
        if reading.source == "page":
            header.append("\nfull text from the article's page", style="dim italic")
        elif loading_page:
            header.append("\nfetching the full text from the article's page…", style="dim italic")
        elif reading.error:
            # The page failed or used up the deadline: say so, not just stop "fetching…".
            note = f"\nthe feed's text: the article's page failed ({one_line(reading.error)})"
            header.append(note, style="dim italic")
        summary_box = self.query_one("#article-summary", Static)
        summary = render_summary(reading.summary) if reading.summary else Text()
        summary_box.display = bool(summary.plain)
        summary_box.update(summary)
        quote_list = self.query_one("#article-quotes", Static)
        quote_list.display = bool(reading.quotes)
        listing = render_quotes(reading.quotes) if reading.quotes else Text()
        quote_list.update(listing)
        self.plain_text = "\n\n".join(
            part
            for part in (header.plain, listed.plain, summary.plain, listing.plain, reading.text)
            if part
        )
        self.query_one("#article-header", Static).update(header)
        same = self._reading is not None and self._reading.article.id == reading.article.id
        self._reading = reading
        self._render_text()
        if not same:
            self.scroll_home(animate=False)

    def show_story(self, summary: StorySummary, sources: int) -> None:
        """Put the story's summary (from all its versions) and its quotes, each listed
        once with the sources carrying it, in place of the article's own."""
        if self._reading is None or not summary.sentences:
            return
        box = render_summary(summary, f"Summary of {sources} sources")
        self.query_one("#article-summary", Static).update(box)
        self.query_one("#article-summary").display = True
        if summary.quotes:
            self.query_one("#article-quotes", Static).update(render_story_quotes(summary.quotes))
            self.query_one("#article-quotes").display = True

    def next_version(self) -> int | None:
        """The id of the story's version after the one shown (round to the first)."""
        if self._reading is None or len(self.versions) < 2:
            return None
        ids = [v.id for v in self.versions]
        current = self._reading.article.id
        at = ids.index(current) if current in ids else -1
        return ids[(at + 1) % len(ids)]

    def set_highlight_summary(self, on: bool) -> None:
        """Mark (or stop marking) the summary's sentences in the text, keeping the scroll."""
        self.highlight_summary = on
        if self._reading is not None:
            self._render_text()

    def _render_text(self) -> None:
        reading = self._reading
        if reading is None:
            return
        spans = reading.summary.spans if reading.summary and self.highlight_summary else ()
        body = render_body(
            reading.text,
            reading.quotes,
            summary_spans=spans,
            quote_style=self.get_component_rich_style("reading-pane--quote", partial=True),
            # Not partial: a translucent background is blended with the pane's own.
            summary_style=self.get_component_rich_style("reading-pane--summary"),
        )
        self.query_one("#article-body", Static).update(body)

    def show_message(self, message: str) -> None:
        """A line in place of an article; the last article's summary and quotes go too."""
        self._reading = None
        self.versions = ()
        self.plain_text = message
        self.query_one("#article-header", Static).update(Text(message, style="dim"))
        for slot in ("#article-versions", "#article-summary", "#article-quotes", "#article-body"):
            self.query_one(slot, Static).update("")
        self.query_one("#article-versions").display = False
        self.query_one("#article-summary").display = False
        self.query_one("#article-quotes").display = False
