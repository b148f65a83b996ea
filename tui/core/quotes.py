"""Direct quotations and their speakers, as character spans of the clean text.

``find_quotes(text)`` takes clean article text (paragraphs separated by line breaks,
usually blank lines) and returns the direct quotations in reading order.

Span convention
    A quote's ``start``/``end`` cover the quoted words *without* the outer quotation
    marks, so ``text[q.start:q.end] == q.text`` reads as spoken (``we have options,
    it depends on what they do.``). Two cases make one quote out of several quoted
    stretches, and then the span runs from the first quoted word to the last, with
    whatever lies between inside it:

    - a quotation broken by its attribution in the same paragraph:
      ``"A," she said. "B."`` gives ``A," she said. "B.``;
    - a quotation that runs over paragraphs (a paragraph opens a quote without
      closing it and the next paragraph reopens it).

Speaker convention
    The speaker is the source as the article writes it at the attribution, with
    title and role (``NATO Secretary General Mark Rutte``, ``Rep. John Mica
    (R-Fla.)``, ``Ryan Ellis, a Republican tax consultant``): that is what a reader
    needs, and what PolNeAR's source spans hold. A bare surname is resolved to the
    full name mentioned before (``Rutte`` -> ``Mark Rutte``); ``he``/``she`` to the
    person the latest sentence naming someone is about (its subject or speaker,
    skipping names whose courtesy title says otherwise); a pronoun with nobody to
    stand for stays as written. Without an attribution in its sentence, a quote
    takes the subject of its sentence ("Trump promised 'jobs, jobs, jobs'"), or
    continues the previous quote's speaker in its paragraph or the paragraph before,
    or takes the subject of the sentence before it. ``None`` when nothing fits.

What is left out
    Scare quotes and titles: quoted stretches of one or two words are dropped unless
    they are framed as a quotation (``called it a "significant escalation"``) or are
    a question or an exclamation (``"What curfew?"``) or the first piece of a longer
    quotation (``"Yes," she said, "we agreed to it."``). "Call" frames a short quote
    only with its object: ``what he called a "breach"`` is the writer's hedge. Short
    title-case stretches are names of works where the text names a work (``on CBS's
    "Face the Nation"``, ``an episode of "X"``) and coined phrases, kept, elsewhere
    (``hailed him as "The Comeback Kid"``). A straight mark left open in a text that
    quotes with curly marks opens an excerpt, not a quotation. Single marks are
    primary quotes only where the text uses them so (more top-level single than
    double quotes, the British way); otherwise they are nested quotes or apostrophes.
    Doubled apostrophes (``''...''``, an archive convention) are not quotation
    marks. These choices, like joining a quotation's pieces, were measured on the
    PolNeAR dev set (``scripts/eval_quotes.py``).

Everything is regular expressions compiled once and linear scans: a 1,000-word
article takes one or two milliseconds, and hostile input (unbalanced quotes, a
megabyte of quotation marks) returns quickly and cannot produce a quote longer than
a few paragraphs.
"""

from __future__ import annotations

import bisect
import re
from collections.abc import Iterator
from dataclasses import dataclass, field

from tui.core.models import Quote

__all__ = ["find_quotes"]

# --------------------------------------------------------------------------- marks

_DOUBLE_OPEN = "\u201c\u201e\u201f\u00ab"  # “ „ ‟ «
_DOUBLE_CLOSE = "\u201d\u00bb"  # ” »
_SINGLE_OPEN = "\u2018"  # ‘
_SINGLE_CLOSE = "\u2019"  # ’
_MARKS = re.compile("[\"'\u201c\u201d\u201e\u201f\u00ab\u00bb\u2018\u2019]")
_ANY_DOUBLE = '"' + _DOUBLE_OPEN + _DOUBLE_CLOSE
_OPEN_BEFORE = "([{\u2014\u2013\u2015-/" + _DOUBLE_OPEN + _SINGLE_OPEN + "\"'"
_CLOSE_AFTER = ".,;:!?)]}\u2026\u2014\u2013\u2015-/" + _DOUBLE_CLOSE + _SINGLE_CLOSE + "\"'*"
# Elisions that start with an apostrophe: 'n', '90s, 'em, 'tis, 'cause...
_ELISION = re.compile(r"(?:\d\ds?|n|em|tis|twas|cause|til|bout|round|cos|kay)\b", re.IGNORECASE)

_OPEN, _CLOSE, _EITHER = 1, 2, 3

_MAX_PARAGRAPHS = 12
"""A quote continued over more paragraphs than this is cut."""
_MAX_MARKS = 2000
"""A paragraph with more quotation marks than this is skipped."""
_MAX_QUOTE_CHARS = 8000
"""Longer "quotes" come from stray marks; a long speech is cut into paragraphs."""
_MAX_UNCLOSED_CHARS = 2500
"""A quote that is never closed is kept only if its paragraph ends it soon."""
_MAX_GAP_WORDS = 60
"""Pieces of a quotation are joined only across an attribution this short."""
_GAP_RATIO = 1.5
"""... and no longer than this many times the quoted words: past that, one quote
covering them would be mostly narrative."""
_MASK = "\ue000"
"""Stands in for quoted words in the masked copy of the text."""

_WORD = re.compile(r"\w+")
_TAG = re.compile(r"<[A-Za-z/!][^<>\n]{0,2000}>")
_PARAGRAPH = re.compile(r"[^\n]+")


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
    if ch in _DOUBLE_OPEN:
        return _CLOSE if can_close and not can_open else _OPEN
    if i == 0 or text[i - 1] == "\n":
        return _OPEN  # a paragraph cannot open with a closing mark: a typo
    return _OPEN if can_open and not can_close else _CLOSE


@dataclass(slots=True)
class _Attr:
    """An attribution found next to a quote."""

    speaker: str
    end: int = -1
    """Where the attribution clause ends in the text (-1 when not adjacent)."""


@dataclass(slots=True)
class _Span:
    """A quoted stretch: ``open`` is the opening mark, ``close`` the closing one."""

    open: int
    close: int
    """Index of the closing mark, or where an unclosed quote stops."""
    closed: bool = True
    joined: bool = False
    """Part of a quote that runs on over more paragraphs than one quote may hold."""
    post: _Attr | None = None

    @property
    def start(self) -> int:
        return self.open + 1

    @property
    def end(self) -> int:
        return self.close


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
        and text[i] in _ANY_DOUBLE
        and _style(text[i]) == style
        and _double_kind(text, i) != _CLOSE
    ):
        return i
    return -1


def _scan_doubles(text: str, paragraphs: list[tuple[int, int]]) -> list[_Span]:
    """Pair double quotation marks paragraph by paragraph.

    Straight and curly marks pair with their own kind, so a straight-quoted excerpt
    may hold curly quotes and the other way round; only the outermost quote is
    kept. A paragraph that ends inside a quote continues it when the next paragraph
    reopens with the same kind of mark (the multi-paragraph convention). Otherwise
    the quote was never closed: its complete inner quotes stand in for it, or,
    without any, it ends with its paragraph.
    """
    spans: list[_Span] = []
    stack: list[tuple[int, int]] = []  # (style, index of the opening mark)
    inner: list[_Span] = []  # complete quotes inside the open outer one
    carried = 0
    typo = -1  # a closing mark of the other kind that may close the outer quote
    n_paragraphs = len(paragraphs)

    def unclosed(end: int, cut: bool = False) -> None:
        """The outer quote is not closed by ``end``; ``cut``: it goes on, but too
        far to be one quote."""
        nonlocal typo
        if cut:
            spans.append(_Span(stack[0][1], end, closed=False, joined=True))
        elif typo >= 0:
            # '"Oz has a huge bully pulpit,” said ...': mismatched marks
            spans.append(_Span(stack[0][1], typo))
            spans.extend(s for s in inner if s.open > typo)
        elif inner:
            spans.extend(inner)
        else:
            spans.append(_Span(stack[0][1], end, closed=False))
        stack.clear()
        inner.clear()
        typo = -1

    for p_index in range(n_paragraphs):
        p_start, p_end = paragraphs[p_index]
        if sum(text.count(ch, p_start, p_end) for ch in _ANY_DOUBLE) > _MAX_MARKS:
            if stack:
                unclosed(paragraphs[p_index - 1][1])
            continue  # a wall of quotation marks is not prose
        skip = -1
        if stack:
            skip = _reopens(text, p_start, p_end, stack[0][0])
            carried += 1
            if skip < 0:
                unclosed(paragraphs[p_index - 1][1])
            elif carried > _MAX_PARAGRAPHS or p_end - stack[0][1] > _MAX_QUOTE_CHARS:
                unclosed(paragraphs[p_index - 1][1], cut=True)
                skip = -1
            else:
                del stack[1:]
        for m in _MARKS.finditer(text, p_start, p_end):
            i = m.start()
            ch = text[i]
            if i == skip or ch not in _ANY_DOUBLE:
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
                        spans.append(_Span(open_at, i))
                        inner.clear()
                        carried = 0
                        typo = -1
                    elif len(stack) == 1:
                        inner.append(_Span(open_at, i))
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


