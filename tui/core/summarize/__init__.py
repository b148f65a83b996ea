"""Extractive summaries of article text, offline: a learned default and Sumy's methods.

Sentences come from :mod:`tui.core.sentences` (Sumy's own tokenizer needs NLTK's punkt
data, which an offline machine lacks); :mod:`.units` leaves out the headline, bylines,
datelines and page furniture, so no method can choose them. A summary lists its
sentences in article order, with their spans in the text. A text with no more sentences
than asked for comes back whole.

Methods (:data:`METHODS`):

* ``learned`` (the default, :mod:`.learned`): a sentence scorer learned from 20,000
  CNN/Daily Mail articles and their highlights, run with NumPy.
* ``combined`` (:mod:`.combined`): hand-weighted centrality, position, title likeness
  and length; the default before ``learned``.
* ``lead``: the first sentences, the classic news baseline.
* ``lexrank``, ``textrank``, ``lsa``, ``luhn``, ``kl``, ``sumbasic``, ``edmundson``,
  ``reduction``: Sumy's summarizers (:mod:`.sumy_methods`), imported only when asked for.
"""

from __future__ import annotations

from tui.core.models import Summary

from .errors import SummaryError
from .sumy_methods import SUMY_METHODS
from .units import Unit, article_units, summary_sentences

__all__ = [
    "DEFAULT_METHOD",
    "DEFAULT_SENTENCES",
    "METHODS",
    "SummaryError",
    "summarize",
    "summary_sentences",
]

DEFAULT_METHOD = "learned"
DEFAULT_SENTENCES = 3
METHODS: tuple[str, ...] = ("learned", "combined", "lead", *SUMY_METHODS)


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
    at least one); with neither, :data:`DEFAULT_SENTENCES` sentences. ``title`` (the
    headline) is never part of the summary, nor is a sentence that repeats it; a plain
    text whose first line reads as a headline is treated the same way.
    """
    if method not in METHODS:
        raise SummaryError(f"unknown summary method {method!r}; choose one of {', '.join(METHODS)}")
    if sentences is not None and ratio is not None:
        raise SummaryError("give a sentence count or a ratio, not both")
    if sentences is not None and sentences < 1:
        raise SummaryError(f"a summary needs at least one sentence, not {sentences}")
    if ratio is not None and not 0 < ratio <= 1:
        raise SummaryError(f"the summary ratio must be above 0 and at most 1, not {ratio}")

    found = article_units(text, title)
    units = found.units
    title = title or found.headline
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


def _choose(method: str, units: list[Unit], count: int, title: str | None) -> list[int]:
    texts = [unit.text for unit in units]
    if method == "learned":
        from .learned import choose

        return choose(texts, count, title)
    if method == "combined":
        from .combined import DEFAULT_WEIGHTS, select_combined

        return select_combined(texts, count, title, DEFAULT_WEIGHTS)
    if method == "lead":
        return list(range(count))
    from .sumy_methods import sumy_choose

    return sumy_choose(method, units, count, title)
