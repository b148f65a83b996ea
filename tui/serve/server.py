"""Serve the reader: bind, print the address once, run until a signal, stop cleanly.

textual-serve's ``Server`` supplies the page, the websocket and one reader process per
tab; we run its aiohttp app ourselves (its ``serve()`` prints a banner on stdout and
binds only after its start-up) with our middlewares in front. Each tab's reader is
told to quit when its websocket closes, and finishes its pending writes first; on
Ctrl+C or SIGTERM every tab is closed that way, and a reader that does not go within
``QUIT_SECONDS`` is terminated, so nothing is left running.
"""

from __future__ import annotations

import asyncio
import contextlib
import ipaddress
import os
import secrets
import shlex
import signal
import socket
import sys
import time
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from pathlib import Path

from aiohttp import web
from textual_serve.server import Server

from ..core.config import Config
from ..core.errors import BroadsheetError
from ..refresh_process import CHILD_STOP_SECONDS
from .access import access_middleware, cookie_name, origin_of
from .page import page_middleware

QUIT_SECONDS = 10.0
"""How long readers get to finish their writes and quit when the server stops."""
TOKEN_BYTES = 32

Handler = Callable[[web.Request], Awaitable[web.StreamResponse]]


@dataclass(frozen=True, slots=True)
class Address:
    """Where the server listens and the address browsers use for it."""

    sock: socket.socket
    public_url: str
    """Without a trailing slash: ``http://127.0.0.1:8000``."""

    @property
    def port(self) -> int:
        return int(self.sock.getsockname()[1])


def is_loopback(host: str) -> bool:
    if host == "localhost":
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


def listen(host: str, port: int, public_url: str | None = None) -> Address:
    """Bind now (``port`` 0: any free port), so the printed address is already live."""
    try:
        family, kind, proto, _, where = socket.getaddrinfo(
            host or None, port, type=socket.SOCK_STREAM, flags=socket.AI_PASSIVE
        )[0]
        sock = socket.socket(family, kind, proto)
    except (OSError, UnicodeError) as exc:
        raise BroadsheetError(f"cannot listen on {host}: {exc}") from None
    try:
        sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        sock.bind(where)
        sock.listen(128)
    except OSError as exc:
        sock.close()
        hint = " (another --port, or --port 0 for any free one)" if port else ""
        raise BroadsheetError(f"cannot listen on {host}:{port}: {exc.strerror}{hint}") from None
    sock.setblocking(False)
    bound = int(sock.getsockname()[1])
    return Address(sock, (public_url or _public_url(host, bound)).rstrip("/"))


def _public_url(host: str, port: int) -> str:
    if host in ("", "0.0.0.0", "::"):
        host = socket.gethostname()  # every interface: browsers need a name for this machine
    if ":" in host:
        host = f"[{host}]"
    return f"http://{host}:{port}"


def new_token(config_token: str | None) -> str:
    return config_token or secrets.token_urlsafe(TOKEN_BYTES)


def reader_command(config: Config) -> str:
    """The shell command textual-serve runs for each tab: this reader on this archive.

    ``exec``: the reader replaces the shell, so it is the server's own child, and a
    signal or a wait reaches it.
    """
    words = [sys.executable, "-m", "tui", "--data-dir", str(config.data_dir)]
    if config.config_file is not None:
        words += ["--config", str(config.config_file)]
    return "exec " + shlex.join(words)


