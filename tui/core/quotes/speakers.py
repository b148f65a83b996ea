"""Stage 5: each quotation's speaker, and the people the text names.

The speaker is the source as the article writes it at the attribution, with title
and role. A bare surname is resolved to the full name mentioned before; ``he`` and
``she`` to the person the latest sentence naming someone is about (its subject or
speaker, skipping names whose courtesy title says otherwise); a pronoun with nobody
to stand for stays as written. Without an attribution in its sentence, a quote
takes the subject of its sentence, or continues the previous quote's speaker in its
paragraph or the paragraph before, or takes the subject of the sentence before it.
"""

from __future__ import annotations

import bisect
import re

from tui.core.quotes.attribution import pre_attribution
from tui.core.quotes.index import MASK, TextIndex
from tui.core.quotes.lexicon import (
    NOT_NAMES,
    NOT_PERSON_WORDS,
    OPENERS,
    PERSON_PRONOUNS,
    PRE_ONLY,
    PRONOUNS,
    TITLE_WORDS,
    strip_possessive,
)
from tui.core.quotes.phrases import (
    LEADING_JUNK,
    NAME_RUN,
    TRAILING_AUX,
    sentence_subject,
    speech_verbs,
    subject_before,
)
from tui.core.quotes.pieces import Group

_SPEECH_BEFORE = re.compile(
    r"\b(?:said|says|added|asked|wrote|according to|told|tweeted|explained|noted|"
    r"argued|recalled|continued|replied|insisted|warned)\s+(?:the\s+)?$"
)
_PRONOUN_REACH = 2500
"""How far back (characters) a pronoun looks for the person it stands for."""
_CONTRACTION = re.compile(r"[’'](?:s|d|ll|ve|re)$")
_PRONOUN_AT = re.compile(r"\b(?:he|she|He|She)\b")
_MALE = re.compile(r"\b(?:Mr|Sir|Lord|King|Prince|Father|Rev)\b\.?")
_FEMALE = re.compile(r"\b(?:Mrs|Ms|Miss|Lady|Dame|Queen|Princess|Sister)\b\.?")

Mention = tuple[int, str, "str | None", "bool | None"]
"""(position, full name, gender from a courtesy title, whether the mention is a
subject or a speaker; None for a possessive)."""


