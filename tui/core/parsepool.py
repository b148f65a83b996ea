"""Feed parsing in worker processes, each parse bounded in time and memory.

feedparser is CPU-bound pure Python: parsing in the event loop's process would stall
the UI, and a hostile or huge document could take the whole app with it. Workers are
started through a "forkserver" (the app has threads, so plain fork is unsafe) that
has ``tui.core.parse`` preloaded, so feedparser is imported once; the parent never
imports it. Workers run at a lower priority than the parent, whose event loop and
store writes are a refresh's serial stages.

Bounds, enforced in the worker: an address-space limit (``RLIMIT_AS``) set once when
the worker starts, and a ``SIGALRM`` interval timer armed around each parse. In the
parent, a parse that has not answered ``GRACE`` seconds after its timeout, or a worker
that died, shuts the pool down (its processes are killed); the next parse starts a
new one. Either way only that feed fails, with a ``ParseError``.
"""

from __future__ import annotations

import asyncio
import concurrent.futures
import contextlib
import multiprocessing
import os
import signal
import threading
import time
import weakref
from collections.abc import Callable, Mapping
from concurrent.futures import ProcessPoolExecutor
from concurrent.futures.process import BrokenProcessPool
from types import FrameType, TracebackType
from typing import Any, TypeVar

from .config import ParseSettings as ParseLimits
from .errors import BroadsheetError, ParseError
from .models import ParsedFeed

try:
    import resource
except ImportError:  # not on POSIX: no memory cap
    resource = None  # type: ignore[assignment]

__all__ = ["ParseLimits", "ParserPool"]

T = TypeVar("T")

GRACE = 5.0
"""Seconds the parent waits beyond the per-parse timeout before killing the pool."""
WORKER_NICENESS = 5
"""Added to the workers' nice value: a cold refresh of 500 feeds on two cores took
4.7 s instead of 4.9 s (3 workers: 5.0 instead of 5.35 s)."""
_PRELOAD = ["tui.core.parse", "tui.core.parsepool"]
_CRASHED = "the parser process stopped unexpectedly (the feed may be too large)"


# ------------------------------------------------------------ in the worker


class _ParseTimeout(BaseException):
    """Raised by the alarm handler; a BaseException so no ``except Exception`` eats it."""


def _on_alarm(signum: int, frame: FrameType | None) -> None:
    raise _ParseTimeout


def _init_worker(memory_mb: int) -> None:
    """Runs once in each new worker process."""
    if resource is not None and memory_mb > 0:
        limit = memory_mb * 1024 * 1024
        _, hard = resource.getrlimit(resource.RLIMIT_AS)
        if hard != resource.RLIM_INFINITY:
            limit = min(limit, hard)
        resource.setrlimit(resource.RLIMIT_AS, (limit, hard))
    if hasattr(signal, "SIGALRM"):
        signal.signal(signal.SIGALRM, _on_alarm)
    # Ctrl-C is for the parent, which shuts the workers down itself.
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    # The parent's event loop and store writes are the refresh's serial stages; when
    # the CPUs are busy, parsing (of which there is always more queued) waits.
    if WORKER_NICENESS and hasattr(os, "nice"):
        with contextlib.suppress(OSError):
            os.nice(WORKER_NICENESS)


def _parse_feed(*args: Any) -> ParsedFeed:
    """``tui.core.parse.parse_feed``, imported here (in the worker), never in the parent.

    Importing feedparser takes ~85 ms, which the parent would spend on its event loop.
    """
    from .parse import parse_feed

    return parse_feed(*args)


def _bounded(function: Callable[..., T], timeout: float, memory_mb: int, *args: Any) -> T:
    """Call ``function(*args)`` under the alarm; every failure becomes a ParseError."""
    try:
        return _with_alarm(function, timeout, args)
    except _ParseTimeout:
        raise ParseError(f"parsing took longer than {timeout:g} s") from None
    except MemoryError:
        raise ParseError(f"feed too large to parse within {memory_mb} MB") from None
    except BroadsheetError:
        raise
    except RecursionError:
        raise ParseError("not a feed: the document is nested too deeply") from None
    except Exception as exc:  # a parser bug must fail one feed, not the refresh
        raise ParseError(f"could not parse the feed ({type(exc).__name__}: {exc})"[:200]) from None


