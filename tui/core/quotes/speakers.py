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
from dataclasses import dataclass

from tui.core.quotes.attribution import pre_attribution
from tui.core.quotes.index import MASK, TextIndex
from tui.core.quotes.lexicon import (
    NOT_NAMES,
    NOT_PERSON_WORDS,
    OPENERS,
    PERSON_PRONOUNS,
    PRE_ONLY,
    PREPOSITIONS,
    PRONOUNS,
    ROLE_NOUNS,
    STOP_BACK,
    TITLE_WORDS,
    strip_possessive,
)
from tui.core.quotes.phrases import (
    LEADING_JUNK,
    NAME_RUN,
    TRAILING_AUX,
    sentence_subject,
    subject_before,
)
from tui.core.quotes.pieces import Group
from tui.core.quotes.verbs import speech_verbs

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


@dataclass(slots=True)
class _Mention:
    """A person named in the text."""

    at: int
    name: str
    """The full name, when the text gives one."""
    gender: str | None
    """From a courtesy title ("Mrs."), "m" or "f"."""
    match: re.Match[str]
    possessive: bool = False
    """'Clinton's campaign': not who a later "she" is."""
    provisional: bool = False
    """A lone surname with no full name: a person only if it speaks."""
    subject: bool | None = None
    """Whether it is its sentence's subject or a speaker; found when needed."""


