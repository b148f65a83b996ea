"""Sync figures against a running Google Reader API server (a real FreshRSS over the farm).

For each account: the first sync into an empty archive, then a sync with nothing new,
each as the ``broadsheet sync --json`` a user runs: wall time, peak memory (the
process's max RSS) and the report. Prints a table and one JSON line.

A FreshRSS on loopback, as issue 12 describes it (its code unpacked OUTSIDE this
repository, e.g. /work/freshrss; never commit it):

    python3 ../shared/tools/feedfarm.py serve --feeds 200 --items 50 --port 0 \\
        --opml-file farm.opml --port-file farm.port
    cd /work/freshrss && php cli/prepare.php
    php cli/do-install.php --default-user admin --api-enabled --db-type sqlite \\
        --base-url http://127.0.0.1:8790/
    # first 40 outlines of farm.opml -> data/opml.xml, then:
    php cli/create-user.php --user small --password pass-small-123 --api-password api-small-123
    # all 200 outlines -> data/opml.xml, then the same for "big"
    php cli/actualize-user.php --user small; php cli/actualize-user.php --user big
    PHP_CLI_SERVER_WORKERS=4 php -S 127.0.0.1:8790 -t p

    python benchmarks/sync.py http://127.0.0.1:8790/api/greader.php \\
        small:api-small-123 big:api-big-123
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import tempfile
import time


def run(data_dir: str, *args: str, stdin: str | None = None) -> tuple[str, str, int]:
    """(stdout, stderr, exit code) of one CLI run."""
    command = [sys.executable, "-m", "tui", "--data-dir", data_dir, *args]
    done = subprocess.run(command, input=stdin, capture_output=True, text=True)
    return done.stdout, done.stderr, done.returncode


def measured(data_dir: str, *args: str) -> tuple[float, float, dict]:
    """(seconds, peak RSS in MB, JSON report) of one CLI run, the RSS from wait4."""
    command = [sys.executable, "-m", "tui", "--data-dir", data_dir, *args]
    started = time.perf_counter()
    child = subprocess.Popen(command, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL)
    assert child.stdout is not None
    out = child.stdout.read()
    _, status, usage = os.wait4(child.pid, 0)
    child.returncode = os.waitstatus_to_exitcode(status)
    elapsed = time.perf_counter() - started
    report = json.loads(out)
    if child.returncode:
        raise SystemExit(f"sync failed: {report.get('errors')}")
    return elapsed, usage.ru_maxrss / 1024, report


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("url", help="the server's Google Reader API address")
    parser.add_argument("accounts", nargs="+", metavar="USER:API_PASSWORD")
    parser.add_argument("--quiet-runs", type=int, default=3, help="syncs with nothing new")
    args = parser.parse_args()
    results = []
    for account in args.accounts:
        user, password = account.split(":", 1)
        with tempfile.TemporaryDirectory() as home:
            _, err, code = run(
                home,
                "sync",
                "setup",
                args.url,
                "--user",
                user,
                "--password-stdin",
                stdin=password + "\n",
            )
            if code:
                raise SystemExit(err.strip())
            first, first_mb, report = measured(home, "sync", "--json")
            quiet = [measured(home, "sync", "--json") for _ in range(args.quiet_runs)]
            row = {
                "user": user,
                "items": report["received"],
                "subscriptions": report["subscriptions"],
                "first_sync_s": round(first, 3),
                "first_sync_rss_mb": round(first_mb, 1),
                "nothing_new_s": round(sorted(q[0] for q in quiet)[len(quiet) // 2], 3),
                "nothing_new_rss_mb": round(max(q[1] for q in quiet), 1),
                "nothing_new_received": max(q[2]["received"] for q in quiet),
            }
            results.append(row)
            print(
                f"{user}: first sync of {row['items']} items in {row['first_sync_s']} s "
                f"({row['first_sync_rss_mb']} MB); nothing new {row['nothing_new_s']} s "
                f"({row['nothing_new_rss_mb']} MB)"
            )
    print(json.dumps({"benchmark": "sync", "results": results}))
    return 0


if __name__ == "__main__":
    sys.exit(main())
