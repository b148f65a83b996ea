"""Bookmarks: articles the user chose to keep, with a note."""

from __future__ import annotations

from datetime import UTC, datetime

from ..errors import ArticleNotFoundError
from ..models import Bookmark
from .articles import ARTICLE_COLUMNS, article_from_row, select_article
from .base import StoreBase, from_timestamp, reads, to_timestamp, writes


class BookmarksMixin(StoreBase):
    """The store's bookmarks."""

    @writes
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

    @reads
    def bookmarks(self) -> list[Bookmark]:
        """Every bookmark with its note, most recently made first."""
        rows = self._db.execute(
            f"""SELECT {ARTICLE_COLUMNS}, b.note, b.created_at
                FROM bookmarks b JOIN articles a ON a.id = b.article_id
                JOIN feeds f ON f.id = a.feed_id
                ORDER BY b.created_at DESC, a.id DESC"""
        ).fetchall()
        return [
            Bookmark(article_from_row(row[:-2]), note=row[-2], created_at=from_timestamp(row[-1]))
            for row in rows
        ]

    @reads
    def bookmark(self, article_id: int) -> Bookmark | None:
        row = self._db.execute(
            "SELECT note, created_at FROM bookmarks WHERE article_id = ?", (article_id,)
        ).fetchone()
        if row is None:
            return None
        article = select_article(self._db, article_id)
        return Bookmark(article, note=row[0], created_at=from_timestamp(row[1]))
