"""The subscription list: virtual feeds, then feeds grouped by tag, with unread counts."""

from __future__ import annotations

from rich.text import Text
from textual.widgets.option_list import Option

from ..core.models import Feed
from ..core.store import ArticleFilter
from ..core.textsafe import one_line
from ..library import Counts
from .rows import RowList

ALL = "all"
UNREAD = "unread"
BOOKMARKED = "bookmarked"
VIRTUAL_TITLES = {ALL: "All articles", UNREAD: "Unread", BOOKMARKED: "Bookmarked"}


def selection_filter(key: str) -> ArticleFilter:
    """The articles a feed-list key stands for: ``all``, ``feed:3``, ``tag:news``..."""
    if key == UNREAD:
        return ArticleFilter(unread=True)
    if key == BOOKMARKED:
        return ArticleFilter(bookmarked=True)
    kind, _, value = key.partition(":")
    if kind == "feed":
        return ArticleFilter(feed_id=int(value))
    if kind == "tag":
        return ArticleFilter(tag=value)
    if kind == "search":
        return ArticleFilter(search=value)
    return ArticleFilter()


def selection_title(key: str, feeds: dict[int, Feed]) -> str:
    if key in VIRTUAL_TITLES:
        return VIRTUAL_TITLES[key]
    kind, _, value = key.partition(":")
    if kind == "feed" and int(value) in feeds:
        return one_line(feeds[int(value)].display_title)
    if kind == "tag":
        return f"Tag: {value}"
    if kind == "search":
        return f"Search: {value}"
    return "Articles"


def _count(count: int) -> Text:
    # Counts come first, right-aligned, so a long title's ellipsis never hides them.
    return Text(f"{count:>5} " if count else "      ", style="bold" if count else "dim")


def feed_prompt(feed: Feed, *, indent: bool) -> Text:
    """A feed's line: unread count and name; a feed in error is marked with '!'."""
    prompt = _count(feed.unread)
    prompt.append("  " if indent else "")
    if feed.last_error:
        prompt.append("! ", style="bold red")
    prompt.append(one_line(feed.display_title), style="bold" if feed.unread else "")
    return prompt


def _count_prompt(title: str, count: int, *, style: str = "bold") -> Text:
    prompt = _count(count)
    prompt.append(title, style=style)
    return prompt


class FeedList(RowList):
    """Feeds to pick from. Option ids are selection keys, made unique per tag group."""

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.feeds: dict[int, Feed] = {}

    @property
    def key(self) -> str | None:
        """The selection key of the highlighted option."""
        option = self.highlighted_option
        return option.id.partition("@")[0] if option and option.id else None

    def show_feeds(self, feeds: list[Feed], counts: Counts, *, select: str | None = None) -> None:
        """Replace the options, keeping (or moving to) the wanted selection."""
        wanted = select or (self.highlighted_option.id if self.highlighted_option else None)
        self.feeds = {feed.id: feed for feed in feeds}
        options = [
            Option(_count_prompt("All articles", counts.unread), id=ALL),
            Option(_count_prompt("Unread", counts.unread), id=UNREAD),
            Option(_count_prompt("Bookmarked", counts.bookmarked), id=BOOKMARKED),
        ]
        tags = sorted({tag for feed in feeds for tag in feed.tags}, key=str.lower)
        untagged = [feed for feed in feeds if not feed.tags]
        for feed in untagged:
            options.append(Option(feed_prompt(feed, indent=False), id=f"feed:{feed.id}"))
        for tag in tags:
            members = [feed for feed in feeds if tag in feed.tags]
            unread = sum(feed.unread for feed in members)
            options.append(
                Option(
                    _count_prompt(f"▾ {one_line(tag)}", unread, style="bold italic"),
                    id=f"tag:{tag}",
                )
            )
            options += [
                Option(feed_prompt(feed, indent=True), id=f"feed:{feed.id}@{tag}")
                for feed in members
            ]
        self.set_options(options)
        self.highlighted = self._index_of(wanted) if wanted else 0

    def _index_of(self, wanted: str) -> int:
        ids = [option.id for option in self.options]
        if wanted in ids:
            return ids.index(wanted)
        base = wanted.partition("@")[0]
        for index, option_id in enumerate(ids):
            if option_id and option_id.partition("@")[0] == base:
                return index
        return 0
