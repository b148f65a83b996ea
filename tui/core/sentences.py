"""An English sentence splitter for news text: regular expressions and rules, no model data.

Sumy's own tokenizer needs NLTK's punkt data, which an offline machine does not have, so
Broadsheet splits sentences itself. The splitter works on whitespace-separated tokens: a
sentence can only end after a token whose last non-quote character is ``.``, ``!``, ``?``
or ``…``, and the rules below decide from that token and the next whether it does:

* a blank line (a paragraph break) always ends a sentence;
* ``!`` and ``?`` end a sentence unless a lower-case word follows (``"Stop!" she said``,
  ``Yahoo! in``) or a quotation is followed by its attribution (``"Why?" Smith asked``);
* a period after an ordinary word ends a sentence when an upper-case word or a number
  follows; closing quotes and brackets stay with the sentence they close;
* titles (``Mr.``, ``Dr.``, ``Gen.``, ``Sen.``, ``St. Louis``) never end a sentence;
  ``No.``, ``p.``, ``Vol.`` do not before a number;
* other abbreviations (``U.S.``, ``D.C.``, ``Inc.``, ``Co.``, ``Jan.``, ``etc.``, initials
  such as ``W.``) end a sentence only when the next word is one that starts sentences
  (``The``, ``He``, ``But``, ``In``...): ``the U.S. Government`` runs on, ``the U.S. How``
  does not;
* ``a.m.`` and ``p.m.`` end a sentence before a capitalised word unless a day, month or
  time zone follows or the time is a short opening phrase (``At 5 a.m. Mr. Smith``);
* decimals, e-mail addresses and URLs never contain a boundary (a boundary needs
  whitespace after the punctuation), except that ``word.Next`` glued by a careless page
  is split when the token is no address;
* ellipses: ``...`` or ``…`` before an upper-case word ends a sentence, spaced
  ``. . .`` does not unless a fourth period follows;
* numbered, lettered and bulleted lists inside one paragraph start a sentence per item;
* scripts without letter case: the full stops ``。``, ``।``, ``॥`` and ``۔`` and the
  full-width and Arabic ``！``, ``？``, ``؟`` end a sentence, also with no space after them
  (Chinese and Japanese put none); a period between two words of a caseless script
  (Persian, Arabic, Hindi) ends one too.

The whole text of a 1,000-word article splits in about a millisecond.
"""

from __future__ import annotations

import re
from collections.abc import Iterator

from tui.core.quotes.lexicon import (
    ATTRIBUTION_VERBS,
    MONTH_ABBREVIATIONS,
    STATE_ABBREVIATIONS,
    TITLE_ABBREVIATIONS,
)

__all__ = ["SentenceTokenizer", "sentence_spans", "split_sentences", "word_tokens"]

_PARAGRAPH_BREAK = re.compile(r"\n[^\S\n]*\n\s*")
_TOKEN = re.compile(r"\S+")
_WIDE_TERMINAL = "。！？।॥۔؟"
"""Sentence ends in scripts without letter case: no capital can confirm them."""
_TERMINAL = ".!?…" + _WIDE_TERMINAL
_CLOSERS = "\"'”’)]}»›“‘"  # a misplaced opening quote at a token's end closes too
_OPENERS = "\"'“‘([{«‹"
# A quick test for tokens that may end a sentence: terminal punctuation, then closers.
_MAY_END = re.compile(f"[{re.escape(_TERMINAL)}][{re.escape(_CLOSERS)}」』]*$")
# ``isolation.In 1987``: sentences glued together by a careless page.
_GLUED = re.compile(r"(?<=[a-z]{2}[.!?])[\"”’)]?(?=[A-Z][a-z])")
_WIDE_GLUED = re.compile(r"(?<=[。！？])(?=[^\s”’」』）。！？])")
"""Where Chinese and Japanese text runs one sentence into the next without a space; not
inside a quotation, which its attribution may follow (``「…。」と彼は言った``)."""
_ADDRESS = re.compile(r"@|://|www\.|\.(?:com|org|net|gov|edu|co|uk|io)\b", re.IGNORECASE)
_DOTTED = re.compile(r"^(?:[A-Za-z]\.)+[A-Za-z]$")
_INITIAL_TOKEN = re.compile(r"^[\"'“‘(]*[A-Z]\.$")
_NUMBER = re.compile(r"^\d{1,2}$")
_LIST_MARKER = re.compile(r"^[•⁃◦▪●·]?(\d{1,2}|[a-z])(?:\.\)|\)|\.)$")
_BULLETS = frozenset("•⁃◦▪●·")
_WORD_CHARS = re.compile(r"[^\W\d_]+")

