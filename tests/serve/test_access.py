"""The token check in front of the served reader, on a real aiohttp server (loopback).

The app behind it counts what reached it: a refused request must start nothing.
"""

from __future__ import annotations

import aiohttp
import pytest
from aiohttp import web
from aiohttp.test_utils import TestServer, unused_port

from tui.serve.access import FORBIDDEN, FOREIGN_ORIGIN, access_middleware, cookie_name

TOKEN = "s3cret-token-for-tests-only-0123"
COOKIE = cookie_name(8000)


@pytest.fixture
async def server():
    reached: list[str] = []

    async def index(request: web.Request) -> web.Response:
        reached.append("index")
        return web.Response(text="<p>the reader</p>", content_type="text/html")

    async def websocket(request: web.Request) -> web.WebSocketResponse:
        reached.append("websocket")  # where textual-serve starts a reader process
        ws = web.WebSocketResponse()
        await ws.prepare(request)
        async for message in ws:
            await ws.send_str(message.data)
        return ws

    port = unused_port()
    own = f"http://127.0.0.1:{port}"
    app = web.Application(middlewares=[access_middleware(TOKEN, cookie=COOKIE, origins=[own])])
    app.router.add_get("/", index)
    app.router.add_get("/ws", websocket)
    server = TestServer(app, host="127.0.0.1", port=port)
    await server.start_server()
    server.reached = reached
    server.own_origin = own
    yield server
    await server.close()


async def get(server, path: str, *, cookies=None, headers=None):
    async with (
        aiohttp.ClientSession(cookies=cookies) as session,
        session.get(server.make_url(path), headers=headers) as response,
    ):
        return response.status, await response.text(), response.headers


async def test_without_a_token_the_page_is_refused_and_nothing_runs(server):
    status, body, _ = await get(server, "/")
    assert (status, body) == (403, FORBIDDEN)
    assert server.reached == []


async def test_a_wrong_token_is_refused(server):
    status, _, _ = await get(server, "/?token=" + TOKEN[:-1] + "x")
    assert status == 403
    status, _, _ = await get(server, "/", cookies={COOKIE: "guess"})
    assert status == 403
    assert server.reached == []


async def test_the_right_token_opens_the_page_and_sets_a_strict_httponly_cookie(server):
    status, body, headers = await get(server, f"/?token={TOKEN}")
    assert (status, body) == (200, "<p>the reader</p>")
    cookie = headers["Set-Cookie"]
    assert cookie.startswith(f"{COOKIE}={TOKEN};")
    attributes = {part.strip().lower() for part in cookie.split(";")[1:]}
    assert {"httponly", "samesite=strict", "path=/"} <= attributes
    assert "secure" not in attributes  # plain http on loopback: Secure would drop it


async def test_the_cookie_alone_lets_the_page_in(server):
    status, _, headers = await get(server, "/", cookies={COOKIE: TOKEN})
    assert status == 200
    assert "Set-Cookie" not in headers  # nothing new to remember


async def index_ok(request: web.Request) -> web.Response:
    return web.Response(text="ok")


async def test_the_secure_flag_is_set_behind_https():
    middleware = access_middleware(TOKEN, cookie=COOKIE, origins=[], secure=True)
    app = web.Application(middlewares=[middleware])
    app.router.add_get("/", index_ok)
    async with TestServer(app, host="127.0.0.1") as server:
        _, _, headers = await get(server, f"/?token={TOKEN}")
    assert "secure" in headers["Set-Cookie"].lower()


async def websocket_status(server, *, cookies=None, origin=None, query="") -> int:
    headers = {"Origin": origin} if origin else {}
    async with aiohttp.ClientSession(cookies=cookies) as session:
        try:
            async with session.ws_connect(server.make_url("/ws" + query), headers=headers) as ws:
                await ws.send_str("ping")
                assert (await ws.receive_str()) == "ping"
                return 101
        except aiohttp.WSServerHandshakeError as refused:
            return refused.status


async def test_the_websocket_needs_the_token(server):
    assert await websocket_status(server, origin=server.own_origin) == 403
    assert server.reached == []  # no reader was started
    cookies = {COOKIE: TOKEN}
    assert await websocket_status(server, cookies=cookies, origin=server.own_origin) == 101
    assert server.reached == ["websocket"]


async def test_a_websocket_from_another_origin_is_refused_even_with_the_cookie(server):
    # A page on another port of this host is "same-site": its websocket carries the cookie.
    port = int(server.own_origin.rsplit(":", 1)[1])
    for origin in (
        f"http://127.0.0.1:{port + 1}",
        "http://localhost",
        "null",
        "https://evil.example",
    ):
        status = await websocket_status(server, cookies={COOKIE: TOKEN}, origin=origin)
        assert status == 403, origin
    assert server.reached == []


async def test_a_foreign_origin_is_refused_for_plain_requests_too(server):
    status, body, _ = await get(
        server, "/", cookies={COOKIE: TOKEN}, headers={"Origin": "http://127.0.0.1:1"}
    )
    assert (status, body) == (403, FOREIGN_ORIGIN)


async def test_a_client_without_origin_but_with_the_token_is_let_in(server):
    # Scripts (not browsers) send no Origin; they had to know the token.
    assert await websocket_status(server, query=f"?token={TOKEN}") == 101
