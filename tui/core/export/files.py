"""Where an export goes and how it is written: safe file names, atomic writes.

File names are ``YYYY-MM-DD-title-slug.md`` (or ``.json``): ASCII, lower case, at most
80 characters, never a path. Writes go to a temporary file in the same folder that is
fsynced and then published with a hard link (fails if the name was taken meanwhile)
or ``os.replace`` (updating the article's own file), so a crash leaves the old file or
the new one, and an existing file is never silently overwritten.
"""

from __future__ import annotations

import contextlib
import errno
import os
import re
import secrets
import stat
import unicodedata
from collections.abc import Callable
from datetime import UTC, datetime
from pathlib import Path

from ..errors import ExportError
from .render import ExportItem, export_format, safe_line, to_utc

MAX_FILENAME = 80
"""Longest file name ``write_export`` produces, numbered suffix and extension included."""
_SLUG_BUDGET = MAX_FILENAME - len("2024-01-31-") - len(".json") - len("-999")
_MAX_SUFFIX = 9999
_TEMP_PREFIX = ".broadsheet-"
_TEMP_SUFFIX = ".tmp"

# -- file names --------------------------------------------------------------------

# Letters NFKD does not take apart, and two common non-Latin alphabets. Applied to
# lower-case text after combining marks are removed.
_TRANSLITERATION = str.maketrans(
    {
        "ß": "ss", "æ": "ae", "ø": "o", "ł": "l", "đ": "d", "ð": "d", "þ": "th",
        "œ": "oe", "ı": "i", "ħ": "h", "ŧ": "t", "ŋ": "ng", "ſ": "s", "ƒ": "f",
        "'": "", "\u2019": "", "\u02bc": "",
        # Cyrillic (й, ё, ї, ў lose their marks to NFKD first)
        "а": "a", "б": "b", "в": "v", "г": "g", "ґ": "g", "д": "d", "е": "e",
        "є": "ye", "ж": "zh", "з": "z", "и": "i", "і": "i", "к": "k", "л": "l",
        "м": "m", "н": "n", "о": "o", "п": "p", "р": "r", "с": "s", "т": "t",
        "у": "u", "ф": "f", "х": "kh", "ц": "ts", "ч": "ch", "ш": "sh",
        "щ": "shch", "ъ": "", "ы": "y", "ь": "", "э": "e", "ю": "yu", "я": "ya",
        # Greek
        "α": "a", "β": "v", "γ": "g", "δ": "d", "ε": "e", "ζ": "z", "η": "i",
        "θ": "th", "ι": "i", "κ": "k", "λ": "l", "μ": "m", "ν": "n", "ξ": "x",
        "ο": "o", "π": "p", "ρ": "r", "σ": "s", "ς": "s", "τ": "t", "υ": "y",
        "φ": "f", "χ": "ch", "ψ": "ps", "ω": "o",
    }
)  # fmt: skip
_NOT_SLUG = re.compile(r"[^a-z0-9]+")
_WINDOWS_RESERVED = frozenset(
    ["con", "prn", "aux", "nul", "conin$", "conout$"]
    + [f"com{n}" for n in range(10)]
    + [f"lpt{n}" for n in range(10)]
)


def slugify(title: str, *, max_length: int = 80) -> str:
    """Lower-case ASCII words joined by ``-``; ``""`` when nothing transliterates.

    The result only ever holds ``a-z``, ``0-9`` and single inner hyphens, so it can
    never be a path, a hidden file or a Windows device name.
    """
    text = unicodedata.normalize("NFKD", safe_line(title).lower())
    text = "".join(char for char in text if not unicodedata.combining(char))
    text = text.translate(_TRANSLITERATION)
    slug = _NOT_SLUG.sub("-", text.encode("ascii", "ignore").decode("ascii")).strip("-")
    if len(slug) > max_length:
        cut = slug[: max_length + 1]
        boundary = cut.rfind("-")
        slug = cut[:boundary] if boundary >= max_length // 2 else slug[:max_length]
        slug = slug.strip("-")
    if slug in _WINDOWS_RESERVED:
        slug = f"{slug}-article"[:max_length] if max_length > len(slug) else ""
    return slug


