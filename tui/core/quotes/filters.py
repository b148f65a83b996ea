"""Stage 2: which quoted stretches are quotations.

Left out: runaway marks, transcript lines, names of works (``on CBS's "Face the
Nation"``), and scare quotes, that is stretches of one or two words unless they
are framed as a quotation (``called it a "significant escalation"``), a question
or an exclamation (``"What curfew?"``), or the first piece of a longer quotation
(``"Yes," she said, "we agreed to it."``). A straight mark left open in a text that
quotes with curly marks opens an excerpt, not a quotation.
"""

from __future__ import annotations

import re

from tui.core.quotes.attribution import BAD_GAP, attribution_after
from tui.core.quotes.index import TextIndex
from tui.core.quotes.lexicon import SMALL_WORDS
from tui.core.quotes.marks import MARKS, MAX_QUOTE_CHARS, Span

WORD = re.compile(r"\w+")

_MAX_UNCLOSED_CHARS = 2500
"""A quote that is never closed is kept only if its paragraph ends it soon."""

# A speaker label opening an interview transcript's line: "PENCE: Well, ...", "Q: ...".
_TRANSCRIPT_LABEL = re.compile(r"\s*[A-Z][A-Z.'\-]*(?: [A-Z][A-Z.'\-]*){0,2}:\s")

_FRAME_BEFORE = re.compile(
    r"(?:(?<![\w-])(?:(?:dub(?:s|bed)?|label(?:s|ed|led)?|term(?:s|ed)?|brand(?:s|ed)?|"
    r"describ(?:e|es|ed|ing)\s+\w+\s+as|put\s+it|the\s+(?:phrase|words?|term|slogan))"
    r"(?:\s+(?:it|him|her|them|this|that|these|those|[A-Z]\w+))?|"
    # "call" names only with its object: "called it a", not "what he called a"
    # (the writer's hedge) or "call a meeting" (convene)
    r"call(?:s|ed|ing)?\s+(?:it|him|her|them|this|that|these|those|[A-Z]\w+))"
    r"(?:\s+(?:a|an|the|as))?"
    r")\s*[,:]?\s*$"
)

_WORK_BEFORE = re.compile(r"(?:\b(?:on|in|of|his|her|their|its|my|our)|['’]s)\s*$", re.IGNORECASE)
"""Before a title-case quote, what makes it the name of a work: 'on CBS's', 'an
episode of', 'his'."""


_NEXT_WORD = re.compile(r"[ \u00a0]([a-z][a-z-]*)\b")
_NAMED_THINGS = frozenset(
    """hat hats cap caps shirt shirts t-shirt t-shirts sign signs banner banners button
    buttons sticker stickers poster posters tote bag bags mug mugs tour bus movement crowd
    star stars actress actor host podcast show program programme series episode movie
    film documentary book memoir novel song album anthem theme slogan motto initiative
    campaign rally event conference summit party app website site page ad ads video
    headline article column essay op-ed document bill act plan strategy policy doctrine
    agenda pledge caucus coalition group faction wing lane era line""".split()
)
"""Nouns that a quoted name stands before as a modifier (a "Make America Great
Again" hat, the "Fight for 15" movement)."""


_WORK_NOUN_BEFORE = re.compile(
    r"\b(?:show|program|programme|podcast|book|movie|film|play|song|anthem|album|article|"
    r"column|essay|op-ed|episode|series|documentary|novel|memoir|headline|titled|entitled)"
    r"\s*,?\s*$",
    re.IGNORECASE,
)
"""Right before a quoted name, the kind of work it names."""


def keep_quotations(index: TextIndex, spans: list[Span]) -> list[Span]:
    """The stretches of ``spans`` that are quotations."""
    return [
        s
        for i, s in enumerate(spans)
        if is_quotation(
            index, s, spans[i - 1] if i else None, spans[i + 1] if i + 1 < len(spans) else None
        )
    ]


