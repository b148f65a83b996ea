"""Boilerplate lines that survive markup-level cleaning, and the rules that find them.

Subscribe and sign-in prompts, photo captions and credits, share, "read more" and
related-links lines, advertisement labels and cookie notices. Each rule is a pattern
for a short standalone line; a paragraph longer than a rule's word limit is never
touched by it, so article sentences that merely mention "subscribe" or "cookies"
survive. Patterns are matched case-insensitively against the paragraph with its
white space collapsed.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import NamedTuple

# For matching only: a no-break space separates words as a space does.
_SPACES = re.compile(r"[ \t\f\v\u00a0]+")
_WORD = re.compile(r"\w+")
_I = re.IGNORECASE


class _Rule(NamedTuple):
    limit: int
    """Longest paragraph, in words, that the rule may remove."""
    find: Callable[[str], re.Match[str] | None]
    """``match`` or ``search`` of the rule's compiled patterns."""
    needles: tuple[str, ...]
    """Lowercase substrings of which one must occur before the pattern is tried (speed)."""


def _rule(limit: int, *patterns: str, needles: str = "") -> _Rule:
    """Patterns that all start with ``^`` are tried with ``match`` (one position only)."""
    anchored = all(p.startswith("^") for p in patterns)
    if anchored:
        patterns = tuple(p[1:] for p in patterns)
    compiled = re.compile("|".join(f"(?:{p})" for p in patterns), _I)
    return _Rule(limit, compiled.match if anchored else compiled.search, _needles(needles))


def _needles(needles: str) -> tuple[str, ...]:
    return tuple(needles.split("|")) if needles else ()


