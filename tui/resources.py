"""Where packaged files live, in a wheel install and in a source checkout alike."""

from __future__ import annotations

from pathlib import Path

_PACKAGE = Path(__file__).resolve().parent


def styles_dir() -> Path:
    """The .tcss folder: ``tui/styles`` in a wheel (force-included), else ``styles/``."""
    packaged = _PACKAGE / "styles"
    if packaged.is_dir():
        return packaged
    return _PACKAGE.parent / "styles"


def stylesheet(name: str) -> Path:
    return styles_dir() / name
