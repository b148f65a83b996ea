"""``?``: every key the reader answers to, as currently bound."""

from __future__ import annotations

from typing import ClassVar

from rich.table import Table
from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import VerticalScroll
from textual.screen import ModalScreen
from textual.widgets import Static


class HelpScreen(ModalScreen[None]):
    """A table of keys and what they do."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape,q,question_mark", "dismiss", "Close", id="help_close"),
    ]

    def __init__(self, rows: list[tuple[str, str]]) -> None:
        super().__init__()
        self.rows = rows

    def compose(self) -> ComposeResult:
        table = Table(box=None, show_header=False, pad_edge=False, expand=True)
        table.add_column("Key", style="bold", no_wrap=True)
        table.add_column("Action")
        for key, description in self.rows:
            table.add_row(Text(key), Text(description))
        with VerticalScroll(classes="dialog", id="help"):
            yield Static(Text("Keys", style="bold"), classes="dialog-title")
            yield Static(table)
            yield Static(
                Text(
                    "Every key can be changed in config.toml under [keys]. Esc closes.", style="dim"
                ),
                classes="dialog-hint",
            )

    def action_dismiss(self) -> None:
        self.dismiss(None)
