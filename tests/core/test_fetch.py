"""core.fetch against a real loopback server with real aiohttp: no mocks."""

from __future__ import annotations

import asyncio
import hashlib
import socket
import time
import tracemalloc
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from tests.feedserver import FeedServer, gzip_bomb, small_rss
from tui import __version__
from tui.core.errors import (
    FetchError,
    FetchTimeoutError,
    HTTPStatusError,
    TooLargeError,
    TooManyRedirectsError,
    UnsupportedURLError,
)
from tui.core.fetch import FEED_ACCEPT, Fetcher, FetchLimits, fetch_once, parse_retry_after

DATA = Path(__file__).parent.parent / "data"
SAMPLE = "files/http/sample.xml"
SAMPLE_BYTES = (DATA / "http" / "sample.xml").read_bytes()
MB = 1024 * 1024


async def get(url: str, limits: FetchLimits | None = None, **kw):
    async with Fetcher(limits) as fetcher:
        return await fetcher.fetch(url, **kw)


# -- success and conditional GET ---------------------------------------------------------


async def test_200_returns_body_and_validators(feed_server):
    result = await get(feed_server.url(SAMPLE))

    assert result.status == 200
    assert result.content == SAMPLE_BYTES
    assert result.etag == '"' + hashlib.sha1(SAMPLE_BYTES).hexdigest() + '"'
    assert result.last_modified and result.last_modified.endswith("GMT")
    assert result.final_url == result.url == feed_server.url(SAMPLE)
    assert result.redirects == ()
    assert result.permanent_url is None
    assert result.headers["content-type"] == "application/rss+xml"
    assert all(name == name.lower() for name in result.headers)


async def test_second_fetch_with_validators_is_one_304(feed_server):
    first = await get(feed_server.url(SAMPLE))
    feed_server.reset()

    second = await get(feed_server.url(SAMPLE), etag=first.etag, last_modified=first.last_modified)

    assert second.status == 304 and second.not_modified
    assert second.content is None
    assert (second.etag, second.last_modified) == (first.etag, first.last_modified)
    [request] = feed_server.requests
    assert request.status == 304
    assert request.headers["if-none-match"] == first.etag
    assert request.headers["if-modified-since"] == first.last_modified
    assert "etag" not in request.headers


async def test_if_modified_since_alone_gives_304(feed_server):
    first = await get(feed_server.url(SAMPLE))
    second = await get(feed_server.url(SAMPLE), last_modified=first.last_modified)
    assert second.status == 304


async def test_changed_route_gives_200_with_new_validators(feed_server):
    feed_server.set_route("/fetch/changing.xml", small_rss("One"))
    first = await get(feed_server.url("/fetch/changing.xml"))
    feed_server.set_route("/fetch/changing.xml", small_rss("Two"))

    second = await get(
        feed_server.url("/fetch/changing.xml"), etag=first.etag, last_modified=first.last_modified
    )

    assert second.status == 200
    assert second.content == small_rss("Two")
    assert second.etag != first.etag


async def test_304_without_validators_keeps_the_ones_sent(feed_server):
    feed_server.set_route("/fetch/bare-304", b"", status=304)
    result = await get(feed_server.url("/fetch/bare-304"), etag='"abc"', last_modified="x")
    assert result.status == 304
    assert (result.etag, result.last_modified) == ('"abc"', "x")


async def test_gzip_is_requested_and_decoded(feed_server):
    result = await get(feed_server.url(SAMPLE))

    assert result.headers["content-encoding"] == "gzip"
    assert result.content == SAMPLE_BYTES
    [request] = feed_server.requests
    assert "gzip" in request.headers["accept-encoding"]


async def test_empty_body(feed_server):
    result = await get(feed_server.url("/empty"))
    assert (result.status, result.content) == (200, b"")


