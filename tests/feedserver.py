"""A real HTTP/1.1 server on 127.0.0.1 for tests (stdlib only).

Routes:

- anything registered with :meth:`FeedServer.set_route` (checked first);
- ``/files/<path>``: a file under ``root`` with a strong ETag and a Last-Modified derived
  from its bytes, conditional GET honoured, gzip when the client accepts it;
- ``/status/<code>``: that status (429 and 503 add ``Retry-After: 120``);
- ``/redirect/<code>/<rest>``: ``Location: /<rest>`` with that code;
- ``/loop``: 302 to itself; ``/chain/<n>``: 302 to ``/chain/<n-1>``, ``/chain/0`` is a feed;
- ``/gzip-bomb``: ~1 MB of gzip that inflates to 1 GiB of zeros;
- ``/huge``: ~100 MB streamed in chunks, no Content-Length;
- ``/trickle``: headers, then one byte a second (``?every=0.1`` for faster drips);
- ``/drip-headers``: the status line and headers one byte at a time (``?every=``, 0.1 s);
- ``/hang``: never answers;
- ``/empty``: 200 with an empty body.

Every request is recorded (``requests``, ``count``); ``max_concurrent`` is the most
requests the server was handling at once since the last :meth:`FeedServer.reset`.

``FeedServer(root, tls=context)`` serves the same over https with that server context.

Usage::

    with FeedServer(Path("tests/data")) as server:
        server.url("/files/http/sample.xml")
"""

from __future__ import annotations

import contextlib
import functools
import gzip
import hashlib
import select
import socket
import ssl
import struct
import sys
import threading
import time
import zlib
from dataclasses import dataclass, field
from email.utils import formatdate, parsedate_to_datetime
from http import HTTPStatus
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from types import TracebackType
from urllib.parse import unquote, urlsplit

__all__ = ["FeedServer", "Recorded", "gzip_bomb", "small_rss"]

CONTENT_TYPES = {
    ".xml": "application/rss+xml",
    ".rss": "application/rss+xml",
    ".atom": "application/atom+xml",
    ".json": "application/feed+json",
    ".html": "text/html",
    ".htm": "text/html",
    ".txt": "text/plain",
    ".opml": "text/x-opml",
}
BOMB_SIZE = 1 << 30
HUGE_SIZE = 100 * 1000 * 1000
# Fixed base for file Last-Modified dates so they depend on content only.
_EPOCH = 1_577_836_800  # 2020-01-01T00:00:00Z
_LONGEST_WAIT = 60.0


@dataclass(frozen=True, slots=True)
class Recorded:
    """One request as the server saw it; ``status`` 0 means it was never answered."""

    method: str
    path: str
    """The request target as sent, query included."""
    headers: dict[str, str]
    """Request headers with lower-case names."""
    status: int


@dataclass(slots=True)
class _Route:
    body: bytes
    status: int
    headers: dict[str, str | None]
    content_type: str
    etag: str
    last_modified: int
    delay: float
    compress: bool


@dataclass(slots=True)
class _State:
    lock: threading.Lock = field(default_factory=threading.Lock)
    requests: list[Recorded] = field(default_factory=list)
    in_flight: int = 0
    max_concurrent: int = 0
    connections: int = 0
    sockets: set[socket.socket] = field(default_factory=set)


def small_rss(
    title: str = "Test feed", items: int = 1, *, link: str = "http://example.com/"
) -> bytes:
    """A tiny valid RSS 2.0 document."""
    entries = "".join(
        f"<item><title>{title} item {i}</title><link>{link}{i}</link>"
        f"<guid>{link}{i}</guid><description>Item {i}.</description></item>"
        for i in range(1, items + 1)
    )
    return (
        '<?xml version="1.0" encoding="utf-8"?>\n<rss version="2.0"><channel>'
        f"<title>{title}</title><link>{link}</link><description>For tests.</description>"
        f"{entries}</channel></rss>\n"
    ).encode()


