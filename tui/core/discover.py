"""Find the feeds a web page announces with ``<link rel="alternate">``."""

from __future__ import annotations

from html.parser import HTMLParser
from urllib.parse import urljoin, urlsplit

FEED_TYPES = (
    "application/rss+xml",
    "application/atom+xml",
    "application/feed+json",
    "application/json",
    "application/rdf+xml",
    "application/xml",
    "text/xml",
)


class _LinkCollector(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.base: str | None = None
        self.links: list[tuple[int, str]] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        values = {name.lower(): (value or "") for name, value in attrs}
        if tag == "base" and self.base is None and values.get("href"):
            self.base = values["href"]
        if tag not in ("link", "a"):
            return
        rels = values.get("rel", "").lower().split()
        kind = values.get("type", "").lower().split(";")[0].strip()
        href = values.get("href", "").strip()
        if "alternate" in rels and kind in FEED_TYPES and href:
            self.links.append((FEED_TYPES.index(kind), href))


def find_feed_links(html: bytes | str, page_url: str) -> list[str]:
    """Absolute http(s) feed URLs the page links to, the likeliest first."""
    text = html.decode("utf-8", "replace") if isinstance(html, bytes) else html
    collector = _LinkCollector()
    # Announcements live in <head>; the first 512 KB is plenty and bounds the work.
    collector.feed(text[: 512 * 1024])
    base = urljoin(page_url, collector.base) if collector.base else page_url
    seen: list[str] = []
    for _, href in sorted(collector.links, key=lambda pair: pair[0]):
        url = urljoin(base, href)
        if urlsplit(url).scheme in ("http", "https") and url not in seen:
            seen.append(url)
    return seen
