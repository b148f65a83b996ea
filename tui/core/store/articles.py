"""Reading articles: filters, keyset pages, full-text search, read state, page text."""

from __future__ import annotations

import json
import re
import sqlite3
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass, replace
from datetime import UTC, datetime

from ..errors import ArticleNotFoundError
from ..models import Article
from .base import StoreBase, from_timestamp, reads, to_timestamp, writes
from .schema import ID_BITS

_SEARCH_KEY = f"((a.sort_time << {ID_BITS}) | a.id)"

ARTICLE_COLUMNS = """
    a.id, a.feed_id, COALESCE(f.user_title, NULLIF(f.title, ''), f.url), f.url, a.title,
    a.link, a.author, a.published, a.first_seen, a.read,
    EXISTS (SELECT 1 FROM bookmarks b WHERE b.article_id = a.id), a.sort_time,
    (SELECT story_id FROM story_members WHERE article_id = a.id),
    broadsheet_words(a.summary, a.content, (SELECT text FROM article_text WHERE article_id = a.id)),
    a.hidden, (SELECT group_concat(tag, char(31)) FROM article_tags WHERE article_id = a.id)
"""
"""What a list row of an article reads, from ``articles a JOIN feeds f``."""


@dataclass(frozen=True, slots=True)
class ArticleFilter:
    """Which articles a list shows."""

    feed_id: int | None = None
    unread: bool = False
    bookmarked: bool = False
    search: str | None = None
    """Words to find in titles and article text (full-text search; the last one as a prefix)."""
    tag: str | None = None
    since: int | None = None
    """Only articles that arrived (were first seen) at or after this time, in epoch seconds."""
    hidden: bool = False
    """Also articles a rule hid (they are kept, and shown on request)."""
    ids: frozenset[int] | None = None
    """Only these articles (a saved search's or a query's matches)."""


PageCursor = tuple[int, int]
"""(sort_time, id) of the last article of the previous page."""


