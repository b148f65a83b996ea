"""A question with a few answers, as a modal dialog."""

from __future__ import annotations

from typing import ClassVar

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal, Vertical
from textual.screen import ModalScreen
from textual.widgets import Button, Static

from ..core.models import Feed
from ..core.textsafe import one_line

Choice = tuple[str, str, str]
"""(answer id, button label, button variant)."""


class ConfirmScreen(ModalScreen[str | None]):
    """Asks a question; dismisses with the chosen answer's id, or None when cancelled.

    ``y`` picks the first answer; ``n`` and Esc cancel.
    """

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("y", "first_choice", "Yes", id="confirm_yes"),
        Binding("n,escape", "cancel", "Cancel", id="confirm_no"),
    ]

    def __init__(self, question: Text | str, choices: list[Choice] | None = None) -> None:
        super().__init__()
        self.question = question if isinstance(question, Text) else Text(question)
        self.choices = choices or [("yes", "Yes", "error")]

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog"):
            yield Static(self.question, classes="dialog-text")
            with Horizontal(classes="dialog-buttons"):
                for answer, label, variant in self.choices:
                    yield Button(label, variant=variant, id=f"answer-{answer}")  # type: ignore[arg-type]
                yield Button("Cancel", id="cancel")

    @classmethod
    def removal(cls, feed: Feed, bookmarked: int) -> ConfirmScreen:
        """Remove a feed? With bookmarked articles, whether to keep those."""
        question = Text("Remove ")
        question.append(one_line(feed.display_title), style="bold")
        question.append(f" and its {feed.total} articles?")
        if not bookmarked:
            return cls(question, [("remove", "Remove", "error")])
        question.append(
            f"\n{bookmarked} of them {'are' if bookmarked > 1 else 'is'} bookmarked and "
            "will be kept unless you remove those too."
        )
        return cls(
            question, [("keep", "Remove, keep bookmarks", "error"), ("all", "Remove all", "error")]
        )

    def on_mount(self) -> None:
        self.query_one("#cancel", Button).focus()

    @on(Button.Pressed)
    def pressed(self, event: Button.Pressed) -> None:
        button_id = event.button.id or ""
        self.dismiss(button_id.removeprefix("answer-") if button_id != "cancel" else None)

    def action_first_choice(self) -> None:
        self.dismiss(self.choices[0][0])

    def action_cancel(self) -> None:
        self.dismiss(None)
