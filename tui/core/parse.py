"""Feed documents (bytes plus response headers) -> ``ParsedFeed``.

The only module that imports feedparser. RSS 0.9x/1.0/2.0 and Atom go through
feedparser; JSON Feed 1.0/1.1 is read here with the json module (feedparser 6.0
does not know it). feedparser only ever sees bytes wrapped in a stream: given a
bare ``bytes`` or ``str`` it tries it as a file name and a URL first.

Plain UTF-8 RSS 2.0 and Atom 1.0 documents (most feeds) take a fast path instead:
the same expat parser and feedparser's own rules for the elements it knows, giving
feedparser's results in a fifth of the time (see "fast path" below); anything else
still goes through feedparser.

Hardening before feedparser sees a document:

* every DOCTYPE internal subset and ``<!ENTITY>`` declaration in the prolog is removed
  on the bytes ("billion laughs", the quadratic blowup and external ``SYSTEM``
  entities), for ASCII-compatible encodings, UTF-16/32 (with or without a BOM) and
  EBCDIC. A document whose declared encoding could hide markup from that scan
  (UTF-7 and the like) and does declare entities is refused. The fast path reads no
  document with a DOCTYPE or ENTITY declaration at all (expat's handlers for them
  raise), so it never expands anything but the five XML entities;
* HTML sanitising and relative-URI resolution inside bodies are off (they double the
  parse time and the bodies are sanitised later by us); item and feed links are
  resolved against the feed URL and ``xml:base`` and only http(s) links are kept.
"""

from __future__ import annotations

import calendar
import codecs
import contextlib
import html
import io
import json
import re
import time
import xml.sax
from collections.abc import Iterable, Mapping
from datetime import UTC, datetime
from email.utils import parsedate_to_datetime
from functools import lru_cache
from html.parser import HTMLParser
from typing import Any
from urllib.parse import urljoin, urlsplit
from xml.parsers import expat

import feedparser
from feedparser.datetimes import _parse_date as _feedparser_date
from feedparser.encodings import RE_XML_PI_ENCODING, parse_content_type
from feedparser.encodings import lazy_chardet_encoding as _chardet
from feedparser.exceptions import (
    CharacterEncodingOverride,
    CharacterEncodingUnknown,
    NonXMLContentType,
)
from feedparser.html import _cp1252
from feedparser.mixin import _FeedParserMixin
from feedparser.urls import _urljoin as _feedparser_urljoin
from feedparser.urls import make_safe_absolute_uri

from .errors import NotAFeedError, ParseError
from .models import ParsedEntry, ParsedFeed
from .textsafe import one_line, strip_controls

__all__ = ["looks_like_html", "parse_feed"]

_MIN_YEAR = 1970
_MAX_YEAR = 2100
_HTML_TYPES = frozenset({"text/html", "application/xhtml+xml", "html", "xhtml"})
_HTML_ROOTS = frozenset({"html", "head", "body"})
_JSON_TYPES = frozenset({"application/feed+json", "application/json"})
_LINK_SCHEMES = frozenset({"http", "https"})
_HEAD_BYTES = 16 * 1024
_CHAR_REF = re.compile(r"&#(?:0*([0-9]{1,8})|[xX]0*([0-9a-fA-F]{1,8}));?")
_TAG = re.compile(r"</?[A-Za-z][^<>]*>|<!--")
_NAME = re.compile(r"[^\s/>]+")
_XML_ENCODING = re.compile(r"""^\s*<\?xml[^>]*?encoding\s*=\s*["']([A-Za-z0-9._:-]+)""")
_CHARSET = re.compile(r"""charset\s*=\s*["']?([A-Za-z0-9._:-]+)""", re.IGNORECASE)
_HIDDEN_DECLARATION = re.compile(r"<!\s*(?:ENTITY|DOCTYPE)", re.IGNORECASE)
_NETSCAPE_DOCTYPE = (
    '<!DOCTYPE rss PUBLIC "-//Netscape Communications//DTD RSS 0.91//EN" '
    '"http://my.netscape.com/publish/formats/rss-0.91.dtd">'
)

# Byte-order marks, longest first (the UTF-32-LE mark starts with the UTF-16-LE one).
# ``None``: ASCII-compatible, scanned byte for byte.
_BOMS: tuple[tuple[bytes, str | None], ...] = (
    (b"\x00\x00\xfe\xff", "utf-32-be"),
    (b"\xff\xfe\x00\x00", "utf-32-le"),
    (b"\xef\xbb\xbf", None),
    (b"\xfe\xff", "utf-16-be"),
    (b"\xff\xfe", "utf-16-le"),
)


# --------------------------------------------------------------------------- API


def parse_feed(
    content: bytes,
    headers: Mapping[str, str] | None = None,
    url: str | None = None,
    *,
    fast: bool = True,
) -> ParsedFeed:
    """Parse a feed document.

    ``headers`` are the HTTP response headers (names in any case); ``url`` is where the
    document came from and is the base for relative links. Raises ``NotAFeedError`` for
    an empty body or a web page, ``ParseError`` for anything else that is not a feed.

    Plain UTF-8 RSS 2.0 and Atom 1.0 documents are read by a fast path that gives
    feedparser's results in a fifth of the time; ``fast=False`` always uses feedparser.
    """
    if not content or not content.strip(b" \t\r\n\x00\xef\xbb\xbf\xfe\xff"):
        raise NotAFeedError("empty response")
    headers = {name.lower(): value for name, value in (headers or {}).items()}
    content_type = headers.get("content-type")
    head, sniffed_codec, bom = _head_text(content)
    first = head[:64].lstrip()
    media = _media_type(content_type)
    if first.startswith("{") or (media in _JSON_TYPES and not first.startswith("<")):
        return _parse_json_feed(content, url)
    root, doctype_html = _sniff_root(head)
    if (root is not None and root in _HTML_ROOTS) or (root is None and doctype_html):
        raise NotAFeedError("this is a web page, not a feed")
    return _parse_xml_feed(content, headers, url, sniffed_codec, bom, fast)


