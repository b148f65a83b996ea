"""Refreshing and subscribing: fetch -> parse (process pool) -> one transaction per feed.

Everything here is plain asyncio with progress callbacks, so the CLI runs it with
``asyncio.run`` and the UI runs it in a thread worker; neither knows about the other.

During a refresh the event loop only moves bytes: parsing happens in the parser pool
and the store's writes on a thread of their own (``_StoreWriter``), with a connection
of its own. A cold refresh of 500 feeds writes 25,000 articles into the search index;
SQLite does that work in C without the GIL, so fetching and parsing go on meanwhile.
"""

from __future__ import annotations

import asyncio
import contextlib
from collections.abc import Callable, Sequence
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import TYPE_CHECKING

from .archive import BUNDLED_SCHEME, bundled_etag, bundled_feed
from .config import FetchSettings, ParseSettings
from .errors import BroadsheetError, HTTPStatusError, NotAFeedError
from .fetch import Fetcher, within_deadline
from .models import Feed, FetchResult, ParsedFeed, RefreshProgress
from .report import FeedOutcome, RefreshReport
from .schedule import cache_max_age, document_hints, is_due
from .store import Store, write_error

if TYPE_CHECKING:
    from .parsepool import ParserPool

ProgressCallback = Callable[[RefreshProgress], None]

_LAUNCH_SLICE = 16
"""Feeds whose refresh starts per turn of the event loop."""
_MAX_BATCH = 64
"""Writes in one transaction at most, so none holds the archive's lock for long."""


class _StoreWriter:
    """The store's writes for one refresh, in order, on a thread of their own.

    The thread opens its own connection to the same file (WAL lets the caller's
    connection go on reading). Writes that queue up while the thread is busy go in
    one transaction, each in a savepoint of its own (a failing one takes only its
    own changes back): a warm refresh of 500 feeds answering 304 made 500 commits
    and 8 MB of write-ahead log, copied back at close. A call returns once its
    write is committed. A store without a file of its own (``:memory:``) is written
    on the caller's thread instead.
    """

    def __init__(self, store: Store) -> None:
        self._store = store
        self._own: Store | None = None
        self._executor: ThreadPoolExecutor | None = None
        self._queue: list[_Write] = []
        self._pump: asyncio.Task[None] | None = None
        if str(store.path) != ":memory:" and Path(store.path).exists():
            self._executor = ThreadPoolExecutor(1, thread_name_prefix="broadsheet-store")

    async def __call__(self, method: str, *args: object, **kwargs: object) -> object:
        if self._executor is None:
            return getattr(self._store, method)(*args, **kwargs)
        done = asyncio.get_running_loop().create_future()
        self._queue.append(_Write(method, args, kwargs, done))
        if self._pump is None:
            self._pump = asyncio.ensure_future(self._drain())
        return await done

    async def _drain(self) -> None:
        assert self._executor is not None
        loop = asyncio.get_running_loop()
        try:
            while self._queue:
                batch, self._queue = self._queue[:_MAX_BATCH], self._queue[_MAX_BATCH:]
                try:
                    results = await loop.run_in_executor(self._executor, self._write, batch)
                except Exception as exc:  # the thread could not even try: the batch fails
                    results = [(False, exc)] * len(batch)
                except BaseException:  # the pump itself cancelled: no write is answered
                    for write in [*batch, *self._queue]:
                        write.done.cancel()
                    self._queue = []
                    raise
                for write, (ok, value) in zip(batch, results, strict=True):
                    if not write.done.done():
                        if ok:
                            write.done.set_result(value)
                        else:
                            write.done.set_exception(value)  # type: ignore[arg-type]
        finally:
            self._pump = None

    def _write(self, batch: list[_Write]) -> list[tuple[bool, object]]:
        results: list[tuple[bool, object]] = []
        try:
            if self._own is None:
                self._own = Store(self._store.path)
            own = self._own
            with own.transaction():
                for write in batch:
                    try:
                        results.append(
                            (True, getattr(own, write.method)(*write.args, **write.kwargs))
                        )
                    except Exception as exc:  # handed to its caller
                        results.append((False, exc))
                        if not own.in_transaction:
                            # SQLite gave the whole transaction up (a full disk, an I/O
                            # error): none of the batch is stored, all of it failed.
                            raise write_error(exc) from None
        except BroadsheetError as exc:  # no archive, or BEGIN or COMMIT failed: none stored
            return [(False, exc)] * len(batch)
        return results

    async def close(self) -> None:
        """Wait for the queued writes, then close the thread's connection."""
        if self._pump is not None:
            with contextlib.suppress(asyncio.CancelledError):
                await asyncio.shield(self._pump)
        if self._executor is not None:
            await asyncio.get_running_loop().run_in_executor(self._executor, self._close)
            self._executor.shutdown()
            self._executor = None

    def _close(self) -> None:
        if self._own is not None:
            self._own.close()
            self._own = None


