"""The fast path: feedparser's results for plain UTF-8 RSS 2.0 and Atom 1.0, 5x faster.

The only code that touches feedparser's internals. Over 500 lines: one reader mirroring
feedparser's _FeedParserMixin, whose rules read best side by side.
"""

from __future__ import annotations

import codecs
import contextlib
import re
from typing import Any
from xml.parsers import expat

from feedparser.datetimes import _parse_date as _feedparser_date
from feedparser.encodings import RE_XML_PI_ENCODING, parse_content_type
from feedparser.encodings import lazy_chardet_encoding as _chardet
from feedparser.html import _cp1252
from feedparser.mixin import _FeedParserMixin
from feedparser.urls import _urljoin as _feedparser_urljoin
from feedparser.urls import make_safe_absolute_uri

from .hardening import declares_entities, lock_down

# feedparser spends ~25 ms on a 50-item feed, nearly all of it in Python code that
# copes with every construct feeds have ever used. Most documents are plain UTF-8
# RSS 2.0 or Atom 1.0. For those, fast_parse reads the same bytes with the same
# expat parser feedparser's strict mode uses, applies feedparser's rules for the
# elements it knows (mirrored below, with feedparser's own helpers for URLs, dates,
# HTML guessing and cp1252), and builds the same dictionaries that
# parse_xml_feed reads. Anything it does not mirror exactly (another encoding, a
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
_BARE_REFERENCE = re.compile(r"&([A-Za-z0-9_]+);")
_CP1252_CHARS = re.compile("[\x80-\x9f]")
# feedparser's _sync_author_detail: an e-mail address inside an author string.
_AUTHOR_EMAIL = re.compile(
    r"(([a-zA-Z0-9\_\-\.\+]+)@((\[[0-9]{1,3}\.[0-9]{1,3}\.[0-9]{1,3}\.)|"
    r"(([a-zA-Z0-9\-]+\.)+))([a-zA-Z]{2,4}|[0-9]{1,3})(\]?))(\?subject=\S+)?"
)
_fp_looks_like_html = _FeedParserMixin.looks_like_html
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


def fast_parse(content: bytes, content_type: str, base: str | None) -> dict[str, Any] | None:
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
    if declares_entities(data):
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
        lock_down(parser, self._refuse)
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
        if frame.type == "text/plain" and self.version != "atom10" and _fp_looks_like_html(value):
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
