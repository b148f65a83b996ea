"""Stage 1: find the quoted stretches, pairing quotation marks paragraph by paragraph.

Straight and curly marks pair with their own kind; a quote that runs over paragraphs
is one stretch when the next paragraph reopens it; single marks are primary quotes
only where the text uses them so (the British way). Only outermost stretches are
returned: a quote inside a quote belongs to it.
"""

from __future__ import annotations

import bisect
import re
from dataclasses import dataclass
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from tui.core.quotes.attribution import Attr

DOUBLE_OPEN = "\u201c\u201e\u201f\u00ab"  # “ „ ‟ «
DOUBLE_CLOSE = "\u201d\u00bb"  # ” »
SINGLE_OPEN = "\u2018"  # ‘
SINGLE_CLOSE = "\u2019"  # ’
MARKS = re.compile("[\"'\u201c\u201d\u201e\u201f\u00ab\u00bb\u2018\u2019]")
ANY_DOUBLE = '"' + DOUBLE_OPEN + DOUBLE_CLOSE
_OPEN_BEFORE = "([{\u2014\u2013\u2015-/" + DOUBLE_OPEN + SINGLE_OPEN + "\"'"
_CLOSE_AFTER = ".,;:!?)]}\u2026\u2014\u2013\u2015-/" + DOUBLE_CLOSE + SINGLE_CLOSE + "\"'*"
# Elisions that start with an apostrophe: 'n', '90s, 'em, 'tis, 'cause...
_ELISION = re.compile(r"(?:\d\ds?|n|em|tis|twas|cause|til|bout|round|cos|kay)\b", re.IGNORECASE)

_OPEN, _CLOSE, _EITHER = 1, 2, 3

_MAX_PARAGRAPHS = 12
"""A quote continued over more paragraphs than this is cut."""
_MAX_MARKS = 2000
"""A paragraph with more quotation marks than this is skipped."""
MAX_QUOTE_CHARS = 8000
"""Longer "quotes" come from stray marks; a long speech is cut into paragraphs."""

_TAG = re.compile(r"<[A-Za-z/!][^<>\n]{0,2000}>")


@dataclass(slots=True)
class Span:
    """A quoted stretch: ``open`` is the opening mark, ``close`` the closing one."""

    open: int
    close: int
    """Index of the closing mark, or where an unclosed quote stops."""
    closed: bool = True
    joined: bool = False
    """Part of a quote that runs on over more paragraphs than one quote may hold."""
    post: Attr | None = None
    """The attribution right after the closing mark, found by a later stage."""

    @property
    def start(self) -> int:
        return self.open + 1

    @property
    def end(self) -> int:
        return self.close


def find_spans(text: str, paragraphs: list[tuple[int, int]]) -> list[Span]:
    """The outermost quoted stretches of ``text``, in order."""
    scan = text
    if "<" in text and ">" in text:
        # markup left over from extraction: attribute values are not quotes
        scan = _TAG.sub(lambda m: "\x00" * len(m.group()), text)
    doubles = _scan_doubles(scan, paragraphs)
    singles = _scan_singles(scan, paragraphs, doubles) if _has_singles(text) else []
    if singles:
        # American style nests single quotes inside double ones, and a top-level
        # single quote is a headline's; British style is the other way round.
        inside = 0
        s_index = 0
        for d in doubles:
            while s_index < len(singles) and singles[s_index].close < d.open:
                s_index += 1
            if s_index < len(singles) and singles[s_index].open < d.open:
                inside += 1
        if len(singles) <= len(doubles) - inside:
            singles = []
    spans = sorted(doubles + singles, key=lambda s: s.open) if singles else doubles
    # a quote inside another quote belongs to it
    outer: list[Span] = []
    reach = -1
    for s in spans:
        if s.open < reach:
            continue
        outer.append(s)
        reach = s.close
    return outer


