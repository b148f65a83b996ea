"""Parsing in worker processes: results, errors crossing the boundary, time and memory
bounds, and recovery after a worker dies or hangs."""

from __future__ import annotations

import asyncio
import os
import pickle
import time
from pathlib import Path

import pytest

from tui.core.errors import BroadsheetError, NotAFeedError, ParseError
from tui.core.parse import parse_feed
from tui.core.parsepool import ParseLimits, ParserPool

# The module's pool starts once, on one worker (pytest-xdist keeps the group together).
pytestmark = pytest.mark.xdist_group("parsepool")

FEEDS = Path(__file__).resolve().parent.parent / "data" / "feeds"
FEED = (FEEDS / "reader" / "full.atom").read_bytes()
PAGE = (FEEDS / "ours" / "page.html").read_bytes()


def big_feed(items: int, body: int = 2_000) -> bytes:
    entries = "".join(
        f"<item><title>Item {n}</title><link>https://big.example/{n}</link>"
        f"<description>{'x' * body}</description></item>"
        for n in range(items)
    )
    return f'<rss version="2.0"><channel><title>Big</title>{entries}</channel></rss>'.encode()


@pytest.fixture(scope="module")
def pool():
    with ParserPool(ParseLimits(timeout=10, workers=2)) as shared:
        yield shared


@pytest.mark.parametrize("error", [ParseError("not a feed: x"), NotAFeedError("empty response")])
def test_errors_pickle_with_their_message(error: BroadsheetError) -> None:
    copy = pickle.loads(pickle.dumps(error))
    assert type(copy) is type(error)
    assert copy.message == error.message and str(copy) == str(error)


def test_nothing_starts_before_the_first_parse() -> None:
    with ParserPool() as idle:
        assert idle._executor is None
    assert idle._executor is None


async def test_parses_a_real_feed(pool: ParserPool) -> None:
    url = "https://feeds.example/full.atom"
    parsed = await pool.parse(FEED, {"content-type": "application/atom+xml"}, url)
    assert parsed == parse_feed(FEED, {"content-type": "application/atom+xml"}, url)
    assert parsed.title == "Example Feed" and len(parsed.entries) == 5


async def test_many_parses_at_once(pool: ParserPool) -> None:
    results = await asyncio.gather(*(pool.parse(FEED) for _ in range(20)))
    assert {len(result.entries) for result in results} == {5}


async def test_worker_errors_arrive_with_type_and_message(pool: ParserPool) -> None:
    with pytest.raises(NotAFeedError) as caught:
        await pool.parse(PAGE, {"content-type": "text/html"})
    assert caught.value.message == "this is a web page, not a feed"
    with pytest.raises(ParseError, match="^not a feed: malformed XML at line 1"):
        await pool.parse(b"<rss><channel><title>x</rss")
    assert len((await pool.parse(FEED)).entries) == 5  # the pool is still fine


def test_parse_sync(pool: ParserPool) -> None:
    assert pool.parse_sync(FEED).title == "Example Feed"
    with pytest.raises(NotAFeedError, match="^empty response$"):
        pool.parse_sync(b"")


async def test_a_slow_parse_times_out_and_the_pool_carries_on() -> None:
    slow = big_feed(4_000)  # about a second of feedparser time
    generous, short = ParseLimits(timeout=30, workers=1), ParseLimits(timeout=0.05, workers=1)
    with ParserPool(generous) as pool:
        # The worker starts first, so a busy machine's slow start-up is not timed below;
        # the 0.05 s limit is for the slow parse only (a small feed can take longer than
        # that on a loaded machine, which is not what this test is about).
        assert (await pool.parse(FEED)).title == "Example Feed"
        executor, generation = pool._current()
        pool.limits = short
        start = time.perf_counter()
        with pytest.raises(ParseError, match=r"^parsing took longer than 0\.05 s$"):
            await pool.parse(slow)
        assert time.perf_counter() - start < 5
        # The worker's own alarm stopped it: the parent killed nothing, and the same
        # worker parses the next feed.
        assert pool._current() == (executor, generation)
        pool.limits = generous
        assert (await pool.parse(FEED)).title == "Example Feed"
        assert pool._current() == (executor, generation)


async def test_a_hung_worker_is_killed_by_the_parent() -> None:
    with ParserPool(ParseLimits(timeout=1.0, workers=1)) as hung:
        hung.grace = -0.8  # the parent gives up after 0.2 s, before the worker's own alarm
        first_executor = hung._current()[0]
        start = time.perf_counter()
        with pytest.raises(ParseError, match="^parsing took longer than 1 s$"):
            await hung._run(time.sleep, 3)
        assert time.perf_counter() - start < 2
        assert hung._executor is None  # thrown away; the next parse starts a new one
        hung.grace = 5
        assert (await hung.parse(FEED)).title == "Example Feed"
        assert hung._current()[0] is not first_executor


async def test_a_dead_worker_fails_only_that_parse(pool: ParserPool) -> None:
    with pytest.raises(ParseError, match="stopped unexpectedly"):
        await pool._run(os._exit, 1)  # the worker dies (and dies again on the retry)
    others = await asyncio.gather(*(pool.parse(FEED) for _ in range(4)))
    assert all(result.title == "Example Feed" for result in others)


def test_memory_cap(tmp_path: Path) -> None:
    huge = big_feed(2_000, body=50_000)  # 100 MB of text; parsing makes several copies
    with ParserPool(ParseLimits(memory_mb=250, workers=1)) as capped:
        with pytest.raises(ParseError, match="^feed too large to parse within 250 MB$"):
            capped.parse_sync(huge)
        assert capped.parse_sync(FEED).title == "Example Feed"


async def test_cancelling_a_caller_does_not_break_the_pool(pool: ParserPool) -> None:
    task = asyncio.create_task(pool.parse(big_feed(2_000)))
    await asyncio.sleep(0.05)
    task.cancel()
    with pytest.raises(asyncio.CancelledError):
        await task
    assert (await pool.parse(FEED)).title == "Example Feed"
