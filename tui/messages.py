"""Messages posted by workers to the UI thread."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from textual.message import Message

if TYPE_CHECKING:
    from .core.models import Article, Feed, RefreshProgress
    from .core.reading import Reading
    from .library import Counts


@dataclass
class FeedsLoaded(Message):
    """The subscription list was read from the store."""

    feeds: list[Feed]
    counts: Counts
    select: str | None = None
    """A selection key to move to (a feed just added, the one from the last session)."""


@dataclass
class ArticlesLoaded(Message):
    """A page of articles for the list; ``append`` when it continues the current list."""

    key: str
    articles: list[Article]
    append: bool
    exhausted: bool = False
    """No more pages after these."""
    keep: int | None = None
    """Re-highlight this article id (after a reload) if it is still listed."""
    jump_to_end: bool = False
    notes: dict[int, str] = field(default_factory=dict)
    """Bookmark notes by article id, shown in the Bookmarked view."""


@dataclass
class ArticleLoaded(Message):
    """One article understood, ready for the reading pane."""

    reading: Reading
    """The article with its clean text, summary and quotes."""


@dataclass
class RefreshProgressed(Message):
    """How far a refresh has got; a newer one replaces an older one still queued."""

    progress: RefreshProgress

    def can_replace(self, message: Message) -> bool:
        return isinstance(message, RefreshProgressed)


@dataclass
class RefreshFinished(Message):
    """A refresh ended; the lists should reload."""

    report: dict[str, object]
    """What ``refresh --json`` reports: feeds, updated, failed, new_articles, errors."""
    background: bool = False
    """Started by the reader's own timer rather than by the user."""
