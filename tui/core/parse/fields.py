"""A feed's values as ours: one-line text, HTML bodies, http(s) links, categories."""

from __future__ import annotations

import html
import re
from collections.abc import Iterable
from urllib.parse import urljoin, urlsplit

from ..htmltext import html_inline
from ..textsafe import one_line, strip_controls

MIN_YEAR = 1970
MAX_YEAR = 2100
HTML_TYPES = frozenset({"text/html", "application/xhtml+xml", "html", "xhtml"})
_LINK_SCHEMES = frozenset({"http", "https"})
_CHAR_REF = re.compile(r"&#(?:0*([0-9]{1,8})|[xX]0*([0-9a-fA-F]{1,8}));?")
_TAG = re.compile(r"</?[A-Za-z][^<>]*>|<!--")


def text_field(value: object, kind: str) -> str:
    """A title-like field as one line of plain text."""
    if not isinstance(value, str) or not value:
        return ""
    if kind in HTML_TYPES:
        value = html_inline(value) if "<" in value else html.unescape(value)
    elif "<" in value and _TAG.search(value):
        value = html_inline(value)
    return one_line(value)


def body_as_html(value: object, kind: str | None) -> str:
    """An entry body as HTML: kept as is when it is HTML, escaped into <p>s when text."""
    if not isinstance(value, str) or not value:
        return ""
    if (kind or "text/html").lower() in HTML_TYPES:
        return html_safe(value)
    value = strip_controls(value)
    return text_to_html(value)


def html_safe(markup: str) -> str:
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


def text_to_html(text: str) -> str:
    paragraphs = (part.strip() for part in re.split(r"\n\s*\n", text))
    return "".join(
        "<p>" + html.escape(part, quote=False).replace("\n", "<br>") + "</p>"
        for part in paragraphs
        if part
    )


def categories(terms: Iterable[object]) -> tuple[str, ...]:
    seen: dict[str, None] = {}
    for term in terms:
        if isinstance(term, str):
            clean = one_line(term)
            if clean:
                seen.setdefault(clean, None)
    return tuple(seen)


def urljoin_or_none(base: str, link: str) -> str | None:
    try:
        return urljoin(base, link) if base else link
    except ValueError:
        return None


def safe_link(value: object, base: str | None) -> str | None:
    """An absolute http(s) URL, resolved against ``base``; anything else is None."""
    if not isinstance(value, str):
        return None
    link = one_line(value)
    if not link:
        return None
    absolute = urljoin_or_none(base or "", link)
    if not absolute:
        return None
    try:
        parts = urlsplit(absolute)
    except ValueError:
        return None
    if parts.scheme.lower() not in _LINK_SCHEMES or not parts.netloc:
        return None
    return absolute


def media_type(content_type: str | None) -> str:
    return (content_type or "").split(";", 1)[0].strip().lower()
