"""A damaged archive: every command says so in one line and changes nothing; check repairs.

Real damage to real SQLite files: truncated at several offsets, pages overwritten with
garbage, and the write-ahead log lost halfway through folding a write back into the
file. The commands run in this process through the CLI's own ``main``.
"""

from __future__ import annotations

import hashlib
import json
import os
import shutil
import sqlite3
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from tui.__main__ import main
from tui.core.models import ParsedEntry, ParsedFeed
from tui.core.store import ArticleFilter, Store
from tui.core.store.salvage import check_archive, repair_archive

NOW = datetime(2026, 11, 25, 12, tzinfo=UTC)
FEEDS, PER_FEED = 4, 40
BOOKMARKED = range(3, 160, 8)  # 20 article ids
COMMANDS = [
    ["feeds"],
    ["articles", "--limit", "500"],
    ["articles", "--search", "harbour"],
    ["bookmarks"],
    ["show", "100"],
    ["summary", "150"],
    ["bookmark", "90", "--note", "kept?"],
    ["mark", "12", "--read"],
    ["refresh"],
    ["export", "100", "--to", "{tmp}/out"],
    ["digest", "--since", "10000d", "--to", "{tmp}/digest.md"],
]


def story(feed: int, n: int) -> ParsedEntry:
    words = " ".join(f"harbour{feed}x{n}w{i}" for i in range(400))
    return ParsedEntry(
        title=f"Story {n} of feed {feed}",
        guid=f"f{feed}-{n}",
        link=f"https://feed{feed}.example/{n}",
        published=NOW - timedelta(hours=n),
        content=f"<p>“It is story {n},” said the editor. {words}.</p>",
    )


def fill(store: Store, feeds: range) -> None:
    for feed_number in feeds:
        feed = store.add_feed(f"https://feed{feed_number}.example/rss")
        entries = tuple(story(feed_number, n) for n in range(PER_FEED))
        store.apply_feed_update(
            feed.id, ParsedFeed(f"Feed {feed_number}", entries=entries), now=NOW
        )


@pytest.fixture
def archive(data_dir: Path) -> Path:
    """160 articles in 4 feeds, 20 bookmarks (half with notes), all folded into the file."""
    path = data_dir / "broadsheet.sqlite3"
    with Store(path) as store:
        fill(store, range(FEEDS))
        for article_id in BOOKMARKED:
            store.set_bookmark(
                article_id, True, note=f"note {article_id}" if article_id % 2 else None
            )
    fold_wal(path)
    return path


def fold_wal(path: Path) -> None:
    db = sqlite3.connect(path)
    db.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    db.close()


def fingerprint(path: Path) -> dict[str, str]:
    """The archive's bytes, and its write-ahead log's, as they are now."""
    return {
        file.name: hashlib.sha256(file.read_bytes()).hexdigest()
        for file in (path, path.with_name(path.name + "-wal"))
        if file.exists() and file.stat().st_size
    }


def run(capsys, data_dir: Path, *args: str) -> tuple[int, str, str]:
    config = data_dir.parent / "config.toml"
    config.write_text("[full_text]\nmin_words = 0\n")
    code = main(["--config", str(config), "--data-dir", str(data_dir), *args])
    captured = capsys.readouterr()
    return code, captured.out, captured.err


def assert_every_command_fails_cleanly_or_works(capsys, archive: Path) -> int:
    """Each command works, or says in one line that the archive is damaged and how to
    recover; either way a command that met the damage changed nothing. Returns how
    many met it."""
    met = 0
    for command in COMMANDS:
        args = [part.replace("{tmp}", str(archive.parent.parent)) for part in command]
        before = fingerprint(archive)
        code, _out, err = run(capsys, archive.parent, *args)
        if code == 0:
            continue
        met += 1
        lines = err.strip().splitlines()
        assert len(lines) == 1 and "Traceback" not in err, (command, err)
        assert "is damaged" in lines[0] and "broadsheet check --repair" in lines[0], command
        if command != ["refresh"]:
            assert fingerprint(archive) == before, f"{command} changed a damaged archive"
        # A refresh records each feed's outcome as it comes (in pages that are sound);
        # once it meets the damage the store refuses every further write.
    return met


@pytest.mark.parametrize("keep", [0.0, 0.002, 0.25, 0.6, 0.98])
def test_a_truncated_archive_is_refused_in_one_line_and_left_alone(capsys, archive, keep):
    size = archive.stat().st_size
    with archive.open("r+b") as handle:
        handle.truncate(max(100, int(size * keep)))
    met = assert_every_command_fails_cleanly_or_works(capsys, archive)
    assert met == len(COMMANDS)  # SQLite refuses a file shorter than its header says