class ArticlesMixin(StoreBase):
    """The store's articles."""

    @reads
    def articles(
        self,
        which: ArticleFilter | None = None,
        *,
        limit: int = 100,
        after: PageCursor | None = None,
    ) -> list[Article]:
        """One page of articles, newest first, without their bodies.

        Pass the ``(sort_time, id)`` of the last article as ``after`` for the next page.
        """
        which = which or ArticleFilter()
        if which.search and is_query(which.search):
            which = replace(which, search=None, ids=self._query_ids(which.search))
        if _search_leads(which):
            return self._search_page(which, limit=limit, after=after)
        clauses, params = _filter_clauses(which)
        if after is not None:
            clauses.append("(a.sort_time, a.id) < (?, ?)")
            params.extend(after)
        where = ("WHERE " + " AND ".join(clauses)) if clauses else ""
        rows = self._db.execute(
            f"""SELECT {ARTICLE_COLUMNS} FROM articles a JOIN feeds f ON f.id = a.feed_id
                {where} ORDER BY a.sort_time DESC, a.id DESC LIMIT ?""",
            (*params, limit),
        ).fetchall()
        return [article_from_row(row) for row in rows]

    def _query_ids(self, text: str) -> frozenset[int]:
        """The articles a query with fields, phrases or /regexes/ matches; kept until
        the archive gains an article, so paging does not search again."""
        from ..query import parse_query
        from ..rules import Rule, match

        top = self._db.execute("SELECT COALESCE(max(id), 0) FROM articles").fetchone()[0]
        cached = getattr(self, "_last_query", None)
        if cached is not None and cached[:2] == (text, top):
            return cached[2]
        query = parse_query(text, allow_empty=True)
        if not query.terms:
            return frozenset()
        ids = frozenset(match(self, [Rule("q", query, "read")]).matched["q"])  # type: ignore[arg-type]
        self._last_query = (text, top, ids)
        return ids

    def _search_page(
        self, which: ArticleFilter, *, limit: int, after: PageCursor | None
    ) -> list[Article]:
        """A page of search results read from the index newest first, stopping at ``limit``.

        The index is keyed in list order, so a word found in every article costs one
        page of index reads rather than every match.
        """
        query = search_query(which.search or "")
        if not query:
            return []
        clauses, params = _filter_clauses(replace(which, search=None))
        clauses.insert(0, "article_search MATCH ?")
        params.insert(0, query)
        if after is not None:
            clauses.append("s.rowid < ?")
            params.append((after[0] << ID_BITS) | after[1])
        rows = self._db.execute(
            f"""SELECT {ARTICLE_COLUMNS} FROM article_search s
                JOIN articles a ON a.id = (s.rowid & {(1 << ID_BITS) - 1})
                JOIN feeds f ON f.id = a.feed_id
                WHERE {" AND ".join(clauses)} ORDER BY s.rowid DESC LIMIT ?""",
            (*params, limit),
        ).fetchall()
        return [article_from_row(row) for row in rows]

    @reads
    def article(self, article_id: int) -> Article:
        """One article with its body."""
        return select_article(self._db, article_id)

    @reads
    def article_by_link(self, link: str) -> Article | None:
        row = self._db.execute(
            "SELECT id FROM articles WHERE link = ? ORDER BY id DESC LIMIT 1", (link,)
        ).fetchone()
        return self.article(row[0]) if row else None

    @writes
    def set_read(self, article_ids: Iterable[int], read: bool = True) -> None:
        with self.transaction() as db:
            db.executemany(
                "UPDATE articles SET read = ? WHERE id = ?",
                [(int(read), article_id) for article_id in article_ids],
            )

    @writes
    def mark_all_read(self, which: ArticleFilter | None = None) -> int:
        """Mark every article the filter selects as read; return how many changed."""
        where, params = _filter_clauses(which or ArticleFilter())
        where.append("a.read = 0")
        with self.transaction() as db:
            cursor = db.execute(
                f"UPDATE articles AS a SET read = 1 WHERE {' AND '.join(where)}", params
            )
            return cursor.rowcount

    @writes
    def mark_feed_read(self, feed_id: int) -> int:
        return self.mark_all_read(ArticleFilter(feed_id=feed_id))

    @reads
    def cached_text(self, article_id: int) -> tuple[str, str | None] | None:
        """(text, error) saved for the article's page, or None if never fetched."""
        row = self._db.execute(
            "SELECT text, error FROM article_text WHERE article_id = ?", (article_id,)
        ).fetchone()
        return (row[0], row[1]) if row else None

    @writes
    def cache_text(
        self, article_id: int, text: str, *, error: str | None = None, now: datetime | None = None
    ) -> None:
        with self.transaction() as db:
            db.execute(
                """INSERT INTO article_text (article_id, text, fetched_at, error)
                   VALUES (?, ?, ?, ?)
                   ON CONFLICT (article_id) DO UPDATE SET text = excluded.text,
                       fetched_at = excluded.fetched_at, error = excluded.error""",
                (article_id, text, to_timestamp(now or datetime.now(UTC)), error),
            )

    @reads
    def iter_articles(
        self, which: ArticleFilter | None = None, *, page: int = 500
    ) -> Iterator[Article]:
        """Every article the filter selects, newest first, a keyset page at a time."""
        cursor: PageCursor | None = None
        while True:
            batch = self.articles(which, limit=page, after=cursor)
            yield from batch
            if len(batch) < page:
                return
            cursor = (batch[-1].sort_time, batch[-1].id)

    @reads
    def count_articles(self, which: ArticleFilter) -> int:
        """How many articles a filter (without a search) selects."""
        clauses, params = _filter_clauses(which)
        where = ("WHERE " + " AND ".join(clauses)) if clauses else ""
        return self._db.execute(f"SELECT count(*) FROM articles a {where}", params).fetchone()[0]

    @reads
    def counts(self) -> tuple[int, int, int]:
        """(all articles, unread, bookmarked) for the virtual feeds."""
        total, unread = self._db.execute(
            "SELECT count(*), count(*) FILTER (WHERE read = 0) FROM articles"
        ).fetchone()
        bookmarked = self._db.execute("SELECT count(*) FROM bookmarks").fetchone()[0]
        return total, unread or 0, bookmarked


