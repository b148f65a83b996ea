"""Async HTTP for feeds: conditional GET with bounded size, time, redirects and concurrency.

Built on aiohttp. Retrieval only: the bytes and response headers go to ``parse``
untouched. Every failure is a :class:`~tui.core.errors.FetchError` with a one-line
``message``; aiohttp's exceptions never leak out.

Decompression: aiohttp (3.13.3 and later) inflates at most ``read_bufsize`` (256 KiB)
per step and pauses the socket while its buffer is full, so a gzip bomb is never
expanded beyond what we have read plus a bounded buffer. We count the decompressed
bytes as they stream in and stop at ``max_bytes``.

TLS: every https request carries our own verified context, made on the first one,
so importing aiohttp skips building its two default contexts (see
:func:`_import_aiohttp`).
"""

from __future__ import annotations

import asyncio
import functools
import importlib.util
import os
import re
import ssl
from collections.abc import AsyncIterator, Awaitable
from contextlib import asynccontextmanager
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from email.utils import parsedate_to_datetime
from http import HTTPStatus
from types import ModuleType
from typing import Any, TypeVar

from yarl import URL

from .. import __version__
from .config import FetchSettings as FetchLimits
from .errors import (
    FetchError,
    FetchTimeoutError,
    HTTPStatusError,
    TooLargeError,
    TooManyRedirectsError,
    UnsupportedURLError,
)
from .models import FetchResult

__all__ = [
    "FEED_ACCEPT",
    "USER_AGENT",
    "FetchLimits",
    "Fetcher",
    "fetch_once",
    "deadline_error",
    "within_deadline",
]

T = TypeVar("T")

USER_AGENT = f"Broadsheet/{__version__} (+https://github.com/broadsheet/broadsheet)"
FEED_ACCEPT = (
    "application/rss+xml, application/atom+xml, application/feed+json, "
    "application/xml;q=0.9, text/xml;q=0.9, */*;q=0.8"
)
# Only advertise codings aiohttp can decode here; brotli is an optional extra.
_HAS_BROTLI = any(importlib.util.find_spec(m) for m in ("brotlicffi", "brotli"))
ACCEPT_ENCODING = "gzip, deflate, br" if _HAS_BROTLI else "gzip, deflate"

_REDIRECTS = frozenset({301, 302, 303, 307, 308})
_PERMANENT = frozenset({301, 308})
# Redirect and error bodies this small are read so the connection can be reused.
_DRAIN_LIMIT = 16 * 1024


def _import_aiohttp() -> ModuleType:
    """Import aiohttp without letting it load the system's CA certificates.

    aiohttp builds a verified and an unverified default SSL context when imported,
    each loading the CA bundle: ~30 ms of a ~110 ms import, with the GIL held, so
    the reader's UI stalls for it too. Both are used only for requests that do not
    name a context, and ours always do (:func:`_tls_context`), so the certificate
    loading is skipped for the length of the import. Should either context ever be
    used, it trusts no certificate: it fails closed.
    """
    context = ssl.SSLContext
    load_default, set_paths = context.load_default_certs, context.set_default_verify_paths
    context.load_default_certs = context.set_default_verify_paths = _no_certificates
    try:
        import aiohttp
    finally:
        context.load_default_certs, context.set_default_verify_paths = load_default, set_paths
    return aiohttp


def _no_certificates(self: ssl.SSLContext, *args: object) -> None:
    return None


aiohttp = _import_aiohttp()


@functools.cache
def _tls_context() -> ssl.SSLContext:
    """The verified context of every https request, made once, on the first."""
    context = ssl.create_default_context()
    context.set_alpn_protocols(["http/1.1"])
    return context


