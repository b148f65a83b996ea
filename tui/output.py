"""Terminal-safe output for the CLI: tables, JSON, messages and a progress line.

Every string from a feed goes through ``one_line``/``strip_controls`` and into
``rich.text.Text`` (never markup), so a hostile title prints as the characters it is.
"""

from __future__ import annotations

import json
import sys
import time
from collections.abc import Sequence
from datetime import UTC, datetime
from typing import IO, TYPE_CHECKING, Any

from .core.models import Article, Bookmark, Feed, RefreshProgress
from .core.textsafe import one_line, strip_controls

if TYPE_CHECKING:
    from rich.console import Console
    from rich.table import Table

# Rich is imported by the commands that print tables, not at start-up: a refresh run
# from cron or the reader prints JSON or one line, and the import costs ~25 ms.


def console(file: IO[str] | None = None) -> Console:
    from rich.console import Console

    stream = file or sys.stdout
    interactive = stream.isatty()
    return Console(
        file=stream,
        markup=False,
        emoji=False,
        highlight=False,
        # Piped output must not wrap or truncate: scripts read whole lines.
        width=None if interactive else 10_000,
        soft_wrap=not interactive,
    )


def print_json(data: Any, file: IO[str] | None = None) -> None:
    stream = file or sys.stdout
    json.dump(data, stream, ensure_ascii=False, indent=2)
    stream.write("\n")


def error(message: str) -> None:
    """One clear line on stderr."""
    print(f"broadsheet: {one_line(message)}", file=sys.stderr)


def iso(value: datetime | None) -> str | None:
    return value.astimezone(UTC).isoformat().replace("+00:00", "Z") if value else None


def short_date(value: datetime | None) -> str:
    return value.astimezone().strftime("%Y-%m-%d %H:%M") if value else ""


def article_json(article: Article) -> dict[str, Any]:
    return {
        "id": article.id,
        "feed": one_line(article.feed_title),
        "feed_url": article.feed_url,
        "title": one_line(article.title),
        "link": article.link,
        "author": one_line(article.author) or None,
        "published": iso(article.published),
        "first_seen": iso(article.first_seen),
        "read": article.read,
        "bookmarked": article.bookmarked,
        "story": article.story,
        "words": article.words,
        "reading_minutes": article.reading_minutes,
        "hidden": article.hidden,
        "tags": list(article.tags),
    }


def feed_json(feed: Feed) -> dict[str, Any]:
    return {
        "id": feed.id,
        "url": feed.url,
        "title": one_line(feed.display_title),
        "site_url": feed.site_url,
        "tags": list(feed.tags),
        "unread": feed.unread,
        "total": feed.total,
        "last_status": feed.last_status,
        "last_error": one_line(feed.last_error) or None,
        "last_warning": one_line(feed.last_warning) or None,
        "last_checked": iso(feed.last_checked),
        "next_check": iso(feed.next_check),
        "failures": feed.failures,
        "gone": feed.gone,
    }


def _table() -> Table:
    from rich.table import Table

    return Table(box=None, pad_edge=False, show_edge=False, header_style="bold")


def print_feeds(feeds: Sequence[Feed]) -> None:
    from rich.text import Text

    table = _table()
    table.add_column("Unread", justify="right")
    table.add_column("Feed", overflow="ellipsis", max_width=48, no_wrap=True)
    table.add_column("Status")
    table.add_column("Next")
    table.add_column("URL", overflow="fold")
    now = datetime.now(UTC)
    for feed in feeds:
        status = Text(feed.last_status or "new")
        if feed.last_error:
            status = Text(f"{feed.last_status}: {one_line(feed.last_error)}", style="red")
        elif feed.last_warning:
            status = Text(f"{feed.last_status} (warning: {one_line(feed.last_warning)})")
        table.add_row(
            Text(f"{feed.unread}/{feed.total}"),
            Text(one_line(feed.display_title)),
            status,
            Text(next_check_label(feed, now)),
            Text(feed.url),
        )
    console().print(table)


def next_check_label(feed: Feed, now: datetime) -> str:
    """'now', 'in 25m', 'in 3h', or 'gone' for a feed its server removed."""
    if feed.gone:
        return "gone"
    if feed.next_check is None or feed.next_check <= now:
        return "now"
    minutes = int((feed.next_check - now).total_seconds() // 60)
    text = f"in {minutes}m" if minutes < 90 else f"in {round(minutes / 60)}h"
    return text + (f" (back-off, {feed.failures} failures)" if feed.failures > 1 else "")


def print_articles(articles: Sequence[Article]) -> None:
    from rich.text import Text

    table = _table()
    table.add_column("ID", justify="right")
    table.add_column(" ")
    table.add_column("Date")
    table.add_column("Feed", overflow="ellipsis", max_width=24, no_wrap=True)
    table.add_column("Title", overflow="ellipsis", no_wrap=True)
    for article in articles:
        marks = ("*" if not article.read else " ") + ("B" if article.bookmarked else " ")
        table.add_row(
            Text(str(article.id)),
            Text(marks),
            Text(short_date(article.published or article.first_seen)),
            Text(one_line(article.feed_title)),
            Text(one_line(article.title) or "(untitled)"),
        )
    console().print(table)


def print_bookmarks(bookmarks: Sequence[Bookmark]) -> None:
    from rich.text import Text

    table = _table()
    table.add_column("ID", justify="right")
    table.add_column("Saved")
    table.add_column("Title", overflow="ellipsis", no_wrap=True)
    table.add_column("Note", overflow="ellipsis", no_wrap=True, max_width=40)
    for bookmark in bookmarks:
        table.add_row(
            Text(str(bookmark.article.id)),
            Text(short_date(bookmark.created_at)),
            Text(one_line(bookmark.article.title) or "(untitled)"),
            Text(one_line(bookmark.note)),
        )
    console().print(table)


def print_text(text: str) -> None:
    sys.stdout.write(strip_controls(text).rstrip("\n") + "\n")


class JSONProgress:
    """One JSON object per line on stderr, for a program driving ``refresh`` (the reader)."""

    def __call__(self, progress: RefreshProgress) -> None:
        line = {
            "done": progress.done,
            "total": progress.total,
            "errors": progress.errors,
            "new_articles": progress.new_articles,
        }
        sys.stderr.write(json.dumps(line) + "\n")
        sys.stderr.flush()

    def finish(self) -> None:
        pass


class ProgressLine:
    """A one-line, self-overwriting progress report on stderr, only when it is a terminal."""

    def __init__(self, label: str, stream: IO[str] | None = None) -> None:
        self.label = label
        self.stream = stream or sys.stderr
        self.enabled = self.stream.isatty()
        self._last = 0.0

    def __call__(self, progress: RefreshProgress) -> None:
        if not self.enabled:
            return
        now = time.monotonic()
        if progress.done < progress.total and now - self._last < 0.1:
            return  # redrawing hundreds of times a second only costs time
        self._last = now
        line = f"{self.label} {progress.done}/{progress.total} feeds"
        line += f" · {progress.new_articles} new"
        if progress.errors:
            line += f" · {progress.errors} failed"
        self.stream.write("\r\x1b[2K" + line)
        self.stream.flush()

    def finish(self) -> None:
        if self.enabled:
            self.stream.write("\r\x1b[2K")
            self.stream.flush()