def _scan_singles(
    text: str, paragraphs: list[tuple[int, int]], doubles: list[_Span]
) -> list[_Span]:
    """Single quotation marks used as primary quotes, outside any double quote.

    An opening mark must start a word (not ``'90s`` or ``rock 'n' roll``); a closing
    mark must end one and may not sit between two letters (``company's``). A
    plural possessive (``players' union``) closes only when nothing better does.
    """
    spans: list[_Span] = []
    starts = [d.open for d in doubles]
    for p_start, p_end in paragraphs:
        if sum(text.count(ch, p_start, p_end) for ch in "'\u2018\u2019") > _MAX_MARKS:
            continue
        openers: list[int] = []
        closers: list[tuple[int, bool]] = []
        for m in _MARKS.finditer(text, p_start, p_end):
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
            if ch != _SINGLE_CLOSE and can_open and not can_close:
                if nxt.isalnum() and not _ELISION.match(text, i + 1):
                    openers.append(i)
            elif ch != _SINGLE_OPEN and can_close and not can_open:
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
            spans.append(_Span(o, close))
            last_end = close
            c_index = chosen + 1
    return spans


# ------------------------------------------------------------------- vocabulary

_SPEECH_VERBS = set(
    """
    say says said saying tell tells told telling add adds added adding stated
    explain explains explained explaining notes noted noting argue argues argued
    arguing ask asks asked asking insist insists insisted insisting warn warns warned
    warning declares declared declaring write writes wrote writing tweets tweeted
    tweeting continued reply replies replied recall recalls recalled recalling
    acknowledge acknowledges acknowledged claim claims claimed claiming responded
    responds answered remarked commented observed quipped joked shouted yelled chanted
    chanting screamed cried exclaimed announced admit admits admitted admitting concede
    concedes conceded confirmed denies denied suggest suggests suggested predict
    predicts predicted promised vowed pledged boasted complained lamented contend
    contends contended maintain maintains maintained assert asserts asserted testified
    emphasized emphasised stressed mused wondered whispered urged demanded countered
    concluded agreed reminded cautioned opined retorted texted emailed describe
    describes described describing call calls called calling dubbed labeled labelled
    termed branded muttered sings sang singing proclaimed scolded recounted reported
    reports
    reads read wrote posted blasted slammed mocked accused thanked charged
    """.split()
)
_PRE_ONLY = {"call", "calls", "called", "calling", "dubbed", "labeled", "labelled"}
_PRE_ONLY |= {"termed", "branded", "describe", "describes", "described", "describing"}
_PRE_ONLY |= {"blasted", "slammed", "mocked", "accused", "thanked", "charged", "posted"}
_POST_ONLY = {"read", "reads"}
_AMBIGUOUS_S = {"notes", "tweets", "claims", "calls", "reads", "sings", "answers", "reports"}
"""Plural nouns as often as verbs: a verb only after a name or a pronoun."""
_TAKES_TO = {"continued", "promised", "vowed", "pledged", "agreed", "demanded", "urged"}
_TAKES_TO |= {"said", "claimed", "reported", "asked", "call", "calls", "called", "calling"}
"""Verbs that mean something else before "to"/"for"/"on" + a lowercase word."""
_TO_OBJECT = {"said", "claimed", "reported"}
"""... except these, which only change sense before "to be"."""


def _trie_pattern(words: set[str]) -> str:
    """One regular expression for a set of words, factored by prefix so that the
    engine does not try every alternative at every position."""
    trie: dict = {}
    for word in words:
        node = trie
        for ch in word:
            node = node.setdefault(ch, {})
        node[""] = {}

    def build(node: dict) -> str:
        ends = "" in node
        branches = [re.escape(ch) + build(child) for ch, child in sorted(node.items()) if ch]
        if not branches:
            return ""
        body = branches[0] if len(branches) == 1 else "(?:" + "|".join(branches) + ")"
        return f"(?:{body})?" if ends else body

    return build(trie)


_VERB_FIRST = "".join(sorted({w[0] for w in _SPEECH_VERBS}))
_VERB = re.compile(rf"(?<![\w'’-])(?=[{_VERB_FIRST}]){_trie_pattern(_SPEECH_VERBS)}(?![\w'’-])")
_DETERMINER_BEFORE = re.compile(
    r"(?:\b(?:a|an|the|his|her|their|its|our|my|your|this|these|those|whose|no|any|"
    r"every|each|some|such|of|for|to)|['’]s|s['’])\s+$",
    re.IGNORECASE,
)
_DET_NOUN_BEFORE = re.compile(
    r"\b(?:[Tt]he|[Aa]n?|[Tt]his|[Hh]is|[Hh]er|[Ii]ts|[Tt]heir)\s+[a-z][\w-]*\s+$"
)
"""A determiner and a common noun: "the letter" in '..., the letter reads.'"""
_WORD_BEFORE = re.compile(r"(\S+)\s+$")
_TO_VERB = re.compile(r"\s+(?:to|for|on|off|up)\s+(?=[a-z])")
_PARTICIPLES = re.compile(r"\w+ing")


def _verbs(text: str, lo: int = 0, hi: int | None = None) -> Iterator[re.Match[str]]:
    """Speech verbs in ``text[lo:hi]``, leaving out nouns ("a call", "his remarks")
    and verbs in other senses ("continued to", "called for", "is said to be")."""
    hi = len(text) if hi is None else hi
    for m in _VERB.finditer(text, lo, hi):
        before = text[max(0, m.start() - 40) : m.start()]
        if _DETERMINER_BEFORE.search(before):
            continue
        word = m.group()
        if word in _AMBIGUOUS_S:
            prev = _WORD_BEFORE.search(before)
            after_name = prev is not None and (
                prev.group(1)[:1].isupper() or prev.group(1).lower() in _PRONOUNS
            )
            # "the letter reads." ends a clause as a verb; "the phone calls were" is a noun
            after_noun = (
                bool(_DET_NOUN_BEFORE.search(before)) and text[m.end() : m.end() + 1] in ".,;"
            )
            if not (after_name or after_noun):
                continue
        if word in _TAKES_TO:
            to = _TO_VERB.match(text, m.end())
            if to and (word not in _TO_OBJECT or text.startswith("be ", to.end())):
                continue
        yield m


_ACCORDING = re.compile(r"(?<![\w'’])[Aa]ccording to\s+")

_PRONOUNS = {"he", "she", "they", "i", "we", "it", "you", "him", "her", "them"}
_PERSON_PRONOUNS = {"he", "she"}
_SUBJECT_PRONOUNS = {"he", "she", "they", "i", "we", "it", "you"}
_DETERMINERS = {"the", "a", "an", "one", "another", "two", "three", "some", "many", "his"}
_DETERMINERS |= {"her", "their", "its", "our", "my", "several", "both", "other", "most"}

