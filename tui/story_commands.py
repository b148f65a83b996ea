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
    from .core.store import ArticleFilter
    from .core.stories.view import Story


def add_parsers(command: Any) -> None:
    """Add this module's subcommands; ``command(name, help)`` makes one."""
    stories = command("stories", "articles from several feeds about one event, grouped")
    stories.add_argument("--since", metavar="AGE", default="24h", help="24h, 90m, 7d, 2w (24h)")
    stories.add_argument("--feed", metavar="URL", help="only stories this feed carries")
    stories.add_argument("--json", action="store_true", help="one JSON document on stdout")


RULES_UPTO = "rules.upto"
"""State key: the highest article id the rules have been applied to."""


def after_refresh(ctx: Context) -> None:
    """Apply the rules to the new articles, then group them into stories (the reader's
    refresh runs this command too)."""
    from dataclasses import replace

    from .core.rules import load_rules, run_rules
    from .core.stories import Thresholds, update_stories

    store = ctx.store
    top = store.max_article_id()
    upto = store.get_state(RULES_UPTO)
    rules = load_rules(store, ctx.config.rules)
    if upto is not None and rules:
        run_rules(store, rules, after_id=int(upto))
    if upto != str(top):
        store.set_state(RULES_UPTO, str(top))
    update_stories(
        store, limits=replace(Thresholds(), window_hours=ctx.config.stories.window_hours)
    )


def narrow(ctx: Context, which: ArticleFilter, args: argparse.Namespace) -> ArticleFilter:
    """``articles --saved NAME`` and ``--hidden``."""
    from dataclasses import replace

    if getattr(args, "hidden", False):
        which = replace(which, hidden=True)
    if getattr(args, "saved", None):
        from .core.query import parse_query
        from .core.saved import saved_filter

        which = saved_filter(
            ctx.store, parse_query(ctx.store.saved_search(args.saved).query), which
        )
    return which


def cmd_stories(ctx: Context, args: argparse.Namespace) -> int:
    from . import output
    from .commands import find_feed, parse_since
    from .core.stories.view import load_story

    after_refresh(ctx)
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


def digest_stories(readings: list[Any], items: list[Any]) -> list[Any]:
    """The digest's stories: articles of one story among ``readings`` (two or more),
    each with one summary of them all; ``items`` are the readings' export items."""
    from .core.export import DigestStory
    from .core.stories.summary import Version, summarize_story

    by_story: dict[int, list[tuple[Any, Any]]] = {}
    for reading, item in zip(readings, items, strict=True):
        if reading.article.story is not None:
            by_story.setdefault(reading.article.story, []).append((reading, item))
    stories = []
    for members in by_story.values():
        if len(members) < 2:
            continue
        members.sort(key=lambda m: (m[0].article.sort_time, m[0].article.id))
        versions = [
            Version(r.article.id, r.article.feed_url, r.article.title, r.text, r.quotes)
            for r, _ in members
        ]
        summary = summarize_story(versions)
        feed_names = {r.article.feed_url: r.article.feed_title for r, _ in members}
        stories.append(
            DigestStory(
                members[0][0].article.title,
                [item for _, item in members],
                summary.sentences,
                [(q.text, q.speaker, [feed_names[f] for f in q.feeds]) for q in summary.quotes],
            )
        )
    # Newest story first, as the feeds' articles are listed.
    stories.sort(key=lambda s: -max(i.article.sort_time for i in s.items))
    return stories


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


def add_curation_parsers(command: Any) -> None:
    rules = command("rules", "killfiles and auto-tags: a query and what to do with its matches")
    verbs = rules.add_subparsers(dest="rules_command", metavar="VERB", required=True)
    add = verbs.add_parser("add", help="add a rule (applies to new articles on every refresh)")
    add.add_argument("query", metavar="QUERY")
    add.add_argument("--action", required=True, help="hide, read or tag:NAME")
    listing = verbs.add_parser("list", help="the rules, from the archive and the settings file")
    listing.add_argument("--json", action="store_true", help="one JSON document on stdout")
    remove = verbs.add_parser("remove", help="remove a rule by its number")
    remove.add_argument("id", metavar="ID", type=int)
    test = verbs.add_parser("test", help="what a query would match in the archive; no changes")
    test.add_argument("query", metavar="QUERY")
    test.add_argument("--json", action="store_true", help="one JSON document on stdout")
    verbs.add_parser("apply", help="apply every rule to the whole archive (undoable)")

    saved = command("saved", "saved searches, shown as virtual feeds in the reader")
    verbs = saved.add_subparsers(dest="saved_command", metavar="VERB", required=True)
    add = verbs.add_parser("add", help="save a search under a name")
    add.add_argument("name", metavar="NAME")
    add.add_argument("query", metavar="QUERY")
    listing = verbs.add_parser("list", help="the saved searches with their unread counts")
    listing.add_argument("--json", action="store_true", help="one JSON document on stdout")
    remove = verbs.add_parser("remove", help="forget a saved search")
    remove.add_argument("name", metavar="NAME")

    command("undo", "undo the last mass action (mark all, mark older than, rules apply)")


