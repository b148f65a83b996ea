"""The domain layer stays headless: no core module may import Textual."""

from __future__ import annotations

import pkgutil
import subprocess
import sys
from pathlib import Path

import pytest

import tui.core

CORE_MODULES = sorted(f"tui.core.{info.name}" for info in pkgutil.iter_modules(tui.core.__path__))


def test_core_modules_are_discovered():
    assert {"tui.core.store", "tui.core.fetch", "tui.core.parse", "tui.core.update"} <= set(
        CORE_MODULES
    )


@pytest.mark.parametrize("module", CORE_MODULES)
def test_core_module_does_not_import_textual(module):
    code = (
        f"import sys, {module}\n"
        "bad = sorted(m for m in sys.modules if m == 'textual' or m.startswith('textual.'))\n"
        "print(','.join(bad))\n"
    )
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True)
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == "", f"{module} pulls in {result.stdout.strip()}"


def test_only_parse_imports_feedparser():
    offenders = []
    for module in CORE_MODULES:
        if module == "tui.core.parse":
            continue
        source = sys.modules.get(module) or __import__(module, fromlist=["_"])
        text = Path(source.__file__).read_text(encoding="utf-8")
        if "import feedparser" in text or "from feedparser" in text:
            offenders.append(module)
    assert offenders == []


# What each command may leave out at start-up. A refresh run by cron or the reader
# prints JSON, and listing commands never touch the network: aiohttp costs ~110 ms
# to import, rich ~25 ms, the article extractor more.
STARTUP_BUDGET = {
    ("refresh", "--json"): {"rich", "trafilatura", "tui.core.extract", "textual", "sumy"},
    ("articles", "--json"): {"aiohttp", "rich", "trafilatura", "textual", "sumy"},
    ("feeds", "--json"): {"aiohttp", "rich", "trafilatura", "textual", "sumy"},
}


@pytest.mark.parametrize("command", sorted(STARTUP_BUDGET))
def test_commands_import_only_what_they_use(command, tmp_path):
    code = (
        "import sys\n"
        "from tui.__main__ import main\n"
        f"status = main(['--data-dir', {str(tmp_path)!r}, *{list(command)!r}])\n"
        "loaded = {name.split('.')[0] for name in sys.modules} | set(sys.modules)\n"
        "print(status, ','.join(sorted(loaded)), file=sys.stderr)\n"
    )
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True)
    status, loaded = result.stderr.strip().splitlines()[-1].split(" ", 1)
    assert status == "0", result.stderr
    assert STARTUP_BUDGET[command] & set(loaded.split(",")) == set()
