"""Re-train the ``learned`` summary scorer from the shared CNN/DM training pairs.

    python scripts/train_summarizer.py ../shared/eval/summarization/cnndm_large/train.jsonl.gz \
        [--out tui/core/summarize/scorer.npz] [--dev]

Needs ``pip install ".[train]"`` (LightGBM for fitting, rouge-score's stemmer for the
oracle); the reader itself only needs NumPy to run the result. The run is reproducible:
fixed folds, seeds and one thread, so the same data gives the same file.

1. Each article is split (a regular expression for the tokenised text) and cleaned like
   the reader's text; a greedy ROUGE-1 + ROUGE-2 oracle against the highlights labels up
   to three sentences as summary-worthy.
2. Word salience, the log-odds that an article's word is also in its highlights, is
   counted over the training articles. The training features of each fifth of the data
   use salience counted on the other four fifths, so the trees learn how much to trust
   it on articles it was not counted on.
3. LightGBM fits binary gradient-boosted trees on the features of
   :mod:`tui.core.summarize.learned`; the trees are checked to give the same scores in
   NumPy as in LightGBM, and saved with the salience of the words seen in at least
   ``--min-articles`` articles.

``--dev`` holds a seventh of the articles back (by a hash of the id), trains on the rest,
and prints ROUGE-1/2 F of the scorer and of Lead-3 on the held-back part; the saved file
is always trained on everything.
"""

from __future__ import annotations

import argparse
import hashlib
import math
import statistics
import sys
import time
from collections import Counter
from pathlib import Path

import numpy as np
from summary_data import Pair, f_measure, greedy_oracle, ngrams, read_pairs, rouge_tokens

from tui.core.summarize.learned import (
    Scorer,
    content_terms,
    features,
    scorer_arrays,
    select,
    words_of,
)
from tui.core.summarize.trees import forest_from_lightgbm

FOLDS = 5
SMOOTHING = 20.0
"""Salience is shrunk towards the overall rate as if from this many more articles."""
PARAMETERS = {
    "objective": "binary",
    "n_estimators": 300,
    "learning_rate": 0.05,
    "num_leaves": 31,
    "min_child_samples": 50,
    "subsample": 0.8,
    "subsample_freq": 1,
    "colsample_bytree": 0.8,
    "random_state": 1,
    "n_jobs": 1,
    "deterministic": True,
    "verbose": -1,
}


def article_words(pair: Pair) -> tuple[set[str], set[str]]:
    """The article's content words, and those of them that are also in its highlights."""
    found: set[str] = set()
    for sentence in pair.sentences:
        found.update(content_terms(words_of(sentence)))
    highlighted = set(content_terms(words_of(" ".join(pair.highlights))))
    return found, found & highlighted


def count_salience(
    documents: list[tuple[set[str], set[str]]], min_articles: int
) -> tuple[dict[str, float], float]:
    """Log-odds per word of being in the highlights when in the article; words seen in
    fewer than ``min_articles`` articles share one value."""
    seen: Counter[str] = Counter()
    kept: Counter[str] = Counter()
    for found, highlighted in documents:
        seen.update(found)
        kept.update(highlighted)
    base = sum(kept.values()) / sum(seen.values())
    rare_seen = sum(n for word, n in seen.items() if n < min_articles)
    rare_kept = sum(kept[word] for word, n in seen.items() if n < min_articles)
    rare_rate = (rare_kept + SMOOTHING * base) / (rare_seen + SMOOTHING)
    salience = {}
    for word, n in seen.items():
        if n >= min_articles:
            rate = (kept[word] + SMOOTHING * base) / (n + SMOOTHING)
            salience[word] = math.log(rate / (1 - rate))
    return salience, math.log(rare_rate / (1 - rare_rate))


def fit(matrix: np.ndarray, labels: np.ndarray):
    import lightgbm

    return lightgbm.LGBMClassifier(**PARAMETERS).fit(matrix, labels)


