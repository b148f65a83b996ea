"""One summary and one list of quotations drawn from every version of a story.

Each version proposes the sentences the learned scorer picks for it; a sentence scores
higher the more of the other versions carry its words (what several outlets report is
the news), and :func:`tui.core.summarize.learned.select` keeps out sentences that repeat
one already chosen. A quotation is listed once, with every version that carries it.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass

from ..models import Quote
from ..summarize.learned import choose, content_terms, select, words_of
from ..summarize.units import article_units

PROPOSED = 4
"""Sentences each version proposes."""


@dataclass(frozen=True, slots=True)
class Version:
    """One article of a story, understood."""

    article_id: int
    feed_url: str
    title: str
    text: str
    quotes: Sequence[Quote] = ()


@dataclass(frozen=True, slots=True)
class StoryQuote:
    text: str
    speaker: str | None
    articles: tuple[int, ...]
    """Every version that carries it, in story order."""
    feeds: tuple[str, ...]


@dataclass(frozen=True, slots=True)
class StorySummary:
    sentences: tuple[str, ...]
    articles: tuple[int, ...]
    """The version each sentence was taken from."""
    quotes: tuple[StoryQuote, ...]

    method: str = "learned-multi"


def summarize_story(versions: Sequence[Version], count: int = 3) -> StorySummary:
    """A summary of ``count`` sentences from all ``versions`` (oldest first), with
    repeats left out."""
    proposals: list[tuple[int, int, str]] = []  # (version, position, sentence)
    for number, version in enumerate(versions):
        texts = [unit.text for unit in article_units(version.text, version.title).units]
        for position, index in enumerate(choose(texts, PROPOSED, version.title or None)):
            proposals.append((number, position, texts[index]))
    if not proposals:
        return StorySummary((), (), story_quotes(versions))
    vocabularies = [set(words_of(version.text)) for version in versions]
    scores = []
    for number, position, sentence in proposals:
        words = set(words_of(sentence))
        support = sum(
            len(words & vocabulary) / (len(words) or 1)
            for other, vocabulary in enumerate(vocabularies)
            if other != number
        )
        # Carried by more versions first; among equals, what each version put first.
        scores.append(support / max(1, len(versions) - 1) + 0.5 / (1 + position))
    # Two outlets say one thing in other words ("Police are treating the fire as
    # suspicious" / "Police said they were treating the fire as suspicious"): word
    # trigrams miss it, so a proposal sharing most content words with a better one goes.
    keep = _distinct([p[2] for p in proposals], scores)
    proposals = [proposals[i] for i in keep]
    scores = [scores[i] for i in keep]
    chosen = select([p[2] for p in proposals], scores, count)
    chosen.sort(key=lambda i: (proposals[i][0], proposals[i][1]))
    return StorySummary(
        tuple(proposals[i][2] for i in chosen),
        tuple(versions[proposals[i][0]].article_id for i in chosen),
        story_quotes(versions),
    )


_WORDS = re.compile(r"\w+")
SAME_POINT = 0.6
"""Share of the shorter sentence's content words that makes two sentences one point."""


def _distinct(sentences: Sequence[str], scores: Sequence[float]) -> list[int]:
    """Indices of the sentences left when each gives way to a better-scored one that
    makes the same point, in their original order."""
    kept: list[int] = []
    seen: list[set[str]] = []
    for index in sorted(range(len(sentences)), key=lambda i: -scores[i]):
        terms = set(content_terms(words_of(sentences[index])))
        if any(
            len(terms & other) >= SAME_POINT * min(len(terms), len(other)) > 0 for other in seen
        ):
            continue
        kept.append(index)
        seen.append(terms)
    return sorted(kept)


def story_quotes(versions: Sequence[Version]) -> tuple[StoryQuote, ...]:
    """Each quotation once, in the order first seen, with the versions carrying it."""
    found: dict[str, tuple[Quote, list[Version]]] = {}
    for version in versions:
        for quote in version.quotes:
            key = " ".join(_WORDS.findall(" ".join(quote.piece_texts()).lower()))
            if not key:
                continue
            if key in found:
                if version not in found[key][1]:
                    found[key][1].append(version)
            else:
                found[key] = (quote, [version])
    quotes = []
    for quote, carriers in found.values():
        speaker = quote.speaker or next(
            (q.speaker for v in carriers for q in v.quotes if q.speaker and _same(q, quote)),
            None,
        )
        quotes.append(
            StoryQuote(
                " … ".join(quote.piece_texts()),
                speaker,
                tuple(v.article_id for v in carriers),
                tuple(dict.fromkeys(v.feed_url for v in carriers)),
            )
        )
    return tuple(quotes)


def _same(a: Quote, b: Quote) -> bool:
    return _WORDS.findall(a.text.lower()) == _WORDS.findall(b.text.lower())