def is_quotation(index: TextIndex, s: Span, prev: Span | None, nxt: Span | None) -> bool:
    """Whether a quoted stretch is a quotation (``prev``/``nxt``: the stretches
    next to it)."""
    text = index.text
    length = s.end - s.start
    if length > MAX_QUOTE_CHARS or (not s.closed and not s.joined and length > _MAX_UNCLOSED_CHARS):
        return False  # runaway marks, not a quotation
    words = len(WORD.findall(text, s.start, s.end))
    if words == 0:
        return False
    if not s.closed and not s.joined and text[s.open] == '"' and index.curly_style():
        # a straight mark left open in a text that quotes with curly ones
        # opens an excerpt (or is a stray), not a quotation
        return False
    if _TRANSCRIPT_LABEL.match(text, s.start):
        return False  # a transcript's line ("WALLACE: ..."), not a quotation
    if words >= 3:
        if s.closed and words <= 8 and _modifies_noun(text, s):
            return False  # the "Fight for 15" movement, a "Make America Great" hat
        if _WORK_NOUN_BEFORE.search(text, max(0, s.open - 40), s.open) and _title_like(text, s):
            return False  # the podcast "So, That Happened", a book titled "X"
        if not is_title(text, s):
            return True
        # a name of a work: on CBS's "Face the Nation", an episode of "X"
        return not _WORK_BEFORE.search(text, max(0, s.open - 30), s.open)
    if not s.closed:
        return False
    # one or two words: a scare quote unless framed as a quotation
    p_start = index.paragraph_at(s.open)[0]
    before = text[max(p_start, s.open - 60) : s.open]
    if _FRAME_BEFORE.search(before):
        return True
    # a short question or exclamation ("What curfew?")
    inner = text[s.start : s.end].rstrip()
    if inner and inner[-1] in "?!":
        return True
    # the first piece of a longer quotation: '"Yes," said Ann Lee, "we agreed to
    # it."'. A short statement on its own ('"No," he said') is kept too rarely to
    # pay for the phrases it would let in ('"too little," he added'): measured on
    # PolNeAR, like keeping a short last piece.
    return bool(
        nxt is not None
        and len(WORD.findall(text, nxt.start, nxt.end)) >= 3
        and _broken_by_attribution(index, s, nxt)
    )


def _title_like(text: str, s: Span) -> bool:
    """A name of a work need not be all title case ("Orange Is the New Black", "So,
    That Happened"): its first word and most of its words are capitalised."""
    words = [w for w in text[s.start : s.end].split() if w.lower() not in SMALL_WORDS]
    if not words or not words[0][:1].isupper():
        return False
    return sum(w[:1].isupper() or w[:1].isdigit() for w in words) * 2 > len(words)


def _modifies_noun(text: str, s: Span) -> bool:
    """Whether a short quoted stretch with no punctuation of its own stands before a
    noun for a thing as its modifier (the "Medicare for all" document): a name, not
    words someone said."""
    inner = text[s.start : s.end].rstrip()
    if not inner or inner[-1] in ".,;:!?\u2026-\u2014":
        return False
    after = _NEXT_WORD.match(text, s.close + 1)
    if after is None:
        return False
    return after.group(1) in _NAMED_THINGS


def _broken_by_attribution(index: TextIndex, a: Span, b: Span) -> bool:
    """Whether nothing but an attribution separates ``a`` (which opens its
    sentence) from ``b`` in one paragraph."""
    text = index.text
    if not a.closed or b.open - a.close > 200:
        return False
    gap = text[a.close + 1 : b.open]
    if "\n" in gap or MARKS.search(gap) and '"' in gap or BAD_GAP.search(gap):
        return False
    attr = attribution_after(gap, text[a.close - 1] in ".?!")
    if attr is None or attr.end < 0 or gap[attr.end :].strip(" ,.:;\u00a0\u2014\u2013-"):
        return False
    p_start = index.paragraph_at(a.open)[0]
    lead = text[p_start : a.open].rstrip(" \u00a0\t")
    return not lead or lead[-1] in '.?!"”’'


def is_title(text: str, s: Span) -> bool:
    """A quoted title of a show, book, programme or law: every word capitalised."""
    inner = text[s.start : s.end].strip().rstrip(".,!?")
    words = inner.split()
    if not words or len(words) > 8 or not s.closed:
        return False
    if any(ch in inner for ch in ",;:!?"):
        return False
    if not words[0][:1].isupper():
        return False
    return all(w[:1].isupper() or w[:1].isdigit() or w.lower() in SMALL_WORDS for w in words)
