"""RSS and Atom through feedparser (or the fast path that mirrors it) -> ``ParsedFeed``.

HTML sanitising and relative-URI resolution inside bodies are off (they double the
parse time and the bodies are sanitised later by us); item and feed links are
resolved against the feed URL and ``xml:base`` and only http(s) links are kept.
feedparser only ever sees bytes wrapped in a stream: given a bare ``bytes`` or
``str`` it tries it as a file name and a URL first.
"""

from __future__ import annotations

import calendar
import io
import time
import xml.sax
from collections.abc import Mapping
from datetime import UTC, datetime
from typing import Any

import feedparser
from feedparser.exceptions import (
    CharacterEncodingOverride,
    CharacterEncodingUnknown,
    NonXMLContentType,
)

from ..errors import NotAFeedError, ParseError
from ..htmltext import html_inline
from ..models import ParsedEntry, ParsedFeed
from ..textsafe import one_line
from .fast import fast_parse
from .fields import (
    MAX_YEAR,
    MIN_YEAR,
    body_as_html,
    categories,
    safe_link,
    text_field,
    urljoin_or_none,
)
from .hardening import as_text, refuse_hidden_declarations, remove_entity_declarations
from .sniff import is_web_page


def parse_xml_feed(
    content: bytes,
    headers: Mapping[str, str],
    url: str | None,
    sniffed_codec: str | None,
    bom: int,
    fast: bool = True,
) -> ParsedFeed:
    content = remove_entity_declarations(content, sniffed_codec, bom)
    refuse_hidden_declarations(content, headers.get("content-type"), sniffed_codec, bom)

    base = url or None
    location = headers.get("content-location")
    if location:
        base = urljoin_or_none(url or "", location.strip()) or base
    response_headers = {
        # Without a content type feedparser assumes ISO-8859-1 (RFC 3023 on HTTP);
        # XML's own default is UTF-8, which application/xml gives.
        "content-type": headers.get("content-type") or "application/xml",
    }
    if base:
        response_headers["content-location"] = base
    if headers.get("content-language"):
        response_headers["content-language"] = headers["content-language"]

    result = None
    if fast and sniffed_codec is None:
        result = fast_parse(content, response_headers["content-type"], base)
    if result is None:
        result = feedparser.parse(
            io.BytesIO(content),
            response_headers=response_headers,
            sanitize_html=False,
            resolve_relative_uris=False,
        )
    feed = result.get("feed") or {}
    version = result.get("version") or ""
    # feedparser puts an XML declaration line in front of a document without one.
    added_lines = 0 if as_text(content[:64], sniffed_codec, bom).startswith("<?xml") else 1
    problem = _bozo_problem(result, added_lines)
    title = text_field(feed.get("title"), _detail_type(feed, "title_detail"))
    entries_raw = result.get("entries") or []

    if not entries_raw:
        if not version and is_web_page(content, headers.get("content-type")):
            raise NotAFeedError("this is a web page, not a feed")
        if not title:
            if problem:
                raise ParseError(f"not a feed: {problem}")
            if not version:
                raise ParseError("not a feed: no RSS, Atom or JSON Feed elements found")

    # Atom entries without authors have their source's, else the feed's (RFC 4287 4.2.1).
    feed_author = _author(feed) if version.startswith("atom") else None
    entries = tuple(
        item
        for item in (_xml_entry(entry, base, feed_author) for entry in entries_raw)
        if not _is_blank(item)
    )
    warning = f"{problem}; parsed what could be read" if problem and entries else None
    return ParsedFeed(
        title=title,
        link=safe_link(feed.get("link"), base),
        description=text_field(feed.get("subtitle"), _detail_type(feed, "subtitle_detail")),
        version=version,
        entries=entries,
        warning=warning,
    )


def _xml_entry(entry: Mapping[str, Any], base: str | None, feed_author: str | None) -> ParsedEntry:
    contents = [c for c in entry.get("content") or () if isinstance(c.get("value"), str)]
    best = max(contents, key=lambda c: len(c["value"]), default=None)
    content = body_as_html(best["value"], best.get("type")) if best else ""
    # Without a summary of its own an Atom entry gets a copy of its content from
    # feedparser; keep only what the feed really gave.
    summary_html = ""
    if "summary_detail" in entry or not contents:
        summary_html = body_as_html(entry.get("summary"), _detail_type(entry, "summary_detail"))
    guid = entry.get("id")
    return ParsedEntry(
        title=text_field(entry.get("title"), _detail_type(entry, "title_detail")),
        link=safe_link(entry.get("link"), base),
        guid=(guid.strip() or None) if isinstance(guid, str) else None,
        author=_author(entry) or _author(entry.get("source") or {}) or feed_author,
        published=_struct_date(entry.get("published_parsed")),
        # dict.get: FeedParserDict answers "updated_parsed" with "published_parsed".
        updated=_struct_date(dict.get(entry, "updated_parsed")),
        summary_html=summary_html,
        content=content,
        categories=categories(
            tag.get("term") or tag.get("label") for tag in entry.get("tags") or ()
        ),
    )


def _is_blank(item: ParsedEntry) -> bool:
    """Nothing to show or identify it by (e.g. the cut-off last item of a truncated feed)."""
    return not (item.title or item.link or item.guid or item.summary_html or item.content)


def _bozo_problem(result: Mapping[str, Any], added_lines: int = 0) -> str | None:
    """One short line about what was wrong with the document, or None if nothing was."""
    if not result.get("bozo"):
        return None
    exc = result.get("bozo_exception")
    if exc is None or isinstance(exc, CharacterEncodingOverride | NonXMLContentType):
        return None
    if isinstance(exc, xml.sax.SAXParseException):
        line = max(1, exc.getLineNumber() - added_lines)
        return f"malformed XML at line {line}: {one_line(exc.getMessage())}"
    if isinstance(exc, CharacterEncodingUnknown):
        return "unknown character encoding, some characters may be wrong"
    message = one_line(str(exc))[:160]
    return f"malformed XML: {message}" if message else f"malformed XML ({type(exc).__name__})"


def _detail_type(item: Mapping[str, Any], key: str) -> str:
    detail = item.get(key)
    kind = detail.get("type") if isinstance(detail, Mapping) else None
    return kind.lower() if isinstance(kind, str) else "text/plain"


def _author(item: Mapping[str, Any]) -> str | None:
    """Every named author, joined with commas (feedparser's ``author`` is the last one)."""
    names: dict[str, None] = {}
    for author in item.get("authors") or ():
        name = author.get("name") if isinstance(author, Mapping) else None
        if isinstance(name, str):
            clean = one_line(html_inline(name) if "<" in name else name)
            if clean:
                names.setdefault(clean, None)
    if names:
        return ", ".join(names)
    name = item.get("author")
    if not isinstance(name, str):
        return None
    return one_line(html_inline(name) if "<" in name else name) or None


def _struct_date(value: time.struct_time | None) -> datetime | None:
    """feedparser's ``*_parsed`` values are UTC struct_times."""
    if not value or not MIN_YEAR <= value.tm_year <= MAX_YEAR:
        return None
    try:
        return datetime.fromtimestamp(calendar.timegm(value), UTC)
    except (OverflowError, ValueError, OSError):
        return None
