"""``broadsheet check``: the archive's full check, and salvage of a damaged one.

SQLite's ``integrity_check`` reads every page: seconds at 100,000 articles, so it runs
here and never at start-up (where a damaged page shows up as a ``DamagedArchiveError``
the moment a command touches it). Salvage never writes to the damaged file. It reads a
copy, with SQLite's ``.recover`` when the ``sqlite3`` program is there and able,
else row by row in Python, stepping over the pages that no longer read; what it reads
goes into a new archive built from the current schema (the search index rebuilt by
its triggers), which takes the damaged one's place. The damaged file stays beside it.
"""

from __future__ import annotations

import contextlib
import os
import shutil
import sqlite3
import subprocess
import tempfile
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from urllib.parse import quote

from ..errors import StoreError
from .base import StoreBase, _reason, cut_short
from .schema import SCHEMA_VERSION

_BATCH = 500
"""Rows per query while reading, and per transaction while writing."""
_GAP_LOOKUPS = 20_000
"""Rows looked up one by one inside a stretch that no longer reads as a whole."""
_MAX_PROBLEMS = 20


@dataclass(frozen=True, slots=True)
class Contents:
    """What a user cares to get back."""

    articles: int
    bookmarks: int
    notes: int
    """Bookmarks with a note."""


@dataclass(frozen=True, slots=True)
class CheckReport:
    path: Path
    problems: tuple[str, ...]
    """SQLite's findings, in its words; empty when the archive is sound."""
    contents: Contents | None
    """What could be counted (None when not even that)."""

    @property
    def sound(self) -> bool:
        return not self.problems


@dataclass(frozen=True, slots=True)
class RepairReport:
    saved: Contents
    before: Contents | None
    """What the damaged archive said it held, when it could still be counted."""
    method: str
    """``sqlite3 .recover`` or ``row by row``."""
    damaged_copy: Path
    """Where the damaged archive now is."""


# -- checking ----------------------------------------------------------------------------


def check_archive(path: Path) -> CheckReport:
    """Run SQLite's full integrity and foreign-key checks; nothing is written."""
    if not path.exists():
        raise StoreError(f"there is no archive at {path} yet")
    problems: list[str] = [reason] if (reason := cut_short(path)) else []
    with _read_copy(path) as db:
        try:
            version = db.execute("PRAGMA user_version").fetchone()[0]
            if version > SCHEMA_VERSION:
                raise StoreError(
                    f"the archive {path} was written by a newer Broadsheet "
                    f"(schema {version}, this one knows {SCHEMA_VERSION})"
                )
            for (line,) in db.execute(f"PRAGMA integrity_check({_MAX_PROBLEMS})"):
                if line != "ok":
                    problems += [part for part in line.split("\n") if part.strip()]
            problems += _foreign_key_problems(db)
        except sqlite3.DatabaseError as exc:
            problems.append(_reason(exc))
        contents = _count(db)
    return CheckReport(path, tuple(problems[:_MAX_PROBLEMS]), contents)


def _foreign_key_problems(db: sqlite3.Connection) -> list[str]:
    missing: dict[tuple[str, str], int] = {}
    for table, _rowid, parent, _index in db.execute("PRAGMA foreign_key_check"):
        missing[(table, parent)] = missing.get((table, parent), 0) + 1
    return [
        f"{n} rows of {table} point to missing {parent}" for (table, parent), n in missing.items()
    ]


def _count(db: sqlite3.Connection) -> Contents | None:
    try:
        return Contents(*db.execute(
            "SELECT (SELECT count(*) FROM articles NOT INDEXED),"
            " (SELECT count(*) FROM bookmarks NOT INDEXED),"
            " (SELECT count(*) FROM bookmarks NOT INDEXED WHERE note != '')"
        ).fetchone())  # fmt: skip
    except sqlite3.DatabaseError:
        return None


