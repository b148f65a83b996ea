"""The sentences a summary may choose: run-on cuts, and no headline, byline or boilerplate.

Every method chooses among the same units. Each is a sentence of
:mod:`tui.core.sentences` with its character span in the text, except that:

* a sentence the page ran into the one before it with no full stop between them (a photo
  caption glued to the story: "...with a towel on her face An 86-year-old nun was...") is
  cut in two;
* a dateline is left out of the first sentence ("WASHINGTON (AP) — ", "LONDON, England
  (CNN) -- "), and the span starts after it;
* bylines, timestamps and page furniture ("By Jane Doe", "PUBLISHED: 10:32 EST",
  "Scroll down for video", "Click here to...", "All rights reserved") are never units;
* the headline is never a unit: a short first line without closing punctuation, as plain
  text files and some pages begin, is taken as the headline, and any sentence that repeats
  the headline (given or found) is dropped, since the reader already shows it.
"""

from __future__ import annotations

import bisect
import re
from dataclasses import dataclass

from tui.core.sentences import sentence_spans

from .terms import stop_words, terms

_PARAGRAPH_BREAK = re.compile(r"\n[^\S\n]*\n")


@dataclass(frozen=True, slots=True)
class Unit:
    """One sentence of the article that a summary may use."""

    text: str
    paragraph: int
    start: int
    end: int


@dataclass(frozen=True, slots=True)
class Units:
    """An article's candidate sentences, and its headline if the text began with one."""

    units: list[Unit]
    headline: str | None


def article_units(
    text: str, title: str | None = None, spans: list[tuple[int, int]] | None = None
) -> Units:
    """The sentences a summary of ``text`` may choose from, in article order.

    ``spans`` are the sentences' spans if another splitter made them (the training script
    splits lower-cased, tokenised text its own way); by default, :func:`sentence_spans`."""
    headline = _leading_headline(text)
    body_start = 0
    if headline is not None:
        body_start = text.index(headline) + len(headline)
    title = title or headline
    title_terms = set(terms(title)) if title else set()
    found: list[Unit] = []
    breaks = [match.end() for match in _PARAGRAPH_BREAK.finditer(text)]
    paragraph = 0
    for start, end in sentence_spans(text) if spans is None else spans:
        if end <= body_start:
            continue
        while paragraph < len(breaks) and breaks[paragraph] <= start:
            paragraph += 1
        for piece_start, piece_end in _run_on_breaks(text[start:end]):
            unit_start, unit_end = start + piece_start, start + piece_end
            if not found:
                unit_start += _dateline_length(text[unit_start:unit_end])
            unit_start += _furniture_prefix_length(text[unit_start:unit_end])
            sentence = text[unit_start:unit_end]
            if not sentence or _is_furniture(sentence, len(found)):
                continue
            if title_terms and _repeats(sentence, title_terms):
                continue
            found.append(Unit(sentence, paragraph, unit_start, unit_end))
    return Units(found, headline)


def summary_sentences(text: str, title: str | None = None) -> list[str]:
    """The sentences of ``text`` that the summary methods choose from, in order."""
    return [unit.text for unit in article_units(text, title).units]


# --- headline -------------------------------------------------------------------------

_HEADLINE_MAX_WORDS = 20
_SENTENCE_END = tuple(".!?:;…\"”’')")


def _leading_headline(text: str) -> str | None:
    """The first line, if it reads as a headline: alone in its paragraph, at most
    :data:`_HEADLINE_MAX_WORDS` words, no closing punctuation, and more text after it."""
    stripped = text.lstrip()
    first, separator, rest = stripped.partition("\n")
    first = first.strip()
    if not separator or not first or not rest.strip():
        return None
    if not rest.lstrip(" \t").startswith("\n"):  # the next line continues the paragraph
        return None
    if len(first.split()) > _HEADLINE_MAX_WORDS or first.endswith(_SENTENCE_END):
        return None
    return first


def _repeats(sentence: str, title_terms: set[str]) -> bool:
    """True when nearly every content word of ``sentence`` is in the headline."""
    words = set(terms(sentence))
    return bool(words) and len(words & title_terms) >= 0.8 * len(words)


# --- datelines, bylines and page furniture --------------------------------------------

_DASH = r"(?:--|—|–)"
# "LONDON, England (CNN) -- ", "(CNN)", "WASHINGTON (AP) — ": a place of a few words, then
# a news service in brackets.
_SERVICE_DATELINE = re.compile(
    r"(?:[^\W\d_][\w.'’&-]*(?:(?:\s*,\s*|\s+(?:-\s+)?)[^\W\d_][\w.'’&-]*){0,6}\s*,?\s*)?"
    r"\(\s*([^()\n]{1,30}?)\s*\)\s*(?:" + _DASH + r"\s*)?"
)
_SERVICES = re.compile(
    r"(?i)^(?:cnn(?: student news| money)?|ap|the associated press|reuters|afp|upi|ians|pti"
    r"|bloomberg|dpa|ansa|efe|xinhua|[a-z0-9-]+(?:\.[a-z0-9-]+)*\.(?:com|org|net|co\.uk))$"
)
# "KELDMOUTH — ", "NEW YORK, N.Y. — ": a place in capitals, then a dash.
_CAPITAL_DATELINE = re.compile(r"[A-Z][A-Z.'’-]+(?:[ ,]+[A-Z][\w.'’-]*){0,4}\s*" + _DASH + r"\s*")
_ENDS_WITH_DASH = re.compile(_DASH + r"\s*$")
_DATELINE_MAX_WORDS = 12


