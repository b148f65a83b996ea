"""Polite fetching rules, with a fixed clock."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from tui.core.schedule import (
    Hints,
    cache_max_age,
    document_hints,
    is_due,
    next_check,
    parse_skip_days,
    parse_skip_hours,
)

NOON = datetime(2026, 11, 25, 12, 0, tzinfo=UTC)  # a Wednesday


def test_a_feed_never_checked_is_due():
    assert is_due(next_check(None, Hints()), NOON)


def test_default_ttl_and_max_age_within_bounds():
    assert next_check(NOON, Hints()) == NOON + timedelta(minutes=30)
    assert next_check(NOON, Hints(ttl_minutes=120)) == NOON + timedelta(hours=2)
    assert next_check(NOON, Hints(ttl_minutes=1)) == NOON + timedelta(minutes=30)
    assert next_check(NOON, Hints(ttl_minutes=10**7)) == NOON + timedelta(hours=24)
    assert next_check(NOON, Hints(max_age_seconds=3 * 3600)) == NOON + timedelta(hours=3)


def test_failures_back_off_exponentially_up_to_a_day():
    waits = [next_check(NOON, Hints(), failures=n) - NOON for n in range(7)]
    assert waits[:4] == [timedelta(minutes=m) for m in (30, 60, 120, 240)]
    assert waits[-1] == timedelta(hours=24)


def test_retry_after_is_honoured_but_bounded():
    later = NOON + timedelta(hours=5)
    assert next_check(NOON, Hints(), failures=1, retry_after=later) == later
    absurd = NOON + timedelta(days=365)
    assert next_check(NOON, Hints(), failures=1, retry_after=absurd) == NOON + timedelta(hours=24)


def test_skip_hours_and_days_move_the_next_check():
    hints = Hints(skip_hours=parse_skip_hours(["12", "13", "x", "99"]))
    assert next_check(NOON - timedelta(minutes=20), hints) == NOON.replace(hour=14)
    weekend = Hints(skip_days=parse_skip_days(["Thursday", "friday", "Funday"]))
    assert next_check(NOON + timedelta(hours=12), weekend) == datetime(2026, 11, 28, tzinfo=UTC)
    assert parse_skip_hours(str(h) for h in range(24)) == frozenset()  # never skip everything
    assert parse_skip_hours(["24"]) == frozenset({0})


def test_cache_control():
    assert cache_max_age("public, max-age=600") == 600
    assert cache_max_age('max-age="60"') == 60
    assert cache_max_age("no-cache") == 0
    assert cache_max_age(None) is None and cache_max_age("private") is None


def test_hints_are_read_from_the_channel_head():
    document = (
        b"<rss><channel><title>t</title><ttl>90</ttl>"
        b"<skipHours><hour>0</hour><hour>1</hour><hour>24</hour></skipHours>"
        b"<skipDays><day>Saturday</day><day>Sunday</day></skipDays><item/></channel></rss>"
    )
    hints = document_hints(document, "public, max-age=60")
    assert hints.ttl_minutes == 90
    assert hints.skip_hours == frozenset({0, 1})
    assert hints.skip_days == frozenset({5, 6})
    assert hints.max_age_seconds == 60
    assert document_hints(None) == Hints()
