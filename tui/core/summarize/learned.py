"""The ``learned`` method, the default: a sentence scorer learned from news highlights.

Each sentence gets the features below, gradient-boosted trees turn them into a score, and
the best-scored sentences are chosen with a redundancy check (a sentence that shares a
word trigram with one already chosen is passed over), then listed in article order.

What the scorer learned from: 20,000 CNN/Daily Mail articles (the training part of the
shared evaluation data, ``cnndm_large/train.jsonl.gz``; their text is not shipped, only
the numbers in ``scorer.npz``). Each article's sentences were labelled by a greedy ROUGE
oracle against the journalists' highlights. ``scripts/train_summarizer.py`` re-trains it
reproducibly. The features never look at letter case or spacing, since the training text
is lower-cased and tokenised while the reader's text is not:

* position: index, 1 / (1 + index), share of the way through, the first one, the first
  three, the article's length in sentences;
* length in words, short and long;
* centrality: TF-IDF degree, LexRank (thresholded cosine graph, power iteration) and
  likeness to the whole article, to the first sentence and to the first three;
* recurrence: the share of its content words found in other sentences, and how often;
* speech: quotation marks, the share of the sentence inside quotes, a speech verb;
* numbers, questions, colons;
* salience learned across the training articles: for each word, the log-odds that a word
  in an article is also in its highlights (smoothed; rare words share one value), as the
  sentence's mean, maximum and top five; and the share of words too rare to have a value
  (names, mostly).

With a headline, a prior tuned on titled articles adds to each sentence's score its
likeness to the headline (:data:`TITLE_WEIGHT`). Loading the scorer takes a few
milliseconds and happens on the first summary.
"""

from __future__ import annotations

import json
import math
import re
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass
from functools import cache
from importlib import resources

import numpy as np

from .terms import light_stem, stop_words
from .trees import Forest

MODEL_FILE = "scorer.npz"
MAX_SENTENCES = 400
"""Only the first sentences of a longer text are scored: the similarity graph is
quadratic, and news summaries draw on the start."""
REDUNDANT_TRIGRAMS = 1
"""A candidate sharing this many word trigrams with the chosen sentences is passed over."""
TITLE_WEIGHT = 4.0
"""Added to a sentence's score (a log-odds) times its likeness to the headline, scaled so
the most alike sentence has 1, as Edmundson's title method rewards the words a headline
picks out. The training articles have no headlines, so the trees cannot learn it: it was
tuned on the shared sets that have headlines (the BBC half marked dev and the 24 GUM
Wikinews articles; ``scripts/eval_summaries.py --tune-title``), where 3 to 6 score alike
and 4 best, and checked on the BBC half marked test (R1 +1.3 over the earlier hand-set 1)."""

FEATURE_NAMES: tuple[str, ...] = tuple(
    """index inverse_position relative_position first first_three log_sentences words
    log_words short long content_share degree lexrank like_lead like_first like_article
    recurring recurrence has_quote quote_marks quoted_share speech_verb numbers question
    colon salience_mean salience_max salience_top5 unknown_share""".split()
)

_WORD = re.compile(r"[^\W_]+(?:['’][^\W_]+)*")
_DIGIT = re.compile(r"\d")
_QUOTE_MARK = re.compile(r"[\"“”«»„]")
# Text between double quotes, or single quotes that open before a word (British copy and
# the Daily Mail quote with them), not apostrophes.
_QUOTED = re.compile(r"[\"“„][^\"“”„]*[\"”]|(?<!\w)[‘'](?=\s?\w)[^‘’']*[’'](?!\w)")
_SPEECH_VERBS = frozenset("said says told tells according added adds asked".split())
_SHORT_WORDS = 8
_LONG_WORDS = 35
_LEXRANK_THRESHOLD = 0.1


@dataclass(frozen=True, slots=True)
class Scorer:
    """The learned scorer: word salience and the trees."""

    salience: dict[str, float]
    unknown_salience: float
    forest: Forest


def words_of(sentence: str) -> list[str]:
    """Lower-cased words and numbers; an apostrophe inside a word keeps it whole."""
    return [word.lower().replace("’", "'") for word in _WORD.findall(sentence)]


def content_terms(words: Sequence[str]) -> list[str]:
    """Stemmed content words: no stop words, single letters or bare numbers."""
    stops = stop_words()
    return [light_stem(w) for w in words if w not in stops and len(w) > 1 and not w.isdigit()]


