"""The local archive: feeds, articles and bookmarks in one SQLite file.

One ``Store`` per thread (sqlite3 connections are not shared across threads). The
schema evolves through ``MIGRATIONS``, keyed on ``PRAGMA user_version``. Article lists
are paged by keyset on ``(sort_time, id)`` so the millionth row costs what the first
does.
"""

from __future__ import annotations

import hashlib
import html
import re
import sqlite3
from collections.abc import Iterable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, replace
from datetime import UTC, datetime
from pathlib import Path

from .errors import ArticleNotFoundError, FeedNotFoundError, StoreError
from .models import Article, Bookmark, Feed, ParsedEntry, ParsedFeed
from .schedule import Hints, next_check

# Each entry moves the schema from version i to i + 1. Never edit a released step;
# append a new one.
MIGRATIONS: tuple[str, ...] = (
    """
    CREATE TABLE feeds (
        id INTEGER PRIMARY KEY,
        url TEXT NOT NULL UNIQUE,
        title TEXT NOT NULL DEFAULT '',
        user_title TEXT,
        site_url TEXT,
        description TEXT NOT NULL DEFAULT '',
        added_at INTEGER NOT NULL,
        etag TEXT,
        last_modified TEXT,
        last_checked INTEGER,
        last_status TEXT,
        last_error TEXT,
        last_warning TEXT,
        failures INTEGER NOT NULL DEFAULT 0,
        retry_after INTEGER,
        gone INTEGER NOT NULL DEFAULT 0
    );
    CREATE TABLE feed_tags (
        feed_id INTEGER NOT NULL REFERENCES feeds(id) ON DELETE CASCADE,
        tag TEXT NOT NULL,
        PRIMARY KEY (feed_id, tag)
    ) WITHOUT ROWID;
    -- AUTOINCREMENT: article ids are handed to users and scripts, so they are never reused.
    CREATE TABLE articles (
        id INTEGER PRIMARY KEY AUTOINCREMENT,
        feed_id INTEGER NOT NULL REFERENCES feeds(id) ON DELETE CASCADE,
        dedup_key TEXT NOT NULL,
        guid TEXT,
        link TEXT,
        title TEXT NOT NULL DEFAULT '',
        author TEXT,
        published INTEGER,
        updated INTEGER,
        summary TEXT NOT NULL DEFAULT '',
        content TEXT NOT NULL DEFAULT '',
        first_seen INTEGER NOT NULL,
        sort_time INTEGER NOT NULL,
        read INTEGER NOT NULL DEFAULT 0,
        UNIQUE (feed_id, dedup_key)
    );
    CREATE INDEX articles_by_feed ON articles (feed_id, sort_time DESC, id DESC);
    CREATE INDEX articles_by_time ON articles (sort_time DESC, id DESC);
    CREATE INDEX articles_unread ON articles (sort_time DESC, id DESC) WHERE read = 0;
    CREATE TABLE bookmarks (
        article_id INTEGER PRIMARY KEY REFERENCES articles(id) ON DELETE CASCADE,
        note TEXT NOT NULL DEFAULT '',
        created_at INTEGER NOT NULL
    );
    -- Small UI and CLI state (last selected feed, theme) that must survive restarts.
    CREATE TABLE state (
        key TEXT PRIMARY KEY,
        value TEXT NOT NULL
    ) WITHOUT ROWID;
    """,
    # Unread and total counts per feed from the index alone: 69 -> 6 ms for the feed
    # list over 100,000 articles.
    """
    CREATE INDEX articles_feed_read ON articles (feed_id, read);
    """,
    # Removing a feed keeps its bookmarked articles: the feed row stays, unsubscribed,
    # so they keep their feed's name.
    """
    ALTER TABLE feeds ADD COLUMN subscribed INTEGER NOT NULL DEFAULT 1;
    """,
    # The article's own page, fetched and extracted once when the feed gives a teaser.
    """
    CREATE TABLE article_text (
        article_id INTEGER PRIMARY KEY REFERENCES articles(id) ON DELETE CASCADE,
        text TEXT NOT NULL DEFAULT '',
        fetched_at INTEGER NOT NULL,
        error TEXT
    );
    """,
    # Full-text search over titles and article text, kept in step by triggers. The
    # index is contentless (the text already lives in articles); deleting a row hands
    # FTS5 the same plain text it indexed, which broadsheet_plain() recomputes.
    """
    CREATE VIRTUAL TABLE article_search USING fts5(
        title, body, content='', tokenize='unicode61 remove_diacritics 2'
    );
    CREATE TRIGGER article_search_insert AFTER INSERT ON articles BEGIN
        INSERT INTO article_search (rowid, title, body)
        VALUES (new.id, new.title, broadsheet_plain(new.summary, new.content));
    END;
    CREATE TRIGGER article_search_delete AFTER DELETE ON articles BEGIN
        INSERT INTO article_search (article_search, rowid, title, body)
        VALUES ('delete', old.id, old.title, broadsheet_plain(old.summary, old.content));
    END;
    CREATE TRIGGER article_search_update AFTER UPDATE OF title, summary, content ON articles
    BEGIN
        INSERT INTO article_search (article_search, rowid, title, body)
        VALUES ('delete', old.id, old.title, broadsheet_plain(old.summary, old.content));
        INSERT INTO article_search (rowid, title, body)
        VALUES (new.id, new.title, broadsheet_plain(new.summary, new.content));
    END;
    INSERT INTO article_search (rowid, title, body)
        SELECT id, title, broadsheet_plain(summary, content) FROM articles;
    """,
    # Articles removed by retention leave their identity behind, so the next refresh of
    # a feed that still carries them does not bring them back as new.
    """
    CREATE TABLE pruned (
        feed_id INTEGER NOT NULL REFERENCES feeds(id) ON DELETE CASCADE,
        dedup_key TEXT NOT NULL,
        PRIMARY KEY (feed_id, dedup_key)
    ) WITHOUT ROWID;
    """,
    # Polite fetching: what each feed and its server asked for, and when it is next due.
    """
    ALTER TABLE feeds ADD COLUMN ttl INTEGER;
    ALTER TABLE feeds ADD COLUMN skip_hours TEXT NOT NULL DEFAULT '';
    ALTER TABLE feeds ADD COLUMN skip_days TEXT NOT NULL DEFAULT '';
    ALTER TABLE feeds ADD COLUMN max_age INTEGER;
    ALTER TABLE feeds ADD COLUMN next_check INTEGER;
    """,
    # The search index is keyed on the list order, (sort_time << 30) | id, instead of the
    # article id: FTS5 can walk its matches newest first and stop after one page, where
    # keying on id made a word found in every article materialise and sort every match.
    """
    DROP TRIGGER article_search_insert;
    DROP TRIGGER article_search_delete;
    DROP TRIGGER article_search_update;
    DROP TABLE article_search;
    CREATE VIRTUAL TABLE article_search USING fts5(
        title, body, content='', tokenize='unicode61 remove_diacritics 2'
    );
    -- Time-ordered rowids make larger doclists than ids did; merging segments 16 at a
    -- time instead of 4 keeps a cold refresh's index writes as cheap as before.
    INSERT INTO article_search (article_search, rank) VALUES ('automerge', 16);
    CREATE TRIGGER article_search_insert AFTER INSERT ON articles BEGIN
        INSERT INTO article_search (rowid, title, body)
        VALUES ((new.sort_time << 30) | new.id, new.title,
                broadsheet_plain(new.summary, new.content));
    END;
    CREATE TRIGGER article_search_delete AFTER DELETE ON articles BEGIN
        INSERT INTO article_search (article_search, rowid, title, body)
        VALUES ('delete', (old.sort_time << 30) | old.id, old.title,
                broadsheet_plain(old.summary, old.content));
    END;
    CREATE TRIGGER article_search_update
    AFTER UPDATE OF title, summary, content, sort_time ON articles
    BEGIN
        INSERT INTO article_search (article_search, rowid, title, body)
        VALUES ('delete', (old.sort_time << 30) | old.id, old.title,
                broadsheet_plain(old.summary, old.content));
        INSERT INTO article_search (rowid, title, body)
        VALUES ((new.sort_time << 30) | new.id, new.title,
                broadsheet_plain(new.summary, new.content));
    END;
    -- In key order: FTS5 starts a new segment whenever a rowid goes down (9.0 s for
    -- 100,000 articles in id order, 3.8 s in key order).
    INSERT INTO article_search (rowid, title, body)
        SELECT (sort_time << 30) | id, title, broadsheet_plain(summary, content) FROM articles
        ORDER BY sort_time, id;
    """,
)
SCHEMA_VERSION = len(MIGRATIONS)

