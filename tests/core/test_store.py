"""The archive against a real SQLite file."""

from __future__ import annotations

import sqlite3
from dataclasses import replace
from datetime import UTC, datetime, timedelta

import pytest

from tui.core.errors import ArticleNotFoundError, FeedNotFoundError, StoreError
from tui.core.models import ParsedEntry, ParsedFeed
from tui.core.store import SCHEMA_VERSION, ArticleFilter, Store
from tui.core.store.base import WAL_KEEP_BYTES

NOW = datetime(2026, 11, 25, 12, 0, tzinfo=UTC)


def entries(count: int, *, prefix: str = "item", start: datetime = NOW) -> tuple[ParsedEntry, ...]:
    return tuple(
        ParsedEntry(
            title=f"{prefix} {i}",
            guid=f"{prefix}-{i}",
            link=f"https://example.org/{prefix}/{i}",
            published=start - timedelta(minutes=i),
            content=f"<p>Body of {prefix} {i}</p>",
        )
        for i in range(count)
    )


def test_migrates_an_empty_file_and_sets_pragmas(tmp_path):
    path = tmp_path / "empty.sqlite3"
    path.write_bytes(b"")
    with Store(path) as store:
        assert store.created
        assert store.schema_version == SCHEMA_VERSION
        assert store._db.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
        assert store._db.execute("PRAGMA foreign_keys").fetchone()[0] == 1
        tables = {r[0] for r in store._db.execute("SELECT name FROM sqlite_master")}
        assert {"feeds", "articles", "bookmarks", "feed_tags", "state"} <= tables
    with Store(path) as again:
        assert not again.created
        assert again.schema_version == SCHEMA_VERSION


def test_refuses_a_database_from_a_newer_version(tmp_path):
    path = tmp_path / "future.sqlite3"
    db = sqlite3.connect(path)
    db.execute(f"PRAGMA user_version = {SCHEMA_VERSION + 5}")
    db.close()
    with pytest.raises(StoreError, match="newer Broadsheet"):
        Store(path)


def test_a_file_that_is_not_a_database_gives_a_clear_error(tmp_path):
    path = tmp_path / "notes.sqlite3"
    path.write_text("these are my notes, not a database\n" * 100)
    with pytest.raises(StoreError, match=r"is damaged \(file is not a database\).*check --repair"):
        Store(path)
    assert "my notes" in path.read_text()  # and it is left alone


def test_articles_are_deduplicated_by_guid_then_link_then_title_and_date(store):
    feed = store.add_feed("https://example.org/feed")
    parsed = ParsedFeed(
        title="Example",
        entries=(
            ParsedEntry(title="by guid", guid="g1", link="https://example.org/1"),
            ParsedEntry(title="by link", link="https://example.org/2"),
            ParsedEntry(title="by hash", published=NOW),
            ParsedEntry(title="repeated guid in one document", guid="g1"),
        ),
    )
    assert store.apply_feed_update(feed.id, parsed, now=NOW) == 3
    # The same document again adds nothing; a changed title updates in place.
    assert store.apply_feed_update(feed.id, parsed, now=NOW) == 0
    changed = ParsedFeed(
        title="Example",
        entries=(ParsedEntry(title="by guid, corrected", guid="g1", link="https://x/1"),),
    )
    assert store.apply_feed_update(feed.id, changed, now=NOW) == 0
    titles = sorted(a.title for a in store.articles())
    assert titles == ["by guid, corrected", "by hash", "by link"]


def test_known_articles_keep_their_id_read_state_and_first_seen(store):
    feed = store.add_feed("https://example.org/feed")
    store.apply_feed_update(feed.id, ParsedFeed("F", entries=entries(3)), now=NOW)
    before = {a.title: a for a in store.articles()}
    store.set_read([before["item 1"].id])
    later = NOW + timedelta(hours=5)
    store.apply_feed_update(feed.id, ParsedFeed("F", entries=entries(4)), now=later)
    after = {a.title: a for a in store.articles()}
    assert after["item 1"].id == before["item 1"].id
    assert after["item 1"].read
    assert after["item 1"].first_seen == NOW
    assert after["item 3"].first_seen == later
    assert store.feed(feed.id).unread == 3


