"""Stage 6: choose each quotation's speaker among the candidates, by learned weights.

A linear score per candidate (one weight per feature of ``candidates.FEATURES``);
the best-scored candidate is the speaker. The weights in ``speaker_weights.json``
were learned on PolNeAR train by ``scripts/train_quote_speakers.py`` (the data is
not shipped). They load on first use, from a small JSON file: no numpy or the like
at run time. Without them (a missing or mismatched file) the rules' answer stands.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from functools import cache
from pathlib import Path

from tui.core.quotes.candidates import FEATURES, candidates, vector
from tui.core.quotes.index import TextIndex
from tui.core.quotes.pieces import Group
from tui.core.quotes.speakers import Speakers

WEIGHTS_FILE = Path(__file__).with_name("speaker_weights.json")
TRUSTED_RULES = frozenset({"post", "pre"})
"""Rule answers the ranker leaves alone: an attribution in the quote's own sentence,
right after a piece or before the quote. Chosen on PolNeAR train (cross-validated):
overriding them won nothing there."""


@cache
def shipped_weights() -> tuple[float, ...] | None:
    """The weights shipped with the package, or None if they do not fit."""
    try:
        payload = json.loads(WEIGHTS_FILE.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None
    if payload.get("features") != list(FEATURES):
        return None  # trained for other features: re-run the training script
    return tuple(float(w) for w in payload["weights"])


def choose_speakers(
    index: TextIndex,
    speakers: Speakers,
    groups: list[Group],
    weights: Sequence[float] | None = None,
) -> None:
    """Give each group the best-scored candidate as its speaker."""
    weights = shipped_weights() if weights is None else weights
    if not weights:
        return
    for g, cands in zip(
        groups, candidates(index, speakers, groups, skip=TRUSTED_RULES), strict=True
    ):
        if not cands:
            continue
        best = max(cands, key=lambda c: sum(w * x for w, x in zip(weights, vector(c), strict=True)))
        g.speaker = best.display
