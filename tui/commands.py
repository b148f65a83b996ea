"""The CLI's commands: each takes the parsed arguments and returns an exit code.

Domain errors are raised as ``BroadsheetError`` and turned into one line on stderr by
``__main__``; nothing here prints a traceback.
"""

from __future__ import annotations

import argparse
import asyncio
import re
import sys
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime
from functools import cached_property
from pathlib import Path
from urllib.parse import urlsplit

from . import check_commands, output, story_commands, sync_commands
from .core.config import Config
from .core.errors import ArticleNotFoundError, BroadsheetError, FeedNotFoundError, OPMLError
from .core.models import Article, Feed
from .core.store import ArticleFilter, Store
from .core.textsafe import one_line, strip_controls
from .serve.cli import cmd_serve


@dataclass
class Context:
    """What every command needs: settings and (lazily) the archive."""

    config: Config

    @cached_property
    def store(self) -> Store:
        from .core.archive import open_store

        return open_store(self.config.database_path)

    def close(self) -> None:
        if "store" in self.__dict__:
            self.store.close()


Command = Callable[[Context, argparse.Namespace], int]


def find_feed(store: Store, ref: str) -> Feed:
    """A subscription by URL, or by the id that ``feeds --json`` shows."""
    if ref.isdigit():
        return store.feed(int(ref))
    try:
        return store.feed_by_url(ref)
    except FeedNotFoundError:
        # Tolerate a trailing slash or a different case in the host name.
        wanted = _normalise_url(ref)
        for feed in store.feeds():
            if _normalise_url(feed.url) == wanted:
                return feed
        raise


def _normalise_url(url: str) -> str:
    parts = urlsplit(url.strip())
    return parts._replace(netloc=parts.netloc.lower(), path=parts.path.rstrip("/")).geturl()


# -- subscriptions ---------------------------------------------------------------


def cmd_add(ctx: Context, args: argparse.Namespace) -> int:
    from .core.update import subscribe

    url = args.url.strip()
    try:
        existing = find_feed(ctx.store, url)
    except FeedNotFoundError:
        existing = None
    if existing is not None:
        print(f"Already subscribed to {one_line(existing.display_title)} <{existing.url}>")
        return 0
    result = subscribe(
        ctx.store,
        url,
        title=args.title or "",
        tags=args.tag or (),
        fetch=ctx.config.fetch,
        parse=ctx.config.parse,
    )
    feed = result.feed
    if result.discovered_from:
        print(f"Found the feed {feed.url} on {result.discovered_from}")
    story_commands.after_refresh(ctx)
    print(
        f"Subscribed to {one_line(feed.display_title)} <{feed.url}>: {result.new_articles} articles"
    )
    if feed.last_warning:
        output.error(f"warning: {feed.last_warning}")
    return sync_commands.push_subscription_change(ctx)


def cmd_remove(ctx: Context, args: argparse.Namespace) -> int:
    feed = find_feed(ctx.store, args.url)
    kept = ctx.store.remove_feed(feed.id, keep_bookmarks=not args.delete_bookmarks)
    message = f"Unsubscribed from {one_line(feed.display_title)} <{feed.url}>"
    if kept:
        message += f"; kept its {kept} bookmarked article{'s' if kept != 1 else ''}"
    print(message)
    return sync_commands.push_subscription_change(ctx)


def cmd_bookmark(ctx: Context, args: argparse.Namespace) -> int:
    article = ctx.store.article(args.id)
    ctx.store.set_bookmark(article.id, True, note=args.note)
    print(f"Bookmarked {article.id}: {one_line(article.title) or '(untitled)'}")
    return 0


def cmd_unbookmark(ctx: Context, args: argparse.Namespace) -> int:
    article = ctx.store.article(args.id)
    if not article.bookmarked:
        raise BroadsheetError(f"article {article.id} is not bookmarked")
    ctx.store.set_bookmark(article.id, False)
    print(f"Removed the bookmark on {article.id}: {one_line(article.title) or '(untitled)'}")
    return 0


def cmd_bookmarks(ctx: Context, args: argparse.Namespace) -> int:
    bookmarks = ctx.store.bookmarks()
    if args.json:
        output.print_json(
            [
                {
                    **output.article_json(b.article),
                    "note": strip_controls(b.note),
                    "bookmarked_at": output.iso(b.created_at),
                }
                for b in bookmarks
            ]
        )
    elif not bookmarks:
        print("No bookmarks. Bookmark an article with: broadsheet bookmark ID [--note TEXT]")
    else:
        output.print_bookmarks(bookmarks)
    return 0


