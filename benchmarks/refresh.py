"""Cold and warm refresh of a feed farm, side by side with newsboat.

    python benchmarks/refresh.py ../shared/tools/feedfarm.py [--feeds 500] [--items 50]
        [--latency-ms 50] [--runs 3] [--threads 8,16,32,64] [--no-newsboat]

Serves the farm on loopback, then for each run:

* Broadsheet cold: a fresh data dir, ``broadsheet import-opml``, then the wall time of
  ``broadsheet refresh --json --force`` (a new process, as a user would run it) with
  ``[fetch] per_host = concurrency = 32``; the farm's ``/_stats`` must show one 200
  per feed.
* Broadsheet warm: the same command right after; every feed must answer 304. Then
  the same warm refresh once more inside a Python process, timed around
  ``update.refresh`` only, to show what the CLI's start-up (imports) adds.
* newsboat (when installed), for each ``reload-threads`` count: ``newsboat -x reload``
  with the farm's urls file and a private cache and config, cold (empty cache) and
  warm, checked against ``/_stats`` the same way. newsboat stores validators only for
  feeds already in its cache, so its first warm-cache reload still gets 200s; the
  warm figure is the reload after that.

Prints the median and spread (min-max) of each, the ratios to newsboat's best thread
count, the warm latency floor (feeds / connections x latency), and one JSON line.
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from benchmarks._bytecode import compile_package  # noqa: E402
from benchmarks._farm import farm  # noqa: E402

CONNECTIONS = 32
COLD_TARGET = 0.5
"""Cold refresh: at most this fraction of newsboat's best wall time."""
WARM_TARGET = 1.3
"""Warm refresh: at most this multiple of the latency floor."""


def broadsheet_command() -> list[str]:
    script = Path(sys.executable).parent / "broadsheet"
    return [str(script)] if script.exists() else [sys.executable, "-m", "tui"]


def farm_stats(base: str, *, reset: bool = False) -> dict[str, int]:
    path = "/_stats/reset" if reset else "/_stats"
    with urllib.request.urlopen(base + path, timeout=10) as response:
        return json.loads(response.read())


def timed(command: list[str], **kwargs: object) -> tuple[float, subprocess.CompletedProcess]:
    start = time.perf_counter()
    done = subprocess.run(command, capture_output=True, text=True, **kwargs)  # type: ignore[call-overload]
    return time.perf_counter() - start, done


def check_stats(base: str, who: str, feeds: int, *, cold: bool) -> None:
    stats = farm_stats(base)
    wanted, other = ("feed_200", "feed_304") if cold else ("feed_304", "feed_200")
    if stats[wanted] != feeds or stats[other] != 0:
        raise SystemExit(
            f"{who} {'cold' if cold else 'warm'}: the farm saw {stats['feed_200']} 200s and "
            f"{stats['feed_304']} 304s for {feeds} feeds ({stats})"
        )


# The warm refresh once more, timed inside the process: what the CLI's start-up adds.
IN_PROCESS = """
import json, sys, time
from tui.core.config import load_config
from tui.core.archive import open_store
from tui.core.update import refresh
config = load_config(sys.argv[1], sys.argv[2], {})
store = open_store(config.database_path)
feeds = store.feeds()
start = time.perf_counter()
report = refresh(store, feeds, fetch=config.fetch, parse=config.parse, force=True)
print(json.dumps({"seconds": time.perf_counter() - start, **report.to_json()}))
"""


