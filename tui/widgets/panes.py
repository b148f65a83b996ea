"""The three panes side by side: which one is active, moving between them, their widths."""

from __future__ import annotations

from textual.containers import Horizontal
from textual.events import DescendantFocus
from textual.reactive import var
from textual.widget import Widget

PANES = ("feeds", "articles", "reader")
CONTAINERS = {"feeds": "#feeds", "articles": "#articles-pane", "reader": "#reader"}
"""The box of each pane (the articles pane also holds the search box and feed info)."""
FOCUS = {"feeds": "#feeds", "articles": "#articles", "reader": "#reader"}
"""What takes the keys in each pane."""
WIDTH_LIMITS = {"feeds": (14, 60), "articles": (24, 140)}


def clamp_width(pane: str, width: int) -> int:
    low, high = WIDTH_LIMITS[pane]
    return max(low, min(high, width))


class Panes(Horizontal):
    """Knows the active pane: the one shown alone when the terminal is narrow."""

    active: var[str] = var("feeds")
    """One of ``PANES``."""

    def watch_active(self, pane: str) -> None:
        for name in PANES:
            self.query_one(CONTAINERS[name]).set_class(name == pane, "-active")

    def on_descendant_focus(self, event: DescendantFocus) -> None:
        for name in PANES:
            if self.query_one(CONTAINERS[name]) in (event.widget, *event.widget.ancestors):
                self.active = name

    def focus_pane(self, name: str) -> None:
        self.active = name
        self.query_one(FOCUS[name]).focus()

    def step(self, delta: int) -> None:
        """Focus the next (+1) or previous (-1) pane, stopping at either end."""
        index = max(0, min(len(PANES) - 1, PANES.index(self.active) + delta))
        self.focus_pane(PANES[index])

    def apply_widths(self, widths: dict[str, int]) -> None:
        for name, width in widths.items():
            if name in WIDTH_LIMITS:
                self._box(name).styles.width = clamp_width(name, width)

    def resize_active(self, delta: int, widths: dict[str, int]) -> dict[str, int]:
        """Widen (or narrow) the feeds or the articles pane; returns the widths to keep."""
        name = "feeds" if self.active == "feeds" else "articles"
        current = widths.get(name, self._box(name).outer_size.width)
        widths = {**widths, name: clamp_width(name, current + delta)}
        self.apply_widths(widths)
        return widths

    def _box(self, name: str) -> Widget:
        return self.query_one(CONTAINERS[name])