def looks_like_html(content: bytes, content_type: str | None = None) -> bool:
    """Whether ``content`` is an HTML page rather than a feed.

    The document's root element decides (``<rss>`` served as ``text/html`` is still a
    feed); the content type is used only when no root element can be seen.
    """
    head, _, _ = _head_text(content)
    root, doctype_html = _sniff_root(head)
    if root is not None:
        return root in _HTML_ROOTS
    if doctype_html:
        return True
    if head.lstrip().startswith("{"):
        return False
    return _media_type(content_type) in ("text/html", "application/xhtml+xml")


# ------------------------------------------------------------------- XML feeds


def _parse_xml_feed(
    content: bytes,
    headers: Mapping[str, str],
    url: str | None,
    sniffed_codec: str | None,
    bom: int,
    fast: bool = True,
) -> ParsedFeed:
    content = _remove_entity_declarations(content, sniffed_codec, bom)
    _refuse_hidden_declarations(content, headers.get("content-type"), sniffed_codec, bom)

    base = url or None
    location = headers.get("content-location")
    if location:
        base = _urljoin(url or "", location.strip()) or base
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
        result = _fast_parse(content, response_headers["content-type"], base)
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
    added_lines = 0 if _as_text(content[:64], sniffed_codec, bom).startswith("<?xml") else 1
    problem = _bozo_problem(result, added_lines)
    title = _plain_text(feed.get("title"), _detail_type(feed, "title_detail"))
    entries_raw = result.get("entries") or []

    if not entries_raw:
        if not version and looks_like_html(content, headers.get("content-type")):
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
        link=_safe_link(feed.get("link"), base),
        description=_plain_text(feed.get("subtitle"), _detail_type(feed, "subtitle_detail")),
        version=version,
        entries=entries,
        warning=warning,
    )


def _xml_entry(entry: Mapping[str, Any], base: str | None, feed_author: str | None) -> ParsedEntry:
    contents = [c for c in entry.get("content") or () if isinstance(c.get("value"), str)]
    best = max(contents, key=lambda c: len(c["value"]), default=None)
    content = _body(best["value"], best.get("type")) if best else ""
    # Without a summary of its own an Atom entry gets a copy of its content from
    # feedparser; keep only what the feed really gave.
    summary = ""
    if "summary_detail" in entry or not contents:
        summary = _body(entry.get("summary"), _detail_type(entry, "summary_detail"))
    guid = entry.get("id")
    return ParsedEntry(
        title=_plain_text(entry.get("title"), _detail_type(entry, "title_detail")),
        link=_safe_link(entry.get("link"), base),
        guid=(guid.strip() or None) if isinstance(guid, str) else None,
        author=_author(entry) or _author(entry.get("source") or {}) or feed_author,
        published=_struct_date(entry.get("published_parsed")),
        # dict.get: FeedParserDict answers "updated_parsed" with "published_parsed".
        updated=_struct_date(dict.get(entry, "updated_parsed")),
        summary=summary,
        content=content,
        categories=_categories(
            tag.get("term") or tag.get("label") for tag in entry.get("tags") or ()
        ),
    )


def _is_blank(item: ParsedEntry) -> bool:
    """Nothing to show or identify it by (e.g. the cut-off last item of a truncated feed)."""
    return not (item.title or item.link or item.guid or item.summary or item.content)


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
            clean = one_line(_strip_tags(name) if "<" in name else name)
            if clean:
                names.setdefault(clean, None)
    if names:
        return ", ".join(names)
    name = item.get("author")
    if not isinstance(name, str):
        return None
    return one_line(_strip_tags(name) if "<" in name else name) or None


def _struct_date(value: time.struct_time | None) -> datetime | None:
    """feedparser's ``*_parsed`` values are UTC struct_times."""
    if not value or not _MIN_YEAR <= value.tm_year <= _MAX_YEAR:
        return None
    try:
        return datetime.fromtimestamp(calendar.timegm(value), UTC)
    except (OverflowError, ValueError, OSError):
        return None


# ------------------------------------------------------------------ fast path
#
# feedparser spends ~25 ms on a 50-item feed, nearly all of it in Python code that
# copes with every construct feeds have ever used. Most documents are plain UTF-8
# RSS 2.0 or Atom 1.0. For those, _fast_parse reads the same bytes with the same
# expat parser feedparser's strict mode uses, applies feedparser's rules for the
# elements it knows (mirrored below, with feedparser's own helpers for URLs, dates,
# HTML guessing and cp1252), and builds the same dictionaries that
# _parse_xml_feed reads. Anything it does not mirror exactly (another encoding, a
# DOCTYPE, xml:base, an element or namespace not listed here, markup inside a text
# element, a malformed document...) raises _Unusual and feedparser reads the
# document instead. tests/core/test_parse.py compares both paths.


class _Unusual(Exception):
    """The fast path does not mirror this document exactly: feedparser reads it."""


_ATOM10_NS = "http://www.w3.org/2005/atom"
_XML_NS = "http://www.w3.org/XML/1998/namespace"
# feedparser's prefix for each namespace it knows, by lower-cased URI.
_FEEDPARSER_PREFIXES = {uri.lower(): prefix for uri, prefix in _FeedParserMixin.namespaces.items()}
# Elements of only these prefixes are read on the fast path.
_FAST_PREFIXES = frozenset({"", "content", "dc", "sy", "slash", "wfw"})
_HTML_CONTENT = frozenset({"application/xhtml+xml", "text/html"})
_TEXT_TYPES = frozenset({"text/plain", "text/html"})
_XML_MEDIA_TYPES = frozenset(
    {"application/xml", "application/xml-dtd", "application/xml-external-parsed-entity"}
)
_UNICODE_NAMES = frozenset(
    "u16 utf-16 utf16 utf_16 u32 utf-32 utf32 utf_32 iso-10646-ucs-2 iso-10646-ucs-4 "
    "csucs4 csunicode ucs-2 ucs-4".split()
)
_NEW_DECLARATION = b"<?xml version='1.0' encoding='utf-8'?>"
_XML_DECLARATION_BYTES = re.compile(rb"<\?xml[^>]*?>")
_DOCTYPE_OR_ENTITY = re.compile(rb"<!\s*(?:DOCTYPE|ENTITY)", re.IGNORECASE)
_FIRST_TAG = re.compile(rb"<\w")
_BARE_REFERENCE = re.compile(r"&([A-Za-z0-9_]+);")
_CP1252_CHARS = re.compile("[\x80-\x9f]")
# feedparser's _sync_author_detail: an e-mail address inside an author string.
_AUTHOR_EMAIL = re.compile(
    r"(([a-zA-Z0-9\_\-\.\+]+)@((\[[0-9]{1,3}\.[0-9]{1,3}\.[0-9]{1,3}\.)|"
    r"(([a-zA-Z0-9\-]+\.)+))([a-zA-Z]{2,4}|[0-9]{1,3})(\]?))(\?subject=\S+)?"
)
_looks_like_html = _FeedParserMixin.looks_like_html
_map_content_type = _FeedParserMixin.map_content_type

