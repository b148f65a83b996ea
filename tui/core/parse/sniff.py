"""What a document is before it is parsed: JSON, a web page, or XML (and its root)."""

from __future__ import annotations

from .fields import media_type
from .hardening import head_text, walk_prolog

HTML_ROOTS = frozenset({"html", "head", "body"})


def is_web_page(content: bytes, content_type: str | None = None) -> bool:
    """Whether ``content`` is an HTML page rather than a feed.

    The document's root element decides (``<rss>`` served as ``text/html`` is still a
    feed); the content type is used only when no root element can be seen.
    """
    head, _, _ = head_text(content)
    root, doctype_html = sniff_root(head)
    if root is not None:
        return root in HTML_ROOTS
    if doctype_html:
        return True
    if head.lstrip().startswith("{"):
        return False
    return media_type(content_type) in ("text/html", "application/xhtml+xml")


def sniff_root(text: str) -> tuple[str | None, bool]:
    """The root element's name (lower case) and whether an HTML DOCTYPE came before it."""
    root, doctype, _ = walk_prolog(text)
    doctype_html = doctype is not None and doctype[9:].lstrip()[:4].lower() == "html"
    return root, doctype_html
