"""Rendering an export: Markdown with YAML front matter, JSON, and digests.

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

A quote is written by ``_quote_line`` (Markdown) and ``_quote_json`` (JSON).
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any
from urllib.parse import urlsplit

from ..errors import ExportError
from ..models import Article, Quote, Summary
from ..textsafe import one_line, strip_controls

FORMATS = ("md", "json")


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


def safe_line(text: str | None) -> str:
    """One terminal-safe line."""
    return _valid_unicode(one_line(text))


def _block(text: str | None) -> str:
    """Terminal-safe text keeping its line breaks, without trailing blanks."""
    if not text:
        return ""
    lines = _valid_unicode(strip_controls(text)).split("\n")
    # Trailing spaces and tabs only: a no-break space is text, whatever follows it.
    return "\n".join(line.rstrip(" \t") for line in lines).strip("\n")


def to_utc(moment: datetime | None) -> datetime | None:
    """Aware UTC to the second; naive times are taken as UTC (as the store keeps them)."""
    if moment is None:
        return None
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=UTC)
    return moment.astimezone(UTC).replace(microsecond=0)


def _iso(moment: datetime | None) -> str | None:
    moment = to_utc(moment)
    return None if moment is None else moment.strftime("%Y-%m-%dT%H:%M:%SZ")


def _human_time(moment: datetime | None) -> str:
    moment = to_utc(moment)
    return "" if moment is None else moment.strftime("%Y-%m-%d %H:%M UTC")


def _unique(values: Iterable[str]) -> list[str]:
    seen: dict[str, None] = {}
    for value in values:
        if value:
            seen.setdefault(value, None)
    return list(seen)


def export_format(fmt: str) -> str:
    wanted = (fmt or "").strip().lower().lstrip(".")
    wanted = "md" if wanted == "markdown" else wanted
    if wanted not in FORMATS:
        raise ExportError(f"unknown export format {one_line(fmt)!r} (use md or json)")
    return wanted


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
        # Trimmed of layout white space only: Markdown reads leading spaces and tabs as
        # code, while an ideographic space opening a paragraph is part of its text.
        lines = [_md(line.strip(" \t")) for line in chunk.split("\n") if line.strip()]
        if lines:
            paragraphs.append("\n".join(lines))
    return "\n\n".join(paragraphs)


def _heading(text: str) -> str:
    text = _md(text)
    return text[:-1] + "\\#" if text.endswith("#") else text


def _web_link(link: str | None) -> str | None:
    """An http(s) URL that is safe inside ``<...>``, or ``None``."""
    link = safe_line(link)
    if not link or urlsplit(link).scheme.lower() not in ("http", "https"):
        return None
    return link.replace(" ", "%20").replace("<", "%3C").replace(">", "%3E")


def _title(article: Article) -> str:
    return safe_line(article.title) or "Untitled"


def _feed_name(article: Article) -> str:
    return safe_line(article.feed_title) or safe_line(article.feed_url) or "Unknown feed"


def _summary_sentences(summary: Summary | None) -> list[str]:
    if summary is None:
        return []
    return [sentence for sentence in map(safe_line, summary.sentences) if sentence]


def _quote_line(quote: Quote) -> str:
    # a quotation broken by its attribution is listed as its pieces
    text = "\u201d \u2026 \u201c".join(_md(safe_line(piece)) for piece in quote.piece_texts())
    speaker = safe_line(quote.speaker)
    line = f"- \u201c{text}\u201d"
    return f"{line} \u2014 {_md(speaker)}" if speaker else line


def _quote_json(quote: Quote) -> dict[str, Any]:
    return {
        "text": _block(quote.text),
        "speaker": safe_line(quote.speaker) or None,
        "start": int(quote.start),
        "end": int(quote.end),
        "pieces": [{"start": int(start), "end": int(end)} for start, end in quote.spans()],
    }


def _meta_line(article: Article, *, with_feed: bool) -> str:
    parts = [_md(_feed_name(article))] if with_feed else []
    if author := safe_line(article.author):
        parts.append(f"by {_md(author)}")
    if article.published is not None:
        parts.append(_human_time(article.published))
    link = _web_link(article.link)
    if link:
        parts.append(f"<{link}>")
    elif raw := safe_line(article.link):
        parts.append(f"`{raw.replace('`', '')}`")
    return " \u00b7 ".join(parts)


def _article_fields(item: ExportItem) -> list[tuple[str, Any]]:
    """The front matter, in the order it is written."""
    article = item.article
    return [
        ("title", _title(article)),
        ("feed", _feed_name(article)),
        ("feed_url", safe_line(article.feed_url) or None),
        ("link", safe_line(article.link) or None),
        ("author", safe_line(article.author) or None),
        ("published", to_utc(article.published)),
        ("saved", to_utc(item.saved)),
        ("tags", _unique(map(safe_line, item.tags))),
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
    quotes = [_quote_line(quote) for quote in item.quotes if safe_line(quote.text)]
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
    quotes = [_quote_line(quote) for quote in item.quotes if safe_line(quote.text)]
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
        else {
            "method": safe_line(item.summary.method),
            "sentences": _summary_sentences(item.summary),
        }
    )
    data["quotes"] = [_quote_json(quote) for quote in item.quotes if safe_line(quote.text)]
    data["text"] = None if item.text is None else _block(item.text)
    return data


def _json_document(data: Any) -> str:
    return json.dumps(data, ensure_ascii=False, indent=2, sort_keys=True) + "\n"


def render_json(item: ExportItem) -> str:
    """The front-matter fields plus ``id``, ``summary``, ``quotes`` and ``text``."""
    return _json_document(_article_json(item))


def _newest_first_key(item: ExportItem) -> tuple[float, int]:
    article = item.article
    moment = to_utc(article.published) or to_utc(article.first_seen)
    seconds = moment.timestamp() if moment is not None else float(article.sort_time or 0)
    return (-seconds, -int(article.id))


def _group_by_feed(items: Sequence[ExportItem]) -> list[list[ExportItem]]:
    """Feeds in alphabetical order, articles newest first within each."""
    groups: dict[tuple[str, str, int], list[ExportItem]] = {}
    for item in items:
        article = item.article
        name = _feed_name(article)
        key = (name.casefold(), name + "\0" + safe_line(article.feed_url), int(article.feed_id))
        groups.setdefault(key, []).append(item)
    return [sorted(groups[key], key=_newest_first_key) for key in sorted(groups)]


@dataclass(frozen=True, slots=True)
class DigestStory:
    """Articles of several feeds about one event, shown once in a digest."""

    title: str
    items: Sequence[ExportItem]
    """Its versions, oldest first."""
    sentences: Sequence[str] = ()
    """One summary drawn from every version."""
    quotes: Sequence[tuple[str, str | None, Sequence[str]]] = ()
    """(words, speaker, names of the feeds that carry it), each quotation once."""


def _story_feeds(story: DigestStory) -> list[str]:
    return _unique(_feed_name(item.article) for item in story.items)


def _story_markdown(story: DigestStory) -> list[str]:
    feeds = _story_feeds(story)
    parts = [
        f"### {_heading(safe_line(story.title) or '(untitled)')}",
        f"*{len(story.items)} versions from {', '.join(_md(f) for f in feeds)}*",
    ]
    if story.sentences:
        parts.append(_md_paragraphs(" ".join(safe_line(s) for s in story.sentences)))
    quotes = [
        f"> “{_md(safe_line(text))}” — {_md(safe_line(speaker)) if speaker else 'unattributed'}"
        f" ({', '.join(_md(safe_line(f)) for f in carriers)})"
        for text, speaker, carriers in story.quotes
        if safe_line(text)
    ]
    if quotes:
        parts.append("\n".join(quotes))
    versions = []
    for item in story.items:
        article = item.article
        link = _web_link(article.link)
        name = f"[{_md(_title(article))}]({link})" if link else _md(_title(article))
        versions.append(f"- {name} · {_md(_feed_name(article))} · {_human_time(article.published)}")
    parts.append("\n".join(versions))
    return parts


def _story_json(story: DigestStory) -> dict[str, Any]:
    return {
        "title": safe_line(story.title),
        "articles": [int(item.article.id) for item in story.items],
        "feeds": _story_feeds(story),
        "summary": [safe_line(s) for s in story.sentences],
        "quotes": [
            {"text": safe_line(t), "speaker": safe_line(p) or None, "feeds": list(c)}
            for t, p, c in story.quotes
        ],
        "versions": [_article_json(item, with_saved=False) for item in story.items],
    }


def render_digest(
    items: Sequence[ExportItem],
    *,
    fmt: str,
    title: str,
    generated: datetime,
    stories: Sequence[DigestStory] = (),
) -> str:
    """Many articles in one document: the stories first (each event once, with every
    feed that carried it), then the other articles grouped by feed, each with summary
    and quotes.

    Full text is left out of digests; per-article ``saved`` times too (``generated``
    stands for them), so a digest depends only on its arguments.
    """
    fmt = export_format(fmt)
    title = safe_line(title) or "Broadsheet digest"
    in_stories = {int(item.article.id) for story in stories for item in story.items}
    groups = _group_by_feed([item for item in items if int(item.article.id) not in in_stories])
    feeds = [_feed_name(group[0].article) for group in groups]
    if fmt == "json":
        return _json_document(
            {
                "title": title,
                "generated": _iso(generated),
                "count": len(items),
                "stories": [_story_json(story) for story in stories],
                "feeds": [
                    {
                        "feed": _feed_name(group[0].article),
                        "feed_url": safe_line(group[0].article.feed_url) or None,
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
                ("generated", to_utc(generated)),
                ("articles", count),
                ("feeds", feeds),
            ]
        ),
        f"# {_heading(title)}",
        summary_line,
    ]
    if stories:
        parts.append("## Stories")
        for story in stories:
            parts.extend(_story_markdown(story))
    for group in groups:
        parts.append(f"## {_heading(_feed_name(group[0].article))}")
        for item in group:
            parts.extend(_digest_entry(item))
    return "\n\n".join(part.strip("\n") for part in parts if part) + "\n"