def rouge12(sentences: list[str], reference: str) -> tuple[float, float]:
    tokens = [t for sentence in sentences for t in rouge_tokens(sentence)]
    goal = rouge_tokens(reference)
    return (
        100 * f_measure(ngrams(tokens, 1), ngrams(goal, 1)),
        100 * f_measure(ngrams(tokens, 2), ngrams(goal, 2)),
    )


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("train", type=Path, help="cnndm_large/train.jsonl.gz")
    parser.add_argument(
        "--out",
        type=Path,
        default=Path(__file__).resolve().parents[1] / "tui/core/summarize/scorer.npz",
    )
    parser.add_argument("--min-articles", type=int, default=10)
    parser.add_argument("--limit", type=int, help="read only the first N pairs")
    parser.add_argument("--dev", action="store_true", help="report on a held-back seventh")
    args = parser.parse_args(argv)

    started = time.perf_counter()
    pairs = [pair for pair in read_pairs(args.train, args.limit) if pair.sentences]
    labels = []
    for pair in pairs:
        label = np.zeros(len(pair.sentences))
        label[greedy_oracle(pair.sentences, "\n".join(pair.highlights))] = 1
        labels.append(label)
    words = [article_words(pair) for pair in pairs]
    print(f"{len(pairs)} articles read and labelled in {time.perf_counter() - started:.0f} s")

    # Cross-fitted features: each fold's salience is counted without that fold.
    matrices: list[np.ndarray] = [np.zeros(0)] * len(pairs)
    for fold in range(FOLDS):
        salience, unknown = count_salience(
            [w for i, w in enumerate(words) if i % FOLDS != fold], args.min_articles
        )
        for i in range(fold, len(pairs), FOLDS):
            matrices[i] = features(pairs[i].sentences, salience, unknown)
    print(f"features in {time.perf_counter() - started:.0f} s")

    if args.dev:
        held = [hashlib.sha1(p.id.encode()).digest()[0] % 7 == 0 for p in pairs]
        model = fit(
            np.vstack([m for m, h in zip(matrices, held, strict=True) if not h]),
            np.concatenate([y for y, h in zip(labels, held, strict=True) if not h]),
        )
        ours, lead, gains = [], [], []
        for pair, matrix, is_held in zip(pairs, matrices, held, strict=True):
            if not is_held:
                continue
            reference = "\n".join(pair.highlights)
            if len(pair.sentences) <= 3:
                picked = list(pair.sentences)
            else:
                scores = model.booster_.predict(matrix, raw_score=True)
                picked = [pair.sentences[i] for i in select(pair.sentences, scores, 3)]
            ours.append(rouge12(picked, reference))
            lead.append(rouge12(list(pair.sentences[:3]), reference))
            gains.append(ours[-1][0] - lead[-1][0])
        print(
            f"dev ({len(ours)} articles) R1/R2: scorer "
            f"{statistics.fmean(r[0] for r in ours):.2f}/{statistics.fmean(r[1] for r in ours):.2f}"
            f", Lead-3 {statistics.fmean(r[0] for r in lead):.2f}"
            f"/{statistics.fmean(r[1] for r in lead):.2f}, R1 gain {statistics.fmean(gains):+.2f}"
        )

    model = fit(np.vstack(matrices), np.concatenate(labels))
    salience, unknown = count_salience(words, args.min_articles)
    forest = forest_from_lightgbm(model.booster_.dump_model())
    sample = np.vstack(matrices[:200])
    difference = np.abs(forest.predict(sample) - model.booster_.predict(sample, raw_score=True))
    if difference.max() > 1e-9:
        raise SystemExit(f"NumPy trees differ from LightGBM by {difference.max()}")
    about = {
        "trained_on": "CNN/DailyMail training pairs, ../shared/eval/summarization/"
        "cnndm_large/train.jsonl.gz (not shipped)",
        "articles": len(pairs),
        "command": "python scripts/train_summarizer.py " + " ".join(argv or sys.argv[1:]),
        "parameters": PARAMETERS,
        "min_articles": args.min_articles,
    }
    arrays = scorer_arrays(Scorer(salience, unknown, forest), about)
    args.out.parent.mkdir(parents=True, exist_ok=True)
    np.savez_compressed(args.out, **arrays)
    print(
        f"saved {args.out} ({args.out.stat().st_size / 1024:.0f} KB: {len(forest.roots)} trees, "
        f"{len(salience)} words) in {time.perf_counter() - started:.0f} s"
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