class ReaderServer(Server):
    """textual-serve's server, quiet on stdout and with our checks in front."""

    def __init__(self, command: str, address: Address, token: str) -> None:
        host, port = address.sock.getsockname()[:2]
        super().__init__(
            command,
            host=str(host),
            port=int(port),
            title="Broadsheet",
            public_url=address.public_url,
        )
        self.token = token
        self.sessions: set[asyncio.Task[object]] = set()
        """The tasks serving each tab's websocket, to close them when we stop."""

    async def on_startup(self, app: web.Application) -> None:
        """textual-serve prints a banner here; stdout is for the one address line."""

    async def make_app(self) -> web.Application:
        app = await self._make_app()
        access = access_middleware(
            self.token,
            cookie=cookie_name(self.port),
            origins=[origin_of(self.public_url)],
            secure=self.public_url.startswith("https:"),
        )
        # Outermost first: nothing reaches the page or textual-serve without the token.
        for position, middleware in enumerate(
            (access, page_middleware(self.public_url), self._track_sessions)
        ):
            app.middlewares.insert(position, middleware)
        return app

    @web.middleware
    async def _track_sessions(self, request: web.Request, handler: Handler) -> web.StreamResponse:
        task = asyncio.current_task()
        if request.path != "/ws" or task is None:
            return await handler(request)
        self.sessions.add(task)
        try:
            return await handler(request)
        finally:
            self.sessions.discard(task)

    async def close_tabs(self) -> None:
        """Tell every tab's reader to quit (each finishes its writes), and wait for them."""
        tasks = list(self.sessions)
        for task in tasks:
            task.cancel()  # textual-serve then sends its reader "quit" and waits for it
        if tasks:
            await asyncio.wait(tasks, timeout=QUIT_SECONDS)


def serve(config: Config, host: str, port: int, public_url: str | None) -> int:
    """Run until Ctrl+C or SIGTERM; print the address (with the token) as the one stdout line."""
    address = listen(host, port, public_url)
    token = new_token(config.serve.token)
    if not is_loopback(host):
        print(
            f"broadsheet: warning: serving on {host or 'every interface'} without encryption: "
            "anyone who can see the traffic can read the token and your reader. "
            "Put a TLS proxy in front (README: In a browser).",
            file=sys.stderr,
        )
    server = ReaderServer(reader_command(config), address, token)
    asyncio.run(_run(server, address, f"{address.public_url}/?token={token}"))
    return 0


async def _run(server: ReaderServer, address: Address, url: str) -> None:
    app = await server.make_app()
    runner = web.AppRunner(app, handle_signals=False, access_log=None, shutdown_timeout=2.0)
    await runner.setup()
    await web.SockSite(runner, address.sock).start()
    stop = asyncio.Event()
    loop = asyncio.get_running_loop()
    for signum in (signal.SIGINT, signal.SIGTERM):
        # Not on Windows: there Ctrl+C arrives as KeyboardInterrupt, and `main` says so.
        with contextlib.suppress(NotImplementedError):
            loop.add_signal_handler(signum, stop.set)
    print(url, flush=True)
    # textual-serve copies a reader's stderr to sys.stdout when it ends: stdout stays
    # the one line that scripts read.
    sys.stdout = sys.stderr
    try:
        await stop.wait()
    finally:
        await server.close_tabs()
        await runner.cleanup()
        _end_children()


def _end_children() -> None:
    """Terminate any reader still running after it was asked to quit, then kill it."""
    pids = _children()
    for pid in pids:
        with contextlib.suppress(ProcessLookupError):
            os.kill(pid, signal.SIGTERM)  # the web driver quits the app on SIGTERM
    # Longer than a reader's own wait for its refresh child: killed sooner, the reader
    # could not stop that child, which runs in a process group of its own.
    deadline = time.monotonic() + CHILD_STOP_SECONDS + 2.0
    while (pids := _children()) and time.monotonic() < deadline:
        time.sleep(0.05)
    for pid in pids:
        with contextlib.suppress(ProcessLookupError):
            os.kill(pid, signal.SIGKILL)


def _children() -> list[int]:
    """Our living child processes (Linux's /proc; elsewhere none are known)."""
    found: list[int] = []
    for children in Path("/proc/self/task").glob("*/children"):
        with contextlib.suppress(OSError):
            found += [int(pid) for pid in children.read_text().split()]
    return [pid for pid in found if _alive(pid)]


def _alive(pid: int) -> bool:
    try:
        state = Path(f"/proc/{pid}/stat").read_text().rpartition(")")[2].split()[0]
    except (OSError, IndexError):
        return False
    return state != "Z"  # a zombie has ended; asyncio's watcher reaps it