def _has_singles(text: str) -> bool:
    """Whether single marks may be primary quotes. Not when the text writes its
    double quotes as doubled apostrophes (''...''): its singles are nested."""
    if text.count("''") >= 2:
        return False
    return "\u2018" in text or " '" in text or "\n'" in text or text.startswith("'")


def _flanks(text: str, i: int) -> tuple[bool, bool]:
    """(can open, can close) for the mark at ``i``, from its neighbours."""
    prev = text[i - 1] if i > 0 else "\n"
    nxt = text[i + 1] if i + 1 < len(text) else "\n"
    prev_space = prev.isspace() or prev in _OPEN_BEFORE
    next_space = nxt.isspace() or nxt in _CLOSE_AFTER
    return (prev_space and not nxt.isspace(), not prev.isspace() and next_space)


def _double_kind(text: str, i: int) -> int:
    ch = text[i]
    can_open, can_close = _flanks(text, i)
    if ch == '"':
        if can_open and not can_close:
            return _OPEN
        if can_close and not can_open:
            return _CLOSE
        return _EITHER
    if ch in DOUBLE_OPEN:
        return _CLOSE if can_close and not can_open else _OPEN
    if i == 0 or text[i - 1] == "\n":
        return _OPEN  # a paragraph cannot open with a closing mark: a typo
    return _OPEN if can_open and not can_close else _CLOSE


def _style(ch: str) -> int:
    """Straight and curly marks pair only with their own kind."""
    return 0 if ch == '"' else 1


def _reopens(text: str, p_start: int, p_end: int, style: int) -> int:
    """Index of the mark that reopens a quote at the start of a paragraph, or -1."""
    i = p_start
    while i < p_end and text[i] in " \t\u00a0":
        i += 1
    if (
        i < p_end
        and text[i] in ANY_DOUBLE
        and _style(text[i]) == style
        and _double_kind(text, i) != _CLOSE
    ):
        return i
    return -1


def _scan_doubles(text: str, paragraphs: list[tuple[int, int]]) -> list[Span]:
    """Pair double quotation marks paragraph by paragraph.

    Straight and curly marks pair with their own kind, so a straight-quoted excerpt
    may hold curly quotes and the other way round; only the outermost quote is
    kept. A paragraph that ends inside a quote continues it when the next paragraph
    reopens with the same kind of mark (the multi-paragraph convention). Otherwise
    the quote was never closed: its complete inner quotes stand in for it, or,
    without any, it ends with its paragraph.
    """
    spans: list[Span] = []
    stack: list[tuple[int, int]] = []  # (style, index of the opening mark)
    inner: list[Span] = []  # complete quotes inside the open outer one
    carried = 0
    typo = -1  # a closing mark of the other kind that may close the outer quote
    n_paragraphs = len(paragraphs)

    def unclosed(end: int, cut: bool = False) -> None:
        """The outer quote is not closed by ``end``; ``cut``: it goes on, but too
        far to be one quote."""
        nonlocal typo
        if cut:
            spans.append(Span(stack[0][1], end, closed=False, joined=True))
        elif typo >= 0:
            # '"Oz has a huge bully pulpit,” said ...': mismatched marks
            spans.append(Span(stack[0][1], typo))
            spans.extend(s for s in inner if s.open > typo)
        elif inner:
            spans.extend(inner)
        else:
            spans.append(Span(stack[0][1], end, closed=False))
        stack.clear()
        inner.clear()
        typo = -1

    for p_index in range(n_paragraphs):
        p_start, p_end = paragraphs[p_index]
        if sum(text.count(ch, p_start, p_end) for ch in ANY_DOUBLE) > _MAX_MARKS:
            if stack:
                unclosed(paragraphs[p_index - 1][1])
            continue  # a wall of quotation marks is not prose
        skip = -1
        if stack:
            skip = _reopens(text, p_start, p_end, stack[0][0])
            carried += 1
            if skip < 0:
                unclosed(paragraphs[p_index - 1][1])
            elif carried > _MAX_PARAGRAPHS or p_end - stack[0][1] > MAX_QUOTE_CHARS:
                unclosed(paragraphs[p_index - 1][1], cut=True)
                skip = -1
            else:
                del stack[1:]
        for m in MARKS.finditer(text, p_start, p_end):
            i = m.start()
            ch = text[i]
            if i == skip or ch not in ANY_DOUBLE:
                continue
            kind = _double_kind(text, i)
            style = _style(ch)
            if kind != _OPEN:
                # close the innermost open quote of the same kind
                for depth in range(len(stack) - 1, -1, -1):
                    if stack[depth][0] == style:
                        break
                else:
                    depth = -1
                if depth >= 0:
                    open_at = stack[depth][1]
                    del stack[depth:]
                    if not stack:
                        spans.append(Span(open_at, i))
                        inner.clear()
                        carried = 0
                        typo = -1
                    elif len(stack) == 1:
                        inner.append(Span(open_at, i))
                    continue
                if kind == _CLOSE:
                    if len(stack) == 1:
                        typo = i
                    continue  # a stray closing mark
            if not stack:
                carried = 0
                typo = -1
            stack.append((style, i))
        if stack:
            nxt = paragraphs[p_index + 1] if p_index + 1 < n_paragraphs else None
            if typo >= 0 or nxt is None or _reopens(text, nxt[0], nxt[1], stack[0][0]) < 0:
                unclosed(p_end)
    if stack:
        unclosed(paragraphs[-1][1])
    return spans