async def test_corrupt_gzip_is_one_clear_line(feed_server):
    feed_server.set_route(
        "/fetch/bad-gzip", b"this is not gzip", headers={"Content-Encoding": "gzip"}
    )
    with pytest.raises(FetchError, match="badly encoded"):
        await get(feed_server.url("/fetch/bad-gzip"))


async def test_request_headers_name_broadsheet(feed_server):
    await get(feed_server.url(SAMPLE))
    await get(feed_server.url(SAMPLE), accept="text/html")

    first, second = feed_server.requests
    assert first.headers["user-agent"].startswith(f"Broadsheet/{__version__} ")
    assert first.headers["accept"] == FEED_ACCEPT
    assert second.headers["accept"] == "text/html"
    assert "if-none-match" not in first.headers


async def test_fetch_once(feed_server):
    result = await fetch_once(feed_server.url(SAMPLE), limits=FetchLimits(max_bytes=MB))
    assert result.content == SAMPLE_BYTES


async def test_fetcher_outside_context_is_an_error():
    with pytest.raises(RuntimeError, match="async with"):
        await Fetcher().fetch("http://127.0.0.1/")


# -- size limits -------------------------------------------------------------------------


async def test_gzip_bomb_stops_at_the_cap_with_bounded_memory(feed_server):
    gzip_bomb()  # build the server's cached body before measuring
    tracemalloc.start()
    started = time.monotonic()
    try:
        with pytest.raises(TooLargeError, match="limit"):
            await get(feed_server.url("/gzip-bomb"), FetchLimits(max_bytes=MB))
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()

    assert time.monotonic() - started < 5
    # 1 GiB behind the door; what we held is the 1 MiB cap plus aiohttp's bounded buffers.
    assert peak < 12 * MB, f"peak {peak / MB:.1f} MiB"


async def test_huge_streamed_body_is_cut_off(feed_server):
    started = time.monotonic()
    with pytest.raises(TooLargeError):
        await get(feed_server.url("/huge"), FetchLimits(max_bytes=2 * MB))
    assert time.monotonic() - started < 5


async def test_declared_length_over_cap_is_rejected_before_reading(feed_server):
    feed_server.set_route("/fetch/big", b"x" * 300_000, compress=False)
    with pytest.raises(TooLargeError, match="more than the 100,000 bytes limit"):
        await get(feed_server.url("/fetch/big"), FetchLimits(max_bytes=100_000))


async def test_body_at_exactly_the_cap_is_accepted(feed_server):
    feed_server.set_route("/fetch/exact", b"y" * 50_000)
    result = await get(feed_server.url("/fetch/exact"), FetchLimits(max_bytes=50_000))
    assert len(result.content) == 50_000


# -- redirects ---------------------------------------------------------------------------


async def test_permanent_redirects_are_recorded(feed_server):
    url = feed_server.url("/redirect/301/redirect/308/" + SAMPLE)
    result = await get(url)

    assert result.status == 200
    assert result.content == SAMPLE_BYTES
    assert result.url == url
    assert result.redirects == (
        (301, feed_server.url("/redirect/308/" + SAMPLE)),
        (308, feed_server.url(SAMPLE)),
    )
    assert result.final_url == result.permanent_url == feed_server.url(SAMPLE)


@pytest.mark.parametrize("path", ["/redirect/302/", "/redirect/301/redirect/307/"])
async def test_temporary_hop_means_no_permanent_url(feed_server, path):
    result = await get(feed_server.url(path + SAMPLE))
    assert result.final_url == feed_server.url(SAMPLE)
    assert result.permanent_url is None


async def test_validators_are_sent_through_redirects(feed_server):
    first = await get(feed_server.url(SAMPLE))
    feed_server.reset()

    result = await get(feed_server.url("/redirect/301/" + SAMPLE), etag=first.etag)

    assert result.status == 304
    assert result.permanent_url == feed_server.url(SAMPLE)
    assert [r.status for r in feed_server.requests] == [301, 304]


