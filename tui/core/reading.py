"""What the reader and the exports show for an article: its text, summary and quotes."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from functools import lru_cache

from .config import Config
from .fulltext import ArticleText, article_text, resolve_text
from .models import Article, Quote, Summary
from .store import Store


@dataclass(frozen=True, slots=True)
class Reading:
    """An article understood: clean text, an extractive summary and who said what."""

    article: Article
    text: str
    summary: Summary | None
    quotes: tuple[Quote, ...]
    source: str = "feed"
    """``feed`` or ``page``: where the text came from."""
    error: str | None = None


# Each entry keeps an article's text with its summary and quotes, about 25 KB; going
# back to an article is what the cache is for, and that needs a few dozen, not hundreds.
@lru_cache(maxsize=32)
def analyse(text: str, title: str | None = None) -> tuple[Summary | None, tuple[Quote, ...]]:
    """Summary and quotes of clean text; cached, since the same article is read often."""
    from .quotes import find_quotes
    from .summarize import summarize

    if not text.strip():
        return None, ()
    return summarize(text, title=title), tuple(find_quotes(text))


def reading_of(article: Article, resolved: ArticleText) -> Reading:
    summary, quotes = analyse(resolved.text, article.title or None)
    return Reading(article, resolved.text, summary, quotes, resolved.source, resolved.error)


def read_article(store: Store, article_id: int, config: Config, *, fetch: bool = True) -> Reading:
    """Text, summary and quotes of a stored article.

    With ``fetch`` a teaser's page is fetched (once, then cached); without it only the
    feed's text or an already cached page is used, for digests of many articles.
    """
    article = store.article(article_id)
    if fetch:
        return reading_of(article, article_text(store, article, config))
    # No cached page reads as a failed fetch: the feed's text, and nothing is fetched.
    resolved, _ = resolve_text(article, config, store.cached_text(article.id) or ("", None))
    return reading_of(article, resolved)


def export_item(store: Store, reading: Reading, config: Config, saved: datetime | None = None):
    """The exportable form of a reading: with its bookmark note and its feed's tags."""
    from .export import ExportItem

    bookmark = store.bookmark(reading.article.id)
    tags = store.feed(reading.article.feed_id).tags
    return ExportItem(
        article=reading.article,
        summary=reading.summary,
        quotes=reading.quotes,
        note=bookmark.note if bookmark else "",
        text=reading.text if config.export_full_text else None,
        tags=tags,
        saved=saved,
    )
