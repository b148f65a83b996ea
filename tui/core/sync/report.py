"""What one sync did, in the shape ``sync --json`` prints (light: no aiohttp)."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field


@dataclass(frozen=True, slots=True)
class SyncReport:
    sent: int = 0
    """Local changes the server took."""
    received: int = 0
    """Items downloaded this time."""
    updated: int = 0
    """Articles whose read flag or bookmark changed to match the server."""
    pending: int = 0
    """Local changes still waiting to be sent."""
    subscriptions: int = 0
    """Feeds the server owns."""
    errors: tuple[str, ...] = field(default_factory=tuple)

    @property
    def ok(self) -> bool:
        return not self.errors

    def to_json(self) -> dict[str, object]:
        return {
            "sent": self.sent,
            "received": self.received,
            "updated": self.updated,
            "pending": self.pending,
            "subscriptions": self.subscriptions,
            "errors": list(self.errors),
        }

    @classmethod
    def from_json(cls, data: object) -> SyncReport | None:
        if not isinstance(data, Mapping):
            return None
        try:
            return cls(
                *(int(data.get(k, 0)) for k in ("sent", "received", "updated", "pending")),
                subscriptions=int(data.get("subscriptions", 0)),
                errors=tuple(str(e) for e in data.get("errors") or ()),
            )
        except (TypeError, ValueError):
            return None

    def line(self) -> str:
        """One line for people."""
        text = (
            f"Synced: {self.received} new items, {self.updated} updated, {self.sent} sent"
            f", {self.subscriptions} subscriptions"
        )
        if self.pending:
            text += f"; {self.pending} changes waiting"
        return text
