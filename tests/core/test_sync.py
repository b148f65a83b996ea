"""Sync against the loopback Google Reader API server in tests/greader_server.py."""

from __future__ import annotations

import asyncio
from datetime import UTC, datetime

import pytest

from tests.greader_server import Feed, GReaderServer
from tui.core.errors import SyncAuthError, SyncError
from tui.core.store import ArticleFilter, Store
from tui.core.sync.account import Account
from tui.core.sync.client import GReaderClient
from tui.core.sync.engine import sync_once
from tui.core.sync.ids import long_item_id, parse_item_id


@pytest.fixture
def server():
    with GReaderServer(page_limit=100) as running:
        running.add_user("ana", "secret")
        yield running


@pytest.fixture
def db(tmp_path):
    with Store(tmp_path / "archive.sqlite3") as store:
        yield store


def login(server: GReaderServer, password: str = "secret") -> Account:
    async def go() -> str:
        async with GReaderClient(server.url) as client:
            return await client.login("ana", password)

    return Account(server.url, "ana", asyncio.run(go()))


def sync(db: Store, account: Account):
    return asyncio.run(sync_once(db, account))


def by_item(db: Store) -> dict[int, object]:
    rows = db._db.execute("SELECT item_id, article_id FROM sync_items").fetchall()
    articles = {a.id: a for a in db.iter_articles()}
    return {item_id: articles[article_id] for item_id, article_id in rows}


def test_item_ids_in_both_forms_are_the_same_item():
    assert parse_item_id("tag:google.com,2005:reader/item/000000000000001f") == 31
    assert parse_item_id("31") == 31
    # The high bit set: the hex form is unsigned, the decimal form signed.
    high = "tag:google.com,2005:reader/item/ffffffffffffffff"
    assert parse_item_id(high) == parse_item_id("-1") == -1
    assert long_item_id(-1) == high
    assert long_item_id(255) == "tag:google.com,2005:reader/item/00000000000000ff"
    assert parse_item_id(long_item_id(1_700_000_000_123_456)) == 1_700_000_000_123_456
    with pytest.raises(ValueError):
        parse_item_id("tag:google.com,2005:reader/item/zz")


def test_login_with_a_wrong_password_is_refused(server):
    with pytest.raises(SyncAuthError, match="refused the user name or password"):
        login(server, "wrong")
    assert login(server).auth.startswith("ana/")


def test_first_sync_stores_every_item_with_its_state_and_labels(server, db):
    tech = server.add_feed("https://tech.example/feed.xml", "Tech", label="Work")
    news = server.add_feed("https://news.example/rss", "News")
    tech_ids = server.add_items(tech, 130)  # more than a page of ids: continuation
    news_ids = server.add_items(news, 20)
    server.set_item(tech_ids[0], read=True)
    server.set_item(news_ids[3], starred=True)

    report = sync(db, login(server))

    assert report.errors == ()
    assert (report.received, report.subscriptions, report.pending) == (150, 2, 0)
    feeds = {f.url: f for f in db.feeds()}
    assert feeds["https://tech.example/feed.xml"].tags == ("Work",)
    assert feeds["https://tech.example/feed.xml"].total == 130
    articles = by_item(db)
    assert len(articles) == 150
    assert articles[tech_ids[0]].read and not articles[tech_ids[1]].read
    assert articles[news_ids[3]].bookmarked
    assert articles[tech_ids[5]].title == "Story 5 & more"
    assert server.count("stream/items/ids") > 3  # the pages were followed


def test_a_sync_with_nothing_new_is_a_few_small_requests(server, db):
    feed = server.add_feed("https://a.example/feed", "A")
    server.add_items(feed, 40)
    account = login(server)
    sync(db, account)
    server.reset_log()

    report = sync(db, account)

    assert (report.received, report.updated, report.sent) == (0, 0, 0)
    assert server.count("stream/items/contents") == 0
    assert len(server.state.requests) <= 4


