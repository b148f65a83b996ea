"""Stage 3: the attribution next to a quote, the cue before or after its marks.

After a closing mark: ``, X said`` / ``, said X`` / ``according to X`` / ``― X`` (a
signature line). Before an opening mark, in the same sentence: ``X said:``,
``Said X,``, ``according to X,``, ``X called it a``. Both read the masked text, so a
quoted word is never taken for a cue.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import TYPE_CHECKING

from tui.core.quotes.index import MASK
from tui.core.quotes.lexicon import (
    POST_ONLY,
    PRE_ONLY,
    PREPOSITIONS,
    is_abbreviation,
)
from tui.core.quotes.phrases import (
    LEADING_JUNK,
    clean,
    sentence_subject,
    subject_after,
    subject_before,
)
from tui.core.quotes.verbs import PARTICIPLE, speech_verbs

if TYPE_CHECKING:
    from tui.core.quotes.index import TextIndex
    from tui.core.quotes.marks import Span

_ACCORDING = re.compile(r"(?<![\w'’])[Aa]ccording to\s+")
_TAIL_OK = re.compile(
    r"^[\s,]*(?:(?:on|in|at|during|after|before|to|via|from|last|this|earlier|later|"
    r"Monday|Tuesday|Wednesday|Thursday|Friday|Saturday|Sunday|recently|"
    r"yesterday|today|tonight|then|again|afterward|reporters|the\s+crowd|"
    r"the\s+audience|[a-z]+ly|[A-Z][\w’'.-]*)\b[^.!?]*)?[.!?]?\s*$"
)
"""What may follow 'X said' after a quote that ended its sentence: when, where,
to whom; anything else makes it a new sentence about something else."""
BAD_GAP = re.compile(
    r"\b(?:that|but|because|while|if|when|whether|though|although|before|after|then|"
    r"so|yet|until|unless|adding|noting|saying)\b"
)
"""Words that start a clause of its own after an attribution ('she said, but')."""
_DASH_ATTR = re.compile(r"^\s*[\u2015\u2014\u2013-]+\s*([A-Z][^\n\u201c\u201d\"\ue000]{1,80}?)\s*$")
"""A signature line after a quote: '― Jane Doe, a reader'."""
_INVERTED_PRE = re.compile(
    r"^\s*(?:Said|Says|Added|Asked|Wrote|Tweeted|Recalled|Explained|Noted|Continued|"
    r"Replied|Declared|Warned|Quipped|Insisted|Argued)\s+(?P<who>[^:\u201c\"]+?)\s*[,:]?\s*$"
)
"""An inverted attribution before a quote: 'Said Smith: "..."'."""


@dataclass(slots=True)
class Attr:
    """An attribution found next to a quote."""

    speaker: str
    end: int = -1
    """Where the attribution clause ends in the text (-1 when not adjacent)."""


def sentence_cut(rest: str) -> int:
    """Where the first sentence of ``rest`` ends (periods in abbreviations and in
    parentheses do not count)."""
    depth = 0
    for i, ch in enumerate(rest):
        if ch == "(":
            depth += 1
        elif ch == ")":
            depth = max(0, depth - 1)
        elif depth:
            continue
        elif (
            ch in "!?;:\n"
            or ch == MASK
            or ch == "."
            and not is_abbreviation(rest, i)
            and not rest[i + 1 : i + 2].isalnum()  # fivethirtyeight.com
            or ch in '\u201c"'
            and i > 0
        ):
            return i
    return len(rest)


def attribution_after(after: str, ends_sentence: bool) -> Attr | None:
    """Attribution right after a closing mark: ', X said' / ', said X' / 'according
    to X' / '― X' (a signature line)."""
    dash = _DASH_ATTR.match(after)
    if dash:
        name = clean(dash.group(1))
        if name and len(name.split()) <= 8:
            return Attr(name, -1)
    stripped = after.lstrip(" ,\u2014\u2013-\u00a0")
    offset = len(after) - len(stripped)
    if not stripped or stripped[0] == MASK:
        return None
    if ends_sentence and not stripped[0].isupper() and after[:1] != " ":
        return None
    acc = _ACCORDING.match(stripped)
    if acc:
        rest = stripped[acc.end() :]
        cut = sentence_cut(rest)
        subject = subject_after(rest[:cut])
        if subject:
            return Attr(subject, offset + acc.end() + cut)
        return None
    m = next(speech_verbs(stripped, 0, min(len(stripped), 200)), None)
    if not m or m.group() in PRE_ONLY:
        return None
    head = stripped[: m.start()]
    if MASK in head or "\u201c" in head or '"' in head:
        return None
    if sentence_cut(head) < len(head):
        return None
    if head.strip(" ,\u00a0"):
        low_head = head.lstrip().lower()
        if LEADING_JUNK.match(low_head) and not low_head.startswith("as "):
            return None
        first = low_head.split()[0]
        if ends_sentence and first in PREPOSITIONS:
            return None  # '"..." To which she said': a new sentence, not this quote's
        subject = subject_before(head, strict=True)
        if not subject:
            return None
        rest = stripped[m.end() :]
        cut = sentence_cut(rest)
        if ends_sentence and stripped[0].isupper() and not _TAIL_OK.match(rest[:cut] + "."):
            return None
        return Attr(subject, offset + m.end() + cut)
    rest = stripped[m.end() :]
    cut = sentence_cut(rest)
    subject = subject_after(rest[:cut])
    if not subject:
        return None
    if ends_sentence and stripped[0].isupper():
        # '"...?" Asked Smith' is not a thing; a capital verb starts a new sentence
        return None
    return Attr(subject, offset + m.end() + cut)


def pre_attribution(before: str) -> str | None:
    """Attribution before an opening mark, in the same sentence."""
    cut = before.rfind(MASK)
    if cut >= 0:
        before = before[cut + 1 :].lstrip(".,?!\"”’' ")
    inverted = _INVERTED_PRE.match(before)
    if inverted:
        subject = subject_after(inverted.group("who"))
        if subject:
            return subject
    acc = None
    for acc in _ACCORDING.finditer(before):  # noqa: B007 - the last one
        pass
    if acc is not None:
        rest = before[acc.end() :]
        rest = rest[: sentence_cut(rest)]
        subject = subject_after(rest)
        if subject:
            return subject
    verb = None
    for m in speech_verbs(before):
        if m.group() not in POST_ONLY:
            verb = m
    if verb is None:
        stripped = before.rstrip()
        if stripped.endswith(":"):
            head = stripped[:-1]
            segment = head.rsplit(",", 1)[-1]
            subject = sentence_subject(segment) or sentence_subject(head)
            if subject:
                return subject
        return None
    head = before[: verb.start()]
    if PARTICIPLE.fullmatch(verb.group()) and head.rstrip().endswith(","):
        # ", saying" / ", tweeting": the subject of the main clause
        return sentence_subject(head)
    subject = subject_before(head)
    if subject:
        return subject
    if not LEADING_JUNK.sub("", head.strip(" ,\u2014\u2013-")).strip():
        return None
    # "... and called it a 'x'": the subject of the whole sentence
    return sentence_subject(head)


def post_attribution(index: TextIndex, s: Span) -> Attr | None:
    """The attribution right after the closed quote ``s``, with ``end`` as an
    offset into the text."""
    p_end = index.paragraph_at(s.close)[1]
    after = index.masked[s.close + 1 : min(p_end, s.close + 400)]
    ends_sentence = index.text[s.close - 1] in ".?!" if s.close > 0 else False
    attr = attribution_after(after, ends_sentence)
    if attr is not None and attr.end >= 0:
        attr.end += s.close + 1
    return attr
