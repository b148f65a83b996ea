"""``broadsheet serve`` as a process: one line out, the token enforced, a clean stop.

A tab here is the page's side of the websocket (tests/serve/conftest.py's ``Tab``),
so these run without a browser; test_browser.py repeats the essentials in Chromium.
"""

from __future__ import annotations

import asyncio
import json
import re
import signal
import sqlite3
import subprocess
import sys
import time
import urllib.error
import urllib.request

import pytest

from tests.serve.conftest import (
    Tab,
    broadsheet_json,
    children_of,
    serve_command,
    serve_env,
    start_serve,
)

linux_only = pytest.mark.skipif(not sys.platform.startswith("linux"), reason="uses /proc")


def fetch(url: str, cookie: str | None = None) -> tuple[int, str]:
    request = urllib.request.Request(url, headers={"Cookie": cookie} if cookie else {})
    try:
        with urllib.request.urlopen(request, timeout=10) as response:
            return response.status, response.read().decode(errors="replace")
    except urllib.error.HTTPError as refused:
        return refused.code, refused.read().decode(errors="replace")


def test_serve_prints_one_line_the_address_with_its_token(served):
    assert re.fullmatch(r"http://127\.0\.0\.1:\d+/\?token=[A-Za-z0-9_-]{43}", served.url)
    status, page = fetch(served.url)
    assert status == 200 and "textual-terminal" in page
    assert served.stop(signal.SIGINT) == 0
    assert served.lines == [served.url + "\n"]  # and nothing more on stdout, ever


def test_each_run_has_its_own_token(data_dir, serve_config):
    first = start_serve(serve_command(serve_config), serve_env(data_dir))
    second = start_serve(serve_command(serve_config), serve_env(data_dir))
    try:
        assert first.token != second.token
        # A token is good for its own server only.
        assert fetch(f"{second.base}/?token={first.token}")[0] == 403
    finally:
        assert first.stop() == 0 and second.stop() == 0


def test_a_token_from_the_config_is_used(data_dir, tmp_path):
    config = tmp_path / "fixed.toml"
    config.write_text('[serve]\ntoken = "my-own-long-token-123"\n')
    running = start_serve(serve_command(config), serve_env(data_dir))
    try:
        assert running.token == "my-own-long-token-123"
        assert fetch(running.url)[0] == 200
    finally:
        running.stop()


def test_a_short_token_in_the_config_is_refused_in_one_line(cli, tmp_path):
    cli.config.write_text('[serve]\ntoken = "1234"\n')
    result = cli("serve", "--port", "0")
    assert result.code == 1
    assert result.stdout == ""
    assert result.stderr.count("\n") == 1 and "serve.token must be at least 16" in result.stderr


@linux_only
def test_without_the_token_everything_is_refused_and_no_reader_starts(served):
    assert fetch(served.base + "/")[0] == 403
    assert fetch(served.base + "/static/js/textual.js")[0] == 403
    assert fetch(served.base + "/?token=wrong")[0] == 403

    async def websocket_without_token() -> int:
        import aiohttp

        async with aiohttp.ClientSession() as session:
            try:
                await session.ws_connect(served.base + "/ws", headers={"Origin": served.base})
            except aiohttp.WSServerHandshakeError as refused:
                return refused.status
        return 101

    assert asyncio.run(websocket_without_token()) == 403
    time.sleep(0.3)
    assert children_of(served.process.pid) == []


def test_the_page_loads_nothing_from_elsewhere(served):
    _, page = fetch(served.url)
    addresses = re.findall(r"""(?:src|href|url)\s*[=(]\s*["']?([^"')\s>]+)""", page)
    assert addresses, page
    own = (served.base + "/", "ws" + served.base.removeprefix("http") + "/")
    foreign = [a for a in addresses if "://" in a and not a.startswith(own)]
    assert foreign == []
    # The font textual-serve's page asked Google for comes from the server itself.
    font = re.search(r'url\("([^"]+RobotoMono[^"]+)"\)', page)
    assert font is not None
    assert fetch(font.group(1), f"broadsheet-token-{served.port}={served.token}")[0] == 200


