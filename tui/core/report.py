"""What a refresh did, feed by feed: the typed report the CLI prints and the UI reads.

Apart from ``update`` so that the reader can read a refresh's report without
importing the HTTP client: it runs refreshes in a child process (``refresh --json``)
and gets the report back with ``RefreshReport.from_json``.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field

from .errors import BroadsheetError

STATUSES = ("updated", "not_modified", "failed", "skipped")


@dataclass(frozen=True, slots=True)
class FeedOutcome:
    """What happened to one feed during a refresh."""

    url: str
    status: str
    """``updated``, ``not_modified``, ``failed`` or ``skipped``."""
    new_articles: int = 0
    error: str | None = None


@dataclass(frozen=True, slots=True)
class RefreshReport:
    """Totals of a refresh, in the shape ``refresh --json`` prints."""

    outcomes: tuple[FeedOutcome, ...] = field(default_factory=tuple)
    sync_error: str | None = None
    """Why the sync that came first failed (server down...); its changes wait."""
    sync_pending: int = 0
    """Local changes still waiting for the sync server."""

    def _count(self, status: str) -> int:
        return sum(1 for outcome in self.outcomes if outcome.status == status)

    @property
    def updated(self) -> int:
        return self._count("updated")

    @property
    def not_modified(self) -> int:
        return self._count("not_modified")

    @property
    def failed(self) -> int:
        return self._count("failed")

    @property
    def skipped(self) -> int:
        return self._count("skipped")

    @property
    def new_articles(self) -> int:
        return sum(outcome.new_articles for outcome in self.outcomes)

    @property
    def errors(self) -> list[tuple[str, str]]:
        return [(o.url, o.error or "") for o in self.outcomes if o.status == "failed"]

    def to_json(self) -> dict[str, object]:
        return {
            "feeds": len(self.outcomes),
            "updated": self.updated,
            "not_modified": self.not_modified,
            "failed": self.failed,
            "skipped": self.skipped,
            "new_articles": self.new_articles,
            "errors": [{"url": url, "error": error} for url, error in self.errors],
            "outcomes": [
                {"url": o.url, "status": o.status, "new_articles": o.new_articles, "error": o.error}
                for o in self.outcomes
            ],
        }

    @classmethod
    def from_json(cls, data: object) -> RefreshReport:
        """The report ``to_json`` gave (as ``refresh --json`` prints it), typed again."""
        outcomes = data.get("outcomes") if isinstance(data, Mapping) else None
        if not isinstance(outcomes, list):
            raise BroadsheetError("refresh failed: unexpected report")
        try:
            report = cls(tuple(_outcome(item) for item in outcomes))
        except (TypeError, ValueError, KeyError):
            raise BroadsheetError("refresh failed: unexpected report") from None
        sync = data.get("sync") if isinstance(data, Mapping) else None
        if isinstance(sync, Mapping):
            errors = sync.get("errors")
            pending = sync.get("pending")
            report = cls(
                report.outcomes,
                sync_error=str(errors[0]) if isinstance(errors, list) and errors else None,
                sync_pending=pending if isinstance(pending, int) else 0,
            )
        return report


def _outcome(item: object) -> FeedOutcome:
    if not isinstance(item, Mapping):
        raise ValueError(item)
    outcome = FeedOutcome(
        item["url"], item["status"], item.get("new_articles", 0), item.get("error")
    )
    if (
        outcome.status not in STATUSES
        or not isinstance(outcome.url, str)
        or not isinstance(outcome.new_articles, int)
        or not isinstance(outcome.error, str | None)
    ):
        raise ValueError(item)
    return outcome
