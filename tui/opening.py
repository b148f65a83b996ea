"""Opening an article: the feed's text at once, the web page's text when it comes.

Plain functions over the core, so the screen's workers only call them: the reading
and the page's fetch run off Textual's loop (a thread, the background loop).
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from pathlib import Path
from typing import TYPE_CHECKING

from .core.config import Config
from .core.errors import BroadsheetError
from .core.fulltext import CacheEntry, fetch_page_text, resolve_text, wants_page
from .core.models import Article
from .core.reading import Reading, reading_of
from .library import Library, Opening

if TYPE_CHECKING:
    from .core.stories.summary import StorySummary


def first_reading(opening: Opening, config: Config) -> tuple[Reading, str | None]:
    """What to show now, and the page to fetch for the full text (None: no need)."""
    article = opening.article
    # No cached page reads as a failed fetch: the feed's text, nothing fetched.
    resolved, _ = resolve_text(article, config, opening.cached or ("", None))
    threshold = config.full_text.threshold(article.feed_url)
    wanted = opening.cached is None and wants_page(article, resolved.text, threshold)
    return reading_of(article, resolved), article.link if wanted else None


async def fetch_page(url: str, config: Config) -> CacheEntry:
    """The page's text, or why it could not be had, as the store caches it."""
    try:
        return await fetch_page_text(url, config), None
    except BroadsheetError as exc:
        return "", exc.message


def page_reading(opening: Opening, fetched: CacheEntry, config: Config) -> Reading:
    """The article with its page's text, or its feed's when the page had less."""
    resolved, _ = resolve_text(opening.article, config, fetched)
    return reading_of(opening.article, resolved)


def story_summary(library: Library, versions: Sequence[Article], config: Config) -> StorySummary:
    """One summary of every version of a story (no page fetched), quotes listed once
    with the versions that carry them. Blocks; run it in a thread."""
    from .core.stories.summary import Version, summarize_story

    made = []
    for version in versions:
        reading = first_reading(library.opening(version.id), config)[0]
        made.append(
            Version(version.id, version.feed_url, version.title, reading.text, reading.quotes)
        )
    return summarize_story(made)


def save_articles(
    library: Library,
    config: Config,
    article_ids: list[int],
    cancelled: Callable[[], bool] = bool,
) -> list[Path]:
    """Write each article's summary file (no page fetched) to the export folder.

    Summaries of many long articles take a while: they are made outside the archive's
    lock, so the lists keep loading meanwhile, and they stop (nothing written) once
    ``cancelled()``: the reader's process cannot exit before its threads end. Blocks;
    run it in a thread.
    """
    from .core.export import write_export
    from .core.reading import export_item

    readings = []
    for article_id in article_ids:
        if cancelled():
            return []
        readings.append(first_reading(library.opening(article_id), config)[0])
    items = library.read(lambda store: [export_item(store, r, config) for r in readings])
    return [write_export(item, config.export_dir) for item in items]