def _dateline_length(sentence: str) -> int:
    """The length of the dateline at the start of the article's first sentence, or 0."""
    match = _SERVICE_DATELINE.match(sentence)
    if match and (_SERVICES.match(match.group(1)) or _ENDS_WITH_DASH.search(match.group())):
        length = match.end()
    else:
        match = _CAPITAL_DATELINE.match(sentence)
        length = match.end() if match else 0
    if not length or len(sentence[:length].split()) > _DATELINE_MAX_WORDS:
        return 0
    if not sentence[length:].strip():  # nothing after it: not a dateline
        return 0
    return length


_FURNITURE_MAX_WORDS = 20
_FURNITURE = re.compile(
    r"(?i)^[\W_]*(?:scroll down|click here|e-?mail to a friend|all rights reserved|copyright\b|©"
    r"|follow\s+@|read more\b|share this\b|sign up\b|subscribe\b|watch (?:the )?video\b"
    r"|see the full article|\(?\s*end video)"
)
# "By Jane Doe", "By JANE DOE and Tom Roe, Staff Writers"; "by ." in tokenised text.
_BYLINE_WORD = r"(?:[A-Z][\w.'’-]*|and|of|the)"
_BYLINE = re.compile(
    r"^(?:By\s+" + _BYLINE_WORD + r"(?:[\s,]+" + _BYLINE_WORD + r"){0,7}[\s.,]*|by\s*\.?)$"
)
_TIMESTAMP = re.compile(r"(?i)^[|.\s]*(?:published|updated|last updated)\b\s*(?::|at|on)")
_FURNITURE_PREFIX = re.compile(r"(?i)^scroll down for (?:video|more)\s+(?=\S)")


def _is_furniture(sentence: str, index: int) -> bool:
    """Bylines, timestamps and page furniture: never part of a summary."""
    if len(sentence.split()) > _FURNITURE_MAX_WORDS:
        return False
    if _FURNITURE.match(sentence) or _TIMESTAMP.match(sentence):
        return True
    return index < 3 and bool(_BYLINE.match(sentence.strip()))


def _furniture_prefix_length(sentence: str) -> int:
    match = _FURNITURE_PREFIX.match(sentence)
    return match.end() if match else 0


# --- run-on sentences -----------------------------------------------------------------

# A sentence that the page ran into the one before it, with no punctuation between them,
# typically a photo caption followed by the story's next sentence ("...with a towel on
# her face An 86-year-old nun was..."): a lower-case word, a number or a closing bracket,
# then a capitalised word that opens sentences and a lower-case word or a number.
_RUN_ON = re.compile(
    r"(?<=[a-z0-9)])\s+(?=(?:The|An|He|She|It|They|We|His|Her|Their|Its|This|These|Those"
    r"|There|But|Now)\s+[a-z0-9])"
)
_WORD_TOKEN = re.compile(r"\S+")
# Words after which a capitalised "The ..." is a name, not a new sentence.
_BEFORE_NAMES = frozenset(
    "said says told tells called named titled dubbed reads read wrote writes".split()
)
_RUN_ON_MIN_WORDS = 4
"""Neither side of a cut may be shorter than this, in words."""


def _run_on_breaks(sentence: str) -> list[tuple[int, int]]:
    """Spans of the pieces of ``sentence``: itself, unless it runs two sentences together.

    The word before a cut must be a closing bracket, a number or a lower-case word that is
    no stop word ("in The", "of The" run on) nor a verb that may name something ("told
    The"), and each piece must have at least :data:`_RUN_ON_MIN_WORDS` words."""
    # Words are located once; a text with no full stops is one long "sentence", and
    # rescanning it for every candidate cut took minutes on 300 KB.
    words = [match.span() for match in _WORD_TOKEN.finditer(sentence)]
    starts = [span[0] for span in words]
    spans = []
    start = 0
    first = 0  # index of the current piece's first word
    stops = stop_words()
    for match in _RUN_ON.finditer(sentence):
        before = bisect.bisect_left(starts, match.start()) - 1  # the word before the cut
        after = bisect.bisect_left(starts, match.end())  # the first word after it
        if before < first:
            continue
        word = sentence[slice(*words[before])]
        if word[-1] not in ")0123456789" and (
            not word.isalpha() or not word.islower() or word in stops or word in _BEFORE_NAMES
        ):
            continue
        if before + 1 - first < _RUN_ON_MIN_WORDS or len(words) - after < _RUN_ON_MIN_WORDS:
            continue
        spans.append((start, match.start()))
        start, first = match.end(), after
    spans.append((start, len(sentence)))
    return spans