# What each element is, by the kind of its parent. Names are feedparser's: lower
# case, with its namespace prefix. "skip" elements cannot change anything we read
# (feedparser stores them under their own names); every other name is _Unusual.
_SKIP_IN_FEED = (
    "language dc:language copyright rights dc:rights webmaster dc:publisher pubdate "
    "published lastbuilddate updated modified dc:date generator docs ttl rating icon "
    "logo category dc:subject cloud sy:updateperiod sy:updatefrequency sy:updatebase"
)
_SKIP_IN_ENTRY = (
    "comments wfw:commentrss wfw:comment slash:comments enclosure rights copyright dc:rights"
)
_CHILDREN: dict[str, dict[str, str]] = {
    "rss": {"channel": "feed"},
    "feed": {
        **dict.fromkeys(_SKIP_IN_FEED.split(), "skip"),
        "title": "title",
        "dc:title": "title",
        "link": "link",
        "description": "description",
        "dc:description": "description",
        "subtitle": "subtitle",
        "tagline": "subtitle",
        "id": "guid",
        "guid": "guid",
        "author": "author",
        "dc:author": "author",
        "dc:creator": "author",
        "managingeditor": "author",
        "contributor": "contributor",
        "image": "image",
        "item": "entry",
        "entry": "entry",
        "skiphours": "skipgroup",
        "skipdays": "skipgroup",
    },
    "entry": {
        **dict.fromkeys(_SKIP_IN_ENTRY.split(), "skip"),
        "title": "title",
        "dc:title": "title",
        "link": "link",
        "description": "description",
        "dc:description": "description",
        "summary": "summary",
        "content": "content",
        "content:encoded": "content",
        "id": "guid",
        "guid": "guid",
        "author": "author",
        "dc:author": "author",
        "dc:creator": "author",
        "contributor": "contributor",
        "pubdate": "published",
        "published": "published",
        "issued": "published",
        "updated": "updated",
        "modified": "updated",
        "dc:date": "updated",
        "category": "category",
        "dc:subject": "category",
        "source": "source",
    },
    "author": {"name": "name", "email": "email", "uri": "uri", "url": "uri", "homepage": "uri"},
    "contributor": dict.fromkeys(("name", "email", "uri", "url", "homepage"), "skip"),
    "image": {
        **dict.fromkeys(("url", "link", "width", "height", "description"), "skip"),
        "title": "imagetitle",
    },
    "skipgroup": {"hour": "skip", "day": "skip"},
}
# Elements whose children are read; every other element must hold text only.
_CONTAINERS = frozenset(_CHILDREN)
# Text elements whose text is needed (other text is not collected).
_COLLECT = frozenset(
    "title imagetitle link description subtitle summary content guid author name email "
    "uri published updated category".split()
)
# Default content types of feedparser's push_content elements.
_DEFAULT_TYPES = {
    "title": "text/plain",
    "imagetitle": "text/plain",
    "description": "text/html",
    "subtitle": "text/plain",
    "summary": "text/plain",
    "content": "text/plain",
    "content:encoded": "text/html",
}


def _fast_parse(content: bytes, content_type: str, base: str | None) -> dict[str, Any] | None:
    """feedparser's result for a plain UTF-8 RSS 2.0 / Atom 1.0 document, else None."""
    data = _fast_document(content, content_type)
    if data is None:
        return None
    try:
        return _FastReader(base or "").read(data)
    except MemoryError:
        raise
    except Exception:  # _Unusual, expat.ExpatError, or a case not foreseen here
        return None


def _fast_document(content: bytes, content_type: str) -> bytes | None:
    """The bytes feedparser's strict parser would read, when it reads them as UTF-8.

    Mirrors feedparser's encoding choice (RFC 3023, the XML declaration, then
    fallbacks) and its rewriting of the XML declaration; None when feedparser would
    decode the document otherwise, or ask chardet.
    """
    bom = content.startswith(codecs.BOM_UTF8)
    data = content[3:] if bom else content
    xml_encoding = ""
    match = RE_XML_PI_ENCODING.match(data)
    if match:
        try:
            xml_encoding = match.group(1).decode("utf-8").lower()
        except UnicodeDecodeError:
            return None
        if bom and xml_encoding in _UNICODE_NAMES:
            return None  # feedparser would take the BOM's word for it
    media, http_encoding = parse_content_type(content_type)
    if media in _XML_MEDIA_TYPES or (media.startswith("application/") and media.endswith("+xml")):
        declared = http_encoding or xml_encoding or "utf-8"
    elif media.startswith("text/"):  # text/xml and text/*+xml too
        declared = http_encoding or "us-ascii"
    else:
        declared = xml_encoding or "utf-8"
    tried: list[str] = []
    for candidate in (declared, xml_encoding, "utf-8" if bom else "", _chardet, "utf-8"):
        if callable(candidate):
            return None  # feedparser would ask chardet
        if not candidate or candidate in tried:
            continue
        tried.append(candidate)
        if candidate.lower() == "gb2312":
            return None
        try:
            codec = codecs.lookup(candidate).name
            decoded = data.decode(candidate)
        except (LookupError, UnicodeDecodeError, ValueError):
            continue
        if codec == "utf-8" or (data.isascii() and decoded == data.decode("ascii")):
            break
        return None
    else:
        return None
    head_end = _FIRST_TAG.search(data)
    if _DOCTYPE_OR_ENTITY.search(data, 0, head_end.start() + 1 if head_end else len(data)):
        return None
    match = _XML_DECLARATION_BYTES.match(data)
    if match:
        return _NEW_DECLARATION + data[match.end() :]
    return _NEW_DECLARATION + b"\n" + data


