"""An HTTP client for the Google Reader API, as FreshRSS, Miniflux and Inoreader speak it.

Built on the same aiohttp and TLS context as ``fetch``, with the same bounds: every
request has a deadline and a body cap, and every failure is one line
(:class:`~tui.core.errors.SyncError`, or ``FetchError`` for the network itself).

Writes carry the ``T=`` token from ``/reader/api/0/token``; tokens expire, so a 401
on a write fetches a new one and tries once more.
"""

from __future__ import annotations

import asyncio
import json
from collections.abc import Iterable, Sequence
from typing import Any

from yarl import URL

from ..config import FetchSettings
from ..errors import FetchError, FetchTimeoutError, SyncAuthError, SyncError
from ..fetch import USER_AGENT, _read_body, _tls_context, _translate, aiohttp
from .ids import long_item_id, parse_item_id
from .types import LABEL_PREFIX, ServerFeed

API = "reader/api/0"
CONTENTS_BATCH = 250
"""Items asked for per ``stream/items/contents`` request (Inoreader's limit)."""
IDS_PAGE = 10_000
"""Ids per ``stream/items/ids`` page; servers may send fewer and a continuation."""
EDIT_BATCH = 250
"""Items per ``edit-tag`` request."""
_MAX_PAGES = 1_000
NOT_GREADER = (
    "does not answer as a Google Reader API (for FreshRSS give https://HOST/api/greader.php)"
)


class RejectedError(SyncError):
    """The server understood and refused this one request (a 4xx, a failed quickadd)."""


