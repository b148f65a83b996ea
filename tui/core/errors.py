"""One root error with specific subclasses; the CLI and UI show ``.message``."""

from __future__ import annotations

from datetime import datetime


class BroadsheetError(Exception):
    """Root of every error Broadsheet reports to the user."""

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


class ConfigError(BroadsheetError):
    """The configuration file is missing, unreadable or invalid."""


class StoreError(BroadsheetError):
    """The local database cannot be opened, migrated or written."""


class DamagedArchiveError(StoreError):
    """The archive file is truncated, not a database, or damaged inside.

    The message says how to recover (``broadsheet check --repair``).
    """


class RefreshRunningError(BroadsheetError):
    """Another process is refreshing this archive now (``core.refreshlock``)."""


class FeedNotFoundError(BroadsheetError):
    """No subscription matches the given URL."""


class ArticleNotFoundError(BroadsheetError):
    """No article has the given id."""


class FetchError(BroadsheetError):
    """A URL could not be fetched."""


class UnsupportedURLError(FetchError):
    """Only http and https URLs are fetched."""


class HTTPStatusError(FetchError):
    """The server answered with an error status."""

    def __init__(self, message: str, status: int, *, retry_after: datetime | None = None) -> None:
        super().__init__(message)
        self.status = status
        self.retry_after = retry_after
        """When the server asked us to come back (429/503 ``Retry-After``), in UTC."""

    def __reduce__(self):  # keyword-only state would be lost crossing a process boundary
        return (_rebuild_status_error, (self.message, self.status, self.retry_after))


def _rebuild_status_error(
    message: str, status: int, retry_after: datetime | None
) -> HTTPStatusError:
    return HTTPStatusError(message, status, retry_after=retry_after)


class TooLargeError(FetchError):
    """The response body exceeded the configured size cap."""


class TooManyRedirectsError(FetchError):
    """The redirect chain was longer than allowed or looped."""


class FetchTimeoutError(FetchError):
    """Connecting, reading or the whole request took too long."""


class ParseError(BroadsheetError):
    """A document could not be parsed as a feed."""


class NotAFeedError(ParseError):
    """The document is HTML or something else that is not a feed."""


class ExportError(BroadsheetError):
    """An export or digest could not be written; ``.message`` says why in one line."""


class SyncError(BroadsheetError):
    """A sync with the Google Reader API server failed; queued changes stay queued."""


class SyncAuthError(SyncError):
    """The server refused the login or the saved token."""


class OPMLError(BroadsheetError):
    """An OPML file could not be read or written."""