def test_the_same_guid_in_two_feeds_is_two_articles(store):
    one = store.add_feed("https://one.example/feed")
    two = store.add_feed("https://two.example/feed")
    store.apply_feed_update(one.id, ParsedFeed("1", entries=entries(2)), now=NOW)
    store.apply_feed_update(two.id, ParsedFeed("2", entries=entries(2)), now=NOW)
    assert len(store.articles()) == 4
    assert len(store.articles(ArticleFilter(feed_id=two.id))) == 2


def test_keyset_pages_cover_every_article_once_even_with_equal_dates(store):
    feed = store.add_feed("https://example.org/feed")
    # 250 undated items all sort at the same second: the id breaks the ties.
    undated = tuple(ParsedEntry(title=f"u{i}", guid=f"u{i}") for i in range(250))
    store.apply_feed_update(feed.id, ParsedFeed("F", entries=undated + entries(250)), now=NOW)
    seen, cursor = [], None
    while True:
        page = store.articles(limit=37, after=cursor)
        if not page:
            break
        seen.extend(page)
        cursor = (page[-1].sort_time, page[-1].id)
    assert len(seen) == 500
    assert len({a.id for a in seen}) == 500
    keys = [(a.sort_time, a.id) for a in seen]
    assert keys == sorted(keys, reverse=True)


@pytest.mark.parametrize(
    "which",
    [ArticleFilter(), ArticleFilter(feed_id=1), ArticleFilter(unread=True)],
    ids=["all", "one feed", "unread"],
)
def test_paging_queries_walk_an_index_instead_of_sorting(store, which):
    """Keyset pages stay constant-time only if SQLite never sorts the whole table."""
    sql, params = _last_query(store, which)
    plan = " ".join(row[3] for row in store._db.execute("EXPLAIN QUERY PLAN " + sql, params))
    assert "USING" in plan and "INDEX" in plan, plan
    assert "TEMP B-TREE" not in plan, plan


def _last_query(store, which):
    captured = []
    store._db.set_trace_callback(captured.append)
    store.articles(which, limit=10, after=(1_000_000, 5))
    store._db.set_trace_callback(None)
    statement = captured[-1]
    return statement, ()


def test_future_dates_do_not_float_to_the_top(store):
    feed = store.add_feed("https://example.org/feed")
    bogus = ParsedEntry(
        title="from 2099", guid="future", published=datetime(2099, 1, 1, tzinfo=UTC)
    )
    store.apply_feed_update(feed.id, ParsedFeed("F", entries=(bogus,)), now=NOW)
    later = NOW + timedelta(hours=1)
    fresh = ParsedEntry(title="real news", guid="fresh", published=later)
    store.apply_feed_update(feed.id, ParsedFeed("F", entries=(bogus, fresh)), now=later)
    newest, bogus_row = store.articles(limit=2)
    assert newest.title == "real news"
    assert bogus_row.sort_time == int(NOW.timestamp())  # ordered by when we first saw it
    assert bogus_row.published.year == 2099  # the feed's own date is still shown


def test_a_failure_keeps_the_articles_and_records_the_error(store):
    feed = store.add_feed("https://example.org/feed")
    store.apply_feed_update(feed.id, ParsedFeed("F", entries=entries(5)), now=NOW, etag='"v1"')
    store.record_failure(feed.id, "HTTP 500 Internal Server Error", now=NOW, status="500")
    failed = store.feed(feed.id)
    assert failed.total == 5
    assert failed.last_status == "500"
    assert failed.last_error == "HTTP 500 Internal Server Error"
    assert failed.etag == '"v1"'
    store.apply_feed_update(feed.id, ParsedFeed("F", entries=entries(5)), now=NOW)
    assert store.feed(feed.id).last_error is None


