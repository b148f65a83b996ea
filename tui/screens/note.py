"""``B``: add or edit the note on a bookmark."""

from __future__ import annotations

from typing import ClassVar

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal, Vertical
from textual.screen import ModalScreen
from textual.widgets import Button, Static, TextArea

from ..core.textsafe import one_line


class NoteScreen(ModalScreen[str | None]):
    """Dismisses with the note text (saving it bookmarks the article), or None."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape", "cancel", "Cancel", id="note_cancel"),
        Binding("ctrl+s", "save", "Save", id="note_save"),
    ]

    def __init__(self, title: str, note: str = "") -> None:
        super().__init__()
        self.article_title = title
        self.note = note

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog", id="note-dialog"):
            heading = Text("Note for ", style="bold")
            heading.append(one_line(self.article_title) or "(untitled)", style="bold italic")
            yield Static(heading, classes="dialog-title")
            yield TextArea(self.note, id="note", soft_wrap=True, show_line_numbers=False)
            yield Static(
                Text("Ctrl+S saves and bookmarks the article; Esc cancels.", style="dim"),
                classes="dialog-hint",
            )
            with Horizontal(classes="dialog-buttons"):
                yield Button("Save", variant="primary", id="save")
                yield Button("Cancel", id="cancel")

    def on_mount(self) -> None:
        self.query_one("#note", TextArea).focus()

    @on(Button.Pressed, "#save")
    def action_save(self) -> None:
        self.dismiss(self.query_one("#note", TextArea).text.strip())

    @on(Button.Pressed, "#cancel")
    def action_cancel(self) -> None:
        self.dismiss(None)