@dataclass(slots=True)
class _Write:
    method: str
    args: tuple[object, ...]
    kwargs: dict[str, object]
    done: asyncio.Future[object]


class Refresher:
    """Refreshes feeds into a store; one instance per refresh run."""

    def __init__(
        self,
        store: Store,
        *,
        fetch: FetchSettings | None = None,
        parse: ParseSettings | None = None,
        pool: ParserPool | None = None,
    ) -> None:
        self.store = store
        self._fetch_limits = fetch or FetchSettings()
        self._parse_limits = parse or ParseSettings()
        self._own_pool = pool is None
        self._pool = pool

    def _parser(self) -> ParserPool:
        # Made on the first feed that changed, so a refresh where everything answers
        # 304 does not even import the pool and multiprocessing (~5 ms).
        if self._pool is None:
            from .parsepool import ParserPool

            self._pool = ParserPool(self._parse_limits)
        return self._pool

    def close(self) -> None:
        if self._own_pool and self._pool is not None:
            self._pool.close()
            self._pool = None

    async def refresh(
        self,
        feeds: Sequence[Feed],
        *,
        force: bool = False,
        progress: ProgressCallback | None = None,
    ) -> RefreshReport:
        """Fetch, parse and store each feed; a failing feed never stops the others."""
        total = len(feeds)
        outcomes: list[FeedOutcome] = []
        errors = 0
        new = 0

        def report(current: str | None) -> None:
            if progress is not None:
                progress(RefreshProgress(len(outcomes), total, errors, new, current))

        report(None)
        writer = _StoreWriter(self.store)
        try:
            async with Fetcher(self._fetch_limits) as fetcher:

                async def run(feed: Feed) -> None:
                    nonlocal errors, new
                    outcome = await self._refresh_one(fetcher, writer, feed, force=force)
                    outcomes.append(outcome)
                    errors += outcome.status == "failed"
                    new += outcome.new_articles
                    report(feed.url)

                # Started a slice at a time, yielding in between: the first requests
                # go out while the rest are still being set up, instead of after all
                # of them (500 feeds: the first answers came 14 ms later).
                tasks: list[asyncio.Future[None]] = []
                try:
                    for start in range(0, len(feeds), _LAUNCH_SLICE):
                        tasks += [
                            asyncio.ensure_future(run(feed))
                            for feed in feeds[start : start + _LAUNCH_SLICE]
                        ]
                        await asyncio.sleep(0)
                    await asyncio.gather(*tasks)
                finally:
                    for task in tasks:  # cancelled or failed: stop the feeds still going
                        task.cancel()
        finally:
            await writer.close()
        order = {feed.url: index for index, feed in enumerate(feeds)}
        outcomes.sort(key=lambda outcome: order.get(outcome.url, total))
        return RefreshReport(tuple(outcomes))

    async def _refresh_one(
        self, fetcher: Fetcher, write: _StoreWriter, feed: Feed, *, force: bool
    ) -> FeedOutcome:
        now = datetime.now(UTC)
        # Not due yet (its TTL, skipHours, Retry-After or back-off), or gone: left alone
        # unless the user insists.
        if not force and (feed.gone or not is_due(feed.next_check, now)):
            return FeedOutcome(feed.url, "skipped")
        try:
            result = await self._fetch(fetcher, feed)
        except HTTPStatusError as exc:
            await write(
                "record_failure",
                feed.id,
                exc.message,
                now=now,
                status=str(exc.status),
                gone=exc.status == 410,
                retry_after=exc.retry_after,
            )
            return FeedOutcome(feed.url, "failed", error=exc.message)
        except BroadsheetError as exc:
            await write("record_failure", feed.id, exc.message, now=now)
            return FeedOutcome(feed.url, "failed", error=exc.message)

        if result.not_modified:
            # A 304: one request, no parse, one small UPDATE.
            await write(
                "record_not_modified",
                feed.id,
                now=now,
                etag=result.etag,
                last_modified=result.last_modified,
                new_url=result.permanent_url,
                max_age=cache_max_age(result.headers.get("cache-control")),
            )
            return FeedOutcome(feed.url, "not_modified")
        try:
            parsed = await self._parser().parse(
                result.content or b"", result.headers, result.final_url
            )
            added = await write(
                "apply_feed_update",
                feed.id,
                parsed,
                now=now,
                status=str(result.status),
                etag=result.etag,
                last_modified=result.last_modified,
                new_url=result.permanent_url,
                hints=document_hints(result.content, result.headers.get("cache-control")),
            )
        except BroadsheetError as exc:
            await write("record_failure", feed.id, exc.message, now=now, status=str(result.status))
            return FeedOutcome(feed.url, "failed", error=exc.message)
        assert isinstance(added, int)
        return FeedOutcome(feed.url, "updated", new_articles=added)

    async def _fetch(self, fetcher: Fetcher, feed: Feed) -> FetchResult:
        if feed.url.startswith(BUNDLED_SCHEME):
            # Bundled feeds change only when Broadsheet is upgraded: a content hash
            # stands in for the ETag so an unchanged file is "not modified".
            content = bundled_feed(feed.url)
            etag = bundled_etag(content)
            if feed.etag == etag:
                return FetchResult(feed.url, feed.url, 304, etag=etag)
            return FetchResult(feed.url, feed.url, 200, content, etag=etag)
        return await fetcher.fetch(feed.url, etag=feed.etag, last_modified=feed.last_modified)


