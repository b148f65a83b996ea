"""An article's readable text: the feed's, or its web page's when the feed gives a teaser.

The page is fetched with the same bounded fetcher as feeds, extracted once and kept in
the store; a failed fetch is remembered too, and the feed's text is used meanwhile.
"""

from __future__ import annotations

import asyncio
from collections.abc import Sequence
from dataclasses import dataclass
from urllib.parse import urlsplit

from .config import Config
from .errors import BroadsheetError
from .extract import clean_text, decode_document, extract_article
from .models import Article, FetchResult
from .store import Store

PAGE_ACCEPT = "text/html, application/xhtml+xml;q=0.9, */*;q=0.5"


@dataclass(frozen=True, slots=True)
class ArticleText:
    """The text to show, where it came from, and why the page was not used if it failed."""

    text: str
    source: str
    """``feed`` or ``page``."""
    error: str | None = None


def word_count(text: str) -> int:
    return len(text.split())


def wants_page(article: Article, feed_text: str, min_words: int) -> bool:
    """Whether the feed's text is a teaser worth replacing with the page."""
    if min_words <= 0 or not article.link:
        return False
    if urlsplit(article.link).scheme not in ("http", "https"):
        return False
    return word_count(feed_text) < min_words


async def fetch_page_text(url: str, config: Config) -> str:
    """The main text of the page at ``url``, fetched within the interactive deadline."""
    from .fetch import fetch_once, within_deadline

    job = fetch_once(url, limits=config.fetch, accept=PAGE_ACCEPT)
    return page_text(await within_deadline(job, config.fetch.interactive_deadline, url))


def page_text(result: FetchResult) -> str:
    html = decode_document(result.content or b"", result.headers.get("content-type"))
    return extract_article(html, result.final_url)


CacheEntry = tuple[str, "str | None"]
"""(page text, fetch error) as the store keeps it."""


def resolve_text(
    article: Article, config: Config, cached: CacheEntry | None
) -> tuple[ArticleText, CacheEntry | None]:
    """The best text for ``article``; fetches its page when needed (blocking, no store).

    Returns the text and, when a page was fetched just now, the entry to cache, so a
    caller can keep its database lock for the store calls only.
    """
    feed_text = clean_text(article.body_html)
    if not wants_page(article, feed_text, config.full_text.threshold(article.feed_url)):
        return ArticleText(feed_text, "feed"), None
    fresh: CacheEntry | None = None
    if cached is None:
        assert article.link is not None
        try:
            fresh = (asyncio.run(fetch_page_text(article.link, config)), None)
        except BroadsheetError as exc:
            fresh = ("", exc.message)
        cached = fresh
    text, error = cached
    if text and word_count(text) > word_count(feed_text):
        return ArticleText(text, "page"), fresh
    return ArticleText(feed_text, "feed", error), fresh


async def fetch_page_texts(urls: Sequence[str], config: Config) -> dict[str, CacheEntry]:
    """Many pages at once, all within one interactive deadline; each is a text or an error.

    A page still on its way when the deadline passes reads as failed, like any other.
    """
    from .fetch import Fetcher, deadline_error

    seconds = config.fetch.interactive_deadline
    fetched: dict[str, FetchResult | str] = {}
    async with Fetcher(config.fetch) as fetcher:

        async def fetch(url: str) -> None:
            try:
                fetched[url] = await fetcher.fetch(url, accept=PAGE_ACCEPT)
            except BroadsheetError as exc:
                fetched[url] = exc.message

        tasks = [asyncio.ensure_future(fetch(url)) for url in dict.fromkeys(urls)]
        if tasks:
            _, late = await asyncio.wait(tasks, timeout=seconds)
            for task in late:
                task.cancel()
            await asyncio.gather(*late, return_exceptions=True)
    # Extracted after the fetches: it is CPU work, not a wait on the network.
    pages: dict[str, CacheEntry] = {}
    for url in urls:
        outcome = fetched.get(url, deadline_error(url, seconds).message)
        pages[url] = ("", outcome) if isinstance(outcome, str) else (page_text(outcome), None)
    return pages


def fetch_teaser_pages(store: Store, articles: Sequence[Article], config: Config) -> dict[int, str]:
    """Fetch and cache the pages of the teasers among ``articles``, within one deadline.

    For exports of many articles: the user waits for all of them at once, not for
    each in turn. Returns why each page that failed just now failed, by article id.
    """
    wanted: dict[int, str] = {}
    for article in articles:
        threshold = config.full_text.threshold(article.feed_url)
        if store.cached_text(article.id) is None and wants_page(
            article, clean_text(article.body_html), threshold
        ):
            assert article.link is not None
            wanted[article.id] = article.link
    if not wanted:
        return {}
    pages = asyncio.run(fetch_page_texts(list(wanted.values()), config))
    failed: dict[int, str] = {}
    for article_id, url in wanted.items():
        text, error = pages[url]
        store.cache_text(article_id, text, error=error)
        if error:
            failed[article_id] = error
    return failed


def article_text(store: Store, article: Article, config: Config) -> ArticleText:
    """``resolve_text`` with the store's cache read and written around it."""
    result, fresh = resolve_text(article, config, store.cached_text(article.id))
    if fresh is not None:
        store.cache_text(article.id, fresh[0], error=fresh[1])
    return result
