"""``a``: subscribe to a feed, or to the feed a web page announces."""

from __future__ import annotations

from typing import TYPE_CHECKING, ClassVar
from urllib.parse import urlsplit

from rich.text import Text
from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal, Vertical
from textual.screen import ModalScreen
from textual.widgets import Button, Input, Static
from textual.worker import Worker, WorkerState

from ..core.errors import BroadsheetError
from ..core.textsafe import one_line

if TYPE_CHECKING:
    from ..app import BroadsheetApp


def check_url(text: str) -> str | None:
    """A reason the URL cannot be fetched, or None when it looks fine."""
    url = text.strip()
    if not url:
        return "Type the address of a feed or of a web page."
    parts = urlsplit(url if "://" in url else "https://" + url)
    if parts.scheme not in ("http", "https"):
        return f"Only http and https addresses can be fetched, not {parts.scheme}:"
    if not parts.hostname:
        return "That does not look like a web address."
    return None


class AddFeedScreen(ModalScreen["FoundFeed | None"]):
    """Dismisses with the feed found at the address (to be stored), or None when cancelled.

    The fetch runs on the background loop: Cancel (or Esc) stops it for real, and
    nothing is subscribed.
    """

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape", "cancel", "Cancel", id="add_cancel"),
    ]

    app: BroadsheetApp

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog", id="add-feed"):
            yield Static(Text("Add a feed", style="bold"), classes="dialog-title")
            yield Static(
                Text("A feed URL, or a web page that links to its feed.", style="dim"),
                classes="dialog-hint",
            )
            yield Input(placeholder="https://example.com/feed.xml", id="url")
            yield Static(id="add-error", classes="dialog-error")
            with Horizontal(classes="dialog-buttons"):
                yield Button("Add", variant="primary", id="add")
                yield Button("Cancel", id="cancel")

    def on_mount(self) -> None:
        self.query_one("#add-error").display = False

    def show_error(self, message: str | None) -> None:
        error = self.query_one("#add-error", Static)
        error.display = message is not None
        error.update(Text(one_line(message or "")))

    @on(Input.Submitted, "#url")
    @on(Button.Pressed, "#add")
    def submit(self) -> None:
        text = self.query_one("#url", Input).value.strip()
        problem = check_url(text)
        if problem:
            self.show_error(problem)
            return
        url = text if "://" in text else "https://" + text
        self.show_error(None)
        self.query_one("#add", Button).disabled = True
        self.query_one("#add", Button).label = "Adding…"
        self.subscribe(url)

    @on(Button.Pressed, "#cancel")
    def action_cancel(self) -> None:
        self.workers.cancel_group(self, "subscribe")
        self.dismiss(None)

    @work(exclusive=True, group="subscribe", exit_on_error=False)
    async def subscribe(self, url: str) -> None:
        from ..core.update import prepare_subscription

        config = self.app.config
        job = prepare_subscription(url, fetch=config.fetch, parse=config.parse)
        self.dismiss(await self.app.background.run(job))

    def on_worker_state_changed(self, event: Worker.StateChanged) -> None:
        if event.worker.group == "subscribe" and event.state == WorkerState.ERROR:
            error = event.worker.error
            message = error.message if isinstance(error, BroadsheetError) else str(error)
            self.show_error(message)
            button = self.query_one("#add", Button)
            button.disabled = False
            button.label = "Add"