def test_listening_beyond_loopback_warns_that_traffic_is_not_encrypted(data_dir, serve_config):
    running = start_serve(serve_command(serve_config, "--host", "0.0.0.0"), serve_env(data_dir))
    try:
        assert running.url.startswith("http://") and "token=" in running.url
        # It answers on loopback too (every interface); the token is still needed.
        assert fetch(f"http://127.0.0.1:{running.port}/")[0] == 403
    finally:
        assert running.stop() == 0
    warning = "".join(running.stderr)
    assert "without encryption" in warning and "TLS" in warning


def test_a_port_in_use_is_one_line_and_exit_1(cli, served):
    result = cli("serve", "--port", str(served.port))
    assert result.code == 1
    assert result.stdout == ""
    assert f"cannot listen on 127.0.0.1:{served.port}" in result.stderr
    assert result.stderr.count("\n") == 1


def test_a_bad_port_is_a_usage_error(cli):
    result = cli("serve", "--port", "http")
    assert result.code == 2 and "not a port number" in result.stderr


async def test_a_tab_runs_the_reader_on_the_archive(served, news, serve_config, data_dir):
    async with Tab(served) as tab:
        await tab.wait_for("Loopback News item 1")
        await tab.press("\t")  # to the articles
        await tab.wait_for("Loopback News item 1", since=tab.mark())
        mark = tab.mark()
        await tab.press("b")
        await tab.wait_for("Bookmarked.", since=mark)
    bookmarks = broadsheet_json(serve_config, data_dir, "bookmarks")
    assert [b["title"] for b in bookmarks] == ["Loopback News item 1"]


async def test_nothing_is_lost_when_a_tab_closes_in_the_middle_of_writes(
    served, news, serve_config, data_dir
):
    async with Tab(served) as tab:
        await tab.wait_for("Loopback News item 1")
        await tab.press("\t")
        await tab.wait_for("Loopback News item 1", since=tab.mark())
        # Bookmark each article, marking it read and unread many times on the way: a
        # queue of writes. Keys are handled in order, so once `t` has changed the theme
        # every write above was asked for; the tab closes at once, the writes still going.
        mark = tab.mark()
        await tab.press(*("b" + "m" * 40 + "j") * 3, "t")
        await tab.wait_for("Theme:", since=mark)
    # The reader finishes its queued writes before it quits.
    deadline = time.monotonic() + 20
    while children_of(served.process.pid) and time.monotonic() < deadline:
        await asyncio.sleep(0.1)
    articles = broadsheet_json(serve_config, data_dir, "articles", "--feed", news)
    assert [(a["bookmarked"], a["read"]) for a in articles] == [(True, False)] * 3


REAPER = r"""
import ctypes, json, os, signal, subprocess, sys
PR_SET_CHILD_SUBREAPER = 36
assert ctypes.CDLL(None, use_errno=True).prctl(PR_SET_CHILD_SUBREAPER, 1, 0, 0, 0) == 0
# In a group of its own, like a command started in a terminal.
serve = subprocess.Popen(sys.argv[1:], stdout=subprocess.PIPE, text=True, process_group=0)
print(serve.stdout.readline(), end="", flush=True)
signame, _, whom = sys.stdin.readline().strip().partition(" ")
if whom == "group":  # Ctrl+C: the terminal signals every process of the group
    os.killpg(serve.pid, getattr(signal, signame))
else:
    serve.send_signal(getattr(signal, signame))
code = serve.wait(60)
# Whatever serve left behind is our child now, alive or a zombie not yet reaped.
left = []
for pid in filter(str.isdigit, os.listdir("/proc")):
    try:
        with open(f"/proc/{pid}/stat") as stat:
            rest = stat.read().rpartition(")")[2].split()
        with open(f"/proc/{pid}/cmdline", "rb") as cmdline:
            command = cmdline.read().replace(b"\0", b" ").decode(errors="replace")
    except OSError:
        continue
    if rest[1] == str(os.getpid()):
        left.append(f"{pid} ({rest[0]}): {command[:160]}")
print(json.dumps({"code": code, "left": left}), flush=True)
"""


