"""Stories in the archive: each article's sketch, and which story it belongs to.

An article that shares its story with no other has no row in ``story_members``; a
story's id is the lowest article id in it. Sketches let a refresh compare its new
articles with the last days' without reading their text again.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from .base import StoreBase, reads, writes

STATE_KEY = "stories.upto"
"""The highest article id that grouping has seen."""


@dataclass(frozen=True, slots=True)
class StoredSketch:
    article_id: int
    time: int
    signature: bytes
    title_words: bytes
    lead_words: bytes


@dataclass(frozen=True, slots=True)
class SketchBlock:
    """The sketches whose time falls in one span (``bucket``), as arrays' bytes: ids
    and times as int64, signatures as rows of uint64."""

    bucket: int
    ids: bytes
    times: bytes
    signatures: bytes


@dataclass(frozen=True, slots=True)
class PendingArticle:
    """An article grouping has not seen: what it reads to sketch it."""

    id: int
    title: str
    body: str
    time: int


class StoriesMixin(StoreBase):
    """The store's side of story grouping."""

    @reads
    def stories_upto(self) -> int | None:
        row = self._db.execute("SELECT value FROM state WHERE key = ?", (STATE_KEY,)).fetchone()
        return int(row[0]) if row else None

    @reads
    def max_article_id(self) -> int:
        return self._db.execute("SELECT COALESCE(max(id), 0) FROM articles").fetchone()[0]

    @reads
    def pending_for_stories(self, after: int, upto: int, since: int) -> list[PendingArticle]:
        """Articles with an id above ``after`` and up to ``upto`` that sort at or after
        ``since``."""
        rows = self._db.execute(
            """SELECT a.id, a.title, COALESCE(NULLIF(t.text, ''), NULLIF(a.content, ''), a.summary),
                      a.sort_time
               FROM articles a LEFT JOIN article_text t ON t.article_id = a.id
               WHERE a.id > ? AND a.id <= ? AND a.sort_time >= ? ORDER BY a.id""",
            (after, upto, since),
        ).fetchall()
        return [PendingArticle(*row) for row in rows]

    @reads
    def sketches_between(self, start: int, end: int) -> list[tuple[int, int, bytes]]:
        """(article id, time, signature) of the sketched articles whose time is between
        ``start`` and ``end``."""
        return self._db.execute(
            """SELECT article_id, time, signature FROM story_sketches
               WHERE time BETWEEN ? AND ? ORDER BY article_id""",
            (start, end),
        ).fetchall()

    @reads
    def sketch_blocks(self, first: int, last: int) -> list[SketchBlock]:
        """The kept blocks of buckets ``first`` to ``last``."""
        return [
            SketchBlock(*row)
            for row in self._db.execute(
                "SELECT bucket, ids, times, signatures FROM story_windows "
                "WHERE bucket BETWEEN ? AND ?",
                (first, last),
            )
        ]

    @reads
    def sketch_tallies(self, first: int, last: int, span: int) -> dict[int, tuple[int, int]]:
        """Bucket -> (how many sketches, the sum of their article ids), for the buckets
        of ``span`` seconds from ``first`` to ``last`` (a walk of the time index)."""
        # Sketch times are recent (past 1970), so SQLite's integer division is the floor.
        rows = self._db.execute(
            """SELECT time / ?1, count(*), sum(article_id) FROM story_sketches
               WHERE time BETWEEN ?2 * ?1 AND (?3 + 1) * ?1 - 1 GROUP BY 1""",
            (span, first, last),
        )
        return {bucket: (count, total) for bucket, count, total in rows}

    @reads
    def sketch_words(self, article_ids: Iterable[int]) -> dict[int, tuple[bytes, bytes]]:
        """Article id -> (headline words, lead words) as kept with its sketch."""
        ids = list(article_ids)
        found: dict[int, tuple[bytes, bytes]] = {}
        for start in range(0, len(ids), 500):
            chunk = ids[start : start + 500]
            marks = ",".join("?" * len(chunk))
            for article, title, lead in self._db.execute(
                f"SELECT article_id, title_words, lead_words FROM story_sketches "
                f"WHERE article_id IN ({marks})",
                chunk,
            ):
                found[article] = (title, lead)
        return found

    @reads
    def story_members(self, article_ids: Iterable[int]) -> dict[int, int]:
        """Article id -> story id for the given articles and every other article of
        their stories."""
        ids = list(article_ids)
        found: dict[int, int] = {}
        for start in range(0, len(ids), 500):
            chunk = ids[start : start + 500]
            marks = ",".join("?" * len(chunk))
            found.update(
                self._db.execute(
                    f"""SELECT article_id, story_id FROM story_members WHERE story_id IN
                        (SELECT story_id FROM story_members WHERE article_id IN ({marks}))""",
                    chunk,
                ).fetchall()
            )
        return found

    @writes
    def save_stories(
        self,
        sketches: Sequence[StoredSketch],
        members: dict[int, int],
        upto: int,
        blocks: Sequence[SketchBlock] = (),
        forget_before: int | None = None,
    ) -> None:
        """Keep new sketches and story memberships, and how far grouping has got; and
        the given blocks, forgetting those of buckets before ``forget_before``."""
        with self.transaction() as db:
            db.executemany(
                "INSERT OR REPLACE INTO story_windows VALUES (?, ?, ?, ?)",
                [(b.bucket, b.ids, b.times, b.signatures) for b in blocks],
            )
            if forget_before is not None:
                db.execute("DELETE FROM story_windows WHERE bucket < ?", (forget_before,))
            db.executemany(
                "INSERT OR REPLACE INTO story_sketches VALUES (?, ?, ?, ?, ?)",
                [
                    (s.article_id, s.time, s.signature, s.title_words, s.lead_words)
                    for s in sketches
                ],
            )
            # Members of articles retention removed are skipped by the join.
            db.executemany(
                """INSERT INTO story_members (article_id, story_id)
                   SELECT id, ? FROM articles WHERE id = ?
                   ON CONFLICT (article_id) DO UPDATE SET story_id = excluded.story_id""",
                [(story, article) for article, story in members.items()],
            )
            db.execute(
                "INSERT INTO state (key, value) VALUES (?, ?) "
                "ON CONFLICT (key) DO UPDATE SET value = excluded.value",
                (STATE_KEY, str(upto)),
            )

    @reads
    def story_of(self, article_id: int) -> int | None:
        row = self._db.execute(
            "SELECT story_id FROM story_members WHERE article_id = ?", (article_id,)
        ).fetchone()
        return row[0] if row else None

    @reads
    def story_sizes(self, story_ids: Iterable[int]) -> dict[int, int]:
        """Story id -> how many articles it has, for the given stories."""
        ids = sorted(set(story_ids))
        sizes: dict[int, int] = {}
        for start in range(0, len(ids), 500):
            chunk = ids[start : start + 500]
            marks = ",".join("?" * len(chunk))
            sizes.update(
                self._db.execute(
                    f"""SELECT story_id, count(*) FROM story_members
                        WHERE story_id IN ({marks}) GROUP BY story_id""",
                    chunk,
                ).fetchall()
            )
        return sizes

    @reads
    def story_article_ids(self, story_id: int) -> list[int]:
        """The articles of a story, oldest first."""
        return [
            row[0]
            for row in self._db.execute(
                """SELECT m.article_id FROM story_members m JOIN articles a ON a.id = m.article_id
                   WHERE m.story_id = ? ORDER BY a.sort_time, a.id""",
                (story_id,),
            )
        ]

    @reads
    def stories_since(self, since: int, feed_id: int | None = None) -> list[tuple[int, list[int]]]:
        """(story id, its article ids oldest first) for every story with an article
        first seen at or after ``since`` (of ``feed_id``, if given), newest story first."""
        feed_clause = "AND a.feed_id = ?" if feed_id is not None else ""
        params: list[object] = [since]
        if feed_id is not None:
            params.append(feed_id)
        rows = self._db.execute(
            f"""SELECT m.story_id, m.article_id, a.sort_time FROM story_members m
                JOIN articles a ON a.id = m.article_id
                WHERE m.story_id IN (
                    SELECT m2.story_id FROM story_members m2 JOIN articles a ON a.id = m2.article_id
                    WHERE a.first_seen >= ? {feed_clause})
                ORDER BY a.sort_time, a.id""",
            params,
        ).fetchall()
        stories: dict[int, list[int]] = {}
        latest: dict[int, int] = {}
        for story, article, sort_time in rows:
            stories.setdefault(story, []).append(article)
            latest[story] = sort_time
        return sorted(
            ((story, ids) for story, ids in stories.items() if len(ids) > 1),
            key=lambda item: -latest[item[0]],
        )