class Speakers:
    """Finds the speakers of one text's quotations."""

    def __init__(self, index: TextIndex):
        self.index = index
        self._mentions: list[Mention] | None = None
        self._mention_pos: list[int] = []

    def attribute(self, groups: list[Group]) -> None:
        """Give each quote its speaker: an attribution in its sentence, or the
        context's (see ``fallback_speaker``), with pronouns and surnames resolved
        where they stand."""
        prev: Group | None = None
        for g in groups:
            speaker = self.find_speaker(g)
            if speaker is None:
                speaker, inherited = self.fallback_speaker(g, prev)
            else:
                inherited = False
            if speaker is not None and not inherited:
                speaker = self.resolve(speaker, g.start)
            if speaker is not None and (MASK in speaker or not speaker.strip()):
                speaker = None  # never show a speaker cut out of a quote
            g.speaker = speaker
            prev = g

    def find_speaker(self, g: Group) -> str | None:
        """An attribution in the quote's own sentence."""
        index = self.index
        first, last = g.spans[0], g.spans[-1]
        s_start = index.sentence_start(first.open)
        before = index.masked[s_start : first.open]
        for s in g.spans:
            if s.post is not None:
                if s.post.speaker.lower() in PRONOUNS:
                    # 'X scolded him: "...," she said': X is the better name
                    named = pre_attribution(before)
                    if named and named.lower() not in PRONOUNS:
                        return named
                return s.post.speaker
        found = pre_attribution(before)
        if found:
            return found
        if last.closed:
            end = index.sentence_end(last.close + 1)
            after = index.masked[last.close + 1 : end]
            m = next(speech_verbs(after), None)
            if m and MASK not in after[: m.start()] and m.group() not in PRE_ONLY:
                found = subject_before(after[: m.start()])
                if found:
                    return found
        return None

    def fallback_speaker(self, g: Group, prev: Group | None) -> tuple[str | None, bool]:
        """No attribution in the sentence. A quote inside a sentence belongs to the
        sentence's subject ("Trump promised 'jobs, jobs, jobs'"). A quote that opens
        its sentence continues the previous quote's speaker in the same paragraph or
        from the paragraph before (the multi-paragraph convention), else belongs to
        the subject of the sentence before it. Returns (speaker, inherited)."""
        index = self.index
        first = g.spans[0]
        p_index = index.paragraph_of(first.open)
        p_start = index.paragraphs[p_index][0]
        s_start = index.sentence_start(first.open)
        before = index.masked[s_start : first.open]
        prev_speaker = prev.speaker if prev is not None else None
        prev_p = index.paragraph_of(prev.end) if prev is not None else -2
        if before.strip(" \u00a0\t"):
            # after an earlier quote in the sentence, only what follows it counts
            tail = before[before.rfind(MASK) + 1 :].lstrip(".,;:?!\"”’' \u00a0")
            if tail.strip():
                subject = sentence_subject(tail, strict=True)
                if subject:
                    return subject, False
            if prev_p == p_index and prev_speaker:
                return prev_speaker, True
            return None, False
        if prev_speaker and (prev_p == p_index or (prev_p == p_index - 1 and s_start == p_start)):
            return prev_speaker, True
        if s_start > p_start:
            sentence = index.masked[index.sentence_start(s_start - 1) : s_start]
        elif p_index > 0:
            q_end = index.paragraphs[p_index - 1][1]
            sentence = index.masked[index.sentence_start(q_end - 1) : q_end]
        else:
            return None, False
        if MASK in sentence:
            return None, False
        return sentence_subject(sentence, strict=True), False

    # -- resolving pronouns and surnames

    def mentions(self) -> list[Mention]:
        """People named in the text outside quotes. A surname alone counts once its
        full name is known; the first full name with a surname keeps it ("Trump"
        stays Donald when Melania Trump comes up later)."""
        if self._mentions is None:
            found: list[Mention] = []
            by_surname: dict[str, str] = {}
            genders: dict[str, str | None] = {}
            for m in NAME_RUN.finditer(self.index.masked):
                run = m.group()
                name = _person_name(run)
                if not name:
                    continue
                gender = _gender(run)
                at = m.start() + run.find(name.split()[0])
                parts = name.split()
                if len(parts) >= 2:
                    by_surname.setdefault(parts[-1], name)
                    if gender or name not in genders:
                        genders[name] = gender
                    full = name
                elif parts[0] in by_surname:
                    full = by_surname[parts[0]]
                    if gender and not genders.get(full):
                        genders[full] = gender
                elif _titled(run, parts[0]):
                    full = _titled_name(run, parts[0])
                    genders.setdefault(full, gender)
                elif (
                    len(run.split()) == 1
                    and strip_possessive(run) == run
                    and self._is_subject(m, speaking=True)
                ):
                    full = run  # "Obama said": a surname we have no full name for
                else:
                    continue
                # "Clinton's campaign": a possessive is not who "she" is
                subject = None if strip_possessive(run) != run else self._is_subject(m)
                found.append((at, full, gender or genders.get(full), subject))
            self._mentions = found
            self._mention_pos = [f[0] for f in found]
        return self._mentions

    def _is_subject(self, m: re.Match[str], speaking: bool = False) -> bool:
        """A name that opens its sentence or speaks: the likely antecedent of a
        later "he" or "she". ``speaking``: only the subject of a speech verb."""
        masked = self.index.masked
        start, end = m.start(), m.end()
        if _SPEECH_BEFORE.search(masked, max(0, start - 30), start):
            # "..., said Ryan Ellis." but not "Matthews said Pence's performance"
            follow = masked[end : end + 2].lstrip(" ")
            if strip_possessive(m.group()) == m.group() and (not follow or follow[0] in ",.;:("):
                return True
        nxt = masked[end : end + 160]
        verb = next(speech_verbs(nxt), None)
        if verb is not None:
            between = nxt[: verb.start()].strip()
            between = TRAILING_AUX.sub("", " " + between).strip()
            if not between or between.startswith(("(", ",")) and between.endswith((")", ",")):
                return True
        if speaking:
            return False
        prefix = masked[self.index.sentence_start(start) : start].strip()
        prefix = LEADING_JUNK.sub("", prefix).strip()
        if not prefix:
            return True
        return prefix.endswith(",") and prefix.split()[0] in NOT_NAMES | OPENERS

    def resolve(self, speaker: str, pos: int) -> str:
        """``speaker`` as written at ``pos`` with a pronoun or a surname resolved."""
        index = self.index
        low = _CONTRACTION.sub("", speaker.lower())
        if low in PERSON_PRONOUNS:
            want = "m" if low == "he" else "f"
            mentions = self.mentions()
            # the pronoun itself may come before the quote: "when he said ..."
            s_start = index.sentence_start(pos)
            for m in _PRONOUN_AT.finditer(index.masked, s_start, pos):
                if m.group().lower() == low:
                    pos = m.start()
            idx = bisect.bisect_left(self._mention_pos, pos)
            # the latest sentence that names someone; in it, its subject
            sentence = -1
            best = None
            for j in range(idx - 1, max(-1, idx - 40), -1):
                at, name, gender, subject = mentions[j]
                if pos - at > _PRONOUN_REACH:
                    break
                if gender and gender != want:
                    continue
                if subject is None:
                    continue
                here = index.sentence_number(at)
                if here != sentence and self._pronoun_subject(here, low):
                    continue  # "She says Trump ...": she is still the one before
                if sentence >= 0 and here != sentence:
                    break
                sentence = here
                if subject:
                    return name
                if best is None:
                    best = name
            return best or speaker
        if low in PRONOUNS or "," in speaker:
            return speaker
        words = speaker.split()
        core = [w for w in words if w.lower() not in TITLE_WORDS]
        if len(core) == 1 and len(words) <= 2 and core[0][:1].isupper():
            full = self._full_name(strip_possessive(core[0]), pos)
            if full:
                return full
        return speaker

    def _pronoun_subject(self, sentence: int, pronoun: str) -> bool:
        """Whether sentence number ``sentence`` opens with ``pronoun``."""
        start = self.index.sentence_number_start(sentence)
        head = LEADING_JUNK.sub("", self.index.masked[start : start + 40].lstrip(' \n"“”')).lower()
        return head.startswith(pronoun + " ")

    def _full_name(self, surname: str, pos: int) -> str | None:
        mentions = self.mentions()
        idx = bisect.bisect_left(self._mention_pos, pos)
        for j in range(idx - 1, -1, -1):
            parts = mentions[j][1].split()
            if len(parts) >= 2 and parts[-1] == surname:
                return mentions[j][1]
        return None


