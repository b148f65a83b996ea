"""Subscriptions: adding, removing and reading feeds with their counts."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from datetime import UTC, datetime

from ..errors import FeedNotFoundError
from ..models import Feed
from .base import StoreBase, from_timestamp, reads, to_timestamp, writes


class FeedsMixin(StoreBase):
    """The store's subscriptions."""

    @writes
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

    @writes
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

    @writes
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

    @reads
    def count_bookmarks(self, feed_id: int) -> int:
        return self._db.execute(
            "SELECT count(*) FROM bookmarks b JOIN articles a ON a.id = b.article_id "
            "WHERE a.feed_id = ?",
            (feed_id,),
        ).fetchone()[0]

    @reads
    def feed(self, feed_id: int) -> Feed:
        feeds = self._feeds("WHERE f.id = ?", (feed_id,))
        if not feeds:
            raise FeedNotFoundError(f"no feed with id {feed_id}")
        return feeds[0]

    @reads
    def feed_by_url(self, url: str) -> Feed:
        feeds = self._feeds("WHERE f.url = ? AND f.subscribed = 1", (url,))
        if not feeds:
            raise FeedNotFoundError(f"not subscribed to {url}")
        return feeds[0]

    @reads
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