def _with_alarm(function: Callable[..., T], timeout: float, args: tuple[Any, ...]) -> T:
    armed = hasattr(signal, "setitimer") and timeout > 0
    if armed:
        signal.setitimer(signal.ITIMER_REAL, timeout)
    try:
        return function(*args)
    finally:
        # An alarm that fires in here still arrives as _ParseTimeout in _bounded.
        if armed:
            signal.setitimer(signal.ITIMER_REAL, 0)


# ------------------------------------------------------------ in the parent


def start_helper_processes() -> None:
    """Start multiprocessing's resource tracker and fork server now, not on first parse.

    Both hand ``sys.stderr``'s file descriptor to their child. A UI that captures
    stderr while it runs (Textual does) has none to give, so they must be started
    before the UI takes over the terminal.
    """
    from multiprocessing import forkserver, resource_tracker

    resource_tracker.ensure_running()
    if _start_method() == "forkserver":
        multiprocessing.get_context("forkserver").set_forkserver_preload(_PRELOAD)
        forkserver.ensure_running()


def stop_helper_processes() -> None:
    """Stop the fork server and the resource tracker, and wait until they have gone.

    Left alone they notice our exit only afterwards, and are still shutting down
    when the command has returned: a process left behind. Call it once no pool is in
    use; a later pool starts them again. Uses multiprocessing's private ``_stop``
    (the only way to wait for them); without it they are left to stop by themselves.
    """
    import sys

    if "multiprocessing.forkserver" in sys.modules:
        from multiprocessing import forkserver

        with contextlib.suppress(AttributeError, OSError, ChildProcessError):
            forkserver._forkserver._stop()  # type: ignore[attr-defined]
    if "multiprocessing.resource_tracker" in sys.modules:
        from multiprocessing import resource_tracker

        with contextlib.suppress(AttributeError, OSError, ChildProcessError):
            resource_tracker._resource_tracker._stop()  # type: ignore[attr-defined]


def _start_method() -> str:
    return "forkserver" if "forkserver" in multiprocessing.get_all_start_methods() else "spawn"