# Titles written before a name: never the end of a sentence.
_TITLES = TITLE_ABBREVIATIONS
# Abbreviations that stand before a number: ``No. 10``, ``p. 55``.
_BEFORE_NUMBER = frozenset(
    "no nos nr p pp vol vols fig figs art arts sec ch para op n° tel ext".split()
)
# Abbreviations that may end a sentence, in any case.
_ABBREVIATIONS_ANY_CASE = (MONTH_ABBREVIATIONS - {"mar"}) | frozenset(
    """inc ltd co corp cos plc llc bros jr sr esq vs v etc al approx dept depts est univ assn
    ave blvd rd hwy govt intl natl mfg misc ph.d m.sc b.sc ed eds cf viz""".split()
)
# Abbreviations that are also common words, so only in their capitalised form.
_ABBREVIATIONS_CAPITALISED = STATE_ABBREVIATIONS | frozenset(
    "Mar Mon Tue Tues Wed Thu Thur Thurs Fri Sat Sun".split()
)
_NEVER_ENDS = frozenset({"e.g", "i.e", "cf", "viz"})
_TIMES = frozenset({"a.m", "p.m"})
# After a time: words that continue the time phrase rather than start a sentence.
_AFTER_TIME = frozenset(
    """monday tuesday wednesday thursday friday saturday sunday today tomorrow tonight
    yesterday january february march april may june july august september october november
    december jan feb mar apr jun jul aug sep sept oct nov dec et est edt pt pst pdt ct cst cdt
    mt mst mdt gmt utc bst cet cest eastern pacific central mountain local""".split()
)
# Opening words of a short fronted phrase: ``At 5 a.m. Mr. Smith went``.
_FRONTING = frozenset(
    "at by until till before after from around about since on shortly just early late in".split()
)
# Closed-class words that start sentences and rarely follow an abbreviation mid-sentence.
_STARTERS = frozenset(
    """the a an this that these those there here it its he she they we i you his her their our
    my your him them us but and or so yet nor for in on at by from with without to of into
    after before during since until while when where why how what who whom whose which
    whether if as although though because unless despite once meanwhile however also moreover
    instead still then now today yesterday tomorrow tonight later earlier last some many most
    all both each every no not none one such another other several few more much is are was
    were be been has have had do does did can could would should might must according among
    under over about against along across through within like unlike even only""".split()
)
_SPEECH_VERBS = ATTRIBUTION_VERBS


def sentence_spans(text: str) -> list[tuple[int, int]]:
    """Character spans ``(start, end)`` of the sentences of ``text``, in order.

    Each span starts at a sentence's first non-space character and ends after its last
    one (closing quotes and brackets included), so ``text[start:end]`` is the sentence.
    """
    spans: list[tuple[int, int]] = []
    for start, end in _paragraphs(text):
        spans.extend(_paragraph_spans(text, start, end))
    return spans


def split_sentences(text: str) -> list[str]:
    """The sentences of ``text`` as strings, in order."""
    return [text[start:end] for start, end in sentence_spans(text)]


_WORD = re.compile(r"[^\W\d_]+(?:['’\-][^\W\d_]+)*")


def word_tokens(sentence: str) -> list[str]:
    """The words of a sentence: letters with inner hyphens or apostrophes, no numbers.

    A possessive ``'s`` is dropped (``Trump's`` -> ``Trump``) so it counts as its noun.
    """
    words = []
    for match in _WORD.finditer(sentence):
        word = match.group()
        if word[-2:] in ("'s", "’s"):
            word = word[:-2]
        words.append(word)
    return words


