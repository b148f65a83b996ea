"""The ``broadsheet`` command: parse arguments, then run a command or open the reader.

Exit codes: 0 success, 1 a problem reported in one line on stderr, 2 a usage error.
"""

from __future__ import annotations

import argparse
import gc
import os
import sys
from collections.abc import Sequence

from . import __version__

EXAMPLES = """\
examples:
  broadsheet                          open the reader
  broadsheet add https://example.com  subscribe (a web page is followed to its feed)
  broadsheet refresh                  fetch every feed now
  broadsheet articles --unread        list unread articles, newest first
  broadsheet show 42                  print article 42 as clean text

data lives in --data-dir, else $BROADSHEET_HOME, else the platform's data directory.
"""


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="broadsheet",
        description="A terminal news reader.",
        epilog=EXAMPLES,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    parser.add_argument("--version", action="version", version=f"broadsheet {__version__}")
    parser.add_argument("--data-dir", metavar="DIR", help="where the archive lives")
    parser.add_argument("--config", metavar="FILE", help="settings file (TOML)")
    commands = parser.add_subparsers(dest="command", metavar="COMMAND")

    def command(name: str, help: str) -> argparse.ArgumentParser:
        return commands.add_parser(name, help=help, description=help)

    add = command("add", "subscribe to a feed, or to the feed a web page announces")
    add.add_argument("url", metavar="URL")
    add.add_argument("--title", metavar="T", help="your own name for the feed")
    add.add_argument("--tag", metavar="T", action="append", help="a tag (repeatable)")

    remove = command("remove", "unsubscribe from a feed (bookmarked articles are kept)")
    remove.add_argument("url", metavar="URL")
    remove.add_argument(
        "--delete-bookmarks", action="store_true", help="also delete its bookmarked articles"
    )

    feeds = command("feeds", "list subscriptions with unread counts and last status")
    feeds.add_argument("--json", action="store_true", help="one JSON document on stdout")

    refresh = command("refresh", "fetch feeds now")
    refresh.add_argument("--feed", metavar="URL", help="only this feed")
    refresh.add_argument("--force", action="store_true", help="also feeds asked to wait")
    refresh.add_argument("--json", action="store_true", help="one JSON document on stdout")
    refresh.add_argument(
        "--progress-json", action="store_true", help="progress as JSON lines on stderr"
    )

    articles = command("articles", "list articles, newest first")
    articles.add_argument("--feed", metavar="URL", help="only this feed")
    articles.add_argument("--unread", action="store_true", help="only unread articles")
    articles.add_argument("--bookmarked", action="store_true", help="only bookmarked articles")
    articles.add_argument("--search", metavar="Q", help="titles containing Q")
    articles.add_argument("--saved", metavar="NAME", help="a saved search's articles")
    articles.add_argument("--hidden", action="store_true", help="also articles rules hid")
    articles.add_argument("--limit", metavar="N", type=_positive_int, default=50)
    articles.add_argument("--json", action="store_true", help="one JSON document on stdout")

    show = command("show", "print an article as clean text")
    show.add_argument("target", metavar="ID|URL|FILE")

    quotes = command("quotes", "direct quotations and who said them")
    quotes.add_argument("target", metavar="ID|URL|FILE")
    quotes.add_argument("--json", action="store_true", help="[{text, speaker, start, end, pieces}]")

    summary = command("summary", "the gist of an article: its key sentences in order")
    summary.add_argument("target", metavar="ID|URL|FILE")
    length = summary.add_mutually_exclusive_group()
    length.add_argument("--sentences", metavar="N", type=_positive_int, help="how many (3)")
    length.add_argument("--ratio", metavar="R", type=_ratio, help="a share of the sentences")
    summary.add_argument(
        "--method", metavar="NAME", help="learned (the default), combined, lead, lexrank, ..."
    )
    summary.add_argument("--json", action="store_true", help='{"method", "sentences"}')

    export = command("export", "save articles with summary, quotes and note as files")
    export.add_argument("ids", metavar="ID", type=_positive_int, nargs="+")
    export.add_argument("--to", metavar="DIR", help="folder (default: the export folder)")
    export.add_argument("--format", choices=("md", "json"), default="md")
    export.add_argument(
        "--overwrite",
        choices=("update", "suffix"),
        default="update",
        help="update: rewrite the article's own file (default); suffix: always a new one",
    )

    digest = command("digest", "one file of recent articles grouped by feed")
    digest.add_argument("--since", metavar="AGE", default="24h", help="24h, 90m, 7d, 2w (24h)")
    digest.add_argument("--unread", action="store_true", help="only unread articles")
    digest.add_argument("--bookmarked", action="store_true", help="only bookmarked articles")
    digest.add_argument("--to", metavar="FILE", help="file or folder (default: export folder)")
    digest.add_argument("--format", choices=("md", "json"), default="md")

    bookmark = command("bookmark", "keep an article, with an optional note")
    bookmark.add_argument("id", metavar="ID", type=_positive_int)
    bookmark.add_argument("--note", metavar="TEXT", help="a note (replaces the old one)")

    unbookmark = command("unbookmark", "stop keeping an article")
    unbookmark.add_argument("id", metavar="ID", type=_positive_int)

    bookmarks = command("bookmarks", "list bookmarks with their notes")
    bookmarks.add_argument("--json", action="store_true", help="one JSON document on stdout")

    import_opml = command("import-opml", "subscribe to every feed in an OPML file")
    import_opml.add_argument("file", metavar="FILE")

    export_opml = command("export-opml", "write subscriptions as OPML (stdout by default)")
    export_opml.add_argument("file", metavar="FILE", nargs="?")

    from .check_commands import add_parsers as add_check_parsers
    from .serve.cli import add_parser as add_serve_parser
    from .story_commands import add_curation_parsers
    from .story_commands import add_parsers as add_story_parsers
    from .sync_commands import add_parsers as add_sync_parsers

    add_sync_parsers(command)
    add_story_parsers(command)
    add_serve_parser(command)
    add_curation_parsers(command)
    add_check_parsers(command)
    return parser