def _fp_text(value: str) -> str:
    """feedparser's last steps for every text value: undo UTF-8 read as Latin-1, cp1252."""
    if value.isascii():
        return value
    with contextlib.suppress(UnicodeEncodeError, UnicodeDecodeError):
        value = value.encode("iso-8859-1").decode("utf-8")
    if _CP1252_CHARS.search(value):
        value = value.translate(_cp1252)
    return value


class _Frame:
    __slots__ = ("kind", "element", "pieces", "attrs", "type")

    def __init__(self, kind: str, element: str, attrs: dict[str, str]) -> None:
        self.kind = kind
        self.element = element
        self.pieces: list[str] | None = [] if kind in _COLLECT else None
        self.attrs = attrs
        self.type = ""


class _FastReader:
    """feedparser's _FeedParserMixin, for the elements listed in _CHILDREN only."""

    def __init__(self, base: str) -> None:
        self.base = self._base_uri(base)
        self.version = ""
        self.feed: dict[str, Any] = {}
        self.entries: list[dict[str, Any]] = []
        self.entry: dict[str, Any] | None = None
        self.stack: list[_Frame] = []
        self.parser = expat.ParserCreate(namespace_separator=" ")
        self.pieces: list[str] | None = None
        """Where character data goes: the open text element's pieces, or nowhere."""
        self.title_depth = -1
        self.has_content = False
        self.guid_is_link = False
        self.names: dict[str, str] = {}

    @staticmethod
    def _base_uri(base: str) -> str:
        # feedparser joins the base with itself at every element; it must be stable.
        def step(uri: str) -> str:
            if uri:
                return make_safe_absolute_uri(uri, uri) or uri
            return _feedparser_urljoin(uri, uri)

        once = step(make_safe_absolute_uri("", base) or make_safe_absolute_uri(base) or "")
        if step(once) != once:
            raise _Unusual
        return once

    def read(self, data: bytes) -> dict[str, Any]:
        parser = self.parser
        parser.CharacterDataHandler = self._characters
        parser.buffer_text = True
        parser.buffer_size = 1 << 16
        parser.SetParamEntityParsing(expat.XML_PARAM_ENTITY_PARSING_NEVER)
        parser.StartDoctypeDeclHandler = self._refuse
        parser.EntityDeclHandler = self._refuse
        parser.ExternalEntityRefHandler = self._refuse
        parser.StartNamespaceDeclHandler = self._namespace
        parser.StartElementHandler = self._start
        parser.EndElementHandler = self._end
        parser.Parse(data, True)
        if self.version not in ("rss20", "atom10"):
            raise _Unusual
        return {"bozo": False, "version": self.version, "feed": self.feed, "entries": self.entries}

    @staticmethod
    def _refuse(*args: object) -> None:
        raise _Unusual

    def _namespace(self, prefix: str | None, uri: str) -> None:
        # feedparser's track_namespace: the version, and prefixes it renames.
        if not uri:
            return
        lower = uri.lower()
        if not self.version:
            if prefix is None and lower == "http://my.netscape.com/rdf/simple/0.9/":
                self.version = "rss090"
            elif lower == "http://purl.org/rss/1.0/":
                self.version = "rss10"
            elif lower == _ATOM10_NS:
                self.version = "atom10"
        if "backend.userland.com/rss" in lower:
            lower = "http://backend.userland.com/rss"
        known = _FEEDPARSER_PREFIXES.get(lower)
        if prefix and known is not None and known != prefix and prefix in _FAST_PREFIXES:
            raise _Unusual  # e.g. xmlns:dc bound to another known namespace

    # -- elements

    def _start(self, name: str, raw_attrs: dict[str, str]) -> None:
        element = self.names.get(name)
        if element is None:
            element = self.names[name] = self._element_name(name)
        attrs = self._attributes(raw_attrs) if raw_attrs else {}
        stack = self.stack
        if stack:
            parent = stack[-1]
            if parent.kind not in _CONTAINERS:
                raise _Unusual  # markup inside a text element
            kind = _CHILDREN[parent.kind].get(element)
            if kind is None:
                raise _Unusual
        else:
            kind = self._start_root(element, attrs)
        frame = _Frame(kind, element, attrs)
        stack.append(frame)
        self.pieces = frame.pieces
        handler = _START_HANDLERS.get(kind)
        if handler is not None:
            handler(self, frame)

    @staticmethod
    def _element_name(name: str) -> str:
        """feedparser's name for an element: its namespace's prefix and lower-case name."""
        uri, _, local = name.rpartition(" ")
        if " " in uri:
            raise _Unusual
        lower = uri.lower()
        if "backend.userland.com/rss" in lower:
            lower = "http://backend.userland.com/rss"
        prefix = _FEEDPARSER_PREFIXES.get(lower)
        if prefix is None or prefix not in _FAST_PREFIXES:
            raise _Unusual
        return f"{prefix}:{local.lower()}" if prefix else local.lower()

    def _end(self, name: str) -> None:
        frame = self.stack[-1]
        handler = _END_HANDLERS.get(frame.kind)
        if handler is not None:
            handler(self, frame)
        self.stack.pop()
        self.pieces = self.stack[-1].pieces if self.stack else None

    def _characters(self, text: str) -> None:
        pieces = self.pieces
        if pieces is not None:
            pieces.append(text)

    @staticmethod
    def _attributes(raw: dict[str, str]) -> dict[str, str]:
        """feedparser's attribute dictionary: names lower-cased, rel and type values too."""
        attrs: dict[str, str] = {}
        for name, value in raw.items():
            if " " in name:
                uri, _, local = name.rpartition(" ")
                if uri == _XML_NS and local == "lang":
                    continue
                raise _Unusual  # xml:base, or a namespaced name feedparser would shorten
            key = name.lower()
            if key == "base":
                raise _Unusual  # feedparser reads a bare "base" attribute as xml:base
            attrs[key] = value.lower() if key in ("rel", "type") else value
        return attrs

    def _start_root(self, element: str, attrs: dict[str, str]) -> str:
        if element == "rss":
            if not self.version or not self.version.startswith("rss"):
                version = attrs.get("version", "")
                self.version = "rss20" if version.startswith("2.") else "rss"
            return "rss"
        if element == "feed" and self.version == "atom10":
            return "feed"
        raise _Unusual

    def _context(self) -> dict[str, Any]:
        return self.entry if self.entry is not None else self.feed

    def _resolve(self, uri: str) -> str:
        return _feedparser_urljoin(self.base, uri)

    def _text(self, frame: _Frame) -> str:
        return "".join(frame.pieces or ()).strip()

    def _content_type(self, frame: _Frame, default: str) -> None:
        attrs = frame.attrs
        kind = _map_content_type(attrs.get("type", default))
        if kind not in _TEXT_TYPES or "mode" in attrs or "src" in attrs:
            raise _Unusual  # XHTML, base64 or out-of-line content: feedparser's own rules
        frame.type = kind

    def _guess(self, frame: _Frame, value: str) -> str:
        """feedparser's content type after it guessed whether "text" is really HTML."""
        if frame.type == "text/plain" and self.version != "atom10" and _looks_like_html(value):
            return "text/html"
        return frame.type

    # start handlers

    def _start_feed(self, frame: _Frame) -> None:
        if "href" in frame.attrs or "lastmod" in frame.attrs:
            raise _Unusual  # feedparser's CDF attributes

    def _start_entry(self, frame: _Frame) -> None:
        if self.entry is not None or "href" in frame.attrs or "lastmod" in frame.attrs:
            raise _Unusual
        self.entry = {}
        self.entries.append(self.entry)
        self.guid_is_link = False
        self.title_depth = -1

    def _start_image(self, frame: _Frame) -> None:
        if self.entry is not None:
            raise _Unusual
        self.feed.setdefault("image", {})
        self.title_depth = -1

    def _start_source(self, frame: _Frame) -> None:
        self.title_depth = -1

    def _start_title(self, frame: _Frame) -> None:
        self._content_type(frame, "text/plain")

    def _start_description(self, frame: _Frame) -> None:
        if self.entry is not None and "summary" in self.entry and not self.has_content:
            raise _Unusual  # feedparser would read this one as content
        self._content_type(frame, "text/html")

    def _start_subtitle(self, frame: _Frame) -> None:
        self._content_type(frame, "text/plain")

    def _start_summary(self, frame: _Frame) -> None:
        assert self.entry is not None
        if "summary" in self.entry and not self.has_content:
            raise _Unusual
        self._content_type(frame, "text/plain")

    def _start_content(self, frame: _Frame) -> None:
        self.has_content = True
        self._content_type(frame, _DEFAULT_TYPES.get(frame.element, "text/plain"))

    def _start_guid(self, frame: _Frame) -> None:
        self.guid_is_link = frame.attrs.get("ispermalink", "true") == "true"

    def _start_author(self, frame: _Frame) -> None:
        self._context().setdefault("authors", []).append({})
        frame.pieces = self.pieces = []  # the author's own text, between its children

    def _start_link(self, frame: _Frame) -> None:
        attrs = dict(frame.attrs)
        attrs.setdefault("rel", "alternate")
        attrs.setdefault("type", "application/atom+xml" if attrs["rel"] == "self" else "text/html")
        href = attrs.get("url", attrs.get("uri", attrs.get("href")))
        if href:
            attrs["href"] = href
        if "href" not in attrs:
            return  # the link is the element's text
        frame.pieces = self.pieces = None
        frame.kind = "skip"
        if attrs["rel"] == "alternate" and _map_content_type(attrs["type"]) in _HTML_CONTENT:
            self._context()["link"] = self._resolve(attrs["href"])

    def _start_category(self, frame: _Frame) -> None:
        attrs = frame.attrs
        scheme = attrs.get("scheme", attrs.get("domain"))
        self._add_tag(attrs.get("term"), scheme, attrs.get("label"))

    # end handlers

    def _end_entry(self, frame: _Frame) -> None:
        self.entry = None
        self.has_content = False

    def _end_title(self, frame: _Frame) -> None:
        value = self._text(frame)
        kind = self._guess(frame, value)
        value = _fp_text(value)
        depth = len(self.stack)
        if not -1 < self.title_depth <= depth:
            context = self._context()
            context["title"] = value
            context["title_detail"] = {"type": kind}
        if value:
            self.title_depth = depth

    def _end_imagetitle(self, frame: _Frame) -> None:
        if self._text(frame):
            self.title_depth = len(self.stack)

    def _end_description(self, frame: _Frame) -> None:
        value = self._text(frame)
        kind = self._guess(frame, value)
        value = _fp_text(value)
        if self.entry is not None:
            self.entry["summary"] = value
            self.entry["summary_detail"] = {"type": kind}
        else:
            self.feed["subtitle"] = value
            self.feed["subtitle_detail"] = {"type": kind}

    _end_subtitle = _end_description
    _end_summary = _end_description

    def _end_content(self, frame: _Frame) -> None:
        assert self.entry is not None
        value = self._text(frame)
        kind = self._guess(frame, value)
        value = _fp_text(value)
        self.entry.setdefault("content", []).append({"type": kind, "value": value})
        self.entry.setdefault("summary", value)

    def _end_guid(self, frame: _Frame) -> None:
        value = self._text(frame)
        if value and self.guid_is_link:
            value = self._resolve(value)
        value = _fp_text(value)
        context = self._context()
        context["id"] = value
        if self.guid_is_link:
            context.setdefault("link", value)

    def _end_link(self, frame: _Frame) -> None:
        value = self._text(frame)
        if value:
            value = self._resolve(value)
        value = _fp_text(value)
        if self.entry is not None:
            value = value.replace("&amp;", "&")
            self.entry["link"] = _BARE_REFERENCE.sub(r"&\g<1>", value)
        else:
            self.feed["link"] = _BARE_REFERENCE.sub(r"&\g<1>", value)

    def _end_published(self, frame: _Frame) -> None:
        self._context()["published_parsed"] = _feedparser_date(_fp_text(self._text(frame)))

    def _end_updated(self, frame: _Frame) -> None:
        self._context()["updated_parsed"] = _feedparser_date(_fp_text(self._text(frame)))

    def _end_category(self, frame: _Frame) -> None:
        value = _fp_text(self._text(frame))
        if not value:
            return
        tags = self._context()["tags"]
        if tags and not tags[-1]["term"]:
            tags[-1]["term"] = value
        else:
            self._add_tag(value, None, None)

    def _end_author(self, frame: _Frame) -> None:
        context = self._context()
        context["author"] = _fp_text(self._text(frame))
        self._sync_author(context)

    def _end_name(self, frame: _Frame) -> None:
        self._save_author("name", self._text(frame))  # feedparser keeps names as read

    def _end_email(self, frame: _Frame) -> None:
        self._save_author("email", self._text(frame))

    def _end_uri(self, frame: _Frame) -> None:
        value = self._text(frame)
        if value:
            value = self._resolve(value)
        self._save_author("href", _fp_text(value))

    # feedparser's bookkeeping for authors and tags

    def _save_author(self, key: str, value: str) -> None:
        context = self._context()
        # "author_detail" may be the same dict as an earlier author's: feedparser
        # overwrites that author's name then, and so must we.
        context.setdefault("author_detail", {})[key] = value
        self._sync_author(context)
        context.setdefault("authors", [{}])[-1][key] = value

    @staticmethod
    def _sync_author(context: dict[str, Any]) -> None:
        detail = context.get("authors", [{}])[-1]
        if detail:
            name, email = detail.get("name"), detail.get("email")
            if name and email:
                context["author"] = f"{name} ({email})"
            elif name:
                context["author"] = name
            elif email:
                context["author"] = email
            return
        author, email = context.get("author"), None
        if not author:
            return
        match = _AUTHOR_EMAIL.search(author)
        if match:
            email = match.group(0)
            author = author.replace(email, "").replace("()", "").replace("<>", "")
            author = author.replace("&lt;&gt;", "").strip()
            if author and author[0] == "(":
                author = author[1:]
            if author and author[-1] == ")":
                author = author[:-1]
            author = author.strip()
        if author or email:
            context.setdefault("author_detail", detail)
        if author:
            detail["name"] = author
        if email:
            detail["email"] = email

    def _add_tag(self, term: str | None, scheme: str | None, label: str | None) -> None:
        tags = self._context().setdefault("tags", [])
        if not term and not scheme and not label:
            return
        value = {"term": term, "scheme": scheme, "label": label}
        if value not in tags:
            tags.append(value)


