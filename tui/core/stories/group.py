"""Grouping articles into stories: candidates, confirmation, then connected groups."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass

import numpy as np

from .candidates import agreement, candidate_pairs
from .confirm import LEAD_WORDS, TITLE_WORDS, Thresholds, likeness, same_story
from .shingles import signatures, word_rows


@dataclass(frozen=True, slots=True)
class Doc:
    """An article as grouping sees it."""

    id: int
    title: str
    body: str
    """The article's text or the feed's HTML for it."""
    time: int
    """Seconds since the epoch (when it was published, or first seen)."""


@dataclass(frozen=True, slots=True)
class Sketched:
    """Articles ready to be grouped: their times, signatures, headlines and leads as
    rows of word hashes, in one order."""

    ids: list[int]
    times: np.ndarray
    signatures: np.ndarray
    titles: np.ndarray
    leads: np.ndarray

    @classmethod
    def of(cls, docs: Sequence[Doc]) -> Sketched:
        found, leads = signatures([doc.body for doc in docs], LEAD_WORDS)
        return cls(
            [doc.id for doc in docs],
            np.array([doc.time for doc in docs], dtype=np.int64),
            found,
            word_rows([doc.title for doc in docs], TITLE_WORDS),
            leads,
        )

    def __len__(self) -> int:
        return len(self.ids)

    def extend(self, other: Sketched) -> Sketched:
        """These articles followed by ``other``'s."""
        return Sketched(
            self.ids + other.ids,
            np.concatenate((self.times, other.times)),
            np.concatenate((self.signatures, other.signatures)),
            np.concatenate((self.titles, other.titles)),
            np.concatenate((self.leads, other.leads)),
        )


def matching_pairs(
    sketched: Sketched,
    limits: Thresholds | None = None,
    *,
    new_from: int = 0,
    words_for: Callable[[np.ndarray], None] | None = None,
) -> list[tuple[int, int]]:
    """Article ids of the pairs that are one story, among pairs with an article at index
    ``new_from`` or later. ``words_for(indices)`` is told which older articles' headline
    and lead words the confirmation needs, before it reads them."""
    limits = limits or Thresholds()
    pairs = candidate_pairs(sketched.signatures, new_from=new_from)
    if not len(pairs):
        return []
    if words_for is not None:
        involved = np.zeros(new_from, dtype=bool)  # not np.unique: see shingles.is_stop
        involved[pairs[pairs < new_from]] = True
        words_for(np.flatnonzero(involved))
    first, second = pairs[:, 0], pairs[:, 1]
    share, shared = agreement(sketched.signatures, pairs)
    same = same_story(
        share,
        shared,
        likeness(sketched.titles[first], sketched.titles[second]),
        likeness(sketched.leads[first], sketched.leads[second]),
        np.abs(sketched.times[first] - sketched.times[second]) / 3600,
        limits,
    )
    ids = np.array(sketched.ids, dtype=np.int64)
    return list(zip(ids[first[same]].tolist(), ids[second[same]].tolist(), strict=True))


def connected(
    pairs: Sequence[tuple[int, int]], known: dict[int, int] | None = None
) -> dict[int, int]:
    """Article id -> story id (its group's lowest article id) for every article in a
    pair, merged with the ``known`` groups (article id -> story id)."""
    parent: dict[int, int] = {}

    def root(item: int) -> int:
        parent.setdefault(item, item)
        while parent[item] != item:
            parent[item] = parent[parent[item]]
            item = parent[item]
        return item

    def join(a: int, b: int) -> None:
        ra, rb = root(a), root(b)
        if ra != rb:
            parent[max(ra, rb)] = min(ra, rb)

    for article, story in (known or {}).items():
        join(article, story)
    for a, b in pairs:
        join(a, b)
    return {item: root(item) for item in parent}


def group(docs: Sequence[Doc], limits: Thresholds | None = None) -> dict[int, int]:
    """Article id -> story id for every article that shares its story with another."""
    return connected(matching_pairs(Sketched.of(docs), limits))
