"""Run a refresh in a child process and relay its progress.

The reader refreshes through ``broadsheet refresh --progress-json`` rather than in a
thread: fetching, parsing and writing hundreds of feeds allocate millions of objects,
and in the same process the garbage collector's full passes (50-250 ms, holding the
GIL) stalled the event loop. A child process keeps the UI's loop and memory untouched.
"""

from __future__ import annotations

import contextlib
import json
import os
import signal
import subprocess
import sys
import tempfile
from collections.abc import Callable

from .core.config import Config
from .core.errors import BroadsheetError, RefreshRunningError
from .core.models import RefreshProgress
from .core.refreshlock import ALREADY_RUNNING
from .core.report import RefreshReport

ProgressCallback = Callable[[RefreshProgress], None]


def refresh_command(config: Config, feed_url: str | None, *, force: bool = True) -> list[str]:
    command = [sys.executable, "-m", "tui", "--data-dir", str(config.data_dir)]
    if config.config_file is not None:
        command += ["--config", str(config.config_file)]
    command += ["refresh", "--json", "--progress-json"]
    if feed_url is not None:
        command += ["--feed", feed_url]
    elif force:
        command.append("--force")
    return command


def run_refresh(
    config: Config,
    feed_url: str | None = None,
    *,
    force: bool = True,
    progress: ProgressCallback | None = None,
    on_start: Callable[[subprocess.Popen[str]], None] | None = None,
) -> RefreshReport:
    """Refresh every feed (or one) in a child process; return ``refresh --json``'s report.

    ``force`` asks every feed; without it only the feeds that are due are fetched.
    """
    # The report goes to a file, not a pipe: a pipe could fill while we read progress.
    with tempfile.TemporaryFile("w+", encoding="utf-8") as report_file:
        # ``with``: the pipe is closed and the child reaped however the reading ends. The
        # reader keeps the Popen (to stop it on quit): an open pipe in it was one file
        # descriptor more per refresh, for as long as the reader ran.
        with subprocess.Popen(
            refresh_command(config, feed_url, force=force),
            stdin=subprocess.DEVNULL,
            stdout=report_file,
            stderr=subprocess.PIPE,
            text=True,
            encoding="utf-8",
            errors="replace",
            # A group of its own: the reader stops it (and the parser processes it
            # started) itself, with one signal, and waits for it; a Ctrl+C to the reader's
            # group would be a second one, landing in the middle of its clean-up.
            process_group=0 if os.name == "posix" else None,
        ) as child:
            _lower_priority(child.pid)
            if on_start is not None:
                on_start(child)
            last_message = ""
            assert child.stderr is not None
            for line in child.stderr:
                try:
                    data = json.loads(line)
                except ValueError:
                    last_message = line.strip() or last_message
                    continue
                if progress is not None and isinstance(data, dict):
                    progress(
                        RefreshProgress(
                            done=int(data.get("done", 0)),
                            total=int(data.get("total", 0)),
                            errors=int(data.get("errors", 0)),
                            new_articles=int(data.get("new_articles", 0)),
                            unit=str(data.get("unit", "feeds")),
                        )
                    )
        report_file.seek(0)
        text = report_file.read()
    try:
        report = json.loads(text)
    except ValueError:
        reason = last_message.removeprefix("broadsheet: ") or f"exit code {child.returncode}"
        if reason.startswith(ALREADY_RUNNING):  # another process's refresh: not a failure
            raise RefreshRunningError(reason) from None
        raise BroadsheetError(f"refresh failed: {reason}") from None
    return RefreshReport.from_json(report)


CHILD_STOP_SECONDS = 5.0
"""How long quitting waits for an interrupted refresh child before killing it."""


def stop_refresh(child: subprocess.Popen[str]) -> None:
    """Ask a refresh child to stop, as Ctrl+C does: it ends its parser processes, then itself.

    SIGTERM would end it at once and leave its fork server and parser processes to
    notice by themselves, after we have gone.
    """
    with contextlib.suppress(ProcessLookupError):
        child.send_signal(signal.SIGINT if os.name == "posix" else signal.SIGTERM)


def reap_refresh(child: subprocess.Popen[str], timeout: float) -> None:
    """Wait for a stopped refresh child; past ``timeout`` kill it and its parser processes."""
    try:
        child.wait(timeout)
        return
    except subprocess.TimeoutExpired:
        pass
    with contextlib.suppress(ProcessLookupError, PermissionError):
        if os.name == "posix":
            os.killpg(child.pid, signal.SIGKILL)
        else:
            child.kill()
    with contextlib.suppress(subprocess.TimeoutExpired):
        child.wait(5)


def _lower_priority(pid: int) -> None:
    """Let the reader's own process win the CPU over a background refresh.

    On a two-core machine the refresh and its parser processes would otherwise take
    turns with the UI and show up as stalls of the event loop.
    """
    if hasattr(os, "setpriority"):
        # Where that is not allowed the refresh just runs at normal priority.
        with contextlib.suppress(OSError):
            os.setpriority(os.PRIO_PROCESS, pid, 10)