_START_HANDLERS = {
    "feed": _FastReader._start_feed,
    "entry": _FastReader._start_entry,
    "image": _FastReader._start_image,
    "source": _FastReader._start_source,
    "title": _FastReader._start_title,
    "imagetitle": _FastReader._start_title,
    "description": _FastReader._start_description,
    "subtitle": _FastReader._start_subtitle,
    "summary": _FastReader._start_summary,
    "content": _FastReader._start_content,
    "guid": _FastReader._start_guid,
    "author": _FastReader._start_author,
    "link": _FastReader._start_link,
    "category": _FastReader._start_category,
}
_END_HANDLERS = {
    "entry": _FastReader._end_entry,
    "title": _FastReader._end_title,
    "imagetitle": _FastReader._end_imagetitle,
    "description": _FastReader._end_description,
    "subtitle": _FastReader._end_subtitle,
    "summary": _FastReader._end_summary,
    "content": _FastReader._end_content,
    "guid": _FastReader._end_guid,
    "link": _FastReader._end_link,
    "published": _FastReader._end_published,
    "updated": _FastReader._end_updated,
    "category": _FastReader._end_category,
    "author": _FastReader._end_author,
    "name": _FastReader._end_name,
    "email": _FastReader._end_email,
    "uri": _FastReader._end_uri,
}


