"""Who else might have said it: candidate speakers around a quotation, with features.

The rules in ``speakers`` give one answer per quote. This module lists the other
people, organisations and documents the text offers near the quote, each with what
a reader would weigh: how far it stands, whether it is the subject of a speech verb
and which side of the quote it is on, whether it is a name, a role or a pronoun.
``ranker`` scores them with weights learned on PolNeAR train.
"""

from __future__ import annotations

import math
import re
from collections import Counter
from dataclasses import dataclass, field

from tui.core.quotes.attribution import sentence_cut
from tui.core.quotes.index import MASK, TextIndex
from tui.core.quotes.lexicon import (
    DETERMINERS,
    NOT_NAMES,
    NOT_PERSON_WORDS,
    PERSON_PRONOUNS,
    PRE_ONLY,
    PREPOSITIONS,
    PRONOUNS,
    ROLE_NOUNS,
    TITLE_WORDS,
    is_abbreviation,
    strip_possessive,
)
from tui.core.quotes.phrases import NAME_RUN, subject_after, subject_before
from tui.core.quotes.pieces import Group
from tui.core.quotes.speakers import Speakers
from tui.core.quotes.verbs import speech_verbs

_WORDS = re.compile(r"\w+")
_ACCORDING = re.compile(r"(?<![\w'’])[Aa]ccording to\s+")
_STOP = {"the", "a", "an", "of", "s"}
_NOT_VERBS = DETERMINERS | {"and", "or", "but", "nor", "that", "who", "which", "as", "than"}
_CLAUSE = re.compile(r"\b(?:was|were|is|are|has|had|have|been|would|will|did|does)\b")
_RELATIVE = re.compile(r"\b(?:who|whom|whose|which|that)\b")

RULES = ("post", "pre", "after", "subject", "inherit", "before")
"""The rule kinds ``Speakers`` reports (see ``Group.rule``), "none" aside."""

FEATURES = (
    "from_rule",
    *(f"rule_{r}" for r in RULES),
    "from_verb",
    "verb_after_quote",
    "verb_before_quote",
    "verb_inverted",
    "from_name",
    "from_prev",
    "agrees_rule",
    "agrees_prev",
    "same_sentence",
    "sentence_before",
    "sentence_after",
    "same_paragraph",
    "paragraph_before",
    "before",
    "between",
    "after",
    "distance",
    "adjacent",
    "quote_opens_paragraph",
    "full_name",
    "one_name",
    "pronoun",
    "pronoun_resolved",
    "role",
    "organisation",
    "titled",
    "long",
    "mentions",
    "named_in_quote",
    "possessive",
    "after_preposition",
    "after_verb",
    "opens_sentence",
    "verb_same_sentence",
    "verb_adjacent",
    "name_same_sentence",
    "nearest_before",
    "nearest_after",
)


@dataclass(slots=True)
class Candidate:
    """One possible speaker of a quote."""

    display: str
    """How the speaker is shown: as written, a surname or pronoun resolved."""
    pos: int
    """Where the mention stands in the text."""
    features: dict[str, float] = field(default_factory=dict)

    def key(self) -> str:
        """Candidates that name the same head word are one candidate."""
        words = [w for w in _WORDS.findall(self.display.lower()) if w not in _STOP]
        return words[-1] if words else ""


def candidates(
    index: TextIndex,
    speakers: Speakers,
    groups: list[Group],
    skip: frozenset[str] = frozenset(),
) -> list[list[Candidate]]:
    """Candidate speakers for each quote of ``groups`` (after ``Speakers.attribute``);
    none for quotes whose rule (``Group.rule``) is in ``skip``."""
    out = []
    prev: Group | None = None
    near = _Mentions(index, speakers)
    for g in groups:
        out.append([] if g.rule in skip else _for_group(index, near, g, prev))
        prev = g
    return out


@dataclass(slots=True)
class _Mention:
    """Someone a paragraph names or makes speak, found once per text."""

    display: str
    pos: int
    features: dict[str, float]
    verb_at: int = -1
    """Where its speech verb stands (-1: a name, not a verb's subject)."""
    pre_only: bool = False
    """Its verb only introduces quotes ("called") and never follows one."""


