"""The subscription list: virtual feeds first, then every feed with its unread count."""

from __future__ import annotations

from rich.text import Text
from textual.widgets import OptionList
from textual.widgets.option_list import Option

from ..core.models import Feed
from ..core.textsafe import one_line

ALL_ARTICLES = "all"
"""Option id of the virtual feed that lists every article."""


def feed_option_id(feed: Feed) -> str:
    return f"feed-{feed.id}"


def feed_prompt(feed: Feed) -> Text:
    """A feed's line: name, then unread count; feeds in error are marked."""
    prompt = Text(no_wrap=True, overflow="ellipsis")
    if feed.last_error:
        prompt.append("! ", style="bold red")
    prompt.append(one_line(feed.display_title), style="bold" if feed.unread else "")
    if feed.unread:
        prompt.append(f" {feed.unread}", style="dim")
    return prompt


class FeedList(OptionList):
    """Feeds to pick from; the highlighted option id names what the article list shows."""

    def show_feeds(self, feeds: list[Feed]) -> None:
        """Replace the options, keeping the highlighted feed where it still exists."""
        current = self.highlighted_option.id if self.highlighted_option else None
        unread = sum(feed.unread for feed in feeds)
        all_prompt = Text("All articles", style="bold")
        if unread:
            all_prompt.append(f" {unread}", style="dim")
        options = [Option(all_prompt, id=ALL_ARTICLES)]
        options += [Option(feed_prompt(feed), id=feed_option_id(feed)) for feed in feeds]
        self.set_options(options)
        ids = [option.id for option in options]
        self.highlighted = ids.index(current) if current in ids else 0