# ---------------------------------------------------------------- JSON Feed


def _parse_json_feed(content: bytes, url: str | None) -> ParsedFeed:
    try:
        document = json.loads(content)
    except json.JSONDecodeError as exc:
        raise ParseError(f"not a feed: invalid JSON at line {exc.lineno}: {exc.msg}") from None
    except (ValueError, RecursionError):  # undecodable bytes, absurd nesting
        raise ParseError("not a feed: invalid JSON") from None
    version_url = document.get("version") if isinstance(document, dict) else None
    if not isinstance(version_url, str) or "jsonfeed.org/version/" not in version_url:
        raise ParseError("not a feed: a JSON document, but not a JSON Feed")
    number = version_url.strip().rstrip("/").rsplit("/", 1)[-1]
    version = {"1": "json10", "1.0": "json10", "1.1": "json11"}.get(number, "json")

    feed_author = _json_author(document)
    items = document.get("items")
    entries = tuple(
        _json_entry(item, url, feed_author)
        for item in (items if isinstance(items, list) else ())
        if isinstance(item, dict)
    )
    return ParsedFeed(
        title=_plain_text(_str(document.get("title")), "text/plain"),
        link=_safe_link(_str(document.get("home_page_url")), url),
        description=_plain_text(_str(document.get("description")), "text/plain"),
        version=version,
        entries=entries,
    )


def _json_entry(item: Mapping[str, Any], url: str | None, feed_author: str | None) -> ParsedEntry:
    raw_id = item.get("id")
    guid = None
    if isinstance(raw_id, str):
        guid = raw_id.strip() or None
    elif isinstance(raw_id, int | float) and not isinstance(raw_id, bool):
        guid = str(raw_id)
    content_html = _str(item.get("content_html"))
    content_text = _str(item.get("content_text"))
    if content_html:
        content = _html_safe(content_html)
    else:
        content = _text_to_html(strip_controls(content_text)) if content_text else ""
    summary = _str(item.get("summary"))
    tags = item.get("tags")
    return ParsedEntry(
        title=_plain_text(_str(item.get("title")), "text/plain"),
        link=_safe_link(_str(item.get("url")) or _str(item.get("external_url")), url),
        guid=guid,
        # Items with authors of their own (even nameless ones) do not inherit the feed's.
        author=_json_author(item) if "authors" in item or "author" in item else feed_author,
        published=_iso_date(item.get("date_published")),
        updated=_iso_date(item.get("date_modified")),
        summary=_text_to_html(strip_controls(summary)) if summary else "",
        content=content,
        categories=_categories(tags if isinstance(tags, list) else ()),
    )


