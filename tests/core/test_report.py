"""The refresh report: what the CLI prints is what the reader reads back, typed."""

from __future__ import annotations

import subprocess
import sys

import pytest

from tui.core.errors import BroadsheetError
from tui.core.report import FeedOutcome, RefreshReport


def test_a_child_refresh_report_reads_back_feed_by_feed(cli, feed_server):
    good, bad = "report-good.xml", "report-bad.xml"
    feed_server.set_route(good, _rss(["one", "two"]))
    feed_server.set_route(bad, _rss(["x"]))
    assert cli("add", feed_server.url(good)).code == 0
    assert cli("add", feed_server.url(bad)).code == 0
    feed_server.set_route(bad, "oops", status=500, content_type="text/plain")
    feed_server.set_route(good, _rss(["one", "two", "three"]))

    result = cli("refresh", "--json", "--force")
    report = RefreshReport.from_json(result.json())
    outcomes = {o.url: o for o in report.outcomes}
    assert outcomes[feed_server.url(good)] == FeedOutcome(feed_server.url(good), "updated", 1)
    assert outcomes[feed_server.url(bad)].status == "failed"
    assert "500" in (outcomes[feed_server.url(bad)].error or "")
    # The totals the reader shows are the ones the CLI printed.
    printed = result.json()
    assert (report.failed, report.new_articles, len(report.outcomes)) == (
        printed["failed"],
        printed["new_articles"],
        printed["feeds"],
    )
    assert RefreshReport.from_json(report.to_json()) == report


@pytest.mark.parametrize(
    "data",
    [
        None,
        [],
        {"failed": 1},
        {"outcomes": [{"url": "https://x.example/", "status": "exploded"}]},
        {"outcomes": [{"url": 3, "status": "updated"}]},
        {"outcomes": ["updated"]},
    ],
)
def test_a_garbled_report_is_one_clear_error(data):
    with pytest.raises(BroadsheetError, match="refresh failed: unexpected report"):
        RefreshReport.from_json(data)


def test_reading_a_report_does_not_load_the_http_client():
    code = "import sys, tui.core.report\nprint('aiohttp' in sys.modules)\n"
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True)
    assert done.stdout.strip() == "False", done.stderr


def _rss(guids: list[str]) -> str:
    items = "".join(f"<item><title>{g}</title><guid>{g}</guid></item>" for g in guids)
    return f'<rss version="2.0"><channel><title>R</title>{items}</channel></rss>'
