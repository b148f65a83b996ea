"""The summary error, apart so that every method module can raise it."""

from __future__ import annotations

from tui.core.errors import BroadsheetError


class SummaryError(BroadsheetError):
    """A summary was asked for with an unknown method or an impossible length."""
