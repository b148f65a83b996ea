"""Words as the summary methods count them: stop words, a light stemmer, TF-IDF vectors."""

from __future__ import annotations

import math
from collections import Counter
from collections.abc import Sequence
from functools import cache, lru_cache
from importlib import resources

from tui.core.sentences import word_tokens


@cache
def stop_words() -> frozenset[str]:
    """Sumy's English stop words, read without importing Sumy's NLTK-based modules."""
    data = resources.files("sumy").joinpath("data/stopwords/english.txt").read_text("utf-8")
    return frozenset(line.strip() for line in data.splitlines() if line.strip())


@lru_cache(maxsize=50_000)
def light_stem(word: str) -> str:
    """A small suffix stripper: plural and verb endings, enough to match word forms."""
    if len(word) <= 3:
        return word
    if word.endswith("ies") and len(word) > 4:
        word = word[:-3] + "y"
    elif word.endswith(("sses", "xes", "zes", "ches", "shes")):
        word = word[:-2]
    elif word.endswith("s") and not word.endswith(("ss", "us", "is")):
        word = word[:-1]
    if word.endswith("ing") and len(word) > 5:
        word = word[:-3]
    elif word.endswith("ed") and len(word) > 4:
        word = word[:-2]
    return word


def terms(text: str, stops: frozenset[str] | None = None) -> list[str]:
    """The stemmed, lower-cased content words of ``text``."""
    stops = stop_words() if stops is None else stops
    found = []
    for word in word_tokens(text):
        lower = word.lower().replace("’", "'")
        if lower not in stops and len(lower) > 1:
            found.append(light_stem(lower))
    return found


def tfidf_vectors(term_lists: Sequence[list[str]]) -> list[dict[str, float]]:
    """Length-normalised TF-IDF vectors, sentences taken as documents."""
    count = len(term_lists)
    frequency: Counter[str] = Counter()
    for listed in term_lists:
        frequency.update(set(listed))
    vectors = []
    for listed in term_lists:
        weights = {
            term: tf * math.log((1 + count) / frequency[term])
            for term, tf in Counter(listed).items()
        }
        norm = math.sqrt(sum(w * w for w in weights.values()))
        vectors.append({t: w / norm for t, w in weights.items() if w} if norm else {})
    return vectors


def cosine(a: dict[str, float], b: dict[str, float]) -> float:
    if len(a) > len(b):
        a, b = b, a
    return sum(w * b[t] for t, w in a.items() if t in b)
