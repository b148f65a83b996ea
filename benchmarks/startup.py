"""Time to the reader's first drawn screen with a large archive, next to a bare Textual app.

    python benchmarks/startup.py [--articles 100000] [--feeds 2000] [--runs 5]

Builds (once) a data dir of synthetic articles, then starts each app in a fresh
process and measures from process start to the first screen that shows data
(Textual's own ready hook plus the first article page), and the resident memory
at that point. Prints medians and one JSON line.
"""

from __future__ import annotations

import argparse
import json
import statistics
import subprocess
import sys
import tempfile
import textwrap
from datetime import UTC, datetime, timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]

READER = textwrap.dedent(
    """
    import time, sys, resource
    started = time.perf_counter()
    sys.path.insert(0, {root!r})
    from tui.app import BroadsheetApp
    from tui.core.config import load_config
    from tui.widgets.article_list import ArticleList

    class Probe(BroadsheetApp):
        def on_ready(self):
            self.set_interval(0.005, self.check)
        def check(self):
            try:
                articles = self.screen.query_one(ArticleList)
            except Exception:
                return
            if articles.articles:
                rss = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
                print(f"{{time.perf_counter() - started}} {{rss}}", file=sys.__stdout__)
                self.exit()

    app = Probe(load_config({config!r}, {home!r}, {{}}))
    app.run(headless=True, size=(120, 40))
    """
)

BARE = textwrap.dedent(
    """
    import time, sys, resource
    started = time.perf_counter()
    from textual.app import App
    from textual.widgets import Label

    class Bare(App):
        def compose(self):
            yield Label("hello")
        def on_ready(self):
            rss = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
            print(f"{time.perf_counter() - started} {rss}", file=sys.__stdout__)
            self.exit()

    Bare().run(headless=True, size=(120, 40))
    """
)


def build_archive(home: Path, articles: int, feeds: int) -> None:
    sys.path.insert(0, str(ROOT))
    from tui.core.archive import open_store
    from tui.core.models import ParsedEntry, ParsedFeed

    now = datetime.now(UTC)
    per_feed = articles // feeds
    body = "<p>" + "A sentence of a synthetic article body. " * 40 + "</p>"
    with open_store(home / "broadsheet.sqlite3") as store:
        for f in range(feeds):
            feed = store.add_feed(f"https://feeds{f % 40}.example/{f}.xml", tags=[f"tag{f % 12}"])
            entries = tuple(
                ParsedEntry(
                    title=f"Feed {f} story {i}",
                    guid=f"{f}-{i}",
                    link=f"https://site.example/{f}/{i}",
                    published=now - timedelta(minutes=f * 7 + i * 31),
                    content=body,
                )
                for i in range(per_feed)
            )
            store.apply_feed_update(feed.id, ParsedFeed(f"Feed {f}", entries=entries), now=now)


def measure(code: str) -> tuple[float, float]:
    result = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, timeout=120
    )
    lines = [line for line in result.stdout.splitlines() if line.strip()]
    if result.returncode or not lines:
        raise SystemExit(f"probe failed: {result.stderr[-2000:]}")
    seconds, rss = lines[-1].split()
    return float(seconds), float(rss)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--articles", type=int, default=100_000)
    parser.add_argument("--feeds", type=int, default=2_000)
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--data-dir", type=Path, help="reuse (or build) the archive here")
    args = parser.parse_args()
    sys.path.insert(0, str(ROOT))
    from benchmarks._bytecode import compile_package

    compile_package()
    home = args.data_dir or Path(tempfile.mkdtemp(prefix="broadsheet-startup-"))
    home.mkdir(parents=True, exist_ok=True)
    if not (home / "broadsheet.sqlite3").exists():
        print(f"building {args.articles} articles in {args.feeds} feeds under {home} ...")
        build_archive(home, args.articles, args.feeds)
    config = home / "config.toml"
    config.write_text("")
    reader_code = READER.format(root=str(ROOT), config=str(config), home=str(home))
    reader, bare = [], []
    for _ in range(args.runs):  # interleaved so both see the same machine load
        bare.append(measure(BARE))
        reader.append(measure(reader_code))
    summary = {
        "benchmark": "startup",
        "articles": args.articles,
        "runs": args.runs,
        "reader_first_screen_s": statistics.median(r[0] for r in reader),
        "bare_textual_s": statistics.median(b[0] for b in bare),
        "reader_rss_mb": statistics.median(r[1] for r in reader),
        "bare_rss_mb": statistics.median(b[1] for b in bare),
    }
    summary["extra_s"] = summary["reader_first_screen_s"] - summary["bare_textual_s"]
    print(
        f"reader first screen {summary['reader_first_screen_s']:.3f} s "
        f"(bare Textual {summary['bare_textual_s']:.3f} s, +{summary['extra_s']:.3f} s); "
        f"RSS {summary['reader_rss_mb']:.0f} MB (bare {summary['bare_rss_mb']:.0f} MB)"
    )
    print(json.dumps(summary))


if __name__ == "__main__":
    main()