# A feed date more than this far ahead of when we first saw the item is not trusted
# for ordering; otherwise one bogus "2099" item would sit on top forever.
_FUTURE_SLACK = 24 * 3600

# An article's row in the search index; its order is the lists' (sort_time, id) order.
# sort_time lies between about 1970 (a little below 0 with a time zone) and a day past
# now, and ids stay far below 2**30. Migration 8 writes the same 30 in its SQL.
_ID_BITS = 30
_SEARCH_KEY = f"((a.sort_time << {_ID_BITS}) | a.id)"

_ARTICLE_COLUMNS = """
    a.id, a.feed_id, COALESCE(f.user_title, NULLIF(f.title, ''), f.url), f.url, a.title,
    a.link, a.author, a.published, a.first_seen, a.read,
    EXISTS (SELECT 1 FROM bookmarks b WHERE b.article_id = a.id), a.sort_time
"""


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


PageCursor = tuple[int, int]
"""(sort_time, id) of the last article of the previous page."""


def to_timestamp(value: datetime | None) -> int | None:
    return None if value is None else int(value.timestamp())


def from_timestamp(value: int | None) -> datetime | None:
    return None if value is None else datetime.fromtimestamp(value, UTC)


def dedup_key(entry: ParsedEntry) -> str:
    """The identity of an entry within its feed: guid, else link, else title and date."""
    if entry.guid:
        return "g:" + entry.guid
    if entry.link:
        return "l:" + entry.link
    published = entry.published.isoformat() if entry.published else ""
    digest = hashlib.sha1(f"{entry.title}\x00{published}".encode()).hexdigest()
    return "h:" + digest