def _json_author(item: Mapping[str, Any]) -> str | None:
    """The first named author: ``authors`` (1.1), else ``author`` (1.0)."""
    authors = item.get("authors")
    candidates = list(authors) if isinstance(authors, list) else []
    candidates.append(item.get("author"))
    for author in candidates:
        if isinstance(author, dict) and isinstance(author.get("name"), str):
            name = one_line(author["name"])
            if name:
                return name
    return None


def _iso_date(value: object) -> datetime | None:
    """ISO 8601 (as JSON Feed requires), else RFC 822 (as some feeds send)."""
    if not isinstance(value, str) or not value.strip():
        return None
    text = value.strip()
    try:
        moment = datetime.fromisoformat(text)
    except ValueError:
        try:
            moment = parsedate_to_datetime(text)
        except (TypeError, ValueError, IndexError):
            return None
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=UTC)
    if not _MIN_YEAR <= moment.year <= _MAX_YEAR:
        return None
    try:
        return moment.astimezone(UTC)
    except (OverflowError, ValueError):
        return None


def _str(value: object) -> str:
    return value if isinstance(value, str) else ""


# ------------------------------------------------------------------ text helpers


def _plain_text(value: object, kind: str) -> str:
    """A title-like field as one line of plain text."""
    if not isinstance(value, str) or not value:
        return ""
    if kind in _HTML_TYPES:
        value = _strip_tags(value) if "<" in value else html.unescape(value)
    elif "<" in value and _TAG.search(value):
        value = _strip_tags(value)
    return one_line(value)


class _TextCollector(HTMLParser):
    _BREAKS = frozenset({"br", "p", "div", "li", "tr", "td", "th", "h1", "h2", "h3", "h4"})

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.parts: list[str] = []
        self._skipping = 0

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in ("script", "style"):
            self._skipping += 1
        elif tag in self._BREAKS:
            self.parts.append(" ")

    def handle_endtag(self, tag: str) -> None:
        if tag in ("script", "style"):
            self._skipping = max(0, self._skipping - 1)
        elif tag in self._BREAKS:
            self.parts.append(" ")

    def handle_data(self, data: str) -> None:
        if not self._skipping:
            self.parts.append(data)


def _strip_tags(markup: str) -> str:
    """Text of an HTML fragment, entities decoded."""
    collector = _TextCollector()
    collector.feed(markup)
    collector.close()
    return "".join(collector.parts)


def _body(value: object, kind: str | None) -> str:
    """An entry body as HTML: kept as is when it is HTML, escaped into <p>s when text."""
    if not isinstance(value, str) or not value:
        return ""
    if (kind or "text/html").lower() in _HTML_TYPES:
        return _html_safe(value)
    value = strip_controls(value)
    return _text_to_html(value)


def _html_safe(markup: str) -> str:
    """HTML without control characters, not even as character references.

    Whatever turns the HTML into text later would decode "&#27;" into a real ESC.
    """
    markup = strip_controls(markup)
    if "&#" not in markup:
        return markup
    return _CHAR_REF.sub(_drop_control_ref, markup)


def _drop_control_ref(match: re.Match[str]) -> str:
    digits, hexdigits = match.group(1), match.group(2)
    try:
        code = int(digits, 10) if digits else int(hexdigits, 16)
    except ValueError:
        return match.group()
    if code in (9, 10, 13) or not (code < 0x20 or 0x7F <= code <= 0x9F):
        return match.group()
    return ""


def _text_to_html(text: str) -> str:
    paragraphs = (part.strip() for part in re.split(r"\n\s*\n", text))
    return "".join(
        "<p>" + html.escape(part, quote=False).replace("\n", "<br>") + "</p>"
        for part in paragraphs
        if part
    )


def _categories(terms: Iterable[object]) -> tuple[str, ...]:
    seen: dict[str, None] = {}
    for term in terms:
        if isinstance(term, str):
            clean = one_line(term)
            if clean:
                seen.setdefault(clean, None)
    return tuple(seen)


def _urljoin(base: str, link: str) -> str | None:
    try:
        return urljoin(base, link) if base else link
    except ValueError:
        return None


def _safe_link(value: object, base: str | None) -> str | None:
    """An absolute http(s) URL, resolved against ``base``; anything else is None."""
    if not isinstance(value, str):
        return None
    link = one_line(value)
    if not link:
        return None
    absolute = _urljoin(base or "", link)
    if not absolute:
        return None
    try:
        parts = urlsplit(absolute)
    except ValueError:
        return None
    if parts.scheme.lower() not in _LINK_SCHEMES or not parts.netloc:
        return None
    return absolute


def _media_type(content_type: str | None) -> str:
    return (content_type or "").split(";", 1)[0].strip().lower()


# ------------------------------------------------------- sniffing and entities


def _sniff_codec(content: bytes) -> tuple[str | None, int]:
    """The codec of a document that is not ASCII-compatible, and the length of its BOM.

    ``(None, n)`` means ASCII-compatible (UTF-8, ISO-8859-x, windows-125x, Big5,
    Shift_JIS, EUC-x...): "<", ">", quotes and brackets are single bytes there.
    """
    for mark, codec in _BOMS:
        if content.startswith(mark):
            return codec, len(mark)
    head = content[:4]
    if len(head) == 4:
        if head[:3] == b"\x00\x00\x00":
            return "utf-32-be", 0
        if head[1:] == b"\x00\x00\x00":
            return "utf-32-le", 0
        if head == b"\x4c\x6f\xa7\x94":  # "<?xm" in EBCDIC
            return "cp037", 0
    if len(head) >= 2:
        if head[0] == 0 and head[1] != 0:
            return "utf-16-be", 0
        if head[0] != 0 and head[1] == 0:
            return "utf-16-le", 0
    return None, 0


def _as_text(content: bytes, codec: str | None, bom: int) -> str:
    # latin-1 maps each byte to one character, so offsets and re-encoding are exact.
    return content[bom:].decode(codec or "latin-1", "replace")


def _head_text(content: bytes) -> tuple[str, str | None, int]:
    codec, bom = _sniff_codec(content)
    return _as_text(content[: _HEAD_BYTES + bom], codec, bom), codec, bom


def _sniff_root(text: str) -> tuple[str | None, bool]:
    """The root element's name (lower case) and whether an HTML DOCTYPE came before it."""
    root, doctype, _ = _walk_prolog(text)
    doctype_html = doctype is not None and doctype[9:].lstrip()[:4].lower() == "html"
    return root, doctype_html


