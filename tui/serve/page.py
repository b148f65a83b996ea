"""The served page: it loads its own files only (so it works offline), and takes keys at once.

textual-serve's page links Roboto Mono from Google Fonts, a render-blocking stylesheet
that hangs the first screen without a network and tells a third party that the
reader was opened. Its package ships the same font, so the link is swapped for an
``@font-face`` on the local copy; a Content-Security-Policy keeps anything else from
being fetched from elsewhere (and the page from being framed by another site).

Its terminal does not take the keyboard focus until it is clicked, so keys typed into
a freshly opened page went nowhere; a line of script focuses it when the page loads.
"""

from __future__ import annotations

import re
from collections.abc import Awaitable, Callable

from aiohttp import web

Handler = Callable[[web.Request], Awaitable[web.StreamResponse]]

_WEB_FONT = re.compile(r"<link\b[^>]*\bhref=\"https?://fonts\.googleapis\.com/[^>]*>", re.I)
_LOCAL_FONT = """<style>
      @font-face {{
        font-family: "Roboto Mono";
        src: url("{static}fonts/RobotoMono-VariableFont_wght.ttf") format("truetype");
        font-weight: 100 700;
        font-style: normal;
      }}
      @font-face {{
        font-family: "Roboto Mono";
        src: url("{static}fonts/RobotoMono-Italic-VariableFont_wght.ttf") format("truetype");
        font-weight: 100 700;
        font-style: italic;
      }}
    </style>"""

# After textual-serve's own window.onload, which creates the terminal.
_FOCUS = """<script>
      window.addEventListener("load", () => {
        const keys = document.querySelector(".xterm-helper-textarea");
        if (keys) keys.focus();
      });
    </script>
  </body>"""

# textual-serve's page has inline scripts and styles (and onclick handlers): they stay
# allowed, but only from this page. 'self' covers the page's own ws:// in browsers
# that follow CSP 3; the websocket is named as well for those that do not.
_POLICY = (
    "default-src 'self'; script-src 'self' 'unsafe-inline'; "
    "style-src 'self' 'unsafe-inline'; img-src 'self' data:; font-src 'self'; "
    "connect-src 'self' {websocket}; frame-ancestors 'none'; base-uri 'none'; "
    "form-action 'none'"
)


def local_page(html: str, static_url: str) -> str:
    """textual-serve's page with its web font replaced by the packaged copy, and the
    terminal focused once loaded."""
    html = _WEB_FONT.sub(lambda _: _LOCAL_FONT.format(static=static_url), html)
    return html.replace("</body>", _FOCUS, 1)


def page_middleware(
    public_url: str,
) -> Callable[[web.Request, Handler], Awaitable[web.StreamResponse]]:
    """An aiohttp middleware: the index page loads nothing from the internet, and every
    answer says so in its headers."""
    base = public_url.rstrip("/")
    static_url = f"{base}/static/"
    websocket = ("wss:" if base.startswith("https:") else "ws:") + base.split(":", 1)[1] + "/ws"
    policy = _POLICY.format(websocket=websocket)

    @web.middleware
    async def offline_page(request: web.Request, handler: Handler) -> web.StreamResponse:
        response = await handler(request)
        if (
            request.path == "/"
            and isinstance(response, web.Response)
            and response.content_type == "text/html"
            and response.text is not None
        ):
            response.text = local_page(response.text, static_url)
        if not response.prepared:
            response.headers["Content-Security-Policy"] = policy
            response.headers["Referrer-Policy"] = "no-referrer"
            response.headers["X-Content-Type-Options"] = "nosniff"
        return response

    return offline_page
