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