# Openings of a sign-up line: "Get the briefing in your inbox", "Sign up for ...".
_PROMPT_START = (
    r"^(?:get|sign|subscribe|join|receive|want more|stay (?:up to date|informed|in the know|"
    r"connected)|don[’']?t miss|never miss|be the first|for more|click|tap|enter your|keep up|"
    r"(?:enjoy|enjoyed|like|love|liked|loved) this|interested in)\b"
)
# A time, a numeric date, a month name with a day or year, or "... ago".
_WHEN = (
    r"(?=.*(?:\b\d{1,2}:\d\d\b|\b\d{1,4}[/.-]\d{1,2}[/.-]\d{2,4}\b|\bago\b|"
    r"\b(?:jan|feb|mar|apr|may|jun|jul|aug|sep|oct|nov|dec)[a-z]*\.? \d))"
)
_RULES: list[_Rule] = [
    # Subscribe / sign-in / paywall prompts.
    _rule(
        20,
        r"^(?:subscribe|sign up|sign in|log ?in)(?:\W*$|\W+(?:now|today|here|to|for|with)\b)",
        r"^(?:join|subscribe|register) (?:now|today|for free|free|here)\b",
    ),
    _rule(
        30,
        r"^(?:start|create|get|try|activate|claim|unlock)\b.{0,60}"
        r"\b(?:free|premium|digital|unlimited) (?:account|trial|access|subscription)",
        r"^(?:get|unlock|read|enjoy|access)\b.{0,40}"
        r"\b(?:premium|exclusive|subscriber[- ]only) (?:stories|articles|content)\b",
        r"^continue reading(?: the main story| below)?\W*$",
    ),
    _rule(
        30,
        r"\balready (?:a |an )?(?:subscriber|member|registered)\b",
        r"\balready have an account\b",
        r"\bprint subscriber\b",
        needles="already|print subscriber",
    ),
    _rule(
        30,
        r"(?:^|[?.!]\s+)(?:please )?sign (?:in|up) (?:to|for) "
        r"(?:continue|keep|read|access|unlock|get|receive)\b",
        r"\b(?:continue|keep) reading\b.{0,60}\b(?:sign|subscri|log in|register|account)",
        needles="sign|reading",
    ),
    _rule(35, rf"{_PROMPT_START}.{{0,120}}\b(?:newsletters?|inbox)\b"),
    _rule(
        35,
        r"\bnewsletters?\b.{0,80}\b(?:to|in|into) your inbox\b",
        r"\b(?:to|in|into) your inbox\b.{0,80}\bnewsletters?\b",
        r"\bour\b.{0,30}\bnewsletters?\b.{0,40}\b(?:sign|subscri|free)",
        r"\bsign(?:ing)? up\b.{0,60}\bnewsletters?\b",
        needles="newsletter",
    ),
    _rule(
        40,
        r"\byou(?:[’']ve| have) (?:reached|read|used)\b.{0,40}\b(?:free|limit)\b",
        r"\bthis (?:article|content|story) is (?:for|only available to|reserved for|exclusive to)"
        r" (?:subscribers|members)\b",
        needles="free|limit|subscribers|members",
    ),
    _rule(
        70,
        r"^if you (?:enjoyed|liked|value|appreciate|found)\b.{0,120}"
        r"\b(?:join|subscri|support|donat|member)",
        r"^(?:please )?(?:support|help fund|donate to) (?:our|independent|quality) journalism\b",
    ),
    _rule(70, r"\bfor your personal,? non-?commercial use\b", needles="commercial use"),
    # Photo captions and credits.
    _rule(
        60,
        r"^(?:photo(?:graph)?s?|images?|pictures?|pictured|video|illustrations?|graphic|"
        r"credits?|caption)(?: credits?| by| courtesy(?: of)?| source)?\s*[:|©]",
    ),
    _rule(
        12,
        r"^\(?(?:photo(?:graph)?s?|images?|pictures?) (?:by|courtesy of|credits?|source)\b",
        r"^copyright\b(?=.*\b(?:19|20)\d\d\b)(?!.*[.!?]$)",
    ),
    _rule(
        12,
        r"\bgetty images\b|\bshutterstock\b|\bistock(?:photo)?\b|\bap photo\b|©|\(c\) \d{4}",
        r"\ball rights reserved\b",
        needles="getty|shutterstock|istock|ap photo|©|(c)|rights reserved",
    ),
    # Share, follow and contact lines.
    _rule(
        15,
        r"^share (?:this|the) (?:story|article|post|page)\b",
        r"^have a (?:news )?tip\b",
    ),
    _rule(
        15,
        r"\blike this (?:story|article)\b",
        r"\bshare (?:this|it) (?:with|on)\b",
        needles="like this|share",
    ),
    _rule(
        30,
        r"^follow\b.{0,120}\b(?:on|at|via) (?:twitter|facebook|instagram|youtube|tiktok|"
        r"linkedin|threads|bluesky|mastodon|https?://|@)",
        r"^follow (?:us|me|him|her|them)\b",
        r"^(?:e-?mail|contact|reach|write to)\b.{0,80}\S@\w",
    ),
    # Read more / related links (a prefixed link line; headings alone: _LINK_HEADING).
    _rule(
        25,
        r"^\[?(?:read more|read also|also read|read next|see more|see also|also see|more|"
        r"related(?: \w+)?|recommended|watch|listen|more on this|more on|also on|also)"
        r"\s*[:|»>–—]\s*\S",
        r"^also on \S+\.\w+\b",
    ),
    # Advertisement labels.
    _rule(
        8,
        r"^(?:advertisements?|advertising|advert|ads?|sponsored(?: content)?|paid content|"
        r"promoted(?: content)?|partner content|(?:story|article|content) continues below"
        r"(?: advertisement)?|continue reading below|scroll (?:down )?to continue"
        r"(?: with content)?|skip (?:ad|advert(?:isement)?))\W*$",
    ),
    # Cookie notices.
    _rule(
        80,
        r"\b(?:we|this (?:web)?site|our (?:web)?site|our partners) uses? cookies\b",
        r"\bby (?:continuing|clicking|using)\b.{0,80}\b(?:cookies|privacy policy)\b",
        r"^(?:accept|reject|allow|manage|decline)(?: all)? cookies\b",
        r"\bcookie (?:policy|settings|preferences|notice|consent)\b.{0,80}"
        r"\b(?:you|your|accept|agree|consent|continu|manage)",
        r"\b(?:you|your)\b.{0,80}\bcookie (?:policy|settings|preferences|notice|consent)\b",
        needles="cookie|privacy policy",
    ),
    # Comment prompts, page furniture, tags, timestamps and reporting credits.
    _rule(
        8,
        r"^(?:\d+\s+)?(?:comments?|responses?|replies|reactions)\W*$",
        r"^(?:leave|post|add|write|view|show|hide|read|see|load)(?: a| the| all| \d+| more)?"
        r" (?:comments?|reply|replies|responses?)\b",
        r"^(?:join the (?:conversation|discussion)|tell us what you think|comments? (?:are|have "
        r"been) closed)\b",
        r"^(?:skip to (?:main )?content|back to top|toggle navigation|loading(?:\.\.\.|…)?|"
        r"print(?: this)?(?: article| page)?|next article|previous article)\W*$",
        r"^(?:tags?|topics?|filed under|categories|category|keywords)\W*$",
        r"^source\s*:",
        r"^\d+\s*(?:-|–)?\s*min(?:ute)?s?\s+read\W*$|^reading time\b",
    ),
    _rule(40, r"^(?:tags?|topics?|filed under|categories|category|keywords)\s*:"),
    _rule(
        12,
        r"^\(?(?:updated|published|posted|last updated|last modified|first published|modified)"
        rf"\b{_WHEN}",
    ),
    _rule(
        50,
        r"^\((?:additional )?(?:reporting|writing|editing) by\b",
        r"^additional reporting by\b",
        r"^(?:reporting|writing|editing) by\b.*(?:;|\bediting by\b)",
    ),
    _rule(
        50,
        r"\bcontributed (?:reporting|to this (?:report|story|article))\b",
        needles="contributed",
    ),
]

