"""A reader left open all week: thousands of refreshes against the farm, keys between them.

    python benchmarks/soak.py ../shared/tools/feedfarm.py [--cycles 2000] [--feeds 30]

The reader runs under Pilot in this process. Each cycle the farm publishes new items
(``/_bump``), the reader refreshes every feed (``R``, a child process as always), and
keys are pressed as a reader would: move, open, mark read, bookmark, search, back to
all articles. A 10 ms timer on the event loop records how late it fires (stalls).

Reports resident memory after the first tenth of the cycles (settled) and at the end,
the longest stall, the archive's and its write-ahead log's sizes, open file
descriptors, threads and child processes, every ``--every`` cycles and at the end,
with one JSON line. Figures come from /proc (Linux).
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import gc
import heapq
import json
import os
import shutil
import subprocess
import sys
import tempfile
import threading
import time
import urllib.request
from collections import Counter
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from textual.worker import WorkerCancelled, WorkerFailed  # noqa: E402

from benchmarks._bytecode import compile_package  # noqa: E402
from benchmarks._farm import farm  # noqa: E402
from tui.app import BroadsheetApp  # noqa: E402
from tui.core.config import load_config  # noqa: E402

TICK = 0.010
WORST = 8
SEARCH_WORDS = ("council", "harbour", "police", "minister", "river", "school")


def resident_mb() -> float:
    """Resident memory now (not the peak), from /proc."""
    try:
        for line in Path("/proc/self/status").read_text().splitlines():
            if line.startswith("VmRSS:"):
                return int(line.split()[1]) / 1024
    except OSError:
        pass
    return float("nan")


def open_fds() -> int:
    try:
        return len(os.listdir("/proc/self/fd"))
    except OSError:
        return -1


def children() -> int:
    """This process's children but the farm: the fork server and the resource tracker
    (2), refresh children still running, zombies nobody waited for."""
    me, count = str(os.getpid()), 0
    for pid in filter(str.isdigit, os.listdir("/proc")):
        try:
            stat = Path(f"/proc/{pid}/stat").read_text()
            command = Path(f"/proc/{pid}/cmdline").read_bytes()
        except OSError:
            continue
        if stat.rpartition(")")[2].split()[1] == me and b"feedfarm" not in command:
            count += 1
    return count


def size_mb(path: Path) -> float:
    try:
        return path.stat().st_size / 2**20
    except OSError:
        return 0.0


async def soak(args: argparse.Namespace, base: str, opml: Path) -> dict[str, object]:
    home = Path(tempfile.mkdtemp(prefix="broadsheet-soak-"))
    try:
        return await _soak(args, base, opml, home)
    finally:
        shutil.rmtree(home, ignore_errors=True)


async def _soak(args: argparse.Namespace, base: str, opml: Path, home: Path) -> dict[str, object]:
    config = home / "config.toml"
    config.write_text(
        f"[fetch]\nper_host = {args.per_host}\nconcurrency = {args.per_host}\n"
        "[full_text]\nmin_words = 0\n"  # the farm's pages are not what is soaked here
    )
    subprocess.run(
        [sys.executable, "-m", "tui", "--data-dir", str(home), "--config", str(config),
         "import-opml", str(opml)],
        check=True, capture_output=True,
    )  # fmt: skip
    database = home / "broadsheet.sqlite3"
    wal = database.with_name(database.name + "-wal")
    app = BroadsheetApp(load_config(config, home, {}))
    # A histogram in 0.1 ms steps, not every lag: a list of them held 32 bytes a tick,
    # up to 11 MB an hour, and was most of the memory growth this benchmark reported.
    lags: Counter[int] = Counter()
    longest = [0.0, 0]  # seconds, cycle
    longest_busy = [0.0, 0]  # of it, the loop's own CPU time
    cycle = [0]
    phase = ["start"]
    stalls: list[tuple[float, int, str]] = []  # the worst over 50 ms: how late, cycle, what ran
    stall_count = [0]
    settled: dict[str, float] = {}
    rows: list[dict[str, float]] = []
    wal_peak = 0.0
    started = time.perf_counter()
    async with app.run_test(size=(120, 40)) as pilot:
        await app.workers.wait_for_complete()
        await pilot.pause()
        screen = app.screen
        expected = time.perf_counter() + TICK
        cpu = time.thread_time()

        def tick() -> None:
            # The loop's own CPU time over the gap tells a stall (the loop busy) from a
            # wait for a CPU that other processes had (a shared, loaded machine).
            nonlocal expected, cpu
            now, cpu_now = time.perf_counter(), time.thread_time()
            late = max(0.0, now - expected)
            busy = min(late, max(0.0, cpu_now - cpu - TICK))
            lags[round(late * 10_000)] += 1
            if late > longest[0]:
                longest[:] = [late, cycle[0]]
            if busy > longest_busy[0]:
                longest_busy[:] = [busy, cycle[0]]
            if late > 0.05:
                stall_count[0] += 1
                stall = (late, cycle[0], f"{phase[0]}, loop busy {busy * 1000:.0f} ms")
                if len(stalls) < WORST:
                    heapq.heappush(stalls, stall)
                elif stall > stalls[0]:
                    heapq.heapreplace(stalls, stall)
            expected, cpu = now + TICK, cpu_now

        app.set_interval(TICK, tick)
        finished = [0]

        def refreshing_changed(refreshing: bool) -> None:
            if not refreshing:
                finished[0] += 1

        screen.watch(screen, "refreshing", refreshing_changed, init=False)
        settle_at = max(1, args.cycles // 10)
        for number in range(1, args.cycles + 1):
            cycle[0] = number
            began = time.perf_counter()
            urllib.request.urlopen(
                f"{base}/_bump?fraction={args.bump}&count={args.count}", timeout=30
            ).read()
            done = finished[0]
            phase[0] = "refresh"
            await pilot.press("R")
            while finished[0] == done:  # until this refresh has ended
                await pilot.pause(0.02)
            await settle(app, pilot)
            await press_like_a_reader(pilot, app, number, phase)
            wal_peak = max(wal_peak, size_mb(wal))
            if number == settle_at:
                gc.collect()
                settled = {"rss_mb": resident_mb(), "fds": open_fds()}
            if number % args.every == 0 or number == args.cycles:
                row = {
                    "cycle": number,
                    "rss_mb": round(resident_mb(), 1),
                    "fds": open_fds(),
                    "threads": threading.active_count(),
                    "children": children(),
                    "db_mb": round(size_mb(database), 1),
                    "wal_mb": round(size_mb(wal), 2),
                    "longest_stall_ms": round(longest[0] * 1000, 1),
                    "cycle_s": round(time.perf_counter() - began, 2),
                    "objects": len(gc.get_objects()),
                }
                rows.append(row)
                print(json.dumps(row), flush=True)
        gc.collect()
        end = {"rss_mb": resident_mb(), "fds": open_fds()}
        await pilot.press("q")
    elapsed = time.perf_counter() - started
    growth = (end["rss_mb"] - settled["rss_mb"]) / settled["rss_mb"] * 100
    return {
        "benchmark": "soak",
        "cycles": args.cycles,
        "feeds": args.feeds,
        "minutes": round(elapsed / 60, 1),
        "rss_settled_mb": round(settled["rss_mb"], 1),
        "rss_end_mb": round(end["rss_mb"], 1),
        "rss_growth_pct": round(growth, 1),
        "longest_stall_ms": round(longest[0] * 1000, 1),
        "longest_stall_cycle": longest[1],
        "longest_busy_stall_ms": round(longest_busy[0] * 1000, 1),
        "p99_stall_ms": round(percentile(lags, 0.99) / 10, 1),
        "db_mb": round(size_mb(database), 1),
        "wal_mb_end": round(size_mb(wal), 2),
        "wal_mb_peak": round(wal_peak, 2),
        "fds_settled": settled["fds"],
        "fds_end": end["fds"],
        "stalls_over_50ms": stall_count[0],
        "worst_stalls": [
            {"ms": round(late * 1000, 1), "cycle": number, "during": what}
            for late, number, what in sorted(stalls, reverse=True)
        ],
        "rows": rows,
    }


def percentile(histogram: Counter[int], share: float) -> int:
    """The bucket below which ``share`` of the counted values lie (0 when empty)."""
    rank, seen = int(sum(histogram.values()) * share), 0
    for bucket in sorted(histogram):
        seen += histogram[bucket]
        if seen > rank:
            return bucket
    return 0


async def settle(app: BroadsheetApp, pilot) -> None:
    """Let workers finish and their messages land; one cancelled by a later key is done."""
    for _ in range(3):
        with contextlib.suppress(WorkerCancelled, WorkerFailed):
            await app.workers.wait_for_complete()
        await pilot.pause()


async def press_like_a_reader(pilot, app: BroadsheetApp, number: int, phase: list[str]) -> None:
    """Read a little: open, mark, bookmark, search, and back to all articles."""
    phase[0] = "open"
    await pilot.press("l", "g", "j", "enter")
    await settle(app, pilot)
    phase[0] = "mark, bookmark, open"
    await pilot.press("m", "b", "j", "j", "enter")
    await settle(app, pilot)
    if number % 3 == 0:  # a search every third cycle
        phase[0] = "search"
        await pilot.press("slash", *SEARCH_WORDS[number % len(SEARCH_WORDS)], "enter")
        await settle(app, pilot)
        await pilot.press("j", "enter", "escape")
        await settle(app, pilot)
    phase[0] = "all articles"
    await pilot.press("h", "g", "enter")  # the feeds pane, All articles
    await settle(app, pilot)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("feedfarm", type=Path)
    parser.add_argument("--cycles", type=int, default=2000, help="refreshes (2000)")
    parser.add_argument("--feeds", type=int, default=30)
    parser.add_argument("--items", type=int, default=30)
    parser.add_argument("--bump", type=float, default=0.2, help="share of feeds bumped")
    parser.add_argument("--count", type=int, default=2, help="new items per bumped feed")
    parser.add_argument("--per-host", type=int, default=16)
    parser.add_argument("--every", type=int, default=0, help="a progress line every N")
    args = parser.parse_args()
    args.every = args.every or max(1, args.cycles // 20)
    compile_package()
    # Thousands of cycles outlast the farm's default half hour; still bounded, in case
    # this process is killed before it can stop the farm.
    lifetime = max(1800, args.cycles * 30)
    with farm(args.feedfarm, feeds=args.feeds, items=args.items, max_seconds=lifetime) as (
        base,
        opml,
        work,
    ):
        try:
            result = asyncio.run(soak(args, base, opml))
        finally:
            shutil.rmtree(work, ignore_errors=True)
    print(
        f"{result['cycles']} refresh cycles in {result['minutes']} min: resident memory "
        f"{result['rss_settled_mb']} MB settled -> {result['rss_end_mb']} MB at the end "
        f"({result['rss_growth_pct']:+.1f}%), longest stall {result['longest_stall_ms']} ms "
        f"(cycle {result['longest_stall_cycle']}; the loop itself busy at most "
        f"{result['longest_busy_stall_ms']} ms), p99 {result['p99_stall_ms']} ms; archive "
        f"{result['db_mb']} MB, WAL {result['wal_mb_end']} MB at the end (peak "
        f"{result['wal_mb_peak']} MB); open fds {result['fds_settled']} -> {result['fds_end']}"
    )
    for stall in result["worst_stalls"]:
        print(f"  stall {stall['ms']} ms in cycle {stall['cycle']} during {stall['during']}")
    print(json.dumps({k: v for k, v in result.items() if k != "rows"}))


if __name__ == "__main__":
    main()
