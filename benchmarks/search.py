"""Full-text search latency on a large archive.

    python benchmarks/search.py [--articles 100000] [--feeds 2000] [--data-dir DIR]

Builds (or reuses) an archive of synthetic articles with benchmarks/startup.py's
builder, then times a first page (200 results, newest first) for rare, common and
absent words, five times each, and prints medians and one JSON line.
"""

from __future__ import annotations

import argparse
import json
import statistics
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from benchmarks.startup import build_archive  # noqa: E402
from tui.core.store import ArticleFilter, Store  # noqa: E402

QUERIES = {
    "rare title words": "story 777",
    "one feed's name": "feed 1999",
    "in every article": "synthetic",
    "two common words": "sentence article",
    "prefix": "synth",
    "absent": "zeppelin",
}
UNREAD = {"in every article, unread only": "synthetic"}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--articles", type=int, default=100_000)
    parser.add_argument("--feeds", type=int, default=2_000)
    parser.add_argument("--data-dir", type=Path)
    args = parser.parse_args()
    home = args.data_dir or Path(tempfile.mkdtemp(prefix="broadsheet-search-"))
    home.mkdir(parents=True, exist_ok=True)
    if not (home / "broadsheet.sqlite3").exists():
        print(f"building {args.articles} articles under {home} ...")
        build_archive(home, args.articles, args.feeds)
    results = {}
    with Store(home / "broadsheet.sqlite3") as store:
        cases = [(label, ArticleFilter(search=query)) for label, query in QUERIES.items()]
        cases += [(label, ArticleFilter(search=q, unread=True)) for label, q in UNREAD.items()]
        for label, which in cases:
            times = []
            for _ in range(5):
                started = time.perf_counter()
                found = store.articles(which, limit=200)
                times.append((time.perf_counter() - started) * 1000)
            results[label] = round(statistics.median(times), 2)
            shown = f"{label:<30} {which.search!r:<20} {len(found):>4} results"
            print(f"{shown}  {results[label]:7.2f} ms")
    print(
        json.dumps(
            {
                "benchmark": "search",
                "articles": args.articles,
                "median_ms": results,
                "worst_ms": max(results.values()),
            }
        )
    )


if __name__ == "__main__":
    main()