# A heading alone on its line that opens a block of links to other stories.
_LINK_HEADING = re.compile(
    r"^(?:related(?: (?:posts?|articles?|stories|content|coverage|reading|links|news|topics|"
    r"videos?))?|read more|read also|also read|read next|more reading|further reading|"
    r"see also|see more|more(?: (?:from|on|in|like this|stories|news)\b.{0,40})?|"
    r"you (?:may|might) also (?:like|enjoy|be interested in)|recommended(?: for you| reading|"
    r" stories| articles)?|most (?:read|popular|viewed|shared)\b.{0,40}|trending(?: now| stories)?|"
    r"don[’']?t miss|top stories|latest (?:news|stories|videos)|editor[’']?s picks?|"
    r"what to read next|up next|popular (?:now|stories)|also|in other news|more to explore)"
    r"\W*$",
    _I,
)
_SHARE_SIGNAL = frozenset(
    "share tweet facebook twitter whatsapp linkedin reddit pinterest flipboard telegram "
    "messenger email print comments comment copy".split()
)
_SHARE_WORDS = _SHARE_SIGNAL | frozenset(
    "this article story post page on via e mail link it x sms pin save the to with a friend "
    "friends show hide view leave reply more options".split()
)
_CLICK_TO_TWEET = re.compile(r"\s*click to tweet\s*$", _I)
_SENTENCE_END = re.compile(r"[.!?…:;\"”’»]$")
_PARENTHESISED_TAIL = re.compile(r"\(([^()]{2,160})\)(\W*)$")
# What a credit in brackets at the end of a caption looks like: "(Photo: ...)", "(Photo by
# ...)", "(Courtesy of ...)", "(AP Photo/...)", "(.../Getty Images)".
_CREDIT_INSIDE = re.compile(
    r"^\s*(?:(?:photos?|photograph|image|picture|video|illustration)(?: credits?)?\s*(?::|by\b)"
    r"|(?:credits?|courtesy)\b)"
    r"|\bphoto/|\b(?:getty images|shutterstock|istock|alamy)\b",
    _I,
)
# News agencies, as they appear in slash-separated credits: "(Jane Doe/AFP)".
_AGENCIES = re.compile(
    r"\b(?:AP|AFP|Reuters|EPA|TNS|Pool|Bloomberg|Xinhua|UPI|Anadolu|PA|NASA|ESA|Sipa|"
    r"Polaris|ZUMA|SOPA)\b"
)
# A headline ending in an all-caps section tag, "... [VIDEO]": a link to another story.
_TAGGED_LINK = re.compile(r"\w\W*\s\[[A-Z]{3,}\]\W*$")
# A quoted passage of four words or more: speech, which no prompt rule may remove.
_QUOTED = re.compile(r"[“\"](?:[^”\"\s]+\s+){3,}[^”\"]*[”\"]")
_TABLE_DEBRIS = re.compile(r"^[|\s]*$")
_LIST_ITEM = re.compile(r"^[•\-*–]\s")