def test_writes_grouped_in_one_transaction_fail_one_by_one(store):
    # How a refresh's writer groups the writes that queue up: one commit for all,
    # and a write that fails takes back only its own changes.
    kept = store.add_feed("https://example.org/kept")
    broken = store.add_feed("https://example.org/broken")
    with store.transaction():
        store.apply_feed_update(kept.id, ParsedFeed("Kept", entries=entries(2)), now=NOW)
        with pytest.raises(ZeroDivisionError), store.transaction():
            store.apply_feed_update(broken.id, ParsedFeed("Broken", entries=entries(3)), now=NOW)
            1 / 0  # noqa: B018 - fails after its writes
        store.record_failure(broken.id, "no parse", now=NOW)
    assert store.feed(kept.id).total == 2
    assert store.feed(broken.id).total == 0
    assert store.feed(broken.id).last_error == "no parse"


def test_a_transaction_sqlite_gave_up_keeps_its_reason(store):
    # On a full disk or an I/O error SQLite rolls the whole transaction back by itself;
    # rolling back again must not replace that reason with "no transaction is active".
    feed = store.add_feed("https://example.org/feed")
    with pytest.raises(sqlite3.OperationalError, match="disk is full"), store.transaction() as db:
        store.apply_feed_update(feed.id, ParsedFeed("F", entries=entries(2)), now=NOW)
        with store.transaction():
            db.execute("ROLLBACK")  # what SQLite does on SQLITE_FULL
            raise sqlite3.OperationalError("database or disk is full")
    assert not store.in_transaction
    assert store.feed(feed.id).total == 0


def test_a_permanent_redirect_moves_the_subscription(store):
    feed = store.add_feed("http://old.example/feed")
    store.record_not_modified(feed.id, now=NOW, new_url="https://new.example/feed")
    assert store.feed(feed.id).url == "https://new.example/feed"
    with pytest.raises(FeedNotFoundError):
        store.feed_by_url("http://old.example/feed")


def test_removing_a_feed_removes_its_articles(store):
    feed = store.add_feed("https://example.org/feed", tags=["news"])
    store.apply_feed_update(feed.id, ParsedFeed("F", entries=entries(3)), now=NOW)
    article_id = store.articles()[0].id
    store.remove_feed(feed.id)
    assert store.feeds() == []
    with pytest.raises(ArticleNotFoundError):
        store.article(article_id)


def test_article_ids_are_never_reused(store):
    feed = store.add_feed("https://example.org/feed")
    store.apply_feed_update(feed.id, ParsedFeed("F", entries=entries(3)), now=NOW)
    highest = max(a.id for a in store.articles())
    store.remove_feed(feed.id)
    again = store.add_feed("https://example.org/feed")
    store.apply_feed_update(again.id, ParsedFeed("F", entries=entries(1)), now=NOW)
    assert store.articles()[0].id > highest


def test_filters_and_title_search(store):
    feed = store.add_feed("https://example.org/feed", tags=["tech"])
    other = store.add_feed("https://other.example/feed")
    store.apply_feed_update(feed.id, ParsedFeed("F", entries=entries(3, prefix="rust")), now=NOW)
    store.apply_feed_update(other.id, ParsedFeed("O", entries=entries(3, prefix="50%")), now=NOW)
    assert {a.title for a in store.articles(ArticleFilter(search="RUST 1"))} == {"rust 1"}
    assert len(store.articles(ArticleFilter(search="50%"))) == 3  # % is literal, not a wildcard
    assert len(store.articles(ArticleFilter(search="_"))) == 0
    assert len(store.articles(ArticleFilter(tag="tech"))) == 3
    store.mark_feed_read(feed.id)
    assert {a.feed_id for a in store.articles(ArticleFilter(unread=True))} == {other.id}


