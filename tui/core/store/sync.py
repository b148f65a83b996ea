"""The store's side of a sync: server feeds and items, and the queue of local changes.

Local changes are queued by triggers (schema migration 9) whenever a synced
article's read flag or bookmark changes, whoever changed it. Applying the server's
state never touches an item whose change is still queued: that is how a read made
offline survives a sync that still sees the article unread on the server.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime

from ..sync.types import ServerFeed, SyncedItem
from .base import StoreBase, reads, to_timestamp, writes
from .refresh import Columns, NewArticle, _insert_articles

_FUTURE_SLACK = 24 * 3600


@dataclass(frozen=True, slots=True)
class PendingChange:
    """A local change waiting to be sent: set ``flag`` (read or starred) to ``value``."""

    item_id: int
    flag: str
    value: bool
    seq: int


class SyncMixin(StoreBase):
    """Server-owned feeds and items, and the pending queue."""

    @reads
    def server_feed_ids(self) -> set[int]:
        """Feeds the server owns: a refresh leaves them to the sync."""
        return {row[0] for row in self._db.execute("SELECT feed_id FROM sync_feeds")}

    @reads
    def server_subscription_count(self) -> int:
        return self._db.execute(
            "SELECT count(*) FROM sync_feeds s JOIN feeds f ON f.id = s.feed_id "
            "WHERE f.subscribed = 1"
        ).fetchone()[0]

    @reads
    def server_stream(self, feed_id: int) -> str | None:
        row = self._db.execute(
            "SELECT stream_id FROM sync_feeds WHERE feed_id = ?", (feed_id,)
        ).fetchone()
        return row[0] if row else None

    @reads
    def known_item_ids(self) -> set[int]:
        """Items already stored, or removed by retention: never downloaded again."""
        known = {row[0] for row in self._db.execute("SELECT item_id FROM sync_items")}
        known.update(
            int(row[0][2:])
            for row in self._db.execute("SELECT dedup_key FROM pruned WHERE dedup_key LIKE 'r:%'")
        )
        return known

    @reads
    def pending_changes(self) -> list[PendingChange]:
        rows = self._db.execute(
            "SELECT item_id, flag, value, seq FROM sync_pending ORDER BY seq"
        ).fetchall()
        return [PendingChange(r[0], r[1], bool(r[2]), r[3]) for r in rows]

    @reads
    def pending_count(self) -> int:
        return self._db.execute(
            "SELECT (SELECT count(*) FROM sync_pending) + (SELECT count(*) FROM sync_pending_feeds)"
        ).fetchone()[0]

    @writes
    def clear_sent(self, changes: Iterable[PendingChange]) -> None:
        """Drop changes the server took; one changed again meanwhile stays queued."""
        with self.transaction() as db:
            db.executemany(
                "DELETE FROM sync_pending WHERE item_id = ? AND flag = ? AND seq = ?",
                [(c.item_id, c.flag, c.seq) for c in changes],
            )

    @writes
    def apply_subscriptions(self, feeds: Sequence[ServerFeed], *, now: datetime) -> int:
        """Make the server's subscriptions ours; return how many feeds were new here.

        A local feed with the same address is adopted (its articles stay); a server
        feed that is gone from the server is unsubscribed, its bookmarks kept.
        """
        now_ts = to_timestamp(now)
        added = 0
        with self.transaction() as db:
            owned = dict(db.execute("SELECT stream_id, feed_id FROM sync_feeds").fetchall())
            keep: set[int] = set()
            for feed in feeds:
                feed_id = owned.get(feed.stream_id)
                if feed_id is None:
                    row = db.execute("SELECT id FROM feeds WHERE url = ?", (feed.url,)).fetchone()
                    if row is None:
                        # Inserted unsubscribed (the UPDATE below subscribes it), so
                        # the trigger does not queue the server's own feed back to it.
                        feed_id = db.execute(
                            "INSERT INTO feeds (url, added_at, subscribed) VALUES (?, ?, 0)",
                            (feed.url, now_ts),
                        ).lastrowid
                        added += 1
                    else:
                        feed_id = row[0]
                    db.execute(
                        "INSERT OR REPLACE INTO sync_feeds (feed_id, stream_id) VALUES (?, ?)",
                        (feed_id, feed.stream_id),
                    )
                db.execute(
                    """UPDATE feeds SET title = ?, site_url = COALESCE(?, site_url),
                           subscribed = 1, last_status = 'synced', last_error = NULL
                       WHERE id = ?""",
                    (feed.title, feed.site_url, feed_id),
                )
                db.execute("DELETE FROM feed_tags WHERE feed_id = ?", (feed_id,))
                db.executemany(
                    "INSERT OR IGNORE INTO feed_tags (feed_id, tag) VALUES (?, ?)",
                    [(feed_id, label) for label in feed.labels if label],
                )
                keep.add(feed_id)
            for feed_id in set(owned.values()) - keep:
                # Placeholders (subscribed = 0) hold items of feeds the server no
                # longer lists; only a feed that was listed is dropped.
                row = db.execute("SELECT subscribed FROM feeds WHERE id = ?", (feed_id,)).fetchone()
                if row and row[0]:
                    _unsubscribe(db, feed_id)
        return added

    @writes
    def store_synced_items(self, items: Sequence[SyncedItem], *, now: datetime) -> int:
        """Store items downloaded from the server; return how many articles are new.

        An item whose link matches an article of its feed that came from the feed's
        origin (before the server owned the feed) takes that article over, and so does
        an item stored before and no longer linked (after ``sync off``, or a feed
        removed and added again): inserting it again would break the archive's
        uniqueness and fail every sync from then on. A taken-over article keeps what
        the user did to it here (read, bookmarked) and the server is told on the next
        sync: the server's state is added to it, never put in its place.
        """
        now_ts = to_timestamp(now)
        assert now_ts is not None
        with self.transaction() as db:
            feeds = dict(db.execute("SELECT stream_id, feed_id FROM sync_feeds").fetchall())
            rows: list[tuple[int, NewArticle]] = []
            adopted: list[tuple[int, SyncedItem]] = []
            origin: dict[int, dict[str, int]] = {}
            relink: dict[int, dict[int, tuple[int, str | None]]] = {}
            kept = _unlinked_bookmarks(db)
            # Stored meanwhile by another sync (the reader's timed refresh, a command in
            # another terminal) with its own view of what was known: skipped, not a
            # uniqueness error. An item listed twice in one answer is stored once.
            unique = {item.item_id: item for item in items}
            linked = _linked_items(db, list(unique))
            items = [item for item_id, item in unique.items() if item_id not in linked]
            for item in items:
                feed_id = feeds.get(item.stream_id)
                if feed_id is None:
                    feed_id = feeds[item.stream_id] = _placeholder_feed(db, item, now_ts)
                if feed_id not in origin:
                    origin[feed_id] = _origin_articles(db, feed_id)
                    relink[feed_id] = _unlinked_items(db, feed_id)
                match = None
                stored = relink[feed_id].pop(item.item_id, None) or kept.pop(item.item_id, None)
                if stored is not None and stored[1] == item.link:
                    match = stored[0]
                elif stored is not None:
                    # Another server's item under the same number (ids are small
                    # counters on some): the old article keeps its text, not the key.
                    db.execute(
                        "UPDATE articles SET dedup_key = 'x:' || dedup_key WHERE id = ?",
                        (stored[0],),
                    )
                if match is None and item.link:
                    match = origin[feed_id].pop(item.link, None)
                if match is not None:
                    adopted.append((match, item))
                    continue
                published = item.published
                sort_time = (
                    published
                    if published is not None and published <= now_ts + _FUTURE_SLACK
                    else (item.crawled or now_ts)
                )
                columns = Columns(
                    None,
                    item.link,
                    item.title,
                    item.author,
                    published,
                    None,
                    item.summary_html,
                    item.content,
                )
                rows.append((feed_id, NewArticle(f"r:{item.item_id}", columns, now_ts, sort_time)))
            before = db.execute("SELECT coalesce(max(id), 0) FROM articles").fetchone()[0]
            # Oldest first, as a refresh inserts: search keys then rise through the batch.
            rows.sort(key=lambda pair: pair[1].sort_time)
            by_feed: dict[int, list[NewArticle]] = {}
            for feed_id, row in rows:
                by_feed.setdefault(feed_id, []).append(row)
            for feed_id, new in by_feed.items():
                _insert_articles(db, feed_id, new)
            state = {item.item_id: item for item in items}
            inserted = db.execute(
                "SELECT id, CAST(substr(dedup_key, 3) AS INTEGER) FROM articles "
                "WHERE id > ? AND dedup_key LIKE 'r:%'",
                (before,),
            ).fetchall()
            pairs = [(article_id, state[item_id]) for article_id, item_id in inserted]
            pairs += adopted
            local_read, local_starred = _local_state(db, [article_id for article_id, _ in adopted])
            # Flags first, ids after: the queue's triggers only fire for synced items,
            # so the server's own state is not queued back to it.
            db.executemany(
                "UPDATE articles SET read = ? WHERE id = ?",
                [(int(item.read or a in local_read), a) for a, item in pairs],
            )
            db.executemany(
                "INSERT OR IGNORE INTO bookmarks (article_id, note, created_at) VALUES (?, '', ?)",
                [(article_id, now_ts) for article_id, item in pairs if item.starred],
            )
            db.executemany(
                "INSERT OR IGNORE INTO sync_items (article_id, item_id) VALUES (?, ?)",
                [(article_id, item.item_id) for article_id, item in pairs],
            )
            # What the user did here that the server lacks goes to it, as any change.
            db.executemany(
                """INSERT INTO sync_pending (item_id, flag, value, seq)
                   SELECT ?, ?, 1, coalesce(max(seq), 0) + 1 FROM sync_pending WHERE true
                   ON CONFLICT (item_id, flag) DO UPDATE SET value = 1, seq = excluded.seq""",
                [(item.item_id, "read") for a, item in adopted if a in local_read and not item.read]
                + [
                    (item.item_id, "starred")
                    for a, item in adopted
                    if a in local_starred and not item.starred
                ],
            )
        return len(inserted)

    @writes
    def apply_remote_state(self, unread: Iterable[int], starred: Iterable[int]) -> int:
        """Set read flags and bookmarks from the server's unread and starred ids.

        An item with a change still queued keeps the local value (the server has not
        heard of it yet). A bookmark with a note is never removed by the server: the
        note is the user's own. Returns how many articles changed.
        """
        with self.transaction() as db:
            db.execute("CREATE TEMP TABLE IF NOT EXISTS sync_unread (item_id INTEGER PRIMARY KEY)")
            db.execute("CREATE TEMP TABLE IF NOT EXISTS sync_starred (item_id INTEGER PRIMARY KEY)")
            db.execute("DELETE FROM temp.sync_unread")
            db.execute("DELETE FROM temp.sync_starred")
            db.executemany(
                "INSERT OR IGNORE INTO temp.sync_unread VALUES (?)", ((i,) for i in unread)
            )
            db.executemany(
                "INSERT OR IGNORE INTO temp.sync_starred VALUES (?)", ((i,) for i in starred)
            )
            last_seq = db.execute("SELECT coalesce(max(seq), 0) FROM sync_pending").fetchone()[0]
            changed = db.execute(
                """UPDATE articles AS a SET read = w.want FROM (
                       SELECT s.article_id AS id,
                              s.item_id NOT IN (SELECT item_id FROM temp.sync_unread) AS want
                       FROM sync_items s
                       WHERE NOT EXISTS (SELECT 1 FROM sync_pending p
                                         WHERE p.item_id = s.item_id AND p.flag = 'read')
                   ) AS w
                   WHERE a.id = w.id AND a.read IS NOT w.want"""
            ).rowcount
            changed += db.execute(
                """INSERT OR IGNORE INTO bookmarks (article_id, note, created_at)
                   SELECT s.article_id, '', ? FROM sync_items s
                   WHERE s.item_id IN (SELECT item_id FROM temp.sync_starred)
                     AND s.article_id NOT IN (SELECT article_id FROM bookmarks)
                     AND NOT EXISTS (SELECT 1 FROM sync_pending p
                                     WHERE p.item_id = s.item_id AND p.flag = 'starred')""",
                (to_timestamp(datetime.now(UTC)),),
            ).rowcount
            changed += db.execute(
                """DELETE FROM bookmarks WHERE note = '' AND article_id IN (
                       SELECT s.article_id FROM sync_items s
                       WHERE s.item_id NOT IN (SELECT item_id FROM temp.sync_starred)
                         AND NOT EXISTS (SELECT 1 FROM sync_pending p
                                         WHERE p.item_id = s.item_id AND p.flag = 'starred'))"""
            ).rowcount
            # What the triggers queued just now is the server's own state echoing back.
            db.execute("DELETE FROM sync_pending WHERE seq > ?", (last_seq,))
        return changed

    @writes
    def forget_sync(self) -> int:
        """Forget everything the server owned; articles stay, its feeds are unlisted.

        Returns how many changes were still queued (and are dropped).
        """
        with self.transaction() as db:
            dropped = db.execute(
                "SELECT (SELECT count(*) FROM sync_pending) "
                "+ (SELECT count(*) FROM sync_pending_feeds)"
            ).fetchone()[0]
            db.execute(
                "UPDATE feeds SET subscribed = 0 WHERE id IN (SELECT feed_id FROM sync_feeds)"
            )
            db.execute("DELETE FROM sync_pending")
            db.execute("DELETE FROM sync_pending_feeds")
            db.execute("DELETE FROM sync_items")
            db.execute("DELETE FROM sync_feeds")
            db.execute("DELETE FROM state WHERE key LIKE 'sync.%'")
        return dropped

    @writes
    def start_sync(self, url: str) -> None:
        """An account is set: from now on feeds added here are queued for the server.

        A different server than before starts afresh (its ids mean nothing here).
        """
        if self.get_state("sync.account") not in (None, url):
            self.forget_sync()
        self.set_state("sync.account", url)

    @reads
    def pending_feed_changes(self) -> list[tuple[str, str]]:
        """(action, target): ('subscribe', feed URL) or ('unsubscribe', stream id)."""
        return self._db.execute(
            "SELECT action, target FROM sync_pending_feeds ORDER BY action DESC, target"
        ).fetchall()

    @writes
    def clear_feed_change(self, action: str, target: str, stream_id: str | None = None) -> None:
        """A subscription change the server took (or refused for good).

        After a quickadd, ``stream_id`` makes the local feed the server's at once:
        the server may spell the URL differently from us.
        """
        with self.transaction() as db:
            db.execute(
                "DELETE FROM sync_pending_feeds WHERE action = ? AND target = ?", (action, target)
            )
            if stream_id is not None:
                row = db.execute("SELECT id FROM feeds WHERE url = ?", (target,)).fetchone()
                if row is not None:
                    db.execute("DELETE FROM sync_feeds WHERE stream_id = ?", (stream_id,))
                    db.execute(
                        "INSERT OR REPLACE INTO sync_feeds (feed_id, stream_id) VALUES (?, ?)",
                        (row[0], stream_id),
                    )


def _unsubscribe(db: sqlite3.Connection, feed_id: int) -> None:
    """A feed the server dropped: its articles go, bookmarked ones stay under it."""
    # Released first, so the unsubscribe trigger does not queue it back to the server.
    db.execute("DELETE FROM sync_feeds WHERE feed_id = ?", (feed_id,))
    db.execute(
        "DELETE FROM articles WHERE feed_id = ? AND id NOT IN (SELECT article_id FROM bookmarks)",
        (feed_id,),
    )
    # The bookmarks left are local from now on: the server no longer lists their items.
    db.execute(
        "DELETE FROM sync_items WHERE article_id IN (SELECT id FROM articles WHERE feed_id = ?)",
        (feed_id,),
    )
    db.execute("DELETE FROM feed_tags WHERE feed_id = ?", (feed_id,))
    db.execute("UPDATE feeds SET subscribed = 0 WHERE id = ?", (feed_id,))


def _placeholder_feed(db: sqlite3.Connection, item: SyncedItem, now_ts: int) -> int:
    """A feed for an item whose stream is not (or no longer) among the subscriptions."""
    url = item.stream_id.removeprefix("feed/")
    if "://" not in url:
        url = f"greader:{item.stream_id}"
    row = db.execute("SELECT id FROM feeds WHERE url = ?", (url,)).fetchone()
    if row is not None:
        feed_id = row[0]
    else:
        feed_id = db.execute(
            "INSERT INTO feeds (url, title, site_url, added_at, subscribed) VALUES (?, ?, ?, ?, 0)",
            (url, item.feed_title, item.site_url, now_ts),
        ).lastrowid
    db.execute(
        "INSERT OR IGNORE INTO sync_feeds (feed_id, stream_id) VALUES (?, ?)",
        (feed_id, item.stream_id),
    )
    return feed_id


def _linked_items(db: sqlite3.Connection, item_ids: list[int]) -> set[int]:
    """Which of these items are stored and linked already."""
    linked: set[int] = set()
    for start in range(0, len(item_ids), 500):
        chunk = item_ids[start : start + 500]
        marks = ", ".join("?" * len(chunk))
        query = f"SELECT item_id FROM sync_items WHERE item_id IN ({marks})"
        linked.update(row[0] for row in db.execute(query, chunk))
    return linked


def _unlinked_items(db: sqlite3.Connection, feed_id: int) -> dict[int, tuple[int, str | None]]:
    """Item id -> (id, link) of the feed's articles stored from a server, no longer linked."""
    rows = db.execute(
        """SELECT CAST(substr(dedup_key, 3) AS INTEGER), id, link FROM articles
           WHERE feed_id = ? AND dedup_key LIKE 'r:%'
             AND id NOT IN (SELECT article_id FROM sync_items)""",
        (feed_id,),
    )
    return {item_id: (article_id, link) for item_id, article_id, link in rows}


