"""The bar at the bottom while a refresh runs: progress, feeds done, new articles, failures."""

from __future__ import annotations

from textual.app import ComposeResult
from textual.containers import Horizontal
from textual.widgets import ProgressBar, Static

from ..core.models import RefreshProgress


class RefreshBar(Horizontal):
    """Hidden until a refresh starts; ``show_progress`` as it goes."""

    def compose(self) -> ComposeResult:
        yield ProgressBar(id="refresh-progress", show_eta=False)
        yield Static(id="refresh-status")

    def show_progress(self, progress: RefreshProgress) -> None:
        self.query_one(ProgressBar).update(total=max(progress.total, 1), progress=progress.done)
        if progress.unit != "feeds":  # a sync downloading: its items, not feeds
            status = f"Syncing: {progress.done}/{progress.total} {progress.unit}"
        else:
            status = f"{progress.done}/{progress.total} feeds · {progress.new_articles} new"
        if progress.errors:
            status += f" · {progress.errors} failed"
        self.query_one("#refresh-status", Static).update(status)