def export_filename(item: ExportItem, fmt: str) -> str:
    """``YYYY-MM-DD-title-slug.md``: the date published (else saved), in UTC."""
    extension = export_format(fmt)
    moment = to_utc(item.article.published) or to_utc(item.saved) or datetime.now(UTC)
    slug = slugify(item.article.title, max_length=_SLUG_BUDGET)
    if not slug:
        slug = f"article-{int(item.article.id)}"
    return f"{moment:%Y-%m-%d}-{slug}.{extension}"


def digest_filename(generated: datetime, fmt: str) -> str:
    """``YYYY-MM-DD-digest.md`` for a digest generated at ``generated`` (UTC date)."""
    return f"{to_utc(generated):%Y-%m-%d}-digest.{export_format(fmt)}"


# -- writing ------------------------------------------------------------------------

_REASONS = {
    errno.ENOSPC: "no space left on device",
    errno.EROFS: "read-only file system",
    errno.EACCES: "permission denied (the folder is read-only for you)",
    errno.EPERM: "operation not permitted",
    errno.ENOTDIR: "a part of the path is a file, not a folder",
    errno.EISDIR: "a folder is in the way",
    errno.ENAMETOOLONG: "file name too long",
    errno.EFBIG: "file too large",
    errno.EIO: "input/output error",
}
if hasattr(errno, "EDQUOT"):
    _REASONS[errno.EDQUOT] = "disk quota exceeded"


def _failure(path: Path, exc: OSError) -> ExportError:
    reason = _REASONS.get(exc.errno or 0) or exc.strerror or str(exc)
    return ExportError(f"cannot write {safe_line(str(path))}: {reason}")


def ensure_folder(folder: Path) -> Path:
    """Create ``folder`` if needed and return it resolved."""
    try:
        folder.mkdir(parents=True, exist_ok=True)
    except FileExistsError:
        message = f"cannot write to {safe_line(str(folder))}: it is a file, not a folder"
        raise ExportError(message) from None
    except OSError as exc:
        raise _failure(folder, exc) from None
    try:
        return folder.resolve(strict=True)
    except OSError as exc:
        raise _failure(folder, exc) from None


def _write_all(fd: int, data: bytes) -> None:
    view = memoryview(data)
    while view:
        written = os.write(fd, view)
        view = view[written:]


def _stage(folder: Path, data: bytes, mode: int = 0o666) -> Path:
    """Write ``data`` to a new fsynced temporary file in ``folder``; remove it on failure.

    ``mode`` is filtered by the umask like any new file's.
    """
    flags = os.O_WRONLY | os.O_CREAT | os.O_EXCL | getattr(os, "O_BINARY", 0)
    flags |= getattr(os, "O_NOFOLLOW", 0) | getattr(os, "O_CLOEXEC", 0)
    for _ in range(100):
        temp = folder / f"{_TEMP_PREFIX}{secrets.token_hex(6)}{_TEMP_SUFFIX}"
        try:
            fd = os.open(temp, flags, mode)
            break
        except FileExistsError:
            continue
    else:  # pragma: no cover - 100 collisions of 48 random bits
        raise FileExistsError(errno.EEXIST, "no free temporary name", str(folder))
    try:
        try:
            _write_all(fd, data)
            os.fsync(fd)
        finally:
            os.close(fd)
    except BaseException:
        _remove_temp(temp)
        raise
    return temp


def _remove_temp(temp: Path) -> None:
    with contextlib.suppress(OSError):
        os.unlink(temp)


def _sync_folder(folder: Path) -> None:
    """Make a rename durable (POSIX); best effort, not possible everywhere."""
    try:
        fd = os.open(folder, os.O_RDONLY | getattr(os, "O_DIRECTORY", 0))
    except OSError:
        return
    try:
        os.fsync(fd)
    except OSError:
        pass
    finally:
        os.close(fd)


