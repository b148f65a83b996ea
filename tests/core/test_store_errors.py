"""A damaged archive gives our error with a clear line, on reads as on writes."""

from __future__ import annotations

import inspect
import sqlite3
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from tui.core.errors import DamagedArchiveError, StoreError
from tui.core.models import ParsedEntry, ParsedFeed
from tui.core.store import ArticleFilter, Store
from tui.core.store.base import StoreBase

NOW = datetime(2026, 11, 25, 12, 0, tzinfo=UTC)


def damaged_archive(path: Path, *, table: str = "articles") -> Path:
    """An archive whose ``table`` has its first page overwritten with noise."""
    with Store(path) as store:
        feed = store.add_feed("https://example.org/feed")
        items = tuple(
            ParsedEntry(
                title=f"story {i}",
                guid=f"s{i}",
                published=NOW - timedelta(minutes=i),
                content="<p>" + "words " * 200 + "</p>",
            )
            for i in range(200)
        )
        store.apply_feed_update(feed.id, ParsedFeed("F", entries=items), now=NOW)
    with sqlite3.connect(path) as db:  # the store closed: its log is checkpointed
        page_size = db.execute("PRAGMA page_size").fetchone()[0]
        root = db.execute("SELECT rootpage FROM sqlite_master WHERE name = ?", (table,))
        page = root.fetchone()[0]
    db.close()
    with open(path, "r+b") as handle:
        handle.seek((page - 1) * page_size)
        handle.write(b"\xa5" * page_size)
    return path


def test_reading_a_damaged_archive_gives_a_store_error(tmp_path):
    path = damaged_archive(tmp_path / "damaged.sqlite3")
    with Store(path) as store:  # opening reads only the header and the schema
        with pytest.raises(StoreError) as caught:
            store.articles()
        assert caught.value.message == (
            f"the archive {path} is damaged (database disk image is malformed); "
            "`broadsheet check --repair` saves what can be read into a new archive and "
            "keeps the damaged file"
        )
        with pytest.raises(DamagedArchiveError, match="is damaged"):
            list(store.iter_articles(ArticleFilter(unread=True)))
        # Once damage is met, no write is even tried: it could spread the damage.
        before = path.read_bytes()
        with pytest.raises(DamagedArchiveError, match="is damaged"):
            store.set_state("theme", "nord")
        assert path.read_bytes() == before


def test_the_cli_reports_a_damaged_archive_in_one_line(cli, data_dir):
    assert cli("feeds").code == 0  # a new archive with the welcome feed
    damaged_archive(data_dir / "broadsheet.sqlite3")
    result = cli("articles", "--json")
    assert result.code == 1
    lines = result.stderr.strip().splitlines()
    assert lines == [
        f"broadsheet: the archive {data_dir / 'broadsheet.sqlite3'} is damaged (database "
        "disk image is malformed); `broadsheet check --repair` saves what can be read "
        "into a new archive and keeps the damaged file"
    ]


# What the base class does with SQLite's errors itself (opening, BEGIN, COMMIT), or
# what passes through as the caller's own (a transaction's body).
_OWN_HANDLING = {"transaction", "in_transaction"}


def test_every_public_store_method_turns_sqlite_errors_into_ours():
    unwrapped = []
    for name, member in inspect.getmembers(Store):
        if name.startswith("_") or name in _OWN_HANDLING:
            continue
        function = member.fget if isinstance(member, property) else member
        if not callable(function):
            continue
        if getattr(function, "store_errors", None) not in ("read", "write"):
            unwrapped.append(name)
    assert unwrapped == []
    assert issubclass(Store, StoreBase)