class SentenceTokenizer:
    """Sumy's tokenizer interface (``to_sentences``, ``to_words``) without NLTK data."""

    language = "english"

    def to_sentences(self, paragraph: str) -> tuple[str, ...]:
        return tuple(split_sentences(paragraph))

    def to_words(self, sentence: str) -> tuple[str, ...]:
        return tuple(word_tokens(sentence))


def _paragraphs(text: str) -> Iterator[tuple[int, int]]:
    start = 0
    for match in _PARAGRAPH_BREAK.finditer(text):
        yield start, match.start()
        start = match.end()
    yield start, len(text)


def _tokens(text: str, start: int, end: int) -> tuple[list[str], list[int], list[int], set[int]]:
    """Tokens of ``text[start:end]`` with their offsets, and tokens glued to the next one."""
    words: list[str] = []
    starts: list[int] = []
    ends: list[int] = []
    glued: set[int] = set()
    for match in _TOKEN.finditer(text, start, end):
        word = match.group()
        offset = match.start()
        if "." in word or "!" in word or "?" in word:
            cuts = [
                m.end()
                for m in _GLUED.finditer(word)
                if word[: m.start() - 1].lstrip(_OPENERS) not in _TITLES
            ]
            if cuts and not _ADDRESS.search(word):
                last = 0
                for cut in cuts:
                    words.append(word[last:cut])
                    starts.append(offset + last)
                    ends.append(offset + cut)
                    glued.add(len(words) - 1)
                    last = cut
                word = word[last:]
                offset += last
        if "。" in word or "！" in word or "？" in word:
            last = 0
            for match in _WIDE_GLUED.finditer(word):
                words.append(word[last : match.end()])
                starts.append(offset + last)
                ends.append(offset + match.end())
                glued.add(len(words) - 1)
                last = match.end()
            word = word[last:]
            offset += last
        words.append(word)
        starts.append(offset)
        ends.append(offset + len(word))
    return words, starts, ends, glued


def _paragraph_spans(text: str, start: int, end: int) -> list[tuple[int, int]]:
    words, starts, ends, glued = _tokens(text, start, end)
    count = len(words)
    if not count:
        return []
    breaks: set[int] = set(glued)  # a sentence ends after these tokens
    markers = _list_markers(words)
    for index in markers:
        if index > 0:
            before = index - 2 if words[index - 1] in _BULLETS else index - 1
            if before >= 0:
                breaks.add(before)
    sentence_start = 0
    for index in range(count - 1):
        if index in breaks:
            sentence_start = index + 1
            continue
        word = words[index]
        if index in markers or not _MAY_END.search(word):
            continue
        if _ends_sentence(words, index, sentence_start):
            breaks.add(index)
            sentence_start = index + 1
    spans = []
    first = 0
    for index in sorted(breaks):
        if index >= count - 1:
            continue
        spans.append((starts[first], ends[index]))
        first = index + 1
    spans.append((starts[first], ends[count - 1]))
    return spans


def _list_markers(words: list[str]) -> set[int]:
    """Indices of list item markers (``1.``, ``2)``, ``a.``) that run in sequence from the
    paragraph's start; empty when the paragraph is no list."""
    first = 1 if words[0] in _BULLETS else 0
    if first >= len(words):
        return set()
    match = _LIST_MARKER.match(words[first])
    if not match:
        return set()
    style = words[first][len(words[first].lstrip("".join(_BULLETS))) :]
    style = style.lstrip("0123456789abcdefghijklmnopqrstuvwxyz")
    found = {first}
    expected = _next_value(match.group(1))
    for index in range(first + 1, len(words)):
        match = _LIST_MARKER.match(words[index])
        if match and match.group(1) == expected and words[index].endswith(style):
            found.add(index)
            expected = _next_value(expected)
    return found if len(found) >= 2 else set()


def _next_value(value: str) -> str:
    return str(int(value) + 1) if value.isdigit() else chr(ord(value) + 1)


def _first_char(word: str) -> str:
    stripped = word.lstrip(_OPENERS)
    return stripped[0] if stripped else ""


def _bare(word: str) -> str:
    """A token without surrounding quotes, brackets and punctuation, lower-cased."""
    match = _WORD_CHARS.search(word)
    return match.group().lower() if match else ""