class Speakers:
    """Finds the speakers of one text's quotations."""

    def __init__(self, index: TextIndex):
        self.index = index
        self._mentions: list[_Mention] | None = None
        self._mention_pos: list[int] = []
        self._by_surname: dict[str, tuple[list[int], list[str]]] = {}
        """Each surname's full names and where they stand, in text order."""
        self._roles: dict[str, set[str]] = {}
        self._described: list[tuple[str, re.Match[str], str]] = []
        """Named people whose role words are not read yet."""
        """Words that describe each person where the text names them ("senator")."""

    def attribute(self, groups: list[Group]) -> None:
        """Give each quote its speaker by the rules: an attribution in its sentence,
        or the context's (see ``fallback_speaker``), with pronouns and surnames
        resolved where they stand. ``Group.rule`` says which rule gave it."""
        prev: Group | None = None
        for g in groups:
            speaker, rule = self.find_speaker(g)
            if speaker is None:
                speaker, rule = self.fallback_speaker(g, prev)
            if speaker is not None and rule != "inherit":
                speaker = self.resolve(speaker, g.start)
            if speaker is not None and (MASK in speaker or not speaker.strip()):
                speaker, rule = None, "none"  # never show a speaker cut out of a quote
            g.speaker = speaker
            g.rule = rule
            prev = g

    def find_speaker(self, g: Group) -> tuple[str | None, str]:
        """An attribution in the quote's own sentence, and where it stands:
        "post" (after a piece), "pre" (before the quote), "after" (a verb later in
        the sentence), or "none"."""
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
                        return named, "pre"
                return s.post.speaker, "post"
        found = pre_attribution(before)
        if found:
            return found, "pre"
        if last.closed:
            end = index.sentence_end(last.close + 1)
            after = index.masked[last.close + 1 : end]
            m = next(speech_verbs(after), None)
            if m and MASK not in after[: m.start()] and m.group() not in PRE_ONLY:
                found = subject_before(after[: m.start()])
                if found:
                    return found, "after"
        return None, "none"

    def fallback_speaker(self, g: Group, prev: Group | None) -> tuple[str | None, str]:
        """No attribution in the sentence. A quote inside a sentence belongs to the
        sentence's subject ("Trump promised 'jobs, jobs, jobs'"): "subject". A quote
        that opens its sentence continues the previous quote's speaker in the same
        paragraph or from the paragraph before (the multi-paragraph convention):
        "inherit"; else belongs to the subject of the sentence before it:
        "before"."""
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
                    return subject, "subject"
            if prev_p == p_index and prev_speaker:
                return prev_speaker, "inherit"
            return None, "none"
        if prev_speaker and (prev_p == p_index or (prev_p == p_index - 1 and s_start == p_start)):
            return prev_speaker, "inherit"
        if s_start > p_start:
            sentence = index.masked[index.sentence_start(s_start - 1) : s_start]
        elif p_index > 0:
            q_end = index.paragraphs[p_index - 1][1]
            sentence = index.masked[index.sentence_start(q_end - 1) : q_end]
        else:
            return None, "none"
        if MASK in sentence:
            return None, "none"
        subject = sentence_subject(sentence, strict=True)
        return subject, "before" if subject else "none"

    # -- resolving pronouns and surnames

    def mentions(self) -> list[_Mention]:
        """People named in the text outside quotes. A surname alone counts once its
        full name is known; the first full name with a surname keeps it ("Trump"
        stays Donald when Melania Trump comes up later)."""
        if self._mentions is None:
            found: list[_Mention] = []
            by_surname: dict[str, str] = {}
            genders: dict[str, str | None] = {}
            masked = self.index.masked
            for m in NAME_RUN.finditer(masked):
                run = m.group()
                if run in NOT_NAMES:
                    continue  # "The", "In": most runs open a sentence
                name = _person_name(run)
                if not name:
                    continue
                gender = _gender(run) or _gender_said(masked, m.end())
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
                elif len(run.split()) == 1 and strip_possessive(run) == run:
                    # "Obama said": a surname we have no full name for, if it speaks
                    # (checked when a pronoun needs it)
                    found.append(_Mention(at, run, gender, m, provisional=True))
                    continue
                else:
                    continue
                # "Clinton's campaign": a possessive is not who "she" is
                possessive = strip_possessive(run) != run
                found.append(_Mention(at, full, gender or genders.get(full), m, possessive))
                if len(full.split()) >= 2:
                    self._described.append((full, m, name))
            for f in found:
                # "Ruiz said she ..." later tells who an earlier "he" is not
                f.gender = f.gender or genders.get(f.name)
            self._mentions = found
            self._mention_pos = [f.at for f in found]
            for f in found:
                parts = f.name.split()
                if len(parts) >= 2:
                    where, names = self._by_surname.setdefault(parts[-1], ([], []))
                    where.append(f.at)
                    names.append(f.name)
        return self._mentions

    def _subject(self, mention: _Mention) -> bool:
        """Whether the mention is the subject of its sentence or a speaker (found once)."""
        if mention.subject is None:
            mention.subject = self._is_subject(mention.match)
        return mention.subject

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
                mention = mentions[j]
                at, name, gender = mention.at, mention.name, mention.gender
                if pos - at > _PRONOUN_REACH:
                    break
                if gender and gender != want:
                    continue
                if mention.possessive:
                    continue
                if mention.provisional and not self._is_subject(mention.match, speaking=True):
                    continue
                subject = self._subject(mention)
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
        role = _role_of(speaker)
        if role:
            # "the senator": the nearest person before that the text describes so
            full = self._fitting(role, speaker, pos)
            if full:
                return f"{full}, {speaker[0].lower()}{speaker[1:]}"
            return speaker
        words = speaker.split()
        core = [w for w in words if w.lower() not in TITLE_WORDS]
        if len(core) == 1 and len(words) <= 2 and core[0][:1].isupper():
            full = self.full_name(strip_possessive(core[0]), pos)
            if full:
                return full
        return speaker

    def _fitting(self, role: str, speaker: str, pos: int) -> str | None:
        """The full name of the person named last before ``pos`` whom the text
        describes with ``role`` (or its abbreviation), and with the description's
        capitalised words if any do ("the Florida senator")."""
        mentions = self.mentions()
        if self._described:
            # what the text calls each person, read once a role needs it
            for full, m, name in self._described:
                self._roles.setdefault(full, set()).update(_role_words(self.index.masked, m, name))
            self._described.clear()
        want = _ROLE_FORMS.get(role, {role})
        marks = {w.lower() for w in speaker.split()[1:-1] if w[:1].isupper()}
        idx = bisect.bisect_left(self._mention_pos, pos)
        fallback = None
        for j in range(idx - 1, -1, -1):
            name = mentions[j].name
            words = self._roles.get(name, set())
            if want & words:
                if marks <= words:
                    return name
                fallback = fallback or name
        return fallback

    def _pronoun_subject(self, sentence: int, pronoun: str) -> bool:
        """Whether sentence number ``sentence`` opens with ``pronoun``."""
        start = self.index.sentence_number_start(sentence)
        head = LEADING_JUNK.sub("", self.index.masked[start : start + 40].lstrip(' \n"“”')).lower()
        return head.startswith(pronoun + " ")

    def full_name(self, surname: str, pos: int) -> str | None:
        """The latest full name before ``pos`` that ends with ``surname``."""
        self.mentions()
        found = self._by_surname.get(surname)
        if not found:
            return None
        i = bisect.bisect_left(found[0], pos)
        return found[1][i - 1] if i > 0 else None


