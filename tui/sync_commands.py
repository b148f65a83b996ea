"""The CLI's sync commands (``sync setup|status|off``, ``sync``) and ``mark``.

``refresh`` calls :func:`sync_before_refresh` so that one command (and the reader's
R, which runs ``refresh`` in a child process) brings both the server's articles and
the local feeds' up to date.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import sys
import time
from typing import TYPE_CHECKING

from . import output
from .core.errors import BroadsheetError, SyncError
from .core.sync.account import Account, forget_account, load_account, save_account
from .core.sync.report import SyncReport

if TYPE_CHECKING:
    from .commands import Context
    from .core.sync.engine import SyncProgress

NO_ACCOUNT = (
    "no sync account; set one up with: broadsheet sync setup URL --user NAME --password-stdin"
)


def add_parsers(command) -> None:  # command(name, help) -> ArgumentParser
    sync = command("sync", "sync with a Google Reader API server (FreshRSS, Miniflux, ...)")
    sync.add_argument("--json", action="store_true", help="one JSON document on stdout")
    actions = sync.add_subparsers(dest="sync_action", metavar="ACTION")
    setup = actions.add_parser("setup", help="sign in and keep the auth token")
    setup.add_argument("url", metavar="URL", help="e.g. https://host/api/greader.php")
    setup.add_argument("--user", metavar="NAME", required=True)
    setup.add_argument(
        "--password-stdin",
        action="store_true",
        required=True,
        help="read the (API) password from standard input",
    )
    status = actions.add_parser("status", help="the account, the last sync, pending changes")
    status.add_argument("--json", action="store_true", help="one JSON document on stdout")
    actions.add_parser("off", help="forget the account (articles are kept)")

    mark = command("mark", "mark articles read or unread (synced ones on the next sync)")
    mark.add_argument("ids", metavar="ID", type=_article_id, nargs="*")
    state = mark.add_mutually_exclusive_group(required=True)
    state.add_argument("--read", action="store_true")
    state.add_argument("--unread", action="store_true")
    mark.add_argument(
        "--older-than", metavar="AGE", help="every unread article older than 7d, 12h... (undoable)"
    )
    mark.add_argument("--feed", metavar="URL", help="with --older-than: only this feed")


def _article_id(text: str) -> int:
    if not text.isdigit() or int(text) <= 0:
        raise argparse.ArgumentTypeError(f"not an article id: {text!r}")
    return int(text)


def cmd_sync(ctx: Context, args: argparse.Namespace) -> int:
    action = getattr(args, "sync_action", None)
    if action == "setup":
        return _setup(ctx, args)
    if action == "status":
        return _status(ctx, args)
    if action == "off":
        return _off(ctx)
    account = load_account(ctx.config.data_dir)
    if account is None:
        raise SyncError(NO_ACCOUNT)
    progress = SyncProgressLine()
    try:
        report = run_sync(ctx, account, progress)
    finally:
        progress.finish()
    from .story_commands import after_refresh

    after_refresh(ctx)  # rules and stories for what the sync brought, as after a refresh
    if args.json:
        output.print_json(report.to_json())
    else:
        print(report.line())
    return _finish(report)


def run_sync(ctx: Context, account: Account, progress=None) -> SyncReport:
    from .core.sync.engine import sync_once

    ctx.store.start_sync(account.url)
    return asyncio.run(sync_once(ctx.store, account, limits=ctx.config.fetch, progress=progress))


def _finish(report: SyncReport) -> int:
    if report.errors:
        output.error(offline_line(report))
        return 1
    return 0


def offline_line(report: SyncReport) -> str:
    line = f"sync: {report.errors[0]}"
    if report.pending:
        line += f" ({report.pending} changes wait for the next sync)"
    return line


def _setup(ctx: Context, args: argparse.Namespace) -> int:
    from .core.sync.client import GReaderClient

    password = sys.stdin.readline().rstrip("\r\n")
    if not password:
        raise SyncError('no password on standard input (echo "$PASSWORD" | broadsheet sync ...)')

    async def login() -> str:
        async with GReaderClient(args.url, limits=ctx.config.fetch) as client:
            return await client.login(args.user, password)

    auth = asyncio.run(login())
    account = Account(args.url.strip().rstrip("/"), args.user, auth)
    path = save_account(ctx.config.data_dir, account)
    ctx.store.start_sync(account.url)
    print(f"Signed in to {account.url} as {account.user}; the token is in {path}.")
    print("Fetch your articles with: broadsheet sync")
    return 0


def _status(ctx: Context, args: argparse.Namespace) -> int:
    from .core.sync.engine import LAST_ERROR_KEY, LAST_SYNC_KEY

    account = load_account(ctx.config.data_dir)
    store = ctx.store
    status = {
        "account": {"url": account.url, "user": account.user} if account else None,
        "last_sync": store.get_state(LAST_SYNC_KEY) if account else None,
        "last_error": (store.get_state(LAST_ERROR_KEY) or None) if account else None,
        "pending": store.pending_count(),
        "subscriptions": store.server_subscription_count(),
    }
    if args.json:
        output.print_json(status)
        return 0
    if account is None:
        print("Sync is off. " + NO_ACCOUNT.removeprefix("no sync account; ").capitalize())
        return 0
    print(f"Account: {account.user} at {account.url}")
    print(f"Last sync: {status['last_sync'] or 'never'}")
    if status["last_error"]:
        print(f"Last problem: {status['last_error']}")
    print(f"Server feeds: {status['subscriptions']}; changes waiting: {status['pending']}")
    return 0


def _off(ctx: Context) -> int:
    had = forget_account(ctx.config.data_dir)
    dropped = ctx.store.forget_sync()
    if not had:
        print("Sync was not set up.")
        return 0
    message = "Sync is off; the synced articles stay in the archive"
    if dropped:
        message += f" ({dropped} changes were never sent)"
    print(message + ".")
    return 0


def cmd_mark(ctx: Context, args: argparse.Namespace) -> int:
    from .story_commands import mark_older_than

    if args.older_than or args.feed or not args.ids:
        return mark_older_than(ctx, args)
    store = ctx.store
    ids = list(dict.fromkeys(args.ids))
    for article_id in ids:
        store.article(article_id)  # a missing id is one clear line, before any change
    store.set_read(ids, read=args.read)
    state = "read" if args.read else "unread"
    message = f"Marked {len(ids)} article{'s' if len(ids) != 1 else ''} {state}"
    pending = store.pending_count()
    if pending and load_account(ctx.config.data_dir) is not None:
        message += f"; {pending} changes go to the server on the next sync"
    print(message)
    return 0


def push_subscription_change(ctx: Context) -> int:
    """After ``add`` or ``remove`` with an account: send it to the server now.

    The change is queued already (store triggers); offline it waits, and says so.
    """
    account = load_account(ctx.config.data_dir)
    if account is None or not ctx.store.pending_feed_changes():
        return 0
    report = run_sync(ctx, account)
    if report.errors:
        output.error(offline_line(report))
        return 1
    print(f"The server has it too. {report.line()}")
    return 0


def sync_before_refresh(ctx: Context, progress_json: bool) -> SyncReport | None:
    """The sync a refresh starts with when an account is set; None without one."""
    account = load_account(ctx.config.data_dir)
    if account is None:
        return None
    progress = SyncJSONProgress() if progress_json else SyncProgressLine()
    try:
        return run_sync(ctx, account, progress)
    except BroadsheetError as exc:  # the store, say: the local feeds still refresh
        return SyncReport(errors=(exc.message,))
    finally:
        progress.finish()


class SyncProgressLine:
    """ "Syncing: 300/10000 items" on a terminal's stderr, redrawn at most 10 times a second."""

    def __init__(self) -> None:
        self.enabled = sys.stderr.isatty()
        self._last = 0.0

    def __call__(self, progress: SyncProgress) -> None:
        if not self.enabled:
            return
        now = time.monotonic()
        if progress.done < progress.total and now - self._last < 0.1:
            return
        self._last = now
        text = f"Syncing: {progress.phase}"
        if progress.total:
            text += f" {progress.done}/{progress.total}"
        sys.stderr.write("\r\x1b[2K" + text)
        sys.stderr.flush()

    def finish(self) -> None:
        if self.enabled:
            sys.stderr.write("\r\x1b[2K")
            sys.stderr.flush()


class SyncJSONProgress:
    """Progress lines the reader reads from its refresh child (``refresh --progress-json``)."""

    def __init__(self) -> None:
        self._last = 0.0

    def __call__(self, progress: SyncProgress) -> None:
        now = time.monotonic()
        if progress.done < progress.total and now - self._last < 0.1:
            return
        self._last = now
        line = {
            "done": progress.done,
            "total": progress.total,
            "errors": 0,
            "new_articles": progress.done if progress.phase == "items" else 0,
            "phase": f"sync {progress.phase}",
            "unit": "items",
        }
        sys.stderr.write(json.dumps(line) + "\n")
        sys.stderr.flush()

    def finish(self) -> None:
        pass