def cmd_feeds(ctx: Context, args: argparse.Namespace) -> int:
    feeds = ctx.store.feeds()
    if args.json:
        output.print_json([output.feed_json(feed) for feed in feeds])
    elif not feeds:
        print("No subscriptions. Add one with: broadsheet add URL")
    else:
        output.print_feeds(feeds)
    return 0


def cmd_refresh(ctx: Context, args: argparse.Namespace) -> int:
    from .core.refreshlock import refresh_lock

    # One refresh at a time per archive: the reader's (a child running this command),
    # another reader's, cron's. A second one is told and does nothing.
    with refresh_lock(ctx.config.database_path):
        return _refresh(ctx, args)


def _refresh(ctx: Context, args: argparse.Namespace) -> int:
    from .core.update import refresh

    feeds = [find_feed(ctx.store, args.feed)] if args.feed else ctx.store.feeds()
    # With an account the server's feeds come by sync; the local ones are fetched.
    synced = sync_commands.sync_before_refresh(ctx, args.progress_json)
    if synced is not None:
        owned = ctx.store.server_feed_ids()
        feeds = [feed for feed in feeds if feed.id not in owned]
    progress = output.JSONProgress() if args.progress_json else output.ProgressLine("Refreshing")
    try:
        report = refresh(
            ctx.store,
            feeds,
            fetch=ctx.config.fetch,
            parse=ctx.config.parse,
            # A feed named on the command line is fetched even if it asked us to wait.
            force=args.force or bool(args.feed),
            progress=progress,
        )
    finally:
        progress.finish()
    retention = ctx.config.retention
    removed = ctx.store.apply_retention(retention) if retention.active else 0
    story_commands.after_refresh(ctx)
    if args.json:
        extra = {"sync": synced.to_json()} if synced is not None else {}
        output.print_json({**report.to_json(), "removed_by_retention": removed, **extra})
    else:
        if synced is not None:
            print(synced.line())
        summary = (
            f"{len(report.outcomes)} feeds: {report.updated} updated, "
            f"{report.not_modified} unchanged, {report.failed} failed"
        )
        if report.skipped:
            summary += f", {report.skipped} skipped (not due)"
        print(f"{summary}; {report.new_articles} new articles")
        if removed:
            print(f"Removed {removed} old articles (retention settings)")
    if synced is not None and synced.errors:
        output.error(sync_commands.offline_line(synced))
        if not report.failed:
            return 1
    if report.failed:
        if report.failed == 1:
            url, reason = report.errors[0]
            output.error(f"{url}: {reason}")
        else:
            output.error(
                f"{report.failed} of {len(report.outcomes)} feeds failed "
                "(`broadsheet feeds` shows each error)"
            )
        return 1
    return 0


def cmd_import_opml(ctx: Context, args: argparse.Namespace) -> int:
    from .core.opml import read_opml

    try:
        data = Path(args.file).expanduser().read_bytes()
    except OSError as exc:
        raise OPMLError(f"cannot read {args.file}: {exc.strerror or exc}") from None
    outlines = read_opml(data)
    added = ctx.store.add_feeds((o.url, o.title, o.tags) for o in outlines)
    known = len(outlines) - added
    print(
        f"Imported {added} feeds"
        + (f" ({known} already subscribed)" if known else "")
        + ". Fetch them with: broadsheet refresh"
    )
    return 0


def cmd_export_opml(ctx: Context, args: argparse.Namespace) -> int:
    from .core.export import write_atomically
    from .core.opml import write_opml

    document = write_opml(ctx.store.feeds())
    if args.file in (None, "-"):
        sys.stdout.write(document)
        return 0
    target = Path(args.file).expanduser()
    write_atomically(target, document)
    print(f"Wrote {target}")
    return 0


# -- articles --------------------------------------------------------------------


def cmd_articles(ctx: Context, args: argparse.Namespace) -> int:
    feed_id = find_feed(ctx.store, args.feed).id if args.feed else None
    which = ArticleFilter(
        feed_id=feed_id, unread=args.unread, bookmarked=args.bookmarked, search=args.search
    )
    which = story_commands.narrow(ctx, which, args)
    articles = ctx.store.articles(which, limit=args.limit)
    if args.json:
        output.print_json([output.article_json(article) for article in articles])
    elif not articles:
        print("No articles.")
    else:
        output.print_articles(articles)
    return 0