@pytest.mark.parametrize("cut", [100, 0.5, -100], ids=["a few bytes", "half", "all but 100"])
def test_an_archive_cut_short_inside_its_last_page_is_refused_too(capsys, archive, cut):
    """SQLite counts a partial last page as a page and reads the missing bytes as zeros:
    without a look at the file's size, commands ran on it and wrote into it."""
    page_size = sqlite3.connect(archive).execute("PRAGMA page_size").fetchone()[0]
    lost = int(page_size * cut) if isinstance(cut, float) else cut % page_size
    with archive.open("r+b") as handle:
        handle.truncate(archive.stat().st_size - lost)
    met = assert_every_command_fails_cleanly_or_works(capsys, archive)
    assert met == len(COMMANDS)
    code, out, _err = run(capsys, archive.parent, "check")
    assert code == 1 and f"{lost:,} bytes short" in out
    code, out, err = run(capsys, archive.parent, "check", "--repair")
    assert code == 0, err
    assert run(capsys, archive.parent, "check")[0] == 0
    assert_every_command_works(capsys, archive)


def overwrite_page(path: Path, page: int) -> None:
    size = sqlite3.connect(path).execute("PRAGMA page_size").fetchone()[0]
    with path.open("r+b") as handle:
        handle.seek((page - 1) * size)
        handle.write(os.urandom(size))


def pages_of(path: Path, name: str, kind: str) -> list[int]:
    db = sqlite3.connect(path)
    try:
        rows = db.execute(
            "SELECT pageno FROM dbstat WHERE name = ? AND pagetype = ? ORDER BY pageno",
            (name, kind),
        ).fetchall()
    except sqlite3.OperationalError:
        pytest.skip("this SQLite has no dbstat table to find the pages with")
    finally:
        db.close()
    return [row[0] for row in rows]


