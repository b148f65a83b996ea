"""Extractive summaries of article text, offline: Sumy's methods and our own default.

This is the only module that imports ``sumy``, and it does so lazily: importing Sumy pulls
in NLTK (about a quarter of a second), which only the Sumy methods need. Sentences come
from :mod:`tui.core.sentences` (Sumy's own tokenizer needs NLTK's punkt data, which an
offline machine lacks) and are handed to Sumy through its tokenizer interface, so no NLTK
data is ever looked up.

Methods (:data:`METHODS`):

* ``combined`` (the default): TF-IDF cosine centrality of each sentence (as in LexRank,
  degree form) blended with priors that news text rewards: an early position, a length
  near that of a typical news sentence, likeness to the title, and little quoted speech;
  chosen greedily with a redundancy penalty. Pure Python, about a millisecond or two for a
  1,000-word article. Its weights were tuned on development halves of the shared news
  samples (``scripts/eval_summaries.py --tune``); with run-on sentences cut (below) it is
  slightly ahead of Lead-3 on both halves of the CNN/DM sample (by about 0.4 ROUGE point,
  within noise), far ahead of Lead-k on BBC, and it never needs NLTK.
* ``lead``: the first sentences, the classic news baseline.
* ``lexrank``, ``textrank``, ``lsa``, ``luhn``, ``kl``, ``sumbasic``, ``reduction``: Sumy's
  summarizers with English stop words and the Snowball stemmer (``lexrank``, ``textrank``
  and ``lsa`` need NumPy).
* ``edmundson``: Sumy's Edmundson summarizer (cue, title and location methods). Its bonus
  words are the title's content words (without a title, the article's most frequent
  content words), its stigma words are those of web boilerplate ("subscribe", "click"...).

All methods choose among the sentences of :mod:`tui.core.sentences`, except that a
sentence the page ran into the one before it, with no full stop between them (a photo
caption glued to the story: "...with a towel on her face An 86-year-old nun was..."), is
cut in two (:func:`summary_sentences`). A summary lists its sentences in article order. A
text with no more sentences than asked for comes back whole.
"""

from __future__ import annotations

import bisect
import math
import re
from collections import Counter
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from functools import cache, lru_cache
from importlib import resources
from typing import Any

from tui.core.errors import BroadsheetError
from tui.core.models import Summary
from tui.core.sentences import SentenceTokenizer, sentence_spans, word_tokens

__all__ = [
    "DEFAULT_METHOD",
    "DEFAULT_SENTENCES",
    "METHODS",
    "SummaryError",
    "summarize",
]

DEFAULT_METHOD = "combined"
DEFAULT_SENTENCES = 3
METHODS: tuple[str, ...] = (
    "combined",
    "lead",
    "lexrank",
    "textrank",
    "lsa",
    "luhn",
    "kl",
    "sumbasic",
    "edmundson",
    "reduction",
)
_NEEDS_NUMPY = frozenset({"lexrank", "textrank", "lsa"})
_PARAGRAPH_BREAK = re.compile(r"\n[^\S\n]*\n")
# Words of web boilerplate: Edmundson's stigma words.
_STIGMA_WORDS = (
    "subscribe",
    "subscription",
    "newsletter",
    "click",
    "advertisement",
    "cookies",
    "copyright",
    "sign",
    "login",
    "share",
    "follow",
    "photo",
    "image",
    "caption",
    "video",
    "scroll",
)


class SummaryError(BroadsheetError):
    """A summary was asked for with an unknown method or an impossible length."""


def summarize(
    text: str,
    *,
    method: str = DEFAULT_METHOD,
    sentences: int | None = None,
    ratio: float | None = None,
    title: str | None = None,
) -> Summary:
    """Summarise ``text`` (paragraphs separated by blank lines) with ``method``.

    Give either ``sentences`` (how many) or ``ratio`` (a share of the article's sentences,
    at least one); with neither, :data:`DEFAULT_SENTENCES` sentences. ``title`` helps the
    ``combined`` and ``edmundson`` methods. The sentences come back in article order.
    """
    if method not in METHODS:
        raise SummaryError(f"unknown summary method {method!r}; choose one of {', '.join(METHODS)}")
    if sentences is not None and ratio is not None:
        raise SummaryError("give a sentence count or a ratio, not both")
    if sentences is not None and sentences < 1:
        raise SummaryError(f"a summary needs at least one sentence, not {sentences}")
    if ratio is not None and not 0 < ratio <= 1:
        raise SummaryError(f"the summary ratio must be above 0 and at most 1, not {ratio}")

    units = _sentences(text)
    if ratio is not None:
        count = max(1, round(ratio * len(units)))
    else:
        count = sentences if sentences is not None else DEFAULT_SENTENCES
    if len(units) > count:
        units = [units[index] for index in sorted(_choose(method, units, count, title))]
    return Summary(
        method,
        tuple(unit.text for unit in units),
        tuple((unit.start, unit.end) for unit in units),
    )


