"""The subscription list: virtual feeds, then feeds grouped by tag, with unread counts."""

from __future__ import annotations

from typing import ClassVar

from rich.style import Style
from rich.text import Text
from textual import on
from textual.message import Message
from textual.widgets import OptionList
from textual.widgets.option_list import Option

from ..core.models import Feed
from ..core.textsafe import one_line
from ..library import Listing
from ..selection import ALL, BOOKMARKED, UNREAD, Selection
from .rows import RowList


def _count(count: int) -> Text:
    # Counts come first, right-aligned, so a long title's ellipsis never hides them.
    return Text(f"{count:>5} " if count else "      ", style="bold" if count else "dim")


def feed_prompt(feed: Feed, *, indent: bool, error_style: Style | str = "bold") -> Text:
    """A feed's line: unread count and name; a feed in error is marked with '!'."""
    prompt = _count(feed.unread)
    prompt.append("  " if indent else "")
    if feed.last_error:
        prompt.append("! ", style=error_style)
    prompt.append(one_line(feed.display_title), style="bold" if feed.unread else "")
    return prompt


def _count_prompt(title: str, count: int, *, style: str = "bold") -> Text:
    prompt = _count(count)
    prompt.append(title, style=style)
    return prompt


class SelectionOption(Option):
    """An option that stands for a ``Selection``; its id also names the tag group."""

    def __init__(self, prompt: Text, selection: Selection, option_id: str) -> None:
        super().__init__(prompt, id=option_id)
        self.selection = selection


class FeedList(RowList):
    """Feeds to pick from; tells the screen which set of articles is selected."""

    COMPONENT_CLASSES: ClassVar[set[str]] = {"feed-list--error"}
    """The '!' before a feed whose last fetch failed."""

    class _SelectionMessage(Message):
        def __init__(self, feed_list: FeedList, selection: Selection) -> None:
            super().__init__()
            self.feed_list = feed_list
            self.selection = selection

        @property
        def control(self) -> FeedList:
            return self.feed_list

    class Selected(_SelectionMessage):
        """The highlight moved to another set of articles."""

    class Entered(_SelectionMessage):
        """Enter on a feed: the user wants its articles."""

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.feeds: dict[int, Feed] = {}
        """The subscriptions by id, as last shown."""
        self._listing: Listing | None = None
        self.hide_read = False
        """Feeds with nothing unread are left out (the one selected stays)."""

    def on_mount(self) -> None:
        self.watch(self.app, "theme", self._theme_changed, init=False)

    def _theme_changed(self, _theme: str) -> None:
        # Prompts keep the styles they were made with: make them again in the new theme's.
        if self._listing is not None:
            self.call_after_refresh(self.show_feeds, self._listing)

    @property
    def selection(self) -> Selection | None:
        option = self.highlighted_option
        return option.selection if isinstance(option, SelectionOption) else None

    @property
    def key(self) -> str | None:
        """The highlighted selection's saved form (``feed:3``)."""
        selection = self.selection
        return selection.key if selection else None

    @property
    def selected_feed(self) -> Feed | None:
        selection = self.selection
        return self.feeds.get(selection.feed_id or 0) if selection else None

    def show_feeds(self, listing: Listing, *, select: Selection | None = None) -> None:
        """Replace the options, keeping (or moving to) the wanted selection."""
        highlighted = self.highlighted_option
        wanted = select.key if select else (highlighted.id if highlighted else None)
        self._listing = listing
        feeds, counts = listing.feeds, listing.counts
        error_style = self.get_component_rich_style("feed-list--error", partial=True)
        self.feeds = {feed.id: feed for feed in feeds}
        options = [
            SelectionOption(_count_prompt("All articles", counts.unread), ALL, ALL.key),
            SelectionOption(_count_prompt("Unread", counts.unread), UNREAD, UNREAD.key),
            SelectionOption(
                _count_prompt("Bookmarked", counts.bookmarked), BOOKMARKED, BOOKMARKED.key
            ),
        ]
        for name, query, unread in listing.saved:
            saved = Selection.saved(name, query)
            prompt = _count_prompt(f"⌕ {one_line(name)}", unread, style="italic")
            options.append(SelectionOption(prompt, saved, saved.key))
        if self.hide_read:
            keep = wanted.partition("@")[0] if wanted else None
            feeds = [f for f in feeds if f.unread or Selection.feed(f.id).key == keep]

        def feed_option(feed: Feed, tag: str | None) -> SelectionOption:
            selection = Selection.feed(feed.id)
            prompt = feed_prompt(feed, indent=tag is not None, error_style=error_style)
            # The same feed under two tags needs two option ids.
            option_id = f"{selection.key}@{tag}" if tag else selection.key
            return SelectionOption(prompt, selection, option_id)

        tags = sorted({tag for feed in feeds for tag in feed.tags}, key=str.lower)
        options += [feed_option(feed, None) for feed in feeds if not feed.tags]
        for tag in tags:
            members = [feed for feed in feeds if tag in feed.tags]
            unread = sum(feed.unread for feed in members)
            prompt = _count_prompt(f"▾ {one_line(tag)}", unread, style="bold italic")
            selection = Selection.tag(tag)
            options.append(SelectionOption(prompt, selection, selection.key))
            options += [feed_option(feed, tag) for feed in members]
        self.set_options(options)
        self.highlighted = self._index_of(wanted) if wanted else 0

    def toggle_hide_read(self) -> bool:
        """Leave out (or show again) the feeds with nothing unread; the new setting."""
        self.hide_read = not self.hide_read
        if self._listing is not None:
            self.show_feeds(self._listing)
        return self.hide_read

    def _index_of(self, wanted: str) -> int:
        ids = [option.id for option in self.options]
        if wanted in ids:
            return ids.index(wanted)
        base = wanted.partition("@")[0]
        for index, option_id in enumerate(ids):
            if option_id and option_id.partition("@")[0] == base:
                return index
        return 0

    @on(OptionList.OptionHighlighted)
    def _highlighted(self, event: OptionList.OptionHighlighted) -> None:
        event.stop()
        if (selection := self.selection) is not None:
            self.post_message(self.Selected(self, selection))

    @on(OptionList.OptionSelected)
    def _entered(self, event: OptionList.OptionSelected) -> None:
        event.stop()
        if (selection := self.selection) is not None:
            self.post_message(self.Entered(self, selection))