def test_an_article_comes_with_its_body_and_lists_without(store):
    feed = store.add_feed("https://example.org/feed")
    store.apply_feed_update(feed.id, ParsedFeed("Feed title", entries=entries(1)), now=NOW)
    listed = store.articles()[0]
    assert listed.content == ""
    full = store.article(listed.id)
    assert full.content == "<p>Body of item 0</p>"
    assert full.feed_title == "Feed title"


def test_state_survives_reopening(tmp_path):
    path = tmp_path / "state.sqlite3"
    with Store(path) as store:
        store.set_state("theme", "textual-light")
    with Store(path) as store:
        assert store.get_state("theme") == "textual-light"
        assert store.get_state("missing", "default") == "default"


def test_removing_a_feed_keeps_its_bookmarks_unless_asked_not_to(store):
    feed = store.add_feed("https://example.org/feed", tags=["news"])
    store.apply_feed_update(feed.id, ParsedFeed("Example", entries=entries(3)), now=NOW)
    kept_id = store.articles()[1].id
    store.set_bookmark(kept_id, True, note="read again")
    assert store.remove_feed(feed.id) == 1
    assert store.feeds() == []  # no longer subscribed, no longer refreshed
    assert [a.id for a in store.articles()] == [kept_id]
    (bookmark,) = store.bookmarks()
    assert bookmark.note == "read again"
    assert bookmark.article.feed_title == "Example"
    # Subscribing again brings the feed back with its bookmark.
    again = store.add_feed("https://example.org/feed")
    assert again.id == feed.id and [f.id for f in store.feeds()] == [feed.id]
    assert store.remove_feed(feed.id, keep_bookmarks=False) == 0
    assert store.articles() == [] and store.bookmarks() == []


def test_bookmark_notes_round_trip(store):
    feed = store.add_feed("https://example.org/feed")
    store.apply_feed_update(feed.id, ParsedFeed("F", entries=entries(2)), now=NOW)
    first, second = (a.id for a in store.articles())
    store.set_bookmark(first, True, note="first note")
    store.set_bookmark(second, True)
    store.set_bookmark(first, True)  # re-bookmarking keeps the note
    assert store.bookmark(first).note == "first note"
    store.set_bookmark(first, True, note="edited")
    assert store.bookmark(first).note == "edited"
    assert {b.article.id for b in store.bookmarks()} == {first, second}
    assert store.articles()[0].bookmarked
    assert store.counts() == (2, 2, 2)
    store.set_bookmark(second, False)
    assert store.bookmark(second) is None
    with pytest.raises(ArticleNotFoundError):
        store.set_bookmark(999, True)


def test_full_text_search_follows_inserts_updates_and_deletes(store):
    feed = store.add_feed("https://example.org/feed")
    first = ParsedFeed(
        "F",
        entries=(
            ParsedEntry(
                title="Harbour news", guid="a", content="<p>The <b>ferry</b> to Zürich</p>"
            ),
            ParsedEntry(title="Weather", guid="b", content="<p>Rain &amp; wind all week</p>"),
        ),
    )
    store.apply_feed_update(feed.id, first, now=NOW)

    def found(query: str) -> list[str]:
        return sorted(a.title for a in store.articles(ArticleFilter(search=query)))

    assert found("ferry") == ["Harbour news"]  # in the body, not the title
    assert found("zurich") == ["Harbour news"]  # diacritics folded
    assert found("ferr") == ["Harbour news"]  # the last word is a prefix
    assert found("wind rain") == ["Weather"]  # every word must match
    assert found("b") == []  # tag names are not text
    for hostile in ('"', "NEAR(", "ferry OR", "*", "AND", "title:x", "'); DROP TABLE articles; --"):
        store.articles(ArticleFilter(search=hostile))  # never a syntax error
    changed = ParsedFeed(
        "F",
        entries=(
            ParsedEntry(title="Harbour news", guid="a", content="<p>The bridge is open</p>"),
            ParsedEntry(title="Weather", guid="b", content="<p>Rain &amp; wind all week</p>"),
        ),
    )
    store.apply_feed_update(feed.id, changed, now=NOW)
    assert found("ferry") == [] and found("bridge") == ["Harbour news"]
    store.remove_feed(feed.id)
    assert found("bridge") == [] and found("rain") == []