def _unlinked_bookmarks(db: sqlite3.Connection) -> dict[int, tuple[int, str | None]]:
    """The same for bookmarked articles in any feed: the bookmarks a removed feed left
    behind, which the server may still star."""
    rows = db.execute(
        """SELECT CAST(substr(a.dedup_key, 3) AS INTEGER), a.id, a.link
           FROM bookmarks b JOIN articles a ON a.id = b.article_id
           WHERE a.dedup_key LIKE 'r:%'
             AND a.id NOT IN (SELECT article_id FROM sync_items)"""
    )
    return {item_id: (article_id, link) for item_id, article_id, link in rows}


def _local_state(db: sqlite3.Connection, article_ids: list[int]) -> tuple[set[int], set[int]]:
    """Which of these articles are read, and which bookmarked, here."""
    read: set[int] = set()
    bookmarked: set[int] = set()
    for start in range(0, len(article_ids), 500):
        chunk = article_ids[start : start + 500]
        marks = ", ".join("?" * len(chunk))
        for article_id, is_read, is_kept in db.execute(
            f"""SELECT id, read, id IN (SELECT article_id FROM bookmarks)
                FROM articles WHERE id IN ({marks})""",
            chunk,
        ):
            if is_read:
                read.add(article_id)
            if is_kept:
                bookmarked.add(article_id)
    return read, bookmarked


def _origin_articles(db: sqlite3.Connection, feed_id: int) -> dict[str, int]:
    """Link -> id of the feed's articles fetched from its origin and not yet synced."""
    return dict(
        db.execute(
            """SELECT link, id FROM articles WHERE feed_id = ? AND link IS NOT NULL
                   AND dedup_key NOT LIKE 'r:%'
                   AND id NOT IN (SELECT article_id FROM sync_items)""",
            (feed_id,),
        ).fetchall()
    )
