"""The reader in a browser tab: time from the first request to the first screen, and memory per tab.

    python benchmarks/serve.py [--articles 100000] [--feeds 2000] [--runs 5] [--tabs 3]

Builds (once) a synthetic archive as startup.py does, starts ``broadsheet serve
--port 0`` on it and opens the printed address in Debian's Chromium (Playwright, with
the browser tests' flags). Each run is a fresh tab, timed from the page's request to
the first screen that lists articles (read from the websocket, as the tests do); the
same from a bare websocket client, without a browser, shows the reader's own share.
Then ``--tabs`` tabs are opened at once and each reader process's memory is read
from /proc: RSS and PSS (shared pages split between the processes that map them),
with and without its helper processes (multiprocessing's fork server and resource
tracker). Prints medians and one JSON line.
"""

from __future__ import annotations

import argparse
import json
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from benchmarks.startup import build_archive  # noqa: E402
from tests.serve.browser import BrowserTab, launch, missing_browser  # noqa: E402
from tests.serve.conftest import children_of, serve_env, start_serve  # noqa: E402

FIRST_TITLE = "Feed 0 story 0"
"""The newest synthetic article: the first row of the first screen."""


def memory_kb(pid: int) -> tuple[int, int]:
    """(RSS, PSS) of one process, in kB."""
    rss = pss = 0
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            rss = int(line.split()[1])
    for line in Path(f"/proc/{pid}/smaps_rollup").read_text().splitlines():
        if line.startswith("Pss:"):
            pss = int(line.split()[1])
    return rss, pss


def first_screen(context, served) -> dict[str, float]:
    # The last tab's reader is still quitting for a moment: not part of this tab's start.
    deadline = time.monotonic() + 30
    while children_of(served.process.pid) and time.monotonic() < deadline:
        time.sleep(0.05)
    tab = BrowserTab(context)
    started = time.perf_counter()
    tab.page.goto(served.url, wait_until="commit")
    tab.wait_for(FIRST_TITLE, timeout=120)
    shown = time.perf_counter() - started
    first_bytes = tab.first_frame_at - started
    tab.page.close()
    return {"first_bytes_s": first_bytes, "first_screen_s": shown}


def websocket_only(served) -> float:
    """Seconds from opening a tab's websocket to its first screen, without a browser:
    the reader's own share (its start and first draw), apart from the page and the
    browser's drawing, which on this machine share the same two cores."""
    import asyncio

    from tests.serve.conftest import Tab

    async def one() -> float:
        started = time.perf_counter()
        async with Tab(served, width=140, height=38) as tab:
            await tab.wait_for(FIRST_TITLE, timeout=120)
            return time.perf_counter() - started

    while children_of(served.process.pid):
        time.sleep(0.05)
    return asyncio.run(one())


def tabs_memory(context, served, count: int) -> list[dict[str, float]]:
    tabs = [BrowserTab(context) for _ in range(count)]
    for tab in tabs:
        tab.open(served.url)
    for tab in tabs:
        tab.wait_for(FIRST_TITLE, timeout=120)
        tab.settle(quiet=1.0)
    readers = children_of(served.process.pid)
    figures = [{"server_rss_mb": memory_kb(served.process.pid)[0] / 1024}]
    for pid in readers:
        rss, pss = memory_kb(pid)
        helpers = [memory_kb(child) for child in children_of(pid)]
        figures.append(
            {
                "reader_rss_mb": rss / 1024,
                "reader_pss_mb": pss / 1024,
                "with_helpers_rss_mb": (rss + sum(h[0] for h in helpers)) / 1024,
                "with_helpers_pss_mb": (pss + sum(h[1] for h in helpers)) / 1024,
            }
        )
    for tab in tabs:
        tab.page.close()
    return figures  # the server's first, then one row per reader


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--articles", type=int, default=100_000)
    parser.add_argument("--feeds", type=int, default=2_000)
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--tabs", type=int, default=3)
    parser.add_argument("--data-dir", type=Path, help="reuse (or build) the archive here")
    args = parser.parse_args()
    if reason := missing_browser():
        raise SystemExit(f"cannot run: {reason}")
    from playwright.sync_api import sync_playwright

    from benchmarks._bytecode import compile_package

    compile_package()
    home = args.data_dir or Path(tempfile.mkdtemp(prefix="broadsheet-serve-"))
    home.mkdir(parents=True, exist_ok=True)
    if not (home / "broadsheet.sqlite3").exists():
        print(f"building {args.articles} articles in {args.feeds} feeds under {home} ...")
        build_archive(home, args.articles, args.feeds)
    config = home / "config.toml"
    config.write_text("")
    command = [sys.executable, "-m", "tui", "--config", str(config), "serve", "--port", "0"]
    served = start_serve(command, serve_env(home))
    try:
        with sync_playwright() as playwright, tempfile.TemporaryDirectory() as profile:
            context = launch(playwright, Path(profile))
            first_screen(context, served)  # warms the OS's file cache, as any later tab finds it
            runs = [first_screen(context, served) for _ in range(args.runs)]
            server, *memory = tabs_memory(context, served, args.tabs)
            context.close()
        reader_only = [websocket_only(served) for _ in range(args.runs)]
    finally:
        served.stop()

    def median(key: str, rows: list[dict[str, float]]) -> float:
        return statistics.median(row[key] for row in rows)

    summary = {
        "benchmark": "serve",
        "articles": args.articles,
        "runs": args.runs,
        "first_screen_s": median("first_screen_s", runs),
        "first_screen_range_s": [min(r["first_screen_s"] for r in runs),
                                 max(r["first_screen_s"] for r in runs)],
        "first_bytes_s": median("first_bytes_s", runs),
        "websocket_to_first_screen_s": statistics.median(reader_only),
        "tabs": len(memory),
        "reader_rss_mb": median("reader_rss_mb", memory),
        "reader_pss_mb": median("reader_pss_mb", memory),
        "with_helpers_rss_mb": median("with_helpers_rss_mb", memory),
        "with_helpers_pss_mb": median("with_helpers_pss_mb", memory),
        "server_rss_mb": server["server_rss_mb"],
    }  # fmt: skip
    print(
        f"first request to first screen {summary['first_screen_s']:.2f} s (median of "
        f"{args.runs}, {summary['first_screen_range_s'][0]:.2f}-"
        f"{summary['first_screen_range_s'][1]:.2f}; first bytes {summary['first_bytes_s']:.2f} s; "
        f"without a browser, websocket to first screen "
        f"{summary['websocket_to_first_screen_s']:.2f} s); "
        f"per tab with {len(memory)} open: reader {summary['reader_rss_mb']:.0f} MB RSS "
        f"({summary['reader_pss_mb']:.0f} MB PSS), with its helpers "
        f"{summary['with_helpers_rss_mb']:.0f} MB RSS "
        f"({summary['with_helpers_pss_mb']:.0f} MB PSS); "
        f"the server {summary['server_rss_mb']:.0f} MB"
    )
    print(json.dumps(summary))


if __name__ == "__main__":
    main()
