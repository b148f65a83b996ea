"""The reader's archive: one connection behind one lock, typed reads, one writer thread.

Reads run on the caller's thread (the UI's thread workers) and first wait for the
writes asked for before them, so a list read after ``m`` shows what ``m`` did. Writes
run one at a time on a thread of their own, in the order they were asked for: two
quick ``m`` can no longer land the wrong way round. Writes that follow the cursor
(marking an opened article read, remembering the place) merge while they wait, so
holding ``j`` costs a few transactions, not one per row.

Nothing here knows about Textual: callbacks run on the writer thread, and the UI
hands them on to its event loop.
"""

from __future__ import annotations

import threading
import time
from collections import deque
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import TypeVar

from .core.errors import BroadsheetError, StoreError
from .core.models import Article, Feed
from .core.store import PageCursor, Store
from .selection import Selection

T = TypeVar("T")
ErrorCallback = Callable[[str], None]

OLDER_THAN_DAYS = 7
"""The age the palette's "mark older than" entry uses."""
PAGE_SIZE = 200
"""Articles one list page brings."""
_TO_END_STEP = 2000
"""Rows per query while paging to the end (G), so other reads get the lock between."""
_BATCH = 64
"""Writes in one transaction at most, so reads wait for the lock only briefly."""


@dataclass(frozen=True, slots=True)
class Counts:
    """Totals shown beside the virtual feeds."""

    total: int = 0
    unread: int = 0
    bookmarked: int = 0


@dataclass(frozen=True, slots=True)
class Listing:
    """The subscriptions with their counts, as the feed list shows them."""

    feeds: list[Feed]
    counts: Counts
    saved: list[tuple[str, str, int]] = field(default_factory=list)
    """Saved searches as (name, query, unread count)."""
    older_unread: int = 0
    """Unread articles older than a week (the palette offers to mark them read)."""


@dataclass(frozen=True, eq=False, slots=True)
class PageRequest:
    """A page the article list asked for; compared by identity, so a newer one wins."""

    selection: Selection
    after: PageCursor | None = None
    """Continue after this article; None starts the list again."""
    limit: int = PAGE_SIZE
    to_end: bool = False
    """Keep paging to the last article (G)."""
    keep: int | None = None
    """Re-highlight this article id when a list is read again."""


@dataclass(frozen=True, slots=True)
class ArticlePage:
    request: PageRequest
    articles: list[Article]
    exhausted: bool
    """No more pages after these."""
    notes: dict[int, str] = field(default_factory=dict)
    """Bookmark notes by article id (the Bookmarked view)."""
    sources: dict[int, int] = field(default_factory=dict)
    """How many articles each story of these articles has, by story id."""


@dataclass(frozen=True, slots=True)
class Opening:
    """An article to show, with its page's text if that was fetched before."""

    article: Article
    cached: tuple[str, str | None] | None
    """(page text, fetch error) from an earlier fetch of its page."""
    versions: tuple[Article, ...] = ()
    """Every article of its story, oldest first (none when it is in no story)."""


@dataclass(eq=False)
class _Write:
    run: Callable[[Store], object]
    then: Callable[[object], None] | None = None
    opened: list[int] | None = None
    """Article ids marked read on opening (merged while waiting)."""
    state: bool = False
    """Saves remembered reader state only."""
    with_story: bool = False
    """The opened articles' stories are marked read with them."""


def _with_versions(store: Store, article_ids: list[int]) -> list[int]:
    """The articles and every other version of their stories."""
    found = list(article_ids)
    for article_id in article_ids:
        if (story := store.story_of(article_id)) is not None:
            found += store.story_article_ids(story)
    return list(dict.fromkeys(found))


