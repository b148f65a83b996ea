"""One refresh at a time per archive, across processes.

A lock file beside the archive (``broadsheet.sqlite3.refresh-lock``) held with the
operating system's advisory lock for as long as a refresh runs: ``flock`` on POSIX,
``msvcrt.locking`` on Windows. The system lets go of it when the process ends, however
it ends, so a crashed refresh never leaves a stale lock behind. The file itself stays
(deleting it would let two processes lock two different files); it holds the process
id of the refresh running now, for the message the next one gets.
"""

from __future__ import annotations

import contextlib
import os
from collections.abc import Iterator
from pathlib import Path

from .errors import RefreshRunningError

try:
    import fcntl
except ImportError:  # Windows
    fcntl = None  # type: ignore[assignment]
    import msvcrt


ALREADY_RUNNING = "a refresh of this archive is already running"
"""How the refused refresh's one line starts (the reader recognises it in its child's)."""


def lock_path(database: Path) -> Path:
    return database.with_name(database.name + ".refresh-lock")


@contextlib.contextmanager
def refresh_lock(database: Path) -> Iterator[None]:
    """Hold the archive's refresh lock, or raise RefreshRunningError at once."""
    path = lock_path(database)
    path.parent.mkdir(parents=True, exist_ok=True)
    handle = os.open(path, os.O_RDWR | os.O_CREAT, 0o644)
    try:
        if not _try_lock(handle):
            holder = _holder(handle)
            who = f" (process {holder})" if holder else ""
            raise RefreshRunningError(f"{ALREADY_RUNNING}{who}; this one did nothing")
        os.ftruncate(handle, 0)
        os.write(handle, f"{os.getpid()}\n".encode())
        try:
            yield
        finally:
            os.ftruncate(handle, 0)
            _unlock(handle)
    finally:
        os.close(handle)


def _try_lock(handle: int) -> bool:
    try:
        if fcntl is not None:
            fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
        else:
            os.lseek(handle, 0, os.SEEK_SET)
            msvcrt.locking(handle, msvcrt.LK_NBLCK, 1)
    except OSError:
        return False
    return True


def _unlock(handle: int) -> None:
    with contextlib.suppress(OSError):
        if fcntl is not None:
            fcntl.flock(handle, fcntl.LOCK_UN)
        else:
            os.lseek(handle, 0, os.SEEK_SET)
            msvcrt.locking(handle, msvcrt.LK_UNLCK, 1)


def _holder(handle: int) -> int | None:
    with contextlib.suppress(OSError, ValueError):
        os.lseek(handle, 0, os.SEEK_SET)
        text = os.read(handle, 32).decode("ascii", "replace").strip()
        return int(text) if text else None
    return None