_TITLE_WORDS = set(
    """
    president vice secretary general minister prime foreign chancellor chairman
    chairwoman chair chief senator sen sen. rep rep. representative gov gov. governor
    mayor judge justice attorney director spokesman spokeswoman spokesperson leader
    speaker majority minority mr mr. mrs mrs. ms ms. dr dr. prof prof. professor rev
    rev. del del. gen gen. col col. lt lt. sgt sgt. adm adm. capt capt. officer
    commissioner ambassador deputy assistant press host pope king queen prince
    princess sir lord lady dame rabbi father bishop archbishop cardinal sheriff
    detective inspector coach editor executive ceo founder senior nominee candidate
    congressman congresswoman councilman councilwoman state former
    democratic republican democrat gop party campaign manager adviser advisor
    strategist economist analyst sec. sec maj maj. cmdr cmdr. supt supt. insp insp.
    pres pres. amb amb. mp mep envoy treasurer chairperson commander marshal
    superintendent first widow reverend
    """.split()
)

_NAME_TOKEN = (
    r"(?:[A-Z][\w’'.-]*|(?<![\w’'-])(?:de|van|von|der|bin|al|la|le|da|di|du|del|dos)"
    r"(?=\s+[A-Z]))"
)
_NAME_RUN = re.compile(rf"{_NAME_TOKEN}(?:(?<![a-z]{{3}}\.)[ \u00a0]+{_NAME_TOKEN})*")

_NOT_NAMES = set(
    """
    The A An In On At After Before During Over When While As Since Later Earlier But And
    Or So Yet Still Then Meanwhile However Instead Also Asked Speaking Last This That
    These Those It He She They We I You His Her Their Our Its My Your If Although Though
    Because Despite For From With Without Under Until Unlike Like Not No Yes Why How What
    Who Where Which There Here Now Today Tonight Yesterday Tomorrow Monday Tuesday
    Wednesday Thursday Friday Saturday Sunday January February March April June July
    August September October November December Jan Feb Mar Apr Jun Jul Aug Sep Sept Oct
    Nov Dec According Among Between Both Each Every Many Most Some Such Even Just Only
    Once Again Already Indeed Perhaps Maybe Thus Hence Either Neither Another Other
    Several Few One Two Three Four Five To By Of Do Does Did Is Are Was Were Would
    Can Could Should Must Let Please Thank Thanks Dear Oh Yeah Okay OK All
    Read Follow Click Sign Subscribe Watch See Photo Related
    """.split()
)
_NOT_PERSON_WORDS = set(
    """
    House Senate Congress Committee Department Party University College School Times
    Post News Journal Street Press Reuters Agency Association Council Court Office
    Church Center Centre Institute Foundation Bank Fund Group Union League Company Corp
    Inc Club Campaign Administration Republicans Democrats America American States
    Korea Russia China Ukraine Europe European Washington York City County Square
    Hospital Commission Service Services Network Twitter Facebook Television Radio
    Magazine Report Review Street Avenue Road Airport Station Army Navy Force Guard
    Police Times Tribune Herald Globe Ministry Embassy Parliament Assembly Government
    Republic Kingdom Nations Summit Forum Festival Day Week Month Year Act Bill Law
    Award Prize Cup Games Olympics Obamacare Medicare Medicaid Project Program
    Caucus Amendment Constitution Agreement Treaty Plan Initiative Council Board
    Bureau Institute Federation Coalition Alliance Movement Organization Society
    Show Hill Relations Affairs Security Defense Network Channel
    """.split()
)

_ABBREVIATIONS = set(
    """
    mr mrs ms dr sen rep gov gen lt col sgt st jr sr prof rev del pres inc corp co ltd
    vs etc no jan feb mar apr aug sep sept oct nov dec capt adm maj cmdr supt insp amb
    mt ft fig u.s u.k u.n d.c a.m p.m e.g i.e calif fla ky md mo wis ariz colo conn
    mass mich minn nev okla ore pa tenn va vt wash wyo ga ill ind kan la miss mont neb
    n.y n.j n.c s.c n.d s.d n.h n.m r.i w.va d-mass r-ky
    """.split()
)

_SENTENCE_END = re.compile(
    r"[.!?\u2026]+[\"'”’)\]]*(?=\s+[\"'“‘(\[]?[A-Z0-9\u201c\ue000])|[;]\s|[.!?]+[\"”’]?\s*$"
)

_LEADING_JUNK = re.compile(
    r"^(?:(?:and|but|so|yet|then|also|still|now|later|earlier|meanwhile|however|"
    r"instead|while|when|because|though|although|even|since|after|before|"
    r"as|if|once|that|where|whereas|until|unless|plus|or|nor)\b[\s,]*)+",
    re.IGNORECASE,
)
_TRAILING_AUX = re.compile(
    r"(?:[\s,]+(?:also|has|had|have|later|then|previously|recently|repeatedly|once|"
    r"again|simply|further|flatly|quickly|reportedly|would|will|did|does|do|never|"
    r"even|often|frequently|still|just|first|separately|privately|publicly|since|"
    r"always|bluntly|angrily|famously|only|soon|immediately|finally|openly|loudly|"
    r"quietly|is|was|were|are|been|being|could|might|may|can|to|not|n’t|n't|"
    r"cannot|has|subsequently|certainly|clearly|also|however|too|though|sarcastically|"
    r"jokingly|proudly|curtly|defiantly|tearfully|happily|sadly|matter-of-factly|"
    r"succinctly|emphatically|confidently|calmly|firmly|plainly|frankly|"
    r"wryly|dryly|ruefully|darkly|bitterly|memorably|pointedly|sharply|"
    r"earlier|on\s+\w+day|\w+day|this\s+week|last\s+week))+$",
    re.IGNORECASE,
)
_TIME_WORDS = re.compile(
    r"^(?:(?:on|last|this|early|late|in\s+the|on\s+the|late\s+on|early\s+on|during\s+the)\s+)?"
    r"(?:Monday|Tuesday|Wednesday|Thursday|Friday|Saturday|Sunday|today|yesterday|"
    r"tonight|morning|afternoon|evening|night|earlier|later|recently|previously|"
    r"afterward|afterwards|then|again|once|also|repeatedly|too|simply|further|"
    r"last\s+(?:week|month|year)|this\s+(?:week|month|year)|"
    r"(?:morning|afternoon|evening|night))\b[\s,]*"
)
_APPOSITIVE_START = re.compile(
    r"^(?:a|an|the|who|whose|which|one|another|[DRI]-|\(|\d|his|her|their|its|now|"
    r"then|also|himself|herself|executive|head|president|chief|director|chairman|"
    r"chairwoman|founder|co-|spokes|senior|deputy|former|[a-z])"
)
_PARTY_TAG = re.compile(r"^(?:[DRI]-[\w.\s-]+|[DRI]\.?|\d+)$")
_CUT_AFTER_NAME = re.compile(
    r"[ \u00a0]+(?:on|in|at|during|after|before|while|when|to|from|via|through|with|"
    r"as|about|last|this|earlier|later|today|yesterday|tonight|Monday|Tuesday|"
    r"Wednesday|Thursday|Friday|Saturday|Sunday|that|and\s+(?:added|said|"
    r"continued)|in\s+an?|told|according|said|says|wrote|added|before|because|"
    r"referring|noting|adding|explaining|pointing)\b"
)
_TAIL_OK = re.compile(
    r"^[\s,]*(?:(?:on|in|at|during|after|before|to|via|from|last|this|earlier|later|"
    r"Monday|Tuesday|Wednesday|Thursday|Friday|Saturday|Sunday|recently|"
    r"yesterday|today|tonight|then|again|afterward|reporters|the\s+crowd|"
    r"the\s+audience|[A-Z][\w’'.-]*)\b[^.!?]*)?[.!?]?\s*$"
)
_BAD_GAP = re.compile(
    r"\b(?:that|but|because|while|if|when|whether|though|although|before|after|then|"
    r"so|yet|until|unless|adding|noting|saying)\b"
)
_ING_GAP = re.compile(r",\s+[a-z]+ing\b")
"""A participle clause after an attribution: ', citing a few examples,'."""
_WORK_BEFORE = re.compile(r"(?:\b(?:on|in|of|his|her|their|its|my|our)|['’]s)\s*$", re.IGNORECASE)
"""Before a title-case quote, what makes it the name of a work: 'on CBS's', 'an
episode of', 'his'."""
_TITLE_TAIL = re.compile(r"[^\n\"“”]{0,80}[“\"]([A-Z][^\n\"“”]{0,80})[”\"]")
"""The end of an attribution sentence that names a programme: 'on CBS's "X."'."""
_DASH_ATTR = re.compile(r"^\s*[\u2015\u2014\u2013-]+\s*([A-Z][^\n\u201c\u201d\"\ue000]{1,80}?)\s*$")
_AFTER_SUBJECT_END = re.compile(
    r"(?:adding|noting|saying|referring|according|explaining|pointing|while|when|"
    r"and|but|as|before|after|because|calling|describing|arguing|[a-z]+ing)\b"
)


