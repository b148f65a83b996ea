"""Finding speech verbs in text: "said", "told", "according to" and the rest.

One regular expression over the lexicon's speech verbs, factored by prefix, and the
checks that tell a verb from a noun ("a call", "his remarks") or another sense
("continued to", "called for", "is said to be").
"""

from __future__ import annotations

import re
from collections.abc import Iterator

from tui.core.quotes.lexicon import AMBIGUOUS_S, PRONOUNS, SPEECH_VERBS, TAKES_TO, TO_OBJECT


def _trie_pattern(words: frozenset[str]) -> str:
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


_VERB_FIRST = "".join(sorted({w[0] for w in SPEECH_VERBS}))
_VERB = re.compile(rf"(?<![\w'’-])(?=[{_VERB_FIRST}]){_trie_pattern(SPEECH_VERBS)}(?![\w'’-])")
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
PARTICIPLE = re.compile(r"\w+ing")


def speech_verbs(text: str, lo: int = 0, hi: int | None = None) -> Iterator[re.Match[str]]:
    """Speech verbs in ``text[lo:hi]``, leaving out nouns ("a call", "his remarks")
    and verbs in other senses ("continued to", "called for", "is said to be")."""
    hi = len(text) if hi is None else hi
    for m in _VERB.finditer(text, lo, hi):
        before = text[max(0, m.start() - 40) : m.start()]
        if _DETERMINER_BEFORE.search(before):
            continue
        word = m.group()
        if word in AMBIGUOUS_S:
            prev = _WORD_BEFORE.search(before)
            after_name = prev is not None and (
                prev.group(1)[:1].isupper() or prev.group(1).lower() in PRONOUNS
            )
            # "the letter reads." ends a clause as a verb; "the phone calls were" is a noun
            after_noun = (
                bool(_DET_NOUN_BEFORE.search(before)) and text[m.end() : m.end() + 1] in ".,;"
            )
            if not (after_name or after_noun):
                continue
        if word in TAKES_TO:
            to = _TO_VERB.match(text, m.end())
            if to and (word not in TO_OBJECT or text.startswith("be ", to.end())):
                continue
        yield m