@dataclass(frozen=True, slots=True)
class _Unit:
    """One sentence of the article."""

    text: str
    paragraph: int
    start: int
    end: int


def _sentences(text: str) -> list[_Unit]:
    """The article's sentences, each with its paragraph number and span.

    Run-on sentences (see :func:`_run_on_breaks`) are cut in two."""
    units = []
    breaks = [match.end() for match in _PARAGRAPH_BREAK.finditer(text)]
    paragraph = 0
    for start, end in sentence_spans(text):
        while paragraph < len(breaks) and breaks[paragraph] <= start:
            paragraph += 1
        for piece_start, piece_end in _run_on_breaks(text[start:end]):
            units.append(
                _Unit(
                    text[start + piece_start : start + piece_end],
                    paragraph,
                    start + piece_start,
                    start + piece_end,
                )
            )
    return units


def summary_sentences(text: str) -> list[str]:
    """The sentences of ``text`` that the summary methods choose from, in order."""
    return [unit.text for unit in _sentences(text)]


# A sentence that the page ran into the one before it, with no punctuation between them,
# typically a photo caption followed by the story's next sentence ("...with a towel on
# her face An 86-year-old nun was..."): a lower-case word, a number or a closing bracket,
# then a capitalised word that opens sentences and a lower-case word or a number.
_RUN_ON = re.compile(
    r"(?<=[a-z0-9)])\s+(?=(?:The|An|He|She|It|They|We|His|Her|Their|Its|This|These|Those"
    r"|There|But|Now)\s+[a-z0-9])"
)
_WORD_TOKEN = re.compile(r"\S+")
# Words after which a capitalised "The ..." is a name, not a new sentence.
_BEFORE_NAMES = frozenset(
    "said says told tells called named titled dubbed reads read wrote writes".split()
)
_RUN_ON_MIN_WORDS = 4
"""Neither side of a cut may be shorter than this, in words."""


def _run_on_breaks(sentence: str) -> list[tuple[int, int]]:
    """Spans of the pieces of ``sentence``: itself, unless it runs two sentences together.

    The word before a cut must be a closing bracket, a number or a lower-case word that is
    no stop word ("in The", "of The" run on) nor a verb that may name something ("told
    The"), and each piece must have at least :data:`_RUN_ON_MIN_WORDS` words."""
    # Words are located once; a text with no full stops is one long "sentence", and
    # rescanning it for every candidate cut took minutes on 300 KB.
    words = [match.span() for match in _WORD_TOKEN.finditer(sentence)]
    starts = [span[0] for span in words]
    spans = []
    start = 0
    first = 0  # index of the current piece's first word
    for match in _RUN_ON.finditer(sentence):
        before = bisect.bisect_left(starts, match.start()) - 1  # the word before the cut
        after = bisect.bisect_left(starts, match.end())  # the first word after it
        if before < first:
            continue
        word = sentence[slice(*words[before])]
        if word[-1] not in ")0123456789" and (
            not word.isalpha()
            or not word.islower()
            or word in _stop_words()
            or word in _BEFORE_NAMES
        ):
            continue
        if before + 1 - first < _RUN_ON_MIN_WORDS or len(words) - after < _RUN_ON_MIN_WORDS:
            continue
        spans.append((start, match.start()))
        start, first = match.end(), after
    spans.append((start, len(sentence)))
    return spans


def _choose(method: str, units: list[_Unit], count: int, title: str | None) -> list[int]:
    if method == "combined":
        return select_combined([unit.text for unit in units], count, title, DEFAULT_WEIGHTS)
    if method == "lead":
        return list(range(count))
    return _sumy_choose(method, units, count, title)


# --- the combined method -------------------------------------------------------------


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


@cache
def _stop_words() -> frozenset[str]:
    """Sumy's English stop words, read without importing Sumy's NLTK-based modules."""
    data = resources.files("sumy").joinpath("data/stopwords/english.txt").read_text("utf-8")
    return frozenset(line.strip() for line in data.splitlines() if line.strip())


@lru_cache(maxsize=50_000)
def _light_stem(word: str) -> str:
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


def _terms(text: str, stop_words: frozenset[str]) -> list[str]:
    terms = []
    for word in word_tokens(text):
        lower = word.lower().replace("’", "'")
        if lower not in stop_words and len(lower) > 1:
            terms.append(_light_stem(lower))
    return terms


_QUOTED = re.compile(r"[\"“][^\"“”]*[\"”]|(?<!\w)[‘'][^‘’']*[’'](?!\w)")


def _quoted_share(text: str) -> float:
    quoted = sum(len(match.group()) for match in _QUOTED.finditer(text))
    return quoted / len(text) if text else 0.0


