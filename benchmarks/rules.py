"""What rules cost a refresh of 25,000 new articles.

    python benchmarks/rules.py [--feeds 500] [--items 50] [--runs 3]

Stores ``--feeds`` x ``--items`` new articles of ~300 words (as a cold refresh of the
farm does, one transaction per feed), then applies a rule set like the issue's to
them, as ``refresh`` does after storing: a title regex that hides, an author that marks
read, a feed plus text regex that tags, a word and a phrase. Prints the median time of
each, the rules' cost as a share of storing, and one JSON line. Compare the rules'
time with a whole cold refresh too (``benchmarks/refresh.py``: 3.82 s on the farm).
"""

from __future__ import annotations

import argparse
import json
import random
import statistics
import sys
import tempfile
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from tui.core.models import ParsedEntry, ParsedFeed  # noqa: E402
from tui.core.query import parse_query  # noqa: E402
from tui.core.rules import Rule, run_rules  # noqa: E402
from tui.core.store import Store  # noqa: E402

RULES = [
    ("title:/crypto|nft/i", "hide"),
    ("author:Bot", "read"),
    ("feed:https://feed7.example/ text:/election/", "tag:politics"),
    ("ferry", "tag:transport"),
    ('"harbour council"', "tag:local"),
]


def feeds_of(count: int, items: int, seed: int = 3) -> list[list[ParsedEntry]]:
    rng = random.Random(seed)
    words = "the council voted ferry harbour election crypto market bank storm rain team".split()
    words += [f"w{n}" for n in range(3000)]
    now = datetime.now(UTC)
    feeds = []
    for feed in range(count):
        entries = []
        for item in range(items):
            paragraphs = [" ".join(rng.choices(words, k=60)) for _ in range(5)]
            entries.append(
                ParsedEntry(
                    title=" ".join(rng.choices(words, k=8)).capitalize(),
                    link=f"https://feed{feed}.example/{item}",
                    guid=f"{feed}-{item}",
                    author="NewsBot" if item % 10 == 0 else f"Reporter {item % 7}",
                    published=now - timedelta(minutes=feed * items + item),
                    summary_html="".join(f"<p>{p}</p>" for p in paragraphs),
                )
            )
        feeds.append(entries)
    return feeds


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--feeds", type=int, default=500)
    parser.add_argument("--items", type=int, default=50)
    parser.add_argument("--runs", type=int, default=3)
    args = parser.parse_args()
    documents = feeds_of(args.feeds, args.items)
    rules = [Rule(str(n), parse_query(q), a) for n, (q, a) in enumerate(RULES, start=1)]
    storing, applying = [], []
    matched = 0
    for run in range(args.runs):
        with tempfile.TemporaryDirectory() as home, Store(Path(home) / "b.sqlite3") as store:
            ids = [store.add_feed(f"https://feed{n}.example/").id for n in range(args.feeds)]
            now = datetime.now(UTC)
            started = time.perf_counter()
            for feed_id, entries in zip(ids, documents, strict=True):
                store.apply_feed_update(feed_id, ParsedFeed("F", entries=tuple(entries)), now=now)
            storing.append(time.perf_counter() - started)
            started = time.perf_counter()
            outcome = run_rules(store, rules, after_id=0)
            applying.append(time.perf_counter() - started)
            matched = outcome.total
        print(f"run {run + 1}: storing {storing[-1]:.2f} s, rules {applying[-1] * 1000:.0f} ms")
    store_s, rules_s = statistics.median(storing), statistics.median(applying)
    count = args.feeds * args.items
    print(f"{count} new articles, {len(rules)} rules, {matched} matched")
    print(f"storing {store_s:.2f} s; rules {rules_s * 1000:.0f} ms = {rules_s / store_s:.1%} of it")
    print(f"against the 3.82 s cold refresh of the farm: {rules_s / 3.82:.1%}")
    print(
        json.dumps(
            {
                "benchmark": "rules",
                "articles": count,
                "rules": len(rules),
                "storing_s": round(store_s, 3),
                "rules_ms": round(rules_s * 1000, 1),
                "share_of_storing": round(rules_s / store_s, 4),
            }
        )
    )


if __name__ == "__main__":
    main()