class _Mentions:
    """The mentions of each paragraph, found on first use."""

    def __init__(self, index: TextIndex, speakers: Speakers):
        self.index = index
        self.speakers = speakers
        self.counts = Counter(_WORDS.findall(index.masked.lower()))
        self.lower = index.masked.lower()
        self._by_paragraph: dict[int, list[_Mention]] = {}

    def of(self, p_index: int) -> list[_Mention]:
        found = self._by_paragraph.get(p_index)
        if found is None:
            found = self._by_paragraph[p_index] = self._find(p_index)
        return found

    def _find(self, p_index: int) -> list[_Mention]:
        index, speakers = self.index, self.speakers
        masked = index.masked
        p_start, p_end = index.paragraphs[p_index]
        out: list[_Mention] = []
        # subjects of speech verbs, before and after them, sentence by sentence
        for s_start, s_end in index.sentences(p_start, p_end):
            sentence = masked[s_start:s_end]
            for m in speech_verbs(sentence):
                verb_at = s_start + m.start()
                head = sentence[: m.start()]
                head = head[head.rfind(MASK) + 1 :].lstrip(".,;:?!\"”’' \u00a0")
                subject = subject_before(head)
                if subject:
                    source = {"from_verb": 1.0}
                    at = sentence.rfind(subject, 0, m.start())
                    at = s_start + at if at >= 0 else verb_at
                    display = _resolve(speakers, subject, verb_at, source)
                    out.append(_Mention(display, at, source, verb_at, m.group() in PRE_ONLY))
                if not head.strip() or head.rstrip().endswith(","):
                    rest = sentence[m.end() :]
                    subject = subject_after(rest[: sentence_cut(rest)])
                    if subject:
                        source = {"from_verb": 1.0, "verb_inverted": 1.0}
                        at = sentence.find(subject, m.end())
                        at = s_start + at if at >= 0 else verb_at
                        display = _resolve(speakers, subject, verb_at, source)
                        out.append(_Mention(display, at, source, verb_at))
            for m in _ACCORDING.finditer(sentence):
                rest = sentence[m.end() :]
                subject = subject_after(rest[: sentence_cut(rest)])
                if subject:
                    at = s_start + m.start()
                    source = {"from_verb": 1.0}
                    out.append(_Mention(_resolve(speakers, subject, at, source), at, source, at))
        # people and organisations named
        for m in NAME_RUN.finditer(masked, p_start, p_end):
            run = m.group()
            tokens = [strip_possessive(t).rstrip(",") for t in run.split()]
            if (
                tokens
                and tokens[-1].endswith(".")
                and not is_abbreviation(tokens[-1], len(tokens[-1]) - 1)
            ):
                tokens[-1] = tokens[-1][:-1]  # the sentence's period, not "Jr."
            while tokens and tokens[0].rstrip(".") in NOT_NAMES:
                tokens = tokens[1:]
            if not tokens:
                continue
            name = " ".join(tokens)
            if len(tokens) == 1 and tokens[0][:1].isupper():
                name = speakers.full_name(tokens[0], m.start()) or name
            source = {"from_name": 1.0}
            if strip_possessive(run) != run:
                source["possessive"] = 1.0
            before = masked[max(0, m.start() - 12) : m.start()].split()
            if before and before[-1].lower() in PREPOSITIONS:
                source["after_preposition"] = 1.0
            elif (
                before
                and before[-1].isalpha()
                and before[-1].islower()
                and (before[-1] not in _NOT_VERBS)
            ):
                source["after_verb"] = 1.0  # "compared Trump to": an object
            if index.opens_sentence(m.start()):
                source["opens_sentence"] = 1.0
            out.append(_Mention(name, m.start(), source))
        return out


def _for_group(index: TextIndex, near: _Mentions, g: Group, prev: Group | None) -> list[Candidate]:
    found: dict[str, Candidate] = {}
    p_index = index.paragraph_of(g.start)

    def add(display: str | None, pos: int, source: dict[str, float]) -> None:
        if not display or MASK in display:
            return
        if _CLAUSE.search(display) and not _RELATIVE.search(display):
            return  # a clause taken for a noun phrase, not someone to show
        display = display.strip()
        cand = Candidate(display, pos)
        key = cand.key()
        if not key:
            return
        old = found.get(key)
        if old is None:
            cand.features = dict(source)
            found[key] = cand
            return
        for name, value in source.items():
            old.features[name] = max(old.features.get(name, 0.0), value)
        # keep the nearer mention's position and the fuller way of writing it
        if pos >= 0 and (old.pos < 0 or abs(pos - g.start) < abs(old.pos - g.start)):
            old.pos = pos
        if len(display) > len(old.display) and not old.features.get("from_rule"):
            old.display = display

    # the rules' answer and the previous quote's speaker stand where the mentions
    # below that name them stand (-1 until one does)
    if g.speaker:
        add(g.speaker, -1, {"from_rule": 1.0, f"rule_{g.rule}": 1.0})
    if prev is not None and prev.speaker and index.paragraph_of(prev.end) >= p_index - 1:
        add(prev.speaker, -1, {"from_prev": 1.0})
    # the mentions of the quote's paragraph and the one before
    for p in (p_index - 1, p_index) if p_index > 0 else (p_index,):
        for mention in near.of(p):
            source = mention.features
            if mention.verb_at >= 0:
                if mention.pre_only and mention.verb_at > g.start:
                    continue  # "called" comes before what it introduces
                side = "verb_after_quote" if mention.verb_at > g.start else "verb_before_quote"
                source = {**source, side: 1.0}
            add(mention.display, mention.pos, source)

    result = list(found.values())
    quoted = {w.lower() for s in g.spans for w in _WORDS.findall(index.text, s.start, s.end)}
    for cand in result:
        if cand.pos < 0:
            cand.pos = _locate(near.lower, cand.key(), g)
        _describe(index, g, prev, cand, near.counts, quoted)
    # the nearest candidates on either side of the quote, in its paragraph
    for side, feature in (("before", "nearest_before"), ("after", "nearest_after")):
        close = [c for c in result if c.features.get(side) and c.features["same_paragraph"]]
        if close:
            best = min(close, key=lambda c: c.features["distance"])
            best.features[feature] = 1.0
    return result


