"""The ``serve`` command's arguments; the server itself is imported only when it runs."""

from __future__ import annotations

import argparse
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from ..commands import Context


def add_parser(command) -> None:  # command(name, help) -> ArgumentParser
    serve = command("serve", "the reader in a browser tab; prints the address to open")
    serve.add_argument(
        "--host", default="127.0.0.1", help="address to listen on (127.0.0.1: this machine only)"
    )
    serve.add_argument("--port", type=_port, default=8000, help="8000; 0 picks a free one")
    serve.add_argument(
        "--public-url",
        metavar="URL",
        type=_public_url,
        help="the address browsers use, when a proxy is in front (https://news.example.net)",
    )


def _port(text: str) -> int:
    if not text.isdigit() or int(text) > 65535:
        raise argparse.ArgumentTypeError(f"not a port number: {text!r}")
    return int(text)


def _public_url(text: str) -> str:
    from urllib.parse import urlsplit

    parts = urlsplit(text.strip())
    if parts.scheme not in ("http", "https") or not parts.hostname or parts.query:
        raise argparse.ArgumentTypeError(f"not an http(s) address without a query: {text!r}")
    return text.strip().rstrip("/")


def cmd_serve(ctx: Context, args: argparse.Namespace) -> int:
    from .server import serve

    return serve(ctx.config, args.host, args.port, args.public_url)
