"""The line above a feed's articles: its last error, when it was checked, when it is next."""

from __future__ import annotations

from datetime import datetime
from typing import ClassVar

from rich.style import Style
from rich.text import Text
from textual.widgets import Static

from ..core.models import Feed
from ..core.textsafe import one_line
from .article_list import relative_date


def feed_info(
    feed: Feed, now: datetime, *, error: Style | str = "bold", warning: Style | str = ""
) -> Text:
    """One line; the error first, so a narrow pane cuts the end of it, never the reason."""
    parts: list[tuple[str, Style | str]] = []
    if feed.last_error:
        parts.append((f"error: {one_line(feed.last_error)}", error))
    elif feed.last_warning:
        parts.append((f"warning: {one_line(feed.last_warning)}", warning))
    if feed.last_checked:
        age = relative_date(feed.last_checked, now)
        parts.append(("checked just now" if age == "now" else f"checked {age} ago", "dim"))
    else:
        parts.append(("not fetched yet", "dim"))
    if feed.gone:
        parts.append(("gone: no longer fetched", "dim"))
    elif feed.next_check is not None:
        wait = feed.next_check - now
        label = "now" if wait.total_seconds() <= 60 else relative_date(now - wait, now)
        parts.append((f"next {label}" if label == "now" else f"next in {label}", "dim"))
    if feed.failures > 1:
        parts.append((f"{feed.failures} failures in a row", "dim"))
    line = Text(no_wrap=True, overflow="ellipsis")
    for index, (text, style) in enumerate(parts):
        if index:
            line.append(" · ", style="dim")
        line.append(text, style=style)
    return line


class FeedInfo(Static):
    """Shown for a single feed, hidden for every other selection."""

    COMPONENT_CLASSES: ClassVar[set[str]] = {"feed-info--error", "feed-info--warning"}
    """How the last error and the last warning are drawn (in app.tcss, from the theme)."""

    def show(self, feed: Feed | None, now: datetime) -> None:
        self.display = feed is not None
        if feed is None:
            return
        line = feed_info(
            feed,
            now,
            error=self.get_component_rich_style("feed-info--error", partial=True),
            warning=self.get_component_rich_style("feed-info--warning", partial=True),
        )
        self.update(line)
        self.set_class(bool(feed.last_error), "-error")
