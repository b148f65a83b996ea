"""Who may use the served reader: whoever has the access token.

The token comes once in the address that ``broadsheet serve`` prints (``?token=``);
the page's answer sets it as an HttpOnly, SameSite=Strict cookie, which the page's
scripts, styles and websocket then carry. Anything else gets 403 before textual-serve
sees it, so no reader process starts. The cookie alone is not enough for the
websocket: a page on another port of the same host is "same-site" and would send it,
so a websocket (and any request that states its Origin) must come from the served
page's own origin.
"""

from __future__ import annotations

import hmac
from collections.abc import Awaitable, Callable, Iterable

from aiohttp import web

Handler = Callable[[web.Request], Awaitable[web.StreamResponse]]

FORBIDDEN = (
    "403 Forbidden: open the address that `broadsheet serve` printed; "
    "it carries the access token.\n"
)
FOREIGN_ORIGIN = "403 Forbidden: this reader only answers its own page.\n"


def cookie_name(port: int) -> str:
    """One cookie per port: cookies ignore ports, and two servers must not evict each other."""
    return f"broadsheet-token-{port}"


def origin_of(url: str) -> str:
    """``scheme://host[:port]`` of a URL, as a browser sends it in ``Origin``."""
    from yarl import URL

    parsed = URL(url)
    return str(parsed.origin())


def _same(given: str | None, token: str) -> bool:
    # Constant time: the answer's timing must not tell how much of a guess was right.
    return given is not None and hmac.compare_digest(given.encode(), token.encode())


def access_middleware(
    token: str, *, cookie: str, origins: Iterable[str], secure: bool = False
) -> Callable[[web.Request, Handler], Awaitable[web.StreamResponse]]:
    """An aiohttp middleware that lets through only requests that carry ``token``.

    ``origins``: the ``Origin`` values accepted (the public URL's); ``secure``: the page
    is served over https, so the cookie is marked Secure.
    """
    allowed = frozenset(origins)

    @web.middleware
    async def check_access(request: web.Request, handler: Handler) -> web.StreamResponse:
        from_url = _same(request.query.get("token"), token)
        if not (from_url or _same(request.cookies.get(cookie), token)):
            raise web.HTTPForbidden(text=FORBIDDEN)
        # Browsers state the Origin of every websocket (and of scripted requests); a
        # client without one is not a browser, and it had the token.
        origin = request.headers.get("Origin")
        if origin is not None and origin not in allowed:
            raise web.HTTPForbidden(text=FOREIGN_ORIGIN)
        response = await handler(request)
        if from_url and not response.prepared:  # a websocket's answer is already sent
            response.set_cookie(
                cookie, token, httponly=True, samesite="Strict", secure=secure, path="/"
            )
        return response

    return check_access
