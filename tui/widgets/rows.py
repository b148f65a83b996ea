"""An ``OptionList`` for one-line rows, measured by counting lines instead of wrapping.

OptionList measures each new option by wrapping its prompt to the list's width (about
40 µs each): 500 feeds and 200 articles reloaded after a refresh stalled the event loop
for 30-40 ms. Our lists never wrap (``text-wrap: nowrap`` in app.tcss), so an option is
exactly as tall as its prompt has lines, and prompts are turned into visuals only when
drawn. Overrides ``OptionList._update_lines`` of the pinned Textual version; a test
checks that the result equals Textual's own measure.
"""

from __future__ import annotations

from rich.text import Text
from textual.content import Content
from textual.geometry import Size
from textual.widgets import OptionList
from textual.widgets.option_list import Option


def _line_count(prompt: object) -> int | None:
    if isinstance(prompt, Text | Content):
        return prompt.plain.count("\n") + 1
    return None


class RowList(OptionList):
    """An OptionList whose options do not wrap."""

    def _update_lines(self) -> None:
        if self.styles.text_wrap != "nowrap" or not self.scrollable_content_region:
            super()._update_lines()
            return
        line_cache = self._line_cache
        lines = line_cache.lines
        next_index = lines[-1][0] + 1 if lines else 0
        options: list[Option] = self.options
        for index in range(next_index, len(options)):
            option = options[index]
            height = _line_count(option.prompt)
            if height is None:  # a prompt of another kind: measure it as Textual does
                super()._update_lines()
                return
            line_count = height + option._divider
            line_cache.index_to_line[index] = len(lines)
            line_cache.heights[index] = line_count
            lines.extend((index, line_no) for line_no in range(line_count))
        width = self.scrollable_content_region.width - self._get_left_gutter_width()
        last_divider = options and options[-1]._divider
        virtual_size = Size(width, len(lines) - (1 if last_divider else 0))
        if virtual_size != self.virtual_size:
            self.virtual_size = virtual_size
            self._scroll_update(virtual_size)