@contextlib.contextmanager
def _read_copy(path: Path) -> Iterator[sqlite3.Connection]:
    """A connection to a copy of the archive (and its write-ahead log).

    A copy, so that nothing about the original changes, not even the log SQLite would
    fold into it or the shared-memory file it would create. ``writable_schema`` lets a
    truncated file be read up to where it ends instead of refused outright.
    """
    with tempfile.TemporaryDirectory(prefix="broadsheet-check-") as scratch:
        copy = Path(scratch) / "archive.sqlite3"
        shutil.copyfile(path, copy)
        wal = path.with_name(path.name + "-wal")
        if wal.exists():
            shutil.copyfile(wal, copy.with_name(copy.name + "-wal"))
        db = sqlite3.connect(f"file:{quote(str(copy))}", uri=True, isolation_level=None)
        try:
            with contextlib.suppress(sqlite3.DatabaseError):
                db.execute("PRAGMA writable_schema = ON")
            yield db
        finally:
            db.close()


# -- salvaging ---------------------------------------------------------------------------


def repair_archive(path: Path, *, sqlite3_program: str | None = None) -> RepairReport:
    """Salvage what can be read of ``path`` into a new archive that takes its place.

    ``sqlite3_program`` is the ``sqlite3`` command to try ``.recover`` with (found on
    the PATH by default; ``""`` skips it). The damaged file (and its write-ahead log)
    is kept beside the new one as ``<name>.damaged-<time>``.
    """
    if not path.exists():
        raise StoreError(f"there is no archive at {path} yet")
    stamp = datetime.now(UTC).strftime("%Y%m%d-%H%M%S")
    fresh = path.with_name(f"{path.name}.repairing-{stamp}")
    damaged_copy = path.with_name(f"{path.name}.damaged-{stamp}")
    program = shutil.which("sqlite3") if sqlite3_program is None else sqlite3_program
    try:
        with _read_copy(path) as source:
            before = _count(source)
            recovered, method = _recovered(source, program)
            try:
                with _Target(fresh) as target:
                    _copy_all(recovered or source, target)
                    target.restore_sequence(recovered or source)
            finally:
                if recovered is not None:
                    recovered.close()
        saved = _verified(fresh)
    except BaseException:
        for leftover in (fresh, *_companions(fresh)):
            with contextlib.suppress(OSError):
                leftover.unlink()
        raise
    _swap(path, fresh, damaged_copy)
    return RepairReport(saved, before, method, damaged_copy)


def _recovered(
    source: sqlite3.Connection, program: str | None
) -> tuple[sqlite3.Connection | None, str]:
    """A database rebuilt by ``sqlite3 .recover`` from the copy, if the program can."""
    if not program:
        return None, "row by row"
    copy = Path(source.execute("PRAGMA database_list").fetchone()[2])
    script = copy.with_name("recovered.sql")
    try:
        with script.open("w", encoding="utf-8", errors="surrogateescape") as out:
            done = subprocess.run(
                [program, str(copy), ".recover"],
                stdout=out,
                stderr=subprocess.PIPE,
                stdin=subprocess.DEVNULL,
                timeout=3600,
            )
    except (OSError, subprocess.SubprocessError):
        return None, "row by row"
    # Builds without the sqlite_dbpage table (Debian's, for one) fail with
    # "SQL logic error" before any data: then the copy is read row by row.
    if done.returncode != 0:
        return None, "row by row"
    rebuilt = sqlite3.connect(copy.with_name("recovered.sqlite3"), isolation_level=None)
    _register_functions(rebuilt)
    try:
        _run_script(rebuilt, script)
    except sqlite3.Error:
        rebuilt.close()
        return None, "row by row"
    return rebuilt, "sqlite3 .recover"


def _run_script(db: sqlite3.Connection, script: Path) -> None:
    """Execute an SQL script statement by statement, without holding it all in memory."""
    statement = ""
    with script.open(encoding="utf-8", errors="surrogateescape") as lines:
        for line in lines:
            statement += line
            if sqlite3.complete_statement(statement):
                db.execute(statement)
                statement = ""


def _register_functions(db: sqlite3.Connection) -> None:
    # The archive's triggers call these; a bare connection must know them too.
    from .schema import plain_text, word_count

    db.create_function("broadsheet_plain", 2, plain_text, deterministic=True)
    db.create_function("broadsheet_words", 3, word_count, deterministic=True)