def select_article(db: sqlite3.Connection, article_id: int) -> Article:
    """One article with its body."""
    row = db.execute(
        f"""SELECT {ARTICLE_COLUMNS}, a.summary, a.content
            FROM articles a JOIN feeds f ON f.id = a.feed_id WHERE a.id = ?""",
        (article_id,),
    ).fetchone()
    if row is None:
        raise ArticleNotFoundError(f"no article with id {article_id}")
    return article_from_row(row[:-2], summary_html=row[-2], content=row[-1])


_QUERY_SYNTAX = re.compile(r'(?:^|\s)(?:-|"|/|(?:title|author|feed|text):)', re.IGNORECASE)


def is_query(text: str) -> bool:
    """Whether a search uses the query language (a field, a phrase, a /regex/, a -word)
    rather than plain words, which the search index answers alone."""
    return bool(_QUERY_SYNTAX.search(text))


def _search_leads(which: ArticleFilter) -> bool:
    """Whether a page is best read from the search index in order: a search alone.

    Any other filter (a feed, a tag, the bookmarks, unread, since) may reject most
    matches, and walking every match to find a few cost up to 120 ms on 100,000
    articles; those lists are read from their own index and test each article against
    the search instead (at most ~65 ms, for a word in every article).
    """
    return bool(which.search) and replace(which, search=None) == ArticleFilter()


def _filter_clauses(which: ArticleFilter) -> tuple[list[str], list[object]]:
    """SQL conditions on ``articles AS a`` for a filter, with their parameters."""
    clauses: list[str] = []
    params: list[object] = []
    if which.feed_id is not None:
        clauses.append("a.feed_id = ?")
        params.append(which.feed_id)
    if which.unread:
        clauses.append("a.read = 0")
    if which.bookmarked:
        clauses.append("a.id IN (SELECT article_id FROM bookmarks)")
    if which.tag:
        clauses.append(
            "(a.feed_id IN (SELECT feed_id FROM feed_tags WHERE tag = ?)"
            " OR a.id IN (SELECT article_id FROM article_tags WHERE tag = ?))"
        )
        params.extend((which.tag, which.tag))
    if not which.hidden:
        clauses.append("a.hidden = 0")
    if which.ids is not None:
        clauses.append("a.id IN (SELECT value FROM json_each(?))")
        params.append(json.dumps(sorted(which.ids)))
    if which.search:
        query = search_query(which.search)
        if query:
            clauses.append(
                f"{_SEARCH_KEY} IN (SELECT rowid FROM article_search WHERE article_search MATCH ?)"
            )
            params.append(query)
        else:
            clauses.append("0")
    if which.since is not None:
        clauses.append("a.first_seen >= ?")
        params.append(which.since)
    return clauses, params


def article_from_row(
    row: Sequence[object], *, summary_html: str = "", content: str = ""
) -> Article:
    return Article(
        id=row[0],
        feed_id=row[1],
        feed_title=row[2],
        feed_url=row[3],
        title=row[4],
        link=row[5],
        author=row[6],
        published=from_timestamp(row[7]),
        first_seen=from_timestamp(row[8]),
        read=bool(row[9]),
        bookmarked=bool(row[10]),
        sort_time=row[11],
        story=row[12],
        words=row[13],
        hidden=bool(row[14]),
        tags=tuple(sorted(row[15].split("\x1f"))) if row[15] else (),
        summary_html=summary_html,
        content=content,
    )


_WORDS = re.compile(r"\w+")


def search_query(text: str) -> str:
    """User words -> an FTS5 query: every word must match, the last one as a prefix.

    Each word is quoted, so FTS5 operators and punctuation in the input are literal.
    """
    words = _WORDS.findall(text)
    if not words:
        return ""
    quoted = [f'"{word}"' for word in words]
    quoted[-1] += "*"
    return " ".join(quoted)
