"""Teaser feeds: the article's page is fetched once, extracted and cached."""

from __future__ import annotations

import uuid
from datetime import UTC, datetime

from tui.core.config import load_config
from tui.core.fulltext import article_text
from tui.core.models import ParsedEntry, ParsedFeed

PAGE = """<!doctype html><html><head><title>Pier rebuilt</title></head><body>
<nav><a href="/">Home</a> | <a href="/world">World</a></nav>
<div class="ad">Advertisement</div>
<article><h1>Pier rebuilt after the storm</h1>
<p>The harbour's old pier reopened on Monday after eight months of repairs that cost the town
more than two million pounds, officials said, and fishermen returned to their moorings.</p>
<p>“We will not lose another winter,” said Harbour Master Ana Lopes, who led the work. The new
deck stands a metre higher than the old one and is built to take the largest storms on record.</p>
<p>Work on the sea wall beside the pier begins in the spring and should take a year, according
to the council, which has set aside a further three million pounds for it over two budgets.</p>
<figure><img src="p.jpg"><figcaption>The pier at dawn. Photo: Harbour Trust</figcaption></figure>
</article>
<aside>Subscribe to our newsletter</aside><footer>© Harbour News</footer>
</body></html>"""


def make_config(tmp_path, text=""):
    config_file = tmp_path / "config.toml"
    config_file.write_text(text)
    return load_config(config_file, tmp_path / "home", {})


def teaser_article(store, link):
    feed = store.add_feed(f"https://teasers.example/{uuid.uuid4().hex}")
    entry = ParsedEntry(
        title="Pier rebuilt", guid="pier", link=link, summary_html="<p>The pier…</p>"
    )
    store.apply_feed_update(feed.id, ParsedFeed("Teasers", entries=(entry,)), now=datetime.now(UTC))
    return store.article(store.articles()[0].id)


def test_a_teaser_is_replaced_by_its_page_once(store, feed_server, tmp_path):
    path = f"pier-{uuid.uuid4().hex[:6]}.html"
    feed_server.set_route(path, PAGE, content_type="text/html; charset=utf-8")
    article = teaser_article(store, feed_server.url(path))
    config = make_config(tmp_path)

    first = article_text(store, article, config)
    assert first.source == "page"
    assert "“We will not lose another winter,” said Harbour Master Ana Lopes" in first.text
    assert "Subscribe" not in first.text and "Advertisement" not in first.text
    assert "Photo: Harbour Trust" not in first.text
    again = article_text(store, article, config)
    assert again.text == first.text
    assert feed_server.count(path=f"/{path}") == 1  # cached: fetched once


def test_a_failed_page_falls_back_to_the_feed_text_and_is_not_retried(store, feed_server, tmp_path):
    article = teaser_article(store, feed_server.url("status/404"))
    config = make_config(tmp_path)
    result = article_text(store, article, config)
    assert result.source == "feed" and result.text == "The pier…"
    assert "404" in (result.error or "")
    article_text(store, article, config)
    assert feed_server.count(path="/status/404") == 1


def test_full_text_can_be_switched_off_per_feed(store, feed_server, tmp_path):
    path = f"pier-{uuid.uuid4().hex[:6]}.html"
    feed_server.set_route(path, PAGE, content_type="text/html")
    article = teaser_article(store, feed_server.url(path))
    config = make_config(
        tmp_path, f'[full_text]\nmin_words = 150\n[full_text.per_feed]\n"{article.feed_url}" = 0\n'
    )
    assert article_text(store, article, config).source == "feed"
    assert feed_server.count(path=f"/{path}") == 0
