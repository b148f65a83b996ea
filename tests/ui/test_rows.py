"""RowList lays out its options exactly as Textual's OptionList would, only faster."""

from __future__ import annotations

from rich.text import Text
from textual.app import App, ComposeResult
from textual.widgets import OptionList
from textual.widgets.option_list import Option

from tui.widgets.rows import RowList

LONG = "A headline far longer than the list is wide, which must not wrap onto a second line " * 3


def options() -> list[Option | None]:
    rows: list[Option | None] = [
        Option(Text("  12 Short feed"), id="short"),
        Option(Text(f"   3 {LONG}"), id="long"),
        Option(Text("●★ Bookmarked story  2h\n     ✎ the note, on a line of its own"), id="note"),
        None,  # a divider
        Option(Text(""), id="empty"),
    ]
    rows += [Option(Text(f"{n:>5} feed {n} {LONG[: n % 90]}"), id=f"f{n}") for n in range(300)]
    return rows


class Lists(App[None]):
    CSS = """
    OptionList { width: 40; height: 10; text-wrap: nowrap; text-overflow: ellipsis; }
    """

    def compose(self) -> ComposeResult:
        yield OptionList(id="stock")
        yield RowList(id="rows")


async def test_rows_have_the_heights_textual_measures() -> None:
    app = Lists()
    async with app.run_test(size=(100, 30)) as pilot:
        stock = app.query_one("#stock", OptionList)
        rows = app.query_one("#rows", RowList)
        for widget in (stock, rows):
            widget.add_options(options())
        await pilot.pause()
        assert rows._line_cache.lines == stock._line_cache.lines
        assert rows.virtual_size == stock.virtual_size
        assert rows._line_cache.heights[1] == 1  # the long title stays on one line
        assert rows._line_cache.heights[2] == 3  # the note's two lines and the divider

        # Keys move through them alike, scrolling the same way.
        for widget in (stock, rows):
            widget.focus()
            widget.highlighted = 240
            for _ in range(10):
                await pilot.press("down")
        assert rows.highlighted == stock.highlighted == 250
        assert rows.scroll_y == stock.scroll_y > 0

        # A prompt that changes keeps the layout in step (replacing clears the cache).
        for widget in (stock, rows):
            widget.replace_option_prompt_at_index(0, Text("  13 Short feed\n     and a note"))
        await pilot.pause()
        assert rows._line_cache.lines == stock._line_cache.lines
