"""Stage 4: join the pieces of a quotation broken by its attribution.

'"A," she said. "B."' is one quotation when A opens its sentence, the text between
the pieces is only the attribution (with the rest of its sentence), no longer than
the quoted words allow, and B has none of its own.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from tui.core.quotes.attribution import BAD_GAP
from tui.core.quotes.filters import WORD, is_title
from tui.core.quotes.index import TextIndex
from tui.core.quotes.marks import Span
from tui.core.quotes.verbs import speech_verbs

_MAX_GAP_WORDS = 60
"""Pieces of a quotation are joined only across an attribution this short."""
_GAP_RATIO = 1.5
"""... and no longer than this many times the quoted words: past that, one quote
covering them would be mostly narrative."""
_ING_GAP = re.compile(r",\s+[a-z]+ing\b")
"""A participle clause after an attribution: ', citing a few examples,'."""
_TITLE_TAIL = re.compile(
    r"[^\n\"“”]{0,80}[“\"]([A-Z][^\n\"“”]{0,80})[”\"]"
    r"(?:,?\s+(?:on\s+|last\s+|this\s+)?(?:Monday|Tuesday|Wednesday|Thursday|Friday|"
    r"Saturday|Sunday|morning|afternoon|evening|night|week))?"
)
"""The end of an attribution sentence that names a programme: 'on CBS's "X" on
Sunday.'."""


@dataclass(slots=True)
class Group:
    """One quotation: its pieces in order, and its speaker once known."""

    spans: list[Span] = field(default_factory=list)
    speaker: str | None = None
    rule: str = "none"
    """Which speaker rule gave ``speaker`` (see ``Speakers.attribute``)."""

    @property
    def start(self) -> int:
        return self.spans[0].start

    @property
    def end(self) -> int:
        return self.spans[-1].end


def group_pieces(index: TextIndex, spans: list[Span]) -> list[Group]:
    """The quotations made of ``spans`` (with their post-attributions found)."""
    groups: list[Group] = []
    for s in spans:
        if groups:
            g = groups[-1]
            prev = g.spans[-1]
            if (
                prev.post is not None
                and prev.post.end >= 0
                and s.post is None
                and index.paragraph_of(prev.close) == index.paragraph_of(s.open)
                and _only_attribution(index, prev.post.end, s.open)
                and not _bad_gap(index, prev.close + 1, s.open)
                and (len(g.spans) > 1 or index.opens_sentence(g.spans[0].open))
                and _short_gap(index, g, s)
            ):
                g.spans.append(s)
                continue
        groups.append(Group([s]))
    return groups


def _short_gap(index: TextIndex, g: Group, s: Span) -> bool:
    """Whether the attribution before ``s`` is short next to the quoted words."""
    gap = len(WORD.findall(index.masked, g.spans[-1].close + 1, s.open))
    quoted = sum(len(WORD.findall(index.text, p.start, p.end)) for p in [*g.spans, s])
    return gap <= min(_MAX_GAP_WORDS, _GAP_RATIO * quoted)


def _only_attribution(index: TextIndex, lo: int, hi: int) -> bool:
    """Whether ``masked[lo:hi]``, what follows an attribution clause up to the
    next piece, adds nothing: punctuation, or the name of a programme the words
    were said on ('said on CBS's "Face the Nation."')."""
    raw = index.masked[lo:hi]
    rest = raw.strip(" ,.:;\u00a0\u2014\u2013-")
    if not rest:
        return True
    m = _TITLE_TAIL.fullmatch(rest)
    if not m:
        return False
    at = lo + len(raw) - len(raw.lstrip(" ,.:;\u00a0\u2014\u2013-"))
    title = Span(at + m.start(1) - 1, at + m.end(1))
    return is_title(index.text, title) and next(speech_verbs(rest), None) is None


def _bad_gap(index: TextIndex, lo: int, hi: int) -> bool:
    """Whether the text between two pieces goes on past their attribution into
    a clause of its own ('she said, but ...', 'before asking her, "..."'). Not
    when that text ends its sentence: the next piece then opens a sentence with
    no attribution of its own ('said Tusk, summing up talks that ran late.')."""
    gap = index.masked[lo:hi].rstrip(" \u00a0\t")
    if gap.endswith((".", "!", "?")):
        return False
    if BAD_GAP.search(index.masked, lo, hi):
        return True
    # '"A," he said, citing a few examples, "B..."': B is what the new clause
    # introduces, unless B goes on with A's sentence in lower case
    return bool(_ING_GAP.search(index.masked, lo, hi)) and index.text[hi + 1 : hi + 2].isupper()
