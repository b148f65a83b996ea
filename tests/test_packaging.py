"""A plain (non-editable) install must carry the styles, the bundled feed and the
quote ranker's weights."""

from __future__ import annotations

import subprocess
import sys
import zipfile
from pathlib import Path

import pytest

# The wheel is built once, on one worker (pytest-xdist keeps the group together).
pytestmark = pytest.mark.xdist_group("packaging")

ROOT = Path(__file__).resolve().parents[1]


@pytest.fixture(scope="module")
def wheel(tmp_path_factory) -> Path:
    out = tmp_path_factory.mktemp("wheel")
    subprocess.run(
        [
            sys.executable,
            "-m",
            "pip",
            "wheel",
            "--no-deps",
            "--no-build-isolation",
            "-q",
            "-w",
            str(out),
            str(ROOT),
        ],
        check=True,
        capture_output=True,
    )
    return next(out.glob("broadsheet-*.whl"))


def test_wheel_contains_styles_data_and_the_console_script(wheel):
    names = set(zipfile.ZipFile(wheel).namelist())
    assert "tui/styles/app.tcss" in names
    assert "tui/data/welcome.xml" in names
    assert "tui/core/quotes/speaker_weights.json" in names
    assert "tui/core/summarize/scorer.npz" in names
    entry_points = next(n for n in names if n.endswith("entry_points.txt"))
    scripts = zipfile.ZipFile(wheel).read(entry_points).decode()
    assert "broadsheet = tui.__main__:entry_point" in scripts


def test_installed_package_finds_its_styles_and_welcome_feed(wheel, tmp_path):
    site = tmp_path / "site"
    zipfile.ZipFile(wheel).extractall(site)
    code = (
        "import sys; sys.path.insert(0, sys.argv[1])\n"
        "import tui.resources, tui.core.archive\n"
        "path = tui.resources.stylesheet('app.tcss')\n"
        "assert path.is_file() and str(path).startswith(sys.argv[1]), path\n"
        "assert b'Welcome to Broadsheet' in tui.core.archive.bundled_feed('broadsheet:welcome')\n"
        "import tui.core.quotes.ranker as ranker\n"
        "assert ranker.shipped_weights() and str(ranker.WEIGHTS_FILE).startswith(sys.argv[1])\n"
        "from tui.app import BroadsheetApp\n"
        "assert all(str(p).startswith(sys.argv[1]) for p in BroadsheetApp.CSS_PATH)\n"
        "import tui.core.summarize.learned as learned\n"
        "assert learned.__file__.startswith(sys.argv[1]), learned.__file__\n"
        "text = ' '.join(f'Sentence number {n} tells of the harbour and its new ferry.' "
        "for n in range(9))\n"
        "from tui.core.summarize import summarize\n"
        "assert len(summarize(text).sentences) == 3\n"
        "print('ok')\n"
    )
    # Run from a directory without the source tree so nothing resolves to the checkout.
    result = subprocess.run(
        [sys.executable, "-c", code, str(site)], cwd=tmp_path, capture_output=True, text=True
    )
    assert result.stdout.strip() == "ok", result.stderr
