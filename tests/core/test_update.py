"""Refresh orchestration: writes on the store's own thread, the cheap 304 path, failures."""

from __future__ import annotations

import asyncio
import sqlite3
import threading
import uuid
from datetime import UTC, datetime
from pathlib import Path

import pytest

from tests.feedserver import small_rss
from tui.core import update as update_module
from tui.core.archive import open_store
from tui.core.config import FetchSettings
from tui.core.errors import StoreError
from tui.core.parsepool import ParserPool
from tui.core.store import Store
from tui.core.update import Refresher, _StoreWriter, refresh


def _path(name: str) -> str:
    return f"update-{name}-{uuid.uuid4().hex[:8]}.xml"


@pytest.fixture
def store(tmp_path: Path):
    with open_store(tmp_path / "broadsheet.sqlite3") as opened:
        yield opened


def _subscribe(store: Store, feed_server, count: int, items: int = 3) -> list[str]:
    urls = []
    for number in range(count):
        path = _path(str(number))
        feed_server.set_route(path, small_rss(f"Feed {number}", items))
        urls.append(feed_server.url(path))
    store.add_feeds((url, "", ()) for url in urls)
    return urls


def _feeds(store: Store, urls: list[str]):
    return [feed for feed in store.feeds() if feed.url in urls]


def test_writes_happen_on_a_thread_of_their_own(store, feed_server, monkeypatch) -> None:
    urls = _subscribe(store, feed_server, 4)
    writers: set[str] = set()
    original = Store.apply_feed_update

    def spy(self, *args, **kwargs):
        writers.add(threading.current_thread().name)
        return original(self, *args, **kwargs)

    monkeypatch.setattr(Store, "apply_feed_update", spy)
    report = refresh(store, _feeds(store, urls), fetch=FetchSettings(per_host=8))
    assert report.updated == 4 and report.new_articles == 12 and not report.failed
    assert len(writers) == 1 and writers != {threading.current_thread().name}
    # The caller's own connection sees every article the writer committed ...
    assert sum(feed.total for feed in _feeds(store, urls)) == 12
    # ... and the writer's thread and connection are gone.
    assert not any(t.name.startswith("broadsheet-store") for t in threading.enumerate())


def test_a_304_costs_one_request_no_parse_and_one_update(store, feed_server, monkeypatch):
    urls = _subscribe(store, feed_server, 3)
    refresh(store, _feeds(store, urls))
    feed_server.reset()
    parses: list[object] = []
    original_parse = ParserPool.parse

    async def counting_parse(self, *args, **kwargs):
        parses.append(args)
        return await original_parse(self, *args, **kwargs)

    updates: list[int] = []
    original_update = Store.record_not_modified

    def counting_update(self, feed_id, **kwargs):
        updates.append(feed_id)
        return original_update(self, feed_id, **kwargs)

    monkeypatch.setattr(ParserPool, "parse", counting_parse)
    monkeypatch.setattr(Store, "record_not_modified", counting_update)
    report = refresh(store, _feeds(store, urls), force=True)  # due or not
    assert report.not_modified == 3 and report.updated == 0
    assert len(feed_server.requests) == 3
    assert all(r.status == 304 for r in feed_server.requests)
    assert parses == [] and sorted(updates) == sorted(f.id for f in _feeds(store, urls))
    assert {feed.last_status for feed in _feeds(store, urls)} == {"304"}


def test_failures_are_recorded_through_the_writer(store, feed_server) -> None:
    good = _subscribe(store, feed_server, 1)
    missing = feed_server.url(_path("missing"))
    not_a_feed = _path("garbage")
    feed_server.set_route(not_a_feed, b"<rss><channel><title>x</rss", content_type="text/xml")
    store.add_feeds([(missing, "", ()), (feed_server.url(not_a_feed), "", ())])
    urls = [*good, missing, feed_server.url(not_a_feed)]
    report = refresh(store, _feeds(store, urls))
    assert (report.updated, report.failed) == (1, 2)
    by_url = {feed.url: feed for feed in _feeds(store, urls)}
    assert by_url[missing].last_status == "404" and "404" in (by_url[missing].last_error or "")
    assert "malformed XML" in (by_url[feed_server.url(not_a_feed)].last_error or "")
    assert by_url[good[0]].last_error is None and by_url[good[0]].total == 3


@pytest.mark.timeout(30)
def test_an_archive_the_writer_cannot_open_fails_the_refresh_cleanly(
    store, feed_server, monkeypatch
) -> None:
    urls = _subscribe(store, feed_server, 3)

    def cannot_open(path: object) -> Store:
        raise StoreError(f"cannot open the database {path}: disk I/O error")

    # The writer thread opens its own connection; when that fails every queued write
    # fails with the reason (before, nothing answered them and the refresh hung).
    monkeypatch.setattr(update_module, "Store", cannot_open)
    with pytest.raises(StoreError, match="disk I/O error"):
        refresh(store, _feeds(store, urls), force=True)


async def test_a_batch_sqlite_gave_up_fails_whole(store, monkeypatch) -> None:
    feeds = [store.add_feed(f"https://example.org/{n}") for n in range(5)]
    record = Store.record_not_modified

    def disk_full_on_the_third(self: Store, feed_id: int, **kwargs: object) -> None:
        if feed_id == feeds[2].id:
            self._db.execute("ROLLBACK")  # what SQLite does on SQLITE_FULL
            raise sqlite3.OperationalError("database or disk is full")
        record(self, feed_id, **kwargs)

    monkeypatch.setattr(Store, "record_not_modified", disk_full_on_the_third)
    writer = _StoreWriter(store)
    gate = threading.Event()
    writer._executor.submit(gate.wait)  # so that all five queue up into one batch
    now = datetime.now(UTC)
    writes = [
        asyncio.ensure_future(writer("record_not_modified", feed.id, now=now, etag='"e"'))
        for feed in feeds
    ]
    await asyncio.sleep(0.05)
    gate.set()
    results = await asyncio.gather(*writes, return_exceptions=True)
    await writer.close()
    # None was stored, so none may say it was, and each says why.
    assert all(isinstance(r, StoreError) and "disk is full" in r.message for r in results)
    assert [store.feed(feed.id).etag for feed in feeds] == [None] * 5


async def test_a_store_without_a_file_is_written_inline(feed_server) -> None:
    with Store(":memory:") as memory:
        urls = _subscribe(memory, feed_server, 2)
        refresher = Refresher(memory)
        try:
            report = await refresher.refresh(_feeds(memory, urls))
        finally:
            refresher.close()
        assert report.updated == 2
        assert sum(feed.total for feed in _feeds(memory, urls)) == 6


def test_the_parent_never_imports_feedparser(tmp_path: Path, feed_server) -> None:
    import subprocess
    import sys

    database = tmp_path / "db.sqlite3"
    with open_store(database) as archive:  # a new archive parses its welcome feed here
        _subscribe(archive, feed_server, 1)
    script = (
        "import sys\n"
        "from tui.core.archive import open_store\nfrom tui.core.update import refresh\n"
        f"store = open_store({str(database)!r})\n"
        "report = refresh(store, [f for f in store.feeds() if f.url.endswith('.xml')])\n"
        "assert report.updated == 1, report\n"
        "print('feedparser' in sys.modules, 'tui.core.parse' in sys.modules)\n"
    )
    done = subprocess.run(
        [sys.executable, "-c", script], check=True, capture_output=True, text=True, timeout=60
    )
    assert done.stdout.split() == ["False", "False"]