def test_search_results_come_in_list_order_page_by_page(store):
    # Two feeds whose items interleave in time, arrive out of date order and share
    # timestamps, so id order and list order differ.
    news = store.add_feed("https://example.org/news", tags=["world"])
    blog = store.add_feed("https://blog.example/feed")
    later = entries(40, prefix="common news", start=NOW - timedelta(minutes=1))
    earlier = entries(40, prefix="common blog", start=NOW)
    tied = tuple(replace(e, published=NOW - timedelta(minutes=3)) for e in entries(5, prefix="tie"))
    store.apply_feed_update(news.id, ParsedFeed("N", entries=later + tied), now=NOW)
    store.apply_feed_update(blog.id, ParsedFeed("B", entries=earlier), now=NOW)
    ids = [a.id for a in store.articles(limit=500)]
    store.set_read(ids[::3])
    store.set_bookmark(ids[4], True)
    store.set_bookmark(ids[9], True)

    def paged(which: ArticleFilter, size: int) -> list[int]:
        found, after = [], None
        while page := store.articles(which, limit=size, after=after):
            found += [a.id for a in page]
            after = (page[-1].sort_time, page[-1].id)
        return found

    def listed(which: ArticleFilter, matches) -> list[int]:
        return [a.id for a in store.articles(which, limit=500) if matches(a.title)]

    for narrowing in (
        {},
        {"unread": True},
        {"feed_id": news.id},
        {"bookmarked": True},
        {"tag": "world"},
    ):
        for query, matches in (("common", lambda t: "common" in t), ("ti", lambda t: "tie" in t)):
            want = listed(ArticleFilter(**narrowing), matches)
            assert want, (narrowing, query)
            assert paged(ArticleFilter(search=query, **narrowing), 7) == want, narrowing


def test_items_without_dates_keep_the_feeds_order(store):
    feed = store.add_feed("https://example.org/feed")
    undated = tuple(ParsedEntry(title=f"story {i}", guid=f"s{i}") for i in range(5))
    dated = ParsedEntry(title="dated", guid="d", published=NOW - timedelta(days=1))
    store.apply_feed_update(feed.id, ParsedFeed("F", entries=(*undated, dated)), now=NOW)
    titles = [a.title for a in store.articles()]
    assert titles == ["story 0", "story 1", "story 2", "story 3", "story 4", "dated"]
    assert [a.title for a in store.articles(ArticleFilter(search="story"))] == titles[:5]


def test_an_archive_from_before_the_ordered_search_index_is_searchable(tmp_path):
    path = tmp_path / "old.sqlite3"
    with Store(path) as store:
        feed = store.add_feed("https://example.org/feed")
        store.apply_feed_update(feed.id, ParsedFeed("F", entries=entries(5)), now=NOW)
        before = [a.id for a in store.articles(ArticleFilter(search="body item"))]
        # Put the search index back the way schema 7 keyed it, on article ids.
        store._db.executescript(
            """INSERT INTO article_search (article_search) VALUES ('delete-all');
               INSERT INTO article_search (rowid, title, body)
                   SELECT id, title, broadsheet_plain(summary, content) FROM articles;
               DROP TRIGGER sync_queue_read; DROP TRIGGER sync_queue_star;
               DROP TRIGGER sync_queue_unstar; DROP TABLE sync_feeds;
               DROP TABLE sync_items; DROP TABLE sync_pending;
               DROP TRIGGER sync_queue_subscribe; DROP TRIGGER sync_queue_unsubscribe;
               DROP TRIGGER sync_queue_delete_feed; DROP TABLE sync_pending_feeds;
               DROP TABLE story_sketches; DROP TABLE story_members;
               DROP TABLE rules; DROP TABLE article_tags; DROP TABLE saved_searches;
               DROP TABLE undo_items; DROP TABLE undo_actions; DROP TABLE story_windows;
               ALTER TABLE articles DROP COLUMN hidden;
               PRAGMA user_version = 7;"""
        )
    with Store(path) as store:
        assert store.schema_version == SCHEMA_VERSION
        assert [a.id for a in store.articles(ArticleFilter(search="body item"))] == before
        assert len(before) == 5


