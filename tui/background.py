"""Network jobs the reader may give up on: an event loop of their own, in one thread.

A blocking fetch in a thread worker cannot be stopped: a few quick moves between
teaser articles on a slow site used to leave every thread of the pool waiting for
pages nobody would read, and the lists stopped loading. Here each job is a task on a
private loop; ``await background.run(job)`` from an async worker, and cancelling the
worker cancels the task, which closes its connection. aiohttp's import, TLS set-up and
page extraction happen on this thread too, never on Textual's loop.
"""

from __future__ import annotations

import asyncio
import concurrent.futures
import threading
from collections.abc import Coroutine
from typing import Any, TypeVar

T = TypeVar("T")


class Background:
    """One thread running an asyncio loop, started on first use; ``close`` ends it."""

    def __init__(self) -> None:
        self._loop: asyncio.AbstractEventLoop | None = None
        self._thread: threading.Thread | None = None
        self._lock = threading.Lock()

    def submit(self, job: Coroutine[Any, Any, T]) -> concurrent.futures.Future[T]:
        """Start ``job`` on the background loop; cancelling the future cancels the job."""
        return asyncio.run_coroutine_threadsafe(job, self._running_loop())

    async def run(self, job: Coroutine[Any, Any, T]) -> T:
        """``job``'s result, awaited from another loop; cancelling the caller cancels it."""
        return await asyncio.wrap_future(self.submit(job))

    def _running_loop(self) -> asyncio.AbstractEventLoop:
        with self._lock:
            if self._loop is None:
                loop = asyncio.new_event_loop()
                started = threading.Event()

                def serve() -> None:
                    asyncio.set_event_loop(loop)
                    loop.call_soon(started.set)
                    loop.run_forever()

                self._thread = threading.Thread(target=serve, name="background", daemon=True)
                self._thread.start()
                started.wait()
                self._loop = loop
            return self._loop

    def close(self, timeout: float = 5.0) -> None:
        """Cancel what is still running and stop the thread."""
        with self._lock:
            loop, thread = self._loop, self._thread
            self._loop = self._thread = None
        if loop is None or thread is None:
            return

        async def stop() -> None:
            tasks = [t for t in asyncio.all_tasks() if t is not asyncio.current_task()]
            for task in tasks:
                task.cancel()
            await asyncio.gather(*tasks, return_exceptions=True)
            loop.stop()

        asyncio.run_coroutine_threadsafe(stop(), loop)
        thread.join(timeout)
        if not thread.is_alive():
            loop.close()