def mark_older_than(ctx: Context, args: argparse.Namespace) -> int:
    """``mark --older-than AGE --read [--feed URL]``: one undoable mass action."""
    from .commands import find_feed, parse_since
    from .core.errors import BroadsheetError

    if args.ids or not args.older_than:
        raise BroadsheetError("mark takes article ids, or --older-than AGE --read, not both")
    if not args.read:
        raise BroadsheetError("--older-than marks articles read; give --read")
    try:
        age = parse_since(args.older_than)
    except BroadsheetError:
        raise BroadsheetError(
            f"--older-than {args.older_than!r}: give a duration such as 7d, 12h or 2w"
        ) from None
    feed = find_feed(ctx.store, args.feed) if args.feed else None
    before = int(datetime.now(UTC).timestamp()) - age
    ids = ctx.store.unread_older_than(before, feed.id if feed else None)
    label = f"mark older than {args.older_than} read" + (f" in {feed.url}" if feed else "")
    changed = ctx.store.mark_read_undoably(ids, label) if ids else 0
    print(
        f"Marked {changed} article{'s' if changed != 1 else ''} read"
        + (" (undo with: broadsheet undo)" if changed else "")
    )
    return 0


def cmd_undo(ctx: Context, args: argparse.Namespace) -> int:
    undone = ctx.store.undo_last()
    count = undone.articles
    print(f"Undid {undone.label}: {count} article{'s' if count != 1 else ''} as they were")
    return 0


def cmd_rules(ctx: Context, args: argparse.Namespace) -> int:
    from . import output
    from .core.query import parse_query
    from .core.rules import load_rules, parse_action, run_rules
    from .core.textsafe import one_line

    store = ctx.store
    verb = args.rules_command
    if verb == "add":
        query = parse_query(args.query)
        action = parse_action(args.action)
        if store.get_state(RULES_UPTO) is None:  # from now on: what arrives after this
            store.set_state(RULES_UPTO, str(store.max_article_id()))
        rule = store.add_rule(query.source, action)
        print(f"Rule {rule.id}: {action} {one_line(query.source)} (applies from the next refresh;")
        print("  `broadsheet rules apply` applies it to the archive now)")
        return 0
    if verb == "remove":
        rule = store.remove_rule(args.id)
        print(f"Removed rule {rule.id}: {rule.action} {one_line(rule.query)}")
        return 0
    rules = load_rules(store, ctx.config.rules)
    if verb == "list":
        if args.json:
            output.print_json(
                [
                    {
                        "id": r.id,
                        "query": r.query.source,
                        "action": r.action,
                        "from": "config" if r.id.startswith("config:") else "archive",
                    }
                    for r in rules
                ]
            )
        elif not rules:
            print('No rules. Add one with: broadsheet rules add "QUERY" --action hide')
        else:
            for r in rules:
                output.print_text(f"{r.id:>9}  {r.action:<12} {one_line(r.query.source)}")
        return 0
    if verb == "test":
        from .core.rules import Rule

        trial = Rule("test", parse_query(args.query), "read")
        matched = run_rules(store, [trial], change=False).matched["test"]
        articles = [store.article(a) for a in reversed(matched[-200:])]
        if args.json:
            output.print_json(
                {"matches": len(matched), "articles": [output.article_json(a) for a in articles]}
            )
            return 0
        print(f"{len(matched)} article{'s' if len(matched) != 1 else ''} match (nothing changed)")
        if articles:
            output.print_articles(articles[:20])
        return 0
    # apply
    outcome = run_rules(store, rules, undo_label="rules apply")
    for rule in rules:
        count = len(outcome.matched[rule.id])
        output.print_text(f"{rule.id:>9}  {rule.action:<12} {count} matched")
    print(f"{outcome.changed} articles changed (undo with: broadsheet undo)")
    return 0


def cmd_saved(ctx: Context, args: argparse.Namespace) -> int:
    from . import output
    from .core.query import parse_query
    from .core.textsafe import one_line

    store = ctx.store
    verb = args.saved_command
    if verb == "add":
        name = args.name.strip()
        if not name:
            from .core.errors import BroadsheetError

            raise BroadsheetError("a saved search needs a name")
        store.save_search(name, parse_query(args.query).source)
        print(f"Saved {one_line(name)!r}: broadsheet articles --saved {name!r}")
        return 0
    if verb == "remove":
        store.remove_saved_search(args.name)
        print(f"Removed the saved search {one_line(args.name)!r}")
        return 0
    from .core.saved import counts

    found = [(s, *counts(store, parse_query(s.query))) for s in store.saved_searches()]
    if args.json:
        output.print_json(
            [{"name": s.name, "query": s.query, "unread": u, "total": t} for s, u, t in found]
        )
    elif not found:
        print('No saved searches. Add one with: broadsheet saved add NAME "QUERY"')
    else:
        for s, unread, total in found:
            output.print_text(
                f"{one_line(s.name)}  {unread} unread of {total}  {one_line(s.query)}"
            )
    return 0
