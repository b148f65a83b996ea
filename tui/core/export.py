"""Keep articles as files: Markdown with YAML front matter, JSON, and digests.

Everything here is headless and synchronous; callers run it in a worker thread.

Rendering is pure and deterministic: the same ``ExportItem`` always gives the same
bytes (fixed key order in front matter, sorted keys in JSON, times in UTC to the
second, no clock reads except the ``saved`` default when the caller gives none).

Untrusted text (titles, feed names, authors, notes, summaries, quotes, full text)
goes through ``textsafe`` first, so files carry no terminal control sequences.

YAML front matter is written by a tiny emitter rather than a YAML library: every
string is a double-quoted scalar. A JSON string literal is a valid YAML double-quoted
scalar once the characters YAML counts as non-printable (DEL, C1, U+2028/9, BOM,
U+FFFE/F) are escaped as ``\\uXXXX``, so ``json.dumps`` plus that escape step gives
scalars that are safe for any title or note (colons, ``#``, quotes, leading ``-``,
``[``, ``{``, ``*``, ``&``, ``!``, ``%``, ``@`` or backtick, newlines, ``---`` lines).

File names are ``YYYY-MM-DD-title-slug.md`` (or ``.json``): ASCII, lower case, at most
80 characters, never a path. Writes go to a temporary file in the same folder that is
fsynced and then published with a hard link (fails if the name was taken meanwhile)
or ``os.replace`` (updating the article's own file), so a crash leaves the old file or
the new one, and an existing file is never silently overwritten.
"""

from __future__ import annotations

import contextlib
import errno
import json
import os
import re
import secrets
import stat
import unicodedata
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

from .errors import BroadsheetError
from .models import Article, Quote, Summary
from .textsafe import one_line, strip_controls

__all__ = [
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

FORMATS = ("md", "json")
OVERWRITE_MODES = ("update", "suffix")
MAX_FILENAME = 80
"""Longest file name ``write_export`` produces, numbered suffix and extension included."""
_SLUG_BUDGET = MAX_FILENAME - len("2024-01-31-") - len(".json") - len("-999")
_MAX_SUFFIX = 9999
_OWN_FILE_LIMIT = 64 * 1024 * 1024
"""Existing files larger than this are never read back (and so never updated)."""
_TEMP_PREFIX = ".broadsheet-"
_TEMP_SUFFIX = ".tmp"


class ExportError(BroadsheetError):
    """An export or digest could not be written; ``.message`` says why in one line."""


@dataclass(frozen=True, slots=True)
class ExportItem:
    """Everything one exported article carries."""

    article: Article
    summary: Summary | None = None
    quotes: tuple[Quote, ...] = ()
    note: str = ""
    text: str | None = None
    """The full clean text; included only when the caller passes it."""
    tags: tuple[str, ...] = ()
    """The feed's tags."""
    saved: datetime | None = None
    """When the export was made; ``None`` means now (always set after construction)."""

    def __post_init__(self) -> None:
        if self.saved is None:
            object.__setattr__(self, "saved", datetime.now(UTC).replace(microsecond=0))
        if not isinstance(self.quotes, tuple):
            object.__setattr__(self, "quotes", tuple(self.quotes))
        if not isinstance(self.tags, tuple):
            object.__setattr__(self, "tags", tuple(self.tags))


# -- text hygiene ------------------------------------------------------------------

_LONE_SURROGATE = re.compile("[\ud800-\udfff]")


def _valid_unicode(text: str) -> str:
    """Replace lone surrogates (from surrogateescape decoding) so UTF-8 can encode it."""
    if _LONE_SURROGATE.search(text) is None:
        return text
    return text.encode("utf-16-le", "surrogatepass").decode("utf-16-le", "replace")


def _line(text: str | None) -> str:
    """One terminal-safe line."""
    return _valid_unicode(one_line(text))


def _block(text: str | None) -> str:
    """Terminal-safe text keeping its line breaks, without trailing blanks."""
    if not text:
        return ""
    lines = _valid_unicode(strip_controls(text)).split("\n")
    return "\n".join(line.rstrip() for line in lines).strip("\n")


def _utc(moment: datetime | None) -> datetime | None:
    """Aware UTC to the second; naive times are taken as UTC (as the store keeps them)."""
    if moment is None:
        return None
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=UTC)
    return moment.astimezone(UTC).replace(microsecond=0)