def test_only_new_items_are_downloaded_and_ot_asks_since_the_last(server, db):
    feed = server.add_feed("https://a.example/feed", "A")
    server.add_items(feed, 30)
    account = login(server)
    sync(db, account)
    server.reset_log()
    fresh = server.add_items(feed, 3, title="Fresh")

    report = sync(db, account)

    assert report.received == 3
    asked = [
        dict(query) for _, path, query, _ in server.state.requests if path.endswith("items/ids")
    ]
    assert any("ot" in q for q in asked)
    contents = [form for _, path, _, form in server.state.requests if "contents" in path]
    sent_ids = {parse_item_id(v) for form in contents for k, v in form if k == "i"}
    assert sent_ids == set(fresh)


def test_local_read_and_bookmark_reach_the_server(server, db):
    feed = server.add_feed("https://a.example/feed", "A")
    ids = server.add_items(feed, 5)
    account = login(server)
    sync(db, account)
    articles = by_item(db)
    db.set_read([articles[ids[0]].id])
    db.set_bookmark(articles[ids[1]].id, True, note="keep")
    assert db.pending_count() == 2

    report = sync(db, account)

    assert (report.sent, report.pending) == (2, 0)
    assert server.item(ids[0]).read and server.item(ids[1]).starred
    assert db.bookmark(articles[ids[1]].id).note == "keep"  # the note stays local


def test_server_changes_arrive_and_do_not_echo_back(server, db):
    feed = server.add_feed("https://a.example/feed", "A")
    ids = server.add_items(feed, 5)
    account = login(server)
    sync(db, account)
    server.set_item(ids[2], read=True, starred=True)

    report = sync(db, account)

    assert report.updated == 2
    article = by_item(db)[ids[2]]
    assert article.read and article.bookmarked
    assert db.pending_count() == 0  # the server's own state is not queued back


def test_conflict_a_pending_local_change_is_not_overwritten(server, db):
    # NetNewsWire's bug: read offline, the next sync saw "unread" on the server and
    # flipped it back. Here the server goes down while the change is queued, then a
    # sync that cannot send still must not undo it, and the next one sends it.
    feed = server.add_feed("https://a.example/feed", "A")
    ids = server.add_items(feed, 3)
    account = login(server)
    sync(db, account)
    article = by_item(db)[ids[0]]
    db.set_read([article.id])
    server.set_item(ids[1], read=True)  # changed on the other side meanwhile
    # The first write of the sync fails: the token expired and cannot be renewed.
    server.die_after(1)  # the token answer, then nothing

    failed = sync(db, account)

    assert failed.errors and failed.pending == 1
    assert db.article(article.id).read
    server.die_after(None)
    server.set_item(ids[0], read=False)  # the server still says unread

    report = sync(db, account)

    assert report.errors == () and report.sent == 1
    assert db.article(article.id).read and server.item(ids[0]).read
    assert by_item(db)[ids[1]].read


def test_a_change_made_while_state_is_applied_wins(server, db):
    # The server says unread; the user marks read after the ids were listed but before
    # they are applied: the queued change keeps the article read.
    feed = server.add_feed("https://a.example/feed", "A")
    ids = server.add_items(feed, 2)
    account = login(server)
    sync(db, account)
    article = by_item(db)[ids[0]]
    db.set_read([article.id])
    db.apply_remote_state(unread=ids, starred=[])
    assert db.article(article.id).read and db.pending_count() == 1


def test_an_expired_write_token_is_fetched_again(server, db):
    feed = server.add_feed("https://a.example/feed", "A")
    ids = server.add_items(feed, 2)
    account = login(server)

    async def go():
        async with GReaderClient(server.url, account.auth) as client:
            await client.edit_tag([ids[0]], add="user/-/state/com.google/read")
            server.expire_token()
            await client.edit_tag([ids[1]], add="user/-/state/com.google/starred")

    asyncio.run(go())
    assert server.item(ids[0]).read and server.item(ids[1]).starred
    assert server.count("/token") == 2


