"""The Textual application: one main screen over the headless core."""

from __future__ import annotations

import threading
from collections.abc import Iterator
from contextlib import contextmanager
from typing import ClassVar

from textual.app import App
from textual.binding import Binding, BindingType

from .core.config import Config
from .core.store import Store
from .resources import stylesheet
from .screens.main import MainScreen


class BroadsheetApp(App[int]):
    """Broadsheet's reader."""

    TITLE = "Broadsheet"
    CSS_PATH = [stylesheet("app.tcss")]
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("q", "quit", "Quit", id="quit"),
    ]

    def __init__(self, config: Config) -> None:
        super().__init__()
        self.config = config
        self._store: Store | None = None
        self._store_lock = threading.Lock()
        if config.keys:
            self.set_keymap(config.keys)

    @contextmanager
    def database(self) -> Iterator[Store]:
        """The UI's connection to the archive, one worker at a time.

        The first use creates a new archive with the welcome feed, so this is only
        ever entered from workers, never on the event loop.
        """
        with self._store_lock:
            if self._store is None:
                from .core.update import open_store

                self._store = open_store(self.config.database_path, shared=True)
            yield self._store

    def on_mount(self) -> None:
        self.theme = self.config.theme
        self.push_screen(MainScreen())

    def on_unmount(self) -> None:
        with self._store_lock:
            if self._store is not None:
                self._store.close()
                self._store = None
