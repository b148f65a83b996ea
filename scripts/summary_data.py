"""Shared by the summary scripts: the large CNN/DM files, their splitter, a fast ROUGE.

The ``cnndm_large`` text is lower-cased and tokenised (`` . `` between sentences, quotes
and ``n't`` split off), so our own splitter, which needs capitals, cannot split it: these
sentences come from :func:`tokenised_spans`, a plain regular expression, and then go
through the same clean-up as the reader's (:func:`tui.core.summarize.units.article_units`).
"""

from __future__ import annotations

import gzip
import json
import re
from collections import Counter
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from tui.core.summarize.units import article_units

# A sentence ends at a spaced " . ", " ? " or " ! ", with a closing quote kept.
_TOKENISED_END = re.compile(r"(?<=\s[.?!])\s+(?![\'\"]\s)|(?<=\s[.?!]\s[\'\"])\s+")


def tokenised_spans(text: str) -> list[tuple[int, int]]:
    """Sentence spans of lower-cased, tokenised CNN/DM text."""
    spans = []
    start = 0
    for match in _TOKENISED_END.finditer(text):
        if text[start : match.start()].strip():
            spans.append((start, match.start()))
        start = match.end()
    if text[start:].strip():
        spans.append((start, len(text.rstrip())))
    return spans


@dataclass(frozen=True, slots=True)
class Pair:
    """One article with its highlights, split into the summarizer's sentences."""

    id: str
    sentences: tuple[str, ...]
    """After the reader's clean-up (datelines, bylines, furniture left out)."""
    lead_sentences: tuple[str, ...]
    """The plain splitter's sentences with no clean-up: the reference Lead-3."""
    highlights: tuple[str, ...]


def read_pairs(path: Path, limit: int | None = None) -> Iterator[Pair]:
    """The pairs of a ``cnndm_large`` file (gzipped JSON lines)."""
    with gzip.open(path, "rt", encoding="utf-8") as lines:
        for number, line in enumerate(lines):
            if limit is not None and number >= limit:
                return
            row = json.loads(line)
            text = row["article"]
            spans = tokenised_spans(text)
            units = article_units(text, spans=spans).units
            yield Pair(
                row["id"],
                tuple(unit.text for unit in units),
                tuple(text[start:end] for start, end in spans[:3]),
                tuple(row["highlights"]),
            )


# --- ROUGE-1/2 F, as rouge-score counts them, fast enough for an oracle ----------------

_NOT_ALPHANUMERIC = re.compile(r"[^a-z0-9]+")


@lru_cache(maxsize=1)
def _porter():
    from nltk.stem import porter

    return porter.PorterStemmer()


@lru_cache(maxsize=500_000)
def _stem(word: str) -> str:
    return _porter().stem(word) if len(word) > 3 else word


def rouge_tokens(text: str) -> list[str]:
    """rouge-score's tokens: lower case, letters and digits, Porter stems above 3 letters."""
    return [_stem(word) for word in _NOT_ALPHANUMERIC.sub(" ", text.lower()).split()]


def ngrams(tokens: Sequence[str], n: int) -> Counter:
    return Counter(zip(*(tokens[i:] for i in range(n)), strict=False))


def f_measure(candidate: Counter, reference: Counter) -> float:
    overlap = sum((candidate & reference).values())
    if not overlap:
        return 0.0
    precision = overlap / sum(candidate.values())
    recall = overlap / sum(reference.values())
    return 2 * precision * recall / (precision + recall)


def greedy_oracle(sentences: Sequence[str], reference: str, limit: int = 3) -> list[int]:
    """The sentences a greedy search picks to maximise ROUGE-1 + ROUGE-2 F against
    ``reference``: add the best one while the sum still grows, at most ``limit``."""
    tokens = [rouge_tokens(sentence) for sentence in sentences]
    reference_tokens = rouge_tokens(reference)
    goal = (ngrams(reference_tokens, 1), ngrams(reference_tokens, 2))
    grams = [(ngrams(t, 1), ngrams(t, 2)) for t in tokens]
    chosen: list[int] = []
    have = (Counter(), Counter())
    best = 0.0
    while len(chosen) < limit:
        pick = None
        for index, (unigrams, bigrams) in enumerate(grams):
            if index in chosen:
                continue
            value = f_measure(have[0] + unigrams, goal[0]) + f_measure(have[1] + bigrams, goal[1])
            if value > best:
                best, pick = value, index
        if pick is None:
            break
        chosen.append(pick)
        have = (have[0] + grams[pick][0], have[1] + grams[pick][1])
    return sorted(chosen)
