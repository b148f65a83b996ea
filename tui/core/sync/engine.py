"""One sync with the server, offline first.

Order matters: the queue of local changes goes out first, so the server's state
that comes back already includes them; whatever is still queued when the state is
applied (a send that failed, a change made meanwhile) keeps its local value.

Incremental: ``stream/items/ids`` with ``ot=`` (items the server stored since the
last sync, less an hour of overlap), the unread ids (``s=reading-list`` with
``xt=read``: FreshRSS does not understand ``s=read``) and the starred ids; only the
items not stored yet are downloaded, ``CONTENTS_BATCH`` at a time.
"""

from __future__ import annotations

import asyncio
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from ..config import FetchSettings
from ..errors import BroadsheetError, TooLargeError
from ..store import PendingChange, Store
from .account import Account
from .client import CONTENTS_BATCH, GReaderClient, RejectedError
from .items import synced_item
from .report import SyncReport
from .types import READ, READING_LIST, STARRED

SINCE_KEY = "sync.since"
"""The server's crawl time (seconds) up to which items are known: the next ``ot=``."""
LAST_SYNC_KEY = "sync.last_sync"
LAST_ERROR_KEY = "sync.last_error"
_OVERLAP = 3600
"""Seconds asked again each time: a server may store items a little out of order."""


@dataclass(frozen=True, slots=True)
class SyncProgress:
    """Where a sync stands: ``phase`` is sending, subscriptions, ids or items."""

    phase: str
    done: int = 0
    total: int = 0


ProgressCallback = Callable[[SyncProgress], None]


async def sync_once(
    store: Store,
    account: Account,
    *,
    limits: FetchSettings | None = None,
    progress: ProgressCallback | None = None,
    now: datetime | None = None,
) -> SyncReport:
    """Run one sync; a failure ends it with its reason in ``errors`` (queue kept)."""
    counts = {"sent": 0, "received": 0, "updated": 0, "subscriptions": 0}
    client = GReaderClient(account.url, account.auth, limits=limits)
    errors: list[str] = []
    error: str | None = None
    try:
        async with client:
            await _sync(store, client, counts, errors, progress or (lambda _: None), now)
    except BroadsheetError as exc:
        error = exc.message
    stamp = (now or datetime.now(UTC)).isoformat()
    if error is None:
        store.set_state(LAST_SYNC_KEY, stamp)
        store.set_state(LAST_ERROR_KEY, "")
    else:
        store.set_state(LAST_ERROR_KEY, f"{stamp} {error}")
    if not counts["subscriptions"]:
        counts["subscriptions"] = store.server_subscription_count()
    if error is not None:
        errors.insert(0, error)
    return SyncReport(**counts, pending=store.pending_count(), errors=tuple(errors))


async def _sync(
    store: Store,
    client: GReaderClient,
    counts: dict[str, int],
    errors: list[str],
    progress: ProgressCallback,
    now: datetime | None,
) -> None:
    counts["sent"] = await send_feed_changes(client, store, errors)
    counts["sent"] += await send_pending(client, store, progress)

    progress(SyncProgress("subscriptions"))
    feeds = await client.subscriptions()
    store.apply_subscriptions(feeds, now=now or datetime.now(UTC))
    counts["subscriptions"] = len(feeds)

    progress(SyncProgress("ids"))
    since_text = store.get_state(SINCE_KEY)
    since = int(since_text) - _OVERLAP if since_text else None
    new, unread, starred = await asyncio.gather(
        client.item_ids(READING_LIST, since=since),
        client.item_ids(READING_LIST, exclude=READ),
        client.item_ids(STARRED),
    )
    known = store.known_item_ids()
    wanted = [i for i in dict.fromkeys([*new, *unread, *starred]) if i not in known]

    newest = int(since_text) if since_text else 0
    done = 0
    progress(SyncProgress("items", 0, len(wanted)))
    for start in range(0, len(wanted), CONTENTS_BATCH):
        raw = await _contents(client, wanted[start : start + CONTENTS_BATCH], errors)
        items = [item for item in map(synced_item, raw) if item is not None]
        counts["received"] += store.store_synced_items(items, now=now or datetime.now(UTC))
        newest = max([newest, *(i.crawled or 0 for i in items)])
        done = min(len(wanted), start + CONTENTS_BATCH)
        progress(SyncProgress("items", done, len(wanted)))
    if newest:
        store.set_state(SINCE_KEY, str(newest))
    counts["updated"] = store.apply_remote_state(unread, starred)


async def _contents(
    client: GReaderClient, ids: list[int], errors: list[str]
) -> list[dict[str, Any]]:
    """The items with these ids. A batch over the body cap (long full-text items) is
    asked for again in halves: failing it whole would fail every sync at the same
    place. A single item over the cap is left out, with its reason in ``errors``."""
    try:
        return await client.contents(ids)
    except TooLargeError as exc:
        if len(ids) == 1:
            errors.append(exc.message)
            return []
    half = len(ids) // 2
    return await _contents(client, ids[:half], errors) + await _contents(client, ids[half:], errors)


async def send_feed_changes(client: GReaderClient, store: Store, errors: list[str]) -> int:
    """Subscribe and unsubscribe on the server as queued; return how many went.

    A feed the server refuses stays a local one (fetched by us), with its reason in
    ``errors``; the network failing ends the sync with the queue kept.
    """
    sent = 0
    for action, target in store.pending_feed_changes():
        try:
            if action == "subscribe":
                stream = await client.quickadd(target)
                store.clear_feed_change(action, target, stream)
            else:
                await client.unsubscribe(target)
                store.clear_feed_change(action, target)
        except RejectedError as exc:
            errors.append(exc.message)
            store.clear_feed_change(action, target)
            continue
        sent += 1
    return sent


async def send_pending(
    client: GReaderClient, store: Store, progress: ProgressCallback | None = None
) -> int:
    """Send the queued changes, one edit-tag per state and direction; return how many.

    Each group leaves the queue only once the server took it, and only if it was not
    changed again meanwhile.
    """
    pending = store.pending_changes()
    groups: dict[tuple[str, bool], list[PendingChange]] = {}
    for change in pending:
        groups.setdefault((change.flag, change.value), []).append(change)
    sent = 0
    for (flag, value), changes in groups.items():
        if progress is not None:
            progress(SyncProgress("sending", sent, len(pending)))
        state = READ if flag == "read" else STARRED
        ids = [change.item_id for change in changes]
        if value:
            await client.edit_tag(ids, add=state)
        else:
            await client.edit_tag(ids, remove=state)
        store.clear_sent(changes)
        sent += len(changes)
    return sent
