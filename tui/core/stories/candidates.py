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
_OFFSETS = np.arange(256, dtype=np.uint64) * np.uint64(0x9E3779B97F4A7C15)
"""Added to a bucket's values to make its keys (wrapping is intended)."""
MAX_SHARING = 40
"""A key shared by more articles than this pairs none of them."""


def candidate_pairs(
    signatures: np.ndarray, *, new_from: int = 0, min_shared: int = MIN_SHARED
) -> np.ndarray:
    """``(m, 2)`` array of article indices ``i < j`` that agree in at least
    ``min_shared`` buckets, where ``j >= new_from`` (pairs among older articles were
    found before)."""
    count = len(signatures)
    if new_from:
        keys, rows = _meeting_new(signatures, new_from)
    else:
        keys, rows = _keys(signatures, 0)
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


def _keys(signatures: np.ndarray, first_row: int) -> tuple[np.ndarray, np.ndarray]:
    """Every filled bucket as a (key, row) entry; the bucket is in the key, so equal
    values in different buckets are no agreement."""
    count, width = signatures.shape
    with np.errstate(over="ignore"):
        keys = (signatures + _OFFSETS[:width]).reshape(-1)
    rows = np.repeat(np.arange(first_row, first_row + count, dtype=np.int64), width)
    filled = signatures.reshape(-1) != EMPTY
    return keys[filled], rows[filled]


def _meeting_new(signatures: np.ndarray, new_from: int) -> tuple[np.ndarray, np.ndarray]:
    """The new articles' entries, and the old ones' that share a key with one of them:
    only those can make a new pair (500 new among 10,000: 35,000 entries to sort,
    not 670,000). The old matrix is tested in place against a bitmap of the new keys'
    low bits, and only its hits are looked up exactly."""
    old, new = signatures[:new_from], signatures[new_from:]
    keys, rows = _keys(new, new_from)
    wanted = np.sort(keys)
    if not len(wanted):
        return keys, rows
    low = np.uint64((1 << _BITMAP_BITS) - 1)
    bitmap = np.zeros(1 << _BITMAP_BITS, dtype=bool)
    bitmap[wanted & low] = True
    with np.errstate(over="ignore"):
        old_keys = old + _OFFSETS[: old.shape[1]]
    hit_rows, hit_columns = np.nonzero(bitmap[old_keys & low])
    found = old_keys[hit_rows, hit_columns]
    at = np.searchsorted(wanted, found).clip(max=len(wanted) - 1)
    same = (wanted[at] == found) & (old[hit_rows, hit_columns] != EMPTY)
    return (
        np.concatenate((found[same], keys)),
        np.concatenate((hit_rows[same].astype(np.int64), rows)),
    )


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
