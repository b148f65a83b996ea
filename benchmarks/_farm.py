"""Start ../shared/tools/feedfarm.py on loopback for a benchmark and stop it afterwards."""

from __future__ import annotations

import subprocess
import sys
import tempfile
import time
from contextlib import contextmanager
from pathlib import Path


@contextmanager
def farm(
    script: Path,
    *,
    feeds: int,
    items: int,
    latency_ms: float = 0,
    extra: tuple = (),
    max_seconds: float = 1800,
):
    """Yield (base_url, opml_path) of a running farm.

    The farm stops by itself after ``max_seconds``, so one whose benchmark was killed
    does not serve forever; a run that takes longer must say so.
    """
    work = Path(tempfile.mkdtemp(prefix="broadsheet-farm-"))
    port_file = work / "port"
    process = subprocess.Popen(
        [
            sys.executable,
            str(script),
            "serve",
            "--feeds",
            str(feeds),
            "--items",
            str(items),
            "--port",
            "0",
            "--port-file",
            str(port_file),
            "--opml-file",
            str(work / "feeds.opml"),
            "--urls-file",
            str(work / "urls"),
            "--latency-ms",
            str(latency_ms),
            "--max-seconds",
            str(max_seconds),
            *extra,
        ],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    try:
        deadline = time.monotonic() + 120
        while not (port_file.exists() and port_file.read_text().strip()):
            if process.poll() is not None or time.monotonic() > deadline:
                raise SystemExit("the feed farm did not start")
            time.sleep(0.1)
        yield f"http://127.0.0.1:{port_file.read_text().strip()}", work / "feeds.opml", work
    finally:
        process.terminate()
        process.wait(10)