_SPEECH_BEFORE = re.compile(
    r"\b(?:said|says|added|asked|wrote|according to|told|tweeted|explained|noted|"
    r"argued|recalled|continued|replied|insisted|warned)\s+(?:the\s+)?$"
)
_PRONOUN_REACH = 2500
"""How far back (characters) a pronoun looks for the person it stands for."""

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


_INITIALS = re.compile(r"(?:[A-Z]-)?(?:[A-Z]\.)*[A-Z]")
_SMALL_WORDS = {"a", "an", "the", "of", "and", "or", "for", "in", "on", "at", "to", "with"}
_SMALL_WORDS |= {"from", "into", "by", "as", "vs", "vs.", "&", "-", "\u2014", "\u2013"}

_INVERTED_PRE = re.compile(
    r"^\s*(?:Said|Says|Added|Asked|Wrote|Tweeted|Recalled|Explained|Noted|Continued|"
    r"Replied|Declared|Warned|Quipped|Insisted|Argued)\s+(?P<who>[^:\u201c\"]+?)\s*[,:]?\s*$"
)

_OPENERS = set(
    """
    Following Speaking According Responding Asked Writing Citing Referring Reacting
    Commenting Addressing Appearing Noting Adding Echoing Pointing Calling During
    Including Considering Given Having Being Despite Amid After Before Since Unlike
    Like Under Over Across Throughout Within Without Earlier Later
    """.split()
)

_STOP_BACK = set(
    """
    is was are were be been being has had have having will would can could should may
    might must do does did to that which who whom whose by with from into onto than then
    and or but so if because as when while after before about over under through during
    against between without within it he she they we i you him them us me this these
    those there here not also just even only still yet very too however where what why
    how said says told say tell asked wrote added also been its it’s it's said, also
    than like unlike via per upon toward towards across behind beyond since until
    """.split()
)
_PREPOSITIONS = set(
    """
    of on at for in from with to by into onto through over under about against
    between within without across behind beyond toward towards during after before
    via per upon among around near like unlike
    """.split()
)
_OK_PARTICIPLES = set(
    """
    retired elected unnamed embattled indicted acting outgoing incoming presiding ruling
    founding managing visiting governing leading ranking reigning sitting serving
    longtime so-called self-described self-proclaimed united related interested
    concerned registered unidentified anonymous aging ailing
    """.split()
)

_ROLE_NOUNS = set(
    """
    spokesman spokeswoman manager lawyer widow widower host anchor writer author
    aide pastor rapper singer actor actress comedian player owner mother father wife
    husband son daughter sister brother niece nephew friend neighbor neighbour
    cousin uncle aunt grandmother grandfather chairman chairwoman treasurer general
    commander governor senator lawmaker legislator congressman congresswoman
    delegate diplomat envoy ambassador judge justice prosecutor detective sheriff
    superintendent chancellor premier minister secretary president vice deputy
    assistant associate principal dean provost coordinator surgeon doctor physician
    nurse pollster economist strategist operative volunteer voter supporter critic
    editor director president professor chairman chairwoman chair spokesman
    spokeswoman spokesperson secretary minister adviser advisor analyst economist
    strategist official lawyer attorney executive founder member leader head chief
    correspondent reporter columnist researcher fellow scholar historian scientist
    manager commissioner governor senator representative mayor candidate nominee
    aide consultant expert partner owner ceo cofounder co-founder organizer activist
    resident veteran student teacher director-general officer
    """.split()
)

_CONTRACTION = re.compile(r"[’'](?:s|d|ll|ve|re)$")
_PRONOUN_AT = re.compile(r"\b(?:he|she|He|She)\b")
_MALE = re.compile(r"\b(?:Mr|Sir|Lord|King|Prince|Father|Rev)\b\.?")
_FEMALE = re.compile(r"\b(?:Mrs|Ms|Miss|Lady|Dame|Queen|Princess|Sister)\b\.?")


# --------------------------------------------------------------------------- core


@dataclass(slots=True)
class _Group:
    spans: list[_Span] = field(default_factory=list)
    speaker: str | None = None

    @property
    def start(self) -> int:
        return self.spans[0].start

    @property
    def end(self) -> int:
        return self.spans[-1].end


def find_quotes(text: str) -> list[Quote]:
    """Direct quotations in ``text`` with their speakers, in reading order."""
    if not text or not isinstance(text, str):
        return []
    paragraphs = [(m.start(), m.end()) for m in _PARAGRAPH.finditer(text)]
    if not paragraphs:
        return []
    if "<" in text and ">" in text:
        # markup left over from extraction: attribute values are not quotes
        text_for_scan = _TAG.sub(lambda m: "\x00" * len(m.group()), text)
    else:
        text_for_scan = text
    doubles = _scan_doubles(text_for_scan, paragraphs)
    singles = _scan_singles(text_for_scan, paragraphs, doubles) if _has_singles(text) else []
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
    outer: list[_Span] = []
    reach = -1
    for s in spans:
        if s.open < reach:
            continue
        outer.append(s)
        reach = s.close

    ctx = _Context(text, paragraphs)
    kept = [
        s
        for i, s in enumerate(outer)
        if ctx.keep(s, outer[i - 1] if i else None, outer[i + 1] if i + 1 < len(outer) else None)
    ]
    if not kept:
        return []
    ctx.mask(kept)
    for s in kept:
        if s.closed:
            s.post = ctx.post_attribution(s)
    groups = ctx.group(kept)
    ctx.attribute(groups)

    quotes = []
    for g in groups:
        start, end = g.start, g.end
        while start < end and text[start].isspace():
            start += 1
        while end > start and text[end - 1].isspace():
            end -= 1
        if end > start:
            quotes.append(Quote(text=text[start:end], start=start, end=end, speaker=g.speaker))
    return quotes


def _has_singles(text: str) -> bool:
    """Whether single marks may be primary quotes. Not when the text writes its
    double quotes as doubled apostrophes (''...''): its singles are nested."""
    if text.count("''") >= 2:
        return False
    return "\u2018" in text or " '" in text or "\n'" in text or text.startswith("'")


