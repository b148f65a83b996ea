"""Noun phrases around a cue: who is the subject before or after a speech verb.

These rules read a sentence of the masked text (quoted words replaced) and return
the speaker as the article writes it, with title and appositive ("Ryan Ellis, a
Republican tax consultant"), or None when the words there are no subject.
"""

from __future__ import annotations

import re

from tui.core.quotes.index import MASK
from tui.core.quotes.lexicon import (
    DETERMINERS,
    NOT_NAMES,
    OK_PARTICIPLES,
    OPENERS,
    PREPOSITIONS,
    PRONOUNS,
    ROLE_NOUNS,
    STOP_BACK,
    SUBJECT_PRONOUNS,
    TITLE_WORDS,
    strip_possessive,
)
from tui.core.quotes.verbs import PARTICIPLE, speech_verbs

_NAME_TOKEN = (
    r"(?:[A-Z][\w’'.-]*|(?<![\w’'-])(?:de|van|von|der|bin|al|la|le|da|di|du|del|dos)"
    r"(?=\s+[A-Z]))"
)
NAME_RUN = re.compile(rf"{_NAME_TOKEN}(?:(?<![a-z]{{3}}\.)[ \u00a0]+{_NAME_TOKEN})*")
"""A run of capitalised words (with name particles): a name, maybe with titles."""
LEADING_JUNK = re.compile(
    r"^(?:(?:and|but|so|yet|then|also|still|now|later|earlier|meanwhile|however|"
    r"instead|while|when|because|though|although|even|since|after|before|"
    r"as|if|once|that|where|whereas|until|unless|plus|or|nor)\b[\s,]*)+",
    re.IGNORECASE,
)
"""Conjunctions and adverbs that open a clause before its subject."""
TRAILING_AUX = re.compile(
    r"(?:[\s,]+(?:also|already|has|had|have|later|then|previously|recently|repeatedly|once|"
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
"""Auxiliaries and adverbs between a subject and its verb ('Smith has repeatedly said')."""
TIME_WORDS = re.compile(
    r"^(?:(?:on|last|this|early|late|in\s+the|on\s+the|late\s+on|early\s+on|during\s+the)\s+)?"
    r"(?:Monday|Tuesday|Wednesday|Thursday|Friday|Saturday|Sunday|today|yesterday|"
    r"tonight|morning|afternoon|evening|night|earlier|later|recently|previously|"
    r"afterward|afterwards|then|again|once|also|repeatedly|too|simply|further|"
    r"last\s+(?:week|month|year)|this\s+(?:week|month|year)|"
    r"(?:morning|afternoon|evening|night))\b[\s,]*"
)
"""A time phrase that may stand between a verb and its subject."""
_APPOSITIVE_START = re.compile(
    r"^(?:a|an|the|who|whose|which|one|another|[DRI]-|\(|\d|his|her|their|its|now|"
    r"then|also|himself|herself|executive|head|president|chief|director|chairman|"
    r"chairwoman|founder|co-|spokes|senior|deputy|former|[a-z])"
)
"""How an appositive after a name opens ('a spokesman for', 'D-Mass.')."""
_PLACE = re.compile(r"(?:[A-Z][a-z]{1,4}\.|(?:[A-Z]\.){2,3}|[A-Z][a-z]+(?: [A-Z][a-z]+)?)")
"""A state or country after a town: 'Calif.', 'N.H.', 'France', 'New York'."""
_PARTY_TAG = re.compile(r"^(?:[DRI]-[\w.\s-]+|[DRI]\.?|\d+)$")
"""A party and state tag or an age: 'R-Ky.', 'D', '42'."""
_CUT_AFTER_NAME = re.compile(
    r"[ \u00a0]+(?:on|in|at|during|after|before|while|when|to|from|via|through|with|"
    r"as|about|last|this|earlier|later|today|yesterday|tonight|Monday|Tuesday|"
    r"Wednesday|Thursday|Friday|Saturday|Sunday|that|and\s+(?:added|said|"
    r"continued)|in\s+an?|told|according|said|says|wrote|added|before|because|"
    r"referring|noting|adding|explaining|pointing)\b"
)
"""Where the words after an inverted verb stop naming the speaker."""
_AFTER_SUBJECT_END = re.compile(
    r"(?:adding|noting|saying|referring|according|explaining|pointing|while|when|"
    r"and|but|as|before|after|because|calling|describing|arguing|asked|[a-z]+ing)\b"
)
"""A segment that opens with one of these goes on with the sentence, not the name."""


def clean(s: str) -> str:
    """``s`` without surrounding spaces, punctuation and quotation marks."""
    return s.strip(" ,;:\u2014\u2013\u2015-\n\t\u00a0\"'“”‘’")


def sentence_subject(head: str, strict: bool = False) -> str | None:
    """The subject of the main clause of ``head``: the subject of its first speech
    verb, else the noun phrase it opens with (with an appositive). ``strict`` asks
    for a name or a determiner phrase, not a bare common noun."""
    for m in speech_verbs(head):
        if not PARTICIPLE.fullmatch(m.group()):
            subject = subject_before(head[: m.start()])
            if subject:
                return subject
            break
    head = LEADING_JUNK.sub("", head.strip(" ,\u2014\u2013-").replace("\u00a0", " "))
    segments = [seg.strip(" \"“”‘’'") for seg in _split_commas(head)]
    # skip leading adverbial phrases: "Over the weekend, ..."
    while len(segments) > 1 and (
        not segments[0].split()
        or segments[0].split()[0] in NOT_NAMES
        and segments[0].split()[0].lower() not in DETERMINERS
        or segments[0].split()[-1] == "ago"  # "Two years ago, ..."
    ):
        segments = segments[1:]
    if not segments:
        return None
    first = LEADING_JUNK.sub("", segments[0])
    np = _leading_np(first)
    if not np:
        return None
    words = np.split()
    if words[0].rstrip(".") in NOT_NAMES and words[0].lower() not in DETERMINERS:
        return None
    if words[0].lower() in SUBJECT_PRONOUNS:
        return np if len(words) == 1 else None
    if strict and not (words[0][:1].isupper() or words[0].lower() in DETERMINERS):
        return None
    if np == first.strip():
        out = [np]
        if (
            words[0].lower() in DETERMINERS
            and len(segments) > 2
            and NAME_RUN.fullmatch(segments[1])
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
    if tokens and tokens[0].rstrip(",") in OPENERS:
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
        if j == 0 and low in SUBJECT_PRONOUNS:
            return tok
        if low in DETERMINERS or _np_token_ok(tok, tokens[j + 1] if j + 1 < len(tokens) else ""):
            j += 1
            end = j
            continue
        if low in PREPOSITIONS and end and j + 1 < len(tokens):
            nxt = tokens[j + 1]
            if nxt.lower() in DETERMINERS or (
                _np_token_ok(nxt) and nxt.lower() not in PREPOSITIONS
            ):
                j += 1
                continue
        break
    if not end:
        return None
    phrase = tokens[:end]
    while phrase and phrase[-1].lower() in DETERMINERS:
        phrase.pop()
    if not phrase:
        return None
    return " ".join(phrase).rstrip(",")


def subject_before(head: str, strict: bool = False) -> str | None:
    """The noun phrase that ends right before a speech verb."""
    head = head.replace("\n", " ").replace("\u00a0", " ")
    head = TRAILING_AUX.sub("", head.rstrip(" ,"))
    head = head.rstrip(" ,")
    if not head:
        return None
    segments = [seg.strip() for seg in _split_commas(head)]
    segments = [seg for seg in segments if seg] or [""]
    # "Hillary Clinton, at a later press gaggle, said": skip the aside
    while len(segments) > 1 and (
        segments[-1].split()[0].lower() in PREPOSITIONS or TIME_WORDS.match(segments[-1])
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
        and NAME_RUN.fullmatch(segments[i])
        and segments[i - 1].split()[0].lower() in DETERMINERS
        and _noun_phrase_suffix(segments[i - 1]) == segments[i - 1]
    ):
        i -= 1  # "The White House press secretary, Karine Jean-Pierre, said"
    core = _noun_phrase_suffix(segments[i])
    if not core:
        return None
    if core != segments[i] and i < len(segments) - 1 and core.split()[0][:1].islower():
        return None
    subject = clean(", ".join([core] + [s for s in segments[i + 1 :] if s]))
    if not subject:
        return None
    words = subject.split()
    if len(words) > 25 or (strict and len(words) > 14 and "," not in subject):
        return None
    low = words[0].lower()
    if low in PRONOUNS and (len(words) == 1 or low not in DETERMINERS):
        return subject if len(words) == 1 else None
    if words[0].rstrip(".") in NOT_NAMES and low not in DETERMINERS:
        return None
    if len(words) == 1 and low in DETERMINERS:
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
        bare = strip_possessive(tok).rstrip(".,")
        if bare.lower() in PREPOSITIONS:
            return nxt[:1].isupper()  # "Per Alm" is a name, "In a speech" is not
        return bare not in NOT_NAMES
    low = tok.lower()
    if low in STOP_BACK or low in PREPOSITIONS:
        return False
    if low in OK_PARTICIPLES:
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
    segment = LEADING_JUNK.sub("", segment.strip())
    tokens = segment.split()
    if not tokens:
        return None
    last = tokens[-1].lower()
    if last in PRONOUNS:
        return tokens[-1] if len(tokens) == 1 or tokens[-2].lower() not in PREPOSITIONS else None
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
        if low in DETERMINERS:
            start = j
            j -= 1
            continue
        if low in PREPOSITIONS:
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
                and tok.strip(",") not in ROLE_NOUNS
                and tok.strip(",") not in TITLE_WORDS
            ):
                # "interview Trump": a common noun right before a name is not
                # part of it (unlike "press secretary Josh Earnest")
                j = -1
                break
            start = j
            j -= 1
            continue
        break
    if start >= len(tokens) or (crossed and j < 0 and tokens[0].lower() in PREPOSITIONS):
        return None
    if j >= 0:
        stopped_at = tokens[j].lower()
        if crossed or stopped_at in PREPOSITIONS:
            return None
        if stopped_at not in STOP_BACK and not tokens[j][:1].islower():
            return None
    phrase = tokens[start:]
    content = [t for t in phrase if t.lower() not in DETERMINERS]
    if not content:
        return None
    return " ".join(phrase)


def _looks_name(segment: str) -> bool:
    """Whether a comma-separated segment is a name an appositive can follow."""
    segment = segment.strip()
    if not segment:
        return False
    first = segment.split()[0]
    if first.rstrip(".") in NOT_NAMES and first.lower() not in ("the", "a", "an"):
        return False
    if not (first[0].isupper() or first.lower() in DETERMINERS):
        return False
    return _noun_phrase_suffix(segment) == segment


def _looks_appositive(segment: str) -> bool:
    """Whether a comma-separated segment describes the name before it ("a top
    surrogate", "D-Mass.", "who runs the campaign"); "in a statement" does not."""
    if not segment:
        return False
    first = segment.split()[0].lower()
    if first in PREPOSITIONS and first != "of":
        return False
    if _APPOSITIVE_START.match(segment) or segment.split()[0].lower() in TITLE_WORDS:
        return True
    words = segment.split()
    if (
        strip_possessive(words[0]) != words[0]
        or len(words) > 1
        and strip_possessive(words[1]) != words[1]
    ):
        # "Donald Trump's fired campaign manager"
        return any(w in ROLE_NOUNS for w in words[:6])
    # "House editor for the Cook Political Report"
    return any(w in ROLE_NOUNS for w in words[:4])


def subject_after(rest: str) -> str | None:
    """The noun phrase after an inverted verb: 'said Ryan Ellis, a tax consultant.'"""
    rest = rest.replace("\n", " ").replace("\u00a0", " ")
    while True:
        m = TIME_WORDS.match(rest.lstrip())
        if not m or not m.group():
            break
        rest = rest.lstrip()[m.end() :]
    rest = clean(rest)
    if not rest or rest[0] == MASK:
        return None
    segments = [seg.strip() for seg in _split_commas(rest)]
    head = segments[0]
    m = _CUT_AFTER_NAME.search(head)
    if m and m.start() > 0 and (head[:1].isupper() or _titled_name(head[: m.start()].split())):
        head = head[: m.start()]
        segments = [head]
    out = [head]
    size = len(head.split())
    if (
        len(segments) > 1
        and head.split()[0].lower() in DETERMINERS
        and NAME_RUN.fullmatch(segments[1])
    ):
        # "said the White House press secretary, Karine Jean-Pierre"
        out.append(segments[1])
        segments = segments[1:]
    for seg in segments[1:]:
        if not seg or TIME_WORDS.match(seg) or _AFTER_SUBJECT_END.match(seg):
            break
        if _PLACE.fullmatch(seg) and out[-1].split()[-1][:1].isupper():
            out.append(seg)  # "of Derry, N.H.": the place goes on
            continue
        if not (_looks_appositive(seg) or _PARTY_TAG.match(seg)):
            break
        size += len(seg.split())
        if size > 30:
            break  # a long tail of description: keep what identifies the speaker
        out.append(seg)
    subject = clean(", ".join(out))
    if not subject:
        return None
    words = subject.split()
    low = words[0].lower()
    if low in PRONOUNS and (len(words) == 1 or low not in DETERMINERS):
        return subject if len(words) == 1 else None
    if not words[0][0].isupper() and low not in DETERMINERS and not _titled_name(words):
        return None
    if words[0].rstrip(".") in NOT_NAMES and low not in DETERMINERS:
        return None
    if len(words) > 30:
        return None
    return subject


def _titled_name(words: list[str]) -> bool:
    """Whether lower-case words of a title lead to a name: "former Vermont governor
    Howard Dean", "spokesman John Kirby"."""
    if not words or words[0].lower() in DETERMINERS:
        return False
    for word in words[:6]:
        if word[:1].isupper():
            return True
        if word.lower() in STOP_BACK or word.lower() in PREPOSITIONS or word.endswith(","):
            return False
    return False
