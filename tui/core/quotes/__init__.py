"""Direct quotations and their speakers, as character spans of the clean text.

``find_quotes(text)`` takes clean article text (paragraphs separated by line breaks,
usually blank lines) and returns the direct quotations in reading order. It runs
one module per stage:

1. ``marks``: pair the quotation marks into quoted stretches;
2. ``filters``: keep the quotations (not scare quotes, names of works, transcripts);
3. ``attribution``: the cue right after each quote (``, she said``);
4. ``pieces``: join a quotation broken by its attribution;
5. ``speakers``: each quotation's speaker, with pronouns and surnames resolved.

``index`` holds the text, its paragraphs and sentences and the masked copy the
later stages read; ``lexicon`` and ``phrases`` hold the word lists and the
noun-phrase rules they share.

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
    needs, and what PolNeAR's source spans hold. ``None`` when nothing fits.

The choices in each stage were measured on PolNeAR (``scripts/eval_quotes.py``).
Everything is regular expressions compiled once and linear scans: a 1,000-word
article takes one or two milliseconds, and hostile input (unbalanced quotes, a
megabyte of quotation marks) returns quickly and cannot produce a quote longer than
a few paragraphs.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from tui.core.models import Quote

__all__ = ["find_quotes"]


def find_quotes(text: str) -> list[Quote]:
    """Direct quotations in ``text`` with their speakers, in reading order."""
    # The stages load on first use: tui.core.sentences imports the lexicon from this
    # package and should not pay for compiling the rest.
    from tui.core.models import Quote
    from tui.core.quotes.attribution import post_attribution
    from tui.core.quotes.filters import keep_quotations
    from tui.core.quotes.index import TextIndex
    from tui.core.quotes.marks import find_spans
    from tui.core.quotes.pieces import group_pieces
    from tui.core.quotes.speakers import Speakers

    if not text or not isinstance(text, str):
        return []
    index = TextIndex(text)
    if not index.paragraphs:
        return []
    spans = keep_quotations(index, find_spans(text, index.paragraphs))
    if not spans:
        return []
    index.mask(spans)
    for s in spans:
        if s.closed:
            s.post = post_attribution(index, s)
    groups = group_pieces(index, spans)
    Speakers(index).attribute(groups)

    quotes = []
    for g in groups:
        start, end = g.start, g.end
        while start < end and text[start].isspace():
            start += 1
        while end > start and text[end - 1].isspace():
            end -= 1
        if end > start:
            quotes.append(Quote(text=text[start:end], start=start, end=end, speaker=g.speaker))
    return quotes