class _Context:
    """Per-call state: the text, a copy with quoted words masked, name mentions."""

    def __init__(self, text: str, paragraphs: list[tuple[int, int]]):
        self.text = text
        self.paragraphs = paragraphs
        self.p_starts = [p[0] for p in paragraphs]
        self.masked = text
        self._mentions: list[tuple[int, str, str | None, bool | None]] | None = None
        self._ends: list[int] | None = None
        self._after: list[int] = []
        self._mention_pos: list[int] = []
        self._curly: bool | None = None

    def curly_style(self) -> bool:
        """Whether the text writes its quotation marks curly."""
        if self._curly is None:
            self._curly = self.text.count("\u201c") > self.text.count('"')
        return self._curly

    def paragraph_of(self, pos: int) -> int:
        return max(0, bisect.bisect_right(self.p_starts, pos) - 1)

    # -- which quoted stretches are quotes

    def keep(self, s: _Span, prev: _Span | None, nxt: _Span | None) -> bool:
        """Whether a quoted stretch is a quotation (``prev``/``nxt``: the
        stretches next to it)."""
        text = self.text
        length = s.end - s.start
        if length > _MAX_QUOTE_CHARS or (
            not s.closed and not s.joined and length > _MAX_UNCLOSED_CHARS
        ):
            return False  # runaway marks, not a quotation
        words = len(_WORD.findall(text, s.start, s.end))
        if words == 0:
            return False
        if not s.closed and not s.joined and text[s.open] == '"' and self.curly_style():
            # a straight mark left open in a text that quotes with curly ones
            # opens an excerpt (or is a stray), not a quotation
            return False
        if _TRANSCRIPT_LABEL.match(text, s.start):
            return False  # a transcript's line ("WALLACE: ..."), not a quotation
        if words >= 3:
            if not _is_title(text, s):
                return True
            # a name of a work: on CBS's "Face the Nation", an episode of "X"
            return not _WORK_BEFORE.search(text, max(0, s.open - 30), s.open)
        if not s.closed:
            return False
        # one or two words: a scare quote unless framed as a quotation
        p_start = self.paragraphs[self.paragraph_of(s.open)][0]
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
            and len(_WORD.findall(text, nxt.start, nxt.end)) >= 3
            and self._broken_by_attribution(s, nxt)
        )

    def _broken_by_attribution(self, a: _Span, b: _Span) -> bool:
        """Whether nothing but an attribution separates ``a`` (which opens its
        sentence) from ``b`` in one paragraph."""
        text = self.text
        if not a.closed or b.open - a.close > 200:
            return False
        gap = text[a.close + 1 : b.open]
        if "\n" in gap or _MARKS.search(gap) and '"' in gap or _BAD_GAP.search(gap):
            return False
        attr = _post_attribution(gap, text[a.close - 1] in ".?!")
        if attr is None or attr.end < 0 or gap[attr.end :].strip(" ,.:;\u2014\u2013-"):
            return False
        p_start = self.paragraphs[self.paragraph_of(a.open)][0]
        lead = text[p_start : a.open].rstrip(" \u00a0\t")
        return not lead or lead[-1] in '.?!"”’'

    def mask(self, spans: list[_Span]) -> None:
        """Replace quoted words by ``_MASK`` so the attribution search skips them.

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
            parts.append(_MASK * (end - s.start))
            parts.append(tail)
            last = s.end
        parts.append(text[last:])
        self.masked = "".join(parts)

    # -- attribution right after a quote

    def post_attribution(self, s: _Span) -> _Attr | None:
        p_end = self.paragraphs[self.paragraph_of(s.close)][1]
        after = self.masked[s.close + 1 : min(p_end, s.close + 400)]
        ends_sentence = self.text[s.close - 1] in ".?!" if s.close > 0 else False
        attr = _post_attribution(after, ends_sentence)
        if attr is not None and attr.end >= 0:
            attr.end += s.close + 1
        return attr

    # -- grouping pieces of one quotation

    def group(self, spans: list[_Span]) -> list[_Group]:
        """Join the pieces of a quotation broken by its attribution:
        '"A," she said. "B."' is one quote when A opens its sentence, the text
        between the pieces is only the attribution (with the rest of its sentence),
        no longer than the quoted words allow, and B has none of its own."""
        groups: list[_Group] = []
        for s in spans:
            if groups:
                g = groups[-1]
                prev = g.spans[-1]
                if (
                    prev.post is not None
                    and prev.post.end >= 0
                    and s.post is None
                    and self.paragraph_of(prev.close) == self.paragraph_of(s.open)
                    and self._only_attribution(prev.post.end, s.open)
                    and not self._bad_gap(prev.close + 1, s.open)
                    and (len(g.spans) > 1 or self.opens_sentence(g.spans[0]))
                    and self._short_gap(g, s)
                ):
                    g.spans.append(s)
                    continue
            groups.append(_Group([s]))
        return groups

    def _short_gap(self, g: _Group, s: _Span) -> bool:
        """Whether the attribution before ``s`` is short next to the quoted words."""
        gap = len(_WORD.findall(self.masked, g.spans[-1].close + 1, s.open))
        quoted = sum(len(_WORD.findall(self.text, p.start, p.end)) for p in [*g.spans, s])
        return gap <= min(_MAX_GAP_WORDS, _GAP_RATIO * quoted)

    def _only_attribution(self, lo: int, hi: int) -> bool:
        """Whether ``masked[lo:hi]``, what follows an attribution clause up to the
        next piece, adds nothing: punctuation, or the name of a programme the words
        were said on ('said on CBS's "Face the Nation."')."""
        raw = self.masked[lo:hi]
        rest = raw.strip(" ,.:;\u2014\u2013-")
        if not rest:
            return True
        m = _TITLE_TAIL.fullmatch(rest)
        if not m:
            return False
        at = lo + len(raw) - len(raw.lstrip(" ,.:;\u2014\u2013-"))
        title = _Span(at + m.start(1) - 1, at + m.end(1))
        return _is_title(self.text, title) and next(_verbs(rest), None) is None

    def _bad_gap(self, lo: int, hi: int) -> bool:
        """Whether the text between two pieces goes on past their attribution into
        a clause of its own ('she said, but ...', 'before asking her, "..."'). Not
        when that text ends its sentence: the next piece then opens a sentence with
        no attribution of its own ('said Tusk, summing up talks that ran late.')."""
        gap = self.masked[lo:hi].rstrip(" \u00a0\t")
        if gap.endswith((".", "!", "?")):
            return False
        if _BAD_GAP.search(self.masked, lo, hi):
            return True
        # '"A," he said, citing a few examples, "B..."': B is what the new clause
        # introduces, unless B goes on with A's sentence in lower case
        return bool(_ING_GAP.search(self.masked, lo, hi)) and self.text[hi + 1 : hi + 2].isupper()

    def opens_sentence(self, s: _Span) -> bool:
        start = self.sentence_start(s.open)
        return not self.masked[start : s.open].strip(" \u00a0\t")

    # -- sentences of the masked text

    def _sentence_marks(self) -> tuple[list[int], list[int]]:
        """Sentence ends in the masked text, found once: (end offsets, positions
        just after the final punctuation)."""
        if self._ends is None:
            ends: list[int] = []
            after: list[int] = []
            masked = self.masked
            for m in _SENTENCE_END.finditer(masked):
                if _is_abbreviation(masked, m.start()):
                    continue
                ends.append(m.start() + 1)
                after.append(m.end())
            self._ends, self._after = ends, after
        return self._ends, self._after  # type: ignore[return-value]

    def sentence_start(self, pos: int) -> int:
        p_start = self.paragraphs[self.paragraph_of(pos)][0]
        _, after = self._sentence_marks()
        i = bisect.bisect_right(after, pos) - 1
        best = after[i] if i >= 0 else 0
        return max(best, p_start, pos - 600)

    def sentence_end(self, pos: int) -> int:
        p_end = self.paragraphs[self.paragraph_of(pos)][1]
        ends, _ = self._sentence_marks()
        i = bisect.bisect_left(ends, pos + 1)
        end = ends[i] if i < len(ends) else p_end
        return min(end, p_end, pos + 600)

    # -- speakers

    def attribute(self, groups: list[_Group]) -> None:
        """Give each quote its speaker: an attribution in its sentence, or the
        context's (see ``fallback_speaker``), with pronouns and surnames resolved
        where they stand."""
        prev: _Group | None = None
        for g in groups:
            speaker = self.find_speaker(g)
            if speaker is None:
                speaker, inherited = self.fallback_speaker(g, prev)
            else:
                inherited = False
            if speaker is not None and not inherited:
                speaker = self.resolve(speaker, g.start)
            if speaker is not None and (_MASK in speaker or not speaker.strip()):
                speaker = None  # never show a speaker cut out of a quote
            g.speaker = speaker
            prev = g

    def find_speaker(self, g: _Group) -> str | None:
        """An attribution in the quote's own sentence."""
        first, last = g.spans[0], g.spans[-1]
        s_start = self.sentence_start(first.open)
        before = self.masked[s_start : first.open]
        for s in g.spans:
            if s.post is not None:
                if s.post.speaker.lower() in _PRONOUNS:
                    # 'X scolded him: "...," she said': X is the better name
                    named = _pre_attribution(before)
                    if named and named.lower() not in _PRONOUNS:
                        return named
                return s.post.speaker
        found = _pre_attribution(before)
        if found:
            return found
        if last.closed:
            end = self.sentence_end(last.close + 1)
            after = self.masked[last.close + 1 : end]
            m = next(_verbs(after), None)
            if m and _MASK not in after[: m.start()] and m.group() not in _PRE_ONLY:
                found = _subject_before(after[: m.start()])
                if found:
                    return found
        return None

    def fallback_speaker(self, g: _Group, prev: _Group | None) -> tuple[str | None, bool]:
        """No attribution in the sentence. A quote inside a sentence belongs to the
        sentence's subject ("Trump promised 'jobs, jobs, jobs'"). A quote that opens
        its sentence continues the previous quote's speaker in the same paragraph or
        from the paragraph before (the multi-paragraph convention), else belongs to
        the subject of the sentence before it. Returns (speaker, inherited)."""
        first = g.spans[0]
        p_index = self.paragraph_of(first.open)
        p_start = self.paragraphs[p_index][0]
        s_start = self.sentence_start(first.open)
        before = self.masked[s_start : first.open]
        prev_speaker = prev.speaker if prev is not None else None
        prev_p = self.paragraph_of(prev.end) if prev is not None else -2
        if before.strip(" \u00a0\t"):
            # after an earlier quote in the sentence, only what follows it counts
            tail = before[before.rfind(_MASK) + 1 :].lstrip(".,;:?!\"”’' \u00a0")
            if tail.strip():
                subject = _sentence_subject(tail, strict=True)
                if subject:
                    return subject, False
            if prev_p == p_index and prev_speaker:
                return prev_speaker, True
            return None, False
        if prev_speaker and (prev_p == p_index or (prev_p == p_index - 1 and s_start == p_start)):
            return prev_speaker, True
        if s_start > p_start:
            sentence = self.masked[self.sentence_start(s_start - 1) : s_start]
        elif p_index > 0:
            q_end = self.paragraphs[p_index - 1][1]
            sentence = self.masked[self.sentence_start(q_end - 1) : q_end]
        else:
            return None, False
        if _MASK in sentence:
            return None, False
        return _sentence_subject(sentence, strict=True), False

    # -- resolving pronouns and surnames

    def mentions(self) -> list[tuple[int, str, str | None, bool | None]]:
        """People named in the text outside quotes: (position, full name, gender
        from a courtesy title, whether the mention is a subject or a speaker). A
        surname alone counts once its full name is known; the first full name with a
        surname keeps it ("Trump" stays Donald when Melania Trump comes up later)."""
        if self._mentions is None:
            found: list[tuple[int, str, str | None, bool]] = []
            by_surname: dict[str, str] = {}
            genders: dict[str, str | None] = {}
            for m in _NAME_RUN.finditer(self.masked):
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
                    and _strip_possessive(run) == run
                    and self._is_subject(m, speaking=True)
                ):
                    full = run  # "Obama said": a surname we have no full name for
                else:
                    continue
                # "Clinton's campaign": a possessive is not who "she" is
                subject = None if _strip_possessive(run) != run else self._is_subject(m)
                found.append((at, full, gender or genders.get(full), subject))
            self._mentions = found
            self._mention_pos = [f[0] for f in found]
        return self._mentions

    def _is_subject(self, m: re.Match[str], speaking: bool = False) -> bool:
        """A name that opens its sentence or speaks: the likely antecedent of a
        later "he" or "she". ``speaking``: only the subject of a speech verb."""
        masked = self.masked
        start, end = m.start(), m.end()
        if _SPEECH_BEFORE.search(masked, max(0, start - 30), start):
            # "..., said Ryan Ellis." but not "Matthews said Pence's performance"
            follow = masked[end : end + 2].lstrip(" ")
            if _strip_possessive(m.group()) == m.group() and (not follow or follow[0] in ",.;:("):
                return True
        nxt = masked[end : end + 160]
        verb = next(_verbs(nxt), None)
        if verb is not None:
            between = nxt[: verb.start()].strip()
            between = _TRAILING_AUX.sub("", " " + between).strip()
            if not between or between.startswith(("(", ",")) and between.endswith((")", ",")):
                return True
        if speaking:
            return False
        prefix = masked[self.sentence_start(start) : start].strip()
        prefix = _LEADING_JUNK.sub("", prefix).strip()
        if not prefix:
            return True
        return prefix.endswith(",") and prefix.split()[0] in _NOT_NAMES | _OPENERS

    def resolve(self, speaker: str, pos: int) -> str:
        low = _CONTRACTION.sub("", speaker.lower())
        if low in _PERSON_PRONOUNS:
            want = "m" if low == "he" else "f"
            mentions = self.mentions()
            # the pronoun itself may come before the quote: "when he said ..."
            s_start = self.sentence_start(pos)
            for m in _PRONOUN_AT.finditer(self.masked, s_start, pos):
                if m.group().lower() == low:
                    pos = m.start()
            idx = bisect.bisect_left(self._mention_pos, pos)
            # the latest sentence that names someone; in it, its subject
            _, after = self._sentence_marks()
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
                here = bisect.bisect_right(after, at)
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
        if low in _PRONOUNS or "," in speaker:
            return speaker
        words = speaker.split()
        core = [w for w in words if w.lower() not in _TITLE_WORDS]
        if len(core) == 1 and len(words) <= 2 and core[0][:1].isupper():
            full = self._full_name(_strip_possessive(core[0]), pos)
            if full:
                return full
        return speaker

    def _pronoun_subject(self, sentence: int, pronoun: str) -> bool:
        """Whether sentence number ``sentence`` opens with ``pronoun``."""
        _, after = self._sentence_marks()
        start = after[sentence - 1] if sentence > 0 else 0
        head = _LEADING_JUNK.sub("", self.masked[start : start + 40].lstrip(' \n"“”')).lower()
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
    return i > 0 and tokens[i - 1].lower() in _TITLE_WORDS