def _iso(moment: datetime | None) -> str | None:
    moment = _utc(moment)
    return None if moment is None else moment.strftime("%Y-%m-%dT%H:%M:%SZ")


def _human_time(moment: datetime | None) -> str:
    moment = _utc(moment)
    return "" if moment is None else moment.strftime("%Y-%m-%d %H:%M UTC")


def _unique(values: Iterable[str]) -> list[str]:
    seen: dict[str, None] = {}
    for value in values:
        if value:
            seen.setdefault(value, None)
    return list(seen)


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
    text = unicodedata.normalize("NFKD", _line(title).lower())
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


def _format(fmt: str) -> str:
    wanted = (fmt or "").strip().lower().lstrip(".")
    wanted = "md" if wanted == "markdown" else wanted
    if wanted not in FORMATS:
        raise ExportError(f"unknown export format {one_line(fmt)!r} (use md or json)")
    return wanted


def export_filename(item: ExportItem, fmt: str) -> str:
    """``YYYY-MM-DD-title-slug.md``: the date published (else saved), in UTC."""
    extension = _format(fmt)
    moment = _utc(item.article.published) or _utc(item.saved) or datetime.now(UTC)
    slug = slugify(item.article.title, max_length=_SLUG_BUDGET)
    if not slug:
        slug = f"article-{int(item.article.id)}"
    return f"{moment:%Y-%m-%d}-{slug}.{extension}"


def digest_filename(generated: datetime, fmt: str) -> str:
    """``YYYY-MM-DD-digest.md`` for a digest generated at ``generated`` (UTC date)."""
    return f"{_utc(generated):%Y-%m-%d}-digest.{_format(fmt)}"


# -- YAML front matter ---------------------------------------------------------------

# JSON leaves these unescaped but YAML does not allow them raw in a document.
_YAML_UNPRINTABLE = re.compile("[\x7f-\x9f\u2028\u2029\ufeff\ufffe\uffff\ud800-\udfff]")


def _yaml_string(text: str) -> str:
    quoted = json.dumps(text, ensure_ascii=False)
    return _YAML_UNPRINTABLE.sub(lambda match: f"\\u{ord(match.group()):04x}", quoted)


def _yaml_value(value: Any) -> str:
    if value is None:
        return "null"
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int):
        return str(value)
    if isinstance(value, datetime):
        return _iso(value) or "null"
    if isinstance(value, list | tuple):
        return "[" + ", ".join(_yaml_value(element) for element in value) + "]"
    return _yaml_string(str(value))


def _front_matter(fields: Sequence[tuple[str, Any]]) -> str:
    lines = ["---", *(f"{key}: {_yaml_value(value)}" for key, value in fields), "---"]
    return "\n".join(lines) + "\n"


