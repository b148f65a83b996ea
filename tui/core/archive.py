"""Opening the archive: the store, and the bundled welcome feed a new one starts with.

Apart from ``update`` so that commands which only read the archive (and the reader's
first screen) do not import the HTTP client: aiohttp costs ~110 ms to import.
"""

from __future__ import annotations

import hashlib
from datetime import UTC, datetime
from importlib import resources
from pathlib import Path

from .errors import FetchError
from .models import Feed
from .store import Store

BUNDLED_SCHEME = "broadsheet:"
WELCOME_URL = "broadsheet:welcome"
_BUNDLED_FILES = {WELCOME_URL: "welcome.xml"}


def bundled_feed(url: str) -> bytes:
    """The bytes of a feed shipped inside the package (read from it, never the network)."""
    name = _BUNDLED_FILES.get(url)
    if name is None:
        raise FetchError(f"no bundled feed called {url}")
    return resources.files("tui.data").joinpath(name).read_bytes()


def bundled_etag(content: bytes) -> str:
    """Stands in for a bundled feed's ETag: it changes only when the file does."""
    return hashlib.sha1(content).hexdigest()


def seed_welcome(store: Store, now: datetime | None = None) -> Feed:
    """Subscribe a fresh archive to the bundled welcome feed and load its articles."""
    from .parse import parse_feed  # our own trusted file: no pool needed

    feed = store.add_feed(WELCOME_URL, tags=("broadsheet",))
    content = bundled_feed(WELCOME_URL)
    parsed = parse_feed(content, {"content-type": "application/rss+xml"})
    store.apply_feed_update(
        feed.id,
        parsed,
        now=now or datetime.now(UTC),
        status="bundled",
        etag=bundled_etag(content),
    )
    return store.feed(feed.id)


def open_store(path: str | Path, *, shared: bool = False) -> Store:
    """Open the archive; a brand-new one starts with the bundled welcome feed."""
    store = Store(path, shared=shared)
    if store.created:
        try:
            seed_welcome(store)
        except BaseException:
            store.close()
            raise
    return store