async def test_ten_hops_are_allowed(feed_server):
    result = await get(feed_server.url("/chain/10"))
    assert result.status == 200
    assert len(result.redirects) == 10
    assert result.final_url == feed_server.url("/chain/0")
    assert b"<rss" in result.content


async def test_eleven_hops_are_too_many(feed_server):
    with pytest.raises(TooManyRedirectsError, match="more than 10 redirects"):
        await get(feed_server.url("/chain/11"))
    assert feed_server.count() == 11  # gave up without asking for the 12th


async def test_redirect_loop_is_detected(feed_server):
    with pytest.raises(TooManyRedirectsError, match="loop"):
        await get(feed_server.url("/loop"))
    assert feed_server.count(path="/loop") == 1


async def test_redirect_to_another_scheme_is_refused(feed_server):
    feed_server.set_route("/fetch/to-ftp", b"", status=302, headers={"Location": "ftp://x.test/"})
    with pytest.raises(UnsupportedURLError, match="ftp"):
        await get(feed_server.url("/fetch/to-ftp"))


# -- TLS ---------------------------------------------------------------------------------


async def test_https_from_an_unknown_authority_is_refused(tls_server):
    # Certificates are checked even though aiohttp is imported without loading any.
    with pytest.raises(FetchError, match=r"TLS certificate of 127\.0\.0\.1:\d+ rejected"):
        await get(tls_server.url(SAMPLE))


async def test_redirect_to_https_is_checked_too(feed_server, tls_server):
    feed_server.set_route(
        "/fetch/to-https", b"", status=301, headers={"Location": tls_server.url(SAMPLE)}
    )
    with pytest.raises(FetchError, match="certificate"):
        await get(feed_server.url("/fetch/to-https"))


# -- error statuses ----------------------------------------------------------------------


async def test_410_means_gone(feed_server):
    with pytest.raises(HTTPStatusError) as caught:
        await get(feed_server.url("/status/410"))
    assert caught.value.status == 410
    assert caught.value.message.startswith("gone (410)")
    assert caught.value.retry_after is None


@pytest.mark.parametrize("status", [429, 503])
async def test_retry_after_is_parsed(feed_server, status):
    with pytest.raises(HTTPStatusError) as caught:
        await get(feed_server.url(f"/status/{status}"))
    expected = datetime.now(UTC) + timedelta(seconds=120)
    assert caught.value.status == status
    assert caught.value.retry_after is not None
    assert caught.value.retry_after.tzinfo is not None
    assert abs((caught.value.retry_after - expected).total_seconds()) < 5


@pytest.mark.parametrize(
    ("status", "message"), [(404, "HTTP 404 Not Found"), (500, "HTTP 500 Internal Server Error")]
)
async def test_other_statuses_have_plain_messages(feed_server, status, message):
    with pytest.raises(HTTPStatusError) as caught:
        await get(feed_server.url(f"/status/{status}"))
    assert caught.value.status == status
    assert caught.value.message == message


def test_retry_after_http_date_and_junk():
    now = datetime(2024, 1, 1, tzinfo=UTC)
    assert parse_retry_after("Wed, 21 Oct 2015 07:28:00 GMT") == datetime(
        2015, 10, 21, 7, 28, tzinfo=UTC
    )
    assert parse_retry_after("30", now=now) == now + timedelta(seconds=30)
    assert parse_retry_after("soon", now=now) is None
    assert parse_retry_after(None) is None


# -- timeouts and connection failures ----------------------------------------------------


async def test_trickling_body_hits_the_read_timeout(feed_server):
    started = time.monotonic()
    with pytest.raises(FetchTimeoutError, match=r"no answer from 127\.0\.0\.1:\d+ within 0\.3 s"):
        await get(feed_server.url("/trickle"), FetchLimits(read_timeout=0.3))
    assert time.monotonic() - started < 2