def _scan_singles(text: str, paragraphs: list[tuple[int, int]], doubles: list[Span]) -> list[Span]:
    """Single quotation marks used as primary quotes, outside any double quote.

    An opening mark must start a word (not ``'90s`` or ``rock 'n' roll``); a closing
    mark must end one and may not sit between two letters (``company's``). A
    plural possessive (``players' union``) closes only when nothing better does.
    """
    spans: list[Span] = []
    starts = [d.open for d in doubles]
    for p_start, p_end in paragraphs:
        if sum(text.count(ch, p_start, p_end) for ch in "'\u2018\u2019") > _MAX_MARKS:
            continue
        openers: list[int] = []
        closers: list[tuple[int, bool]] = []
        for m in MARKS.finditer(text, p_start, p_end):
            i = m.start()
            ch = text[i]
            if ch not in "'\u2018\u2019":
                continue
            d_index = bisect.bisect_right(starts, i) - 1
            if d_index >= 0 and doubles[d_index].open < i <= doubles[d_index].close:
                continue
            if (i > 0 and text[i - 1] in "'’") or text[i + 1 : i + 2] in ("'", "’", "‘"):
                continue  # a doubled apostrophe ('') is not a quotation mark
            can_open, can_close = _flanks(text, i)
            nxt = text[i + 1] if i + 1 < len(text) else ""
            if ch != SINGLE_CLOSE and can_open and not can_close:
                if nxt.isalnum() and not _ELISION.match(text, i + 1):
                    openers.append(i)
            elif ch != SINGLE_OPEN and can_close and not can_open:
                prev = text[i - 1]
                if prev.isalpha() and nxt.isalpha():
                    continue
                weak = prev in "sS" and nxt == " " and text[i + 2 : i + 3].islower()
                closers.append((i, weak))
        if not openers or not closers:
            continue
        c_index = 0
        last_end = -1
        for o in openers:
            if o <= last_end:
                continue
            while c_index < len(closers) and closers[c_index][0] <= o:
                c_index += 1
            chosen = -1
            for j in range(c_index, len(closers)):
                if not closers[j][1]:
                    chosen = j
                    break
            if chosen < 0 and c_index < len(closers):
                chosen = c_index
            if chosen < 0:
                break
            close = closers[chosen][0]
            spans.append(Span(o, close))
            last_end = close
            c_index = chosen + 1
    return spans