def _walk_prolog(text: str) -> tuple[str | None, str | None, list[tuple[int, int, str]]]:
    """Walk the prolog: XML declaration, comments, processing instructions, DOCTYPE.

    Returns the root element's name (lower case; None when the text ends first), the
    first DOCTYPE declaration's text, and the spans of every DOCTYPE or ENTITY
    declaration with what should replace each.
    """
    doctype: str | None = None
    spans: list[tuple[int, int, str]] = []
    position = 0
    length = len(text)
    while position < length:
        start = text.find("<", position)
        if start < 0:
            break
        if text.startswith("<?", start):
            end = text.find("?>", start + 2)
            if end < 0:
                break
            position = end + 2
        elif text.startswith("<!--", start):
            end = text.find("-->", start + 4)
            if end < 0:
                break
            position = end + 3
        elif text.startswith("<!", start) and (
            text[start + 2 : start + 9].upper() == "DOCTYPE"
            or text[start + 2 : start + 8].upper() == "ENTITY"
        ):
            end, replacement = _scan_declaration(text, start)
            if doctype is None and text[start + 2 : start + 9].upper() == "DOCTYPE":
                doctype = text[start : min(end, start + 200)]
            spans.append((start, end, replacement))
            position = end
        else:
            match = _NAME.match(text, start + 1)
            return (match.group().lower() if match else ""), doctype, spans
    return None, doctype, spans


def _remove_entity_declarations(content: bytes, codec: str | None, bom: int) -> bytes:
    """The document without a DOCTYPE internal subset or ENTITY declarations.

    Only the prolog (before the root element) is looked at: a parser stops at the
    first error, so declarations anywhere else are never acted on.
    """
    text = _as_text(content[: _HEAD_BYTES + bom], codec, bom)
    root, _, spans = _walk_prolog(text)
    if root is not None and not spans:
        return content  # the usual case: the root element came and nothing to remove
    if len(content) > _HEAD_BYTES + bom:
        text = _as_text(content, codec, bom)  # a long prolog: look at all of it
        root, _, spans = _walk_prolog(text)
    if not spans:
        return content
    pieces: list[str] = []
    kept_until = 0
    for start, end, replacement in spans:
        pieces.append(text[kept_until:start])
        # Keep the line count so that error messages point at the right line.
        pieces.append(replacement + "\n" * text.count("\n", start, end))
        kept_until = end
    pieces.append(text[kept_until:])
    cleaned = "".join(pieces)
    if codec is None:
        return cleaned.encode("latin-1")
    return content[:bom] + cleaned.encode(codec, "replace")


def _scan_declaration(text: str, start: int) -> tuple[int, str]:
    """End of the ``<!...>`` declaration at ``start`` and what to put in its place.

    Quoted strings, an internal subset in brackets, and comments and processing
    instructions inside it are skipped as wholes, so a ">" or "]" in them does not end
    the declaration early. An unterminated declaration runs to the end of the text.
    """
    length = len(text)
    position = start + 2
    while position < length:
        char = text[position]
        if char in "\"'":
            close = text.find(char, position + 1)
            if close < 0:
                return length, ""
            position = close + 1
        elif char == "[":
            position = _skip_internal_subset(text, position + 1)
            if position < 0:
                return length, ""
        elif char == ">":
            position += 1
            break
        else:
            position += 1
    else:
        return length, ""
    declaration = text[start:position]
    is_doctype = declaration[2:9].upper() == "DOCTYPE"
    if is_doctype and "netscape" in declaration.split("[", 1)[0].lower():
        return position, _NETSCAPE_DOCTYPE  # feedparser tells RSS 0.91 Netscape by it
    return position, ""


def _skip_internal_subset(text: str, position: int) -> int:
    """Position just after the "]" closing an internal subset, or -1."""
    length = len(text)
    while position < length:
        char = text[position]
        if char in "\"'":
            close = text.find(char, position + 1)
            if close < 0:
                return -1
            position = close + 1
        elif text.startswith("<!--", position):
            close = text.find("-->", position + 4)
            if close < 0:
                return -1
            position = close + 3
        elif text.startswith("<?", position):
            close = text.find("?>", position + 2)
            if close < 0:
                return -1
            position = close + 2
        elif char == "]":
            return position + 1
        else:
            position += 1
    return -1


@lru_cache(maxsize=64)
def _transparent(encoding: str) -> bool:
    """Whether ASCII text reads the same in ``encoding`` (False for UTF-7, UTF-16...)."""
    probe = "<!ENTITY +ADw- \\u003c &#60; x>"
    try:
        codecs.lookup(encoding)
    except LookupError:
        return True  # feedparser cannot decode with it either
    try:
        return probe.encode("ascii").decode(encoding) == probe
    except (UnicodeError, ValueError, TypeError):
        return False


def _refuse_hidden_declarations(
    content: bytes, content_type: str | None, codec: str | None, bom: int
) -> None:
    """Refuse declarations that only show when read in an exotic declared encoding.

    Our scan reads the bytes as ASCII-compatible or as the sniffed UTF-16/32/EBCDIC.
    A server or XML declaration could name another encoding (UTF-7 writes "<" as
    "+ADw-") that feedparser would then use.
    """
    declared: set[str] = set()
    match = _CHARSET.search(content_type or "")
    if match:
        declared.add(match.group(1).lower())
    match = _XML_ENCODING.match(_as_text(content[: 512 + bom], codec, bom))
    if match:
        declared.add(match.group(1).lower())
    for name in declared:
        if _transparent(name):
            continue
        try:
            if codec and codecs.lookup(name).name == codecs.lookup(codec).name:
                continue
            text = content.decode(name, "replace")
        except (LookupError, UnicodeError, ValueError, TypeError):
            continue
        hidden = len(_HIDDEN_DECLARATION.findall(text))
        # Compare with what our own view shows (an RSS 0.91 DOCTYPE we put back, say).
        if hidden and hidden > len(_HIDDEN_DECLARATION.findall(_as_text(content, codec, bom))):
            raise ParseError(
                f"not a feed: declarations hidden in the {name} encoding are not accepted"
            )