@functools.cache
def gzip_bomb() -> bytes:
    """A valid gzip member of about 1 MB that inflates to 1 GiB of zeros.

    Built in ~0.2 s: after a full flush the compressor's state is reset, so every
    further MiB of zeros compresses to the same bytes and can simply be repeated.
    """
    block = bytes(1 << 20)
    comp = zlib.compressobj(9, zlib.DEFLATED, 31)
    first = comp.compress(block) + comp.flush(zlib.Z_FULL_FLUSH)
    repeat = comp.compress(block) + comp.flush(zlib.Z_FULL_FLUSH)
    final_block = comp.flush()[:-8]  # drop the trailer; ours covers the whole GiB
    crc = 0
    for _ in range(BOMB_SIZE // len(block)):
        crc = zlib.crc32(block, crc)
    count = BOMB_SIZE // len(block)
    trailer = struct.pack("<II", crc, BOMB_SIZE & 0xFFFFFFFF)
    return first + repeat * (count - 1) + final_block + trailer


def _etag(data: bytes) -> str:
    return '"' + hashlib.sha1(data).hexdigest() + '"'


def _http_date(ts: float) -> str:
    return formatdate(ts, usegmt=True)


_CANONICAL = {
    "etag": "ETag",
    "last-modified": "Last-Modified",
    "content-encoding": "Content-Encoding",
}


def _merge(
    base: dict[str, str | None], extra: dict[str, str | None] | None
) -> dict[str, str | None]:
    """``base`` updated by ``extra`` with header names compared case-insensitively."""
    merged = dict(base)
    lower = {name.lower(): name for name in merged}
    for name, value in (extra or {}).items():
        key = lower.get(name.lower()) or _CANONICAL.get(name.lower(), name)
        merged[key] = value
        lower[name.lower()] = key
    return merged


class FeedServer:
    """A threaded HTTP/1.1 server on an ephemeral port; use it as a context manager."""

    def __init__(self, root: Path, *, tls: ssl.SSLContext | None = None) -> None:
        self.root = Path(root).resolve()
        self.tls = tls
        self.base_url = ""
        self._state = _State()
        self._routes: dict[str, _Route] = {}
        self._stopping = threading.Event()
        self._httpd: _Server | None = None
        self._thread: threading.Thread | None = None

    # -- lifecycle -----------------------------------------------------------------------

    def __enter__(self) -> FeedServer:
        self.start()
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self.stop()

    def start(self) -> None:
        self._stopping.clear()
        httpd = _Server(("127.0.0.1", 0), _Handler)
        httpd.feeds = self
        if self.tls is not None:
            # Handshakes happen on each connection's own thread (in setup), so a client
            # that connects and stays silent cannot hold up the others.
            httpd.socket = self.tls.wrap_socket(
                httpd.socket, server_side=True, do_handshake_on_connect=False
            )
        self._httpd = httpd
        scheme = "https" if self.tls is not None else "http"
        self.base_url = f"{scheme}://127.0.0.1:{httpd.server_address[1]}"
        self._thread = threading.Thread(
            target=httpd.serve_forever,
            kwargs={"poll_interval": 0.05},
            daemon=True,
            name="FeedServer",
        )
        self._thread.start()

    def stop(self) -> None:
        """Stop accepting, wake /hang and /trickle, and drop open connections."""
        httpd, self._httpd = self._httpd, None
        if httpd is None:
            return
        self._stopping.set()
        httpd.shutdown()
        httpd.server_close()
        with self._state.lock:
            open_sockets = list(self._state.sockets)
        for sock in open_sockets:
            with contextlib.suppress(OSError):
                sock.shutdown(socket.SHUT_RDWR)
        if self._thread is not None:
            self._thread.join(timeout=5)
            self._thread = None

    # -- test API ------------------------------------------------------------------------

    def url(self, path: str) -> str:
        return self.base_url + "/" + path.lstrip("/")

    def set_route(
        self,
        path: str,
        body: bytes | str,
        *,
        status: int = 200,
        headers: dict[str, str | None] | None = None,
        content_type: str = "application/rss+xml",
        delay: float = 0.0,
        compress: bool = True,
    ) -> None:
        """Serve ``body`` at ``path`` (query ignored) until changed or removed.

        ETag is the sha1 of the body; Last-Modified moves forward (by at least a second)
        whenever the body changes. For status 200 conditional GET is honoured. ``headers``
        are added last: a value overrides a derived header, ``None`` removes it.
        ``delay`` seconds pass before the answer; ``compress`` gzips when the client
        accepts it.
        """
        data = body.encode() if isinstance(body, str) else bytes(body)
        key = "/" + path.lstrip("/")
        etag = _etag(data)
        with self._state.lock:
            old = self._routes.get(key)
            if old is not None and old.etag == etag:
                modified = old.last_modified
            else:
                modified = int(time.time())
                if old is not None and modified <= old.last_modified:
                    modified = old.last_modified + 1
            self._routes[key] = _Route(
                body=data,
                status=status,
                headers=dict(headers or {}),
                content_type=content_type,
                etag=etag,
                last_modified=modified,
                delay=delay,
                compress=compress,
            )

    def remove_route(self, path: str) -> None:
        with self._state.lock:
            self._routes.pop("/" + path.lstrip("/"), None)

    @property
    def requests(self) -> list[Recorded]:
        """A snapshot of the requests recorded since the last reset."""
        with self._state.lock:
            return list(self._state.requests)

    @property
    def max_concurrent(self) -> int:
        """The most requests handled at the same time since the last reset."""
        with self._state.lock:
            return self._state.max_concurrent

    @property
    def in_flight(self) -> int:
        """Requests being handled right now (a client that hangs up ends its /hang)."""
        with self._state.lock:
            return self._state.in_flight

    @property
    def connections(self) -> int:
        """TCP connections accepted since the last reset."""
        with self._state.lock:
            return self._state.connections

    def reset(self) -> None:
        with self._state.lock:
            self._state.requests.clear()
            self._state.max_concurrent = self._state.in_flight
            self._state.connections = 0

    def count(self, status: int | None = None, path: str | None = None) -> int:
        """Recorded requests with this status and/or path (with or without its query)."""
        return sum(
            1
            for r in self.requests
            if (status is None or r.status == status)
            and (path is None or path in (r.path, r.path.split("?", 1)[0]))
        )

    # -- used by the handler -------------------------------------------------------------

    def _route(self, path: str) -> _Route | None:
        with self._state.lock:
            return self._routes.get(path)


class _Server(ThreadingHTTPServer):
    daemon_threads = True
    block_on_close = False
    # The default backlog of 5 makes bursts of connections wait for SYN retries.
    request_queue_size = 256
    feeds: FeedServer

    def handle_error(self, request: object, client_address: object) -> None:
        # Clients dropping idle keep-alive connections (or giving up on /trickle)
        # is routine here, not worth a traceback in the test output.
        if isinstance(sys.exc_info()[1], ConnectionError | TimeoutError | ssl.SSLError):
            return
        super().handle_error(request, client_address)


class _Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    server_version = "FeedServer/1"
    # Idle keep-alive connections give up eventually even if never shut down.
    timeout = 120
    server: _Server
    _recorded = False

    # -- plumbing ------------------------------------------------------------------------

    @property
    def feeds(self) -> FeedServer:
        return self.server.feeds

    def setup(self) -> None:
        if isinstance(self.request, ssl.SSLSocket):
            self.request.settimeout(self.timeout)
            self.request.do_handshake()  # a refused certificate ends the connection here
        super().setup()
        state = self.feeds._state
        with state.lock:
            state.sockets.add(self.connection)
            state.connections += 1

    def finish(self) -> None:
        state = self.feeds._state
        with state.lock:
            state.sockets.discard(self.connection)
        with contextlib.suppress(OSError):
            super().finish()

    def log_message(self, format: str, *args: object) -> None:  # noqa: A002
        pass  # keep test output clean

    def send_response(self, code: int, message: str | None = None) -> None:
        self._record(code)
        super().send_response(code, message)

    def _record(self, status: int) -> None:
        if self._recorded:
            return
        self._recorded = True
        headers: dict[str, str] = {}
        # Errors raised while parsing the request line come before these are set.
        for name, value in getattr(self, "headers", {}).items():
            key = name.lower()
            headers[key] = f"{headers[key]}, {value}" if key in headers else value
        entry = Recorded(self.command or "", getattr(self, "path", ""), headers, status)
        with self.feeds._state.lock:
            self.feeds._state.requests.append(entry)

    def do_GET(self) -> None:
        self._dispatch()

    def do_HEAD(self) -> None:
        self._dispatch()

    def _dispatch(self) -> None:
        self._recorded = False
        state = self.feeds._state
        with state.lock:
            state.in_flight += 1
            state.max_concurrent = max(state.max_concurrent, state.in_flight)
        try:
            self._serve(unquote(urlsplit(self.path).path))
        except (BrokenPipeError, ConnectionResetError, ConnectionAbortedError, TimeoutError):
            self.close_connection = True
        finally:
            with state.lock:
                state.in_flight -= 1

    def _serve(self, path: str) -> None:
        route = self.feeds._route(path)
        if route is not None:
            return self._serve_route(route)
        head, _, rest = path.lstrip("/").partition("/")
        handler = getattr(self, "_route_" + head.replace("-", "_"), None)
        if handler is None or not head:
            return self._send_text(404, "no such route\n")
        return handler(rest)

    # -- responses -----------------------------------------------------------------------

    def _send(
        self,
        status: int,
        body: bytes,
        headers: dict[str, str | None] | None = None,
    ) -> None:
        """Send a whole response; ``None`` header values are left out."""
        self.send_response(status)
        has_body = status >= 200 and status not in (204, 304)
        base: dict[str, str | None] = {"Content-Length": str(len(body))} if has_body else {}
        for name, value in _merge(base, headers).items():
            if value is not None:
                self.send_header(name, value)
        self.end_headers()
        if has_body and self.command != "HEAD":
            self.wfile.write(body)

    def _send_text(
        self, status: int, text: str, headers: dict[str, str | None] | None = None
    ) -> None:
        base: dict[str, str | None] = {"Content-Type": "text/plain; charset=utf-8"}
        self._send(status, text.encode(), _merge(base, headers))

    def _accepts_gzip(self) -> bool:
        for token in self.headers.get("Accept-Encoding", "").split(","):
            name, _, params = token.strip().partition(";")
            if name.strip().lower() in ("gzip", "x-gzip"):
                try:
                    return float(params.strip().removeprefix("q=") or 1) > 0
                except ValueError:
                    return True
        return False

    def _not_modified(self, etag: str | None, last_modified: float | None) -> bool:
        if_none_match = self.headers.get("If-None-Match")
        if if_none_match is not None:  # takes precedence over If-Modified-Since
            tags = {t.strip().removeprefix("W/") for t in if_none_match.split(",")}
            return "*" in tags or (etag is not None and etag.removeprefix("W/") in tags)
        since = self.headers.get("If-Modified-Since")
        if since and last_modified is not None:
            try:
                return last_modified <= parsedate_to_datetime(since).timestamp()
            except (TypeError, ValueError, IndexError):
                return False
        return False

    def _client_gone(self) -> bool:
        """True once the client has closed its end (we never read a second request here)."""
        try:
            readable, _, _ = select.select([self.connection], [], [], 0)
            return bool(readable) and not self.connection.recv(1, socket.MSG_PEEK)
        except OSError:
            return True

    def _send_document(
        self,
        data: bytes,
        *,
        content_type: str,
        etag: str,
        last_modified: int,
        compress: bool = True,
        extra: dict[str, str | None] | None = None,
    ) -> None:
        """200 with validators, or 304 when the request's conditions say so.

        ``extra`` may override or (with ``None``) remove ETag and Last-Modified; the
        conditional check then follows what is actually sent.
        """
        headers = _merge(
            {
                "Content-Type": content_type,
                "ETag": etag,
                "Last-Modified": _http_date(last_modified),
                "Vary": "Accept-Encoding",
            },
            extra,
        )
        sent_modified = headers.get("Last-Modified")
        try:
            modified = parsedate_to_datetime(sent_modified).timestamp() if sent_modified else None
        except (TypeError, ValueError, IndexError):
            modified = None
        if self._not_modified(headers.get("ETag"), modified):
            headers.pop("Content-Type", None)
            return self._send(304, b"", headers)
        if compress and data and self._accepts_gzip() and "Content-Encoding" not in headers:
            data = gzip.compress(data, mtime=0)
            headers["Content-Encoding"] = "gzip"
        self._send(200, data, headers)

    # -- routes --------------------------------------------------------------------------

    def _serve_route(self, route: _Route) -> None:
        if route.delay and self.feeds._stopping.wait(route.delay):
            self.close_connection = True
            return
        if route.status == 200:
            return self._send_document(
                route.body,
                content_type=route.content_type,
                etag=route.etag,
                last_modified=route.last_modified,
                compress=route.compress,
                extra=route.headers,
            )
        self._send(
            route.status, route.body, _merge({"Content-Type": route.content_type}, route.headers)
        )

    def _route_files(self, rest: str) -> None:
        root = self.feeds.root
        target = (root / rest).resolve()
        if not target.is_relative_to(root) or not target.is_file():
            return self._send_text(404, f"no file {rest}\n")
        data = target.read_bytes()
        digest = hashlib.sha1(data).digest()
        self._send_document(
            data,
            content_type=CONTENT_TYPES.get(target.suffix.lower(), "application/octet-stream"),
            etag='"' + digest.hex() + '"',
            last_modified=_EPOCH + int.from_bytes(digest[:3], "big"),
        )

    def _route_status(self, rest: str) -> None:
        try:
            code = int(rest.strip("/"))
        except ValueError:
            return self._send_text(400, "bad status\n")
        if not 200 <= code <= 599:
            return self._send_text(400, "status out of range\n")
        try:
            phrase = HTTPStatus(code).phrase
        except ValueError:
            phrase = "Status"
        extra: dict[str, str | None] = {"Retry-After": "120"} if code in (429, 503) else {}
        self._send_text(code, f"{code} {phrase}\n", extra)

    def _route_redirect(self, rest: str) -> None:
        code_text, _, target = rest.partition("/")
        if code_text not in ("301", "302", "303", "307", "308"):
            return self._send_text(400, "bad redirect code\n")
        query = urlsplit(self.path).query
        location = "/" + target + ("?" + query if query else "")
        self._send(int(code_text), b"", {"Location": location})

    def _route_loop(self, rest: str) -> None:
        self._send(302, b"", {"Location": "/loop"})

    def _route_chain(self, rest: str) -> None:
        try:
            n = int(rest.strip("/"))
        except ValueError:
            return self._send_text(400, "bad chain length\n")
        if n > 0:
            return self._send(302, b"", {"Location": f"/chain/{n - 1}"})
        body = small_rss("Chain end")
        self._send_document(
            body, content_type="application/rss+xml", etag=_etag(body), last_modified=_EPOCH
        )

    def _route_gzip_bomb(self, rest: str) -> None:
        self._send(
            200,
            gzip_bomb(),
            {"Content-Type": "application/rss+xml", "Content-Encoding": "gzip"},
        )

    def _route_huge(self, rest: str) -> None:
        self.send_response(200)
        self.send_header("Content-Type", "application/rss+xml")
        self.send_header("Transfer-Encoding", "chunked")
        self.end_headers()
        if self.command == "HEAD":
            return
        chunk = b'<?xml version="1.0"?>\n<rss version="2.0"><channel>'.ljust(1 << 16, b" ")
        frame = b"%x\r\n%s\r\n" % (len(chunk), chunk)
        sent = 0
        while sent < HUGE_SIZE:
            if self.feeds._stopping.is_set():
                self.close_connection = True
                return
            self.wfile.write(frame)
            sent += len(chunk)
        self.wfile.write(b"0\r\n\r\n")

    def _every(self, default: float) -> float:
        """The drip interval asked for with ``?every=SECONDS``."""
        for pair in urlsplit(self.path).query.split("&"):
            name, _, value = pair.partition("=")
            if name == "every":
                with contextlib.suppress(ValueError):
                    return min(max(float(value), 0.01), 10.0)
        return default

    def _drip(self, data: bytes, every: float) -> None:
        """Send ``data`` one byte at a time, ``every`` seconds apart, until stopped."""
        for byte in data:
            self.wfile.write(bytes([byte]))
            self.wfile.flush()
            if self.feeds._stopping.wait(every):
                return

    def _route_trickle(self, rest: str) -> None:
        self.send_response(200)
        self.send_header("Content-Type", "application/rss+xml")
        self.send_header("Connection", "close")
        self.end_headers()
        self.close_connection = True
        every = self._every(1.0)
        self._drip(b" " * int(_LONGEST_WAIT / every), every)

    def _route_drip_headers(self, rest: str) -> None:
        self._record(200)
        self.close_connection = True
        every = self._every(0.1)
        # Headers that never end: a client waiting for the blank line waits forever.
        head = b"HTTP/1.1 200 OK\r\nContent-Type: text/html\r\n"
        padding = b"X-Padding: " + b"." * int(_LONGEST_WAIT / every)
        self._drip(head + padding, every)

    def _route_hang(self, rest: str) -> None:
        self._record(0)
        self.close_connection = True
        deadline = time.monotonic() + _LONGEST_WAIT
        while time.monotonic() < deadline and not self._client_gone():
            if self.feeds._stopping.wait(0.1):
                break

    def _route_empty(self, rest: str) -> None:
        self._send(200, b"", {"Content-Type": "application/rss+xml"})
