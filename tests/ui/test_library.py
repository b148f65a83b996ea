"""The reader's archive service: ordered writes, merged cursor moves, reads after writes."""

from __future__ import annotations

import threading

import pytest

from tests.ui.conftest import NOW
from tui.core.archive import open_store
from tui.core.errors import StoreError
from tui.core.models import ParsedEntry, ParsedFeed
from tui.library import Library, PageRequest
from tui.selection import Selection


@pytest.fixture
def library(data_dir):
    path = data_dir / "broadsheet.sqlite3"
    with open_store(path) as store:
        feed = store.add_feed("https://example.org/feed")
        entries = tuple(ParsedEntry(title=f"Story {i}", guid=str(i)) for i in range(30))
        store.apply_feed_update(feed.id, ParsedFeed("Example", entries=entries), now=NOW)
    errors: list[str] = []
    opened = Library(path, on_error=errors.append)
    opened.errors = errors
    opened.feed = Selection.feed(feed.id)
    yield opened
    opened.close()


def hold_writer(library: Library) -> threading.Event:
    """Keep the writer busy until the returned event is set."""
    started, release = threading.Event(), threading.Event()

    def wait(store) -> None:
        started.set()
        release.wait(10)

    library.write(wait)
    assert started.wait(10)
    return release


def article_ids(library: Library) -> list[int]:
    return [a.id for a in library.page(PageRequest(library.feed, limit=100)).articles]


def test_writes_land_in_the_order_they_were_asked_for(library):
    (first, *_) = article_ids(library)
    for flip in range(101):
        library.write(lambda store, read=flip % 2 == 0: store.set_read([first], read))
    # A read waits for the writes asked for before it.
    assert library.read(lambda store: store.article(first).read) is True


def test_cursor_moves_merge_while_the_writer_is_busy(library):
    ids = article_ids(library)
    release = hold_writer(library)
    for article_id in ids:
        library.opened(article_id)
        library.remember("article", str(article_id))
    assert library.waiting == 2  # one write for all the opened articles, one for the place
    release.set()
    assert library.read(lambda store: [store.article(i).read for i in ids]) == [True] * len(ids)
    assert library.read(lambda store: store.get_state("article")) == str(ids[-1])


def test_an_opened_article_marked_unread_stays_unread(library):
    first, second = article_ids(library)[:2]
    release = hold_writer(library)
    library.opened(first)
    library.write(lambda store: store.set_read([first], False))  # m
    library.opened(second)  # does not merge into the write before m
    release.set()
    assert library.read(lambda store: (store.article(first).read, store.article(second).read)) == (
        False,
        True,
    )


def test_a_failed_write_is_reported_and_the_next_ones_still_run(library):
    first = article_ids(library)[0]
    results: list[int] = []
    library.write(lambda store: store.article(999_999))
    library.write(lambda store: store.mark_all_read(), then=results.append)
    assert library.read(lambda store: store.article(first).read)
    assert results == [34]  # the welcome feed's four too
    assert len(library.errors) == 1 and "999999" in library.errors[0]


def test_close_finishes_the_writes_already_asked_for(library, data_dir):
    first = article_ids(library)[0]
    release = hold_writer(library)
    library.write(lambda store: store.set_bookmark(first, True, note="kept"))
    release.set()
    library.close()
    with open_store(data_dir / "broadsheet.sqlite3") as store:
        assert store.bookmark(first).note == "kept"
    with pytest.raises(StoreError):
        library.read(lambda store: store.feeds())


def test_paging_to_the_end_and_bookmarks(library):
    everything = library.page(PageRequest(library.feed, limit=10, to_end=True))
    assert len(everything.articles) == 30 and everything.exhausted
    first = everything.articles[0].id
    library.write(lambda store: store.set_bookmark(first, True, note="why"))
    marked = library.page(PageRequest(Selection.parse("bookmarked")))
    assert [a.id for a in marked.articles] == [first] and marked.notes == {first: "why"}
