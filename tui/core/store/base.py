"""The connection to the archive: opening it, transactions, and our errors for SQLite's.

``reads`` and ``writes`` are the one place where a ``sqlite3.Error`` becomes a
``StoreError`` with a one-line message: every public method of the store wears one of
them (tests/core/test_store_errors.py checks), so a damaged, locked or unreadable
archive reaches the CLI and the UI as a clear line instead of "unexpected error".
"""

from __future__ import annotations

import functools
import inspect
import os
import sqlite3
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from datetime import UTC, datetime
from pathlib import Path
from typing import Any, Self, TypeVar

from ..errors import DamagedArchiveError, StoreError
from .schema import migrate, plain_text, word_count

Method = TypeVar("Method", bound=Callable[..., Any])


def to_timestamp(value: datetime | None) -> int | None:
    return None if value is None else int(value.timestamp())


def from_timestamp(value: int | None) -> datetime | None:
    return None if value is None else datetime.fromtimestamp(value, UTC)


def _wrap(kind: str) -> Callable[[Method], Method]:
    def decorate(method: Method) -> Method:
        if inspect.isgeneratorfunction(method):

            @functools.wraps(method)
            def generator(self: StoreBase, *args: object, **kwargs: object) -> Iterator[object]:
                try:
                    yield from method(self, *args, **kwargs)
                except sqlite3.Error as exc:
                    raise self._error(exc, kind) from exc

            wrapper: Any = generator
        else:

            @functools.wraps(method)
            def wrapper(self: StoreBase, *args: object, **kwargs: object) -> object:
                try:
                    return method(self, *args, **kwargs)
                except sqlite3.Error as exc:
                    raise self._error(exc, kind) from exc

        wrapper.store_errors = kind
        return wrapper

    return decorate


reads = _wrap("read")
"""A store method that only reads: SQLite's errors become "cannot read the database"."""
writes = _wrap("write")
"""A store method that writes: SQLite's errors become "cannot write to the database"."""


def write_error(exc: BaseException, path: Path | None = None) -> StoreError:
    """The one-line error for a write that failed with ``exc`` (kept if it is one)."""
    return store_error(exc, "write to the database", path)


def store_error(exc: BaseException, doing: str, path: Path | None = None) -> StoreError:
    """``exc`` as "cannot <doing>: <reason>"; a StoreError already is one and is kept.

    Damage (a truncated file, not a database, a malformed page) gets its own error,
    which says how to recover.
    """
    if isinstance(exc, StoreError):
        return exc
    if is_damage(exc):
        return damaged_error(exc, path)
    return StoreError(f"cannot {doing}: {_reason(exc)}")


_SQLITE_CORRUPT, _SQLITE_NOTADB = 11, 26


def is_damage(exc: BaseException) -> bool:
    """Whether SQLite failed because the file is damaged, not busy, full or unreadable."""
    code = getattr(exc, "sqlite_errorcode", None)
    return (
        isinstance(exc, sqlite3.DatabaseError)
        and isinstance(code, int)
        and (code & 0xFF in (_SQLITE_CORRUPT, _SQLITE_NOTADB))
    )


def damaged_error(exc: BaseException | str, path: Path | None) -> DamagedArchiveError:
    where = f"the archive {path}" if path is not None else "the archive"
    reason = exc if isinstance(exc, str) else _reason(exc)
    return DamagedArchiveError(
        f"{where} is damaged ({reason}); `broadsheet check --repair` saves what "
        "can be read into a new archive and keeps the damaged file"
    )


WAL_KEEP_BYTES = 16 * 2**20
"""The write-ahead log's size kept between writes: its steady size with 16 KB pages."""

_HEADER = b"SQLite format 3\x00"


