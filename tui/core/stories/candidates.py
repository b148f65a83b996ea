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
_TABLE_BITS = 20
MAX_SHARING = 40
"""A key shared by more articles than this pairs none of them."""


def candidate_pairs(
    signatures: np.ndarray, *, new_from: int = 0, min_shared: int = MIN_SHARED
) -> np.ndarray:
    """``(m, 2)`` array of article indices ``i < j`` that agree in at least
    ``min_shared`` buckets, where ``j >= new_from`` (pairs among older articles were
    found before)."""
    if new_from:
        first, second = _pairs_with_new(signatures, new_from)
    else:
        _, rows, starts, sizes = _runs(*_keys(signatures, 0))
        keep = (sizes >= 2) & (sizes <= MAX_SHARING)
        first, second = _run_pairs(rows, starts[keep], sizes[keep])
    low, high = np.minimum(first, second), np.maximum(first, second)
    keep = low != high
    count = len(signatures)
    codes, shared = np.unique(low[keep] * count + high[keep], return_counts=True)
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


def _runs(
    keys: np.ndarray, rows: np.ndarray
) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
    """The entries sorted by key, and where each run of equal keys starts and its size."""
    order = np.argsort(keys)
    keys, rows = keys[order], rows[order]
    starts = np.flatnonzero(np.concatenate(([True], keys[1:] != keys[:-1])))
    return keys, rows, starts, np.diff(np.append(starts, len(keys)))


def _run_pairs(
    rows: np.ndarray, starts: np.ndarray, sizes: np.ndarray
) -> tuple[np.ndarray, np.ndarray]:
    """Each pair of entries within each run: every member with each one after it."""
    members = np.repeat(starts, sizes) + _ranks(sizes)
    later = np.repeat(starts + sizes, sizes) - members - 1
    left = np.repeat(members, later)
    return rows[left], rows[left + 1 + _ranks(later)]


def _pairs_with_new(signatures: np.ndarray, new_from: int) -> tuple[np.ndarray, np.ndarray]:
    """Each pair with a new article (index ``new_from`` on), once per key it shares.

    Only the new articles' keys are sorted (500 new among 10,000: 32,000 keys, not
    640,000). The old matrix is tested in place against a bitmap of the new keys' low
    bits, only its hits are looked up exactly, and each old hit is paired with its
    key's new entries alone: two old articles were compared before."""
    old, new = signatures[:new_from], signatures[new_from:]
    keys, rows = _keys(new, new_from)
    if not len(keys):
        return rows, rows
    keys, rows, starts, new_sizes = _runs(keys.view(np.int64), rows)
    distinct = keys[starts]
    low = np.int64((1 << _BITMAP_BITS) - 1)
    bitmap = np.zeros(1 << _BITMAP_BITS, dtype=bool)
    bitmap[distinct & low] = True
    with np.errstate(over="ignore"):
        old_keys = (old + _OFFSETS[: old.shape[1]]).reshape(-1).view(np.int64)
    flat = np.flatnonzero(bitmap[old_keys & low])
    at = _find(distinct, old_keys[flat])
    same = (at >= 0) & (old.reshape(-1)[flat] != EMPTY)
    run = at[same]
    old_rows = flat[same] // old.shape[1]
    # A key's run is its new entries and its old hits; a key shared too widely pairs
    # nobody.
    sizes = new_sizes + np.bincount(run, minlength=len(starts))
    usable = sizes <= MAX_SHARING
    kept = usable[run]
    run, old_rows = run[kept], old_rows[kept]
    times = new_sizes[run]
    with_new = rows[np.repeat(starts[run], times) + _ranks(times)]
    among = usable & (new_sizes >= 2)
    first, second = _run_pairs(rows, starts[among], new_sizes[among])
    return (
        np.concatenate((np.repeat(old_rows, times), first)),
        np.concatenate((with_new, second)),
    )


def _find(distinct: np.ndarray, found: np.ndarray) -> np.ndarray:
    """Where each of ``found`` is in the sorted ``distinct``, or -1.

    A table indexed by the keys' low bits answers most at once; only the few it
    cannot (two keys in one slot, a key that is absent) are binary-searched, which on
    150,000 keys took several times longer than everything else here."""
    mask = np.int64((1 << _TABLE_BITS) - 1)
    table = np.zeros(1 << _TABLE_BITS, np.int32)
    table[distinct & mask] = np.arange(len(distinct), dtype=np.int32)
    at = table[found & mask]
    unsure = np.flatnonzero(distinct[at] != found)
    if len(unsure):
        searched = np.searchsorted(distinct, found[unsure]).clip(max=len(distinct) - 1)
        at[unsure] = np.where(distinct[searched] == found[unsure], searched, -1)
    return at


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
