"""What storing a parsed feed decides, without a database: ``plan_update``."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from tui.core.models import ParsedEntry, ParsedFeed
from tui.core.store import Seen, UpdatePlan, dedup_key, plan_update

NOW = datetime(2026, 11, 25, 12, 0, tzinfo=UTC)
NOW_TS = int(NOW.timestamp())


def entry(name: str, *, minutes_ago: int | None = 0, **fields: object) -> ParsedEntry:
    published = None if minutes_ago is None else NOW - timedelta(minutes=minutes_ago)
    values = {"title": name, "guid": name, "published": published, **fields}
    return ParsedEntry(**values)  # type: ignore[arg-type]


def feed(*entries: ParsedEntry) -> ParsedFeed:
    return ParsedFeed("F", entries=entries)


def test_a_first_refresh_inserts_every_entry_oldest_first():
    plan = plan_update(feed(entry("new", minutes_ago=1), entry("old", minutes_ago=5)), Seen(), NOW)
    assert isinstance(plan, UpdatePlan)
    assert [row.columns.title for row in plan.inserts] == ["old", "new"]
    assert [row.sort_time for row in plan.inserts] == [NOW_TS - 300, NOW_TS - 60]
    assert {row.first_seen for row in plan.inserts} == {NOW_TS}
    assert plan.updates == () and plan.tombstones == frozenset()


def test_entries_at_the_same_time_go_in_reverse_feed_order():
    # The list shows the higher id first, so the feed's own order survives.
    undated = feed(*(entry(f"s{i}", minutes_ago=None) for i in range(3)))
    plan = plan_update(undated, Seen(), NOW)
    assert [row.columns.title for row in plan.inserts] == ["s2", "s1", "s0"]
    assert {row.sort_time for row in plan.inserts} == {NOW_TS}


def test_known_entries_are_updates_with_their_ids():
    seen = Seen({dedup_key(entry("a")): 7})
    plan = plan_update(feed(entry("a", content="<p>new text</p>"), entry("b")), seen, NOW)
    assert [row.columns.title for row in plan.inserts] == ["b"]
    (update,) = plan.updates
    assert (update.id, update.columns.content) == (7, "<p>new text</p>")


def test_a_repeated_guid_keeps_the_first_copy():
    twice = feed(entry("first", guid="g"), entry("second", guid="g"))
    assert [row.columns.title for row in plan_update(twice, Seen(), NOW).inserts] == ["first"]


def test_removed_articles_stay_removed_and_lost_tombstones_go():
    kept, gone = dedup_key(entry("kept")), dedup_key(entry("gone"))
    plan = plan_update(feed(entry("kept"), entry("fresh")), Seen(pruned={kept, gone}), NOW)
    assert [row.columns.title for row in plan.inserts] == ["fresh"]
    assert plan.updates == ()
    assert plan.tombstones == {gone}


def test_a_date_far_ahead_or_missing_sorts_at_now():
    future = entry("future", minutes_ago=None, published=NOW + timedelta(days=2))
    soon = entry("soon", minutes_ago=None, published=NOW + timedelta(hours=2))
    plan = plan_update(feed(future, soon, entry("none", minutes_ago=None)), Seen(), NOW)
    times = {row.columns.title: (row.sort_time, row.columns.published) for row in plan.inserts}
    assert times["future"] == (NOW_TS, NOW_TS + 2 * 86400)  # its own date is still kept
    assert times["soon"] == (NOW_TS + 7200, NOW_TS + 7200)  # a clock a little ahead
    assert times["none"] == (NOW_TS, None)


def test_an_updated_date_stands_in_for_a_missing_published_one():
    plan = plan_update(
        feed(entry("u", minutes_ago=None, updated=NOW - timedelta(hours=1))), Seen(), NOW
    )
    (row,) = plan.inserts
    assert row.columns.published == row.columns.updated == row.sort_time == NOW_TS - 3600


@pytest.mark.parametrize(
    ("fields", "prefix"),
    [
        ({"guid": "id-1", "link": "https://example.org/1"}, "g:id-1"),
        ({"guid": None, "link": "https://example.org/1"}, "l:https://example.org/1"),
        ({"guid": None, "link": None}, "h:"),
    ],
)
def test_identity_is_the_guid_then_the_link_then_title_and_date(fields, prefix):
    assert dedup_key(entry("t", **fields)).startswith(prefix)
    same = dedup_key(entry("t", **fields))
    other_title = dedup_key(entry("other", **fields))
    assert same == dedup_key(entry("t", **fields))
    assert (other_title == same) == (prefix != "h:")
