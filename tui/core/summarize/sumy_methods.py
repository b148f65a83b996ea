"""Sumy's summarizers over our own sentences, with no NLTK data.

Sumy (and NLTK with it, about a quarter of a second) is imported only when one of these
methods is asked for. ``lexrank``, ``textrank`` and ``lsa`` need NumPy. ``edmundson``'s
bonus words are the title's content words (without a title, the article's most frequent
content words), its stigma words those of web boilerplate ("subscribe", "click"...).
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable
from functools import cache, lru_cache
from typing import Any

from tui.core.sentences import SentenceTokenizer, word_tokens

from .errors import SummaryError
from .terms import stop_words
from .units import Unit

SUMY_METHODS: tuple[str, ...] = (
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


def sumy_choose(method: str, units: list[Unit], count: int, title: str | None) -> list[int]:
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
    stops = stop_words()
    if method == "edmundson":
        summarizer.null_words = stops
        summarizer.stigma_words = _STIGMA_WORDS
        summarizer.bonus_words = _bonus_words(document, title, stops)
    else:
        summarizer.stop_words = stops
    return summarizer


def _bonus_words(document: Any, title: str | None, stops: frozenset[str]) -> list[str]:
    """The title's content words, or else the article's ten most frequent content words."""
    if title:
        words = [w for w in word_tokens(title) if w.lower() not in stops]
        if words:
            return words
    counts = Counter(w.lower() for w in document.words if w.lower() not in stops)
    return [word for word, _ in counts.most_common(10)] or ["news"]
