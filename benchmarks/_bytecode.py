"""Compile tui/ before timing it, as ``pip install`` does for an installed package."""

from __future__ import annotations

import compileall
from pathlib import Path


def compile_package() -> None:
    # A source tree run with PYTHONDONTWRITEBYTECODE would otherwise recompile tui/ on
    # every start (~25 ms), which no installed copy pays.
    compileall.compile_dir(Path(__file__).resolve().parents[1] / "tui", quiet=1)
