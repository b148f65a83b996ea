"""Story grouping time: 10,000 recent articles at once, then 500 new ones.

    python benchmarks/stories.py [--articles 10000] [--new 500] [--runs 3]

Builds a real archive of synthetic news (60 feeds; a third of the articles are other
outlets' rewrites of an earlier one: new lead, paragraphs cut and reordered), then
times, median of ``--runs``:

* ``group``: grouping every article in memory (sketch, candidates, confirmation);
* ``first run``: ``update_stories`` on the archive, reading the articles from SQLite
  and keeping their sketches and stories, as after upgrading;
* ``incremental``: ``update_stories`` after a refresh stored ``--new`` more.

Prints the figures and one JSON line.
"""

from __future__ import annotations

import argparse
import json
import random
import shutil
import statistics
import sys
import tempfile
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from tui.core.models import ParsedEntry, ParsedFeed  # noqa: E402
from tui.core.store import Store  # noqa: E402
from tui.core.stories import Doc, group, update_stories  # noqa: E402


def make_articles(count: int, seed: int = 1) -> list[tuple[str, str, int]]:
    """(title, html, seconds before now) for ``count`` articles over the last two days."""
    rng = random.Random(seed)
    vocabulary = [
        "".join(rng.choice("abcdefghijklmnopqrstuvwxyz") for _ in range(rng.randint(3, 10)))
        for _ in range(30_000)
    ]
    weights = [1 / (rank + 1) for rank in range(len(vocabulary))]
    made: list[tuple[str, list[str], int]] = []
    for index in range(count):
        age = int(index / count * 2 * 86400)
        if made and index % 3 == 2:  # another outlet's rewrite of a recent article
            title, paragraphs, _ = made[-rng.randint(1, min(len(made), 20))]
            lead = " ".join(rng.choices(vocabulary, weights, k=35))
            kept = paragraphs[1:]
            rng.shuffle(kept)
            made.append((" ".join(rng.choices(vocabulary, weights, k=9)), [lead, *kept[:4]], age))
            continue
        paragraphs = [" ".join(rng.choices(vocabulary, weights, k=60)) for _ in range(6)]
        made.append((" ".join(rng.choices(vocabulary, weights, k=9)), paragraphs, age))
    return [
        (title, "".join(f"<p>{p}</p>" for p in paragraphs), age) for title, paragraphs, age in made
    ]


def store_articles(store: Store, articles, now: datetime, feeds: int, start: int) -> None:
    feed_ids = [store.add_feed(f"https://outlet{n}.example/feed").id for n in range(feeds)]
    by_feed: dict[int, list[ParsedEntry]] = {}
    for offset, (title, html, age) in enumerate(articles):
        number = start + offset
        by_feed.setdefault(feed_ids[number % feeds], []).append(
            ParsedEntry(
                title=title,
                link=f"https://example.org/{number}",
                guid=str(number),
                published=now - timedelta(seconds=age),
                summary_html=html,
            )
        )
    for feed_id, entries in by_feed.items():
        store.apply_feed_update(feed_id, ParsedFeed("F", entries=tuple(entries)), now=now)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--articles", type=int, default=10_000)
    parser.add_argument("--new", type=int, default=500)
    parser.add_argument("--runs", type=int, default=3)
    args = parser.parse_args()
    now = datetime.now(UTC)
    articles = make_articles(args.articles + args.new)
    old, new = articles[args.new :], articles[: args.new]  # the newest arrive last
    docs = [
        Doc(n, title, html, int(now.timestamp()) - age) for n, (title, html, age) in enumerate(old)
    ]
    words = sum(len(html.split()) for _, html, _ in old) / len(old)
    print(f"{len(old)} articles of {words:.0f} words; {args.new} new")

    timings: dict[str, list[float]] = {"group": [], "first run": [], "incremental": []}
    stories = 0
    for _ in range(args.runs):
        started = time.perf_counter()
        found = group(docs)
        timings["group"].append(time.perf_counter() - started)
        stories = len(set(found.values()))
    base = Path(tempfile.mkdtemp(prefix="broadsheet-stories-"))
    try:
        template = base / "template.sqlite3"
        with Store(template) as store:
            store_articles(store, old, now, 60, args.new)
        for run in range(args.runs):
            path = base / f"run{run}.sqlite3"
            shutil.copy(template, path)
            with Store(path) as store:
                started = time.perf_counter()
                update_stories(store, now=now)
                timings["first run"].append(time.perf_counter() - started)
                store_articles(store, new, now, 60, 0)
                started = time.perf_counter()
                report = update_stories(store, now=now)
                timings["incremental"].append(time.perf_counter() - started)
            path.unlink()
    finally:
        shutil.rmtree(base)
    medians = {name: statistics.median(values) * 1000 for name, values in timings.items()}
    for name, value in medians.items():
        spread = ", ".join(f"{v * 1000:.0f}" for v in timings[name])
        print(f"{name:<12} {value:8.1f} ms  (runs: {spread})")
    print(f"{stories} stories; the {args.new} new were compared with {report.compared_with}")
    print(
        json.dumps(
            {
                "benchmark": "stories",
                "articles": len(old),
                "new": args.new,
                "median_ms": {k: round(v, 1) for k, v in medians.items()},
            }
        )
    )


if __name__ == "__main__":
    main()
