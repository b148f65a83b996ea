"""What the feed list can select: every article, unread, bookmarked, a feed, a tag, a search."""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass, replace

from .core.models import Feed
from .core.store import ArticleFilter
from .core.textsafe import one_line

KINDS = ("all", "unread", "bookmarked", "feed", "tag", "search", "saved")
VIRTUAL_TITLES = {"all": "All articles", "unread": "Unread", "bookmarked": "Bookmarked"}


@dataclass(frozen=True, slots=True)
class Selection:
    """A set of articles the reader lists; ``key`` is its saved form (``feed:3``)."""

    kind: str
    """One of ``KINDS``."""
    feed_id: int | None = None
    """For ``feed``."""
    text: str = ""
    """The tag, the search query, or the saved search's name."""
    query: str = ""
    """A saved search's query."""
    unread_only: bool = False
    """Only the unread articles of it (the per-feed unread filter)."""
    with_hidden: bool = False
    """Also the articles rules hid."""

    @classmethod
    def feed(cls, feed_id: int) -> Selection:
        return cls("feed", feed_id=feed_id)

    @classmethod
    def tag(cls, name: str) -> Selection:
        return cls("tag", text=name)

    @classmethod
    def search(cls, query: str) -> Selection:
        return cls("search", text=query)

    @classmethod
    def saved(cls, name: str, query: str) -> Selection:
        return cls("saved", text=name, query=query)

    @classmethod
    def parse(cls, key: str | None) -> Selection | None:
        """The selection a saved key (``unread``, ``feed:3``, ``tag:news``) names, if any.

        A feed list option's ``@tag`` suffix (the same feed under another tag) is ignored.
        """
        kind, _, value = (key or "").partition(":")
        if kind in VIRTUAL_TITLES and not value:
            return cls(kind)
        if kind == "feed":
            number = value.partition("@")[0]
            return cls.feed(int(number)) if number.isdigit() else None
        if kind in ("tag", "search", "saved") and value:
            return cls(kind, text=value)
        return None

    @property
    def key(self) -> str:
        if self.kind == "feed":
            return f"feed:{self.feed_id}"
        if self.kind in ("tag", "search", "saved"):
            return f"{self.kind}:{self.text}"
        return self.kind

    @property
    def filter(self) -> ArticleFilter:
        """The store query for these articles."""
        which = self._filter()
        if self.unread_only:
            which = replace(which, unread=True)
        return replace(which, hidden=True) if self.with_hidden else which

    def _filter(self) -> ArticleFilter:
        if self.kind == "saved":
            # Until the feed list brings the query, nothing: a saved key names only.
            return (
                ArticleFilter(search=self.query) if self.query else ArticleFilter(ids=frozenset())
            )
        if self.kind == "unread":
            return ArticleFilter(unread=True)
        if self.kind == "bookmarked":
            return ArticleFilter(bookmarked=True)
        if self.kind == "feed":
            return ArticleFilter(feed_id=self.feed_id)
        if self.kind == "tag":
            return ArticleFilter(tag=self.text)
        if self.kind == "search":
            return ArticleFilter(search=self.text)
        return ArticleFilter()

    @property
    def shows_feed(self) -> bool:
        """Whether article rows name their feed (not when they all come from one)."""
        return self.kind != "feed"

    @property
    def search_words(self) -> list[str]:
        """Words to mark in the titles listed for a search."""
        return re.findall(r"\w+", self.text) if self.kind == "search" else []

    def title(self, feeds: Mapping[int, Feed]) -> str:
        """The articles pane's title."""
        title = self._title(feeds)
        if self.unread_only:
            title += " (unread only)"
        return title + " (with hidden)" if self.with_hidden else title

    def _title(self, feeds: Mapping[int, Feed]) -> str:
        if self.kind == "saved":
            return f"Saved: {self.text}"
        if self.kind in VIRTUAL_TITLES:
            return VIRTUAL_TITLES[self.kind]
        if self.kind == "feed":
            feed = feeds.get(self.feed_id or 0)
            return one_line(feed.display_title) if feed else "Articles"
        if self.kind == "tag":
            return f"Tag: {self.text}"
        return f"Search: {self.text}"


ALL = Selection("all")
UNREAD = Selection("unread")
BOOKMARKED = Selection("bookmarked")
