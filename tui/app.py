"""The Textual application: themes, global keys, remembered state, the command palette."""

from __future__ import annotations

import gc
import json
import subprocess
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import ClassVar

from textual import work
from textual.app import App, SystemCommand
from textual.binding import Binding, BindingType
from textual.notifications import SeverityLevel
from textual.screen import Screen
from textual.worker import Worker, WorkerState

from .background import Background
from .core.config import Config
from .core.errors import BroadsheetError
from .core.textsafe import one_line
from .library import Library
from .resources import stylesheet
from .screens.main import MainScreen
from .selection import Selection

# Themes `t` cycles through: Textual's own, dark and light, in a pleasant order.
THEME_CYCLE = (
    "textual-dark",
    "textual-light",
    "nord",
    "gruvbox",
    "catppuccin-mocha",
    "catppuccin-latte",
    "tokyo-night",
    "solarized-light",
    "dracula",
    "monokai",
)


def unknown_key_ids(keys: Mapping[str, str]) -> list[str]:
    """The names in the config's ``[keys]`` that no binding has (typos, old names)."""
    from .screens.add_feed import AddFeedScreen
    from .screens.confirm import ConfirmScreen
    from .screens.help import HelpScreen
    from .screens.note import NoteScreen
    from .screens.rules import RulesScreen
    from .widgets.article_list import ArticleList

    owners = (
        BroadsheetApp,
        MainScreen,
        AddFeedScreen,
        ConfirmScreen,
        HelpScreen,
        NoteScreen,
        RulesScreen,
        ArticleList,
    )
    known = {b.id for owner in owners for b in owner.BINDINGS if isinstance(b, Binding) and b.id}
    return sorted(set(keys) - known)


@dataclass
class SavedState:
    """What the reader remembers between runs (kept in the archive's state table)."""

    theme: str | None = None
    selection: Selection | None = None
    article_id: int | None = None
    pane_widths: dict[str, int] = field(default_factory=dict)
    highlight_summary: bool = False


