"""No command leaves a process behind once it has exited.

The command runs under a small parent that makes itself a "child subreaper" (Linux):
any process the command leaves running (or exiting unwaited-for) is handed to that
parent when the command exits, instead of to init, where nobody would see it.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import uuid

import pytest

from tests.feedserver import small_rss

pytestmark = pytest.mark.skipif(
    not sys.platform.startswith("linux"), reason="child subreapers are Linux's"
)

REAPER = r"""
import ctypes, json, os, subprocess, sys
PR_SET_CHILD_SUBREAPER = 36
assert ctypes.CDLL(None, use_errno=True).prctl(PR_SET_CHILD_SUBREAPER, 1, 0, 0, 0) == 0
done = subprocess.run(sys.argv[1:], capture_output=True, text=True, stdin=subprocess.DEVNULL)
# Whatever the command left behind is our child now, alive or a zombie not yet reaped.
me = str(os.getpid())
left = []
for pid in filter(str.isdigit, os.listdir("/proc")):
    try:
        with open(f"/proc/{pid}/stat") as stat:
            name, _, rest = stat.read().partition("(")[2].rpartition(")")
            fields = rest.split()
        with open(f"/proc/{pid}/cmdline", "rb") as cmdline:
            command = cmdline.read().replace(b"\0", b" ").decode(errors="replace")
    except OSError:
        continue
    if fields[1] == me:
        left.append(f"{pid} {name} ({fields[0]}): {command[:120]}")
print(json.dumps({"code": done.returncode, "stderr": done.stderr, "left": left}))
"""


def run_reaped(cli, data_dir, *args: str) -> dict:
    """Run ``broadsheet args`` under a subreaper; what it returned and what it left."""
    command = [sys.executable, "-m", "tui", "--config", str(cli.config), *args]
    completed = subprocess.run(
        [sys.executable, "-c", REAPER, *command],
        capture_output=True,
        text=True,
        timeout=120,
        env={**os.environ, "BROADSHEET_HOME": str(data_dir)},
    )
    assert completed.returncode == 0, completed.stderr
    return json.loads(completed.stdout)


@pytest.mark.parametrize("command", ["add", "refresh"])
def test_a_command_that_parses_feeds_leaves_no_process_behind(cli, data_dir, feed_server, command):
    path = f"procs-{uuid.uuid4().hex[:8]}.xml"
    feed_server.set_route(path, small_rss("Processes", 3))
    url = feed_server.url(path)
    if command == "refresh":
        assert cli("add", url).code == 0
        feed_server.set_route(path, small_rss("Processes", 5))  # changed: parsed again
        args = ["refresh", "--feed", url]
    else:
        args = ["add", url]
    outcome = run_reaped(cli, data_dir, *args)
    assert outcome["code"] == 0, outcome["stderr"]
    assert outcome["left"] == []
