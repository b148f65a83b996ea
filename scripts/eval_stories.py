"""Story grouping quality on the labelled set in tests/data/stories.

    python scripts/eval_stories.py [--sweep]

Groups each part of the set (``tune``, used to choose the thresholds, and
``held_out``, never looked at while choosing) on its own and prints pairwise precision
and recall: of the pairs of articles put in one story, how many are one event; of the
pairs that are one event, how many were put together. ``--sweep`` prints both parts'
figures for a range of the confirmation threshold.
"""

from __future__ import annotations

import argparse
import json
import sys
from dataclasses import replace
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from tests.storyset import found_pairs, load, precision_recall, true_pairs  # noqa: E402
from tui.core.stories import Doc, Thresholds, group  # noqa: E402


def score(part: str, limits: Thresholds) -> dict[str, float]:
    versions = [v for v in load() if v.part == part]
    stories = group([Doc(v.id, v.title, v.html, v.time) for v in versions], limits)
    truth = true_pairs(versions)
    found = found_pairs(stories, [v.id for v in versions])
    precision, recall = precision_recall(found, truth)
    return {
        "articles": len(versions),
        "true_pairs": len(truth),
        "found_pairs": len(found),
        "precision": round(precision, 3),
        "recall": round(recall, 3),
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sweep", action="store_true", help="vary the confirmation threshold")
    args = parser.parse_args()
    limits = Thresholds()
    if args.sweep:
        for step in range(30, 71, 2):
            trial = replace(limits, confirm=step / 100)
            tune, held = score("tune", trial), score("held_out", trial)
            print(
                f"confirm {trial.confirm:.2f}  tune P {tune['precision']:.3f} "
                f"R {tune['recall']:.3f}  held-out P {held['precision']:.3f} "
                f"R {held['recall']:.3f}"
            )
        return
    results = {part: score(part, limits) for part in ("tune", "held_out")}
    for part, figures in results.items():
        print(
            f"{part:<9} {figures['articles']} articles, {figures['true_pairs']} true pairs: "
            f"precision {figures['precision']:.3f}, recall {figures['recall']:.3f}"
        )
    print(json.dumps({"benchmark": "stories_quality", **results}))


if __name__ == "__main__":
    main()