class Fetcher:
    """An HTTP client session for many concurrent fetches; use it as an async context manager.

    Waiting for a free slot (``concurrency`` / ``per_host``) does not count against
    ``total_timeout``: with hundreds of feeds queued, the clock starts when a request
    may actually go out.
    """

    def __init__(self, limits: FetchLimits | None = None, *, user_agent: str = USER_AGENT) -> None:
        self.limits = limits or FetchLimits()
        self.user_agent = user_agent
        self._session: aiohttp.ClientSession | None = None
        self._global: asyncio.Semaphore | None = None
        self._hosts: dict[tuple[str, str, int | None], _HostGate] = {}

    async def __aenter__(self) -> Fetcher:
        limits = self.limits
        connector = aiohttp.TCPConnector(limit=limits.concurrency, limit_per_host=limits.per_host)
        # ``connect`` would include the wait for a pooled connection; only time the socket.
        timeout = aiohttp.ClientTimeout(
            total=None,
            connect=None,
            sock_connect=limits.connect_timeout,
            sock_read=limits.read_timeout,
        )
        self._session = aiohttp.ClientSession(
            connector=connector,
            timeout=timeout,
            headers={"User-Agent": self.user_agent, "Accept-Encoding": ACCEPT_ENCODING},
            auto_decompress=True,
            raise_for_status=False,
        )
        self._global = asyncio.Semaphore(limits.concurrency)
        return self

    async def __aexit__(self, *exc: object) -> None:
        if self._session is not None:
            await self._session.close()
            self._session = None

    async def fetch(
        self,
        url: str,
        *,
        etag: str | None = None,
        last_modified: str | None = None,
        accept: str = FEED_ACCEPT,
    ) -> FetchResult:
        """GET ``url``, following redirects; a 304 comes back with ``content=None``.

        ``etag`` / ``last_modified`` are the validators stored from the last fetch; they
        are sent as ``If-None-Match`` / ``If-Modified-Since`` on every hop, because they
        were taken from the final response of a (possibly redirected) earlier fetch and
        only the final URL can answer 304 for them.
        """
        if self._session is None:
            raise RuntimeError("Fetcher must be used as 'async with Fetcher() as f'")
        start = _check_url(url)
        headers = {"Accept": accept}
        if etag:
            headers["If-None-Match"] = etag
        if last_modified:
            headers["If-Modified-Since"] = last_modified
        total = self.limits.total_timeout
        async with self._slot(start):
            try:
                async with asyncio.timeout(total) as deadline:
                    return await self._follow(url, start, headers, etag, last_modified)
            except TimeoutError:
                # aiohttp's own timeouts were already turned into FetchTimeoutError,
                # so this is the overall deadline.
                if deadline.expired():
                    raise FetchTimeoutError(
                        f"{_hostport(start)} took longer than {total:g} s"
                    ) from None
                raise

    @asynccontextmanager
    async def _slot(self, url: URL) -> AsyncIterator[None]:
        # Host before global: a task queued behind a busy host must not hold a global slot.
        assert self._global is not None
        key = (url.scheme, url.host or "", url.port)
        gate = self._hosts.get(key)
        if gate is None:
            gate = self._hosts[key] = _HostGate(asyncio.Semaphore(self.limits.per_host))
        gate.users += 1
        try:
            async with gate.semaphore, self._global:
                yield
        finally:
            gate.users -= 1
            if not gate.users:
                del self._hosts[key]

    async def _follow(
        self,
        url: str,
        start: URL,
        headers: dict[str, str],
        etag: str | None,
        last_modified: str | None,
    ) -> FetchResult:
        assert self._session is not None
        limits = self.limits
        current = start
        seen = {str(start)}
        hops: list[tuple[int, str]] = []
        while True:
            try:
                async with self._session.get(
                    current,
                    headers=headers,
                    allow_redirects=False,
                    ssl=_tls_context() if current.scheme == "https" else True,
                ) as resp:
                    status = resp.status
                    if status in _REDIRECTS and "Location" in resp.headers:
                        target = _redirect_target(current, resp.headers["Location"])
                        await _discard(resp)
                    else:
                        return await self._result(resp, url, current, hops, etag, last_modified)
            except aiohttp.ClientError as exc:
                raise _translate(exc, current, limits) from None
            hops.append((status, str(target)))
            if str(target) in seen:
                raise TooManyRedirectsError(f"redirect loop: {current} leads back to {target}")
            if len(hops) > limits.max_redirects:
                raise TooManyRedirectsError(
                    f"more than {limits.max_redirects} redirects starting at {url}"
                )
            seen.add(str(target))
            current = target

    async def _result(
        self,
        resp: aiohttp.ClientResponse,
        url: str,
        final: URL,
        hops: list[tuple[int, str]],
        etag: str | None,
        last_modified: str | None,
    ) -> FetchResult:
        status = resp.status
        headers = _plain_headers(resp)
        if status == 304:
            content = None
            etag = headers.get("etag", etag)
            last_modified = headers.get("last-modified", last_modified)
        elif 200 <= status < 300:
            content = await _read_body(resp, self.limits.max_bytes)
            etag = headers.get("etag")
            last_modified = headers.get("last-modified")
        else:
            await _discard(resp)
            raise _status_error(status, resp.reason, headers)
        permanent = bool(hops) and all(code in _PERMANENT for code, _ in hops)
        return FetchResult(
            url=url,
            final_url=str(final) if hops else url,
            status=status,
            content=content,
            headers=headers,
            etag=etag,
            last_modified=last_modified,
            redirects=tuple(hops),
            permanent_url=str(final) if permanent else None,
        )


