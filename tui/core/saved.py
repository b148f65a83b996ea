"""Saved searches: a name for a query, shown as a virtual feed with its unread count."""

from __future__ import annotations

from .query import Query
from .rules import Rule, match
from .store import ArticleFilter, Store


def matching_ids(store: Store, query: Query) -> frozenset[int]:
    """Every article the query matches."""
    return frozenset(match(store, [Rule("saved", query, "read")]).matched["saved"])


def saved_filter(store: Store, query: Query, which: ArticleFilter | None = None) -> ArticleFilter:
    """A filter for the articles of a saved search (and ``which``'s other conditions)."""
    from dataclasses import replace

    return replace(which or ArticleFilter(), ids=matching_ids(store, query))


def counts(store: Store, query: Query) -> tuple[int, int]:
    """(unread, total) of a saved search, hidden articles left out."""
    ids = matching_ids(store, query)
    if not ids:
        return 0, 0
    return store.count_articles(ArticleFilter(ids=ids, unread=True)), store.count_articles(
        ArticleFilter(ids=ids)
    )
