"""Messages posted by workers to the UI thread."""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

from textual.message import Message

if TYPE_CHECKING:
    from .core.models import RefreshProgress
    from .core.reading import Reading
    from .core.report import RefreshReport
    from .core.stories.summary import StorySummary
    from .library import ArticlePage, Listing
    from .selection import Selection


@dataclass
class FeedsLoaded(Message):
    """The subscription list was read from the store."""

    listing: Listing
    select: Selection | None = None
    """Where to move (a feed just added, the place from the last session)."""


@dataclass
class ArticlesLoaded(Message):
    """A page of articles the article list asked for."""

    page: ArticlePage


@dataclass
class ArticleLoaded(Message):
    """One article understood, ready for the reading pane."""

    reading: Reading
    """The article with its clean text, summary and quotes."""
    loading_page: bool = False
    """The feed gives a teaser: the full text is being fetched from the article's page."""
    versions: tuple = ()
    """Every article of its story (``Article``s, oldest first); empty when in none."""


@dataclass
class StoryLoaded(Message):
    """The summary of every version of the opened article's story."""

    article_id: int
    """The article opened when it was asked for."""
    summary: StorySummary
    sources: int


@dataclass
class RefreshProgressed(Message):
    """How far a refresh has got; a newer one replaces an older one still queued."""

    progress: RefreshProgress

    def can_replace(self, message: Message) -> bool:
        return isinstance(message, RefreshProgressed)


@dataclass
class RefreshFinished(Message):
    """A refresh ended; the lists should reload."""

    report: RefreshReport
    """What happened to each feed."""
    background: bool = False
    """Started by the reader's own timer rather than by the user."""
