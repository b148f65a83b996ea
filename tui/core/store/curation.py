"""Rules, saved searches, article tags, hidden articles and undoing mass actions.

Every mass change of read or hidden state records each article's state before it, so
the last one can be undone exactly (``undo_last``): an article that was already read
stays read.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime

from ..errors import BroadsheetError
from .base import StoreBase, reads, to_timestamp, writes
from .schema import ID_BITS

KEEP_UNDO = 20
"""Mass actions remembered for undo."""


@dataclass(frozen=True, slots=True)
class StoredRule:
    id: int
    query: str
    action: str


@dataclass(frozen=True, slots=True)
class SavedSearch:
    name: str
    query: str


@dataclass(frozen=True, slots=True)
class RuleRow:
    """What rules read of an article."""

    id: int
    title: str
    author: str | None
    feed_url: str
    feed_title: str
    body: str


@dataclass(frozen=True, slots=True)
class Undone:
    label: str
    articles: int


class CurationMixin(StoreBase):
    """The store's rules, saved searches, tags and undo log."""

    # -- rules ---------------------------------------------------------------------

    @reads
    def rules(self) -> list[StoredRule]:
        rows = self._db.execute("SELECT id, query, action FROM rules ORDER BY id").fetchall()
        return [StoredRule(*row) for row in rows]

    @writes
    def add_rule(self, query: str, action: str) -> StoredRule:
        with self.transaction() as db:
            cursor = db.execute(
                "INSERT INTO rules (query, action, created_at) VALUES (?, ?, ?)",
                (query, action, _now()),
            )
        return StoredRule(int(cursor.lastrowid or 0), query, action)

    @writes
    def remove_rule(self, rule_id: int) -> StoredRule:
        with self.transaction() as db:
            row = db.execute(
                "SELECT id, query, action FROM rules WHERE id = ?", (rule_id,)
            ).fetchone()
            if row is None:
                raise BroadsheetError(f"no rule {rule_id} (`broadsheet rules list` shows them)")
            db.execute("DELETE FROM rules WHERE id = ?", (rule_id,))
        return StoredRule(*row)

    @reads
    def rule_heads(self, after_id: int = 0, *, ids: Iterable[int] | None = None) -> list[RuleRow]:
        """What rules read first (no body) of every article above ``after_id``, or of
        the ``ids`` among them, oldest first."""
        query = """SELECT a.id, a.title, a.author, f.url,
                          COALESCE(f.user_title, NULLIF(f.title, ''), f.url), ''
                   FROM articles a JOIN feeds f ON f.id = a.feed_id WHERE a.id > ?"""
        if ids is None:
            rows = self._db.execute(query + " ORDER BY a.id", (after_id,)).fetchall()
        else:
            wanted = sorted(ids)
            rows = []
            for chunk in _chunks(wanted):
                marks = ",".join("?" * len(chunk))
                rows += self._db.execute(
                    query + f" AND a.id IN ({marks}) ORDER BY a.id", (after_id, *chunk)
                ).fetchall()
        return [RuleRow(*row) for row in rows]

    @reads
    def bodies(self, article_ids: Sequence[int]) -> dict[int, str]:
        """Article id -> its HTML body, for the articles a regular expression must read."""
        found: dict[int, str] = {}
        for chunk in _chunks(article_ids):
            marks = ",".join("?" * len(chunk))
            found.update(
                self._db.execute(
                    f"SELECT id, COALESCE(NULLIF(content, ''), summary) FROM articles "
                    f"WHERE id IN ({marks})",
                    chunk,
                ).fetchall()
            )
        return found

    @reads
    def search_ids(self, fts: str, after_id: int = 0) -> set[int]:
        """Ids above ``after_id`` of the articles an FTS5 query matches."""
        return {
            row[0]
            for row in self._db.execute(
                f"""SELECT s.rowid & {(1 << ID_BITS) - 1} FROM article_search s
                    WHERE article_search MATCH ? AND (s.rowid & {(1 << ID_BITS) - 1}) > ?""",
                (fts, after_id),
            )
        }

    @writes
    def apply_actions(
        self,
        hide: Sequence[int],
        read: Sequence[int],
        tags: dict[str, Sequence[int]],
        *,
        undo_label: str | None = None,
    ) -> int:
        """Hide (and mark read), mark read and tag articles in one transaction; with
        ``undo_label`` the change can be undone. Returns how many articles changed."""
        with self.transaction() as db:
            changing = sorted(set(hide) | set(read))
            if undo_label is not None:
                self._record_undo(db, undo_label, changing)
            changed = 0
            for chunk in _chunks(hide):
                marks = ",".join("?" * len(chunk))
                changed += db.execute(
                    f"UPDATE articles SET hidden = 1, read = 1 WHERE id IN ({marks}) "
                    "AND (hidden = 0 OR read = 0)",
                    chunk,
                ).rowcount
            for chunk in _chunks(read):
                marks = ",".join("?" * len(chunk))
                changed += db.execute(
                    f"UPDATE articles SET read = 1 WHERE id IN ({marks}) AND read = 0", chunk
                ).rowcount
            for tag, ids in tags.items():
                db.executemany(
                    "INSERT OR IGNORE INTO article_tags (article_id, tag) VALUES (?, ?)",
                    [(article, tag) for article in ids],
                )
            return changed

    @reads
    def article_tags(self, article_id: int) -> list[str]:
        return [
            row[0]
            for row in self._db.execute(
                "SELECT tag FROM article_tags WHERE article_id = ? ORDER BY tag", (article_id,)
            )
        ]

    # -- saved searches --------------------------------------------------------------

    @reads
    def saved_searches(self) -> list[SavedSearch]:
        rows = self._db.execute("SELECT name, query FROM saved_searches ORDER BY name").fetchall()
        return [SavedSearch(*row) for row in rows]

    @writes
    def save_search(self, name: str, query: str) -> None:
        with self.transaction() as db:
            db.execute(
                """INSERT INTO saved_searches (name, query, created_at) VALUES (?, ?, ?)
                   ON CONFLICT (name) DO UPDATE SET query = excluded.query""",
                (name, query, _now()),
            )

    @writes
    def remove_saved_search(self, name: str) -> None:
        with self.transaction() as db:
            if not db.execute("DELETE FROM saved_searches WHERE name = ?", (name,)).rowcount:
                raise BroadsheetError(f"no saved search named {name!r}")

    @reads
    def saved_search(self, name: str) -> SavedSearch:
        row = self._db.execute(
            "SELECT name, query FROM saved_searches WHERE name = ?", (name,)
        ).fetchone()
        if row is None:
            raise BroadsheetError(
                f"no saved search named {name!r} (`broadsheet saved list` shows them)"
            )
        return SavedSearch(*row)

    # -- mass read changes and undo ----------------------------------------------------

    @reads
    def unread_older_than(self, before: int, feed_id: int | None = None) -> list[int]:
        """Unread articles that sort before ``before`` (of one feed, if given)."""
        clause = "AND feed_id = ?" if feed_id is not None else ""
        params: list[object] = [before] + ([feed_id] if feed_id is not None else [])
        return [
            row[0]
            for row in self._db.execute(
                f"SELECT id FROM articles WHERE read = 0 AND sort_time < ? {clause}", params
            )
        ]

    @writes
    def mark_read_undoably(self, article_ids: Iterable[int], label: str, read: bool = True) -> int:
        """Mark articles read (or unread) as one mass action that ``undo_last`` reverts."""
        ids = sorted(set(article_ids))
        with self.transaction() as db:
            self._record_undo(db, label, ids)
            changed = 0
            for chunk in _chunks(ids):
                marks = ",".join("?" * len(chunk))
                changed += db.execute(
                    f"UPDATE articles SET read = ? WHERE id IN ({marks}) AND read = ?",
                    [int(read), *chunk, int(not read)],
                ).rowcount
            return changed

    @writes
    def mark_all_read_undoably(self, which: object, label: str) -> int:
        """Mark every unread article a filter selects read, as an undoable mass action."""
        from .articles import _filter_clauses

        clauses, params = _filter_clauses(which)  # type: ignore[arg-type]
        clauses.append("a.read = 0")
        ids = [
            row[0]
            for row in self._db.execute(
                f"SELECT a.id FROM articles a WHERE {' AND '.join(clauses)}", params
            )
        ]
        return self.mark_read_undoably(ids, label) if ids else 0

    @writes
    def undo_last(self) -> Undone:
        """Put back the read and hidden state of every article the last mass action
        touched, as it was before; forget that action."""
        with self.transaction() as db:
            row = db.execute(
                "SELECT id, label FROM undo_actions ORDER BY id DESC LIMIT 1"
            ).fetchone()
            if row is None:
                raise BroadsheetError("nothing to undo")
            action, label = row
            items = db.execute(
                "SELECT article_id, read, hidden FROM undo_items WHERE action_id = ?", (action,)
            ).fetchall()
            db.executemany(
                "UPDATE articles SET read = ?, hidden = ? WHERE id = ? "
                "AND (read IS NOT ? OR hidden IS NOT ?)",
                [(r, h, a, r, h) for a, r, h in items],
            )
            db.execute("DELETE FROM undo_actions WHERE id = ?", (action,))
        return Undone(label, len(items))

    @reads
    def last_undoable(self) -> str | None:
        row = self._db.execute("SELECT label FROM undo_actions ORDER BY id DESC LIMIT 1").fetchone()
        return row[0] if row else None

    def _record_undo(self, db, label: str, ids: Sequence[int]) -> None:  # type: ignore[no-untyped-def]
        action = db.execute(
            "INSERT INTO undo_actions (label, created_at) VALUES (?, ?)", (label, _now())
        ).lastrowid
        for chunk in _chunks(ids):
            marks = ",".join("?" * len(chunk))
            db.execute(
                f"""INSERT INTO undo_items (action_id, article_id, read, hidden)
                    SELECT ?, id, read, hidden FROM articles WHERE id IN ({marks})""",
                [action, *chunk],
            )
        db.execute("DELETE FROM undo_actions WHERE id <= ?", (action - KEEP_UNDO,))


def _chunks(ids: Sequence[int], size: int = 500) -> Iterator[Sequence[int]]:
    for start in range(0, len(ids), size):
        yield ids[start : start + size]


def _now() -> int:
    return to_timestamp(datetime.now(UTC)) or 0