def broadsheet_run(base: str, opml: Path, feeds: int, per_host: int) -> tuple[float, float, float]:
    """Cold and warm ``broadsheet refresh`` wall times, and the warm one in-process."""
    home = Path(tempfile.mkdtemp(prefix="broadsheet-refresh-"))
    try:
        config = home / "config.toml"
        config.write_text(f"[fetch]\nper_host = {per_host}\nconcurrency = {per_host}\n")
        base_command = [*broadsheet_command(), "--data-dir", str(home), "--config", str(config)]
        subprocess.run([*base_command, "import-opml", str(opml)], check=True, capture_output=True)
        times = []
        for cold in (True, False):
            farm_stats(base, reset=True)
            # --force: every feed is asked, even one whose schedule says it is not due.
            elapsed, done = timed([*base_command, "refresh", "--json", "--force"])
            if done.returncode != 0:
                raise SystemExit(f"broadsheet refresh failed ({done.returncode}): {done.stderr}")
            report = json.loads(done.stdout)
            # The bundled welcome feed comes with every new archive, already stored.
            wanted = feeds if cold else report["feeds"]
            if report["updated" if cold else "not_modified"] != wanted or report["failed"]:
                raise SystemExit(f"broadsheet refresh: unexpected report {report}")
            check_stats(base, "broadsheet", feeds, cold=cold)
            times.append(elapsed)
        farm_stats(base, reset=True)
        done = subprocess.run(
            [sys.executable, "-c", IN_PROCESS, str(config), str(home)],
            check=True,
            capture_output=True,
            text=True,
        )
        report = json.loads(done.stdout)
        if report["not_modified"] != report["feeds"]:
            raise SystemExit(f"in-process warm refresh: unexpected report {report}")
        check_stats(base, "broadsheet (in-process)", feeds, cold=False)
        return times[0], times[1], report["seconds"]
    finally:
        shutil.rmtree(home, ignore_errors=True)


def newsboat_run(base: str, urls: Path, feeds: int, threads: int) -> tuple[float, float]:
    home = Path(tempfile.mkdtemp(prefix="broadsheet-newsboat-"))
    try:
        config = home / "config"
        config.write_text(f"reload-threads {threads}\n")
        command = ["newsboat", "-x", "reload", "-u", str(urls), "-c", str(home / "cache.db")]
        command += ["-C", str(config)]
        env = {**os.environ, "HOME": str(home), "XDG_CONFIG_HOME": str(home / ".config")}
        env["XDG_DATA_HOME"] = str(home / ".local")
        times = []
        # newsboat keeps a feed's ETag and Last-Modified only once the feed is in its
        # cache, i.e. from its second reload on: the warm figure is its third reload.
        for run in ("cold", "second", "warm"):
            farm_stats(base, reset=True)
            elapsed, done = timed(command, env=env, stdin=subprocess.DEVNULL)
            if done.returncode != 0:
                raise SystemExit(f"newsboat failed ({done.returncode}): {done.stderr[-500:]}")
            if run != "second":
                check_stats(base, f"newsboat ({threads} threads)", feeds, cold=run == "cold")
                times.append(elapsed)
        return times[0], times[1]
    finally:
        shutil.rmtree(home, ignore_errors=True)


