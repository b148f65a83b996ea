"""`broadsheet sync ...`, `mark` and `refresh` with an account, end to end: the CLI in a
subprocess against the loopback Google Reader API server (tests/greader_server.py)."""

from __future__ import annotations

import json
import os
import signal
import socket
import stat
import subprocess
import sys
import time

import pytest

from tests.greader_server import GReaderServer
from tests.test_cli import assert_one_clean_line, rss, unique


@pytest.fixture
def server():
    with GReaderServer(page_limit=200) as running:
        running.add_user("ana", "app-password")
        yield running


def setup(cli, server, password: str = "app-password"):
    return cli_input(cli, password + "\n", "sync", "setup", server.url, "--user", "ana")


def cli_input(cli, text: str, *args: str):
    """The CLI with ``text`` on standard input (the fixture's runs get none)."""
    env = {**os.environ, "BROADSHEET_HOME": cli.data_dir}
    completed = subprocess.run(
        [sys.executable, "-m", "tui", "--config", str(cli.config), *args, "--password-stdin"],
        input=text,
        capture_output=True,
        text=True,
        timeout=60,
        env=env,
    )
    return completed


@pytest.fixture
def cli(cli, data_dir):
    cli.data_dir = str(data_dir)
    return cli


def synced_articles(cli) -> list[dict]:
    listed = cli("articles", "--json", "--limit", "5000").json()
    return [a for a in listed if a["feed_url"] != "broadsheet:welcome"]


def test_setup_wrong_then_right_password_keeps_only_the_token(cli, server, data_dir):
    wrong = setup(cli, server, "nope")
    assert wrong.returncode == 1
    assert_one_clean_line(wrong.stderr)
    assert "refused the user name or password" in wrong.stderr
    assert not (data_dir / "sync.json").exists()

    right = setup(cli, server)
    assert right.returncode == 0, right.stderr
    saved = data_dir / "sync.json"
    assert stat.S_IMODE(saved.stat().st_mode) == 0o600
    content = saved.read_text()
    assert "app-password" not in content and json.loads(content)["auth"].startswith("ana/")
    status = cli("sync", "status", "--json").json()
    assert status["account"] == {"url": server.url, "user": "ana"}
    assert status["pending"] == 0 and status["last_sync"] is None


def test_setup_against_what_is_not_a_google_reader_api(cli, feed_server):
    result = cli_input(cli, "pw\n", "sync", "setup", feed_server.url("/files/"), "--user", "ana")
    assert result.returncode == 1
    assert_one_clean_line(result.stderr)
    assert "does not answer as a Google Reader API" in result.stderr


def test_setup_against_an_unreachable_server(cli):
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    url = f"http://127.0.0.1:{port}/api/greader.php"
    result = cli_input(cli, "pw\n", "sync", "setup", url, "--user", "a")
    assert result.returncode == 1
    assert_one_clean_line(result.stderr)
    assert "cannot connect to 127.0.0.1" in result.stderr


def test_setup_against_an_untrusted_certificate(cli, tls_server):
    url = tls_server.url("/api/greader.php").replace("http://", "https://")
    result = cli_input(cli, "pw\n", "sync", "setup", url, "--user", "a")
    assert result.returncode == 1
    assert_one_clean_line(result.stderr)
    assert "TLS" in result.stderr or "certificate" in result.stderr


def test_sync_json_mark_and_everything_works_on_synced_articles(cli, server, tmp_path):
    stream = server.add_feed("https://news.example/rss", "News", label="Daily")
    ids = server.add_items(stream, 12)
    server.set_item(ids[-1], starred=True)
    assert setup(cli, server).returncode == 0

    result = cli("sync", "--json")
    assert result.code == 0, result.stderr
    report = result.json()
    assert set(report) == {"sent", "received", "updated", "pending", "subscriptions", "errors"}
    assert (report["received"], report["subscriptions"], report["errors"]) == (12, 1, [])
    feeds = {f["url"]: f for f in cli("feeds", "--json").json()}
    assert feeds["https://news.example/rss"]["tags"] == ["Daily"]
    articles = synced_articles(cli)
    assert len(articles) == 12 and sum(a["bookmarked"] for a in articles) == 1

    first = articles[0]["id"]
    assert cli("show", str(first)).code == 0
    assert cli("summary", str(first), "--json").code == 0
    assert cli("quotes", str(first), "--json").code == 0
    exported = cli("export", str(first), "--to", str(tmp_path / "out"))
    assert exported.code == 0 and (tmp_path / "out").iterdir()

    marked = cli("mark", str(articles[0]["id"]), str(articles[1]["id"]), "--read")
    assert marked.code == 0 and "2 changes go to the server" in marked.stdout
    assert cli("bookmark", str(articles[2]["id"]), "--note", "mine").code == 0
    assert cli("sync", "status", "--json").json()["pending"] == 3

    sent = cli("sync", "--json").json()
    assert (sent["sent"], sent["pending"]) == (3, 0)
    by_link = {server.item(i).link: server.item(i) for i in ids}
    assert by_link[articles[0]["link"]].read and by_link[articles[1]["link"]].read
    assert by_link[articles[2]["link"]].starred

    assert cli("mark", str(articles[0]["id"]), "--unread").code == 0
    assert cli("sync").code == 0
    assert not by_link[articles[0]["link"]].read


