"""The CLI's commands for reading less: stories (and their parsers).

Kept apart from ``commands`` so the shared module stays small: ``__main__`` adds these
parsers, ``commands.COMMANDS`` names the commands.
"""

from __future__ import annotations

import argparse
from datetime import UTC, datetime
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from .commands import Context
    from .core.stories.view import Story


def add_parsers(command: Any) -> None:
    """Add this module's subcommands; ``command(name, help)`` makes one."""
    stories = command("stories", "articles from several feeds about one event, grouped")
    stories.add_argument("--since", metavar="AGE", default="24h", help="24h, 90m, 7d, 2w (24h)")
    stories.add_argument("--feed", metavar="URL", help="only stories this feed carries")
    stories.add_argument("--json", action="store_true", help="one JSON document on stdout")


def after_refresh(ctx: Context) -> None:
    """Group the new articles into stories (the reader's refresh runs this command too)."""
    from .core.stories import update_stories

    update_stories(ctx.store)


def cmd_stories(ctx: Context, args: argparse.Namespace) -> int:
    from . import output
    from .commands import find_feed, parse_since
    from .core.stories import update_stories
    from .core.stories.view import load_story

    update_stories(ctx.store)
    since = int(datetime.now(UTC).timestamp()) - parse_since(args.since)
    feed_id = find_feed(ctx.store, args.feed).id if args.feed else None
    stories = [
        load_story(ctx.store, story_id, ctx.config)
        for story_id, _ in ctx.store.stories_since(since, feed_id)
    ]
    if args.json:
        output.print_json([story_json(story) for story in stories])
    elif not stories:
        print(f"No stories in the last {args.since}: no event came from more than one feed.")
    else:
        for story in stories:
            print_story(story)
    return 0


def story_json(story: Story) -> dict[str, Any]:
    from .core.textsafe import one_line, strip_controls
    from .output import iso

    summary = story.summary
    return {
        "id": story.id,
        "title": one_line(story.title),
        "articles": [article.id for article in story.articles],
        "feeds": list(story.feeds),
        "first_seen": iso(story.first_seen),
        "summary": {
            "method": summary.method if summary else None,
            "sentences": [strip_controls(s) for s in summary.sentences] if summary else [],
            "from": list(summary.articles) if summary else [],
        },
        "quotes": [
            {
                "text": strip_controls(quote.text),
                "speaker": one_line(quote.speaker) if quote.speaker else None,
                "articles": list(quote.articles),
                "feeds": list(quote.feeds),
            }
            for quote in (summary.quotes if summary else ())
        ],
        "versions": [
            {
                "id": article.id,
                "feed": one_line(article.feed_title),
                "feed_url": article.feed_url,
                "title": one_line(article.title),
                "link": article.link,
                "published": iso(article.published),
            }
            for article in story.articles
        ],
    }


def print_story(story: Story) -> None:
    from .core.textsafe import one_line
    from .output import print_text, short_date

    others = len(story.articles) - 1
    print_text(f"{one_line(story.title)}  (+{others} source{'s' if others != 1 else ''})")
    for article in story.articles:
        when = short_date(article.published or article.first_seen)
        print_text(f"  {article.id:>6}  {one_line(article.feed_title)} · {when}")
    if story.summary:
        for sentence in story.summary.sentences:
            print_text(f"  • {one_line(sentence)}")
        for quote in story.summary.quotes:
            who = one_line(quote.speaker) if quote.speaker else "(unattributed)"
            count = len(quote.feeds)
            print_text(
                f"  “{one_line(quote.text)}” — {who} ({count} source{'s' if count != 1 else ''})"
            )
    print()
