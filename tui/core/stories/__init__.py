"""Stories: articles from different feeds about the same event, grouped.

Offline and incremental: each refresh sketches its new articles (MinHash signatures over
pairs of content words, :mod:`.shingles`), finds candidates among the last days'
sketches by shared buckets, never all pairs (:mod:`.candidates`), confirms each pair by
shared wording, headline and lead (:mod:`.confirm`), and joins the confirmed pairs
into groups (:mod:`.group`). :mod:`.summary` draws one summary and one list of
quotations from every version of a story.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime

import numpy as np

from ..store import Store, StoredSketch
from .confirm import LEAD_WORDS, TITLE_WORDS, Thresholds
from .group import Doc, Sketched, connected, group, matching_pairs
from .shingles import EMPTY
from .window import SPAN, Block, read_window

__all__ = ["Doc", "GroupingReport", "Thresholds", "group", "update_stories"]

FIRST_RUN_DAYS = 7
"""How far back grouping reaches the first time (an archive from before stories)."""
KEEP_SKETCH_DAYS = 14
"""Articles older than this on arrival (a new feed's backlog) are not grouped."""


@dataclass(frozen=True, slots=True)
class GroupingReport:
    new_articles: int
    compared_with: int
    joined: int
    """New articles that joined a story."""


def update_stories(
    store: Store, *, now: datetime | None = None, limits: Thresholds | None = None
) -> GroupingReport:
    """Group the articles that arrived since the last call with the recent ones."""
    limits = limits or Thresholds()
    now_ts = int((now or datetime.now(UTC)).timestamp())
    upto = store.stories_upto()
    if upto is None:  # first run: the last week, not the whole archive
        upto, horizon = 0, now_ts - FIRST_RUN_DAYS * 86400
    else:
        horizon = now_ts - KEEP_SKETCH_DAYS * 86400
    # Read the top first: an article stored meanwhile waits for the next call.
    top = store.max_article_id()
    pending = store.pending_for_stories(upto, top, horizon)
    if not pending:
        if top != upto:
            store.save_stories([], {}, top)
        return GroupingReport(0, 0, 0)
    new = Sketched.of([Doc(p.id, p.title, p.body, p.time) for p in pending])
    window = int(limits.window_hours * 3600)
    start, end = int(new.times.min()) - window, int(new.times.max()) + window
    recent = read_window(store, start, end)
    old = _without_words(recent.between(start, end, upto))
    both = old.extend(new)

    def words_for(indices: np.ndarray) -> None:
        # Only the older articles in a candidate pair: most of the window is in none.
        found = store.sketch_words(both.ids[i] for i in indices.tolist())
        for index in indices.tolist():
            title, lead = found[both.ids[index]]
            both.titles[index] = np.frombuffer(title, np.uint64)
            both.leads[index] = np.frombuffer(lead, np.uint64)

    pairs = matching_pairs(both, limits, new_from=len(old), words_for=words_for)
    known = store.story_members({a for pair in pairs for a in pair})
    members = connected(pairs, known)
    changed = {a: s for a, s in members.items() if known.get(a) != s}
    store.save_stories(
        _to_stored(new),
        changed,
        top,
        recent.with_new(Block(np.array(new.ids, np.int64), new.times, new.signatures)),
        # Older blocks are out of reach: new articles older than KEEP_SKETCH_DAYS are
        # not grouped.
        forget_before=(now_ts - KEEP_SKETCH_DAYS * 86400 - window) // SPAN,
    )
    joined = sum(1 for article in new.ids if article in members)
    return GroupingReport(len(new), len(old), joined)


def _without_words(block: Block) -> Sketched:
    """Older articles with their signatures; headline and lead rows stay empty until
    a candidate pair asks for them."""
    count = len(block.ids)
    return Sketched(
        block.ids.tolist(),
        block.times,
        block.signatures,
        np.full((count, TITLE_WORDS), EMPTY, dtype=np.uint64),
        np.full((count, LEAD_WORDS), EMPTY, dtype=np.uint64),
    )


def _to_stored(sketched: Sketched) -> list[StoredSketch]:
    return [
        StoredSketch(
            article,
            int(sketched.times[index]),
            sketched.signatures[index].tobytes(),
            sketched.titles[index].tobytes(),
            sketched.leads[index].tobytes(),
        )
        for index, article in enumerate(sketched.ids)
    ]
