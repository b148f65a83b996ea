"""The ``combined`` method: TF-IDF centrality blended with the priors news text rewards.

Degree centrality of each sentence (as in LexRank), an early position, a length near that
of a typical news sentence, likeness to the title and little quoted speech; chosen
greedily with a redundancy penalty. Pure Python. Its hand-set weights were tuned on
halves of the shared 50-article samples (``scripts/eval_summaries.py --tune``); the
learned default (:mod:`.learned`) replaced it.
"""

from __future__ import annotations

import math
import re
from collections.abc import Sequence
from dataclasses import dataclass

from .terms import cosine, stop_words, terms, tfidf_vectors


@dataclass(frozen=True, slots=True)
class CombinedWeights:
    """The knobs of the ``combined`` method (tuned by ``scripts/eval_summaries.py``)."""

    centrality: float = 0.5
    """Weight of TF-IDF degree centrality, scaled so the most central sentence has 1."""
    position: float = 1.0
    """Weight of the position prior ``1 / (1 + index) ** position_decay``."""
    position_decay: float = 1.0
    title: float = 0.25
    """Weight of the likeness to the title, scaled so the most alike sentence has 1."""
    short: float = 0.5
    """Penalty for a sentence of fewer than ``short_words`` words."""
    short_words: int = 8
    long: float = 0.6
    """Penalty per ``long_words`` words beyond ``long_words``."""
    long_words: int = 40
    quote: float = 0.3
    """Penalty scaled by the share of the sentence inside quotation marks."""
    redundancy: float = 0.6
    """Penalty scaled by the cosine likeness to the sentences already chosen."""


DEFAULT_WEIGHTS = CombinedWeights()

_QUOTED = re.compile(r"[\"“][^\"“”]*[\"”]|(?<!\w)[‘'][^‘’']*[’'](?!\w)")


def quoted_share(text: str) -> float:
    """The share of ``text`` inside quotation marks."""
    quoted = sum(len(match.group()) for match in _QUOTED.finditer(text))
    return quoted / len(text) if text else 0.0


@dataclass(frozen=True, slots=True)
class SentenceFeatures:
    """What the combined method knows about each sentence of one article."""

    centrality: tuple[float, ...]
    title: tuple[float, ...]
    words: tuple[int, ...]
    quoted: tuple[float, ...]
    similarity: tuple[tuple[float, ...], ...]


def sentence_features(sentences: Sequence[str], title: str | None = None) -> SentenceFeatures:
    """Centrality, title likeness, length and quotation share of each sentence."""
    stops = stop_words()
    term_lists = [terms(sentence, stops) for sentence in sentences]
    vectors = tfidf_vectors(term_lists)
    count = len(vectors)
    similarity = [[0.0] * count for _ in range(count)]
    for i in range(count):
        row = similarity[i]
        for j in range(i + 1, count):
            value = cosine(vectors[i], vectors[j])
            row[j] = value
            similarity[j][i] = value
    degree = [sum(row) for row in similarity]
    top = max(degree, default=0.0) or 1.0
    if title:
        title_terms = set(terms(title, stops))
        title_likeness = [
            sum(1 for term in set(listed) if term in title_terms) / math.sqrt(len(title_terms))
            if title_terms and listed
            else 0.0
            for listed in term_lists
        ]
        best = max(title_likeness, default=0.0) or 1.0
        title_likeness = [value / best for value in title_likeness]
    else:
        title_likeness = [0.0] * count
    return SentenceFeatures(
        centrality=tuple(value / top for value in degree),
        title=tuple(title_likeness),
        words=tuple(len(sentence.split()) for sentence in sentences),
        quoted=tuple(quoted_share(sentence) for sentence in sentences),
        similarity=tuple(tuple(row) for row in similarity),
    )


def combined_scores(features: SentenceFeatures, weights: CombinedWeights) -> list[float]:
    """Each sentence's score before the redundancy penalty."""
    scores = []
    for index, centrality in enumerate(features.centrality):
        words = features.words[index]
        score = (
            weights.centrality * centrality
            + weights.position / (1 + index) ** weights.position_decay
            + weights.title * features.title[index]
            - weights.quote * features.quoted[index]
        )
        if words < weights.short_words:
            score -= weights.short
        if words > weights.long_words:
            score -= weights.long * (words - weights.long_words) / weights.long_words
        scores.append(score)
    return scores


def select_from_features(
    features: SentenceFeatures, count: int, weights: CombinedWeights
) -> list[int]:
    """Greedy choice of ``count`` sentences: best score less redundancy with those chosen."""
    scores = combined_scores(features, weights)
    chosen: list[int] = []
    remaining = set(range(len(scores)))
    while remaining and len(chosen) < count:
        best = max(
            remaining,
            key=lambda i: (
                scores[i]
                - weights.redundancy * max((features.similarity[i][j] for j in chosen), default=0)
            ),
        )
        chosen.append(best)
        remaining.discard(best)
    return sorted(chosen)


def select_combined(
    sentences: Sequence[str], count: int, title: str | None, weights: CombinedWeights
) -> list[int]:
    """Indices (in article order) of the sentences the combined method picks."""
    return select_from_features(sentence_features(sentences, title), count, weights)