@linux_only
@pytest.mark.parametrize("signal_to", ["SIGINT group", "SIGTERM serve"])
async def test_stopping_leaves_no_process_behind_even_with_tabs_refreshing(
    feed_server, news, serve_config, data_dir, signal_to
):
    """Ctrl+C reaches serve, the readers and their refreshes at once; SIGTERM serve alone."""
    reaper = subprocess.Popen(
        [sys.executable, "-c", REAPER, *serve_command(serve_config)],
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        text=True,
        env=serve_env(data_dir),
    )
    assert reaper.stdin is not None and reaper.stdout is not None
    from tests.serve.conftest import Served

    served = Served(reaper, reaper.stdout.readline().strip())
    # The feed now answers slowly: the tabs' refreshes are still running when we stop.
    path = news.rsplit("/", 1)[1]
    feed_server.set_route(path, b"<rss/>", delay=30)
    tabs = [Tab(served), Tab(served)]
    for tab in tabs:
        await tab.__aenter__()
    for tab in tabs:
        await tab.wait_for("Loopback News item 1")
        await tab.press("R")
    deadline = time.monotonic() + 20
    while feed_server.in_flight < 1 and time.monotonic() < deadline:
        await asyncio.sleep(0.1)
    # One refresh waits for the feed; the other tab's was told one is running (one
    # refresh at a time per archive).
    assert feed_server.in_flight == 1
    started = time.monotonic()
    reaper.stdin.write(signal_to + "\n")
    reaper.stdin.flush()
    outcome = json.loads(await asyncio.to_thread(reaper.stdout.readline))
    stopped_in = time.monotonic() - started
    for tab in tabs:
        await asyncio.wait_for(tab.closed.wait(), 10)  # the server closed the tabs
        await tab.close()
    reaper.wait(10)
    assert outcome == {"code": 0, "left": []}
    assert stopped_in < 15
    with sqlite3.connect(data_dir / "broadsheet.sqlite3") as db:
        assert db.execute("PRAGMA integrity_check").fetchone() == ("ok",)


async def test_behind_a_tls_proxy_the_page_uses_the_public_address(data_dir, serve_config):
    """What a proxy in front sees: the page points at wss://, the cookie is Secure, and
    the websocket must come from the public origin (the proxy passes Origin on)."""
    import aiohttp
    from aiohttp.test_utils import unused_port

    public, port = "https://news.example.net", unused_port()
    command = serve_command(serve_config, "--public-url", public + "/", "--port", str(port))
    running = await asyncio.to_thread(start_serve, command, serve_env(data_dir))
    try:
        assert running.url.startswith(public + "/?token=")
        token = running.token
        direct = f"http://127.0.0.1:{port}"
        async with aiohttp.ClientSession() as session:
            async with session.get(f"{direct}/?token={token}") as response:
                page = await response.text()
                cookie = response.headers["Set-Cookie"]
            assert "wss://news.example.net/ws" in page
            assert "secure" in cookie.lower()
            for origin, expected in ((public, 101), (direct, 403)):
                headers = {"Origin": origin, "Cookie": cookie.split(";")[0]}
                try:
                    ws = await session.ws_connect(f"{direct}/ws", headers=headers)
                except aiohttp.WSServerHandshakeError as refused:
                    assert refused.status == expected == 403
                else:
                    assert expected == 101
                    await ws.close()
    finally:
        assert await asyncio.to_thread(running.stop) == 0
