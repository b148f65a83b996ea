"""Longest event-loop stall while the reader refreshes many farm feeds.

    python benchmarks/loop_lag.py ../shared/tools/feedfarm.py [--feeds 500] [--runs 3]

A 10 ms interval timer runs on the app's event loop during a refresh started with
``R``; each tick records how late it fired. Prints the worst stall per run, the
median of the runs and one JSON line.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from benchmarks._bytecode import compile_package  # noqa: E402
from benchmarks._farm import farm  # noqa: E402
from tui.app import BroadsheetApp  # noqa: E402
from tui.core.config import load_config  # noqa: E402

TICK = 0.010


async def one_run(opml: Path, per_host: int, verbose: bool = False) -> dict[str, float]:
    home = Path(tempfile.mkdtemp(prefix="broadsheet-lag-"))
    config = home / "config.toml"
    config.write_text(f"[fetch]\nper_host = {per_host}\nconcurrency = {per_host}\n")
    subprocess.run(
        [
            sys.executable,
            "-m",
            "tui",
            "--data-dir",
            str(home),
            "--config",
            str(config),
            "import-opml",
            str(opml),
        ],
        check=True,
        capture_output=True,
    )
    app = BroadsheetApp(load_config(config, home, {}))
    lags: list[float] = []
    stalls: list[tuple[float, float, bool]] = []
    started_at = [time.perf_counter()]
    async with app.run_test(size=(120, 40)) as pilot:
        await app.workers.wait_for_complete()
        await pilot.pause(0.5)
        screen = app.screen
        expected = time.perf_counter() + TICK

        def tick() -> None:
            nonlocal expected
            now = time.perf_counter()
            lags.append(max(0.0, now - expected))
            if now - expected > 0.03:
                stalls.append((now - started_at[0], now - expected, screen.refreshing))
            expected = now + TICK

        timer = app.set_interval(TICK, tick)
        started = started_at[0] = time.perf_counter()
        await pilot.press("R")
        await pilot.pause(0.2)
        while screen.refreshing:
            await asyncio.sleep(0.05)
        await pilot.pause(1.0)  # the reload after the refresh counts too
        elapsed = time.perf_counter() - started
        if verbose:
            import collections
            import gc

            objects = gc.get_objects()
            kinds = collections.Counter(type(o).__name__ for o in objects)
            print(
                f"  {len(objects)} objects tracked (frozen: {gc.get_freeze_count()}):",
                kinds.most_common(8),
            )
        timer.stop()
        # Keys still answer: move and open an article right after.
    lags.sort()
    if verbose:
        for when, lag, refreshing in stalls:
            print(f"  stall {lag * 1000:.0f} ms at {when:.2f} s (refreshing={refreshing})")
    return {
        "refresh_s": elapsed,
        "max_stall_ms": lags[-1] * 1000 if lags else 0.0,
        "p99_stall_ms": lags[int(len(lags) * 0.99)] * 1000 if lags else 0.0,
        "ticks": len(lags),
    }


_gc_started: list[float] = []
GC_PAUSES: list[tuple[int, float]] = []


def _gc_probe(phase: str, info: dict) -> None:
    if phase == "start":
        _gc_started[:] = [time.perf_counter()]
    elif _gc_started:
        GC_PAUSES.append((info["generation"], time.perf_counter() - _gc_started[0]))


def main() -> None:
    import gc

    gc.callbacks.append(_gc_probe)
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("feedfarm", type=Path)
    parser.add_argument("--feeds", type=int, default=500)
    parser.add_argument("--items", type=int, default=50)
    parser.add_argument("--latency-ms", type=float, default=50)
    parser.add_argument("--per-host", type=int, default=32)
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--verbose", action="store_true", help="list every stall over 30 ms")
    args = parser.parse_args()
    compile_package()
    with farm(args.feedfarm, feeds=args.feeds, items=args.items, latency_ms=args.latency_ms) as (
        _,
        opml,
        _work,
    ):
        results = []
        for run in range(args.runs):
            result = asyncio.run(one_run(opml, args.per_host, args.verbose))
            results.append(result)
            print(
                f"run {run + 1}: refresh {result['refresh_s']:.2f} s, longest stall "
                f"{result['max_stall_ms']:.1f} ms, p99 {result['p99_stall_ms']:.1f} ms "
                f"({result['ticks']} ticks)"
            )
    summary = {
        "benchmark": "loop-lag",
        "feeds": args.feeds,
        "runs": args.runs,
        "max_stall_ms_median": statistics.median(r["max_stall_ms"] for r in results),
        "max_stall_ms_worst": max(r["max_stall_ms"] for r in results),
        "p99_stall_ms_median": statistics.median(r["p99_stall_ms"] for r in results),
        "refresh_s_median": statistics.median(r["refresh_s"] for r in results),
    }
    slow = sorted(GC_PAUSES, key=lambda p: -p[1])[:5]
    print("slowest garbage collections:", ", ".join(f"gen{g} {d * 1000:.0f} ms" for g, d in slow))
    print(
        f"median longest stall {summary['max_stall_ms_median']:.1f} ms "
        f"(worst {summary['max_stall_ms_worst']:.1f} ms)"
    )
    print(json.dumps(summary))


if __name__ == "__main__":
    main()