def test_mark_works_on_local_articles_and_rejects_unknown_ids(cli):
    welcome = cli("articles", "--json").json()
    ids = [str(a["id"]) for a in welcome[:2]]
    assert cli("mark", *ids, "--read").code == 0
    assert all(a["read"] for a in cli("articles", "--json").json() if str(a["id"]) in ids)
    missing = cli("mark", "999999", "--read")
    assert missing.code == 1
    assert_one_clean_line(missing.stderr)
    assert cli("mark", "1").code == 2  # --read or --unread is required


def test_offline_the_change_waits_across_restarts_and_goes_out_later(cli, server):
    stream = server.add_feed("https://news.example/rss", "News")
    ids = server.add_items(stream, 3)
    setup(cli, server)
    cli("sync")
    article = synced_articles(cli)[0]
    server.stop()

    assert cli("mark", str(article["id"]), "--read").code == 0
    offline = cli("sync", "--json")
    assert offline.code == 1
    assert_one_clean_line(offline.stderr)
    assert "1 changes wait" in offline.stderr
    assert offline.json()["pending"] == 1
    assert next(a for a in synced_articles(cli) if a["id"] == article["id"])["read"]
    assert cli("sync", "status", "--json").json()["pending"] == 1  # a new process: still queued

    server.start()
    back = cli("sync", "--json").json()
    assert (back["sent"], back["pending"], back["errors"]) == (1, 0, [])
    item = next(server.item(i) for i in ids if server.item(i).link == article["link"])
    assert item.read