class ParserPool:
    """A lazily started process pool that parses feeds.

    Use it as a context manager, or call ``close()``. ``parse`` is for coroutines;
    ``parse_sync`` for plain threads.
    """

    def __init__(self, limits: ParseLimits | None = None) -> None:
        self.limits = limits or ParseLimits()
        self.workers = max(1, self.limits.workers or os.cpu_count() or 1)
        self.grace = GRACE
        self._lock = threading.Lock()
        self._executor: ProcessPoolExecutor | None = None
        self._generation = 0
        # One submission per worker at a time, so a parse's clock runs from when a
        # worker is free for it, not from when it joined a queue.
        self._async_slots: weakref.WeakKeyDictionary[
            asyncio.AbstractEventLoop, asyncio.Semaphore
        ] = weakref.WeakKeyDictionary()
        self._sync_slots = threading.BoundedSemaphore(self.workers)

    # -- public

    async def parse(
        self, content: bytes, headers: Mapping[str, str] | None = None, url: str | None = None
    ) -> ParsedFeed:
        """Parse in a worker; raises ParseError (or NotAFeedError) for this feed only."""
        return await self._run(_parse_feed, bytes(content), dict(headers or {}), url)

    def parse_sync(
        self, content: bytes, headers: Mapping[str, str] | None = None, url: str | None = None
    ) -> ParsedFeed:
        """``parse`` for callers that are not in an event loop (blocks the thread)."""
        return self._run_sync(_parse_feed, bytes(content), dict(headers or {}), url)

    def close(self) -> None:
        """Stop the workers (killing any that do not finish within a second or two)."""
        with self._lock:
            executor, self._executor = self._executor, None
            self._generation += 1
        if executor is not None:
            _shut_down(executor, kill=False)

    def __enter__(self) -> ParserPool:
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        traceback: TracebackType | None,
    ) -> None:
        self.close()

    # -- running work

    async def _run(self, function: Callable[..., T], *args: Any) -> T:
        loop = asyncio.get_running_loop()
        slots = self._async_slots.get(loop)
        if slots is None:
            slots = self._async_slots[loop] = asyncio.Semaphore(self.workers)
        async with slots:
            for attempt in (1, 2):
                executor, generation = self._current()
                try:
                    future = executor.submit(
                        _bounded, function, self.limits.timeout, self.limits.memory_mb, *args
                    )
                except (BrokenProcessPool, RuntimeError):  # broken or shut down meanwhile
                    self._reset(generation)
                    continue
                try:
                    return await asyncio.wait_for(
                        asyncio.wrap_future(future), self.limits.timeout + self.grace
                    )
                except TimeoutError:
                    self._reset(generation)
                    raise self._timeout_error() from None
                except BrokenProcessPool:
                    # A worker died (this feed's or another's): a new pool, one more try.
                    self._reset(generation)
                except asyncio.CancelledError:
                    task = asyncio.current_task()
                    if task is None or task.cancelling():
                        raise
                    # Not our cancellation: the pool was reset for another feed.
                    if attempt == 2:
                        raise ParseError(_CRASHED) from None
            raise ParseError(_CRASHED)

    def _run_sync(self, function: Callable[..., T], *args: Any) -> T:
        with self._sync_slots:
            for _attempt in (1, 2):
                executor, generation = self._current()
                try:
                    future = executor.submit(
                        _bounded, function, self.limits.timeout, self.limits.memory_mb, *args
                    )
                except (BrokenProcessPool, RuntimeError):
                    self._reset(generation)
                    continue
                try:
                    return future.result(timeout=self.limits.timeout + self.grace)
                except concurrent.futures.TimeoutError:
                    self._reset(generation)
                    raise self._timeout_error() from None
                except (BrokenProcessPool, concurrent.futures.CancelledError):
                    self._reset(generation)
            raise ParseError(_CRASHED)

    def _timeout_error(self) -> ParseError:
        return ParseError(f"parsing took longer than {self.limits.timeout:g} s")

    # -- the executor's life

    def _current(self) -> tuple[ProcessPoolExecutor, int]:
        with self._lock:
            if self._executor is None:
                context = multiprocessing.get_context(_start_method())
                if _start_method() == "forkserver":
                    # Applies to this process's one fork server, when it first starts;
                    # importing our modules there harms no other user of it.
                    context.set_forkserver_preload(_PRELOAD)
                self._executor = ProcessPoolExecutor(
                    max_workers=self.workers,
                    mp_context=context,
                    initializer=_init_worker,
                    initargs=(self.limits.memory_mb,),
                )
            return self._executor, self._generation

    def _reset(self, generation: int) -> None:
        """Throw away the executor of ``generation`` (unless someone already did)."""
        with self._lock:
            if generation != self._generation or self._executor is None:
                return
            executor, self._executor = self._executor, None
            self._generation += 1
        _shut_down(executor, kill=True)


def _shut_down(executor: ProcessPoolExecutor, *, kill: bool) -> None:
    # ProcessPoolExecutor has no public way to kill its workers before Python 3.14.
    processes = list((getattr(executor, "_processes", None) or {}).values())
    if kill:
        for process in processes:
            if process.is_alive():
                process.kill()
    executor.shutdown(wait=False, cancel_futures=True)
    deadline = time.monotonic() + 2.0
    for process in processes:
        process.join(max(0.0, deadline - time.monotonic()))
        if process.is_alive():
            process.kill()
            process.join(1.0)
