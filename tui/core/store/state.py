"""Small persistent state (last selected feed, theme) that must survive restarts."""

from __future__ import annotations

from .base import StoreBase, reads, writes


class StateMixin(StoreBase):
    """The store's key-value state."""

    @reads
    def get_state(self, key: str, default: str | None = None) -> str | None:
        row = self._db.execute("SELECT value FROM state WHERE key = ?", (key,)).fetchone()
        return row[0] if row else default

    @writes
    def set_state(self, key: str, value: str) -> None:
        with self.transaction() as db:
            db.execute(
                "INSERT INTO state (key, value) VALUES (?, ?) "
                "ON CONFLICT (key) DO UPDATE SET value = excluded.value",
                (key, value),
            )