@dataclass(slots=True)
class _HostGate:
    semaphore: asyncio.Semaphore
    users: int = 0


async def fetch_once(
    url: str,
    *,
    limits: FetchLimits | None = None,
    user_agent: str = USER_AGENT,
    **kw: Any,
) -> FetchResult:
    """Fetch one URL with a short-lived :class:`Fetcher` (for the CLI's ``show URL`` and ``add``).

    ``kw`` goes to :meth:`Fetcher.fetch` (``etag``, ``last_modified``, ``accept``).
    """
    async with Fetcher(limits, user_agent=user_agent) as fetcher:
        return await fetcher.fetch(url, **kw)


async def within_deadline(job: Awaitable[T], seconds: float, url: str) -> T:
    """``job``'s result, or a one-line FetchTimeoutError once ``seconds`` have passed.

    For work a user waits on (``add``, ``show URL``, a teaser's page): the overall
    deadline bounds every step together, so a server that drips its headers or body
    a byte at a time, never silent long enough for ``read_timeout``, is given up too.
    """
    try:
        async with asyncio.timeout(seconds) as timer:
            return await job
    except TimeoutError:
        if not timer.expired():
            raise
        raise deadline_error(url, seconds) from None


def deadline_error(url: str, seconds: float) -> FetchTimeoutError:
    """What the user reads when ``url`` used up the interactive deadline."""
    try:
        parsed = URL(url)
        where = _hostport(parsed) if parsed.host else url
    except (ValueError, TypeError):
        where = url
    return FetchTimeoutError(
        f"gave up on {where} after {seconds:g} s ([fetch] interactive_deadline)"
    )


def _check_url(url: str) -> URL:
    try:
        parsed = URL(url)
    except (ValueError, TypeError) as exc:
        raise UnsupportedURLError(f"not a valid URL: {url!r} ({exc})") from None
    scheme = parsed.scheme.lower()
    if not scheme:
        raise UnsupportedURLError(f"not an absolute URL: {url!r}; give it with http:// or https://")
    if scheme not in ("http", "https"):
        raise UnsupportedURLError(
            f"unsupported URL scheme '{scheme}:' in {_short(url)}; only http and https are fetched"
        )
    if not parsed.host:
        raise UnsupportedURLError(f"URL has no host: {url!r}")
    return parsed


def _redirect_target(current: URL, location: str) -> URL:
    try:
        target = current.join(URL(location))
    except (ValueError, TypeError):
        raise FetchError(f"{current} redirected to an invalid URL: {location!r}") from None
    if target.scheme.lower() not in ("http", "https"):
        raise UnsupportedURLError(
            f"{current} redirected to unsupported URL scheme '{target.scheme}:'; "
            "only http and https are fetched"
        )
    if not target.host:
        raise FetchError(f"{current} redirected to a URL without a host: {location!r}")
    return target.with_fragment(None)


async def _read_body(resp: aiohttp.ClientResponse, max_bytes: int) -> bytes:
    encoding = resp.headers.get("Content-Encoding", "identity").strip().lower()
    length = resp.content_length
    if encoding in ("", "identity") and length is not None and length > max_bytes:
        resp.close()
        raise TooLargeError(
            f"{_hostport(resp.url)} sent {_size(length)}, more than the {_size(max_bytes)} limit"
        )
    parts: list[bytes] = []
    received = 0
    # iter_any hands over what aiohttp has already inflated (bounded per step, see
    # module docstring), so the check below runs before more is decompressed.
    async for chunk in resp.content.iter_any():
        received += len(chunk)
        if received > max_bytes:
            resp.close()
            raise TooLargeError(
                f"{_hostport(resp.url)} sent more than the {_size(max_bytes)} limit"
            )
        parts.append(chunk)
    return b"".join(parts)


async def _discard(resp: aiohttp.ClientResponse) -> None:
    """Read a small unwanted body so keep-alive survives; close on anything bigger."""
    length = resp.content_length
    if length is not None and length <= _DRAIN_LIMIT:
        try:
            await resp.read()
            return
        except aiohttp.ClientError:
            pass  # the body does not matter; just do not reuse the connection
    resp.close()


def _plain_headers(resp: aiohttp.ClientResponse) -> dict[str, str]:
    headers: dict[str, str] = {}
    for name, value in resp.headers.items():
        key = name.lower()
        # Repeated fields combine per RFC 9110 §5.3.
        headers[key] = f"{headers[key]}, {value}" if key in headers else value
    return headers


