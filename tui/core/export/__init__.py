"""Keep articles as files: Markdown with YAML front matter, JSON, and digests.

Everything here is headless and synchronous; callers run it in a worker thread.
``render`` turns articles into text (front matter included), ``files`` names the
files and writes them safely; this module decides which file an export replaces.
"""

from __future__ import annotations

import json
import os
import stat
from collections.abc import Sequence
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from ..errors import ExportError
from .files import (
    MAX_FILENAME,
    digest_filename,
    ensure_folder,
    export_filename,
    slugify,
    write_atomically,
    write_unique,
)
from .render import (
    FORMATS,
    DigestStory,
    ExportItem,
    export_format,
    parse_front_matter,
    render_digest,
    render_json,
    render_markdown,
    safe_line,
    to_utc,
)

__all__ = [
    "FORMATS",
    "MAX_FILENAME",
    "OVERWRITE_MODES",
    "DigestStory",
    "ExportError",
    "ExportItem",
    "digest_filename",
    "export_filename",
    "parse_front_matter",
    "render_digest",
    "render_json",
    "render_markdown",
    "slugify",
    "write_atomically",
    "write_digest",
    "write_export",
]

OVERWRITE_MODES = ("update", "suffix")
_OWN_FILE_LIMIT = 64 * 1024 * 1024
"""Existing files larger than this are never read back (and so never updated)."""


def _is_own_file(target: Path, item: ExportItem, fmt: str) -> bool:
    """Whether ``target`` is a regular file holding an export of this same article."""
    try:
        info = os.lstat(target)
        if not stat.S_ISREG(info.st_mode) or info.st_size > _OWN_FILE_LIMIT:
            return False
        with open(target, encoding="utf-8", errors="replace") as handle:
            text = handle.read()
    except OSError:
        return False
    fields: Any
    if fmt == "json":
        try:
            fields = json.loads(text)
        except ValueError:
            return False
        if not isinstance(fields, dict):
            return False
    else:
        fields = parse_front_matter(text)
        if fields is None:
            return False
    wanted_id = int(item.article.id)
    wanted_link = safe_line(item.article.link) or None
    stored_id = fields.get("broadsheet_id", fields.get("id"))
    return (
        isinstance(stored_id, int)
        and not isinstance(stored_id, bool)
        and stored_id == wanted_id
        and fields.get("link") == wanted_link
    )


def write_export(
    item: ExportItem, folder: Path, *, fmt: str = "md", overwrite: str = "update"
) -> Path:
    """Write one article to ``folder`` (created if needed) and return the file's path.

    ``overwrite="update"`` rewrites an existing file only when it holds this same
    article (same ``broadsheet_id`` and ``link``); ``"suffix"`` never rewrites. Either
    way a file that is someone else's keeps its content and the new one is numbered
    ``-2``, ``-3``...
    """
    fmt = export_format(fmt)
    if overwrite not in OVERWRITE_MODES:
        raise ExportError(f"unknown overwrite mode {overwrite!r} (use update or suffix)")
    text = render_json(item) if fmt == "json" else render_markdown(item)
    root = ensure_folder(Path(folder).expanduser())
    name = export_filename(item, fmt)
    own = (lambda path: _is_own_file(path, item, fmt)) if overwrite == "update" else None
    return write_unique(root, name, text.encode("utf-8"), own_file=own)


def write_digest(
    items: Sequence[ExportItem],
    target: Path,
    *,
    fmt: str = "md",
    title: str = "Broadsheet digest",
    generated: datetime | None = None,
    overwrite: str = "replace",
    stories: Sequence[DigestStory] = (),
) -> Path:
    """Write a digest (its ``stories`` first) and return its path.

    ``target`` is a file, or an existing folder (then the file is named by
    ``digest_filename`` and never replaces anything). ``overwrite="replace"`` replaces
    the named file atomically (the user asked for that file); ``"suffix"`` keeps an
    existing file and writes ``name-2``, ``name-3``... instead.
    """
    fmt = export_format(fmt)
    if overwrite not in ("replace", "suffix"):
        raise ExportError(f"unknown overwrite mode {overwrite!r} (use replace or suffix)")
    generated = to_utc(generated) or datetime.now(UTC).replace(microsecond=0)
    text = render_digest(items, fmt=fmt, title=title, generated=generated, stories=stories)
    target = Path(target).expanduser()
    if os.path.isdir(target):
        folder, name, overwrite = target, digest_filename(generated, fmt), "suffix"
    else:
        folder, name = target.parent, target.name
    root = ensure_folder(folder)
    return write_unique(root, name, text.encode("utf-8"), replace_first=overwrite == "replace")
