"""Summary + quotes latency per article, median over a corpus of real news articles.

    python benchmarks/text.py ../shared/eval/summarization [--runs 5]

Uses the CNN/DailyMail and BBC articles of the evaluation set, and reports the median
time per article and per 1,000 words (each article timed ``--runs`` times, the
fastest kept to damp machine noise), with one JSON line at the end.
"""

from __future__ import annotations

import argparse
import json
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from tui.core.quotes import find_quotes  # noqa: E402
from tui.core.summarize import summarize  # noqa: E402


def articles(folder: Path) -> list[str]:
    texts = []
    for path in sorted(folder.rglob("*.jsonl")):
        for line in path.read_text(encoding="utf-8").splitlines():
            row = json.loads(line)
            text = row.get("article") or row.get("text") or ""
            if len(text.split()) >= 200:
                texts.append(text)
    return texts


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("folder", type=Path, help="shared/eval/summarization")
    parser.add_argument("--runs", type=int, default=5)
    args = parser.parse_args()
    corpus = articles(args.folder)
    if not corpus:
        raise SystemExit(f"no articles under {args.folder}")
    summarize(corpus[0])  # warm imports and caches
    per_article, per_thousand, words = [], [], []
    for text in corpus:
        best = float("inf")
        for _ in range(args.runs):
            started = time.perf_counter()
            summarize(text)
            find_quotes(text)
            best = min(best, time.perf_counter() - started)
        count = len(text.split())
        per_article.append(best * 1000)
        per_thousand.append(best * 1000 * 1000 / count)
        words.append(count)
    summary = {
        "benchmark": "text",
        "articles": len(corpus),
        "median_words": statistics.median(words),
        "median_ms_per_article": round(statistics.median(per_article), 2),
        "median_ms_per_1000_words": round(statistics.median(per_thousand), 2),
        "p95_ms_per_article": round(sorted(per_article)[int(len(per_article) * 0.95)], 2),
    }
    print(
        f"{summary['articles']} articles (median {summary['median_words']:.0f} words): "
        f"summary + quotes {summary['median_ms_per_article']} ms per article, "
        f"{summary['median_ms_per_1000_words']} ms per 1,000 words "
        f"(p95 {summary['p95_ms_per_article']} ms)"
    )
    print(json.dumps(summary))


if __name__ == "__main__":
    main()
