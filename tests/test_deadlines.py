"""A user's wait is bounded, whatever the server does: the interactive deadline.

The servers here never go silent long enough for ``read_timeout`` (set to a minute):
they drip their headers or body a byte every tenth of a second, or hold the
connection open. Only the overall deadline (half a second here) can end the wait.
"""

from __future__ import annotations

import time
import uuid

import pytest

from tests.feedserver import small_rss

DEADLINE = 0.5
SLACK = 8.0
"""Seconds beyond the deadline a command may take: start-up and a loaded machine."""
CONFIG = f"[fetch]\ninteractive_deadline = {DEADLINE}\nread_timeout = 60\ntotal_timeout = 120\n"


@pytest.fixture
def cli_deadline(cli):
    cli.config.write_text(CONFIG)
    return cli


def timed(cli, *args):
    started = time.monotonic()
    result = cli(*args)
    return result, time.monotonic() - started


def one_line(stderr: str) -> str:
    assert stderr.count("\n") == 1 and "Traceback" not in stderr, stderr
    return stderr


@pytest.mark.parametrize("route", ["drip-headers?every=0.1", "trickle?every=0.1"])
def test_add_gives_up_at_the_deadline_and_subscribes_nothing(cli_deadline, feed_server, route):
    result, elapsed = timed(cli_deadline, "add", feed_server.url(route))
    assert result.code == 1
    assert "interactive_deadline" in one_line(result.stderr)
    assert elapsed < DEADLINE + SLACK
    urls = [feed["url"] for feed in cli_deadline("feeds", "--json").json()]
    assert urls == ["broadsheet:welcome"]


@pytest.mark.parametrize(
    ("command", "route"),
    [
        ("summary", "hang"),
        ("quotes", "drip-headers?every=0.1"),
        ("show", "trickle?every=0.1"),
    ],
)
def test_a_page_that_never_answers_in_full_exits_1_in_time(
    cli_deadline, feed_server, command, route
):
    result, elapsed = timed(cli_deadline, command, feed_server.url(route))
    assert result.code == 1
    assert result.stdout == ""
    assert f"after {DEADLINE:g} s" in one_line(result.stderr)
    assert elapsed < DEADLINE + SLACK


def unhurried(cli, *args):
    """Run a setting-up command with the default deadline: a loaded machine's parser
    pool start-up alone can take longer than the tests' short one."""
    short = cli.config.read_text()
    cli.config.write_text("")
    try:
        return cli(*args)
    finally:
        cli.config.write_text(short)


def subscribe_to_teasers(cli, feed_server, pages: list[str]) -> list[int]:
    """A feed of one-line teasers linking to ``pages``; their article ids, in feed order."""
    prefix = uuid.uuid4().hex[:8]
    items = "".join(
        f"<item><title>Teaser {i}</title><link>{feed_server.url(page)}</link>"
        f"<guid>{prefix}-{i}</guid><description>Teaser text {i}.</description></item>"
        for i, page in enumerate(pages)
    )
    feed = (
        '<?xml version="1.0"?><rss version="2.0"><channel><title>Teasers</title>'
        f"<link>http://t.example/</link><description>d</description>{items}</channel></rss>"
    )
    feed_server.set_route(f"{prefix}/feed.xml", feed)
    url = feed_server.url(f"{prefix}/feed.xml")
    assert unhurried(cli, "add", url).code == 0
    listed = cli("articles", "--feed", url, "--json").json()
    by_title = {article["title"]: article["id"] for article in listed}
    return [by_title[f"Teaser {i}"] for i in range(len(pages))]


def test_show_of_a_teaser_whose_page_trickles_falls_back_to_the_feed_text(
    cli_deadline, feed_server
):
    [article] = subscribe_to_teasers(cli_deadline, feed_server, ["trickle?every=0.1&n=1"])
    result, elapsed = timed(cli_deadline, "show", str(article))
    assert result.code == 0
    assert "Teaser text 0." in result.stdout
    note = one_line(result.stderr)
    assert "note:" in note and "interactive_deadline" in note and "feed's text" in note
    assert elapsed < DEADLINE + SLACK
    # The failure is remembered: the next look does not wait again.
    again, elapsed = timed(cli_deadline, "summary", str(article))
    assert again.code == 0 and elapsed < SLACK


def test_an_export_waits_one_deadline_for_all_its_pages(cli_deadline, feed_server, tmp_path):
    pages = [f"trickle?every=0.1&n={n}" for n in range(3)] + ["drip-headers?n=4"]
    articles = subscribe_to_teasers(cli_deadline, feed_server, pages)
    folder = tmp_path / "out"
    result, elapsed = timed(cli_deadline, "export", *map(str, articles), "--to", str(folder))
    assert result.code == 0
    assert len(list(folder.iterdir())) == 4
    # Four slow pages, fetched together: one deadline, not four in a row.
    assert elapsed < 2 * DEADLINE + SLACK
    notes = result.stderr.splitlines()
    assert len(notes) == 4 and all("interactive_deadline" in note for note in notes)


def test_a_background_refresh_keeps_its_longer_limits(cli_deadline, feed_server):
    path = f"slow-{uuid.uuid4().hex[:8]}.xml"
    feed_server.set_route(path, small_rss("Slow", 2))
    assert unhurried(cli_deadline, "add", feed_server.url(path)).code == 0
    # Slower than the interactive deadline, well within the refresh's own limits.
    feed_server.set_route(path, small_rss("Slow", 3), delay=DEADLINE + 1)
    result = cli_deadline("refresh", "--feed", feed_server.url(path), "--json")
    assert result.code == 0, result.stderr
    assert result.json()["new_articles"] == 1
