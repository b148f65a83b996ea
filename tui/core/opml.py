"""OPML: read a subscription list from another reader, write ours back out."""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import UTC, datetime
from email.utils import format_datetime
from urllib.parse import urlsplit

from .errors import OPMLError
from .models import Feed
from .textsafe import one_line

# OPML never needs a DTD; refusing one rules out entity expansion attacks outright.
_DOCTYPE = re.compile(rb"<!DOCTYPE|<!ENTITY", re.IGNORECASE)


@dataclass(frozen=True, slots=True)
class Outline:
    """One subscription found in an OPML file."""

    url: str
    title: str = ""
    tags: tuple[str, ...] = ()


def read_opml(data: bytes) -> list[Outline]:
    """Every feed outline, nested folders and ``category`` attributes becoming tags."""
    if _DOCTYPE.search(data[:4096]) or b"<!ENTITY" in data:
        raise OPMLError("OPML file declares a DOCTYPE or entities, which are not allowed")
    try:
        root = ET.fromstring(data)
    except ET.ParseError as exc:
        raise OPMLError(f"not a valid OPML file: {exc}") from None
    if root.tag.lower() != "opml":
        raise OPMLError(f"not an OPML file: the root element is <{root.tag}>")
    body = root.find("body")
    if body is None:
        return []
    found: dict[str, Outline] = {}

    def walk(element: ET.Element, folders: tuple[str, ...]) -> None:
        for outline in element.findall("outline"):
            attrs = {name.lower(): value for name, value in outline.attrib.items()}
            url = (attrs.get("xmlurl") or "").strip()
            title = one_line(attrs.get("title") or attrs.get("text") or "")
            if url:
                categories = [
                    one_line(tag).strip("/")
                    for tag in (attrs.get("category") or "").split(",")
                    if one_line(tag).strip("/")
                ]
                tags = tuple(dict.fromkeys([*folders, *categories]))
                if urlsplit(url).scheme in ("http", "https") and url not in found:
                    found[url] = Outline(url, title, tags)
            else:
                # Folders are named by ``text`` (OPML 2.0); ``title`` is only a fallback.
                folder = one_line(attrs.get("text") or attrs.get("title") or "")
                walk(outline, (*folders, folder) if folder else folders)

    walk(body, ())
    return list(found.values())


def write_opml(feeds: Iterable[Feed], now: datetime | None = None) -> str:
    """An OPML 2.0 document listing ``feeds`` with their titles and tags."""
    root = ET.Element("opml", version="2.0")
    head = ET.SubElement(root, "head")
    ET.SubElement(head, "title").text = "Broadsheet subscriptions"
    ET.SubElement(head, "dateCreated").text = format_datetime(now or datetime.now(UTC))
    body = ET.SubElement(root, "body")
    for feed in feeds:
        if not urlsplit(feed.url).scheme.startswith("http"):
            continue  # bundled feeds live in the package, not on the web
        attrs = {"type": "rss", "text": feed.display_title, "title": feed.display_title}
        attrs["xmlUrl"] = feed.url
        if feed.site_url:
            attrs["htmlUrl"] = feed.site_url
        if feed.tags:
            attrs["category"] = ",".join(feed.tags)
        ET.SubElement(body, "outline", attrs)
    ET.indent(root)
    return '<?xml version="1.0" encoding="utf-8"?>\n' + ET.tostring(root, encoding="unicode") + "\n"
