"""Direct quotations and their speakers, as character spans of the clean text.

``find_quotes(text)`` takes clean article text (paragraphs separated by line breaks,
usually blank lines) and returns the direct quotations in reading order. It runs
one module per stage:

1. ``marks``: pair the quotation marks into quoted stretches;
2. ``filters``: keep the quotations (not scare quotes, names of works, transcripts);
3. ``attribution``: the cue right after each quote (``, she said``);
4. ``pieces``: join a quotation broken by its attribution;
5. ``speakers``: each quotation's speaker by rules, pronouns and surnames resolved;
6. ``ranker``: the speaker chosen among ``candidates`` by weights learned on
   PolNeAR train, the rules' answer among them.

``index`` holds the text, its paragraphs and sentences and the masked copy the
later stages read; ``lexicon``, ``verbs`` and ``phrases`` hold the word lists, the
speech-verb finder and the noun-phrase rules they share; ``candidates`` lists the
possible speakers of each quote with the features the ranker weighs.

Span convention
    A quote's ``start``/``end`` cover the quoted words *without* the outer quotation
    marks, so ``text[q.start:q.end] == q.text`` reads as spoken (``we have options,
    it depends on what they do.``). Two cases make one quote out of several quoted
    stretches, and then the span runs from the first quoted word to the last, with
    whatever lies between inside it:

    - a quotation broken by its attribution in the same paragraph:
      ``"A," she said. "B."`` gives ``A," she said. "B.``;
    - a quotation that runs over paragraphs (a paragraph opens a quote without
      closing it and the next paragraph reopens it).

Speaker convention
    The speaker is the source as the article writes it at the attribution, with
    title and role (``NATO Secretary General Mark Rutte``, ``Rep. John Mica
    (R-Fla.)``, ``Ryan Ellis, a Republican tax consultant``): that is what a reader
    needs, and what PolNeAR's source spans hold. A pronoun or a bare surname is
    resolved to the full name it stands for (``he`` -> ``Mark Rutte``); a role
    alone is given with the name it stands for (``Maria Lopez, the senator``).
    ``None`` when nothing fits.

The rules were written on PolNeAR dev and tuned on PolNeAR train, the ranker's
weights learned on train (``scripts/eval_quotes.py`` scores both).
Everything is regular expressions compiled once and linear scans: a 1,000-word
article takes a few milliseconds, and hostile input (unbalanced quotes, a
megabyte of quotation marks) returns quickly and cannot produce a quote longer than
a few paragraphs.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING, NamedTuple

if TYPE_CHECKING:
    from tui.core.models import Quote
    from tui.core.quotes.index import TextIndex
    from tui.core.quotes.pieces import Group
    from tui.core.quotes.speakers import Speakers

__all__ = ["find_quotes"]


def find_quotes(text: str, *, speaker_weights: Sequence[float] | None = None) -> list[Quote]:
    """Direct quotations in ``text`` with their speakers, in reading order.

    ``speaker_weights`` replaces the ranker's shipped weights (for evaluation).
    """
    from tui.core.models import Quote
    from tui.core.quotes.ranker import choose_speakers

    found = analyse(text)
    if found is None:
        return []
    choose_speakers(found.index, found.speakers, found.groups, speaker_weights)
    quotes = []
    for g in found.groups:
        pieces = tuple(p for p in (_trim(text, s.start, s.end) for s in g.spans) if p[1] > p[0])
        if pieces:
            start, end = pieces[0][0], pieces[-1][1]
            quotes.append(Quote(text[start:end], start, end, g.speaker, pieces))
    return quotes


def _trim(text: str, start: int, end: int) -> tuple[int, int]:
    """``start``/``end`` moved past white space at either edge."""
    while start < end and text[start].isspace():
        start += 1
    while end > start and text[end - 1].isspace():
        end -= 1
    return start, end


class Analysis(NamedTuple):
    """What the stages found in one text (for ``find_quotes`` and training)."""

    index: TextIndex
    groups: list[Group]
    speakers: Speakers


def analyse(text: str) -> Analysis | None:
    """Run the stages over ``text``; None when it holds no quotation."""
    # The stages load on first use: tui.core.sentences imports the lexicon from this
    # package and should not pay for compiling the rest.
    from tui.core.quotes.attribution import post_attribution
    from tui.core.quotes.filters import keep_quotations
    from tui.core.quotes.index import TextIndex
    from tui.core.quotes.marks import find_spans
    from tui.core.quotes.pieces import group_pieces
    from tui.core.quotes.speakers import Speakers

    if not text or not isinstance(text, str):
        return None
    index = TextIndex(text)
    if not index.paragraphs:
        return None
    spans = keep_quotations(index, find_spans(text, index.paragraphs))
    if not spans:
        return None
    index.mask(spans)
    for s in spans:
        if s.closed:
            s.post = post_attribution(index, s)
    groups = group_pieces(index, spans)
    speakers = Speakers(index)
    speakers.attribute(groups)
    return Analysis(index, groups, speakers)