class _Target(StoreBase):
    """The new archive: the current schema, filled with raw rows."""

    def insert(self, table: str, columns: list[str], rows: list[tuple[object, ...]]) -> int:
        """Insert what fits; return how many rows did not (constraints a damaged row breaks)."""
        placeholders = ", ".join("?" * len(columns))
        names = ", ".join(f'"{c}"' for c in columns)
        statement = f'INSERT OR IGNORE INTO "{table}" ({names}) VALUES ({placeholders})'
        refused = 0
        with self.transaction() as db:
            for row in rows:
                try:
                    db.execute(statement, row)
                except sqlite3.IntegrityError:
                    if not self._kept_orphan(table, columns, row, statement):
                        refused += 1
        return refused

    def _kept_orphan(
        self, table: str, columns: list[str], row: tuple[object, ...], statement: str
    ) -> bool:
        """An article whose feed was lost keeps a stand-in feed, so its bookmark survives."""
        if table != "articles" or "feed_id" not in columns:
            return False
        feed_id = row[columns.index("feed_id")]
        try:
            self._db.execute(
                "INSERT OR IGNORE INTO feeds (id, url, title, added_at, subscribed)"
                " VALUES (?, ?, ?, ?, 0)",
                (feed_id, f"broadsheet:recovered/{feed_id}", "(a recovered feed)", 0),
            )
            self._db.execute(statement, row)
        except sqlite3.Error:
            return False
        return True

    def tables(self) -> list[str]:
        """The schema's own tables, parents before the tables that point to them."""
        names = [
            name
            for (name,) in self._db.execute(
                "SELECT name FROM sqlite_master WHERE type = 'table' AND sql NOT LIKE "
                "'CREATE VIRTUAL%' AND name NOT LIKE 'sqlite_%' AND name NOT LIKE "
                "'article_search%' ORDER BY rowid"
            )
        ]
        parents = {
            name: {row[2] for row in self._db.execute(f'PRAGMA foreign_key_list("{name}")')}
            for name in names
        }
        ordered: list[str] = []
        while len(ordered) < len(names):
            for name in names:
                if name not in ordered and parents[name] <= {*ordered, name}:
                    ordered.append(name)
                    break
            else:  # a cycle (none today): the rest in schema order
                ordered += [name for name in names if name not in ordered]
        return ordered

    def columns(self, table: str) -> list[str]:
        return [row[1] for row in self._db.execute(f'PRAGMA table_info("{table}")')]

    def restore_sequence(self, source: sqlite3.Connection) -> None:
        """Article ids are never reused: keep the old archive's high-water mark."""
        try:
            rows = source.execute("SELECT name, seq FROM sqlite_sequence").fetchall()
        except sqlite3.DatabaseError:
            return
        with self.transaction() as db:
            for name, seq in rows:
                db.execute(
                    "UPDATE sqlite_sequence SET seq = max(seq, ?) WHERE name = ?", (seq, name)
                )

    def count(self) -> Contents:
        return Contents(
            *self._db.execute(
                "SELECT (SELECT count(*) FROM articles), (SELECT count(*) FROM bookmarks),"
                " (SELECT count(*) FROM bookmarks WHERE note != '')"
            ).fetchone()
        )


_CACHES = frozenset({"story_windows"})
"""Tables rebuilt from others when read: their checks cannot tell salvaged garbage from
sound rows, so a repair leaves them empty to be rebuilt."""


def _copy_all(source: sqlite3.Connection, target: _Target) -> None:
    for table in target.tables():
        if table in _CACHES:
            continue
        try:
            present = {row[1] for row in source.execute(f'PRAGMA table_info("{table}")')}
        except sqlite3.DatabaseError:
            continue
        columns = [c for c in target.columns(table) if c in present]
        if not columns:
            continue
        batch: list[tuple[object, ...]] = []
        for row in _readable_rows(source, table, columns):
            batch.append(row)
            if len(batch) >= _BATCH:
                target.insert(table, columns, batch)
                batch = []
        target.insert(table, columns, batch)