def _strip_possessive(word: str) -> str:
    for suffix in ("’s", "'s", "’", "'"):
        if word.endswith(suffix):
            return word[: -len(suffix)]
    return word


# A speaker label opening an interview transcript's line: "PENCE: Well, ...", "Q: ...".
_TRANSCRIPT_LABEL = re.compile(r"\s*[A-Z][A-Z.'\-]*(?: [A-Z][A-Z.'\-]*){0,2}:\s")


def _is_title(text: str, s: _Span) -> bool:
    """A quoted title of a show, book, programme or law: every word capitalised."""
    inner = text[s.start : s.end].strip().rstrip(".,!?")
    words = inner.split()
    if not words or len(words) > 8 or not s.closed:
        return False
    if any(ch in inner for ch in ",;:!?"):
        return False
    if not words[0][:1].isupper():
        return False
    return all(w[:1].isupper() or w[:1].isdigit() or w.lower() in _SMALL_WORDS for w in words)


def _is_abbreviation(text: str, dot: int) -> bool:
    if text[dot] != ".":
        return False
    j = dot
    while j > 0 and (text[j - 1].isalpha() or text[j - 1] in ".-"):
        j -= 1
    word = text[j:dot].lower()
    raw = text[j:dot]
    if len(word) == 1 and word.isalpha() and word.upper() == raw:
        return True  # an initial
    if _INITIALS.fullmatch(raw):
        return True  # G.K. / U.S. / D-N.C.
    return word in _ABBREVIATIONS


def _sentence_cut(rest: str) -> int:
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
            or ch == _MASK
            or ch == "."
            and not _is_abbreviation(rest, i)
            or ch in '\u201c"'
            and i > 0
        ):
            return i
    return len(rest)