def _publish_new(temp: Path, target: Path) -> None:
    """Give ``temp`` the name ``target``; FileExistsError if that name is taken."""
    try:
        os.link(temp, target)
    except FileExistsError:
        raise
    except (AttributeError, NotImplementedError, OSError) as exc:
        # No hard links here (FAT, some network shares): check, then rename.
        if isinstance(exc, OSError) and exc.errno not in (
            errno.EPERM,
            errno.ENOTSUP,
            errno.EOPNOTSUPP,
            errno.ENOSYS,
            errno.EMLINK,
            errno.EXDEV,
        ):
            raise
        if os.path.lexists(target):
            raise FileExistsError(errno.EEXIST, "file exists", str(target)) from None
        os.replace(temp, target)
        return
    _remove_temp(temp)


def _existing_mode(target: Path) -> int:
    try:
        info = os.stat(target)
    except OSError:
        return 0o666
    return stat.S_IMODE(info.st_mode)


def write_atomically(target: Path, text: str) -> None:
    """Replace ``target`` with ``text`` (UTF-8) so a crash leaves the old file or the new.

    The folder is created if needed; an existing file keeps its permissions. Raises
    ExportError with one clear line; no temporary file is left behind on failure.
    """
    target = Path(target).expanduser()
    folder = ensure_folder(target.parent)
    target = folder / target.name
    data = text.encode("utf-8")
    try:
        mode = _existing_mode(target)
        temp = _stage(folder, data)
        try:
            os.chmod(temp, mode)
            os.replace(temp, target)
        except BaseException:
            _remove_temp(temp)
            raise
    except OSError as exc:
        raise _failure(target, exc) from None
    _sync_folder(folder)


def _inside(folder: Path, name: str) -> Path:
    """``folder / name``, making sure it names an entry directly inside ``folder``."""
    if (
        not name
        or name in (".", "..")
        or any(char in name for char in "/\\\0")
        or Path(name).name != name
    ):
        raise ExportError(f"refusing to write outside the export folder: {name!r}")
    target = folder / name
    # A symlink already there is someone else's file (never followed, never replaced).
    resolved = target if os.path.islink(target) else Path(os.path.realpath(target))
    if target.parent != folder or resolved.parent != folder:
        raise ExportError(f"refusing to write outside the export folder: {name!r}")
    return target


def _same_bytes(target: Path, data: bytes) -> bool:
    try:
        if os.path.getsize(target) != len(data):
            return False
        with open(target, "rb") as handle:
            return handle.read() == data
    except OSError:
        return False


def _numbered(name: str, number: int) -> str:
    if number == 1:
        return name
    stem, dot, extension = name.rpartition(".")
    return f"{stem}-{number}{dot}{extension}" if dot else f"{name}-{number}"


def write_unique(
    folder: Path,
    name: str,
    data: bytes,
    *,
    own_file: Callable[[Path], bool] | None = None,
    replace_first: bool = False,
) -> Path:
    """Publish ``data`` in ``folder`` as ``name`` or the first free ``name-N``.

    ``own_file(path)`` says whether an existing file may be replaced in place;
    ``replace_first`` replaces ``name`` whatever it holds (an explicit target).
    """
    first = target = _inside(folder, name)
    temp: Path | None = None
    try:
        for number in range(1, _MAX_SUFFIX + 1):
            target = _inside(folder, _numbered(name, number))
            replace = (replace_first and number == 1 and not os.path.isdir(target)) or (
                own_file is not None and os.path.lexists(target) and own_file(target)
            )
            if replace and _same_bytes(target, data):
                return target  # unchanged: leave the file (and its mtime) alone
            if replace:
                temp = _stage(folder, data)
                os.chmod(temp, _existing_mode(target))
                os.replace(temp, target)
                temp = None
                _sync_folder(folder)
                return target
            if os.path.lexists(target):
                continue
            if temp is None:
                temp = _stage(folder, data)
            try:
                _publish_new(temp, target)
            except FileExistsError:
                continue  # taken meanwhile by someone else: try the next number
            temp = None
            _sync_folder(folder)
            return target
    except OSError as exc:
        raise _failure(target, exc) from None
    finally:
        if temp is not None:
            _remove_temp(temp)
    raise ExportError(f"cannot write {first}: too many files with this name")