def _locate(lower: str, key: str, g: Group) -> int:
    """The nearest place before the quote's end where ``key`` is written outside
    quotes (``lower``: the masked text in lower case); the quote's start if none."""
    at = lower.rfind(key, 0, g.end)
    return at if at >= 0 else g.start


def _resolve(speakers: Speakers, subject: str, pos: int, source: dict[str, float]) -> str:
    """``subject`` with a pronoun or surname resolved; notes a resolved pronoun."""
    resolved = speakers.resolve(subject, pos)
    if subject.lower() in PERSON_PRONOUNS and resolved != subject:
        source["pronoun_resolved"] = 1.0
    return resolved


def _describe(
    index: TextIndex,
    g: Group,
    prev: Group | None,
    cand: Candidate,
    counts: Counter[str],
    quoted: set[str],
) -> None:
    """Fill in the features that depend on where the candidate stands."""
    f = cand.features
    text = index.text
    pos = cand.pos
    key = cand.key()
    first, last = g.spans[0], g.spans[-1]
    q_sentences = {index.sentence_number(s.open) for s in g.spans}
    q_sentences |= {index.sentence_number(max(s.start, s.close - 1)) for s in g.spans}
    here = index.sentence_number(pos)
    f["same_sentence"] = float(here in q_sentences)
    f["sentence_before"] = float(here == min(q_sentences) - 1)
    f["sentence_after"] = float(here == max(q_sentences) + 1)
    p_here, p_quote = index.paragraph_of(pos), index.paragraph_of(g.start)
    f["same_paragraph"] = float(p_here == p_quote)
    f["paragraph_before"] = float(p_here < p_quote)
    if pos < first.open:
        f["before"] = 1.0
        gap = first.open - pos
    elif pos > last.close:
        f["after"] = 1.0
        gap = pos - last.close
    else:
        f["between"] = 1.0
        gap = 0
    f["distance"] = math.log1p(gap) / 8
    f["adjacent"] = float(gap < 30 and f["same_sentence"] > 0)
    p_start = index.paragraph_at(g.start)[0]
    f["quote_opens_paragraph"] = float(not text[p_start : first.open].strip())
    words = cand.display.split()
    low = cand.display.lower()
    caps = [w for w in words if w[:1].isupper()]
    f["pronoun"] = float(low in PRONOUNS)
    f["full_name"] = float(len(caps) >= 2 and not any(w in NOT_PERSON_WORDS for w in caps))
    f["one_name"] = float(len(words) == 1 and words[0][:1].isupper())
    f["role"] = float(any(w.lower().strip(",") in ROLE_NOUNS for w in words) and not caps)
    f["organisation"] = float(
        any(strip_possessive(w).strip(",.") in NOT_PERSON_WORDS for w in words)
    )
    f["titled"] = float(any(w.lower() in TITLE_WORDS for w in words[:-1]))
    f["long"] = float(len(words) > 6)
    f["mentions"] = math.log1p(counts.get(key, 0)) / 3
    f["named_in_quote"] = float(key in quoted)
    rule_words = {w.lower() for w in _WORDS.findall(g.speaker or "")}
    f["agrees_rule"] = float(key in rule_words)
    prev_words = {w.lower() for w in _WORDS.findall(prev.speaker or "")} if prev else set()
    f["agrees_prev"] = float(key in prev_words)
    verb = f.get("from_verb", 0.0)
    f["verb_same_sentence"] = verb * f["same_sentence"]
    f["verb_adjacent"] = verb * f["adjacent"]
    f["name_same_sentence"] = f.get("from_name", 0.0) * (1 - verb) * f["same_sentence"]


def vector(cand: Candidate) -> list[float]:
    """The candidate's features in ``FEATURES`` order."""
    f = cand.features
    return [f.get(name, 0.0) for name in FEATURES]
