"""``broadsheet check [--repair]``: the archive's full check, and salvage of a damaged one.

Kept apart from ``commands`` so the shared module stays small: ``__main__`` adds the
parser, ``commands.COMMANDS`` names the command. It never opens the archive as the
other commands do (that would refuse a damaged file, or create a missing one).
"""

from __future__ import annotations

import argparse
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from .commands import Context
    from .core.store.salvage import Contents


def add_parsers(command: Any) -> None:
    """Add this module's subcommand; ``command(name, help)`` makes one."""
    check = command("check", "check the archive for damage (reads every page)")
    check.add_argument(
        "--repair",
        action="store_true",
        help="save what can be read of a damaged archive into a new one; the old is kept",
    )


def cmd_check(ctx: Context, args: argparse.Namespace) -> int:
    from . import output
    from .core.store.salvage import check_archive, repair_archive

    path = ctx.config.database_path
    report = check_archive(path)
    if report.sound:
        print(f"The archive {path} is sound: {_contents(report.contents)}.")
        if args.repair:
            print("Nothing to repair.")
        return 0
    if not args.repair:
        print(f"The archive {path} is damaged:")
        for problem in report.problems:
            output.print_text(f"  {problem}")
        if report.contents is not None:
            print(f"What still reads: {_contents(report.contents)}.")
        output.error(
            "the archive is damaged; `broadsheet check --repair` saves what can be read "
            "into a new archive and keeps the damaged file beside it"
        )
        return 1
    repaired = repair_archive(path)
    before = repaired.before
    print(
        f"Saved {_contents(repaired.saved)}"
        + (f" (the damaged archive counted {_contents(before)})" if before else "")
        + f" into a new archive at {path}, reading {repaired.method}."
    )
    print(f"The damaged archive is kept as {repaired.damaged_copy}.")
    return 0


def _contents(contents: Contents | None) -> str:
    if contents is None:
        return "nothing could be counted"
    return (
        f"{_count(contents.articles, 'article')}, {_count(contents.bookmarks, 'bookmark')}, "
        f"{_count(contents.notes, 'note')}"
    )


def _count(n: int, noun: str) -> str:
    return f"{n:,} {noun}{'' if n == 1 else 's'}"