def spread(values: list[float]) -> str:
    return f"{statistics.median(values):6.2f} s  ({min(values):.2f}-{max(values):.2f})"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("feedfarm", type=Path)
    parser.add_argument("--feeds", type=int, default=500)
    parser.add_argument("--items", type=int, default=50)
    parser.add_argument("--latency-ms", type=float, default=50)
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--per-host", type=int, default=CONNECTIONS)
    parser.add_argument("--threads", default="8,16,32,64", help="newsboat reload-threads to try")
    parser.add_argument("--no-newsboat", action="store_true")
    args = parser.parse_args()
    compile_package()
    thread_counts = [int(part) for part in args.threads.split(",") if part.strip()]
    use_newsboat = not args.no_newsboat and shutil.which("newsboat") is not None
    if not args.no_newsboat and not use_newsboat:
        print("newsboat is not installed (apt-get install newsboat): Broadsheet only")

    ours_cold: list[float] = []
    ours_warm: list[float] = []
    ours_warm_inside: list[float] = []
    boat: dict[int, tuple[list[float], list[float]]] = {n: ([], []) for n in thread_counts}
    with farm(args.feedfarm, feeds=args.feeds, items=args.items, latency_ms=args.latency_ms) as (
        base,
        opml,
        work,
    ):
        for run in range(1, args.runs + 1):
            cold, warm, inside = broadsheet_run(base, opml, args.feeds, args.per_host)
            ours_cold.append(cold)
            ours_warm.append(warm)
            ours_warm_inside.append(inside)
            line = f"run {run}: broadsheet cold {cold:.2f} s, warm {warm:.2f} s ({inside:.2f})"
            if use_newsboat:
                for threads in thread_counts:
                    n_cold, n_warm = newsboat_run(base, work / "urls", args.feeds, threads)
                    boat[threads][0].append(n_cold)
                    boat[threads][1].append(n_warm)
                    line += f"; newsboat/{threads} {n_cold:.2f} / {n_warm:.2f} s"
            print(line, flush=True)

    floor = args.feeds / args.per_host * args.latency_ms / 1000
    print()
    print(
        f"{args.feeds} feeds x {args.items} items, {args.latency_ms:g} ms latency, "
        f"{args.runs} runs, {os.cpu_count()} CPUs"
    )
    print(f"broadsheet cold          {spread(ours_cold)}")
    print(f"broadsheet warm          {spread(ours_warm)}")
    print(f"  warm, in-process       {spread(ours_warm_inside)}   (the rest is CLI start-up)")
    summary: dict[str, object] = {
        "benchmark": "refresh",
        "feeds": args.feeds,
        "items": args.items,
        "latency_ms": args.latency_ms,
        "runs": args.runs,
        "connections": args.per_host,
        "cold_s_median": round(statistics.median(ours_cold), 3),
        "cold_s_min": round(min(ours_cold), 3),
        "cold_s_max": round(max(ours_cold), 3),
        "warm_s_median": round(statistics.median(ours_warm), 3),
        "warm_s_min": round(min(ours_warm), 3),
        "warm_s_max": round(max(ours_warm), 3),
        "warm_floor_s": round(floor, 3),
        "warm_in_process_s_median": round(statistics.median(ours_warm_inside), 3),
        "warm_vs_floor": round(statistics.median(ours_warm) / floor, 2),
        "warm_target_met": statistics.median(ours_warm) <= WARM_TARGET * floor,
    }
    if use_newsboat:
        for threads, (cold, warm) in boat.items():
            print(f"newsboat {threads:>2} threads cold {spread(cold)}   warm {spread(warm)}")
        best_cold = min(boat, key=lambda n: statistics.median(boat[n][0]))
        best_warm = min(boat, key=lambda n: statistics.median(boat[n][1]))
        boat_cold = statistics.median(boat[best_cold][0])
        boat_warm = statistics.median(boat[best_warm][1])
        cold_ratio = statistics.median(ours_cold) / boat_cold
        warm_ratio = statistics.median(ours_warm) / boat_warm
        print(
            f"newsboat best: cold {boat_cold:.2f} s ({best_cold} threads), "
            f"warm {boat_warm:.2f} s ({best_warm} threads)"
        )
        print(
            f"ratio cold ours/newsboat {cold_ratio:.2f} (target <= {COLD_TARGET}), "
            f"warm {warm_ratio:.2f}"
        )
        summary.update(
            newsboat_best_cold_threads=best_cold,
            newsboat_cold_s_median=round(boat_cold, 3),
            newsboat_best_warm_threads=best_warm,
            newsboat_warm_s_median=round(boat_warm, 3),
            newsboat={
                str(n): {
                    "cold_s_median": round(statistics.median(cold), 3),
                    "warm_s_median": round(statistics.median(warm), 3),
                }
                for n, (cold, warm) in boat.items()
            },
            cold_ratio=round(cold_ratio, 3),
            warm_ratio=round(warm_ratio, 3),
            cold_target_met=cold_ratio <= COLD_TARGET,
        )
    print(
        f"warm floor {args.feeds}/{args.per_host} x {args.latency_ms:g} ms = {floor:.2f} s; "
        f"warm / floor {summary['warm_vs_floor']} (target <= {WARM_TARGET})"
    )
    print(json.dumps(summary))


if __name__ == "__main__":
    main()
