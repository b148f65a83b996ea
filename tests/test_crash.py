"""SIGKILL at random moments: the archive stays intact and the next run carries on."""

from __future__ import annotations

import contextlib
import os
import random
import signal
import sqlite3
import subprocess
import sys
import time
import uuid

import pytest

from tests.feedserver import small_rss

pytestmark = pytest.mark.skipif(not hasattr(signal, "SIGKILL"), reason="needs SIGKILL")


def start(cli, data_dir, *args: str) -> subprocess.Popen:
    env = {**os.environ, "BROADSHEET_HOME": str(data_dir)}
    return subprocess.Popen(
        [sys.executable, "-m", "tui", "--config", str(cli.config), *args],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        stdin=subprocess.DEVNULL,
        env=env,
        start_new_session=True,  # so the kill reaches its parser processes too
    )


def kill_group(process: subprocess.Popen) -> None:
    with contextlib.suppress(ProcessLookupError):
        os.killpg(process.pid, signal.SIGKILL)
    process.wait(10)


def integrity(data_dir) -> tuple[str, dict[str, int]]:
    db = sqlite3.connect(data_dir / "broadsheet.sqlite3")
    try:
        check = db.execute("PRAGMA integrity_check").fetchone()[0]
        counts = dict(
            db.execute(
                "SELECT f.url, count(a.id) FROM feeds f LEFT JOIN articles a ON a.feed_id = f.id "
                "GROUP BY f.id"
            ).fetchall()
        )
    finally:
        db.close()
    return check, counts


def test_killing_refreshes_never_corrupts_or_loses_committed_feeds(cli, data_dir, feed_server):
    rng = random.Random(7)
    tag = uuid.uuid4().hex[:6]
    urls = []
    for n in range(60):
        path = f"crash-{tag}-{n}.xml"
        feed_server.set_route(path, small_rss(f"Crash feed {n}", 25), delay=rng.uniform(0.05, 0.3))
        urls.append(feed_server.url(path))
    opml = data_dir.parent / "crash.opml"
    outlines = "".join(f'<outline type="rss" text="f" xmlUrl="{u}"/>' for u in urls)
    opml.write_text(f'<?xml version="1.0"?><opml version="2.0"><body>{outlines}</body></opml>')
    assert cli("import-opml", str(opml)).code == 0

    committed: dict[str, int] = {}
    interrupted = 0
    for _ in range(8):
        process = start(cli, data_dir, "refresh", "--force")
        time.sleep(rng.uniform(0.6, 2.5))
        kill_group(process)
        check, counts = integrity(data_dir)
        assert check == "ok"
        for url, count in committed.items():
            assert counts[url] >= count, f"{url} lost articles after a kill"
        committed = {url: count for url, count in counts.items() if count}
        stored = sum(1 for url in urls if counts[url])
        interrupted += 0 < stored < len(urls)
        # A feed is stored whole or not at all: one transaction per feed.
        assert all(count in (0, 25) for url, count in counts.items() if url in urls)

    assert interrupted, "no kill landed in the middle of a refresh"
    final = cli("refresh", "--json", "--force", timeout=120)
    assert final.code == 0, final.stderr
    check, counts = integrity(data_dir)
    assert check == "ok"
    assert all(counts[url] == 25 for url in urls)


def test_killing_an_export_leaves_whole_files_or_none(cli, data_dir, tmp_path):
    articles = cli("articles", "--json").json()
    ids = [str(a["id"]) for a in articles]
    folder = tmp_path / "exports"
    rng = random.Random(11)
    for _ in range(6):
        process = start(cli, data_dir, "export", *ids, "--to", str(folder))
        time.sleep(rng.uniform(0.05, 0.6))
        kill_group(process)
        for path in folder.glob("*.md") if folder.exists() else ():
            text = path.read_text()
            assert text.startswith("---\n") and "\n---\n" in text[4:]  # front matter closed
            assert "\nbroadsheet_id: " in text and text.endswith("\n")
    done = cli("export", *ids, "--to", str(folder))
    assert done.code == 0
    assert len(list(folder.glob("*.md"))) == len(ids)