def features(
    sentences: Sequence[str], salience: dict[str, float], unknown_salience: float
) -> np.ndarray:
    """The feature matrix (sentences x :data:`FEATURE_NAMES`) of one article."""
    count = len(sentences)
    if count == 0:
        return np.zeros((0, len(FEATURE_NAMES)))
    word_lists = [words_of(sentence) for sentence in sentences]
    term_lists = [content_terms(words) for words in word_lists]
    document_frequency: Counter[str] = Counter()
    term_frequency: Counter[str] = Counter()
    for listed in term_lists:
        document_frequency.update(set(listed))
        term_frequency.update(listed)
    similarity, vectors = _similarity(term_lists, document_frequency)
    degree = similarity.sum(axis=1)
    degree = degree / (degree.max() or 1.0)
    lexrank = _lexrank(similarity) * count
    lead = vectors[: min(3, count)].sum(axis=0)
    like_lead = vectors @ lead / (np.linalg.norm(lead) or 1.0)
    whole = vectors.sum(axis=0)
    like_article = (vectors @ whole - (vectors * vectors).sum(axis=1)) / (
        np.linalg.norm(whole) or 1.0
    )
    rows = np.zeros((count, len(FEATURE_NAMES)))
    log_count = math.log(count)
    for i, (sentence, words, listed) in enumerate(
        zip(sentences, word_lists, term_lists, strict=True)
    ):
        words_count = len(words)
        terms_count = len(listed) or 1
        values = [salience.get(term, unknown_salience) for term in listed] or [unknown_salience]
        quote_marks = len(_QUOTE_MARK.findall(sentence))
        stripped = sentence.rstrip()
        rows[i] = (
            i,
            1 / (1 + i),
            i / count,
            i == 0,
            i < 3,
            log_count,
            words_count,
            math.log1p(words_count),
            words_count < _SHORT_WORDS,
            max(0, words_count - _LONG_WORDS),
            len(listed) / (words_count or 1),
            degree[i],
            lexrank[i],
            like_lead[i],
            similarity[0, i] if i else 1.0,
            like_article[i],
            sum(1 for term in listed if document_frequency[term] > 1) / terms_count,
            sum(math.log(term_frequency[term]) for term in listed) / terms_count,
            quote_marks > 0,
            min(quote_marks, 4),
            sum(len(match.group()) for match in _QUOTED.finditer(sentence)) / len(sentence),
            any(word in _SPEECH_VERBS for word in words),
            sum(1 for word in words if _DIGIT.search(word)),
            stripped.endswith(("?", '?"', "?”")),
            stripped.endswith(":"),
            sum(values) / len(values),
            max(values),
            sum(sorted(values)[-5:]),
            sum(1 for term in listed if term not in salience) / terms_count,
        )
    return rows


def _similarity(
    term_lists: list[list[str]], document_frequency: Counter[str]
) -> tuple[np.ndarray, np.ndarray]:
    """Cosine likeness of every pair of sentences (zero diagonal), and the unit TF-IDF
    vectors it came from."""
    count = len(term_lists)
    column = {term: index for index, term in enumerate(document_frequency)}
    idf = np.array([math.log((1 + count) / document_frequency[t]) for t in column] or [0.0])
    vectors = np.zeros((count, max(1, len(column))))
    for row, listed in enumerate(term_lists):
        for term, frequency in Counter(listed).items():
            vectors[row, column[term]] = frequency
    vectors *= idf
    norms = np.linalg.norm(vectors, axis=1)
    norms[norms == 0] = 1.0
    vectors /= norms[:, None]
    similarity = vectors @ vectors.T
    np.fill_diagonal(similarity, 0.0)
    return similarity, vectors


def _lexrank(similarity: np.ndarray, damping: float = 0.85, rounds: int = 50) -> np.ndarray:
    """LexRank's stationary distribution over the graph of sentences alike above
    :data:`_LEXRANK_THRESHOLD` (each sentence linked to itself)."""
    count = len(similarity)
    graph = (similarity > _LEXRANK_THRESHOLD).astype(float)
    np.fill_diagonal(graph, 1.0)
    graph /= graph.sum(axis=1, keepdims=True)
    rank = np.full(count, 1.0 / count)
    for _ in range(rounds):
        following = (1 - damping) / count + damping * (graph.T @ rank)
        if np.abs(following - rank).sum() < 1e-6:
            return following
        rank = following
    return rank


