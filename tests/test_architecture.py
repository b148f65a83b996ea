"""The layers hold: the domain never imports the UI or Textual, and the refresh pipeline's
three parts (fetch, parse, store) meet only in ``update``."""

from __future__ import annotations

import ast
import pkgutil
import subprocess
import sys
from pathlib import Path

import pytest

import tui
import tui.core

CORE = Path(tui.core.__file__).parent
CORE_MODULES = sorted(
    info.name for info in pkgutil.walk_packages(tui.core.__path__, prefix="tui.core.")
)


def test_core_modules_are_discovered():
    assert {
        "tui.core.store",
        "tui.core.store.base",
        "tui.core.fetch",
        "tui.core.parse",
        "tui.core.parse.hardening",
        "tui.core.update",
    } <= set(CORE_MODULES)


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


def _module_name(path: Path) -> str:
    parts = path.relative_to(CORE.parent.parent).with_suffix("").parts
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def _imports(path: Path) -> set[str]:
    """Every module ``path`` names in an import, at any depth of its code (lazy ones too)."""
    module = _module_name(path)
    package = module if path.name == "__init__.py" else module.rpartition(".")[0]
    found: set[str] = set()
    for node in ast.walk(ast.parse(path.read_text("utf-8"))):
        if isinstance(node, ast.Import):
            found.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom):
            base = package
            for _ in range(node.level - 1):
                base = base.rpartition(".")[0]
            target = f"{base}.{node.module}" if node.level and node.module else node.module
            target = target or base
            found.add(target)
            # "from . import fetch" names a module, not a value.
            found.update(f"{target}.{alias.name}" for alias in node.names)
    return found


IMPORTS = {_module_name(path): _imports(path) for path in CORE.rglob("*.py")}


def _reachable(module: str) -> set[str]:
    """The core modules ``module`` imports, directly or through others."""
    seen: set[str] = set()
    todo = [module]
    while todo:
        for name in IMPORTS.get(todo.pop(), ()):
            if name in IMPORTS and name not in seen:
                seen.add(name)
                todo.append(name)
    return seen


def test_the_import_graph_covers_every_core_module():
    assert set(IMPORTS) == set(CORE_MODULES) | {"tui.core"}


# Everything in tui/ outside tui/core: the app, screens, widgets, messages, the CLI.
UI_MODULES = {
    info.name
    for info in pkgutil.walk_packages(tui.__path__, prefix="tui.")
    if not info.name.startswith("tui.core")
}


def test_core_never_imports_the_ui_or_textual():
    assert {"tui.app", "tui.screens", "tui.widgets", "tui.messages", "tui.commands"} <= UI_MODULES
    offenders = {
        f"{module} imports {name}"
        for module, names in IMPORTS.items()
        for name in names
        if name.split(".")[0] == "textual" or name in UI_MODULES
    }
    assert offenders == set()


# Fetching, parsing and storing are wired together by update alone: each can be read,
# tested and replaced without the other two.
PIPELINE = {"fetch": "tui.core.fetch", "parse": "tui.core.parse", "store": "tui.core.store"}


def _part(module: str) -> str | None:
    for part, root in PIPELINE.items():
        if module == root or module.startswith(root + "."):
            return part
    return None


def test_fetch_parse_and_store_meet_only_in_update():
    crossings = {
        f"{module} reaches {other}"
        for module in IMPORTS
        if _part(module) is not None
        for other in _reachable(module)
        if _part(other) not in (None, _part(module))
    }
    assert crossings == set()
    assert {"fetch", "parse", "store"} <= {
        _part(name) for name in _reachable("tui.core.update") if _part(name)
    } | {_part(name) for name in IMPORTS["tui.core.update"] if _part(name)}


def test_only_the_parse_package_imports_feedparser():
    offenders = sorted(
        module
        for module, names in IMPORTS.items()
        if _part(module) != "parse" and any(n.split(".")[0] == "feedparser" for n in names)
    )
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
