"""The archive's schema: one migration per version, keyed on ``PRAGMA user_version``."""

from __future__ import annotations

import html
import re
import sqlite3
from pathlib import Path

from ..errors import StoreError

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
    # Sync with a Google Reader API server. sync_feeds: the subscriptions the server
    # owns (never fetched from their origin). sync_items: the server's id of each
    # synced article. sync_pending: the durable queue of local changes, the latest
    # wanted value per item and flag, filled by triggers so that every path that marks
    # or bookmarks (reader, CLI, rules) queues without knowing about sync; seq orders
    # the changes and tells a change made during a send from the one that was sent.
    """
    CREATE TABLE sync_feeds (
        feed_id INTEGER PRIMARY KEY REFERENCES feeds(id) ON DELETE CASCADE,
        stream_id TEXT NOT NULL UNIQUE
    );
    CREATE TABLE sync_items (
        article_id INTEGER PRIMARY KEY REFERENCES articles(id) ON DELETE CASCADE,
        item_id INTEGER NOT NULL UNIQUE
    );
    CREATE TABLE sync_pending (
        item_id INTEGER NOT NULL,
        flag TEXT NOT NULL,
        value INTEGER NOT NULL,
        seq INTEGER NOT NULL,
        PRIMARY KEY (item_id, flag)
    ) WITHOUT ROWID;
    CREATE INDEX sync_pending_seq ON sync_pending (seq);
    CREATE TRIGGER sync_queue_read AFTER UPDATE OF read ON articles
    WHEN old.read IS NOT new.read BEGIN
        INSERT INTO sync_pending (item_id, flag, value, seq)
        SELECT item_id, 'read', new.read,
               (SELECT coalesce(max(seq), 0) + 1 FROM sync_pending)
        FROM sync_items WHERE article_id = new.id
        ON CONFLICT (item_id, flag) DO UPDATE SET value = excluded.value, seq = excluded.seq;
    END;
    CREATE TRIGGER sync_queue_star AFTER INSERT ON bookmarks BEGIN
        INSERT INTO sync_pending (item_id, flag, value, seq)
        SELECT item_id, 'starred', 1, (SELECT coalesce(max(seq), 0) + 1 FROM sync_pending)
        FROM sync_items WHERE article_id = new.article_id
        ON CONFLICT (item_id, flag) DO UPDATE SET value = excluded.value, seq = excluded.seq;
    END;
    CREATE TRIGGER sync_queue_unstar AFTER DELETE ON bookmarks BEGIN
        INSERT INTO sync_pending (item_id, flag, value, seq)
        SELECT item_id, 'starred', 0, (SELECT coalesce(max(seq), 0) + 1 FROM sync_pending)
        FROM sync_items WHERE article_id = old.article_id
        ON CONFLICT (item_id, flag) DO UPDATE SET value = excluded.value, seq = excluded.seq;
    END;
    -- Subscriptions go through the server too: a feed added while an account is set
    -- (state 'sync.account') is queued for quickadd, a server feed removed here for
    -- unsubscribe; its bookmarked articles become local ones.
    CREATE TABLE sync_pending_feeds (
        action TEXT NOT NULL,
        target TEXT NOT NULL,
        PRIMARY KEY (action, target)
    ) WITHOUT ROWID;
    CREATE TRIGGER sync_queue_subscribe AFTER INSERT ON feeds
    WHEN new.subscribed = 1 AND new.url LIKE 'http%'
        AND EXISTS (SELECT 1 FROM state WHERE key = 'sync.account') BEGIN
        INSERT OR IGNORE INTO sync_pending_feeds (action, target) VALUES ('subscribe', new.url);
    END;
    CREATE TRIGGER sync_queue_unsubscribe AFTER UPDATE OF subscribed ON feeds
    WHEN old.subscribed = 1 AND new.subscribed = 0 BEGIN
        INSERT OR IGNORE INTO sync_pending_feeds (action, target)
            SELECT 'unsubscribe', stream_id FROM sync_feeds WHERE feed_id = new.id;
        DELETE FROM sync_pending_feeds WHERE action = 'subscribe' AND target = new.url;
        DELETE FROM sync_items
            WHERE article_id IN (SELECT id FROM articles WHERE feed_id = new.id);
        DELETE FROM sync_feeds WHERE feed_id = new.id;
    END;
    CREATE TRIGGER sync_queue_delete_feed BEFORE DELETE ON feeds BEGIN
        INSERT OR IGNORE INTO sync_pending_feeds (action, target)
            SELECT 'unsubscribe', stream_id FROM sync_feeds WHERE feed_id = old.id;
        DELETE FROM sync_pending_feeds WHERE action = 'subscribe' AND target = old.url;
    END;
    """,
    # Stories: each recent article's MinHash signature and headline and lead words, so
    # a refresh compares its new articles with the last days' without reading them
    # again; and which story an article shares with others (none: no row).
    """
    CREATE TABLE story_sketches (
        article_id INTEGER PRIMARY KEY REFERENCES articles(id) ON DELETE CASCADE,
        time INTEGER NOT NULL,
        signature BLOB NOT NULL,
        title_words BLOB NOT NULL,
        lead_words BLOB NOT NULL
    );
    CREATE INDEX story_sketches_by_time ON story_sketches (time);
    CREATE TABLE story_members (
        article_id INTEGER PRIMARY KEY REFERENCES articles(id) ON DELETE CASCADE,
        story_id INTEGER NOT NULL
    );
    CREATE INDEX story_members_by_story ON story_members (story_id);
    """,
    # Reading less: rules (a query and an action), hidden articles (kept, shown on
    # request), tags that rules put on articles, saved searches, and the state of each
    # article before a mass action so that the last one can be undone exactly.
    """
    CREATE TABLE rules (
        id INTEGER PRIMARY KEY,
        query TEXT NOT NULL,
        action TEXT NOT NULL,
        created_at INTEGER NOT NULL
    );
    ALTER TABLE articles ADD COLUMN hidden INTEGER NOT NULL DEFAULT 0;
    CREATE TABLE article_tags (
        article_id INTEGER NOT NULL REFERENCES articles(id) ON DELETE CASCADE,
        tag TEXT NOT NULL,
        PRIMARY KEY (article_id, tag)
    ) WITHOUT ROWID;
    CREATE TABLE saved_searches (
        name TEXT PRIMARY KEY,
        query TEXT NOT NULL,
        created_at INTEGER NOT NULL
    ) WITHOUT ROWID;
    CREATE TABLE undo_actions (
        id INTEGER PRIMARY KEY,
        label TEXT NOT NULL,
        created_at INTEGER NOT NULL
    );
    CREATE TABLE undo_items (
        action_id INTEGER NOT NULL REFERENCES undo_actions(id) ON DELETE CASCADE,
        article_id INTEGER NOT NULL,
        read INTEGER NOT NULL,
        hidden INTEGER NOT NULL,
        PRIMARY KEY (action_id, article_id)
    ) WITHOUT ROWID;
    """,
    # Stories: the recent sketches' ids, times and signatures as arrays, one row per
    # span of hours, so a refresh reads its window in a few rows rather than 10,000. A
    # cache of story_sketches, which stays the record: a row that disagrees with it
    # is rebuilt from it.
    """
    CREATE TABLE story_windows (
        bucket INTEGER PRIMARY KEY,
        ids BLOB NOT NULL,
        times BLOB NOT NULL,
        signatures BLOB NOT NULL
    );
    """,
)
SCHEMA_VERSION = len(MIGRATIONS)

