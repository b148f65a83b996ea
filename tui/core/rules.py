"""Rules: a query and what to do with the articles it matches (hide, read, tag:NAME).

Rules come from the archive (``broadsheet rules add``) and from ``[[rules]]`` in the
settings file. They apply to each refresh's new articles, and with ``rules apply`` to
the whole archive (undoably). Each article's text is made plain at most once, and only
if a rule still needs it after its cheaper terms (feed, author, title) matched.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass, field

from .query import MAX_TEXT, Query, QueryError, Term, parse_query, plain
from .store import RuleRow, Store

_TAG = re.compile(r"^[\w][\w\-. ]{0,40}$")


@dataclass(frozen=True, slots=True)
class Rule:
    id: str
    """The number `rules remove` takes, or ``config:N`` for the settings file's."""
    query: Query
    action: str

    @property
    def tag(self) -> str | None:
        return self.action.removeprefix("tag:") if self.action.startswith("tag:") else None


@dataclass(slots=True)
class Outcome:
    """What the rules matched, per rule id, and how many articles changed."""

    matched: dict[str, list[int]] = field(default_factory=dict)
    changed: int = 0

    @property
    def total(self) -> int:
        return len({a for ids in self.matched.values() for a in ids})


def parse_action(text: str) -> str:
    """``hide``, ``read`` or ``tag:NAME``; anything else is one line naming the problem."""
    action = text.strip()
    if action in ("hide", "read"):
        return action
    if action.startswith("tag:"):
        name = action[4:].strip()
        if not _TAG.match(name):
            raise QueryError(f"--action {text!r}: a tag is a word of letters, digits, - or .")
        return "tag:" + name
    raise QueryError(f"--action {text!r}: use hide, read or tag:NAME")


def load_rules(store: Store, configured: Sequence[tuple[str, str]] = ()) -> list[Rule]:
    """The archive's rules, then the settings file's (each checked)."""
    rules = [Rule(str(r.id), parse_query(r.query), parse_action(r.action)) for r in store.rules()]
    for number, (query, action) in enumerate(configured, start=1):
        try:
            rules.append(Rule(f"config:{number}", parse_query(query), parse_action(action)))
        except QueryError as exc:
            raise QueryError(f"config: rule {number}: {exc.message}") from None
    return rules


def match(store: Store, rules: Sequence[Rule], after_id: int = 0) -> Outcome:
    """Which articles above ``after_id`` each rule matches.

    A rule's terms narrow its candidates one after the other, cheapest first, each as
    one pass over the candidates left: feed and author look at short strings; words
    and phrases are answered by the search index (so they mean what `/` means); only
    the articles a regular expression on the text still has to judge are read and made
    plain, once each.
    """
    outcome = Outcome({rule.id: [] for rule in rules})
    if not rules:
        return outcome
    everything: list[RuleRow] | None = None
    plain_text: dict[int, str] = {}
    searched: dict[str, set[int]] = {}
    for rule in rules:
        # A word the query needs narrows it to the index's matches before any row is
        # read: a saved search for a word in a big archive reads a few rows, not all.
        words = next((t.fts() for t in rule.query.terms if not t.negated and t.fts()), None)
        if words is not None:
            if words not in searched:
                searched[words] = store.search_ids(words, after_id)
            candidates = store.rule_heads(after_id, ids=searched[words])
        else:
            if everything is None:
                everything = store.rule_heads(after_id)
            candidates = everything
        for term in rule.query.terms:
            if not candidates:
                break
            keep = _judge(store, term, candidates, after_id, plain_text, searched)
            candidates = [row for row, hit in zip(candidates, keep, strict=True) if hit]
        outcome.matched[rule.id] = [row.id for row in candidates]
    return outcome


def _judge(
    store: Store,
    term: Term,
    rows: Sequence[RuleRow],
    after_id: int,
    plain_text: dict[int, str],
    searched: dict[str, set[int]],
) -> list[bool]:
    """For each row, whether it passes ``term`` (a negated term passes when absent)."""
    want = not term.negated
    words = term.fts()
    if words is not None:
        if words not in searched:
            searched[words] = store.search_ids(words, after_id)
        found = searched[words]
        return [(row.id in found) == want for row in rows]
    pattern = term.pattern
    if term.field in ("author", "feed"):
        if term.field == "author":
            texts = [[row.author or ""] for row in rows]
        else:
            texts = [[row.feed_url, row.feed_title] for row in rows]
        if pattern is None:
            needle = term.words[0]
            return [any(needle in t.casefold() for t in ts) == want for ts in texts]
        return [any(pattern.search(t) for t in ts) == want for ts in texts]
    assert pattern is not None
    hits = [False] * len(rows)
    if term.field in (None, "title"):
        hits = [bool(pattern.search(row.title)) for row in rows]
    if term.field in (None, "text"):
        unread = [row.id for row, hit in zip(rows, hits, strict=True) if not hit]
        missing = [i for i in unread if i not in plain_text]
        for article, body in store.bodies(missing).items():
            plain_text[article] = plain(body)[:MAX_TEXT]
        hits = [
            hit or bool(pattern.search(plain_text.get(row.id, "")))
            for row, hit in zip(rows, hits, strict=True)
        ]
    return [hit == want for hit in hits]


def run_rules(
    store: Store,
    rules: Sequence[Rule],
    *,
    after_id: int = 0,
    change: bool = True,
    undo_label: str | None = None,
) -> Outcome:
    """Match ``rules`` against the articles above ``after_id``; with ``change``, act."""
    outcome = match(store, rules, after_id)
    if change and outcome.total:
        by_id = {rule.id: rule for rule in rules}
        hide, read, tags = [], [], {}
        for rule_id, ids in outcome.matched.items():
            rule = by_id[rule_id]
            if rule.action == "hide":
                hide += ids
            elif rule.action == "read":
                read += ids
            elif rule.tag:
                tags.setdefault(rule.tag, []).extend(ids)
        outcome.changed = store.apply_actions(hide, read, tags, undo_label=undo_label)
    return outcome
