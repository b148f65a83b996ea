"""What a Google Reader API server hands us, as plain values (no I/O, no aiohttp)."""

from __future__ import annotations

from dataclasses import dataclass

READ = "user/-/state/com.google/read"
STARRED = "user/-/state/com.google/starred"
READING_LIST = "user/-/state/com.google/reading-list"
LABEL_PREFIX = "user/-/label/"


@dataclass(frozen=True, slots=True)
class ServerFeed:
    """One subscription on the server."""

    stream_id: str
    """``feed/12`` (FreshRSS) or ``feed/https://...`` (Inoreader, The Old Reader)."""
    url: str
    """The feed's own address."""
    title: str = ""
    site_url: str | None = None
    labels: tuple[str, ...] = ()
    """The server's folders and labels; they become the feed's tags."""


@dataclass(frozen=True, slots=True)
class SyncedItem:
    """One article as the server gave it, made terminal-safe."""

    item_id: int
    """The decimal form, as a signed 64-bit integer (see ``ids``)."""
    stream_id: str
    title: str
    link: str | None = None
    author: str | None = None
    published: int | None = None
    """Seconds since the epoch."""
    crawled: int | None = None
    """When the server first stored it, in seconds."""
    summary_html: str = ""
    content: str = ""
    read: bool = False
    starred: bool = False
    feed_title: str = ""
    site_url: str | None = None
