"""Frozen dataclasses shared by the domain layer, the CLI and the UI."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import datetime


@dataclass(frozen=True, slots=True)
class ParsedEntry:
    """One item of a feed as the parser read it; text fields are terminal-safe."""

    title: str
    """Plain text (tags stripped, entities decoded); may be empty."""
    link: str | None = None
    guid: str | None = None
    author: str | None = None
    published: datetime | None = None
    """Timezone-aware, in UTC."""
    updated: datetime | None = None
    summary_html: str = ""
    """The entry's summary as HTML, as the feed gave it (kept for later extraction)."""
    content: str = ""
    """HTML of the fullest body the feed carries, or empty."""
    categories: tuple[str, ...] = ()


@dataclass(frozen=True, slots=True)
class ParsedFeed:
    """A whole feed document as the parser read it."""

    title: str
    link: str | None = None
    """The web site the feed belongs to."""
    description: str = ""
    version: str = ""
    """Format name such as ``rss20``, ``atom10``, ``json11``."""
    entries: tuple[ParsedEntry, ...] = ()
    warning: str | None = None
    """Set when the document was malformed but still yielded entries."""


@dataclass(frozen=True, slots=True)
class FetchResult:
    """What a conditional GET brought back."""

    url: str
    """The URL that was asked for."""
    final_url: str
    """Where the last redirect led (``url`` when there was none)."""
    status: int
    content: bytes | None = None
    """The decompressed body; ``None`` for 304 Not Modified."""
    headers: Mapping[str, str] = field(default_factory=dict)
    """Response headers with lower-case names."""
    etag: str | None = None
    last_modified: str | None = None
    redirects: tuple[tuple[int, str], ...] = ()
    """Each hop as (status, target URL)."""
    permanent_url: str | None = None
    """The new address when every hop was a permanent redirect (301/308)."""

    @property
    def not_modified(self) -> bool:
        return self.status == 304


@dataclass(frozen=True, slots=True)
class Feed:
    """A subscription as stored."""

    id: int
    url: str
    title: str
    site_url: str | None = None
    description: str = ""
    tags: tuple[str, ...] = ()
    added_at: datetime | None = None
    last_checked: datetime | None = None
    last_status: str | None = None
    """``"200"``, ``"304"``, ``"410"``... or ``"error"``; ``None`` before the first check."""
    last_error: str | None = None
    last_warning: str | None = None
    gone: bool = False
    etag: str | None = None
    last_modified: str | None = None
    unread: int = 0
    total: int = 0
    failures: int = 0
    """Failed refreshes in a row (each doubles the wait before the next)."""
    next_check: datetime | None = None
    """When the feed is next due; ``None`` means now."""

    @property
    def display_title(self) -> str:
        return self.title or self.url


WORDS_PER_MINUTE = 230
"""An adult's silent reading speed for non-fiction (Brysbaert 2019: 238)."""


@dataclass(frozen=True, slots=True)
class Article:
    """A stored article with its feed's name."""

    id: int
    feed_id: int
    feed_title: str
    feed_url: str
    title: str
    link: str | None = None
    author: str | None = None
    published: datetime | None = None
    first_seen: datetime | None = None
    read: bool = False
    bookmarked: bool = False
    summary_html: str = ""
    """The feed's summary of the article, as HTML (not our extractive ``Summary``)."""
    content: str = ""
    sort_time: int = 0
    """Seconds since the epoch used for newest-first order and keyset paging."""
    story: int | None = None
    """The story it shares with articles of other feeds (its lowest article id)."""
    words: int = 0
    """How long it is: the feed's text, or its page's when that was fetched and longer."""
    hidden: bool = False
    """A rule hid it: kept, shown only when hidden articles are asked for."""
    tags: tuple[str, ...] = ()
    """Tags rules put on it."""

    @property
    def reading_minutes(self) -> int:
        """Minutes to read it at 230 words a minute; at least one."""
        return max(1, round(self.words / WORDS_PER_MINUTE))

    @property
    def body_html(self) -> str:
        """The fullest HTML body the feed gave."""
        return self.content or self.summary_html


@dataclass(frozen=True, slots=True)
class Bookmark:
    """An article the user chose to keep, with an optional note."""

    article: Article
    note: str = ""
    created_at: datetime | None = None


@dataclass(frozen=True, slots=True)
class Summary:
    """An extractive summary: sentences in article order."""

    method: str
    sentences: tuple[str, ...]
    spans: tuple[tuple[int, int], ...] = ()
    """Each sentence's (start, end) in the text that was summarised."""


@dataclass(frozen=True, slots=True)
class Quote:
    """A direct quotation as a span of the clean text, with its speaker if known."""

    text: str
    start: int
    end: int
    speaker: str | None = None
    pieces: tuple[tuple[int, int], ...] = ()
    """(start, end) of each quoted stretch, in order: a quotation broken by its
    attribution ('"A," she said, "B."') has several, and ``start``/``end`` then
    run from the first to the last with the attribution inside."""

    def spans(self) -> tuple[tuple[int, int], ...]:
        """Where the quoted words are: the pieces, or the whole span."""
        return self.pieces or ((self.start, self.end),)

    def piece_texts(self) -> tuple[str, ...]:
        """The words of each piece, without the attribution between them."""
        return tuple(self.text[s - self.start : e - self.start] for s, e in self.spans())


@dataclass(frozen=True, slots=True)
class RefreshProgress:
    """Where a refresh stands; handed to progress callbacks."""

    done: int
    total: int
    errors: int
    new_articles: int
    current_url: str | None = None
    unit: str = "feeds"
    """What ``done`` and ``total`` count: feeds, or items while a sync downloads."""