def test_retention_keeps_bookmarks_and_unread_and_stays_pruned(store):
    feed = store.add_feed("https://example.org/feed")
    old_items = tuple(
        ParsedEntry(title=f"old {i}", guid=f"old-{i}", published=NOW - timedelta(days=40 + i))
        for i in range(4)
    )
    fresh = tuple(
        ParsedEntry(title=f"new {i}", guid=f"new-{i}", published=NOW - timedelta(hours=i))
        for i in range(3)
    )
    document = ParsedFeed("F", entries=fresh + old_items)
    store.apply_feed_update(feed.id, document, now=NOW)
    ids = {a.title: a.id for a in store.articles()}
    store.set_read([ids["old 0"], ids["old 1"], ids["old 2"]])
    store.set_bookmark(ids["old 2"], True)

    removed = store.prune_feed(feed.id, now=NOW, keep_days=30)
    assert removed == 2  # old 0 and old 1: read, not bookmarked
    titles = {a.title for a in store.articles()}
    assert titles == {"new 0", "new 1", "new 2", "old 2", "old 3"}  # bookmark, unread kept
    # The feed still carries them, but they do not come back.
    assert store.apply_feed_update(feed.id, document, now=NOW) == 0
    assert {a.title for a in store.articles()} == titles
    assert store.prune_feed(feed.id, now=NOW, keep_days=30, include_unread=True) == 1
    # The newest two stay; beyond them only "new 2" goes, the bookmark stays.
    assert store.prune_feed(feed.id, now=NOW, max_per_feed=2, include_unread=True) == 1
    assert {a.title for a in store.articles()} == {"new 0", "new 1", "old 2"}
    store.reclaim_space()
    assert store._db.execute("PRAGMA auto_vacuum").fetchone()[0] == 2  # incremental
    # Once the feed stops carrying a removed item, its tombstone goes too.
    store.apply_feed_update(feed.id, ParsedFeed("F", entries=fresh), now=NOW)
    left = store._db.execute("SELECT dedup_key FROM pruned WHERE feed_id = ?", (feed.id,))
    assert [row[0] for row in left] == ["g:new-2"]  # still in the feed, still removed


def test_a_large_write_does_not_leave_a_large_write_ahead_log(tmp_path):
    path = tmp_path / "archive.sqlite3"
    wal = path.with_name(path.name + "-wal")
    paragraph = "<p>" + "A long report on the harbour works and the council's vote. " * 40 + "</p>"
    with Store(path) as store:
        feed = store.add_feed("https://example.org/feed")
        big = tuple(
            replace(entry, content=f"{paragraph}<p>{entry.title}</p>" * 12)
            for entry in entries(900, prefix="long")
        )
        store.apply_feed_update(feed.id, ParsedFeed("F", entries=big), now=NOW)
        grown = wal.stat().st_size
        store.set_read([store.articles()[0].id])  # the next writes start the log again
        store.set_read([store.articles()[1].id])
        assert grown > WAL_KEEP_BYTES * 1.2
        assert wal.stat().st_size <= WAL_KEEP_BYTES
        assert len(store.articles(limit=1000)) == 900