async def test_trickling_body_hits_the_total_timeout(feed_server):
    started = time.monotonic()
    with pytest.raises(FetchTimeoutError, match="took longer than 1.2 s"):
        await get(feed_server.url("/trickle"), FetchLimits(read_timeout=5, total_timeout=1.2))
    assert 1.1 < time.monotonic() - started < 3


async def test_hanging_server_hits_the_read_timeout(feed_server):
    started = time.monotonic()
    with pytest.raises(FetchTimeoutError, match="no answer"):
        await get(feed_server.url("/hang"), FetchLimits(read_timeout=0.3))
    assert time.monotonic() - started < 2


async def test_connection_refused_is_one_clear_line():
    with socket.socket() as sock:  # a port that was free a moment ago
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    with pytest.raises(FetchError) as caught:
        await get(f"http://127.0.0.1:{port}/feed.xml")
    assert not isinstance(caught.value, FetchTimeoutError)
    assert caught.value.message == f"cannot connect to 127.0.0.1:{port}: connection refused"


async def test_unknown_host_is_one_clear_line():
    with pytest.raises(FetchError) as caught:
        await get("http://no-such-host.invalid/feed.xml", FetchLimits(total_timeout=5))
    assert "no-such-host.invalid" in caught.value.message
    assert "\n" not in caught.value.message


@pytest.mark.parametrize(
    "url", ["ftp://example.com/feed.xml", "file:///etc/passwd", "javascript:alert(1)"]
)
async def test_only_http_and_https(url):
    scheme = url.partition(":")[0]
    with pytest.raises(UnsupportedURLError, match=f"'{scheme}:'"):
        await get(url)


async def test_relative_url_is_refused():
    with pytest.raises(UnsupportedURLError, match="http:// or https://"):
        await get("example.com/feed.xml")


# -- concurrency -------------------------------------------------------------------------


@pytest.fixture
def private_server():
    """A server of our own, so no other test's slow request skews its gauge."""
    with FeedServer(DATA) as server:
        server.set_route("/slow.xml", small_rss("Slow"), delay=0.15)
        yield server


async def test_per_host_limit_is_honoured(private_server):
    limits = FetchLimits(concurrency=16, per_host=3)
    async with Fetcher(limits) as fetcher:
        results = await asyncio.gather(
            *(fetcher.fetch(private_server.url("/slow.xml")) for _ in range(12))
        )
    assert {r.status for r in results} == {200}
    assert private_server.max_concurrent == 3


async def test_global_limit_is_honoured(private_server):
    limits = FetchLimits(concurrency=2, per_host=8)
    async with Fetcher(limits) as fetcher:
        await asyncio.gather(*(fetcher.fetch(private_server.url("/slow.xml")) for _ in range(6)))
    assert private_server.max_concurrent == 2


async def test_queueing_does_not_count_against_the_total_timeout(private_server):
    # 8 requests of 0.15 s through one slot take ~1.2 s; each alone is well under 0.6 s.
    limits = FetchLimits(concurrency=1, per_host=1, total_timeout=0.6)
    async with Fetcher(limits) as fetcher:
        results = await asyncio.gather(
            *(fetcher.fetch(private_server.url("/slow.xml")) for _ in range(8))
        )
    assert len(results) == 8


async def test_hundreds_of_concurrent_fetches(feed_server):
    async with Fetcher(FetchLimits(per_host=32)) as fetcher:
        results = await asyncio.gather(
            *(fetcher.fetch(feed_server.url(SAMPLE)) for _ in range(300))
        )
    assert all(r.content == SAMPLE_BYTES for r in results)
    assert feed_server.count(status=200) == 300


def test_status_errors_survive_pickling_with_their_details():
    import pickle
    from datetime import UTC, datetime

    from tui.core.errors import HTTPStatusError

    when = datetime(2026, 1, 1, tzinfo=UTC)
    error = pickle.loads(pickle.dumps(HTTPStatusError("HTTP 429", 429, retry_after=when)))
    assert (error.message, error.status, error.retry_after) == ("HTTP 429", 429, when)