def _ends_sentence(words: list[str], index: int, sentence_start: int) -> bool:
    token = words[index]
    core = token.rstrip(_CLOSERS)
    following = words[index + 1]
    first = _first_char(following)
    if not first:
        return False
    punctuation_start = len(core.rstrip(_TERMINAL))
    punctuation = core[punctuation_start:]
    stem = core[:punctuation_start].lstrip(_OPENERS)

    if any(mark in _WIDE_TERMINAL for mark in punctuation):
        return True
    if _caseless(first):
        # ``رفتم. بعد``: a period between two caseless words; ``U.S. 北京`` runs on.
        if "!" in punctuation or "?" in punctuation:
            return True
        return punctuation == "." and bool(stem) and _caseless(stem[-1])
    if first.islower():
        return False
    if "!" in punctuation or "?" in punctuation:
        return not _attribution_follows(token, words, index)

    if following[0] == ".":
        # ``compounds. . . . The practice``: the period ends the sentence and the spaced
        # ellipsis opens the next one, if any word comes after the dots.
        if token == "." or punctuation != "." or _is_abbreviation(stem, words, index):
            return False
        return any(word.strip("." + _CLOSERS) for word in words[index + 1 :])
    if token == ".":
        dots = 1
        while index - dots >= 0 and words[index - dots] == ".":
            dots += 1
        if index - dots >= 0 and words[index - dots].endswith("."):
            return False  # the ellipsis after a finished sentence belongs to the next one
        return dots >= 4 and first.isupper()
    if len(punctuation) > 1 or "…" in punctuation:
        if stem == "" and token.startswith("["):
            # ``[...]`` marks an omission; a citation in brackets may follow it.
            return first.isupper() and not following.startswith("(")
        return first.isupper()

    if not (first.isupper() or first.isdigit() or first in "$£€#"):
        return False
    if token != core and _attribution_follows(token, words, index):
        return False
    if not stem:
        return True
    if stem in _TITLES:
        # ``Main St. The`` after a capitalised street name is a sentence end.
        if stem == "St" and index > sentence_start and words[index - 1][:1].isupper():
            return _starts_sentence(following)
        return False
    lower = stem.lower()
    if lower in _BEFORE_NUMBER:
        return not first.isdigit()
    if lower in _NEVER_ENDS or stem in ("eg", "ie"):
        return False
    if lower in _TIMES:
        if first.isdigit() or _bare(following) in _AFTER_TIME:
            return False
        # ``At 5 a.m. Mr. Smith went``: a short opening phrase is no sentence.
        return not (index - sentence_start < 5 and _bare(words[sentence_start]) in _FRONTING)
    if _is_abbreviation(stem, words, index):
        if first.isdigit():
            return False
        return _starts_sentence(following)
    return True


def _caseless(char: str) -> bool:
    """A letter of a script without upper and lower case (Arabic, Devanagari, CJK...)."""
    return char.isalpha() and not char.isupper() and not char.islower()


def _is_abbreviation(stem: str, words: list[str], index: int) -> bool:
    if len(stem) == 1 and stem.isalpha():
        # An initial, unless it is the pronoun I after a lower-case word (``you and I.``).
        return not (stem == "I" and index > 0 and words[index - 1][:1].islower())
    return (
        stem.lower() in _ABBREVIATIONS_ANY_CASE
        or stem in _ABBREVIATIONS_CAPITALISED
        or _DOTTED.match(stem) is not None
    )


def _starts_sentence(word: str) -> bool:
    """Whether a capitalised word after an abbreviation is likely to open a sentence."""
    if _INITIAL_TOKEN.match(word):
        return False
    return _bare(word) in _STARTERS


def _attribution_follows(token: str, words: list[str], index: int) -> bool:
    """``"Why me?" Smith asked.``: a quotation followed by up to three capitalised words
    and a verb of speech is one sentence."""
    if not token.endswith(('"', "'", "”", "’")):
        return False
    for word in words[index + 1 : index + 5]:
        bare = _bare(word)
        if bare in _SPEECH_VERBS:
            return True
        if not word[:1].isupper():
            return False
        if word[-1] in _TERMINAL + ",;:" and not (
            word[:-1] in _TITLES or _INITIAL_TOKEN.match(word)
        ):
            return False
    return False
