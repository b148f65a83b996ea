"""HTML -> its text, as paragraphs: the one walk over markup that parse and extract share.

A ``Layout`` says which elements break the text into paragraphs and which are dropped
with everything inside them. ``PAGE`` is for article bodies and pages (``extract``);
``INLINE`` for the short fields of a feed, titles and author names (``parse``), which
keep everything but scripts and styles and become one line.
"""

from __future__ import annotations

import re
from html.parser import HTMLParser
from typing import NamedTuple


class Layout(NamedTuple):
    blocks: frozenset[str]
    """Elements that start and end a paragraph."""
    skipped: frozenset[str]
    """Elements dropped with their content."""
    bullets: bool
    """Whether a list item starts with "• "."""


PAGE = Layout(
    blocks=frozenset(
        "address article blockquote br dd div dl dt h1 h2 h3 h4 h5 h6 header hr li main ol "
        "p pre section table tr ul".split()
    ),
    # Content that is never article text.
    skipped=frozenset(
        "script style noscript template svg iframe object nav footer aside form button "
        "figcaption select textarea head".split()
    ),
    bullets=True,
)
INLINE = Layout(
    blocks=frozenset("br p div li tr td th h1 h2 h3 h4".split()),
    skipped=frozenset({"script", "style"}),
    bullets=False,
)

_VOID = frozenset("area base br col embed hr img input link meta source track wbr".split())
SPACES = re.compile(r"[ \t\f\v]+")
"""Runs of layout white space other than line breaks, as HTML collapses them. No-break
spaces are text ("100\u00a0km", French « guillemets »), not layout, and are kept."""


class HTMLText(HTMLParser):
    """Collects the text of the markup fed to it into ``paragraphs``."""

    def __init__(self, layout: Layout = PAGE) -> None:
        super().__init__(convert_charrefs=True)
        self.layout = layout
        self.paragraphs: list[str] = []
        self._current: list[str] = []
        self._skip_depth = 0
        self._pre_depth = 0

    def _flush(self) -> None:
        text = "".join(self._current)
        if not self._pre_depth:
            # Only layout white space is trimmed: a paragraph may open with an
            # ideographic space (Japanese indents so) or a no-break space.
            text = SPACES.sub(" ", text.replace("\n", " ")).strip(" ")
        if text.strip():
            self.paragraphs.append(text)
        self._current = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in self.layout.skipped:
            if tag not in _VOID:
                self._skip_depth += 1
            return
        if self._skip_depth:
            return
        if tag in self.layout.blocks:
            self._flush()
        if tag == "li" and self.layout.bullets:
            self._current.append("• ")
        elif tag == "pre":
            self._pre_depth += 1

    def handle_startendtag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in self.layout.blocks and not self._skip_depth:
            self._flush()

    def handle_endtag(self, tag: str) -> None:
        if tag in self.layout.skipped:
            self._skip_depth = max(0, self._skip_depth - 1)
            return
        if self._skip_depth:
            return
        if tag in self.layout.blocks:
            self._flush()
        if tag == "pre":
            self._pre_depth = max(0, self._pre_depth - 1)

    def handle_data(self, data: str) -> None:
        if not self._skip_depth:
            self._current.append(data)

    def close(self) -> None:
        super().close()
        self._flush()


def html_paragraphs(markup: str, layout: Layout = PAGE) -> list[str]:
    """The text of ``markup`` as a list of paragraphs."""
    collector = HTMLText(layout)
    collector.feed(markup)
    collector.close()
    return collector.paragraphs


def html_inline(markup: str) -> str:
    """The text of a short fragment (a title, a name), entities decoded, its paragraphs
    joined by spaces (callers make it one line)."""
    return " ".join(html_paragraphs(markup, INLINE))