def _vectors(term_lists: Sequence[list[str]]) -> list[dict[str, float]]:
    """Length-normalised TF-IDF vectors, sentences taken as documents."""
    count = len(term_lists)
    frequency: Counter[str] = Counter()
    for terms in term_lists:
        frequency.update(set(terms))
    vectors = []
    for terms in term_lists:
        weights = {
            term: tf * math.log((1 + count) / frequency[term])
            for term, tf in Counter(terms).items()
        }
        norm = math.sqrt(sum(w * w for w in weights.values()))
        vectors.append({t: w / norm for t, w in weights.items() if w} if norm else {})
    return vectors


def _cosine(a: dict[str, float], b: dict[str, float]) -> float:
    if len(a) > len(b):
        a, b = b, a
    return sum(w * b[t] for t, w in a.items() if t in b)


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
    stop_words = _stop_words()
    term_lists = [_terms(sentence, stop_words) for sentence in sentences]
    vectors = _vectors(term_lists)
    count = len(vectors)
    similarity = [[0.0] * count for _ in range(count)]
    for i in range(count):
        row = similarity[i]
        for j in range(i + 1, count):
            value = _cosine(vectors[i], vectors[j])
            row[j] = value
            similarity[j][i] = value
    degree = [sum(row) for row in similarity]
    top = max(degree, default=0.0) or 1.0
    if title:
        title_terms = set(_terms(title, stop_words))
        title_likeness = [
            sum(1 for term in set(terms) if term in title_terms) / math.sqrt(len(title_terms))
            if title_terms and terms
            else 0.0
            for terms in term_lists
        ]
        best = max(title_likeness, default=0.0) or 1.0
        title_likeness = [value / best for value in title_likeness]
    else:
        title_likeness = [0.0] * count
    return SentenceFeatures(
        centrality=tuple(value / top for value in degree),
        title=tuple(title_likeness),
        words=tuple(len(sentence.split()) for sentence in sentences),
        quoted=tuple(_quoted_share(sentence) for sentence in sentences),
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


# --- Sumy's methods --------------------------------------------------------------------


def _sumy_choose(method: str, units: list[_Unit], count: int, title: str | None) -> list[int]:
    from sumy.models.dom import ObjectDocumentModel, Paragraph, Sentence

    if method in _NEEDS_NUMPY:
        try:
            import numpy  # noqa: F401
        except ImportError as error:
            raise SummaryError(
                f"the {method} method needs NumPy, which is not installed"
            ) from error
    tokenizer = SentenceTokenizer()
    paragraphs: list[list[Any]] = []
    for unit in units:
        while len(paragraphs) <= unit.paragraph:
            paragraphs.append([])
        paragraphs[unit.paragraph].append(Sentence(unit.text, tokenizer))
    paragraphs = [sentences for sentences in paragraphs if sentences]
    if method == "edmundson" and title:
        paragraphs[0].insert(0, Sentence(title, tokenizer, is_heading=True))
    document = ObjectDocumentModel([Paragraph(sentences) for sentences in paragraphs])
    summarizer = _sumy_summarizer(method, document, title)
    picked = summarizer(document, count)
    order = {id(sentence): index for index, sentence in enumerate(document.sentences)}
    return sorted(order[id(sentence)] for sentence in picked)


@cache
def _sumy_stemmer() -> Callable[[str], str]:
    from sumy.nlp.stemmers import Stemmer

    return lru_cache(maxsize=50_000)(Stemmer("english"))


def _sumy_summarizer(method: str, document: Any, title: str | None) -> Any:
    from sumy.summarizers.edmundson import EdmundsonSummarizer
    from sumy.summarizers.kl import KLSummarizer
    from sumy.summarizers.lex_rank import LexRankSummarizer
    from sumy.summarizers.lsa import LsaSummarizer
    from sumy.summarizers.luhn import LuhnSummarizer
    from sumy.summarizers.reduction import ReductionSummarizer
    from sumy.summarizers.sum_basic import SumBasicSummarizer
    from sumy.summarizers.text_rank import TextRankSummarizer

    classes = {
        "lexrank": LexRankSummarizer,
        "textrank": TextRankSummarizer,
        "lsa": LsaSummarizer,
        "luhn": LuhnSummarizer,
        "kl": KLSummarizer,
        "sumbasic": SumBasicSummarizer,
        "edmundson": EdmundsonSummarizer,
        "reduction": ReductionSummarizer,
    }
    stemmer = _sumy_stemmer()
    summarizer = classes[method](stemmer)
    stop_words = _stop_words()
    if method == "edmundson":
        summarizer.null_words = stop_words
        summarizer.stigma_words = _STIGMA_WORDS
        summarizer.bonus_words = _bonus_words(document, title, stop_words)
    else:
        summarizer.stop_words = stop_words
    return summarizer


def _bonus_words(document: Any, title: str | None, stop_words: frozenset[str]) -> list[str]:
    """The title's content words, or else the article's ten most frequent content words."""
    if title:
        words = [w for w in word_tokens(title) if w.lower() not in stop_words]
        if words:
            return words
    counts = Counter(w.lower() for w in document.words if w.lower() not in stop_words)
    return [word for word, _ in counts.most_common(10)] or ["news"]
