"""Train the quote speaker ranker on PolNeAR train and write its weights.

Usage::

    python scripts/train_quote_speakers.py PATH/TO/shared/eval [--folds K] [--dry-run]

For every quote ``find_quotes`` finds in a PolNeAR train article that matches a gold
quote (the scoring of ``scripts/eval_quotes.py``) whose speaker is not a bare
pronoun, the candidate speakers of ``tui.core.quotes.candidates`` are labelled: a
candidate is right when the gold speaker's last word is one of its words (the
README's speaker rule). A conditional logit model (a softmax over each quote's
candidates, L2-regularised, full-batch gradient descent with Adam, fixed seed and
epoch count) learns one weight per feature. Quotes with no right candidate teach
nothing and are left out.

The weights go to ``tui/core/quotes/speaker_weights.json`` with the data they came
from; the data itself is not shipped. ``--folds K`` prints the speaker accuracy of
K-fold cross-validation on train first, so the gap to the fitted figure shows.
Dev is never read here.
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parent))

import eval_quotes  # noqa: E402

from tui.core.models import Quote  # noqa: E402
from tui.core.quotes import analyse  # noqa: E402
from tui.core.quotes.candidates import FEATURES, candidates, vector  # noqa: E402

WEIGHTS = Path(__file__).resolve().parents[1] / "tui" / "core" / "quotes" / "speaker_weights.json"
SEED = 0
EPOCHS = 400
L2 = 1e-3
LEARNING_RATE = 0.05


Example = tuple[np.ndarray, np.ndarray]
"""One quote's candidates: (features, whether each is right)."""


def examples(articles: list[dict]) -> list[list[Example]]:
    """Per article, one example per matched gold quote whose speaker is not a bare
    pronoun and that has a right candidate."""
    out = []
    for art in articles:
        out.append([])
        text = art["text"]
        found = analyse(text)
        if found is None:
            continue
        cands = candidates(found.index, found.speakers, found.groups)
        quotes = [Quote(text[g.start : g.end], g.start, g.end, g.speaker) for g in found.groups]
        gold = eval_quotes.gold_quotes(art)
        for gi, pi, _ in eval_quotes.match(gold, quotes):
            speaker = gold[gi]["speaker"]
            if eval_quotes.is_pronoun(speaker) or not cands[pi]:
                continue
            labels = [eval_quotes.speaker_ok(speaker, c.display)["last_word"] for c in cands[pi]]
            if not any(labels):
                continue
            x = np.array([vector(c) for c in cands[pi]], dtype=np.float64)
            out[-1].append((x, np.array(labels, dtype=bool)))
    return out


def fit(data: list[Example], seed: int = SEED) -> np.ndarray:
    """Weights maximising the likelihood that each quote's right candidates win."""
    rng = np.random.default_rng(seed)
    x = np.concatenate([d[0] for d in data])
    y = np.concatenate([d[1] for d in data])
    sizes = np.array([len(d[1]) for d in data])
    group = np.repeat(np.arange(len(data)), sizes)
    w = rng.normal(0.0, 0.01, x.shape[1])
    m = np.zeros_like(w)
    v = np.zeros_like(w)
    for step in range(1, EPOCHS + 1):
        scores = x @ w
        # softmax within each quote's candidates
        top = np.full(len(data), -np.inf)
        np.maximum.at(top, group, scores)
        e = np.exp(scores - top[group])
        total = np.bincount(group, e, len(data))
        right = np.bincount(group, e * y, len(data))
        p_all = e / total[group]
        p_right = np.where(y, e / right[group], 0.0)
        grad = x.T @ (p_all - p_right) / len(data) + L2 * w
        m = 0.9 * m + 0.1 * grad
        v = 0.999 * v + 0.001 * grad**2
        w -= LEARNING_RATE * (m / (1 - 0.9**step)) / (np.sqrt(v / (1 - 0.999**step)) + 1e-8)
    return w


def accuracy(data: list[Example], w: np.ndarray) -> float:
    """Share of quotes whose best-scored candidate is right (on quotes that have one)."""
    return sum(bool(y[int(np.argmax(x @ w))]) for x, y in data) / max(1, len(data))


def folds(n: int, k: int, seed: int = SEED) -> list[np.ndarray]:
    """``k`` disjoint index sets over ``n`` articles, shuffled with a fixed seed."""
    order = np.random.default_rng(seed).permutation(n)
    return [order[i::k] for i in range(k)]


def train_part(per_article: list[list[Example]], held: np.ndarray) -> list[Example]:
    """The examples of every article not in ``held``."""
    held_set = set(held.tolist())
    return [e for i, ex in enumerate(per_article) if i not in held_set for e in ex]


def save(w: np.ndarray, n_articles: int, n_quotes: int, path: Path = WEIGHTS) -> None:
    payload = {
        "about": (
            "Weights of the quote speaker ranker (tui/core/quotes/ranker.py): a "
            "conditional logit over candidate speakers, one weight per feature. "
            f"Learned from PolNeAR train ({n_articles} articles, {n_quotes} quotes; "
            "github.com/networkdynamics/PolNeAR), which is not shipped. Re-train with "
            "python scripts/train_quote_speakers.py PATH/TO/shared/eval"
        ),
        "features": list(FEATURES),
        "weights": [round(float(value), 5) for value in w],
    }
    path.write_text(json.dumps(payload, indent=1) + "\n", encoding="utf-8")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("eval_dir", type=Path, help="the shared/eval folder")
    parser.add_argument("--folds", type=int, default=0, help="report K-fold CV accuracy first")
    parser.add_argument("--dry-run", action="store_true", help="do not write the weights")
    args = parser.parse_args(argv)
    articles = eval_quotes.load_polnear(args.eval_dir, "train")
    per_article = examples(articles)
    if args.folds > 1:
        right = total = 0.0
        for held in folds(len(articles), args.folds):
            w = fit(train_part(per_article, held))
            test = [e for i in held for e in per_article[i]]
            right += accuracy(test, w) * len(test)
            total += len(test)
        print(f"{args.folds}-fold CV: ranker picks a right candidate for {right / total:.4f}")
    data = [e for ex in per_article for e in ex]
    w = fit(data)
    print(f"fitted on all train: {accuracy(data, w):.4f} of {len(data)} quotes")
    if not args.dry_run:
        save(w, len(articles), len(data))
        print(f"wrote {WEIGHTS}")
    for name, value in sorted(zip(FEATURES, w, strict=True), key=lambda kv: -abs(kv[1])):
        print(f"  {value:+.3f} {name}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
