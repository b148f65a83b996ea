"""Whether candidate pairs are one story: shared wording, confirmed by headline and lead.

Vectorised over the pairs, on small per-article rows of word hashes, so the thresholds
can be tuned on the labelled set (scripts/eval_stories.py) and applied the same way on
every refresh.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from .shingles import EMPTY

LEAD_WORDS = 40
"""Content words of the body's start that stand for its lead."""
TITLE_WORDS = 16
"""Content words of a headline that are compared."""


@dataclass(frozen=True, slots=True)
class Thresholds:
    """When a candidate pair is one story (chosen on the tuning half of tests/data/stories)."""

    same_text: float = 0.7
    """Signature agreement above which two texts are copies, whatever their headlines."""
    shared_text: float = 0.1
    """Agreement a pair needs before headline and lead are asked."""
    confirm: float = 0.46
    """Agreement plus the mean likeness of headline and lead that confirms a pair (the
    tuning half is grouped without a mistake from 0.42 to 0.50; this is the middle)."""
    window_hours: float = 72.0
    """Articles further apart than this are never one story."""
    min_shared: int = 5
    """Buckets two texts that are not copies must agree in: two short items that
    differ by a number ("Story 1", "Story 2") share a large part of very little."""


def likeness(a: np.ndarray, b: np.ndarray) -> np.ndarray:
    """Dice's coefficient of each pair of rows of distinct word hashes (:data:`EMPTY`
    pads a row)."""
    filled_a = a != EMPTY
    shared = ((a[:, :, None] == b[:, None, :]) & filled_a[:, :, None]).sum(axis=(1, 2))
    sizes = filled_a.sum(axis=1) + (b != EMPTY).sum(axis=1)
    return np.where(sizes > 0, 2 * shared / np.maximum(sizes, 1), 0.0)


def same_story(
    agreement: np.ndarray,
    shared: np.ndarray,
    titles: np.ndarray,
    leads: np.ndarray,
    hours_apart: np.ndarray,
    limits: Thresholds,
) -> np.ndarray:
    """The decision for each candidate pair: its signature agreement (a share, and how
    many buckets), the Dice likeness of its headlines and of its leads, and how far
    apart in time it is."""
    alike = (titles + leads) / 2
    copies = agreement >= 1.0
    enough = copies | (shared >= limits.min_shared)
    return (
        (hours_apart <= limits.window_hours)
        & enough
        & (
            (agreement >= limits.same_text)
            | ((agreement >= limits.shared_text) & (agreement + alike >= limits.confirm))
        )
    )