_FRONT_LINE = re.compile(r"([A-Za-z_][A-Za-z0-9_]*): (.*)")
_TIMESTAMP = re.compile(r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ")
_INTEGER = re.compile(r"-?\d+")
_QUOTED = r'"(?:[^"\\]|\\.)*"'
_FLOW_LIST = re.compile(rf"\[\s*(?:{_QUOTED}(?:\s*,\s*{_QUOTED})*)?\s*\]")


def parse_front_matter(text: str) -> dict[str, Any] | None:
    """Read back front matter this module wrote; ``None`` if ``text`` has none.

    Only the subset the emitter produces is understood (double-quoted strings, lists
    of them, integers, booleans, null and UTC timestamps); anything else gives ``None``.
    """
    if not text.startswith("---\n"):
        return None
    end = text.find("\n---\n", 3)
    if end < 0 and text.endswith("\n---"):
        end = len(text) - 4
    if end < 0:
        return None
    result: dict[str, Any] = {}
    for line in text[4:end].split("\n"):
        match = _FRONT_LINE.fullmatch(line)
        if match is None:
            return None
        key, raw = match.groups()
        try:
            result[key] = _parse_scalar(raw)
        except ValueError:
            return None
    return result


def _parse_scalar(raw: str) -> Any:
    if raw in ("null", "~"):
        return None
    if raw in ("true", "false"):
        return raw == "true"
    if _INTEGER.fullmatch(raw):
        return int(raw)
    if _TIMESTAMP.fullmatch(raw):
        return datetime.fromisoformat(raw)
    if raw.startswith('"') or _FLOW_LIST.fullmatch(raw):
        value = json.loads(raw)  # our scalars are JSON literals (ValueError otherwise)
        if isinstance(value, str) or (
            isinstance(value, list) and all(isinstance(v, str) for v in value)
        ):
            return value
    raise ValueError(raw)


# -- rendering -----------------------------------------------------------------------

_BLOCK_START = re.compile(r"(?:[#>+*=_`~|-]|\d{1,9}[.)](?=\s|$))")
_HTML_START = re.compile(r"<(?=[A-Za-z/!?])")


def _md(text: str) -> str:
    """Untrusted text for a Markdown line: no raw HTML, no accidental block syntax."""
    text = _HTML_START.sub(r"\\<", text)
    match = _BLOCK_START.match(text)
    if match is not None:
        start = match.end() - 1
        text = text[:start] + "\\" + text[start:]
    return text


def _md_paragraphs(text: str) -> str:
    """Clean text as Markdown paragraphs, each line escaped."""
    paragraphs = []
    for chunk in re.split(r"\n\s*\n", text):
        lines = [_md(line.strip()) for line in chunk.split("\n") if line.strip()]
        if lines:
            paragraphs.append("\n".join(lines))
    return "\n\n".join(paragraphs)


def _heading(text: str) -> str:
    text = _md(text)
    return text[:-1] + "\\#" if text.endswith("#") else text


def _web_link(link: str | None) -> str | None:
    """An http(s) URL that is safe inside ``<...>``, or ``None``."""
    link = _line(link)
    if not link or urlsplit(link).scheme.lower() not in ("http", "https"):
        return None
    return link.replace(" ", "%20").replace("<", "%3C").replace(">", "%3E")


def _title(article: Article) -> str:
    return _line(article.title) or "Untitled"


def _feed_name(article: Article) -> str:
    return _line(article.feed_title) or _line(article.feed_url) or "Unknown feed"


def _summary_sentences(summary: Summary | None) -> list[str]:
    if summary is None:
        return []
    return [sentence for sentence in map(_line, summary.sentences) if sentence]


def _quote_line(quote: Quote) -> str:
    text = _line(quote.text)
    speaker = _line(quote.speaker)
    line = f"- \u201c{_md(text)}\u201d"
    return f"{line} \u2014 {_md(speaker)}" if speaker else line


def _meta_line(article: Article, *, with_feed: bool) -> str:
    parts = [_md(_feed_name(article))] if with_feed else []
    if author := _line(article.author):
        parts.append(f"by {_md(author)}")
    if article.published is not None:
        parts.append(_human_time(article.published))
    link = _web_link(article.link)
    if link:
        parts.append(f"<{link}>")
    elif raw := _line(article.link):
        parts.append(f"`{raw.replace('`', '')}`")
    return " \u00b7 ".join(parts)


def _article_fields(item: ExportItem) -> list[tuple[str, Any]]:
    """The front matter, in the order it is written."""
    article = item.article
    return [
        ("title", _title(article)),
        ("feed", _feed_name(article)),
        ("feed_url", _line(article.feed_url) or None),
        ("link", _line(article.link) or None),
        ("author", _line(article.author) or None),
        ("published", _utc(article.published)),
        ("saved", _utc(item.saved)),
        ("tags", _unique(map(_line, item.tags))),
        ("bookmarked", bool(article.bookmarked)),
        ("note", _block(item.note)),
        ("broadsheet_id", int(article.id)),
    ]


def _article_body(item: ExportItem) -> list[str]:
    """Markdown sections of a single-article export."""
    sections: list[str] = []
    sentences = _summary_sentences(item.summary)
    if sentences:
        sections.append("## Summary\n\n" + _md_paragraphs(" ".join(sentences)))
    quotes = [_quote_line(quote) for quote in item.quotes if _line(quote.text)]
    if quotes:
        sections.append("## Quotes\n\n" + "\n".join(quotes))
    if note := _block(item.note):
        sections.append(f"## Note\n\n{note}")
    if text := _block(item.text):
        sections.append("## Full text\n\n" + _md_paragraphs(text))
    return sections


def _digest_entry(item: ExportItem) -> list[str]:
    """One article of a digest: heading, source line, summary, quotes, note."""
    parts = [f"### {_heading(_title(item.article))}", _meta_line(item.article, with_feed=False)]
    sentences = _summary_sentences(item.summary)
    if sentences:
        parts.append(_md_paragraphs(" ".join(sentences)))
    quotes = [_quote_line(quote) for quote in item.quotes if _line(quote.text)]
    if quotes:
        parts.append("\n".join(quotes))
    if note := _block(item.note):
        lines = f"**Note:** {note}".split("\n")
        parts.append("\n".join(f"> {line}" if line else ">" for line in lines))
    return parts


def render_markdown(item: ExportItem) -> str:
    """Front matter, title, source line, summary, quotes, note and (if given) full text."""
    article = item.article
    parts = [
        _front_matter(_article_fields(item)),
        f"# {_heading(_title(article))}",
        _meta_line(article, with_feed=True),
        *_article_body(item),
    ]
    return "\n\n".join(part.strip("\n") for part in parts if part) + "\n"


def _article_json(item: ExportItem, *, with_saved: bool = True) -> dict[str, Any]:
    data: dict[str, Any] = {}
    for key, value in _article_fields(item):
        data[key] = _iso(value) if isinstance(value, datetime) else value
    data["id"] = data["broadsheet_id"]
    if not with_saved:
        del data["saved"]
    data["summary"] = (
        None
        if item.summary is None
        else {"method": _line(item.summary.method), "sentences": _summary_sentences(item.summary)}
    )
    data["quotes"] = [
        {
            "text": _block(quote.text),
            "speaker": _line(quote.speaker) or None,
            "start": int(quote.start),
            "end": int(quote.end),
        }
        for quote in item.quotes
        if _line(quote.text)
    ]
    data["text"] = None if item.text is None else _block(item.text)
    return data


def _json_document(data: Any) -> str:
    return json.dumps(data, ensure_ascii=False, indent=2, sort_keys=True) + "\n"


def render_json(item: ExportItem) -> str:
    """The front-matter fields plus ``id``, ``summary``, ``quotes`` and ``text``."""
    return _json_document(_article_json(item))


def _newest_first_key(item: ExportItem) -> tuple[float, int]:
    article = item.article
    moment = _utc(article.published) or _utc(article.first_seen)
    seconds = moment.timestamp() if moment is not None else float(article.sort_time or 0)
    return (-seconds, -int(article.id))


def _group_by_feed(items: Sequence[ExportItem]) -> list[list[ExportItem]]:
    """Feeds in alphabetical order, articles newest first within each."""
    groups: dict[tuple[str, str, int], list[ExportItem]] = {}
    for item in items:
        article = item.article
        name = _feed_name(article)
        key = (name.casefold(), name + "\0" + _line(article.feed_url), int(article.feed_id))
        groups.setdefault(key, []).append(item)
    return [sorted(groups[key], key=_newest_first_key) for key in sorted(groups)]


def render_digest(items: Sequence[ExportItem], *, fmt: str, title: str, generated: datetime) -> str:
    """Many articles in one document, grouped by feed, each with summary and quotes.

    Full text is left out of digests; per-article ``saved`` times too (``generated``
    stands for them), so a digest depends only on its arguments.
    """
    fmt = _format(fmt)
    title = _line(title) or "Broadsheet digest"
    groups = _group_by_feed(items)
    feeds = [_feed_name(group[0].article) for group in groups]
    if fmt == "json":
        return _json_document(
            {
                "title": title,
                "generated": _iso(generated),
                "count": len(items),
                "feeds": [
                    {
                        "feed": _feed_name(group[0].article),
                        "feed_url": _line(group[0].article.feed_url) or None,
                        "articles": [_article_json(item, with_saved=False) for item in group],
                    }
                    for group in groups
                ],
            }
        )
    count = len(items)
    summary_line = (
        f"{count} article{'s' if count != 1 else ''} from {len(groups)} "
        f"feed{'s' if len(groups) != 1 else ''}, generated {_human_time(generated)}."
        if count
        else f"No articles. Generated {_human_time(generated)}."
    )
    parts = [
        _front_matter(
            [
                ("title", title),
                ("generated", _utc(generated)),
                ("articles", count),
                ("feeds", feeds),
            ]
        ),
        f"# {_heading(title)}",
        summary_line,
    ]
    for group in groups:
        parts.append(f"## {_heading(_feed_name(group[0].article))}")
        for item in group:
            parts.extend(_digest_entry(item))
    return "\n\n".join(part.strip("\n") for part in parts if part) + "\n"


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
    return ExportError(f"cannot write {_line(str(path))}: {reason}")


def _ensure_folder(folder: Path) -> Path:
    """Create ``folder`` if needed and return it resolved."""
    try:
        folder.mkdir(parents=True, exist_ok=True)
    except FileExistsError:
        message = f"cannot write to {_line(str(folder))}: it is a file, not a folder"
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
        _discard(temp)
        raise
    return temp


def _discard(temp: Path) -> None:
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
    _discard(temp)


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
    folder = _ensure_folder(target.parent)
    target = folder / target.name
    data = text.encode("utf-8")
    try:
        mode = _existing_mode(target)
        temp = _stage(folder, data)
        try:
            os.chmod(temp, mode)
            os.replace(temp, target)
        except BaseException:
            _discard(temp)
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
    wanted_link = _line(item.article.link) or None
    stored_id = fields.get("broadsheet_id", fields.get("id"))
    return (
        isinstance(stored_id, int)
        and not isinstance(stored_id, bool)
        and stored_id == wanted_id
        and fields.get("link") == wanted_link
    )


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


def _write_unique(
    folder: Path, name: str, data: bytes, *, own_file: Any = None, replace_first: bool = False
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
            _discard(temp)
    raise ExportError(f"cannot write {first}: too many files with this name")


def write_export(
    item: ExportItem, folder: Path, *, fmt: str = "md", overwrite: str = "update"
) -> Path:
    """Write one article to ``folder`` (created if needed) and return the file's path.

    ``overwrite="update"`` rewrites an existing file only when it holds this same
    article (same ``broadsheet_id`` and ``link``); ``"suffix"`` never rewrites. Either
    way a file that is someone else's keeps its content and the new one is numbered
    ``-2``, ``-3``...
    """
    fmt = _format(fmt)
    if overwrite not in OVERWRITE_MODES:
        raise ExportError(f"unknown overwrite mode {overwrite!r} (use update or suffix)")
    text = render_json(item) if fmt == "json" else render_markdown(item)
    root = _ensure_folder(Path(folder).expanduser())
    name = export_filename(item, fmt)
    own = (lambda path: _is_own_file(path, item, fmt)) if overwrite == "update" else None
    return _write_unique(root, name, text.encode("utf-8"), own_file=own)


def write_digest(
    items: Sequence[ExportItem],
    target: Path,
    *,
    fmt: str = "md",
    title: str = "Broadsheet digest",
    generated: datetime | None = None,
    overwrite: str = "replace",
) -> Path:
    """Write a digest and return its path.

    ``target`` is a file, or an existing folder (then the file is named by
    ``digest_filename`` and never replaces anything). ``overwrite="replace"`` replaces
    the named file atomically (the user asked for that file); ``"suffix"`` keeps an
    existing file and writes ``name-2``, ``name-3``... instead.
    """
    fmt = _format(fmt)
    if overwrite not in ("replace", "suffix"):
        raise ExportError(f"unknown overwrite mode {overwrite!r} (use replace or suffix)")
    generated = _utc(generated) or datetime.now(UTC).replace(microsecond=0)
    text = render_digest(items, fmt=fmt, title=title, generated=generated)
    target = Path(target).expanduser()
    if os.path.isdir(target):
        folder, name, overwrite = target, digest_filename(generated, fmt), "suffix"
    else:
        folder, name = target.parent, target.name
    root = _ensure_folder(folder)
    return _write_unique(root, name, text.encode("utf-8"), replace_first=overwrite == "replace")
