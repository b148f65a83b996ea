"""Retention: removing old articles past the configured limits, and giving space back.

Moved here from the CLI's commands so that the reader can apply the same rules.
"""

from __future__ import annotations

from datetime import UTC, datetime
from typing import TYPE_CHECKING

from .base import StoreBase, to_timestamp, writes

if TYPE_CHECKING:
    from ..config import RetentionSettings


class RetentionMixin(StoreBase):
    """The store's retention; ``apply_retention`` walks ``FeedsMixin.feeds()``."""

    @writes
    def apply_retention(self, settings: RetentionSettings, *, now: datetime | None = None) -> int:
        """Remove articles past ``settings``' limits, one feed per transaction.

        Return how many went; space is given back when any did.
        """
        now = now or datetime.now(UTC)
        removed = 0
        for feed in self.feeds():
            keep_days, max_per_feed = settings.limits(feed.url)
            removed += self.prune_feed(
                feed.id,
                now=now,
                keep_days=keep_days,
                max_per_feed=max_per_feed,
                include_unread=settings.unread,
            )
        if removed:
            self.reclaim_space()
        return removed

    @writes
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

    @writes
    def reclaim_space(self, pages: int = 2000) -> None:
        """Give back some free pages to the file system, a bounded step at a time."""
        self._db.execute(f"PRAGMA incremental_vacuum({int(pages)})").fetchall()
