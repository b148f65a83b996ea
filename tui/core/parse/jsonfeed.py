"""JSON Feed 1.0 and 1.1 -> ``ParsedFeed``, read with the json module.

feedparser 6.0 does not know JSON Feed.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from datetime import UTC, datetime
from email.utils import parsedate_to_datetime
from typing import Any

from ..errors import ParseError
from ..models import ParsedEntry, ParsedFeed
from ..textsafe import one_line, strip_controls
from .fields import MAX_YEAR, MIN_YEAR, categories, html_safe, safe_link, text_field, text_to_html


def parse_json_feed(content: bytes, url: str | None) -> ParsedFeed:
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
        title=text_field(_str(document.get("title")), "text/plain"),
        link=safe_link(_str(document.get("home_page_url")), url),
        description=text_field(_str(document.get("description")), "text/plain"),
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
        content = html_safe(content_html)
    else:
        content = text_to_html(strip_controls(content_text)) if content_text else ""
    summary = _str(item.get("summary"))
    tags = item.get("tags")
    return ParsedEntry(
        title=text_field(_str(item.get("title")), "text/plain"),
        link=safe_link(_str(item.get("url")) or _str(item.get("external_url")), url),
        guid=guid,
        # Items with authors of their own (even nameless ones) do not inherit the feed's.
        author=_json_author(item) if "authors" in item or "author" in item else feed_author,
        published=_iso_date(item.get("date_published")),
        updated=_iso_date(item.get("date_modified")),
        summary_html=text_to_html(strip_controls(summary)) if summary else "",
        content=content,
        categories=categories(tags if isinstance(tags, list) else ()),
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
    if not MIN_YEAR <= moment.year <= MAX_YEAR:
        return None
    try:
        return moment.astimezone(UTC)
    except (OverflowError, ValueError):
        return None


def _str(value: object) -> str:
    return value if isinstance(value, str) else ""
