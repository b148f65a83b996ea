"""A story as the CLI and the reader show it: its versions, feeds and summary."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime

from ..config import Config
from ..models import Article
from ..store import Store
from .summary import StorySummary, Version, summarize_story


@dataclass(frozen=True, slots=True)
class Story:
    """Articles from several feeds (or one article under several addresses) about one event."""

    id: int
    articles: tuple[Article, ...]
    """Oldest first."""
    summary: StorySummary | None = None

    @property
    def title(self) -> str:
        return self.articles[0].title

    @property
    def feeds(self) -> tuple[str, ...]:
        return tuple(dict.fromkeys(article.feed_url for article in self.articles))

    @property
    def first_seen(self) -> datetime | None:
        seen = [a.first_seen for a in self.articles if a.first_seen is not None]
        return min(seen) if seen else None


def load_story(
    store: Store, story_id: int, config: Config | None = None, *, summary: bool = True
) -> Story:
    """A story's articles, and with ``summary`` its summary and quotes (no page is fetched)."""
    articles = tuple(store.article(article_id) for article_id in store.story_article_ids(story_id))
    if not summary or config is None:
        return Story(story_id, articles)
    return Story(story_id, articles, summarize_versions(store, articles, config))


def summarize_versions(store: Store, articles: Sequence[Article], config: Config) -> StorySummary:
    from ..reading import read_article

    versions = []
    for article in articles:
        reading = read_article(store, article.id, config, fetch=False)
        versions.append(
            Version(article.id, article.feed_url, article.title, reading.text, reading.quotes)
        )
    return summarize_story(versions)
