"""Candidate pairs from MinHash signatures: articles that agree in a few buckets.

Never all pairs: the (bucket, value) keys are sorted once, and only articles sharing a
key are paired. A key that dozens of articles share is page furniture or a stock
phrase, not an event, and pairs nobody.
"""

from __future__ import annotations

import numpy as np

from .shingles import EMPTY

MIN_SHARED = 2
"""Buckets two articles must agree in to be compared at all."""
_BITMAP_BITS = 22
MAX_SHARING = 40
"""A key shared by more articles than this pairs none of them."""


def candidate_pairs(
    signatures: np.ndarray, *, new_from: int = 0, min_shared: int = MIN_SHARED
) -> np.ndarray:
    """``(m, 2)`` array of article indices ``i < j`` that agree in at least
    ``min_shared`` buckets, where ``j >= new_from`` (pairs among older articles were
    found before)."""
    count, width = signatures.shape
    values = signatures.reshape(-1)
    rows = np.repeat(np.arange(count, dtype=np.int64), width)
    used = values != EMPTY
    # The bucket is in the key: equal values in different buckets are no agreement.
    with np.errstate(over="ignore"):
        keys = values[used] + np.tile(np.arange(width, dtype=np.uint64), count)[used] * np.uint64(
            0x9E3779B97F4A7C15
        )
    rows = rows[used]
    if new_from:
        # Only keys some new article has can pair it: drop the other old entries before
        # sorting (500 new among 10,000: 670,000 keys to sort become ~35,000).
        fresh = rows >= new_from
        wanted = np.sort(keys[fresh])
        if not len(wanted):
            return np.zeros((0, 2), np.int64)
        # A bitmap of the wanted keys' low bits first: exact look-ups for its hits only.
        bitmap = np.zeros(1 << _BITMAP_BITS, dtype=bool)
        low = np.uint64((1 << _BITMAP_BITS) - 1)
        bitmap[wanted & low] = True
        maybe = np.flatnonzero(bitmap[keys & low] & ~fresh)
        at = np.searchsorted(wanted, keys[maybe]).clip(max=len(wanted) - 1)
        keep = fresh
        keep[maybe[wanted[at] == keys[maybe]]] = True
        keys, rows = keys[keep], rows[keep]
    order = np.argsort(keys)
    keys, rows = keys[order], rows[order]
    if len(keys) < 2:
        return np.zeros((0, 2), np.int64)
    # Each run of equal keys: pair every member with each one after it.
    starts = np.flatnonzero(np.concatenate(([True], keys[1:] != keys[:-1])))
    sizes = np.diff(np.append(starts, len(keys)))
    keep = (sizes >= 2) & (sizes <= MAX_SHARING)
    if new_from:  # a run of old articles only was paired before
        newest = np.maximum.reduceat(rows, starts)
        keep &= newest >= new_from
    starts, sizes = starts[keep], sizes[keep]
    if not len(starts):
        return np.zeros((0, 2), np.int64)
    members = np.repeat(starts, sizes) + _ranks(sizes)
    run_end = np.repeat(starts + sizes, sizes)
    later = run_end - members - 1
    left = np.repeat(members, later)
    right = left + 1 + _ranks(later)
    first, second = rows[left], rows[right]
    low, high = np.minimum(first, second), np.maximum(first, second)
    keep = (low != high) & (high >= new_from)
    codes = low[keep] * count + high[keep]
    codes, shared = np.unique(codes, return_counts=True)
    codes = codes[shared >= min_shared]
    return np.stack((codes // count, codes % count), axis=1)


def _ranks(sizes: np.ndarray) -> np.ndarray:
    """0, 1, ..., size-1 for each size, concatenated."""
    total = int(sizes.sum())
    if not total:
        return np.zeros(0, np.int64)
    offsets = np.repeat(np.cumsum(sizes) - sizes, sizes)
    return np.arange(total, dtype=np.int64) - offsets


def agreement(signatures: np.ndarray, pairs: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """For each pair, the share of buckets (filled in either) where both agree, an
    estimate of how much of their wording they share, and how many buckets that is."""
    if not len(pairs):
        return np.zeros(0), np.zeros(0, np.int64)
    a, b = signatures[pairs[:, 0]], signatures[pairs[:, 1]]
    same = ((a == b) & (a != EMPTY)).sum(axis=1)
    filled = ((a != EMPTY) | (b != EMPTY)).sum(axis=1)
    return same / np.maximum(filled, 1), same
