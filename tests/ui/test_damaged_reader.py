"""The reader on a damaged archive says so, as a command does, instead of a blank screen."""

from __future__ import annotations

import hashlib
import shutil

from tests.ui.conftest import build_app, settle


async def test_the_reader_on_a_truncated_archive_leaves_with_one_line(library, tmp_path):
    path = library / "broadsheet.sqlite3"
    shutil.copyfile(path, tmp_path / "whole.sqlite3")
    with path.open("r+b") as handle:
        handle.truncate(path.stat().st_size // 2)
    digest = hashlib.sha256(path.read_bytes()).hexdigest()
    app = build_app(library, tmp_path)
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(app, pilot)
    assert app.return_code == 1
    assert app.failure is not None
    assert "is damaged" in app.failure and "broadsheet check --repair" in app.failure
    assert hashlib.sha256(path.read_bytes()).hexdigest() == digest