def _status_error(status: int, reason: str | None, headers: dict[str, str]) -> HTTPStatusError:
    if status == 410:
        return HTTPStatusError("gone (410): the server says this feed was removed", 410)
    phrase = reason or _phrase(status)
    message = f"HTTP {status} {phrase}".rstrip()
    if 300 <= status < 400:
        message += " without a usable Location header"
    retry_after = None
    if status in (429, 503):
        retry_after = parse_retry_after(headers.get("retry-after"))
        if retry_after is not None:
            message += f"; retry after {retry_after:%Y-%m-%d %H:%M:%S} UTC"
    return HTTPStatusError(message, status, retry_after=retry_after)


def parse_retry_after(value: str | None, *, now: datetime | None = None) -> datetime | None:
    """``Retry-After`` (delay in seconds or an HTTP-date) as an aware UTC datetime."""
    if not value:
        return None
    value = value.strip()
    now = now or datetime.now(UTC)
    if value.isdigit():
        try:
            return now + timedelta(seconds=int(value))
        except OverflowError:
            return None
    try:
        when = parsedate_to_datetime(value)
    except (TypeError, ValueError, IndexError):
        return None
    if when.tzinfo is None:  # "-0000" means UTC per RFC 5322
        when = when.replace(tzinfo=UTC)
    return when.astimezone(UTC)


def _translate(exc: aiohttp.ClientError, url: URL, limits: FetchLimits) -> FetchError:
    """One clear line for an aiohttp failure."""
    where = _hostport(url)
    if isinstance(exc, aiohttp.ConnectionTimeoutError):
        return FetchTimeoutError(f"cannot connect to {where} within {limits.connect_timeout:g} s")
    if isinstance(exc, aiohttp.SocketTimeoutError):
        return FetchTimeoutError(f"no answer from {where} within {limits.read_timeout:g} s")
    if isinstance(exc, aiohttp.ServerTimeoutError):
        return FetchTimeoutError(f"{where} timed out")
    if isinstance(exc, aiohttp.ClientConnectorDNSError):
        return FetchError(f"cannot resolve host {url.host}")
    if isinstance(exc, aiohttp.ClientConnectorCertificateError):
        cert = exc.certificate_error
        detail = getattr(cert, "verify_message", None) or getattr(cert, "reason", None) or cert
        return FetchError(f"TLS certificate of {where} rejected: {detail}")
    if isinstance(exc, aiohttp.ClientSSLError):
        detail = exc.os_error
        reason = detail.reason if isinstance(detail, ssl.SSLError) else None
        return FetchError(f"TLS handshake with {where} failed: {reason or detail}")
    if isinstance(exc, aiohttp.ClientConnectorError):
        return FetchError(f"cannot connect to {where}: {_os_reason(exc.os_error)}")
    if isinstance(exc, aiohttp.ServerDisconnectedError):
        return FetchError(f"{where} closed the connection without answering")
    if isinstance(exc, aiohttp.ClientPayloadError):
        return FetchError(f"the response from {where} was cut off or badly encoded")
    if isinstance(exc, aiohttp.ClientResponseError):
        return FetchError(f"{where} sent an invalid HTTP response: {exc.message}")
    if isinstance(exc, aiohttp.InvalidURL):
        return UnsupportedURLError(f"not a valid URL: {exc.url}")
    if isinstance(exc, aiohttp.ClientOSError):
        return FetchError(f"network error with {where}: {_os_reason(exc)}")
    return FetchError(f"cannot fetch from {where}: {exc or type(exc).__name__}")


def _os_reason(err: OSError) -> str:
    # asyncio puts "Connect call failed ('1.2.3.4', 80)" in strerror, and joins the
    # errors of several addresses into one "Multiple exceptions: [Errno 111] ..." text.
    code = err.errno
    if code is None and (found := re.search(r"\[Errno (\d+)\]", str(err))):
        code = int(found.group(1))
    text = os.strerror(code) if code else err.strerror or str(err) or type(err).__name__
    return text[:1].lower() + text[1:]


def _hostport(url: URL) -> str:
    port = url.explicit_port
    return f"{url.host}:{port}" if port else str(url.host)


def _phrase(status: int) -> str:
    try:
        return HTTPStatus(status).phrase
    except ValueError:
        return ""


def _size(n: int) -> str:
    return f"{n / (1024 * 1024):.3g} MiB" if n >= 1024 * 1024 else f"{n:,} bytes"


def _short(url: str, limit: int = 60) -> str:
    return url if len(url) <= limit else url[: limit - 1] + "…"