def test_an_expired_login_is_one_clear_error_and_changes_wait(server, db):
    feed = server.add_feed("https://a.example/feed", "A")
    ids = server.add_items(feed, 2)
    account = login(server)
    sync(db, account)
    db.set_read([by_item(db)[ids[0]].id])
    server.expire_auth()

    report = sync(db, account)

    assert report.pending == 1
    assert "refused the saved login" in report.errors[0]


def test_long_item_ids_in_the_id_lists_work_too(db):
    with GReaderServer(ids_form="long", page_limit=7) as server:
        server.add_user("ana", "secret")
        feed = server.add_feed("https://a.example/feed", "A")
        ids = server.add_items(feed, 20)
        server.set_item(ids[4], starred=True)
        report = sync(db, login(server))
        assert report.received == 20 and by_item(db)[ids[4]].bookmarked


def test_the_server_dying_mid_sync_keeps_what_came_and_the_queue(server, db):
    feed = server.add_feed("https://a.example/feed", "A")
    server.add_items(feed, 600)
    account = login(server)
    # The subscription list, 13 pages of ids (100 a page) and one batch of contents;
    # then the server is gone in the middle of the downloads.
    server.die_after(15)

    failed = sync(db, account)

    assert failed.errors
    stored = len(by_item(db))
    assert stored == 250  # the batch that came is kept
    server.die_after(None)
    report = sync(db, account)
    assert report.errors == ()
    assert len(by_item(db)) == 600 and report.received == 600 - stored


def test_a_feed_gone_from_the_server_is_unsubscribed_bookmarks_kept(server, db):
    keep = server.add_feed("https://a.example/feed", "A")
    drop = server.add_feed("https://b.example/feed", "B")
    server.add_items(keep, 2)
    dropped = server.add_items(drop, 3)
    server.set_item(dropped[0], starred=True)
    account = login(server)
    sync(db, account)
    del server.state.feeds[drop]
    server.state.items = {k: v for k, v in server.state.items.items() if v.feed != drop}

    sync(db, account)

    assert [f.url for f in db.feeds()] == ["https://a.example/feed"]
    assert [b.article.link for b in db.bookmarks()] == [server_link(drop, dropped[0])]


def server_link(stream: str, item_id: int) -> str:
    return f"https://example.org/{stream}/{item_id}"


def test_a_local_feed_the_server_also_has_is_adopted_without_duplicates(server, db, tmp_path):
    from tui.core.models import ParsedEntry, ParsedFeed

    url = "https://a.example/feed"
    local = db.add_feed(url)
    stream = server.add_feed(url, "A")
    ids = server.add_items(stream, 2)
    entries = tuple(
        ParsedEntry(title=f"t{n}", link=server_link(stream, i), guid=f"g{n}")
        for n, i in enumerate(ids)
    )
    db.apply_feed_update(local.id, ParsedFeed("A", entries=entries), now=datetime.now(UTC))

    sync(db, login(server))

    assert db.feed(local.id).total == 2
    assert set(by_item(db)) == set(ids)
    assert db.server_feed_ids() == {local.id}


def test_what_the_user_did_before_the_first_sync_survives_the_adoption(server, db):
    # A reader with history sets up sync: the server has the same feed and calls its
    # items unread and unstarred. The first sync must not undo the user's reads or drop
    # their bookmarks; the server learns of them instead.
    from tui.core.models import ParsedEntry, ParsedFeed

    url = "https://a.example/feed"
    local = db.add_feed(url)
    stream = server.add_feed(url, "A")
    ids = server.add_items(stream, 3)
    entries = tuple(
        ParsedEntry(title=f"t{n}", link=server_link(stream, i), guid=f"g{n}")
        for n, i in enumerate(ids)
    )
    db.apply_feed_update(local.id, ParsedFeed("A", entries=entries), now=datetime.now(UTC))
    by_link = {a.link: a for a in db.iter_articles()}
    read, kept = by_link[server_link(stream, ids[0])], by_link[server_link(stream, ids[1])]
    db.set_read([read.id])
    db.set_bookmark(kept.id, True)
    account = login(server)
    db.start_sync(account.url)

    first = sync(db, account)

    assert first.errors == () and first.pending == 2
    assert db.article(read.id).read and db.article(kept.id).bookmarked
    second = sync(db, account)
    assert (second.sent, second.pending) == (2, 0)
    assert server.item(ids[0]).read and server.item(ids[1]).starred
    assert db.article(read.id).read and db.article(kept.id).bookmarked
    assert not server.item(ids[2]).read and not db.article(by_item(db)[ids[2]].id).read


