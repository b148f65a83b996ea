"""The local archive: feeds, articles and bookmarks in one SQLite file.

One ``Store`` per thread (sqlite3 connections are not shared across threads). It is
a facade over one module per topic, as lemon24/reader keeps its storage:

    schema      the migrations, keyed on ``PRAGMA user_version``
    base        the connection, transactions, and SQLite's errors turned into ours
    feeds       subscriptions                 articles   filters, keyset pages, search
    bookmarks   kept articles and notes       state      small UI and CLI state
    refresh     applying a feed update (``plan_update`` decides, pure)
    sync        server-owned feeds and items, the queue of local changes
    retention   removing old articles           stories    sketches and story members
    curation    rules, tags, hidden articles, saved searches, undo of mass actions

Article lists are paged by keyset on ``(sort_time, id)`` so the millionth row costs
what the first does.
"""

from __future__ import annotations

from .articles import ArticleFilter, ArticlesMixin, PageCursor, search_query
from .base import from_timestamp, to_timestamp, write_error
from .bookmarks import BookmarksMixin
from .curation import CurationMixin, RuleRow, SavedSearch, StoredRule, Undone
from .feeds import FeedsMixin
from .refresh import RefreshMixin, Seen, UpdatePlan, dedup_key, plan_update
from .retention import RetentionMixin
from .schema import MIGRATIONS, SCHEMA_VERSION, plain_text
from .state import StateMixin
from .stories import PendingArticle, SketchBlock, StoredSketch, StoriesMixin
from .sync import PendingChange, SyncMixin

__all__ = [
    "MIGRATIONS",
    "SCHEMA_VERSION",
    "ArticleFilter",
    "PageCursor",
    "PendingChange",
    "PendingArticle",
    "RuleRow",
    "SavedSearch",
    "Seen",
    "Store",
    "StoredRule",
    "SketchBlock",
    "StoredSketch",
    "Undone",
    "UpdatePlan",
    "dedup_key",
    "from_timestamp",
    "plain_text",
    "plan_update",
    "search_query",
    "to_timestamp",
    "write_error",
]


class Store(
    FeedsMixin,
    ArticlesMixin,
    BookmarksMixin,
    StateMixin,
    RefreshMixin,
    RetentionMixin,
    SyncMixin,
    StoriesMixin,
    CurationMixin,
):
    """A connection to the archive; close it when done.

    A store belongs to the thread that opened it unless ``shared`` is set, in which case
    the caller must serialise access (the UI holds a lock around it).
    """