def _post_attribution(after: str, ends_sentence: bool) -> _Attr | None:
    """Attribution right after a closing mark: ', X said' / ', said X' / 'according
    to X' / '― X' (a signature line)."""
    dash = _DASH_ATTR.match(after)
    if dash:
        name = _clean(dash.group(1))
        if name and len(name.split()) <= 8:
            return _Attr(name, -1)
    stripped = after.lstrip(" ,\u2014\u2013-\u00a0")
    offset = len(after) - len(stripped)
    if not stripped or stripped[0] == _MASK:
        return None
    if ends_sentence and not stripped[0].isupper() and after[:1] != " ":
        return None
    acc = _ACCORDING.match(stripped)
    if acc:
        rest = stripped[acc.end() :]
        cut = _sentence_cut(rest)
        subject = _subject_after(rest[:cut])
        if subject:
            return _Attr(subject, offset + acc.end() + cut)
        return None
    m = next(_verbs(stripped, 0, min(len(stripped), 200)), None)
    if not m or m.group() in _PRE_ONLY:
        return None
    head = stripped[: m.start()]
    if _MASK in head or "\u201c" in head or '"' in head:
        return None
    if _sentence_cut(head) < len(head):
        return None
    if head.strip(" ,\u00a0"):
        low_head = head.lstrip().lower()
        if _LEADING_JUNK.match(low_head) and not low_head.startswith("as "):
            return None
        subject = _subject_before(head, strict=True)
        if not subject:
            return None
        rest = stripped[m.end() :]
        cut = _sentence_cut(rest)
        if ends_sentence and stripped[0].isupper() and not _TAIL_OK.match(rest[:cut] + "."):
            return None
        return _Attr(subject, offset + m.end() + cut)
    rest = stripped[m.end() :]
    cut = _sentence_cut(rest)
    subject = _subject_after(rest[:cut])
    if not subject:
        return None
    if ends_sentence and stripped[0].isupper():
        # '"...?" Asked Smith' is not a thing; a capital verb starts a new sentence
        return None
    return _Attr(subject, offset + m.end() + cut)


def _pre_attribution(before: str) -> str | None:
    """Attribution before an opening mark, in the same sentence."""
    cut = before.rfind(_MASK)
    if cut >= 0:
        before = before[cut + 1 :].lstrip(".,?!\"”’' ")
    inverted = _INVERTED_PRE.match(before)
    if inverted:
        subject = _subject_after(inverted.group("who"))
        if subject:
            return subject
    acc = None
    for acc in _ACCORDING.finditer(before):  # noqa: B007 - the last one
        pass
    if acc is not None:
        rest = before[acc.end() :]
        rest = rest[: _sentence_cut(rest)]
        subject = _subject_after(rest)
        if subject:
            return subject
    verb = None
    for m in _verbs(before):
        if m.group() not in _POST_ONLY:
            verb = m
    if verb is None:
        stripped = before.rstrip()
        if stripped.endswith(":"):
            head = stripped[:-1]
            segment = head.rsplit(",", 1)[-1]
            subject = _sentence_subject(segment) or _sentence_subject(head)
            if subject:
                return subject
        return None
    head = before[: verb.start()]
    if _PARTICIPLES.fullmatch(verb.group()) and head.rstrip().endswith(","):
        # ", saying" / ", tweeting": the subject of the main clause
        return _sentence_subject(head)
    subject = _subject_before(head)
    if subject:
        return subject
    if not _LEADING_JUNK.sub("", head.strip(" ,\u2014\u2013-")).strip():
        return None
    # "... and called it a 'x'": the subject of the whole sentence
    return _sentence_subject(head)


def _clean(s: str) -> str:
    return s.strip(" ,;:\u2014\u2013\u2015-\n\t\u00a0\"'“”‘’")


def _sentence_subject(head: str, strict: bool = False) -> str | None:
    """The subject of the main clause of ``head``: the subject of its first speech
    verb, else the noun phrase it opens with (with an appositive). ``strict`` asks
    for a name or a determiner phrase, not a bare common noun."""
    for m in _verbs(head):
        if not _PARTICIPLES.fullmatch(m.group()):
            subject = _subject_before(head[: m.start()])
            if subject:
                return subject
            break
    head = _LEADING_JUNK.sub("", head.strip(" ,\u2014\u2013-").replace("\u00a0", " "))
    segments = [seg.strip(" \"“”‘’'") for seg in _split_commas(head)]
    # skip leading adverbial phrases: "Over the weekend, ..."
    while len(segments) > 1 and (
        not segments[0].split()
        or segments[0].split()[0] in _NOT_NAMES
        and segments[0].split()[0].lower() not in _DETERMINERS
        or segments[0].split()[-1] == "ago"  # "Two years ago, ..."
    ):
        segments = segments[1:]
    if not segments:
        return None
    first = _LEADING_JUNK.sub("", segments[0])
    np = _leading_np(first)
    if not np:
        return None
    words = np.split()
    if words[0].rstrip(".") in _NOT_NAMES and words[0].lower() not in _DETERMINERS:
        return None
    if words[0].lower() in _SUBJECT_PRONOUNS:
        return np if len(words) == 1 else None
    if strict and not (words[0][:1].isupper() or words[0].lower() in _DETERMINERS):
        return None
    if np == first.strip():
        out = [np]
        if (
            words[0].lower() in _DETERMINERS
            and len(segments) > 2
            and _NAME_RUN.fullmatch(segments[1])
        ):
            out.append(segments[1])  # "The minister, Per Alm, was defiant"
            segments = segments[1:]
        for seg in segments[1:-1]:
            if not (_looks_appositive(seg) or _PARTY_TAG.match(seg)):
                break
            out.append(seg)
        return ", ".join(out)
    return np


def _leading_np(segment: str) -> str | None:
    """The noun phrase that opens ``segment``: "The Republican nominee also ..."."""
    tokens = segment.split()
    if tokens and tokens[0].rstrip(",") in _OPENERS:
        return None
    end = 0
    j = 0
    depth = 0
    while j < len(tokens):
        tok = tokens[j]
        if tok.startswith("(") and ")" not in tok:
            depth += 1
        if depth or (tok.startswith("(") and tok.endswith(")")):
            if ")" in tok:
                depth = 0
            j += 1
            end = j
            continue
        low = tok.lower()
        if j == 0 and low in _SUBJECT_PRONOUNS:
            return tok
        if low in _DETERMINERS or _np_token_ok(tok, tokens[j + 1] if j + 1 < len(tokens) else ""):
            j += 1
            end = j
            continue
        if low in _PREPOSITIONS and end and j + 1 < len(tokens):
            nxt = tokens[j + 1]
            if nxt.lower() in _DETERMINERS or (
                _np_token_ok(nxt) and nxt.lower() not in _PREPOSITIONS
            ):
                j += 1
                continue
        break
    if not end:
        return None
    phrase = tokens[:end]
    while phrase and phrase[-1].lower() in _DETERMINERS:
        phrase.pop()
    if not phrase:
        return None
    return " ".join(phrase).rstrip(",")


def _subject_before(head: str, strict: bool = False) -> str | None:
    """The noun phrase that ends right before a speech verb."""
    head = head.replace("\n", " ").replace("\u00a0", " ")
    head = _TRAILING_AUX.sub("", head.rstrip(" ,"))
    head = head.rstrip(" ,")
    if not head:
        return None
    segments = [seg.strip() for seg in _split_commas(head)]
    segments = [seg for seg in segments if seg] or [""]
    # "Hillary Clinton, at a later press gaggle, said": skip the aside
    while len(segments) > 1 and (
        segments[-1].split()[0].lower() in _PREPOSITIONS or _TIME_WORDS.match(segments[-1])
    ):
        segments.pop()
    # walk back over appositives: "Flynn, a top Trump surrogate" / "Michael Mulgrew,
    # president of the union, which represents teachers,"
    i = len(segments) - 1
    k = i
    while k > 0 and (_looks_appositive(segments[k]) or _PARTY_TAG.match(segments[k])):
        if _looks_name(segments[k - 1]):
            i = k - 1
        k -= 1
    if (
        i > 0
        and _NAME_RUN.fullmatch(segments[i])
        and segments[i - 1].split()[0].lower() in _DETERMINERS
        and _noun_phrase_suffix(segments[i - 1]) == segments[i - 1]
    ):
        i -= 1  # "The White House press secretary, Karine Jean-Pierre, said"
    core = _noun_phrase_suffix(segments[i])
    if not core:
        return None
    if core != segments[i] and i < len(segments) - 1 and core.split()[0][:1].islower():
        return None
    subject = _clean(", ".join([core] + [s for s in segments[i + 1 :] if s]))
    if not subject:
        return None
    words = subject.split()
    if len(words) > 25 or (strict and len(words) > 14 and "," not in subject):
        return None
    low = words[0].lower()
    if low in _PRONOUNS:
        return subject if len(words) == 1 else None
    if words[0].rstrip(".") in _NOT_NAMES and low not in _DETERMINERS:
        return None
    if len(words) == 1 and low in _DETERMINERS:
        return None
    return subject