class Store:
    """A connection to the archive; close it when done.

    A store belongs to the thread that opened it unless ``shared`` is set, in which case
    the caller must serialise access (the UI holds a lock around it).
    """

    def __init__(self, path: str | Path, *, shared: bool = False) -> None:
        self.path = Path(path)
        self.created = False
        """True when this open created the database (a first run)."""
        try:
            self.path.parent.mkdir(parents=True, exist_ok=True)
            self._db = sqlite3.connect(
                self.path, timeout=30, isolation_level=None, check_same_thread=not shared
            )
        except (OSError, sqlite3.Error) as exc:
            raise StoreError(f"cannot open the database {self.path}: {_reason(exc)}") from None
        # The search triggers call this, so every connection must have it.
        self._db.create_function("broadsheet_plain", 2, plain_text, deterministic=True)
        try:
            self._db.execute("PRAGMA foreign_keys = ON")
            self._db.execute("PRAGMA synchronous = NORMAL")
            if self._db.execute("PRAGMA user_version").fetchone()[0] == 0:
                # Only possible before the first table (and before WAL): lets retention
                # give space back in small steps instead of a blocking VACUUM, and
                # larger pages hold the search index's long doclists in fewer pages
                # (storing 25,000 articles: 5.2 s -> 4.3 s).
                self._db.execute("PRAGMA page_size = 16384")  # before auto_vacuum fixes it
                self._db.execute("PRAGMA auto_vacuum = INCREMENTAL")
            self._db.execute("PRAGMA journal_mode = WAL")
            self.created = self._migrate() == 0
        except sqlite3.DatabaseError as exc:
            self._db.close()
            raise StoreError(f"cannot use the database {self.path}: {_reason(exc)}") from None

    # -- lifecycle ---------------------------------------------------------------

    def close(self) -> None:
        self._db.close()

    def __enter__(self) -> Store:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    @contextmanager
    def transaction(self) -> Iterator[sqlite3.Connection]:
        """BEGIN IMMEDIATE ... COMMIT, rolled back on any exception.

        Inside another transaction it is a savepoint: its changes go or stay as a
        whole, and the outer transaction commits them.
        """
        if self._db.in_transaction:
            yield from self._savepoint()
            return
        try:
            self._db.execute("BEGIN IMMEDIATE")
        except sqlite3.Error as exc:
            raise write_error(exc) from None
        try:
            yield self._db
        except BaseException:
            self._roll_back("ROLLBACK")
            raise
        try:
            self._db.execute("COMMIT")
        except sqlite3.Error as exc:
            self._roll_back("ROLLBACK")
            raise write_error(exc) from None

    @property
    def in_transaction(self) -> bool:
        """Whether a transaction is open (SQLite ends one by itself on a full disk)."""
        return self._db.in_transaction

    def _savepoint(self) -> Iterator[sqlite3.Connection]:
        self._db.execute("SAVEPOINT nested")
        try:
            yield self._db
        except BaseException:
            self._roll_back("ROLLBACK TO nested", "RELEASE nested")
            raise
        self._db.execute("RELEASE nested")

    def _roll_back(self, *statements: str) -> None:
        # On a full disk, an I/O error or no memory SQLite may have rolled the whole
        # transaction back already: rolling back again would fail and hide the reason.
        if self._db.in_transaction:
            for statement in statements:
                self._db.execute(statement)

    def _migrate(self) -> int:
        """Bring the schema up to date; return the version found on opening."""
        version = self._db.execute("PRAGMA user_version").fetchone()[0]
        if version > SCHEMA_VERSION:
            raise StoreError(
                f"the database {self.path} was written by a newer Broadsheet "
                f"(schema {version}, this one knows {SCHEMA_VERSION})"
            )
        for number in range(version, SCHEMA_VERSION):
            # executescript commits first, so the migration and its version bump are
            # wrapped in one explicit transaction of their own.
            self._db.executescript(
                f"BEGIN IMMEDIATE;\n{MIGRATIONS[number]}\n"
                f"PRAGMA user_version = {number + 1};\nCOMMIT;"
            )
        return version

    @property
    def schema_version(self) -> int:
        return self._db.execute("PRAGMA user_version").fetchone()[0]

    # -- feeds -------------------------------------------------------------------

    def add_feed(
        self, url: str, *, title: str = "", tags: Iterable[str] = (), now: datetime | None = None
    ) -> Feed:
        """Subscribe to ``url``; an existing subscription is returned unchanged."""
        now_ts = to_timestamp(now or datetime.now(UTC))
        with self.transaction() as db:
            row = db.execute("SELECT id FROM feeds WHERE url = ?", (url,)).fetchone()
            if row is None:
                cursor = db.execute(
                    "INSERT INTO feeds (url, user_title, added_at) VALUES (?, ?, ?)",
                    (url, title or None, now_ts),
                )
                feed_id = cursor.lastrowid
                db.executemany(
                    "INSERT OR IGNORE INTO feed_tags (feed_id, tag) VALUES (?, ?)",
                    [(feed_id, tag) for tag in tags if tag],
                )
            else:
                feed_id = row[0]
                db.execute("UPDATE feeds SET subscribed = 1 WHERE id = ?", (feed_id,))
        return self.feed(feed_id)

    def add_feeds(
        self, feeds: Iterable[tuple[str, str, Sequence[str]]], *, now: datetime | None = None
    ) -> int:
        """Subscribe to many (url, title, tags) at once; return how many were new."""
        now_ts = to_timestamp(now or datetime.now(UTC))
        added = 0
        with self.transaction() as db:
            for url, title, tags in feeds:
                cursor = db.execute(
                    "INSERT OR IGNORE INTO feeds (url, user_title, added_at) VALUES (?, ?, ?)",
                    (url, title or None, now_ts),
                )
                if not cursor.rowcount:
                    # A feed removed earlier but kept for its bookmarks comes back.
                    revived = db.execute(
                        "UPDATE feeds SET subscribed = 1 WHERE url = ? AND subscribed = 0",
                        (url,),
                    )
                    added += revived.rowcount
                    continue
                added += 1
                db.executemany(
                    "INSERT OR IGNORE INTO feed_tags (feed_id, tag) VALUES (?, ?)",
                    [(cursor.lastrowid, tag) for tag in tags if tag],
                )
        return added

    def remove_feed(self, feed_id: int, *, keep_bookmarks: bool = True) -> int:
        """Unsubscribe and delete the feed's articles; return how many bookmarks were kept.

        With ``keep_bookmarks`` (the default) bookmarked articles stay, under a feed row
        that is no longer subscribed and no longer refreshed.
        """
        with self.transaction() as db:
            kept = db.execute(
                "SELECT count(*) FROM bookmarks b JOIN articles a ON a.id = b.article_id "
                "WHERE a.feed_id = ?",
                (feed_id,),
            ).fetchone()[0]
            if keep_bookmarks and kept:
                db.execute(
                    "DELETE FROM articles WHERE feed_id = ? "
                    "AND id NOT IN (SELECT article_id FROM bookmarks)",
                    (feed_id,),
                )
                db.execute("DELETE FROM feed_tags WHERE feed_id = ?", (feed_id,))
                db.execute(
                    "UPDATE feeds SET subscribed = 0, etag = NULL, last_modified = NULL "
                    "WHERE id = ?",
                    (feed_id,),
                )
                return kept
            db.execute("DELETE FROM feeds WHERE id = ?", (feed_id,))
            return 0

    def prune_feed(
        self,
        feed_id: int,
        *,
        now: datetime,
        keep_days: int = 0,
        max_per_feed: int = 0,
        include_unread: bool = False,
    ) -> int:
        """Apply retention to one feed in one transaction; return how many articles went.

        Articles older than ``keep_days`` and beyond the newest ``max_per_feed`` go (0
        means no limit); unread ones only with ``include_unread``; bookmarked never.
        """
        if keep_days <= 0 and max_per_feed <= 0:
            return 0
        keep = "a.id NOT IN (SELECT article_id FROM bookmarks)"
        if not include_unread:
            keep += " AND a.read = 1"
        doomed: set[int] = set()
        with self.transaction() as db:
            if keep_days > 0:
                cutoff = to_timestamp(now) - keep_days * 86400
                doomed.update(
                    row[0]
                    for row in db.execute(
                        f"SELECT a.id FROM articles a WHERE a.feed_id = ? AND a.sort_time < ? "
                        f"AND {keep}",
                        (feed_id, cutoff),
                    )
                )
            if max_per_feed > 0:
                doomed.update(
                    row[0]
                    for row in db.execute(
                        f"""SELECT a.id FROM articles a WHERE a.feed_id = ? AND {keep}
                            AND a.id NOT IN (SELECT id FROM articles WHERE feed_id = ?
                                ORDER BY sort_time DESC, id DESC LIMIT ?)""",
                        (feed_id, feed_id, max_per_feed),
                    )
                )
            if doomed:
                ids = [(article_id,) for article_id in sorted(doomed)]
                db.executemany(
                    "INSERT OR IGNORE INTO pruned (feed_id, dedup_key) "
                    "SELECT feed_id, dedup_key FROM articles WHERE id = ?",
                    ids,
                )
                db.executemany("DELETE FROM articles WHERE id = ?", ids)
        return len(doomed)

    def reclaim_space(self, pages: int = 2000) -> None:
        """Give back some free pages to the file system, a bounded step at a time."""
        self._db.execute(f"PRAGMA incremental_vacuum({int(pages)})").fetchall()

    def count_bookmarks(self, feed_id: int) -> int:
        return self._db.execute(
            "SELECT count(*) FROM bookmarks b JOIN articles a ON a.id = b.article_id "
            "WHERE a.feed_id = ?",
            (feed_id,),
        ).fetchone()[0]

    def feed(self, feed_id: int) -> Feed:
        feeds = self._feeds("WHERE f.id = ?", (feed_id,))
        if not feeds:
            raise FeedNotFoundError(f"no feed with id {feed_id}")
        return feeds[0]

    def feed_by_url(self, url: str) -> Feed:
        feeds = self._feeds("WHERE f.url = ? AND f.subscribed = 1", (url,))
        if not feeds:
            raise FeedNotFoundError(f"not subscribed to {url}")
        return feeds[0]

    def feeds(self) -> list[Feed]:
        """Every subscription, by title."""
        return self._feeds("WHERE f.subscribed = 1", ())

    def _feeds(self, where: str, params: Sequence[object]) -> list[Feed]:
        rows = self._db.execute(
            f"""
            SELECT f.id, f.url, COALESCE(f.user_title, f.title), f.site_url, f.description,
                   f.added_at, f.last_checked, f.last_status, f.last_error, f.last_warning,
                   f.gone, f.etag, f.last_modified,
                   (SELECT count(*) FROM articles a WHERE a.feed_id = f.id AND a.read = 0),
                   (SELECT count(*) FROM articles a WHERE a.feed_id = f.id),
                   (SELECT group_concat(tag, char(31)) FROM
                        (SELECT tag FROM feed_tags t WHERE t.feed_id = f.id ORDER BY tag)),
                   f.failures, f.next_check
            FROM feeds f {where}
            ORDER BY lower(COALESCE(f.user_title, NULLIF(f.title, ''), f.url)), f.id
            """,
            params,
        ).fetchall()
        return [
            Feed(
                id=r[0],
                url=r[1],
                title=r[2] or "",
                site_url=r[3],
                description=r[4],
                added_at=from_timestamp(r[5]),
                last_checked=from_timestamp(r[6]),
                last_status=r[7],
                last_error=r[8],
                last_warning=r[9],
                gone=bool(r[10]),
                etag=r[11],
                last_modified=r[12],
                unread=r[13],
                total=r[14],
                tags=tuple(r[15].split("\x1f")) if r[15] else (),
                failures=r[16],
                next_check=from_timestamp(r[17]),
            )
            for r in rows
        ]

    # -- refresh results -----------------------------------------------------------

    def apply_feed_update(
        self,
        feed_id: int,
        parsed: ParsedFeed,
        *,
        now: datetime,
        status: str = "200",
        etag: str | None = None,
        last_modified: str | None = None,
        new_url: str | None = None,
        hints: Hints | None = None,
    ) -> int:
        """Store a freshly parsed feed in one transaction; return how many articles are new.

        Known articles keep their id, read state and first-seen time; their text is
        updated if the feed changed it.
        """
        now_ts = to_timestamp(now)
        with self.transaction() as db:
            seen: dict[str, int] = dict(
                db.execute(
                    "SELECT dedup_key, id FROM articles WHERE feed_id = ?", (feed_id,)
                ).fetchall()
            )
            pruned = {
                row[0]
                for row in db.execute(
                    "SELECT dedup_key FROM pruned WHERE feed_id = ?", (feed_id,)
                ).fetchall()
            }
            inserts: list[tuple[object, ...]] = []
            updates: list[tuple[object, ...]] = []
            batch: set[str] = set()
            for entry in parsed.entries:
                key = dedup_key(entry)
                if key in batch:  # a feed that repeats a guid: the first copy wins
                    continue
                batch.add(key)
                if key in pruned:  # removed by retention: stays removed
                    continue
                published = to_timestamp(entry.published or entry.updated)
                fields = (
                    entry.guid,
                    entry.link,
                    entry.title,
                    entry.author,
                    published,
                    to_timestamp(entry.updated),
                    entry.summary,
                    entry.content,
                )
                if key in seen:
                    updates.append((*fields, seen[key]))
                else:
                    sort_time = (
                        published
                        if published is not None and published <= now_ts + _FUTURE_SLACK
                        else now_ts
                    )
                    inserts.append((feed_id, key, *fields, now_ts, sort_time))
            # Oldest first, so ids and search keys rise through the batch: FTS5 writes
            # a new segment whenever a rowid is lower than the one before, which for a
            # newest-first feed was every row (a cold refresh took 7.4 s instead of 5).
            # Items with the same time go in reverse feed order, so the list, which
            # shows the higher id first, keeps the feed's own order for them.
            inserts = [
                row for _, row in sorted(enumerate(inserts), key=lambda p: (p[1][-1], -p[0]))
            ]
            self._insert_articles(db, inserts)
            # Only rows whose text actually changed are rewritten, so a re-served feed
            # costs reads, not writes.
            db.executemany(
                """UPDATE articles SET guid = ?1, link = ?2, title = ?3, author = ?4,
                       published = ?5, updated = ?6, summary = ?7, content = ?8
                   WHERE id = ?9 AND (title IS NOT ?3 OR link IS NOT ?2 OR author IS NOT ?4
                       OR summary IS NOT ?7 OR content IS NOT ?8 OR published IS NOT ?5)""",
                updates,
            )
            if pruned - batch:
                # Tombstones for items the feed no longer carries can never match again.
                db.executemany(
                    "DELETE FROM pruned WHERE feed_id = ? AND dedup_key = ?",
                    [(feed_id, key) for key in pruned - batch],
                )
            db.execute(
                """UPDATE feeds SET title = ?, site_url = ?, description = ?, etag = ?,
                       last_modified = ?, last_checked = ?, last_status = ?, last_error = NULL,
                       last_warning = ?, failures = 0, retry_after = NULL, gone = 0,
                       ttl = ?, skip_hours = ?, skip_days = ?, max_age = ?
                   WHERE id = ?""",
                (
                    parsed.title,
                    parsed.link,
                    parsed.description,
                    etag,
                    last_modified,
                    now_ts,
                    status,
                    parsed.warning,
                    hints.ttl_minutes if hints else None,
                    ",".join(map(str, sorted(hints.skip_hours))) if hints else "",
                    ",".join(map(str, sorted(hints.skip_days))) if hints else "",
                    hints.max_age_seconds if hints else None,
                    feed_id,
                ),
            )
            self._schedule(db, feed_id)
            if new_url:
                self._move_feed(db, feed_id, new_url)
        return len(inserts)

    @staticmethod
    def _schedule(db: sqlite3.Connection, feed_id: int) -> None:
        """Work out when the feed is next due from what was just recorded."""
        row = db.execute(
            "SELECT last_checked, failures, retry_after, ttl, skip_hours, skip_days, max_age "
            "FROM feeds WHERE id = ?",
            (feed_id,),
        ).fetchone()
        checked, failures, retry_after, ttl, skip_hours, skip_days, max_age = row
        hints = Hints(
            ttl_minutes=ttl,
            skip_hours=frozenset(int(h) for h in skip_hours.split(",") if h),
            skip_days=frozenset(int(d) for d in skip_days.split(",") if d),
            max_age_seconds=max_age,
        )
        due = next_check(
            from_timestamp(checked),
            hints,
            failures=failures,
            retry_after=from_timestamp(retry_after),
        )
        db.execute("UPDATE feeds SET next_check = ? WHERE id = ?", (to_timestamp(due), feed_id))

    @staticmethod
    def _insert_articles(db: sqlite3.Connection, rows: Sequence[tuple[object, ...]]) -> None:
        """INSERT new article rows, up to 64 per statement (12 parameters each).

        Not ``executemany``: FTS5 flushes its pending index data to disk at each
        statement's savepoint, so with the search trigger one statement per row made a
        cold refresh of 25,000 articles spend 3.8 s in SQLite instead of 2.3 s.
        """
        columns = """INSERT INTO articles (feed_id, dedup_key, guid, link, title, author,
            published, updated, summary, content, first_seen, sort_time) VALUES """
        for start in range(0, len(rows), 64):
            chunk = rows[start : start + 64]
            db.execute(
                columns + ", ".join(["(?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)"] * len(chunk)),
                [value for row in chunk for value in row],
            )

    def record_not_modified(
        self,
        feed_id: int,
        *,
        now: datetime,
        etag: str | None = None,
        last_modified: str | None = None,
        new_url: str | None = None,
        max_age: int | None = None,
    ) -> None:
        with self.transaction() as db:
            db.execute(
                """UPDATE feeds SET last_checked = ?, last_status = '304', last_error = NULL,
                       failures = 0, retry_after = NULL, max_age = ?,
                       etag = COALESCE(?, etag), last_modified = COALESCE(?, last_modified)
                   WHERE id = ?""",
                (to_timestamp(now), max_age, etag, last_modified, feed_id),
            )
            self._schedule(db, feed_id)
            if new_url:
                self._move_feed(db, feed_id, new_url)

    def record_failure(
        self,
        feed_id: int,
        error: str,
        *,
        now: datetime,
        status: str = "error",
        gone: bool = False,
        retry_after: datetime | None = None,
    ) -> None:
        """Note why a refresh failed; the feed's articles stay as they were."""
        with self.transaction() as db:
            db.execute(
                """UPDATE feeds SET last_checked = ?, last_status = ?, last_error = ?,
                       failures = failures + 1, retry_after = ?, gone = ?
                   WHERE id = ?""",
                (to_timestamp(now), status, error, to_timestamp(retry_after), int(gone), feed_id),
            )
            self._schedule(db, feed_id)

    @staticmethod
    def _move_feed(db: sqlite3.Connection, feed_id: int, new_url: str) -> None:
        # A permanent redirect to an address we already follow separately keeps both.
        db.execute(
            "UPDATE OR IGNORE feeds SET url = ? WHERE id = ?",
            (new_url, feed_id),
        )

    # -- articles ------------------------------------------------------------------

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
        if _search_leads(which):
            return self._search_page(which, limit=limit, after=after)
        clauses, params = _filter_clauses(which)
        if after is not None:
            clauses.append("(a.sort_time, a.id) < (?, ?)")
            params.extend(after)
        where = ("WHERE " + " AND ".join(clauses)) if clauses else ""
        rows = self._db.execute(
            f"""SELECT {_ARTICLE_COLUMNS} FROM articles a JOIN feeds f ON f.id = a.feed_id
                {where} ORDER BY a.sort_time DESC, a.id DESC LIMIT ?""",
            (*params, limit),
        ).fetchall()
        return [_article(row) for row in rows]

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
            params.append((after[0] << _ID_BITS) | after[1])
        rows = self._db.execute(
            f"""SELECT {_ARTICLE_COLUMNS} FROM article_search s
                JOIN articles a ON a.id = (s.rowid & {(1 << _ID_BITS) - 1})
                JOIN feeds f ON f.id = a.feed_id
                WHERE {" AND ".join(clauses)} ORDER BY s.rowid DESC LIMIT ?""",
            (*params, limit),
        ).fetchall()
        return [_article(row) for row in rows]

    def article(self, article_id: int) -> Article:
        """One article with its body."""
        row = self._db.execute(
            f"""SELECT {_ARTICLE_COLUMNS}, a.summary, a.content
                FROM articles a JOIN feeds f ON f.id = a.feed_id WHERE a.id = ?""",
            (article_id,),
        ).fetchone()
        if row is None:
            raise ArticleNotFoundError(f"no article with id {article_id}")
        return _article(row[:-2], summary=row[-2], content=row[-1])

    def article_by_link(self, link: str) -> Article | None:
        row = self._db.execute(
            "SELECT id FROM articles WHERE link = ? ORDER BY id DESC LIMIT 1", (link,)
        ).fetchone()
        return self.article(row[0]) if row else None

    def set_read(self, article_ids: Iterable[int], read: bool = True) -> None:
        with self.transaction() as db:
            db.executemany(
                "UPDATE articles SET read = ? WHERE id = ?",
                [(int(read), article_id) for article_id in article_ids],
            )

    def mark_all_read(self, which: ArticleFilter | None = None) -> int:
        """Mark every article the filter selects as read; return how many changed."""
        where, params = _filter_clauses(which or ArticleFilter())
        where.append("a.read = 0")
        with self.transaction() as db:
            cursor = db.execute(
                f"UPDATE articles AS a SET read = 1 WHERE {' AND '.join(where)}", params
            )
            return cursor.rowcount

    def mark_feed_read(self, feed_id: int) -> int:
        return self.mark_all_read(ArticleFilter(feed_id=feed_id))

    def set_bookmark(self, article_id: int, bookmarked: bool, *, note: str | None = None) -> None:
        """Keep (or stop keeping) an article; a note replaces the old one when given."""
        now = to_timestamp(datetime.now(UTC))
        with self.transaction() as db:
            if not bookmarked:
                db.execute("DELETE FROM bookmarks WHERE article_id = ?", (article_id,))
                return
            if db.execute("SELECT 1 FROM articles WHERE id = ?", (article_id,)).fetchone() is None:
                raise ArticleNotFoundError(f"no article with id {article_id}")
            db.execute(
                """INSERT INTO bookmarks (article_id, note, created_at) VALUES (?, ?, ?)
                   ON CONFLICT (article_id) DO UPDATE SET note = COALESCE(?, note)""",
                (article_id, note or "", now, note),
            )

    def bookmarks(self) -> list[Bookmark]:
        """Every bookmark with its note, most recently made first."""
        rows = self._db.execute(
            f"""SELECT {_ARTICLE_COLUMNS}, b.note, b.created_at
                FROM bookmarks b JOIN articles a ON a.id = b.article_id
                JOIN feeds f ON f.id = a.feed_id
                ORDER BY b.created_at DESC, a.id DESC"""
        ).fetchall()
        return [
            Bookmark(_article(row[:-2]), note=row[-2], created_at=from_timestamp(row[-1]))
            for row in rows
        ]

    def bookmark(self, article_id: int) -> Bookmark | None:
        row = self._db.execute(
            "SELECT note, created_at FROM bookmarks WHERE article_id = ?", (article_id,)
        ).fetchone()
        if row is None:
            return None
        return Bookmark(self.article(article_id), note=row[0], created_at=from_timestamp(row[1]))

    def cached_text(self, article_id: int) -> tuple[str, str | None] | None:
        """(text, error) saved for the article's page, or None if never fetched."""
        row = self._db.execute(
            "SELECT text, error FROM article_text WHERE article_id = ?", (article_id,)
        ).fetchone()
        return (row[0], row[1]) if row else None

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

    def iter_articles(self, which: ArticleFilter | None = None, *, page: int = 500):
        """Every article the filter selects, newest first, a keyset page at a time."""
        cursor: PageCursor | None = None
        while True:
            batch = self.articles(which, limit=page, after=cursor)
            yield from batch
            if len(batch) < page:
                return
            cursor = (batch[-1].sort_time, batch[-1].id)

    def counts(self) -> tuple[int, int, int]:
        """(all articles, unread, bookmarked) for the virtual feeds."""
        total, unread = self._db.execute(
            "SELECT count(*), count(*) FILTER (WHERE read = 0) FROM articles"
        ).fetchone()
        bookmarked = self._db.execute("SELECT count(*) FROM bookmarks").fetchone()[0]
        return total, unread or 0, bookmarked

    # -- small persistent state --------------------------------------------------

    def get_state(self, key: str, default: str | None = None) -> str | None:
        row = self._db.execute("SELECT value FROM state WHERE key = ?", (key,)).fetchone()
        return row[0] if row else default

    def set_state(self, key: str, value: str) -> None:
        with self.transaction() as db:
            db.execute(
                "INSERT INTO state (key, value) VALUES (?, ?) "
                "ON CONFLICT (key) DO UPDATE SET value = excluded.value",
                (key, value),
            )


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
        clauses.append("a.feed_id IN (SELECT feed_id FROM feed_tags WHERE tag = ?)")
        params.append(which.tag)
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


def _article(row: Sequence[object], *, summary: str = "", content: str = "") -> Article:
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
        summary=summary,
        content=content,
    )


_TAGS = re.compile(r"<[^>]*>")
_WORDS = re.compile(r"\w+")


def plain_text(summary: str | None, content: str | None) -> str:
    """The words of an article's HTML bodies, for the search index."""
    body = content or summary or ""
    return html.unescape(_TAGS.sub(" ", body))


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


def write_error(exc: BaseException) -> StoreError:
    """The one-line error for a write that failed with ``exc`` (kept if it is one)."""
    if isinstance(exc, StoreError):
        return exc
    return StoreError(f"cannot write to the database: {_reason(exc)}")


def _reason(exc: BaseException) -> str:
    if isinstance(exc, OSError) and exc.strerror:
        return exc.strerror.lower()
    return str(exc) or type(exc).__name__