def test_kill_9_in_the_middle_of_a_sync_loses_nothing(cli, server, data_dir):
    stream = server.add_feed("https://news.example/rss", "News")
    server.add_items(stream, 3)
    setup(cli, server)
    cli("sync")
    article = synced_articles(cli)[0]
    cli("mark", str(article["id"]), "--read")
    # A big batch of new items served slowly: the sync is killed while downloading.
    server.add_items(stream, 2000)
    server.contents_delay = 0.3
    env = {**os.environ, "BROADSHEET_HOME": str(data_dir)}
    child = subprocess.Popen(
        [sys.executable, "-m", "tui", "--config", str(cli.config), "sync"],
        env=env,
        stdin=subprocess.DEVNULL,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    deadline = time.monotonic() + 30
    while server.count("stream/items/contents") < 3 and time.monotonic() < deadline:
        time.sleep(0.05)
    os.kill(child.pid, signal.SIGKILL)
    child.wait()
    server.contents_delay = 0

    status = cli("sync", "status", "--json").json()
    assert status["pending"] == 0  # the read went out before the downloads began
    on_server = [item for item in server.state.items.values() if item.link == article["link"]]
    assert on_server[0].read
    partial = len(synced_articles(cli))
    assert 3 < partial < 2003
    done = cli("sync", "--json").json()
    assert done["errors"] == [] and done["received"] == 2003 - partial
    assert len(synced_articles(cli)) == 2003


def test_refresh_syncs_and_leaves_server_feeds_to_the_server(cli, server, feed_server):
    origin = feed_server.url(unique("origin") + ".xml")
    feed_server.set_route(origin.rsplit("/", 1)[1], rss("Origin", [("o1", "From origin")]))
    local = feed_server.url(unique("local") + ".xml")
    feed_server.set_route(local.rsplit("/", 1)[1], rss("Local", [("l1", "Local story")]))
    assert cli("add", local).code == 0  # before the account: stays local
    stream = server.add_feed(origin, "Origin on the server")
    server.add_items(stream, 4)
    setup(cli, server)
    feed_server.reset()

    result = cli("refresh", "--json", "--force")

    assert result.code == 0, result.stderr
    report = result.json()
    assert report["sync"]["received"] == 4
    asked = [r.path for r in feed_server.requests]
    assert any(local.rsplit("/", 1)[1] in p for p in asked)
    assert not any(origin.rsplit("/", 1)[1] in p for p in asked)
    assert {o["url"] for o in report["outcomes"]} == {local, "broadsheet:welcome"}


def test_refresh_with_the_server_down_still_fetches_local_feeds(cli, server, feed_server):
    local = feed_server.url(unique("local") + ".xml")
    feed_server.set_route(local.rsplit("/", 1)[1], rss("Local", [("l1", "Local story")]))
    cli("add", local)
    setup(cli, server)
    server.stop()
    feed_server.reset()
    result = cli("refresh", "--json", "--force")
    assert result.code == 1
    assert_one_clean_line(result.stderr)
    assert result.stderr.startswith("broadsheet: sync: cannot connect")
    assert result.json()["updated"] + result.json()["not_modified"] >= 1


def test_add_and_remove_go_through_the_server(cli, server, feed_server):
    url = feed_server.url(unique("added") + ".xml")
    feed_server.set_route(url.rsplit("/", 1)[1], rss("Added", [("a1", "One"), ("a2", "Two")]))
    setup(cli, server)
    added = cli("add", url)
    assert added.code == 0, added.stderr
    assert [f.url for f in server.state.feeds.values()] == [url]
    status = cli("sync", "status", "--json").json()
    assert status["subscriptions"] == 1 and status["pending"] == 0

    removed = cli("remove", url)
    assert removed.code == 0, removed.stderr
    assert server.state.feeds == {}
    assert url not in {f["url"] for f in cli("feeds", "--json").json()}


def test_sync_off_forgets_the_account_and_keeps_the_articles(cli, server, data_dir):
    stream = server.add_feed("https://news.example/rss", "News")
    server.add_items(stream, 5)
    setup(cli, server)
    cli("sync")
    off = cli("sync", "off")
    assert off.code == 0 and "stay in the archive" in off.stdout
    assert not (data_dir / "sync.json").exists()
    assert len(synced_articles(cli)) == 5
    assert cli("sync", "status", "--json").json()["account"] is None
    again = cli("sync")
    assert again.code == 1
    assert_one_clean_line(again.stderr)
    assert "sync setup" in again.stderr


def test_the_readers_refresh_child_syncs_shows_item_progress_and_reports_offline(
    cli, server, data_dir
):
    from tui.core.config import load_config
    from tui.refresh_process import run_refresh

    stream = server.add_feed("https://news.example/rss", "News")
    server.add_items(stream, 600)
    setup(cli, server)
    config = load_config(str(cli.config), str(data_dir))
    seen = []

    report = run_refresh(config, progress=seen.append)

    assert report.sync_error is None
    items = [p for p in seen if p.unit == "items"]
    assert items and items[-1].done == items[-1].total == 600
    assert len(synced_articles(cli)) == 600

    article = synced_articles(cli)[0]
    cli("mark", str(article["id"]), "--read")
    server.stop()
    offline = run_refresh(config)
    assert offline.sync_error.startswith("cannot connect to 127.0.0.1")
    assert offline.sync_pending == 1


async def test_the_reader_syncs_on_R_says_quietly_when_offline_and_names_a_lost_login(
    cli, server, data_dir, tmp_path
):
    from tests.ui.conftest import build_app, settle
    from tui.widgets.article_list import ArticleList

    stream = server.add_feed("https://news.example/rss", "News")
    server.add_items(stream, 30, title="Synced story")
    setup(cli, server)
    app = build_app(data_dir, tmp_path)
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(app, pilot)
        await pilot.press("R")
        await settle(app, pilot)
        listed = [a.title for a in app.screen.query_one(ArticleList).articles]
        assert sum("Synced story" in title for title in listed) == 30
        server.stop()
        notes: list[str] = []
        app.notify = lambda message, **kw: notes.append(str(message))  # type: ignore[method-assign]
        await pilot.press("R")
        await settle(app, pilot)
        offline = "sync: cannot connect to 127.0.0.1"
        assert any(offline in n and "(0 changes wait)" in n for n in notes), notes
        # A login the server no longer takes is not "offline": it says what to do.
        server.start()
        server.expire_auth()
        notes.clear()
        await pilot.press("R")
        await settle(app, pilot)
        assert any("run `broadsheet sync setup` again" in n for n in notes), notes