def _split_commas(text: str) -> list[str]:
    """Split at commas outside parentheses and quotation marks."""
    out = []
    depth = 0
    last = 0
    for i, ch in enumerate(text):
        if ch in "([":
            depth += 1
        elif ch in ")]":
            depth = max(0, depth - 1)
        elif ch == "," and not depth:
            out.append(text[last:i])
            last = i + 1
    out.append(text[last:])
    return out


def _np_token_ok(tok: str, nxt: str = "") -> bool:
    """Whether ``tok`` (followed by ``nxt``) can be part of a noun phrase."""
    if not tok:
        return False
    if tok[0] == "(" or tok[-1] == ")":
        return True
    if tok[0].isupper() or tok[0].isdigit():
        bare = _strip_possessive(tok).rstrip(".,")
        if bare.lower() in _PREPOSITIONS:
            return nxt[:1].isupper()  # "Per Alm" is a name, "In a speech" is not
        return bare not in _NOT_NAMES
    low = tok.lower()
    if low in _STOP_BACK or low in _PREPOSITIONS:
        return False
    if low in _OK_PARTICIPLES:
        return True
    # a participle or an adverb ends a noun phrase
    return not (low.endswith(("ed", "ing", "ly")) and len(low) > 4)


def _noun_phrase_suffix(segment: str) -> str | None:
    """The noun phrase that ends ``segment`` (no verbs, no clauses), or None.

    Walking back from the end, capitalised words, role nouns, determiners and
    parenthesised tags are taken. A preposition is crossed only if the phrase then
    runs back to the start of the segment ("one source on the panel"); a phrase
    that turns out to be the object of a preposition or a verb is not a subject.
    """
    segment = _LEADING_JUNK.sub("", segment.strip())
    tokens = segment.split()
    if not tokens:
        return None
    last = tokens[-1].lower()
    if last in _PRONOUNS:
        return tokens[-1] if len(tokens) == 1 or tokens[-2].lower() not in _PREPOSITIONS else None
    start = len(tokens)
    crossed = False
    j = len(tokens) - 1
    depth = 0
    while j >= 0:
        tok = tokens[j]
        if tok.endswith(")") and "(" not in tok:
            depth += 1
        if depth:
            if "(" in tok:
                depth = 0
            start = j
            j -= 1
            continue
        low = tok.lower()
        if low in _DETERMINERS:
            start = j
            j -= 1
            continue
        if low in _PREPOSITIONS:
            if start == len(tokens):
                return None
            crossed = True
            j -= 1
            continue
        if _np_token_ok(tok, tokens[j + 1] if j + 1 < len(tokens) else ""):
            if (
                tok[0].islower()
                and start < len(tokens)
                and tokens[start][0].isupper()
                and tok.strip(",") not in _ROLE_NOUNS
                and tok.strip(",") not in _TITLE_WORDS
            ):
                # "interview Trump": a common noun right before a name is not
                # part of it (unlike "press secretary Josh Earnest")
                j = -1
                break
            start = j
            j -= 1
            continue
        break
    if start >= len(tokens) or (crossed and j < 0 and tokens[0].lower() in _PREPOSITIONS):
        return None
    if j >= 0:
        stopped_at = tokens[j].lower()
        if crossed or stopped_at in _PREPOSITIONS:
            return None
        if stopped_at not in _STOP_BACK and not tokens[j][:1].islower():
            return None
    phrase = tokens[start:]
    content = [t for t in phrase if t.lower() not in _DETERMINERS]
    if not content:
        return None
    return " ".join(phrase)


def _looks_name(segment: str) -> bool:
    """Whether a comma-separated segment is a name an appositive can follow."""
    segment = segment.strip()
    if not segment:
        return False
    first = segment.split()[0]
    if first.rstrip(".") in _NOT_NAMES and first.lower() not in ("the", "a", "an"):
        return False
    if not (first[0].isupper() or first.lower() in _DETERMINERS):
        return False
    return _noun_phrase_suffix(segment) == segment


def _looks_appositive(segment: str) -> bool:
    """Whether a comma-separated segment describes the name before it ("a top
    surrogate", "D-Mass.", "who runs the campaign"); "in a statement" does not."""
    if not segment:
        return False
    first = segment.split()[0].lower()
    if first in _PREPOSITIONS and first != "of":
        return False
    if _APPOSITIVE_START.match(segment) or segment.split()[0].lower() in _TITLE_WORDS:
        return True
    # "House editor for the Cook Political Report"
    return any(w in _ROLE_NOUNS for w in segment.split()[:4])


def _subject_after(rest: str) -> str | None:
    """The noun phrase after an inverted verb: 'said Ryan Ellis, a tax consultant.'"""
    rest = rest.replace("\n", " ").replace("\u00a0", " ")
    while True:
        m = _TIME_WORDS.match(rest.lstrip())
        if not m or not m.group():
            break
        rest = rest.lstrip()[m.end() :]
    rest = _clean(rest)
    if not rest or rest[0] == _MASK:
        return None
    segments = [seg.strip() for seg in _split_commas(rest)]
    head = segments[0]
    m = _CUT_AFTER_NAME.search(head)
    if m and m.start() > 0 and head[:1].isupper():
        head = head[: m.start()]
        segments = [head]
    out = [head]
    size = len(head.split())
    if (
        len(segments) > 1
        and head.split()[0].lower() in _DETERMINERS
        and _NAME_RUN.fullmatch(segments[1])
    ):
        # "said the White House press secretary, Karine Jean-Pierre"
        out.append(segments[1])
        segments = segments[1:]
    for seg in segments[1:]:
        if not seg or _TIME_WORDS.match(seg) or _AFTER_SUBJECT_END.match(seg):
            break
        if not (_looks_appositive(seg) or _PARTY_TAG.match(seg)):
            break
        size += len(seg.split())
        if size > 30:
            break  # a long tail of description: keep what identifies the speaker
        out.append(seg)
    subject = _clean(", ".join(out))
    if not subject:
        return None
    words = subject.split()
    low = words[0].lower()
    if low in _PRONOUNS:
        return subject if len(words) == 1 else None
    if not words[0][0].isupper() and low not in _DETERMINERS:
        return None
    if words[0].rstrip(".") in _NOT_NAMES and low not in _DETERMINERS:
        return None
    if len(words) > 30:
        return None
    return subject


def _person_name(run: str) -> str | None:
    """The person's name in a capitalised run, titles dropped; None if not a name."""
    tokens = run.split()
    while tokens and _strip_possessive(tokens[0]).rstrip(".") in _NOT_NAMES:
        tokens = tokens[1:]
    last_title = -1
    for i, tok in enumerate(tokens):
        if tok.lower() in _TITLE_WORDS or (tok.isupper() and len(tok) > 1 and "." not in tok):
            last_title = i
        elif i < len(tokens) - 1 and _strip_possessive(tok) != tok:
            last_title = i  # "NBC's Dante Chinni"
    tokens = tokens[last_title + 1 :]
    cleaned = [_strip_possessive(t).rstrip(".,") for t in tokens]
    tokens = [t for t in cleaned if t]
    if not tokens or len(tokens) > 4:
        return None
    if tokens[0] in _NOT_NAMES or any(t in _NOT_PERSON_WORDS for t in tokens):
        return None
    return " ".join(tokens)