def cut_short(path: Path) -> str | None:
    """Why the file was cut short inside its last page, or None.

    SQLite counts a partial last page as a page and reads its missing bytes as zeros,
    so the loss goes unnoticed (and is written over) until that page is read. A look
    at the header and the size costs nothing at start-up. Only without a write-ahead
    log: with one, a checkpoint may be writing the last page right now.
    """
    wal = path.with_name(path.name + "-wal")
    try:
        if wal.exists() and wal.stat().st_size:
            return None
        with path.open("rb") as handle:
            header = handle.read(100)
            size = os.fstat(handle.fileno()).st_size
    except OSError:
        return None  # SQLite says what is wrong when it opens the file
    if len(header) < 100 or not header.startswith(_HEADER):
        return None
    page_size = int.from_bytes(header[16:18], "big")
    page_size = 65536 if page_size == 1 else page_size
    if page_size < 512 or page_size & (page_size - 1) or not size % page_size:
        return None
    if wal.exists() and wal.stat().st_size:
        return None  # a log appeared meanwhile: a writer is at work, not damage
    short = page_size - size % page_size
    return f"the file is {short:,} bytes short of a whole page: it was cut short"


def _reason(exc: BaseException) -> str:
    if isinstance(exc, OSError) and exc.strerror:
        return exc.strerror.lower()
    return str(exc) or type(exc).__name__


class StoreBase:
    """A connection to the archive; close it when done.

    A store belongs to the thread that opened it unless ``shared`` is set, in which case
    the caller must serialise access (the UI holds a lock around it).
    """

    def __init__(self, path: str | Path, *, shared: bool = False) -> None:
        self.path = Path(path)
        self.created = False
        """True when this open created the database (a first run)."""
        self.damage: DamagedArchiveError | None = None
        """Set once the archive was found damaged: no write is tried after that."""
        if reason := cut_short(self.path):
            raise damaged_error(reason, self.path)
        try:
            self.path.parent.mkdir(parents=True, exist_ok=True)
            self._db = sqlite3.connect(
                self.path, timeout=30, isolation_level=None, check_same_thread=not shared
            )
        except (OSError, sqlite3.Error) as exc:
            raise store_error(exc, f"open the database {self.path}", self.path) from None
        # The search triggers call this, so every connection must have it.
        self._db.create_function("broadsheet_plain", 2, plain_text, deterministic=True)
        self._db.create_function("broadsheet_words", 3, word_count, deterministic=True)
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
            # A write-ahead log that once grew past the autocheckpoint (to 37 MB in the
            # soak) keeps that size on disk; this cuts it back after a checkpoint.
            self._db.execute(f"PRAGMA journal_size_limit = {WAL_KEEP_BYTES}")
            self.created = migrate(self._db, self.path) == 0
        except sqlite3.DatabaseError as exc:
            self._db.close()
            raise store_error(exc, f"use the database {self.path}", self.path) from None

    # -- lifecycle ---------------------------------------------------------------

    @reads
    def close(self) -> None:
        self._db.close()

    def __enter__(self) -> Self:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    @contextmanager
    def transaction(self) -> Iterator[sqlite3.Connection]:
        """BEGIN IMMEDIATE ... COMMIT, rolled back on any exception.

        Inside another transaction it is a savepoint: its changes go or stay as a
        whole, and the outer transaction commits them. What the body raises is passed
        on as it is; the store's own methods turn SQLite's errors into ours.
        """
        if self.damage is not None:
            # Writing into a damaged file can spread the damage: leave it as it is.
            raise self.damage
        if self._db.in_transaction:
            yield from self._savepoint()
            return
        try:
            self._db.execute("BEGIN IMMEDIATE")
        except sqlite3.Error as exc:
            raise self._error(exc, "write") from None
        try:
            yield self._db
        except BaseException:
            self._roll_back("ROLLBACK")
            raise
        try:
            self._db.execute("COMMIT")
        except sqlite3.Error as exc:
            self._roll_back("ROLLBACK")
            raise self._error(exc, "write") from None

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

    @property
    @reads
    def schema_version(self) -> int:
        return self._db.execute("PRAGMA user_version").fetchone()[0]

    def _error(self, exc: BaseException, kind: str) -> StoreError:
        if kind == "write":
            error = write_error(exc, self.path)
        else:
            error = store_error(exc, f"read the database {self.path}", self.path)
        if isinstance(error, DamagedArchiveError):
            self.damage = error
        return error