def test_sync_off_and_on_again_with_the_same_server_keeps_syncing(server, db):
    # The articles stay after `sync off`; setting the account up again used to insert
    # them a second time, and every sync from then on failed on the archive's
    # uniqueness. They are taken back instead, and changes to them go out again.
    feed = server.add_feed("https://a.example/feed", "A")
    ids = server.add_items(feed, 4)
    account = login(server)
    db.start_sync(account.url)
    sync(db, account)
    total = db.counts()[0]
    db.forget_sync()
    db.start_sync(account.url)

    again = sync(db, account)

    assert again.errors == ()
    assert db.counts()[0] == total and set(by_item(db)) == set(ids)
    db.set_read([by_item(db)[ids[3]].id])
    assert sync(db, account).sent == 1 and server.item(ids[3]).read


def test_another_server_reusing_item_numbers_gets_its_own_articles(server, db):
    # Some servers number items with small counters, so a new server may hand out the
    # numbers the old one did, for other articles of the same feed. They are stored as
    # their own, not taken for the old server's articles.
    import itertools

    url = "https://a.example/feed"
    old = server.add_items(server.add_feed(url, "A"), 3, title="Old")
    account = login(server)
    db.start_sync(account.url)
    sync(db, account)
    with GReaderServer() as other:
        other.add_user("ana", "secret")
        other._clock = itertools.count(min(old))  # the same numbers again
        new = other.add_items(other.add_feed(url, "A"), 3, title="New")
        assert set(new) == set(old)
        for item_id in new:
            other.item(item_id).link = f"https://b.example/{item_id}"
        moved = login(other)
        db.start_sync(moved.url)

        report = sync(db, moved)

    assert report.errors == () and report.received == 3
    assert {a.title for a in by_item(db).values()} == {f"New {n} & more" for n in range(3)}
    assert {a.title.split()[0] for a in db.iter_articles()} >= {"Old", "New"}


def test_a_feed_removed_and_added_again_keeps_syncing(server, db):
    # Removing a server feed keeps its bookmarked articles; the server may still star
    # the item, and may list the feed again: either way it is the same article, not a
    # copy (nor a uniqueness error that fails every sync).
    url = "https://a.example/feed"
    stream = server.add_feed(url, "A")
    ids = server.add_items(stream, 2)
    server.set_item(ids[0], starred=True)
    account = login(server)
    db.start_sync(account.url)
    sync(db, account)
    feed_id = by_item(db)[ids[0]].feed_id
    db.remove_feed(feed_id, keep_bookmarks=True)
    assert sync(db, account).errors == () and url not in {f.url for f in db.feeds()}
    assert len(db.bookmarks()) == 1
    server.state.feeds[stream] = Feed(stream, url, "A")  # subscribed again, on the web

    report = sync(db, account)

    assert report.errors == ()
    assert len(db.bookmarks()) == 1 and set(by_item(db)) == set(ids)