class Library:
    """The archive as the reader uses it; ``close`` when the reader ends."""

    def __init__(self, path: Path, *, on_error: ErrorCallback | None = None) -> None:
        self.path = path
        self.on_error = on_error
        """Told the one-line reason when a write fails (on the writer thread)."""
        self._store: Store | None = None
        self._lock = threading.Lock()
        self._changed = threading.Condition()
        self._writes: deque[_Write] = deque()
        self._asked = 0
        """Writes asked for so far."""
        self._done = 0
        """Writes finished (or failed) so far."""
        self._state: dict[str, str] = {}
        self._state_queued = False
        self._writer: threading.Thread | None = None
        self._closing = False
        """No more writes are taken; the writer finishes the queue and ends."""
        self._closed = False

    # -- reads -----------------------------------------------------------------

    def read(self, query: Callable[[Store], T]) -> T:
        """``query(store)`` once the writes asked for before it are done. Blocks."""
        if threading.current_thread() is not self._writer:  # a ``then`` reads without waiting
            with self._changed:
                wanted = self._asked
                self._changed.wait_for(lambda: self._done >= wanted or self._closed)
        with self._lock:
            return query(self._open())

    def listing(self) -> Listing:
        def query(store: Store) -> Listing:
            from .core.errors import BroadsheetError
            from .core.query import parse_query
            from .core.saved import counts

            total, unread, bookmarked = store.counts()
            saved = []
            for search in store.saved_searches():
                try:
                    saved.append(
                        (search.name, search.query, counts(store, parse_query(search.query))[0])
                    )
                except BroadsheetError:
                    saved.append((search.name, search.query, 0))
            week_ago = int(time.time()) - OLDER_THAN_DAYS * 86400
            return Listing(
                store.feeds(),
                Counts(total, unread, bookmarked),
                saved,
                len(store.unread_older_than(week_ago)),
            )

        return self.read(query)

    def page(self, request: PageRequest, cancelled: Callable[[], bool] = bool) -> ArticlePage:
        """The articles ``request`` asks for; paging to the end stops when ``cancelled()``."""
        selection = request.selection
        if selection.kind == "bookmarked":
            # Bookmarks are few and listed by when they were made, with their notes.
            bookmarks = [] if request.after is not None else self.read(Store.bookmarks)
            notes = {b.article.id: b.note for b in bookmarks}
            return ArticlePage(request, [b.article for b in bookmarks], True, notes)
        which = selection.filter
        articles = self.read(
            lambda store: store.articles(which, limit=request.limit, after=request.after)
        )
        exhausted = len(articles) < request.limit
        while request.to_end and not exhausted and not cancelled():
            cursor = (articles[-1].sort_time, articles[-1].id)
            more = self.read(
                lambda store, cursor=cursor: store.articles(which, limit=_TO_END_STEP, after=cursor)
            )
            articles += more
            exhausted = len(more) < _TO_END_STEP
        stories = {a.story for a in articles if a.story is not None}
        sources = self.read(lambda store: store.story_sizes(stories)) if stories else {}
        return ArticlePage(request, articles, exhausted, sources=sources)

    def opening(self, article_id: int) -> Opening:
        def query(store: Store) -> Opening:
            article = store.article(article_id)
            versions: tuple[Article, ...] = ()
            if article.story is not None:
                versions = tuple(store.article(i) for i in store.story_article_ids(article.story))
            return Opening(article, store.cached_text(article_id), versions)

        return self.read(query)

    # -- writes ----------------------------------------------------------------

    @property
    def waiting(self) -> int:
        """Writes asked for that the writer thread has not started yet."""
        with self._changed:
            return len(self._writes)

    def write(self, run: Callable[[Store], T], then: Callable[[T], None] | None = None) -> None:
        """Run ``run(store)`` on the writer thread after the writes asked for before it.

        ``then(result)`` follows on the writer thread when it succeeded; a failure goes
        to ``on_error`` instead.
        """
        self._enqueue(_Write(run, then))  # type: ignore[arg-type]

    def opened(self, article_id: int, *, with_story: bool = False) -> None:
        """Mark an article read because it was opened (``with_story``: and the other
        versions of its story); merges with the opening before."""
        with self._changed:
            # The place being remembered touches no article: look past it.
            last = next((w for w in reversed(self._writes) if not w.state), None)
            if last is not None and last.opened is not None and last.with_story == with_story:
                last.opened.append(article_id)
                return
            ids = [article_id]

            def run(store: Store) -> None:
                store.set_read(_with_versions(store, ids) if with_story else ids)

            self._enqueue_locked(_Write(run, opened=ids, with_story=with_story))

    def remember(self, key: str, value: str) -> None:
        """Keep a piece of reader state (the selection, the theme); the latest value wins."""
        with self._changed:
            self._state[key] = value
            if not self._state_queued:
                self._state_queued = True
                self._enqueue_locked(_Write(self._save_state, state=True))

    def _save_state(self, store: Store) -> None:
        with self._changed:
            state, self._state = self._state, {}
            self._state_queued = False
        with store.transaction():
            for key, value in state.items():
                store.set_state(key, value)

    def _enqueue(self, write: _Write) -> None:
        with self._changed:
            self._enqueue_locked(write)

    def _enqueue_locked(self, write: _Write) -> None:
        if self._closing:
            return  # the reader is ending
        self._writes.append(write)
        self._asked += 1
        if self._writer is None:
            self._writer = threading.Thread(
                target=self._write_loop, name="library-writer", daemon=True
            )
            self._writer.start()
        self._changed.notify_all()

    def _write_loop(self) -> None:
        while True:
            with self._changed:
                self._changed.wait_for(lambda: self._writes or self._closing)
                if not self._writes:
                    return
                batch = [self._writes.popleft() for _ in range(min(_BATCH, len(self._writes)))]
            done = self._run_batch(batch)
            for write, result in done:
                if write.then is not None:
                    try:
                        write.then(result)
                    except Exception as exc:
                        self._report(exc)
            with self._changed:
                self._done += len(batch)
                self._changed.notify_all()

    def _run_batch(self, batch: list[_Write]) -> list[tuple[_Write, object]]:
        """The writes that queued up, in one transaction, each in a savepoint of its own."""
        done: list[tuple[_Write, object]] = []
        try:
            with self._lock:
                store = self._open()
                with store.transaction():
                    for write in batch:
                        try:
                            with store.transaction():
                                done.append((write, write.run(store)))
                        except Exception as exc:  # the others still go in
                            self._report(exc)
        except Exception as exc:  # the commit failed: none of them went in
            self._report(exc)
            return []
        return done

    def _report(self, exc: Exception) -> None:
        if isinstance(exc, BroadsheetError):
            message = exc.message
        else:
            message = f"unexpected error: {type(exc).__name__}: {exc}"
        if self.on_error is not None:
            self.on_error(message)

    # -- lifecycle ---------------------------------------------------------------

    def _open(self) -> Store:
        """The connection, opened on first use (a new archive gets the welcome feed)."""
        if self._store is None:
            from .core.archive import open_store

            if self._closed:
                raise StoreError("the archive is closed")
            self._store = open_store(self.path, shared=True)
        return self._store

    def close(self, timeout: float = 10.0) -> None:
        """Finish the writes already asked for, then close the archive."""
        with self._changed:
            self._closing = True
            self._changed.notify_all()
            writer = self._writer
        if writer is not None:
            writer.join(timeout)
        with self._lock:
            self._closed = True
            if self._store is not None:
                self._store.close()
                self._store = None
        with self._changed:
            self._changed.notify_all()  # reads still waiting give up
