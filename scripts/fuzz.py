"""Run the fuzzing and text-integrity properties longer than CI does.

    python scripts/fuzz.py --examples 5000
    python scripts/fuzz.py --examples 20000 -k quotes

The properties live in tests/test_fuzz.py (the feed parser's fast path against
feedparser, the extractor, the sentence splitter, quotes, summaries, export file names)
and tests/test_text_integrity.py (text round-trips through parse, the archive, ``show``
and exports). Each runs ``--examples`` examples; a failure is shrunk by Hypothesis and
printed with the smallest example it found. Prints one line per property and a JSON line.
"""

from __future__ import annotations

import argparse
import json
import os
import re
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
FILES = ["tests/test_fuzz.py", "tests/test_text_integrity.py"]
_HEADER = re.compile(r"^(tests/\S+\.py)::(\w+):\s*$")
_COUNTS = re.compile(
    r"(\d+) passing(?: examples?)?, (\d+) failing(?: examples?)?,(?: and)? (\d+) invalid"
)
_RESULT = re.compile(r"^(tests/\S+\.py)::(\w+)\S* (PASSED|FAILED|ERROR)")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n", 1)[0])
    parser.add_argument("--examples", type=int, default=2000, help="per property (2000)")
    parser.add_argument("-k", metavar="EXPR", help="only the properties pytest -k selects")
    parser.add_argument("--seed", type=int, help="Hypothesis seed, to repeat a run")
    args = parser.parse_args(argv)

    # In this process (-n 0): the statistics and the lines parsed below are pytest's own,
    # which pytest-xdist's workers (the suite's default) would not print.
    command = [sys.executable, "-m", "pytest", *FILES, "-p", "no:cacheprovider", "-rN", "-n", "0"]
    command += ["-v", "--hypothesis-show-statistics", "--timeout", "0", "--show-capture=no"]
    if args.k:
        command += ["-k", args.k]
    if args.seed is not None:
        command += ["--hypothesis-seed", str(args.seed)]
    environment = {**os.environ, "BROADSHEET_FUZZ_EXAMPLES": str(args.examples)}
    started = time.monotonic()
    run = subprocess.run(command, cwd=ROOT, env=environment, capture_output=True, text=True)
    elapsed = time.monotonic() - started

    results: dict[str, dict[str, object]] = {}
    current = None
    for line in run.stdout.splitlines():
        if match := _RESULT.match(line):
            results.setdefault(match.group(2), {})["result"] = match.group(3).lower()
        elif match := _HEADER.match(line):
            current = results.setdefault(match.group(2), {})
        elif current is not None and (match := _COUNTS.search(line)):
            passing, failing, invalid = map(int, match.groups())
            current["passing"] = int(current.get("passing", 0)) + passing
            current["failing"] = int(current.get("failing", 0)) + failing
            current["invalid"] = int(current.get("invalid", 0)) + invalid
    for name, figures in results.items():
        if "passing" not in figures:
            continue  # a plain test beside the properties
        print(
            f"{name:<72} {figures.get('result', '?'):<7} "
            f"{figures.get('passing', 0):>7} passing {figures.get('failing', 0):>3} failing"
        )
    if run.returncode != 0:
        # The shrunk failing examples, as pytest printed them.
        print(run.stdout[-20000:])
        print(run.stderr[-4000:], file=sys.stderr)
    print(f"{elapsed:.0f} s")
    print(json.dumps({"examples": args.examples, "seconds": round(elapsed), "results": results}))
    return run.returncode


if __name__ == "__main__":
    sys.exit(main())