def choose(sentences: Sequence[str], count: int, title: str | None = None) -> list[int]:
    """Indices, in article order, of the ``count`` sentences the learned scorer picks;
    with a ``title``, sentences that share its words are preferred (:data:`TITLE_WEIGHT`)."""
    candidates = list(sentences[:MAX_SENTENCES])
    if len(candidates) <= count:
        return list(range(len(candidates)))
    scorer = load_scorer()
    scores = scorer.forest.predict(features(candidates, scorer.salience, scorer.unknown_salience))
    if title:
        scores = scores + TITLE_WEIGHT * title_likeness(candidates, title)
    return select(candidates, scores, count)


def title_likeness(sentences: Sequence[str], title: str) -> np.ndarray:
    """How many of the headline's content words each sentence has, scaled so the most
    alike sentence has 1."""
    wanted = set(content_terms(words_of(title)))
    if not wanted:
        return np.zeros(len(sentences))
    likeness = np.array(
        [len(wanted.intersection(content_terms(words_of(s)))) for s in sentences], dtype=float
    )
    return likeness / (likeness.max() or 1.0)


def select(sentences: Sequence[str], scores: Sequence[float], count: int) -> list[int]:
    """The best-scored sentences that repeat no word trigram of those already chosen; if
    too few are left, the best of those passed over make up the count."""
    ranked = sorted(range(len(scores)), key=lambda i: (-scores[i], i))
    chosen: list[int] = []
    passed_over: list[int] = []
    seen: set[tuple[str, str, str]] = set()
    for index in ranked:
        if len(chosen) == count:
            break
        trigrams = _trigrams(sentences[index])
        if len(trigrams & seen) >= REDUNDANT_TRIGRAMS:
            passed_over.append(index)
            continue
        chosen.append(index)
        seen |= trigrams
    chosen.extend(passed_over[: count - len(chosen)])
    return sorted(chosen)


def _trigrams(sentence: str) -> set[tuple[str, str, str]]:
    words = words_of(sentence)
    return set(zip(words, words[1:], words[2:], strict=False))


@cache
def load_scorer() -> Scorer:
    """The scorer shipped in the package (read once)."""
    with resources.files(__package__).joinpath(MODEL_FILE).open("rb") as file:
        return scorer_from_arrays(dict(np.load(file)))


def scorer_from_arrays(arrays: dict[str, np.ndarray]) -> Scorer:
    """A :class:`Scorer` from the arrays of ``scorer.npz`` (see :func:`scorer_arrays`)."""
    meta = json.loads(arrays["meta"].tobytes().decode("utf-8"))
    if tuple(meta["features"]) != FEATURE_NAMES:
        raise ValueError("the scorer was trained on other features than this code computes")
    vocabulary = arrays["vocabulary"].tobytes().decode("utf-8").split("\n")
    salience = dict(zip(vocabulary, arrays["salience"].astype(float).tolist(), strict=True))
    forest = Forest(
        feature=arrays["feature"],
        threshold=arrays["threshold"],
        left=arrays["left"],
        right=arrays["right"],
        value=arrays["value"],
        roots=arrays["roots"],
        depth=int(meta["depth"]),
    )
    return Scorer(salience, float(meta["unknown_salience"]), forest)


def scorer_arrays(scorer: Scorer, about: dict) -> dict[str, np.ndarray]:
    """The arrays :func:`scorer_from_arrays` reads, with ``about`` (where the numbers came
    from) kept in the metadata."""
    words = sorted(scorer.salience)
    meta = {
        **about,
        "features": list(FEATURE_NAMES),
        "depth": scorer.forest.depth,
        "unknown_salience": scorer.unknown_salience,
    }
    return {
        "meta": np.frombuffer(json.dumps(meta, indent=1).encode("utf-8"), dtype=np.uint8),
        "vocabulary": np.frombuffer("\n".join(words).encode("utf-8"), dtype=np.uint8),
        "salience": np.array([scorer.salience[w] for w in words], dtype=np.float16),
        "feature": scorer.forest.feature,
        "threshold": scorer.forest.threshold,
        "left": scorer.forest.left,
        "right": scorer.forest.right,
        "value": scorer.forest.value,
        "roots": scorer.forest.roots,
    }