def refresh(
    store: Store,
    feeds: Sequence[Feed],
    *,
    fetch: FetchSettings | None = None,
    parse: ParseSettings | None = None,
    force: bool = False,
    progress: ProgressCallback | None = None,
) -> RefreshReport:
    """Run a whole refresh on a private event loop (for the CLI and thread workers)."""
    refresher = Refresher(store, fetch=fetch, parse=parse)
    try:
        return asyncio.run(refresher.refresh(feeds, force=force, progress=progress))
    finally:
        refresher.close()


@dataclass(frozen=True, slots=True)
class Subscription:
    """The result of subscribing: the feed and how many articles came with it."""

    feed: Feed
    new_articles: int
    discovered_from: str | None = None
    """The web page the feed was found on, when the URL given was a page."""


async def discover_feed(
    fetcher: Fetcher, pool: ParserPool, url: str
) -> tuple[str, FetchResult, ParsedFeed, str | None]:
    """Fetch ``url``; if it is a web page, follow its first announced feed.

    Returns the feed URL, its fetch result, the parsed feed and the page it came from.
    """
    from .discover import find_feed_links

    result = await fetcher.fetch(url)
    try:
        parsed = await pool.parse(result.content or b"", result.headers, result.final_url)
        return result.final_url, result, parsed, None
    except NotAFeedError:
        links = find_feed_links(result.content or b"", result.final_url)
        if not links:
            raise NotAFeedError(
                f"{url} is a web page that does not announce a feed "
                '(no <link rel="alternate"> to RSS, Atom or JSON Feed)'
            ) from None
    last_error: BroadsheetError | None = None
    for link in links[:3]:
        try:
            feed_result = await fetcher.fetch(link)
            parsed = await pool.parse(
                feed_result.content or b"", feed_result.headers, feed_result.final_url
            )
            return feed_result.final_url, feed_result, parsed, url
        except BroadsheetError as exc:
            last_error = exc
    assert last_error is not None
    raise type(last_error)(f"{url} announces {links[0]}, but: {last_error.message}")


@dataclass(frozen=True, slots=True)
class FoundFeed:
    """A feed fetched and parsed for a new subscription, not stored yet."""

    url: str
    result: FetchResult
    parsed: ParsedFeed
    page: str | None = None
    """The web page it was announced on, when the URL given was a page."""


async def prepare_subscription(
    url: str, *, fetch: FetchSettings | None = None, parse: ParseSettings | None = None
) -> FoundFeed:
    """Check that ``url`` is (or leads to) a feed; the store is not touched, so the
    reader can cancel this half (a fetch) and run the other (a write) where it likes.

    The whole of it (the page, the feeds it announces, their parsing) fits in the
    interactive deadline: the user is waiting.
    """
    from .parsepool import ParserPool

    limits = fetch or FetchSettings()
    with ParserPool(parse or ParseSettings()) as pool:
        async with Fetcher(limits) as fetcher:
            found = discover_feed(fetcher, pool, url)
            return FoundFeed(*await within_deadline(found, limits.interactive_deadline, url))


def store_subscription(
    store: Store, found: FoundFeed, *, title: str = "", tags: Sequence[str] = ()
) -> Subscription:
    """Subscribe to a feed ``prepare_subscription`` found, with the articles it came with."""
    result = found.result
    feed = store.add_feed(found.url, title=title, tags=tags)
    added = store.apply_feed_update(
        feed.id,
        found.parsed,
        now=datetime.now(UTC),
        status=str(result.status),
        etag=result.etag,
        last_modified=result.last_modified,
        hints=document_hints(result.content, result.headers.get("cache-control")),
    )
    return Subscription(store.feed(feed.id), added, found.page)


async def subscribe_async(
    store: Store,
    url: str,
    *,
    title: str = "",
    tags: Sequence[str] = (),
    fetch: FetchSettings | None = None,
    parse: ParseSettings | None = None,
) -> Subscription:
    """Check that ``url`` is (or leads to) a feed, subscribe, and store its articles."""
    found = await prepare_subscription(url, fetch=fetch, parse=parse)
    return store_subscription(store, found, title=title, tags=tags)


def subscribe(store: Store, url: str, **kwargs: object) -> Subscription:
    return asyncio.run(subscribe_async(store, url, **kwargs))  # type: ignore[arg-type]