def test_garbage_in_the_articles_pages_is_met_in_one_line_and_repaired(capsys, archive):
    leaves = pages_of(archive, "articles", "leaf")
    for page in leaves[len(leaves) // 3 : len(leaves) // 3 + 2]:
        overwrite_page(archive, page)
    met = assert_every_command_fails_cleanly_or_works(capsys, archive)
    assert met >= 1  # listing every article reads the damaged pages

    code, out, err = run(capsys, archive.parent, "check")
    assert code == 1 and "is damaged" in out
    assert "check --repair" in err and err.count("\n") == 1
    damaged_bytes = archive.read_bytes()

    code, out, err = run(capsys, archive.parent, "check", "--repair")
    assert code == 0, err
    kept = next(archive.parent.glob("broadsheet.sqlite3.damaged-*"))
    assert kept.read_bytes() == damaged_bytes  # the damaged file, beside the new one
    assert f"kept as {kept}" in out
    listed = json.loads(run(capsys, archive.parent, "articles", "--limit", "500", "--json")[1])
    assert f"Saved {len(listed)} articles" in out
    assert FEEDS * PER_FEED * 0.5 < len(listed) < FEEDS * PER_FEED  # most, not all
    code, out, _ = run(capsys, archive.parent, "check")
    assert code == 0 and "is sound" in out
    assert_every_command_works(capsys, archive)


def assert_every_command_works(capsys, archive: Path) -> None:
    for command in COMMANDS:
        args = [part.replace("{tmp}", str(archive.parent.parent)) for part in command]
        code, _out, err = run(capsys, archive.parent, *args)
        assert code == 0 or "refresh" in command, (command, err)  # refresh: no network


@pytest.mark.parametrize("program", [None, ""], ids=["sqlite3 if it works", "python only"])
def test_a_broken_index_loses_nothing_on_repair(capsys, archive, program):
    with Store(archive) as store:  # the newest article goes: its id is not to come back
        store.remove_feed(store.feed_by_url(f"https://feed{FEEDS - 1}.example/rss").id)
    fold_wal(archive)
    before = json.loads(run(capsys, archive.parent, "bookmarks", "--json")[1])
    ids = [a["id"] for a in json.loads(run(capsys, archive.parent, "articles", "--json",
                                             "--limit", "500")[1])]  # fmt: skip
    assert max(ids) < FEEDS * PER_FEED
    root = (
        sqlite3.connect(archive)
        .execute("SELECT rootpage FROM sqlite_master WHERE name = 'articles_by_time'")
        .fetchone()[0]
    )
    overwrite_page(archive, root)
    assert not check_archive(archive).sound

    report = repair_archive(archive, sqlite3_program=program)
    assert report.method in ("sqlite3 .recover", "row by row")
    if program == "":
        assert report.method == "row by row"
    assert (report.saved.articles, report.saved.bookmarks) == (len(ids), len(BOOKMARKED))
    assert report.saved.notes == sum(1 for i in BOOKMARKED if i % 2)
    after = json.loads(run(capsys, archive.parent, "bookmarks", "--json")[1])
    assert after == before  # ids, notes and dates as they were
    listed = json.loads(run(capsys, archive.parent, "articles", "--json", "--limit", "500")[1])
    assert [a["id"] for a in listed] == ids
    # Ids are never handed out twice: a new article continues after the old ones.
    with Store(archive) as store:
        fill(store, range(FEEDS, FEEDS + 1))
        new_feed = store.feed_by_url(f"https://feed{FEEDS}.example/rss")
        new_ids = [a.id for a in store.articles(ArticleFilter(feed_id=new_feed.id))]
        assert len(new_ids) == PER_FEED and min(new_ids) > FEEDS * PER_FEED
    code, out, _ = run(capsys, archive.parent, "articles", "--search", "harbour2x5w7")
    assert code == 0 and "Story 5 of feed 2" in out  # the search index was rebuilt


def test_the_write_ahead_log_lost_in_the_middle_of_a_write(capsys, archive):
    """A big write sits in the log; half of it is folded into the file, then the log is
    lost (a crash and a careless copy): pages of two moments, no log to make sense of
    them."""
    crash = archive.parent.parent / "crash"
    crash.mkdir()
    store = Store(archive)
    store._db.execute("PRAGMA wal_autocheckpoint = 0")  # the write stays in the log
    fill(store, range(FEEDS, FEEDS + 3))
    for name in (archive.name, archive.name + "-wal"):
        shutil.copyfile(archive.parent / name, crash / name)  # the disk at the crash
    store.close()
    damaged = crash / archive.name
    fold_half_of_the_log(damaged)

    met = assert_every_command_fails_cleanly_or_works(capsys, damaged)
    assert met >= 1
    assert not check_archive(damaged).sound
    report = repair_archive(damaged, sqlite3_program="")
    assert check_archive(damaged).sound
    # What was in the file before the big write is still there.
    assert report.saved.articles >= FEEDS * PER_FEED * 0.5
    assert report.saved.bookmarks >= len(BOOKMARKED) * 0.5


def fold_half_of_the_log(path: Path) -> None:
    """Copy the first half of the log's pages (by page number, as a checkpoint goes) into
    the file, then delete the log and its index."""
    wal = path.with_name(path.name + "-wal")
    data = wal.read_bytes()
    page_size = int.from_bytes(data[8:12], "big")
    latest: dict[int, bytes] = {}
    offset = 32
    while offset + 24 + page_size <= len(data):
        page_number = int.from_bytes(data[offset : offset + 4], "big")
        latest[page_number] = data[offset + 24 : offset + 24 + page_size]
        offset += 24 + page_size
    pages = sorted(latest.items())
    with path.open("r+b") as handle:
        for page_number, page in pages[: len(pages) // 2]:
            handle.seek((page_number - 1) * page_size)
            handle.write(page)
    wal.unlink()
    path.with_name(path.name + "-shm").unlink(missing_ok=True)


def test_check_on_a_sound_archive_counts_what_it_holds(capsys, archive):
    code, out, err = run(capsys, archive.parent, "check")
    assert code == 0 and err == ""
    assert out.strip() == (
        f"The archive {archive} is sound: {FEEDS * PER_FEED} articles, "
        f"{len(BOOKMARKED)} bookmarks, {sum(1 for i in BOOKMARKED if i % 2)} notes."
    )
    before = fingerprint(archive)
    code, out, _ = run(capsys, archive.parent, "check", "--repair")
    assert code == 0 and "Nothing to repair" in out
    assert fingerprint(archive) == before and not list(archive.parent.glob("*.damaged-*"))


def test_not_a_database_at_all(capsys, archive):
    archive.write_bytes(os.urandom(50_000))
    assert assert_every_command_fails_cleanly_or_works(capsys, archive) == len(COMMANDS)
    code, out, _ = run(capsys, archive.parent, "check", "--repair")
    assert code == 0 and "Saved 0 articles" in out
    assert run(capsys, archive.parent, "feeds")[0] == 0  # a fresh archive, old file kept
    assert len(list(archive.parent.glob("broadsheet.sqlite3.damaged-*"))) == 1


@pytest.mark.parametrize("program", [None, ""], ids=["sqlite3 if it works", "python only"])
def test_a_repair_keeps_no_story_window_blocks_to_trust(capsys, archive, program):
    """The story window's blocks are a cache of the sketches, checked only by count and
    id sum: one salvaged with garbled times or signatures would pass that check and
    drop its articles out of grouping. A repair leaves them to be rebuilt."""
    db = sqlite3.connect(archive)
    with db:
        db.execute(
            "INSERT INTO story_windows VALUES (?, ?, ?, ?)",
            (123456, b"\x01" * 8, b"\x00" * 8, b"\xff" * 512),
        )
    db.close()
    fold_wal(archive)
    root = (
        sqlite3.connect(archive)
        .execute("SELECT rootpage FROM sqlite_master WHERE name = 'articles_by_time'")
        .fetchone()[0]
    )
    overwrite_page(archive, root)

    report = repair_archive(archive, sqlite3_program=program)
    assert report.saved.articles == FEEDS * PER_FEED
    repaired = sqlite3.connect(archive)
    assert repaired.execute("SELECT count(*) FROM story_windows").fetchone() == (0,)