# An article's row in the search index is (sort_time << ID_BITS) | id, so the index
# walks matches in list order. sort_time lies between about 1970 (a little below 0
# with a time zone) and a day past now, and ids stay far below 2**30. Migration 8
# writes the same 30 in its SQL.
ID_BITS = 30

_TAGS = re.compile(r"<[^>]*>")


def plain_text(summary: str | None, content: str | None) -> str:
    """The words of an article's HTML bodies, for the search index.

    The search triggers call it as ``broadsheet_plain``, so every connection registers it.
    """
    body = content or summary or ""
    return html.unescape(_TAGS.sub(" ", body))


def word_count(summary: str | None, content: str | None, page: str | None = None) -> int:
    """Words of an article: of its page's text when that was fetched and is longer.

    The article lists call it as ``broadsheet_words`` for their reading times."""
    words = len(plain_text(summary, content).split())
    return max(words, len(page.split())) if page else words


def _statements(script: str) -> list[str]:
    """The SQL statements of ``script``, triggers kept whole (``executescript`` would
    commit the transaction the version check runs in)."""
    found, pending = [], ""
    for part in script.split(";"):
        pending += part + ";"
        if sqlite3.complete_statement(pending):
            if pending.strip(" \t\n;"):
                found.append(pending)
            pending = ""
    if pending.strip(" \t\n;"):
        found.append(pending)
    return found


def migrate(db: sqlite3.Connection, path: Path) -> int:
    """Bring the schema up to date; return the version found on opening."""
    version = db.execute("PRAGMA user_version").fetchone()[0]
    if version > SCHEMA_VERSION:
        raise StoreError(
            f"the database {path} was written by a newer Broadsheet "
            f"(schema {version}, this one knows {SCHEMA_VERSION})"
        )
    for number in range(version, SCHEMA_VERSION):
        # One transaction per step, the version checked inside it: another process (a
        # second tab, a terminal) may open the same new archive at the same moment, and
        # a step it has run must not run twice.
        db.execute("BEGIN IMMEDIATE")
        try:
            if db.execute("PRAGMA user_version").fetchone()[0] <= number:
                for statement in _statements(MIGRATIONS[number]):
                    db.execute(statement)
                db.execute(f"PRAGMA user_version = {number + 1}")
            db.execute("COMMIT")
        except BaseException:
            if db.in_transaction:
                db.execute("ROLLBACK")
            raise
    return version