def _readable_rows(
    db: sqlite3.Connection, table: str, columns: list[str]
) -> Iterator[tuple[object, ...]]:
    """The rows of ``table`` that still read, stepping over damaged stretches."""
    names = ", ".join(f'"{c}"' for c in columns)
    try:
        db.execute(f'SELECT rowid FROM "{table}" LIMIT 0')
    except sqlite3.OperationalError:
        # Small tables without rowids (tags, state): what reads before any damage.
        with contextlib.suppress(sqlite3.DatabaseError):
            yield from db.execute(f'SELECT {names} FROM "{table}"')
        return
    except sqlite3.DatabaseError:
        return
    query = (
        f'SELECT rowid, {names} FROM "{table}" NOT INDEXED WHERE rowid > ? ORDER BY rowid LIMIT ?'
    )
    last = -(2**63)
    try:
        end = db.execute(f'SELECT max(rowid) FROM "{table}"').fetchone()[0]
    except sqlite3.DatabaseError:
        end = None
    while True:
        try:
            batch = _ahead(db.execute(query, (last, _BATCH)).fetchall(), last)
        except sqlite3.DatabaseError:
            try:  # near the damage: a row at a time, as far as rows read
                batch = _ahead(db.execute(query, (last, 1)).fetchall(), last)
            except sqlite3.DatabaseError:
                found = _next_readable(db, query, last, end)
                yield from _one_by_one(db, table, names, last, found[0] if found else end or last)
                if found is None:
                    return
                yield found[1:]
                last = found[0]
                continue
        if not batch:
            return
        for row in batch:
            yield row[1:]
        last = batch[-1][0]


def _next_readable(
    db: sqlite3.Connection, query: str, last: int, end: int | None
) -> tuple[object, ...] | None:
    """The first whole row past ``last`` that reads, probing ever further ahead."""
    start, step = max(last, 0), 1
    while end is None or start + step <= end:
        try:
            rows = _ahead(db.execute(query, (start + step, 1)).fetchall(), start + step)
        except sqlite3.DatabaseError:
            step *= 2
            if step > 2**40:
                return None
            continue
        return rows[0] if rows else None
    return None


def _ahead(rows: list[tuple[object, ...]], last: int) -> list[tuple[object, ...]]:
    """``rows`` as long as their rowids climb past ``last``; a damaged page can give back
    cells from anywhere (rowid 0 after 400), which would send the reading round again."""
    kept: list[tuple[object, ...]] = []
    for row in rows:
        rowid = row[0]
        if not isinstance(rowid, int) or rowid <= last:
            if kept:
                break
            raise sqlite3.DatabaseError("rowids out of order: a damaged page")
        kept.append(row)
        last = rowid
    return kept


def _one_by_one(
    db: sqlite3.Connection, table: str, names: str, last: int, stop: int
) -> Iterator[tuple[object, ...]]:
    """The rows between ``last`` and ``stop`` that read when looked up on their own."""
    query = f'SELECT {names} FROM "{table}" WHERE rowid = ?'
    first = max(last + 1, 1)
    for rowid in range(first, min(stop, first + _GAP_LOOKUPS)):
        with contextlib.suppress(sqlite3.DatabaseError):
            row = db.execute(query, (rowid,)).fetchone()
            if row is not None:
                yield row


def _verified(fresh: Path) -> Contents:
    with _Target(fresh) as target:
        problems = [row[0] for row in target._db.execute("PRAGMA integrity_check")]
        if problems != ["ok"]:
            raise StoreError(f"the salvaged archive {fresh} did not check out: {problems[0]}")
        return target.count()


def _companions(path: Path) -> list[Path]:
    return [path.with_name(path.name + suffix) for suffix in ("-wal", "-shm")]


def _swap(path: Path, fresh: Path, damaged_copy: Path) -> None:
    """Put ``fresh`` in ``path``'s place; keep the damaged file as ``damaged_copy``.

    The damaged file's write-ahead log goes with it: left behind, SQLite would apply
    it to the new archive. At every step one of the two names holds the damaged file.
    """
    try:
        os.link(path, damaged_copy)
    except OSError:
        shutil.copy2(path, damaged_copy)
    for old, kept in zip(_companions(path), _companions(damaged_copy), strict=True):
        if old.exists():
            os.replace(old, kept)
    for leftover in _companions(fresh):
        with contextlib.suppress(FileNotFoundError):
            leftover.unlink()
    os.replace(fresh, path)