def _gender(run: str) -> str | None:
    if _MALE.search(run):
        return "m"
    if _FEMALE.search(run):
        return "f"
    return None


_SAID_PRONOUN = re.compile(
    r"[^.;:!?\n\ue000]{0,60}?\b(?:said|says|told\s+\w+|added|insisted|argued|warned|"
    r"explained|noted|wrote|tweeted)\s+(?:that\s+)?(he|she)\b"
)
"""'Ana Ruiz, the mayor, said she would ...': the pronoun gives the speaker's gender."""


def _gender_said(masked: str, end: int) -> str | None:
    """The gender a name's own clause gives it ('X said she'), or None."""
    m = _SAID_PRONOUN.match(masked, end)
    if m is None:
        return None
    return "m" if m.group(1) == "he" else "f"


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
    if any(t.lower() in PREPOSITIONS or t.lower() in STOP_BACK for t in tokens[1:]):
        return None  # a headline in title case: "Railing Against Trump"
    return " ".join(tokens)


_ROLE_FORMS = {
    "senator": {"senator", "sen"},
    "representative": {"representative", "rep", "congressman", "congresswoman"},
    "congressman": {"congressman", "rep", "representative"},
    "congresswoman": {"congresswoman", "rep", "representative"},
    "governor": {"governor", "gov"},
    "president": {"president", "pres"},
    "secretary": {"secretary", "sec"},
    "general": {"general", "gen"},
    "attorney": {"attorney", "atty"},
    "ambassador": {"ambassador", "amb"},
    "professor": {"professor", "prof"},
    "lawmaker": {
        "lawmaker",
        "senator",
        "sen",
        "rep",
        "representative",
        "congressman",
        "congresswoman",
        "legislator",
    },
}
"""A role and the words (titles, abbreviations) that name it where a person is
introduced."""
_PERSON_ROLES = set(_ROLE_FORMS) | set(
    """businessman businesswoman billionaire mogul front-runner frontrunner nominee
    candidate host anchor pastor mayor judge justice chairman chairwoman spokesman
    spokeswoman minister chancellor director ceo founder commissioner sheriff prosecutor
    premier""".split()
)
"""Nouns for a person that "the" + noun may stand for ("the senator said")."""
_DEFINITE = {"the", "this", "that"}
_APPOSITIVE_AFTER = re.compile(
    r",\s+((?:the|a|an|his|her|their|its)\s+[^,.;:()\n\ue000]{1,60}?)\s*(?=[,.;)])"
)
"""A short appositive after a name: ', the Florida senator,'."""
_TITLE_CHAIN = TITLE_WORDS | ROLE_NOUNS | {"of", "state", "former", "then", "the"}
"""Words of a title written before a name ("former secretary of state")."""


def _role_of(speaker: str) -> str | None:
    """The role noun of a definite description of a person ("the Vermont
    senator" -> "senator"), or None."""
    words = speaker.split()
    if not 2 <= len(words) <= 6 or words[0].lower() not in _DEFINITE:
        return None
    head = words[-1].lower()
    if head not in _PERSON_ROLES or any(w.lower() in PRONOUNS for w in words[1:]):
        return None
    if any(strip_possessive(w) != w for w in words):
        return None  # "the former vice president's spokeswoman" is someone else
    return head


def _role_words(masked: str, m: re.Match[str], name: str) -> set[str]:
    """Words that describe the person named in run ``m``: titles before the name
    ("Sen."), the few words before the run ("former secretary of state") and an
    appositive after it (", the Florida senator,")."""
    run = m.group()
    tokens = run.split()
    first = name.split()[0]
    head = tokens[: tokens.index(first)] if first in tokens else []
    # a title written in lower case right before the run: "former secretary of state"
    before: list[str] = []
    for word in reversed(masked[max(0, m.start() - 60) : m.start()].split()[-5:]):
        if word not in (_TITLE_CHAIN if before else TITLE_WORDS | ROLE_NOUNS):
            break  # "the governor of New Jersey" does not describe New Jersey
        before.append(word)
    words = [w.lower().rstrip(".") for w in head + before]
    after = _APPOSITIVE_AFTER.match(masked, m.end())
    if after:
        words += [w.lower() for w in after.group(1).split()]
    return set(words)
