"""Two readers opening a new archive at the same moment (two browser tabs, a tab and a
terminal) must both get a working archive."""

from __future__ import annotations

import subprocess
import sys
import time

import pytest

from tui.core.archive import WELCOME_URL, open_store

OPEN_AT_ONCE = """
import sys, time
from tui.core.archive import open_store
start = float(sys.argv[2])
while time.time() < start:
    pass
open_store(sys.argv[1]).close()
"""


@pytest.mark.parametrize("attempt", range(4))
def test_three_processes_opening_a_new_archive_at_once_all_succeed(tmp_path, attempt):
    path = tmp_path / "broadsheet.sqlite3"
    start = str(time.time() + 1.0)  # both processes have imported by then
    processes = [
        subprocess.Popen(
            [sys.executable, "-c", OPEN_AT_ONCE, str(path), start],
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )
        for _ in range(3)
    ]
    for process in processes:
        _, err = process.communicate(timeout=60)
        assert process.returncode == 0, err
    with open_store(path) as store:
        assert [feed.url for feed in store.feeds()] == [WELCOME_URL]  # welcomed once
        assert store._db.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