def _is_caption(paragraph: str, words: int) -> bool:
    """A caption that ends in a parenthesised credit, e.g. "(Jane Doe/AFP/Getty Images)"."""
    if words > 90:
        return False
    tail = _PARENTHESISED_TAIL.search(paragraph)
    if not tail:
        return False
    inner, after = tail.groups()
    if _CREDIT_INSIDE.search(inner):
        return True
    # "(Jane Doe/AFP)" closes a caption; "... a new poll (AP/NORC)." closes a sentence.
    return not after.strip() and "/" in inner and bool(_AGENCIES.search(inner))


def _is_share_line(words: list[str]) -> bool:
    lowered = [w.lower() for w in words]
    return (
        0 < len(lowered) <= 12
        and all(w in _SHARE_WORDS or w.isdigit() for w in lowered)
        and any(w in _SHARE_SIGNAL for w in lowered)
    )


def _headline_like(paragraph: str, words: int) -> bool:
    return words <= 20 and not _SENTENCE_END.search(paragraph)


def is_boilerplate(paragraph: str) -> bool:
    """True when ``paragraph`` is a standalone prompt, caption, credit or link line."""
    text = _SPACES.sub(" ", paragraph).strip()
    words = _WORD.findall(text)
    if not words:
        return bool(_TABLE_DEBRIS.match(text))
    count = len(words)
    if _is_share_line(words) or _is_caption(text, count):
        return True
    if count <= 25 and _TAGGED_LINK.search(text):
        return True
    if _QUOTED.search(text):  # quoted speech is article text, whatever it mentions
        return False
    lowered = text.lower()
    return any(
        count <= rule.limit
        and (not rule.needles or any(needle in lowered for needle in rule.needles))
        and rule.find(text)
        for rule in _RULES
    )


def strip_boilerplate(paragraphs: list[str]) -> list[str]:
    """``paragraphs`` without prompts, captions, credits, share and related-links lines.

    A heading such as "Related" or "You may also like" takes the headline-like lines
    and list items that follow it; a "Read more: ..." line takes the list items after it.
    """
    kept: list[str] = []
    after_heading = after_link = False
    for paragraph in paragraphs:
        # Judged without its edges, kept with them: a paragraph may open with an
        # ideographic or no-break space that is part of the text.
        kept_text = _CLICK_TO_TWEET.sub("", paragraph).strip(" \t\n")
        text = kept_text.strip()
        if not text:
            continue
        words = len(_WORD.findall(text))
        if _LINK_HEADING.match(text):
            after_heading, after_link = True, False
            continue
        if after_heading and (_LIST_ITEM.match(text) or _headline_like(text, words)):
            continue
        if after_link and _LIST_ITEM.match(text) and words <= 25:
            continue
        after_heading = after_link = False
        if is_boilerplate(text):
            after_link = True
            continue
        kept.append(kept_text)
    return kept
