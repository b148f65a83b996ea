"""The DOCTYPE and entity defences: security-critical, reviewed on their own.

Before feedparser sees a document, every DOCTYPE internal subset and ``<!ENTITY>``
declaration in its prolog is removed on the bytes ("billion laughs", the quadratic
blowup and external ``SYSTEM`` entities), for ASCII-compatible encodings, UTF-16/32
(with or without a BOM) and EBCDIC. A document whose declared encoding could hide
markup from that scan (UTF-7 and the like) and does declare entities is refused.

The fast path reads no document with a DOCTYPE or ENTITY declaration at all
(``declares_entities``, and expat's handlers for them raise: ``lock_down``), so it
never expands anything but the five XML entities.
"""

from __future__ import annotations

import codecs
import re
from collections.abc import Callable
from functools import lru_cache
from xml.parsers import expat

from ..errors import ParseError

HEAD_BYTES = 16 * 1024
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

_DOCTYPE_OR_ENTITY = re.compile(rb"<!\s*(?:DOCTYPE|ENTITY)", re.IGNORECASE)
_FIRST_TAG = re.compile(rb"<\w")


def declares_entities(data: bytes) -> bool:
    """Whether a DOCTYPE or ENTITY declaration comes before the first element."""
    head_end = _FIRST_TAG.search(data)
    return bool(_DOCTYPE_OR_ENTITY.search(data, 0, head_end.start() + 1 if head_end else len(data)))


def lock_down(parser: expat.XMLParserType, refuse: Callable[..., None]) -> None:
    """Make ``parser`` read no DTD: parameter entities off, ``refuse`` on any declaration."""
    parser.SetParamEntityParsing(expat.XML_PARAM_ENTITY_PARSING_NEVER)
    parser.StartDoctypeDeclHandler = refuse
    parser.EntityDeclHandler = refuse
    parser.ExternalEntityRefHandler = refuse


def sniff_codec(content: bytes) -> tuple[str | None, int]:
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


def as_text(content: bytes, codec: str | None, bom: int) -> str:
    # latin-1 maps each byte to one character, so offsets and re-encoding are exact.
    return content[bom:].decode(codec or "latin-1", "replace")


def head_text(content: bytes) -> tuple[str, str | None, int]:
    codec, bom = sniff_codec(content)
    return as_text(content[: HEAD_BYTES + bom], codec, bom), codec, bom


def walk_prolog(text: str) -> tuple[str | None, str | None, list[tuple[int, int, str]]]:
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


def remove_entity_declarations(content: bytes, codec: str | None, bom: int) -> bytes:
    """The document without a DOCTYPE internal subset or ENTITY declarations.

    Only the prolog (before the root element) is looked at: a parser stops at the
    first error, so declarations anywhere else are never acted on.
    """
    text = as_text(content[: HEAD_BYTES + bom], codec, bom)
    root, _, spans = walk_prolog(text)
    if root is not None and not spans:
        return content  # the usual case: the root element came and nothing to remove
    if len(content) > HEAD_BYTES + bom:
        text = as_text(content, codec, bom)  # a long prolog: look at all of it
        root, _, spans = walk_prolog(text)
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


def refuse_hidden_declarations(
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
    match = _XML_ENCODING.match(as_text(content[: 512 + bom], codec, bom))
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
        if hidden and hidden > len(_HIDDEN_DECLARATION.findall(as_text(content, codec, bom))):
            raise ParseError(
                f"not a feed: declarations hidden in the {name} encoding are not accepted"
            )
