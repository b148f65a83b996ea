"""A small Google Reader API server on 127.0.0.1 for tests (stdlib only), with its own
state and the quirks of the servers people run.

It answers as FreshRSS does (checked against a live one):

- ``accounts/ClientLogin`` (POST ``Email``, ``Passwd``) -> ``SID=/LSID=/Auth=`` lines;
  a wrong password is a 401;
- reads need ``Authorization: GoogleLogin auth=...``; writes also need the ``T=`` token
  from ``reader/api/0/token``, which expires (:meth:`expire_token`) -> 401;
- ``stream/items/ids`` lists ids in decimal (``ids_form="long"`` sends the
  ``tag:google.com,...`` form instead), newest first, ``n`` per page at most
  ``page_limit``, with ``continuation``; ``ot=`` keeps items stored since then;
  ``it=``/``xt=`` filter on read and starred; ``s=user/-/state/com.google/read`` is
  not understood and lists every id (FreshRSS's quirk);
- ``stream/items/contents`` (POST ``i=`` in either form) -> items with long ids;
- ``edit-tag``, ``subscription/list``, ``subscription/quickadd``, ``subscription/edit``.

Failures to inject: :meth:`die_after` (the server stops answering after N more
requests: connections are closed unanswered), :meth:`expire_auth`, :meth:`expire_token`.
Every request is logged in ``requests`` as (method, path, query pairs, form pairs).
"""

from __future__ import annotations

import itertools
import json
import secrets
import socket
import threading
import time
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import parse_qsl, urlsplit

LONG = "tag:google.com,2005:reader/item/"
READ = "user/-/state/com.google/read"
STARRED = "user/-/state/com.google/starred"
READING_LIST = "user/-/state/com.google/reading-list"
PREFIX = "/api/greader.php"


@dataclass
class Item:
    id: int
    feed: str
    title: str
    link: str
    content: str
    published: int
    read: bool = False
    starred: bool = False


@dataclass
class Feed:
    stream: str
    url: str
    title: str
    label: str = ""


@dataclass
class _State:
    lock: threading.Lock = field(default_factory=threading.Lock)
    users: dict[str, str] = field(default_factory=dict)
    auths: set[str] = field(default_factory=set)
    token: str = "token-1"
    feeds: dict[str, Feed] = field(default_factory=dict)
    items: dict[int, Item] = field(default_factory=dict)
    requests: list[tuple[str, str, list, list]] = field(default_factory=list)
    answers_left: int | None = None


