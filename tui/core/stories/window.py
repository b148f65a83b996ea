"""The window: the recent articles' signatures that a refresh compares its new ones with.

Kept in the archive as one block per span of hours (ids, times and signatures as
arrays), so a refresh reads the last days in a few dozen rows instead of one row per
article (10,000 rows cost more than finding the candidate pairs among them).
``story_sketches`` stays the record: a block whose count or ids disagree with it
(retention, a removed feed, a salvaged archive, another process) is rebuilt from it
and kept again.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from ..store import SketchBlock, Store
from .shingles import SIGNATURE

SPAN = 3 * 3600
"""Seconds of article time per block: a refresh rewrites the block its new articles
fall in (330 KB at 10,000 articles in two days) and reads the window's (about 50)."""


@dataclass(frozen=True, slots=True)
class Block:
    """The sketches of one span."""

    ids: np.ndarray
    times: np.ndarray
    signatures: np.ndarray

    @classmethod
    def kept(cls, block: SketchBlock) -> Block:
        signatures = np.frombuffer(block.signatures, np.uint64)
        return cls(
            np.frombuffer(block.ids, np.int64),
            np.frombuffer(block.times, np.int64),
            signatures.reshape(len(signatures) // SIGNATURE, SIGNATURE),
        )

    @property
    def tally(self) -> tuple[int, int]:
        """As :meth:`Store.sketch_tallies` counts the record."""
        return len(self.ids), int(self.ids.sum())

    def to_keep(self, bucket: int) -> SketchBlock:
        return SketchBlock(
            bucket, self.ids.tobytes(), self.times.tobytes(), self.signatures.tobytes()
        )


EMPTY_BLOCK = Block(
    np.zeros(0, np.int64), np.zeros(0, np.int64), np.zeros((0, SIGNATURE), np.uint64)
)


@dataclass(frozen=True, slots=True)
class Window:
    blocks: dict[int, Block]
    """Bucket -> its sketches, for every bucket that has any."""
    rebuilt: frozenset[int]
    """Buckets read from the record because their block was missing or out of date."""

    def between(self, start: int, end: int, upto: int) -> Block:
        """The sketches of articles up to id ``upto`` whose time is from ``start`` to
        ``end`` (in no particular order: grouping does not depend on it)."""
        if not self.blocks:
            return EMPTY_BLOCK
        blocks = list(self.blocks.values())
        ids = np.concatenate([b.ids for b in blocks])
        times = np.concatenate([b.times for b in blocks])
        signatures = np.concatenate([b.signatures for b in blocks])
        keep = (times >= start) & (times <= end) & (ids <= upto)
        if keep.all():  # the usual case: skip copying 5 MB again
            return Block(ids, times, signatures)
        return Block(ids[keep], times[keep], signatures[keep])

    def with_new(self, new: Block) -> list[SketchBlock]:
        """The blocks to keep once ``new`` (articles whose times are in this window)
        are added: the buckets they fall in, and those rebuilt."""
        buckets = new.times // SPAN
        kept = []
        for bucket in sorted(self.rebuilt | set(buckets.tolist())):
            block = self.blocks.get(bucket, EMPTY_BLOCK)
            here = buckets == bucket
            # An article sketched again (grouping restarted) keeps its newer sketch.
            old = ~np.isin(block.ids, new.ids[here])
            kept.append(
                Block(
                    np.concatenate((block.ids[old], new.ids[here])),
                    np.concatenate((block.times[old], new.times[here])),
                    np.concatenate((block.signatures[old], new.signatures[here])),
                ).to_keep(bucket)
            )
        return kept


def read_window(store: Store, start: int, end: int) -> Window:
    """The blocks of the buckets from ``start`` to ``end`` (seconds), rebuilding from
    the record those that disagree with it."""
    first, last = start // SPAN, end // SPAN
    record = store.sketch_tallies(first, last, SPAN)
    blocks = {kept.bucket: Block.kept(kept) for kept in store.sketch_blocks(first, last)}
    stale = sorted(
        bucket
        for bucket in record.keys() | blocks.keys()
        if blocks.get(bucket, EMPTY_BLOCK).tally != record.get(bucket, (0, 0))
    )
    if stale:
        rows = store.sketches_between(min(stale) * SPAN, (max(stale) + 1) * SPAN - 1)
        ids = np.array([row[0] for row in rows], dtype=np.int64)
        times = np.array([row[1] for row in rows], dtype=np.int64)
        signatures = np.frombuffer(b"".join(row[2] for row in rows), np.uint64)
        signatures = signatures.reshape(len(rows), SIGNATURE)
        buckets = times // SPAN
        for bucket in stale:
            here = buckets == bucket
            blocks[bucket] = Block(ids[here], times[here], signatures[here])
    return Window(blocks, frozenset(stale))
