"""The text index every stage reads: paragraphs, sentences, and a masked copy.

Quoted words are masked (replaced by ``MASK``) once the quotes are known, so that
the attribution and speaker rules never take a quoted word for a cue or a name.
Sentence ends are found once, in the masked copy, and looked up by bisection.
"""

from __future__ import annotations

import bisect
import re
from collections.abc import Iterator, Sequence
from typing import Protocol

from tui.core.quotes.lexicon import is_abbreviation

MASK = "\ue000"
"""Stands in for quoted words in the masked copy of the text."""

_PARAGRAPH = re.compile(r"[^\n]+")
_SENTENCE_END = re.compile(
    r"[.!?\u2026]+[\"'”’)\]]*(?=\s+[\"'“‘(\[]?[A-Z0-9\u201c\ue000])|[;]\s|[.!?]+[\"”’]?\s*$"
)
_MAX_SENTENCE = 600
"""A sentence is taken to start or end no further than this from a position."""


class _Stretch(Protocol):
    @property
    def start(self) -> int: ...

    @property
    def end(self) -> int: ...


class TextIndex:
    """One article's text with its paragraphs, its sentences and a masked copy."""

    __slots__ = ("text", "paragraphs", "masked", "_p_starts", "_ends", "_after", "_curly")

    def __init__(self, text: str):
        self.text = text
        self.paragraphs = [(m.start(), m.end()) for m in _PARAGRAPH.finditer(text)]
        """(start, end) of each non-empty line."""
        self.masked = text
        self._p_starts = [p[0] for p in self.paragraphs]
        self._ends: list[int] | None = None
        self._after: list[int] = []
        self._curly: bool | None = None

    def curly_style(self) -> bool:
        """Whether the text writes its quotation marks curly."""
        if self._curly is None:
            self._curly = self.text.count("\u201c") > self.text.count('"')
        return self._curly

    def paragraph_of(self, pos: int) -> int:
        """The number of the paragraph that holds ``pos``."""
        return max(0, bisect.bisect_right(self._p_starts, pos) - 1)

    def paragraph_at(self, pos: int) -> tuple[int, int]:
        """(start, end) of the paragraph that holds ``pos``."""
        return self.paragraphs[self.paragraph_of(pos)]

    def mask(self, spans: Sequence[_Stretch]) -> None:
        """Replace quoted words by ``MASK`` so the attribution search skips them.

        A final ``.``/``?``/``!``/``,`` stays visible: it tells whether the quote
        ended its sentence.
        """
        parts = []
        last = 0
        text = self.text
        for s in spans:
            parts.append(text[last : s.start])
            end = s.end
            tail = ""
            if end > s.start and text[end - 1] in ".?!,":
                end -= 1
                tail = text[end]
            parts.append(MASK * (end - s.start))
            parts.append(tail)
            last = s.end
        parts.append(text[last:])
        self.masked = "".join(parts)
        self._ends = None

    # -- sentences of the masked text

    def sentence_marks(self) -> tuple[list[int], list[int]]:
        """Sentence ends in the masked text, found once: (end offsets, positions
        just after the final punctuation)."""
        if self._ends is None:
            ends: list[int] = []
            after: list[int] = []
            masked = self.masked
            for m in _SENTENCE_END.finditer(masked):
                if is_abbreviation(masked, m.start()):
                    continue
                ends.append(m.start() + 1)
                after.append(m.end())
            self._ends, self._after = ends, after
        return self._ends, self._after

    def sentence_start(self, pos: int) -> int:
        """Where the sentence holding ``pos`` starts (within its paragraph)."""
        p_start = self.paragraph_at(pos)[0]
        _, after = self.sentence_marks()
        i = bisect.bisect_right(after, pos) - 1
        best = after[i] if i >= 0 else 0
        return max(best, p_start, pos - _MAX_SENTENCE)

    def sentence_end(self, pos: int) -> int:
        """Where the sentence holding ``pos`` ends (within its paragraph)."""
        p_end = self.paragraph_at(pos)[1]
        ends, _ = self.sentence_marks()
        i = bisect.bisect_left(ends, pos + 1)
        end = ends[i] if i < len(ends) else p_end
        return min(end, p_end, pos + _MAX_SENTENCE)

    def sentence_number(self, pos: int) -> int:
        """The number of the sentence holding ``pos`` (counted over the text)."""
        _, after = self.sentence_marks()
        return bisect.bisect_right(after, pos)

    def sentence_number_start(self, number: int) -> int:
        """Where sentence number ``number`` starts, ignoring paragraphs."""
        _, after = self.sentence_marks()
        return after[number - 1] if number > 0 else 0

    def sentences(self, lo: int, hi: int) -> Iterator[tuple[int, int]]:
        """(start, end) of each sentence that overlaps ``text[lo:hi]``."""
        pos = lo
        text = self.text
        while pos < hi:
            start, end = self.sentence_start(pos), self.sentence_end(pos)
            yield start, end
            pos = max(end, pos + 1)
            while pos < hi and text[pos] in " \n\t\u00a0":
                pos += 1

    def opens_sentence(self, pos: int) -> bool:
        """Whether nothing but white space precedes ``pos`` in its sentence."""
        start = self.sentence_start(pos)
        return not self.masked[start:pos].strip(" \u00a0\t")
