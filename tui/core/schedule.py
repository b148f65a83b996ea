"""When should a feed next be fetched? Pure functions of the feed's hints and ``now``.

Honours the feed's own hints (RSS ``ttl``, ``skipHours``, ``skipDays``) and the server's
``Cache-Control: max-age``, within sane bounds, and backs off exponentially after
failures. Nothing here does I/O, so every rule is tested with a fixed clock.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

MIN_INTERVAL = timedelta(minutes=5)
"""No feed is asked more often than this, whatever it says."""
MAX_INTERVAL = timedelta(hours=24)
"""No hint (or back-off) keeps a feed unchecked for longer than this."""
DEFAULT_INTERVAL = timedelta(minutes=30)
DAYS = ("monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday")

_MAX_AGE = re.compile(r"(?:^|[,\s])max-age\s*=\s*\"?(\d+)", re.IGNORECASE)


@dataclass(frozen=True, slots=True)
class Hints:
    """What a feed and its server said about how often to ask."""

    ttl_minutes: int | None = None
    skip_hours: frozenset[int] = frozenset()
    """Hours of the day (0-23, UTC) in which the feed asks not to be fetched."""
    skip_days: frozenset[int] = frozenset()
    """Days of the week (0 = Monday) in which the feed asks not to be fetched."""
    max_age_seconds: int | None = None


def cache_max_age(cache_control: str | None) -> int | None:
    """``max-age`` from a Cache-Control header, in seconds; None if absent or no-cache."""
    if not cache_control:
        return None
    lowered = cache_control.lower()
    if "no-cache" in lowered or "no-store" in lowered:
        return 0
    match = _MAX_AGE.search(cache_control)
    return int(match.group(1)) if match else None


def parse_skip_hours(values: Iterable[str]) -> frozenset[int]:
    hours = set()
    for value in values:
        text = value.strip()
        if text.isdigit() and 0 <= int(text) <= 24:
            hours.add(int(text) % 24)  # some feeds write 1-24
    return frozenset(hours) if len(hours) < 24 else frozenset()  # never skip every hour


def parse_skip_days(values: Iterable[str]) -> frozenset[int]:
    days = {DAYS.index(v.strip().lower()) for v in values if v.strip().lower() in DAYS}
    return frozenset(days) if len(days) < 7 else frozenset()


_TTL = re.compile(rb"<ttl>\s*(\d{1,7})\s*</ttl>", re.IGNORECASE)
_SKIP_HOURS = re.compile(rb"<skipHours>(.*?)</skipHours>", re.IGNORECASE | re.DOTALL)
_SKIP_DAYS = re.compile(rb"<skipDays>(.*?)</skipDays>", re.IGNORECASE | re.DOTALL)
_HOUR = re.compile(rb"<hour>\s*([^<]*?)\s*</hour>", re.IGNORECASE)
_DAY = re.compile(rb"<day>\s*([^<]*?)\s*</day>", re.IGNORECASE)


def document_hints(content: bytes | None, cache_control: str | None = None) -> Hints:
    """RSS ``ttl``/``skipHours``/``skipDays`` from a feed's channel head, plus max-age.

    They sit in the channel before the items, so only the first 64 KB are read.
    """
    head = (content or b"")[: 64 * 1024]
    ttl = _TTL.search(head)
    hours = _SKIP_HOURS.search(head)
    days = _SKIP_DAYS.search(head)
    return Hints(
        ttl_minutes=int(ttl.group(1)) if ttl else None,
        skip_hours=parse_skip_hours(
            h.decode("ascii", "ignore") for h in _HOUR.findall(hours.group(1))
        )
        if hours
        else frozenset(),
        skip_days=parse_skip_days(d.decode("ascii", "ignore") for d in _DAY.findall(days.group(1)))
        if days
        else frozenset(),
        max_age_seconds=cache_max_age(cache_control),
    )


def interval(hints: Hints) -> timedelta:
    """How long a healthy feed waits between checks, bounded to [5 min, 24 h]."""
    wanted = DEFAULT_INTERVAL
    if hints.ttl_minutes:
        wanted = max(wanted, timedelta(minutes=hints.ttl_minutes))
    if hints.max_age_seconds:
        wanted = max(wanted, timedelta(seconds=hints.max_age_seconds))
    return min(max(wanted, MIN_INTERVAL), MAX_INTERVAL)


def backoff(failures: int, base: timedelta) -> timedelta:
    """Twice the wait for every failure in a row, up to a day."""
    if failures <= 0:
        return base
    return min(base * (2 ** min(failures, 16)), MAX_INTERVAL)


def next_check(
    last_checked: datetime | None,
    hints: Hints,
    *,
    failures: int = 0,
    retry_after: datetime | None = None,
) -> datetime | None:
    """When the feed is next due; None means now (it was never checked)."""
    if last_checked is None:
        return None
    due = last_checked + backoff(failures, interval(hints))
    if retry_after is not None:
        due = max(due, min(retry_after, last_checked + MAX_INTERVAL))
    return _outside_skips(due, hints)


def is_due(next_due: datetime | None, now: datetime) -> bool:
    return next_due is None or next_due <= now


def _outside_skips(when: datetime, hints: Hints) -> datetime:
    """Move ``when`` to the first hour the feed does not ask to skip (at most a week on)."""
    if not hints.skip_hours and not hints.skip_days:
        return when
    when = when.astimezone(UTC)
    for _ in range(24 * 8):
        if when.hour not in hints.skip_hours and when.weekday() not in hints.skip_days:
            return when
        when = (when + timedelta(hours=1)).replace(minute=0, second=0, microsecond=0)
    return when
