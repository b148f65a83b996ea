"""A server's item JSON -> :class:`SyncedItem`, with the same care a feed's text gets.

Titles become plain, one-line, terminal-safe text (servers send them HTML-escaped,
FreshRSS twice over for some characters); bodies stay HTML, stripped of control
characters, and go through the same extraction as a feed's when shown.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from ..htmltext import html_inline
from ..textsafe import one_line, strip_controls
from .ids import parse_item_id
from .types import READ, STARRED, SyncedItem


def synced_item(data: Mapping[str, Any]) -> SyncedItem | None:
    """One item, or None when it has no usable id or stream."""
    try:
        item_id = parse_item_id(data["id"])
    except (KeyError, TypeError, ValueError):
        return None
    origin = data.get("origin") if isinstance(data.get("origin"), Mapping) else {}
    stream = origin.get("streamId")
    if not isinstance(stream, str) or not stream:
        return None
    categories = [c for c in _list(data.get("categories")) if isinstance(c, str)]
    return SyncedItem(
        item_id=item_id,
        stream_id=stream,
        title=_plain(data.get("title")),
        link=_link(data),
        author=_plain(data.get("author")) or None,
        published=_seconds(data.get("published")),
        crawled=_crawled(data),
        summary_html=_html(data.get("summary")),
        content=_html(data.get("content")),
        read=any(_state(c) == READ for c in categories),
        starred=any(_state(c) == STARRED for c in categories),
        feed_title=_plain(origin.get("title")),
        site_url=_string(origin.get("htmlUrl")) or None,
    )


def _state(category: str) -> str:
    # Servers name the user in full ("user/1005921515/state/...") or as "-".
    parts = category.split("/", 2)
    return f"user/-/{parts[2]}" if len(parts) == 3 and parts[0] == "user" else category


def _plain(value: object) -> str:
    text = _string(value)
    return one_line(html_inline(text)) if text else ""


def _html(value: object) -> str:
    if isinstance(value, Mapping):
        value = value.get("content")
    return strip_controls(_string(value))


def _link(data: Mapping[str, Any]) -> str | None:
    for key in ("canonical", "alternate"):
        for entry in _list(data.get(key)):
            href = entry.get("href") if isinstance(entry, Mapping) else None
            if isinstance(href, str) and href.startswith(("http://", "https://")):
                return one_line(href)
    return None


def _seconds(value: object) -> int | None:
    try:
        number = int(value)  # type: ignore[call-overload]
    except (TypeError, ValueError, OverflowError):  # OverflowError: JSON's Infinity
        return None
    return number if 0 < number < 2**33 else None


def _crawled(data: Mapping[str, Any]) -> int | None:
    for key, scale in (("crawlTimeMsec", 1_000), ("timestampUsec", 1_000_000)):
        try:
            return _seconds(int(data[key]) // scale)
        except (KeyError, TypeError, ValueError, OverflowError):
            continue
    return None


def _list(value: object) -> list:
    # A server's odd shape (a number, an object) reads as nothing, not as a crash.
    return value if isinstance(value, list) else []


def _string(value: object) -> str:
    return value if isinstance(value, str) else ""