class GReaderClient:
    """A session with one server; use it as an async context manager."""

    def __init__(
        self,
        base_url: str,
        auth: str | None = None,
        *,
        limits: FetchSettings | None = None,
        user_agent: str = USER_AGENT,
    ) -> None:
        self.base = _base_url(base_url)
        self.auth = auth
        self.limits = limits or FetchSettings()
        self.user_agent = user_agent
        self.requests = 0
        """Requests made, for the benchmarks and the "few small requests" test."""
        self.bytes_received = 0
        self._token: str | None = None
        self._session: aiohttp.ClientSession | None = None

    async def __aenter__(self) -> GReaderClient:
        limits = self.limits
        self._session = aiohttp.ClientSession(
            connector=aiohttp.TCPConnector(limit=4),
            timeout=aiohttp.ClientTimeout(
                total=None,
                sock_connect=limits.connect_timeout,
                sock_read=limits.read_timeout,
            ),
            headers={"User-Agent": self.user_agent},
            raise_for_status=False,
        )
        return self

    async def __aexit__(self, *exc: object) -> None:
        if self._session is not None:
            await self._session.close()
            self._session = None

    # -- requests ---------------------------------------------------------------------

    async def _request(
        self,
        method: str,
        path: str,
        *,
        params: Sequence[tuple[str, str]] = (),
        data: Sequence[tuple[str, str]] | None = None,
        authorised: bool = True,
    ) -> tuple[int, bytes]:
        assert self._session is not None, "use 'async with GReaderClient(...)'"
        url = self.base / path if path else self.base
        headers = {}
        if authorised and self.auth:
            headers["Authorization"] = f"GoogleLogin auth={self.auth}"
        total = self.limits.total_timeout
        self.requests += 1
        try:
            async with asyncio.timeout(total):
                async with self._session.request(
                    method,
                    url,
                    params=list(params),
                    data=list(data) if data is not None else None,
                    headers=headers,
                    allow_redirects=False,
                    ssl=_tls_context() if url.scheme == "https" else True,
                ) as resp:
                    body = await _read_body(resp, self.limits.max_bytes)
                    self.bytes_received += len(body)
                    return resp.status, body
        except aiohttp.ClientError as exc:
            raise _translate(exc, url, self.limits) from None
        except TimeoutError:
            raise FetchTimeoutError(f"{_host(url)} took longer than {total:g} s") from None

    async def _get_json(self, path: str, params: Sequence[tuple[str, str]] = ()) -> Any:
        status, body = await self._request("GET", path, params=[*params, ("output", "json")])
        self._check(status, path)
        return _json(body, self.base)

    def _check(self, status: int, path: str) -> None:
        if status == 401:
            raise SyncAuthError(
                f"{_host(self.base)} refused the saved login; run `broadsheet sync setup` again"
            )
        if status == 404:
            raise SyncError(f"{_host(self.base)} {NOT_GREADER}")
        if 400 <= status < 500:
            raise RejectedError(f"{_host(self.base)} refused {path.split('/')[-1]} (HTTP {status})")
        if not 200 <= status < 300:
            raise SyncError(f"{_host(self.base)} answered HTTP {status} to {path.split('/')[-1]}")

    # -- login and token ----------------------------------------------------------------

    async def login(self, user: str, password: str) -> str:
        """ClientLogin: the auth token for ``user``, kept in ``self.auth`` too."""
        status, body = await self._request(
            "POST",
            "accounts/ClientLogin",
            data=[("Email", user), ("Passwd", password)],
            authorised=False,
        )
        if status in (401, 403):
            raise SyncAuthError(f"{_host(self.base)} refused the user name or password")
        if status == 404 or status >= 300 and status != 400:
            raise SyncError(f"{_host(self.base)} {NOT_GREADER} (HTTP {status})")
        lines = body.decode("utf-8", "replace").splitlines()
        fields = dict(line.split("=", 1) for line in lines if "=" in line)
        auth = fields.get("Auth", "").strip()
        if status == 400 and not auth:
            raise SyncAuthError(f"{_host(self.base)} refused the user name")
        if not auth or any(c.isspace() for c in auth):
            raise SyncError(f"{_host(self.base)} {NOT_GREADER}")
        self.auth = auth
        return auth

    async def _write_token(self, fresh: bool = False) -> str:
        if self._token is None or fresh:
            status, body = await self._request("GET", f"{API}/token")
            self._check(status, "token")
            self._token = body.decode("utf-8", "replace").strip()
        return self._token

    async def _write(self, path: str, data: Sequence[tuple[str, str]]) -> bytes:
        """POST with the T= token; on a 401 the token is fetched again, once."""
        for attempt in range(2):
            token = await self._write_token(fresh=attempt > 0)
            status, body = await self._request("POST", path, data=[*data, ("T", token)])
            if status != 401:
                self._check(status, path)
                return body
        self._check(401, path)
        raise AssertionError("unreachable")

    # -- reading ----------------------------------------------------------------------

    async def subscriptions(self) -> list[ServerFeed]:
        data = await self._get_json(f"{API}/subscription/list")
        entries = data.get("subscriptions") if isinstance(data, dict) else None
        if not isinstance(entries, list):
            raise SyncError(f"{_host(self.base)} sent a subscription list we cannot read")
        feeds = []
        for entry in entries:
            if not isinstance(entry, dict) or not isinstance(entry.get("id"), str):
                continue
            stream = entry["id"]
            url = _text(entry.get("url")) or stream.removeprefix("feed/")
            categories = entry.get("categories")
            labels = tuple(
                _text(c.get("label")) or _text(c.get("id")).removeprefix(LABEL_PREFIX)
                for c in (categories if isinstance(categories, list) else ())
                if isinstance(c, dict) and _text(c.get("id")).startswith(LABEL_PREFIX)
            )
            feeds.append(
                ServerFeed(
                    stream_id=stream,
                    url=url,
                    title=_text(entry.get("title")),
                    site_url=_text(entry.get("htmlUrl")) or None,
                    labels=labels,
                )
            )
        return feeds

    async def item_ids(
        self,
        stream: str,
        *,
        include: str | None = None,
        exclude: str | None = None,
        since: int | None = None,
        page: int = IDS_PAGE,
    ) -> list[int]:
        """Every item id in ``stream``, following ``continuation`` page by page.

        ``since`` (``ot=``) keeps only items the server stored after that time.
        """
        params = [("s", stream), ("n", str(page))]
        if include:
            params.append(("it", include))
        if exclude:
            params.append(("xt", exclude))
        if since is not None:
            params.append(("ot", str(since)))
        ids: list[int] = []
        continuation: str | None = None
        for _ in range(_MAX_PAGES):
            asked = params + ([("c", continuation)] if continuation else [])
            data = await self._get_json(f"{API}/stream/items/ids", asked)
            refs = data.get("itemRefs") if isinstance(data, dict) else None
            if refs is None and isinstance(data, dict):
                refs = []  # FreshRSS leaves the key out of an empty answer on some versions
            if not isinstance(refs, list):
                raise SyncError(f"{_host(self.base)} sent item ids we cannot read")
            for ref in refs:
                try:
                    ids.append(parse_item_id(ref["id"]))
                except (KeyError, TypeError, ValueError):
                    continue
            following = data.get("continuation")
            if not following or not refs or following == continuation:
                return ids
            continuation = str(following)
        raise SyncError(f"{_host(self.base)} kept sending more pages of ids")

    async def contents(self, ids: Iterable[int]) -> list[dict[str, Any]]:
        """The items with these ids (one request; the caller batches)."""
        data = [("i", long_item_id(item_id)) for item_id in ids]
        status, body = await self._request(
            "POST", f"{API}/stream/items/contents", params=[("output", "json")], data=data
        )
        self._check(status, "stream/items/contents")
        document = _json(body, self.base)
        items = document.get("items") if isinstance(document, dict) else None
        if not isinstance(items, list):
            raise SyncError(f"{_host(self.base)} sent items we cannot read")
        return [item for item in items if isinstance(item, dict)]

    # -- writing ----------------------------------------------------------------------

    async def edit_tag(
        self, ids: Sequence[int], *, add: str | None = None, remove: str | None = None
    ) -> None:
        """Add or remove a state (read, starred) on items, in batches."""
        for start in range(0, len(ids), EDIT_BATCH):
            data = [("i", long_item_id(i)) for i in ids[start : start + EDIT_BATCH]]
            if add:
                data.append(("a", add))
            if remove:
                data.append(("r", remove))
            await self._write(f"{API}/edit-tag", data)

    async def quickadd(self, url: str) -> str:
        """Subscribe on the server; return the new stream id."""
        body = await self._write(f"{API}/subscription/quickadd", [("quickadd", url)])
        data = _json(body, self.base)
        stream = data.get("streamId") if isinstance(data, dict) else None
        if not isinstance(stream, str) or not stream:
            reason = data.get("error") if isinstance(data, dict) else None
            raise RejectedError(
                f"{_host(self.base)} could not subscribe to {url}"
                + (f": {_text(reason)}" if reason else "")
            )
        return stream

    async def unsubscribe(self, stream_id: str) -> None:
        await self._write(f"{API}/subscription/edit", [("ac", "unsubscribe"), ("s", stream_id)])


def _base_url(url: str) -> URL:
    text = url.strip().rstrip("/")
    try:
        parsed = URL(text)
    except (ValueError, TypeError):
        raise SyncError(f"not a valid URL: {url!r}") from None
    if parsed.scheme not in ("http", "https") or not parsed.host:
        raise SyncError(f"give the server's address with http:// or https://, not {url!r}")
    return parsed


def _json(body: bytes, base: URL) -> Any:
    try:
        return json.loads(body)
    except ValueError:
        raise SyncError(f"{_host(base)} {NOT_GREADER}") from None


def _text(value: object) -> str:
    return value if isinstance(value, str) else ""


def _host(url: URL) -> str:
    port = url.explicit_port
    return f"{url.host}:{port}" if port else str(url.host)


__all__ = ["CONTENTS_BATCH", "FetchError", "GReaderClient", "RejectedError"]