def _positive_int(text: str) -> int:
    try:
        value = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"not a number: {text!r}") from None
    if value <= 0:
        raise argparse.ArgumentTypeError("must be at least 1")
    return value


def _ratio(text: str) -> float:
    try:
        value = float(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"not a number: {text!r}") from None
    if not 0 < value <= 1:
        raise argparse.ArgumentTypeError("must be above 0 and at most 1")
    return value


def main(argv: Sequence[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    from .core.config import load_config
    from .core.errors import BroadsheetError
    from .output import error

    ctx = None
    try:
        config = load_config(args.config, args.data_dir)
        if args.command is None:
            return run_app(config)
        from .commands import COMMANDS, Context

        ctx = Context(config)
        return COMMANDS[args.command](ctx, args)
    except BroadsheetError as exc:
        error(exc.message)
        return 1
    except KeyboardInterrupt:
        error("interrupted")
        return 130
    except BrokenPipeError:
        # The reader of our output went away (e.g. `| head`); not an error for us.
        sys.stderr.close()
        return 0
    except Exception as exc:  # noqa: BLE001 - the user gets a line, never a traceback
        if os.environ.get("BROADSHEET_DEBUG"):
            import traceback

            traceback.print_exc()
        error(f"unexpected error: {type(exc).__name__}: {exc} (set BROADSHEET_DEBUG=1 for details)")
        return 1
    finally:
        if ctx is not None:
            ctx.close()
        _stop_helper_processes()


def _stop_helper_processes() -> None:
    # Only when a parser pool was used: importing it just to stop nothing costs time.
    if "tui.core.parsepool" in sys.modules:
        from .core.parsepool import stop_helper_processes

        stop_helper_processes()


def run_app(config: object) -> int:
    from .app import BroadsheetApp

    app = BroadsheetApp(config)  # type: ignore[arg-type]
    app.run()
    if app.failure:
        from .output import error

        error(app.failure)
    return app.return_code or 0


def entry_point() -> None:
    """The ``broadsheet`` console script and ``python -m tui``."""
    status = main()
    # The process is about to end: frozen objects are left out of the interpreter's
    # final collection, which otherwise walks every one of them (~25 ms of a 1 s refresh).
    gc.freeze()
    sys.exit(status)


if __name__ == "__main__":
    entry_point()
