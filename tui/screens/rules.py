"""The rules dialog: every rule with its action and where it comes from."""

from __future__ import annotations

from collections.abc import Sequence
from typing import ClassVar

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import VerticalScroll
from textual.screen import ModalScreen
from textual.widgets import Static

from ..core.rules import Rule
from ..core.textsafe import one_line


def render_rules(rules: Sequence[Rule]) -> Text:
    """One line per rule: its number, action and query (queries are shown as text)."""
    listing = Text()
    if not rules:
        listing.append("No rules yet.\n\n", style="bold")
        listing.append('Add one with: broadsheet rules add "title:/crypto|nft/i" --action hide')
        return listing
    width = max(len(rule.id) for rule in rules)
    for rule in rules:
        listing.append(f"{rule.id:>{width}}  ", style="dim")
        listing.append(f"{rule.action:<14}", style="bold")
        listing.append(one_line(rule.query.source))
        listing.append("\n")
    listing.append(
        "\nRules act on each refresh's new articles; `broadsheet rules apply` on the "
        "archive (u undoes it). config:N rules live in the settings file.",
        style="dim",
    )
    return listing


class RulesScreen(ModalScreen[None]):
    """Lists the rules; Esc closes."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape,q,K", "dismiss", "Close", id="close_rules"),
    ]

    def __init__(self, rules: Sequence[Rule]) -> None:
        super().__init__()
        self.rules = list(rules)

    def compose(self) -> ComposeResult:
        with VerticalScroll(classes="dialog", id="rules"):
            yield Static(Text("Rules", style="bold"), classes="dialog-title")
            yield Static(render_rules(self.rules), id="rules-list")
            yield Static(Text("Esc closes.", style="dim"), classes="dialog-hint")

    def action_dismiss(self) -> None:
        self.dismiss(None)