def test_long_items_that_overflow_one_answer_still_arrive(server, db):
    # Full-text feeds send long items: 250 of them can pass the body cap. Failing the
    # whole batch failed every sync at the same place, for good; it is asked for in
    # halves, and only an item too large on its own is left out, with the reason.
    from tui.core.config import FetchSettings

    feed = server.add_feed("https://long.example/feed", "Long reads")
    ids = server.add_items(feed, 60)
    for item_id in ids:
        server.item(item_id).content = "<p>" + "word " * 4_000 + "</p>"  # 20 KB each
    server.item(ids[7]).content = "<p>" + "huge " * 100_000 + "</p>"  # 500 KB alone
    limits = FetchSettings(max_bytes=300_000)

    report = asyncio.run(sync_once(db, login(server), limits=limits))

    assert report.received == 59 and set(by_item(db)) == set(ids) - {ids[7]}
    assert len(report.errors) == 1 and "limit" in report.errors[0]


def test_odd_shapes_from_a_server_do_not_stop_the_sync(server, db):
    # A server's JSON is untrusted: a number where a list belongs, Infinity for a date
    # (Python's json reads it) raised TypeError and OverflowError out of the sync, and
    # with them out of `refresh`, whose local feeds were then not fetched either.
    feed = server.add_feed("https://a.example/feed", "A")
    ids = server.add_items(feed, 4)
    odd = {
        ids[0]: {"categories": 5},
        ids[1]: {"published": float("inf"), "crawlTimeMsec": float("inf")},
        ids[2]: {"canonical": 3, "alternate": {"href": "https://x.example/"}},
    }
    item_json = server._item_json
    server._item_json = lambda item: {**item_json(item), **odd.get(item.id, {})}
    listed = server._feed_json
    server._feed_json = lambda f: {**listed(f), "categories": 7}

    report = sync(db, login(server))

    assert report.errors == () and set(by_item(db)) == set(ids)
    assert by_item(db)[ids[2]].link is None and by_item(db)[ids[1]].published is None


def test_two_syncs_at_once_both_succeed_and_store_each_item_once(server, tmp_path):
    # The reader's timed refresh syncs in a child process; `broadsheet sync` (or add,
    # or remove) in a terminal may run meanwhile. Each saw the archive before the
    # other stored the items, and the second failed on the archive's uniqueness.
    import threading

    feed = server.add_feed("https://a.example/feed", "A")
    ids = server.add_items(feed, 600)
    server.contents_delay = 0.1  # both have listed the ids before either stores
    account = login(server)
    path = tmp_path / "shared.sqlite3"
    with Store(path) as store:
        store.start_sync(account.url)
    reports = []

    def run() -> None:
        with Store(path) as store:
            reports.append(sync(store, account))

    threads = [threading.Thread(target=run) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(60)

    assert [r.errors for r in reports] == [(), ()]
    assert sum(r.received for r in reports) == 600
    with Store(path) as store:
        assert set(by_item(store)) == set(ids) and store.counts()[0] == 600


def test_ten_thousand_items(db):
    with GReaderServer(page_limit=1000) as server:
        server.add_user("ana", "secret")
        streams = [server.add_feed(f"https://f{n}.example/rss", f"F{n}") for n in range(20)]
        for stream in streams:
            server.add_items(stream, 500)
        seen: list[tuple[str, int, int]] = []
        account = login(server)
        report = asyncio.run(
            sync_once(db, account, progress=lambda p: seen.append((p.phase, p.done, p.total)))
        )
        assert report.received == 10_000 and report.errors == ()
        assert db.counts()[0] >= 10_000
        items = [p for p in seen if p[0] == "items"]
        assert items[-1] == ("items", 10_000, 10_000) and len(items) > 10
        server.reset_log()
        again = sync(db, account)
        assert again.received == 0 and server.count("contents") == 0
        hits = db.articles(ArticleFilter(search="Story 499"), limit=50)
        assert hits and all("Story 499" in a.title for a in hits)


def test_unreachable_server_is_one_line(db, server):
    account = login(server)
    server.stop()
    report = sync(db, account)
    assert report.errors and "cannot connect to 127.0.0.1" in report.errors[0]
    with pytest.raises(SyncError):
        raise SyncError(report.errors[0])