def _gender(run: str) -> str | None:
    if _MALE.search(run):
        return "m"
    if _FEMALE.search(run):
        return "f"
    return None


def _titled_name(run: str, surname: str) -> str:
    tokens = run.split()
    i = tokens.index(surname) if surname in tokens else len(tokens) - 1
    return " ".join(tokens[max(0, i - 1) : i + 1])


def _titled(run: str, surname: str) -> bool:
    """'Mr. Clarke', 'Sen. Warren': a surname after a title is a person."""
    tokens = run.split()
    try:
        i = tokens.index(surname)
    except ValueError:
        return False
    return i > 0 and tokens[i - 1].lower() in TITLE_WORDS


def _person_name(run: str) -> str | None:
    """The person's name in a capitalised run, titles dropped; None if not a name."""
    tokens = run.split()
    while tokens and strip_possessive(tokens[0]).rstrip(".") in NOT_NAMES:
        tokens = tokens[1:]
    last_title = -1
    for i, tok in enumerate(tokens):
        if tok.lower() in TITLE_WORDS or (tok.isupper() and len(tok) > 1 and "." not in tok):
            last_title = i
        elif i < len(tokens) - 1 and strip_possessive(tok) != tok:
            last_title = i  # "NBC's Dante Chinni"
    tokens = tokens[last_title + 1 :]
    cleaned = [strip_possessive(t).rstrip(".,") for t in tokens]
    tokens = [t for t in cleaned if t]
    if not tokens or len(tokens) > 4:
        return None
    if tokens[0] in NOT_NAMES or any(t in NOT_PERSON_WORDS for t in tokens):
        return None
    return " ".join(tokens)