class GReaderServer:
    """A threaded server on an ephemeral port; use it as a context manager."""

    def __init__(self, *, ids_form: str = "decimal", page_limit: int = 1000) -> None:
        self.ids_form = ids_form
        self.page_limit = page_limit
        self.contents_delay = 0.0
        """Seconds each ``stream/items/contents`` answer waits (a slow first sync)."""
        self.state = _State()
        self._clock = itertools.count(int(time.time() * 1_000_000))
        self._feed_numbers = itertools.count(1)
        self._httpd: ThreadingHTTPServer | None = None
        self._thread: threading.Thread | None = None
        self.port = 0

    # -- lifecycle ---------------------------------------------------------------------

    def __enter__(self) -> GReaderServer:
        self.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self.stop()

    def start(self) -> None:
        httpd = ThreadingHTTPServer(("127.0.0.1", self.port), _Handler)
        httpd.daemon_threads = True
        httpd.greader = self  # type: ignore[attr-defined]
        self._httpd = httpd
        self.port = httpd.server_address[1]
        self._thread = threading.Thread(target=httpd.serve_forever, args=(0.05,), daemon=True)
        self._thread.start()

    def stop(self) -> None:
        """Stop listening: clients get "connection refused" until :meth:`start`."""
        if self._httpd is not None:
            self._httpd.shutdown()
            self._httpd.server_close()
            self._httpd = None

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}{PREFIX}"

    # -- state for tests -----------------------------------------------------------------

    def add_user(self, name: str, password: str) -> None:
        self.state.users[name] = password

    def add_feed(self, url: str, title: str, label: str = "") -> str:
        with self.state.lock:
            stream = f"feed/{next(self._feed_numbers)}"
            self.state.feeds[stream] = Feed(stream, url, title, label)
        return stream

    def add_items(self, stream: str, count: int, *, title: str = "Story") -> list[int]:
        """Publish ``count`` items in a feed (as if the server just fetched them)."""
        ids = []
        with self.state.lock:
            for n in range(count):
                item_id = next(self._clock)
                self.state.items[item_id] = Item(
                    item_id,
                    stream,
                    f"{title} {n} &amp; more",
                    f"https://example.org/{stream}/{item_id}",
                    f"<p>Body of {title} {n}. It has words enough to read.</p>",
                    published=item_id // 1_000_000,
                )
                ids.append(item_id)
        return ids

    def item(self, item_id: int) -> Item:
        return self.state.items[item_id]

    def set_item(self, item_id: int, *, read: bool | None = None, starred: bool | None = None):
        with self.state.lock:
            item = self.state.items[item_id]
            if read is not None:
                item.read = read
            if starred is not None:
                item.starred = starred

    def expire_token(self) -> None:
        """The write token changes: the next write with the old one gets a 401."""
        self.state.token = "token-" + secrets.token_hex(4)

    def expire_auth(self) -> None:
        self.state.auths.clear()

    def die_after(self, answers: int | None) -> None:
        """Answer this many more requests, then close every connection unanswered."""
        self.state.answers_left = answers

    def reset_log(self) -> None:
        self.state.requests.clear()

    def count(self, path_part: str) -> int:
        return sum(1 for _, path, _, _ in self.state.requests if path_part in path)

    # -- the API -------------------------------------------------------------------------

    def handle(self, method: str, path: str, query: list, form: list, auth: str | None):
        """(status, content type, body) for one request."""
        state = self.state
        if path == f"{PREFIX}/accounts/ClientLogin":
            fields = dict(form or query)
            user, password = fields.get("Email"), fields.get("Passwd")
            if user not in state.users or state.users[user] != password:
                return 401, "text/plain", "Unauthorized!"
            token = f"{user}/{secrets.token_hex(20)}"
            state.auths.add(token)
            return 200, "text/plain", f"SID={token}\nLSID=null\nAuth={token}\n"
        if not path.startswith(f"{PREFIX}/reader/api/0/"):
            return 404, "text/html", "<html>Not found</html>"
        if auth not in state.auths:
            return 401, "text/plain", "Unauthorized!"
        call = path.removeprefix(f"{PREFIX}/reader/api/0/")
        args = query + form
        if call == "token":
            return 200, "text/plain", state.token + "\n"
        writes = ("edit-tag", "subscription/quickadd", "subscription/edit")
        if call in writes and dict(form).get("T") != state.token:
            return 401, "text/plain", "Unauthorized!"
        with state.lock:
            if call == "subscription/list":
                feeds = [self._feed_json(f) for f in state.feeds.values()]
                return self._json({"subscriptions": feeds})
            if call == "stream/items/ids":
                return self._ids(dict(query))
            if call == "stream/items/contents":
                time.sleep(self.contents_delay)
                ids = [_decimal(v) for k, v in args if k == "i"]
                items = [state.items[i] for i in ids if i in state.items]
                answer = [self._item_json(i) for i in items]
                return self._json({"id": READING_LIST, "items": answer})
            if call == "edit-tag":
                ids = [_decimal(v) for k, v in form if k == "i"]
                fields = dict(form)
                for item_id in ids:
                    item = state.items.get(item_id)
                    if item is None:
                        continue
                    for key, value in (("a", True), ("r", False)):
                        if fields.get(key) == READ:
                            item.read = value
                        elif fields.get(key) == STARRED:
                            item.starred = value
                return 200, "text/plain", "OK"
            if call == "subscription/quickadd":
                url = dict(form).get("quickadd", "")
                if not url.startswith("http"):
                    return self._json({"numResults": 0, "error": "not a feed"})
                stream = f"feed/{next(self._feed_numbers)}"
                state.feeds[stream] = Feed(stream, url, f"Added {url}")
                return self._json({"numResults": 1, "query": url, "streamId": stream})
            if call == "subscription/edit":
                fields = dict(form)
                if fields.get("ac") == "unsubscribe" and fields.get("s") in state.feeds:
                    del state.feeds[fields["s"]]
                    return 200, "text/plain", "OK"
                return 400, "text/plain", "Bad Request!"
        return 400, "text/plain", "Bad Request!"

    def _ids(self, params: dict[str, str]):
        stream = params.get("s", "")
        items = list(self.state.items.values())
        if stream == STARRED:
            items = [i for i in items if i.starred]
        elif stream.startswith("feed/"):
            items = [i for i in items if i.feed == stream]
        # reading-list, and FreshRSS's quirk: s=...read is not understood -> everything.
        for key, keep in (("it", True), ("xt", False)):
            target = params.get(key)
            if target == READ:
                items = [i for i in items if i.read is keep]
            elif target == STARRED:
                items = [i for i in items if i.starred is keep]
        if "ot" in params:
            items = [i for i in items if i.id >= int(params["ot"]) * 1_000_000]
        items.sort(key=lambda i: i.id, reverse=True)
        if params.get("c"):
            items = [i for i in items if i.id < int(params["c"])]
        count = min(int(params.get("n", 20)), self.page_limit)
        page = items[:count]
        refs = [{"id": str(i.id) if self.ids_form == "decimal" else _long(i.id)} for i in page]
        answer: dict = {"itemRefs": refs}
        if len(items) > count:
            answer["continuation"] = str(page[-1].id)
        return self._json(answer)

    def _feed_json(self, feed: Feed) -> dict:
        categories = (
            [{"id": f"user/-/label/{feed.label}", "label": feed.label}] if feed.label else []
        )
        return {
            "id": feed.stream,
            "title": feed.title,
            "categories": categories,
            "url": feed.url,
            "htmlUrl": feed.url.rsplit("/", 1)[0],
        }

    def _item_json(self, item: Item) -> dict:
        feed = self.state.feeds.get(item.feed)
        categories = [READING_LIST]
        if item.read:
            categories.append("user/1005/state/com.google/read")
        if item.starred:
            categories.append(STARRED)
        return {
            "id": _long(item.id),
            "crawlTimeMsec": str(item.id // 1000),
            "timestampUsec": str(item.id),
            "published": item.published,
            "title": item.title,
            "canonical": [{"href": item.link}],
            "alternate": [{"href": item.link}],
            "categories": categories,
            "origin": {
                "streamId": item.feed,
                "title": feed.title if feed else "",
                "htmlUrl": "https://example.org/",
            },
            "summary": {"content": item.content},
            "author": "A. Writer",
        }

    @staticmethod
    def _json(data: object):
        return 200, "application/json", json.dumps(data)


def _long(item_id: int) -> str:
    return f"{LONG}{item_id % 2**64:016x}"


def _decimal(value: str) -> int:
    if value.startswith(LONG):
        number = int(value[len(LONG) :], 16)
        return number - 2**64 if number >= 2**63 else number
    return int(value)


class _Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"

    def log_message(self, *args: object) -> None:
        pass

    def do_GET(self) -> None:
        self._serve("GET")

    def do_POST(self) -> None:
        self._serve("POST")

    def _serve(self, method: str) -> None:
        server: GReaderServer = self.server.greader  # type: ignore[attr-defined]
        parts = urlsplit(self.path)
        query = parse_qsl(parts.query, keep_blank_values=True)
        length = int(self.headers.get("Content-Length") or 0)
        form = parse_qsl(self.rfile.read(length).decode(), keep_blank_values=True) if length else []
        state = server.state
        with state.lock:
            state.requests.append((method, parts.path, query, form))
            if state.answers_left is not None:
                if state.answers_left <= 0:
                    self.close_connection = True
                    self.connection.shutdown(socket.SHUT_RDWR)
                    return
                state.answers_left -= 1
        auth = self.headers.get("Authorization", "")
        token = auth.removeprefix("GoogleLogin auth=") if auth.startswith("GoogleLogin") else None
        status, content_type, body = server.handle(method, parts.path, query, form, token)
        data = body.encode()
        self.send_response(status)
        self.send_header("Content-Type", f"{content_type}; charset=UTF-8")
        self.send_header("Content-Length", str(len(data)))
        self.end_headers()
        try:
            self.wfile.write(data)
        except OSError:  # the client went away (killed mid-sync): nothing to answer
            self.close_connection = True