class BroadsheetApp(App[int]):
    """Broadsheet's reader."""

    TITLE = "Broadsheet"
    CSS_PATH = [stylesheet("app.tcss")]
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("q", "quit", "Quit", id="quit"),
        Binding("t", "cycle_theme", "Theme", show=False, id="cycle_theme"),
    ]

    def __init__(self, config: Config, *, clock: Callable[[], datetime] | None = None) -> None:
        from .core.parsepool import start_helper_processes

        start_helper_processes()
        super().__init__()
        self.config = config
        self.clock = clock or (lambda: datetime.now(UTC))
        """Now, as the UI shows ages ("5m"); tests fix it so snapshots stay stable."""
        self.saved = SavedState()
        self.failure: str | None = None
        """Why the reader could not start (the CLI prints it on stderr once it has gone)."""
        self._children: list[subprocess.Popen[str]] = []
        self.library = Library(config.database_path, on_error=self._write_failed)
        """The archive: reads from workers, writes in key-press order on its own thread."""
        self.background = Background()
        """Network jobs (article pages, new feeds) that stop when their worker is cancelled."""
        if config.keys:
            self.set_keymap(config.keys)

    def notify(
        self,
        message: str,
        *,
        title: str = "",
        severity: SeverityLevel = "information",
        timeout: float | None = None,
        markup: bool = False,
    ) -> None:
        """Notifications are plain text: they carry feed titles, addresses, servers' replies."""
        super().notify(message, title=title, severity=severity, timeout=timeout, markup=False)

    def _write_failed(self, message: str) -> None:
        # Called on the library's writer thread; call_later hands it to the event loop.
        self.call_later(self.notify, one_line(message), title="Problem", severity="error")

    def on_mount(self) -> None:
        self.theme = (
            self.config.theme if self.config.theme in self.available_themes else ("textual-dark")
        )
        if unknown := unknown_key_ids(self.config.keys):
            names = ", ".join(repr(name) for name in unknown)
            self.notify(
                f"[keys] in the config: no binding is called {names}, so it is ignored "
                "(the README lists the names)",
                title="Config",
                severity="warning",
                timeout=10,
            )
        self.start()

    @work(thread=True, exclusive=True, group="start", exit_on_error=False)
    def start(self) -> None:
        """Open the archive and read the saved state, then show the main screen."""
        keys = ("theme", "selection", "article", "pane_widths", "highlight_summary")
        raw = self.library.read(lambda store: {key: store.get_state(key) for key in keys})
        saved = SavedState(
            theme=raw["theme"],
            selection=Selection.parse(raw["selection"]),
            article_id=int(raw["article"]) if (raw["article"] or "").isdigit() else None,
            highlight_summary=raw["highlight_summary"] == "on",
        )
        try:
            widths = json.loads(raw["pane_widths"] or "{}")
            saved.pane_widths = {k: int(v) for k, v in widths.items() if k in ("feeds", "articles")}
        except (ValueError, TypeError, AttributeError):
            pass  # a damaged value only costs the default widths
        self.call_from_thread(self._started, saved)

    def on_worker_state_changed(self, event: Worker.StateChanged) -> None:
        """The archive did not open (damaged, locked, unreadable): say why on the way
        out, in one line, as a command would; a blank screen would say nothing."""
        if event.worker.group != "start" or event.state != WorkerState.ERROR:
            return
        error = event.worker.error
        if isinstance(error, BroadsheetError):
            message = error.message
        else:
            message = f"unexpected error: {type(error).__name__}: {error}"
        self.failure = one_line(message)
        self.exit(return_code=1)

    def _started(self, saved: SavedState) -> None:
        self.saved = saved
        if saved.theme in self.available_themes:
            self.theme = saved.theme
        self.push_screen(MainScreen())
        # Everything alive now (Textual, the imports, the screen) lives for the whole
        # run; moving it out of the collector's reach keeps full collections, which a
        # refresh's allocations trigger, from stalling the event loop for 50+ ms.
        gc.freeze()

    def save_state(self, key: str, value: str) -> None:
        self.library.remember(key, value)

    def action_cycle_theme(self) -> None:
        themes = [name for name in THEME_CYCLE if name in self.available_themes]
        index = themes.index(self.theme) if self.theme in themes else -1
        self.theme = themes[(index + 1) % len(themes)]
        self.notify(f"Theme: {self.theme}", timeout=2)
        self.save_state("theme", self.theme)

    def track_child(self, child: subprocess.Popen[str]) -> None:
        """Remember a refresh child so quitting does not leave it running."""
        # Only the ones still running: a reader open all week refreshes thousands of times.
        self._children = [running for running in self._children if running.poll() is None]
        self._children.append(child)

    def on_unmount(self) -> None:
        from .refresh_process import CHILD_STOP_SECONDS, reap_refresh, stop_refresh

        running = [child for child in self._children if child.poll() is None]
        for child in running:
            stop_refresh(child)
        self.background.close()
        self.library.close()
        # Quitting waits for them: a refresh left to finish its clean-up alone was still
        # running (with its parser processes) after the reader had gone.
        for child in running:
            reap_refresh(child, CHILD_STOP_SECONDS)

    # -- keys, help and the command palette -------------------------------------------

    def key_help(self) -> list[tuple[str, str]]:
        """(keys, description) for every binding of the main screen and the app."""
        rows = []
        for _, binding in self._all_bindings():
            keys = ", ".join(self.get_key_display(Binding(k, "")) for k in binding.key.split(","))
            rows.append((keys, binding.description))
        return rows

    def _all_bindings(self) -> Iterable[tuple[str, Binding]]:
        from .widgets.article_list import ArticleList

        keymap = self._keymap
        for owner in (MainScreen, ArticleList, BroadsheetApp):
            for binding in owner.BINDINGS:
                assert isinstance(binding, Binding)
                if binding.id and binding.id in keymap:
                    binding = binding.with_key(keymap[binding.id])
                target = {BroadsheetApp: "app", ArticleList: "articles"}.get(owner, "screen")
                yield target, binding

    def get_system_commands(self, screen: Screen) -> Iterable[SystemCommand]:
        yield from super().get_system_commands(screen)
        for target, binding in self._all_bindings():
            if binding.id in ("down", "up", "top", "bottom", "quit", "back"):
                continue
            if target == "articles":
                continue  # they act on the list's own rows: keys, not palette entries
            area = "Feeds" if "feed" in (binding.id or "") else "Reader"
            yield SystemCommand(
                f"{area}: {binding.description}",
                f"Key: {binding.key}",
                self._runner(f"{target}.{binding.action}"),
            )
        if isinstance(screen, MainScreen):
            older = screen.older_unread
            yield SystemCommand(
                f"Articles: mark unread older than 7 days read ({older})",
                "One action; u undoes it",
                self._runner("screen.mark_older_than"),
            )
            yield SystemCommand(
                "Articles: show or leave out the articles rules hid",
                "Hidden articles are kept",
                self._runner("screen.show_hidden"),
            )

    def _runner(self, action: str) -> Callable[[], object]:
        return lambda: self.run_action(action)
