"""The query language of `/`, rules and saved searches, against a real archive."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from tui.core.models import ParsedEntry, ParsedFeed
from tui.core.query import QueryError, parse_query
from tui.core.rules import Rule, match

NOW = datetime(2026, 12, 1, 12, tzinfo=UTC)


@pytest.fixture
def archive(store):
    feed = store.add_feed("https://news.example/feed")
    other = store.add_feed("https://other.example/rss")
    rows = [
        ("Café owners protest", "Ana Ruiz", "<p>The harbour council met the café owners.</p>"),
        ("Crypto fund collapses", "MarketBot", "<p>Investors lost &amp; left.</p>"),
        ("Council budget", "Ana Ruiz", "<p>The council&#8217;s <b>harbour</b> plan.</p>"),
    ]
    store.apply_feed_update(
        feed.id,
        ParsedFeed(
            "News",
            entries=tuple(
                ParsedEntry(title=t, author=a, guid=t, summary_html=h, published=NOW)
                for t, a, h in rows
            ),
        ),
        now=NOW,
    )
    store.apply_feed_update(
        other.id,
        ParsedFeed(
            "Other", entries=(ParsedEntry(title="Election night", guid="e", published=NOW),)
        ),
        now=NOW,
    )
    return store


def titles(store, text):
    query = parse_query(text)
    ids = match(store, [Rule("q", query, "read")]).matched["q"]
    return sorted(store.article(i).title for i in ids)


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("cafe", ["Café owners protest"]),  # accents folded, as `/` does
        ('"harbour council"', ["Café owners protest"]),
        ("harbour -title:café", ["Council budget"]),
        ("title:/^c(afé|rypto)/i", ["Crypto fund collapses", "Café owners protest"]),
        ("text:/council.s harbour/", ["Council budget"]),  # entities and tags read as text
        ("author:bot", ["Crypto fund collapses"]),
        ("feed:other.example", ["Election night"]),
        ("feed:news.example -author:ruiz", ["Crypto fund collapses"]),
    ],
)
def test_queries_find_what_a_reader_means(archive, query, expected):
    assert titles(archive, query) == sorted(expected)


@pytest.mark.parametrize(
    ("query", "named"),
    [
        ("(a+)+", None),  # plain words: no regex at all
        ("/(a+)+$/", "repeats a repetition"),
        ("/(x*)*y/", "repeats a repetition"),
        ("/(?:ab|a)+b+c*)/", "bad regular expression"),
        ("/a/x", "unknown flag 'x'"),
        ("bogus:/a/", "unknown field 'bogus:'"),
    ],
)
def test_dangerous_or_broken_queries_are_refused_with_their_reason(query, named):
    if named is None:
        parse_query(query)
        return
    with pytest.raises(QueryError) as caught:
        parse_query(query)
    assert named in caught.value.message
    assert "\n" not in caught.value.message