def cmd_show(ctx: Context, args: argparse.Namespace) -> int:
    title, text = target_text(ctx, args.target)
    if title:
        output.print_text(title + "\n")
    output.print_text(text or "(this article has no text)")
    return 0


def cmd_quotes(ctx: Context, args: argparse.Namespace) -> int:
    from .core.quotes import find_quotes

    _, text = target_text(ctx, args.target)
    quotes = find_quotes(text)
    if args.json:
        output.print_json(
            [
                {
                    "text": q.text,
                    "speaker": q.speaker,
                    "start": q.start,
                    "end": q.end,
                    "pieces": [{"start": s, "end": e} for s, e in q.spans()],
                }
                for q in quotes
            ]
        )
    elif not quotes:
        print("No direct quotations found.")
    else:
        for quote in quotes:
            speaker = one_line(quote.speaker) if quote.speaker else "(unattributed)"
            words = "” … “".join(one_line(piece) for piece in quote.piece_texts())
            output.print_text(f"{speaker}: “{words}”")
    return 0


def cmd_summary(ctx: Context, args: argparse.Namespace) -> int:
    from .core.summarize import DEFAULT_METHOD, summarize

    header, text = target_text(ctx, args.target)
    title = header.splitlines()[0] if header else None
    summary = summarize(
        text,
        method=args.method or DEFAULT_METHOD,
        sentences=args.sentences,
        ratio=args.ratio,
        title=title,
    )
    if args.json:
        output.print_json({"method": summary.method, "sentences": list(summary.sentences)})
    elif not summary.sentences:
        print("Nothing to summarise: the article has no text.")
    else:
        for sentence in summary.sentences:
            output.print_text(f"• {one_line(sentence)}")
    return 0


def export_folder(ctx: Context, to: str | None) -> Path:
    return Path(to).expanduser() if to else ctx.config.export_dir


def cmd_export(ctx: Context, args: argparse.Namespace) -> int:
    from .core.export import write_export
    from .core.fulltext import fetch_teaser_pages
    from .core.reading import export_item, read_article

    folder = export_folder(ctx, args.to)
    # Teasers' pages all at once, within one deadline, before anything is written.
    articles = [ctx.store.article(article_id) for article_id in args.ids]
    failed = fetch_teaser_pages(ctx.store, articles, ctx.config)
    for article_id in args.ids:
        if article_id in failed:
            error = failed.pop(article_id)
            output.error(f"note: article {article_id}'s page: {error}; exported the feed's text")
        reading = read_article(ctx.store, article_id, ctx.config)
        item = export_item(ctx.store, reading, ctx.config)
        path = write_export(item, folder, fmt=args.format, overwrite=args.overwrite)
        print(path)
    return 0


_SINCE = re.compile(r"^\s*(\d+)\s*([mhdw]?)\s*$")
_UNIT_SECONDS = {"m": 60, "h": 3600, "d": 86400, "w": 7 * 86400, "": 3600}


def parse_since(text: str) -> int:
    """'24h', '90m', '7d', '2w' (a bare number is hours) -> seconds."""
    match = _SINCE.match(text.lower())
    if not match or int(match.group(1)) <= 0:
        raise BroadsheetError(f"--since {text!r}: give a duration such as 24h, 90m, 7d or 2w")
    return int(match.group(1)) * _UNIT_SECONDS[match.group(2)]


def cmd_digest(ctx: Context, args: argparse.Namespace) -> int:
    from .core.export import write_digest
    from .core.reading import export_item, read_article

    now = datetime.now(UTC).replace(microsecond=0)
    since = int(now.timestamp()) - parse_since(args.since)
    which = ArticleFilter(unread=args.unread, bookmarked=args.bookmarked, since=since)
    articles = list(ctx.store.iter_articles(which))
    if not articles:
        raise BroadsheetError(f"no articles in the last {args.since} match; nothing to write")
    readings = [read_article(ctx.store, a.id, ctx.config, fetch=False) for a in articles]
    items = [export_item(ctx.store, reading, ctx.config) for reading in readings]
    target = Path(args.to).expanduser() if args.to else ctx.config.export_dir
    if not args.to:
        target.mkdir(parents=True, exist_ok=True)
    path = write_digest(
        items,
        target,
        fmt=args.format,
        title=f"Broadsheet digest: the last {args.since}",
        generated=now,
        stories=story_commands.digest_stories(readings, items),
    )
    print(f"{path} ({len(items)} articles)")
    return 0


def target_text(ctx: Context, target: str) -> tuple[str, str]:
    """(header, clean text) for an article id, a URL or a file."""
    # Here, not at the top: trafilatura and lxml are only for commands that show text.
    from .core.extract import clean_text, extract_article, looks_like_html

    if target.isdigit():
        from .core.fulltext import article_text

        article = ctx.store.article(int(target))
        resolved = article_text(ctx.store, article, ctx.config)
        if resolved.error:
            output.error(f"note: the article's page: {resolved.error}; the feed's text follows")
        return article_header(article), resolved.text
    if urlsplit(target).scheme in ("http", "https"):
        stored = ctx.store.article_by_link(target)
        if stored is not None and stored.body_html:
            return article_header(stored), clean_text(stored.body_html)
        from .core.fulltext import fetch_page_text

        return "", asyncio.run(fetch_page_text(target, ctx.config))
    path = Path(target).expanduser()
    if not path.exists():
        if target.lstrip("-").isdigit():
            raise ArticleNotFoundError(f"no article with id {target}")
        raise BroadsheetError(f"{target}: no such article id, URL or file")
    document = read_document(path)
    if looks_like_html(document):
        return "", extract_article(document, path.resolve().as_uri())
    return "", clean_text(document)


def article_header(article: Article) -> str:
    lines = [one_line(article.title) or "(untitled)", one_line(article.feed_title)]
    details = [output.short_date(article.published or article.first_seen)]
    if article.author:
        details.append(f"by {one_line(article.author)}")
    lines.append(" · ".join(d for d in details if d))
    if article.link:
        lines.append(one_line(article.link))
    return "\n".join(line for line in lines if line)


MAX_DOCUMENT = 50 * 1024 * 1024
"""The largest file (after unpacking a .gz) that show, quotes and summary read."""


def read_document(path: Path) -> str:
    """A saved page or text file as text; gzip is unpacked, binary files refused."""
    try:
        if path.is_dir():
            raise BroadsheetError(f"{path} is a directory, not a file")
        if path.stat().st_size > MAX_DOCUMENT:
            raise BroadsheetError(f"{path} is larger than {MAX_DOCUMENT // 2**20} MB")
        data = path.read_bytes()
    except OSError as exc:
        raise BroadsheetError(f"cannot read {path}: {exc.strerror or exc}") from None
    if data.startswith(b"\x1f\x8b"):  # a page saved as .html.gz
        data = _gunzip(data, path)
    head = data[:4096]
    if b"\x00" in head and not head.startswith((b"\xff\xfe", b"\xfe\xff")):
        # NUL bytes outside UTF-16: an image, a PDF, an archive...
        raise BroadsheetError(f"{path} is not a text or HTML file")
    from .core.extract import decode_document

    return decode_document(data, None)


def _gunzip(data: bytes, path: Path) -> bytes:
    import zlib

    unpacker = zlib.decompressobj(16 + zlib.MAX_WBITS)
    try:
        unpacked = unpacker.decompress(data, MAX_DOCUMENT + 1)
    except zlib.error:
        unpacked, damaged = b"", True
    else:
        damaged = False
    if len(unpacked) > MAX_DOCUMENT:
        raise BroadsheetError(f"{path} unpacks to more than {MAX_DOCUMENT // 2**20} MB")
    if damaged or not unpacker.eof:
        raise BroadsheetError(f"{path} looks gzip-compressed but cannot be unpacked (damaged?)")
    return unpacked


COMMANDS: dict[str, Command] = {
    "add": cmd_add,
    "remove": cmd_remove,
    "feeds": cmd_feeds,
    "refresh": cmd_refresh,
    "articles": cmd_articles,
    "show": cmd_show,
    "quotes": cmd_quotes,
    "summary": cmd_summary,
    "export": cmd_export,
    "digest": cmd_digest,
    "bookmark": cmd_bookmark,
    "unbookmark": cmd_unbookmark,
    "bookmarks": cmd_bookmarks,
    "import-opml": cmd_import_opml,
    "export-opml": cmd_export_opml,
    "sync": sync_commands.cmd_sync,
    "mark": sync_commands.cmd_mark,
    "stories": story_commands.cmd_stories,
    "serve": cmd_serve,
    "rules": story_commands.cmd_rules,
    "saved": story_commands.cmd_saved,
    "undo": story_commands.cmd_undo,
    "check": check_commands.cmd_check,
}
