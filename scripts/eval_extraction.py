"""Score Broadsheet's article extraction on the article-extraction benchmark.

    python scripts/eval_extraction.py PATH/TO/eval/article_extraction [--seed PATH/TO/eval/seed]

The folder holds the scrapinghub Article Extraction Benchmark: 181 gzipped HTML pages
(``html/<id>.html.gz``), their ground truth (``ground-truth.json``) and upstream's stored
outputs of trafilatura 2.0.0 and readability-lxml (``reference_outputs/*.json.gz``).

The scorer follows the benchmark's description: texts are tokenised with ``\\w+``, each
becomes a multiset of word 4-gram shingles (a text of fewer than four tokens gives one
shorter shingle); per page, true positives, false positives and false negatives are the
multiset overlap and differences, normalised to sum to one so every page weighs the
same; precision is averaged over pages with TP+FP > 0, recall over pages with TP+FN > 0,
and F1 is computed from the two averages. Accuracy is the share of pages whose token
sequence equals the ground truth's. Before scoring our extractor, the script scores the
two bundled reference outputs and checks them against the published figures.

With ``--seed`` (default: ``seed`` beside the benchmark folder, when present), the
hand-labelled seed story goes through ``clean_text`` and is checked for its boilerplate
lines, its photo caption and its direct quotes. The last line printed is a JSON summary.
"""

from __future__ import annotations

import argparse
import gzip
import json
import re
import statistics
import sys
import time
from collections import Counter
from pathlib import Path

from tui.core.extract import clean_text, extract_article

_TOKEN = re.compile(r"\w+")
SHINGLE = 4
# Published F1 / precision / recall / accuracy of the bundled reference outputs.
PUBLISHED = {
    "trafilatura": (0.958, 0.938, 0.978, 0.293),
    "readability": (0.922, 0.913, 0.931, 0.315),
}

Counts = tuple[float, float, float]


def shingles(text: str) -> Counter[tuple[str, ...]]:
    tokens = _TOKEN.findall(text or "")
    if len(tokens) < SHINGLE:
        return Counter([tuple(tokens)] if tokens else [])
    return Counter(tuple(tokens[i : i + SHINGLE]) for i in range(len(tokens) - SHINGLE + 1))


def page_counts(truth: str, predicted: str) -> Counts:
    """(TP, FP, FN) over shingles, normalised to sum to one (all zero for two empty texts)."""
    true_set, pred_set = shingles(truth), shingles(predicted)
    tp = sum((true_set & pred_set).values())
    fp = sum((pred_set - true_set).values())
    fn = sum((true_set - pred_set).values())
    total = tp + fp + fn
    return (tp / total, fp / total, fn / total) if total else (0.0, 0.0, 0.0)


def _precision(tp: float, fp: float, fn: float) -> float:
    if fp == 0 and fn == 0:
        return 1.0
    return tp / (tp + fp) if tp + fp else 0.0


def _recall(tp: float, fp: float, fn: float) -> float:
    if fp == 0 and fn == 0:
        return 1.0
    return tp / (tp + fn) if tp + fn else 0.0


def score(truth: dict[str, str], predicted: dict[str, str]) -> dict[str, float]:
    if truth.keys() != predicted.keys():
        raise ValueError("predicted keys do not match the ground truth")
    rows = [page_counts(truth[key], predicted[key]) for key in truth]
    precisions = [_precision(*row) for row in rows if row[0] + row[1] > 0]
    recalls = [_recall(*row) for row in rows if row[0] + row[2] > 0]
    precision = statistics.mean(precisions)
    recall = statistics.mean(recalls)
    f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
    exact = sum(_TOKEN.findall(truth[k]) == _TOKEN.findall(predicted[k]) for k in truth)
    return {
        "f1": f1,
        "precision": precision,
        "recall": recall,
        "accuracy": exact / len(truth),
    }


def _line(name: str, metrics: dict[str, float]) -> str:
    return (
        f"{name:<24} F1={metrics['f1']:.3f}  P={metrics['precision']:.3f}  "
        f"R={metrics['recall']:.3f}  acc={metrics['accuracy']:.3f}"
    )


def check_reference_outputs(root: Path, truth: dict[str, str]) -> bool:
    """Score the bundled outputs and compare with the published figures (3 decimals)."""
    all_match = True
    for name, published in PUBLISHED.items():
        path = root / "reference_outputs" / f"{name}.json.gz"
        if not path.exists():
            print(f"{name:<24} reference output missing: {path}")
            all_match = False
            continue
        output = json.loads(gzip.decompress(path.read_bytes()))["output"]
        predicted = {key: output.get(key, {}).get("articleBody") or "" for key in truth}
        metrics = score(truth, predicted)
        ours = tuple(round(metrics[k], 3) for k in ("f1", "precision", "recall", "accuracy"))
        match = ours == published
        all_match &= match
        verdict = "matches published" if match else f"DIFFERS from published {published}"
        print(f"{_line(name + ' (bundled)', metrics)}  {verdict}")
    return all_match


def check_seed(seed: Path) -> dict[str, object]:
    """The seed story through ``clean_text``: boilerplate and caption gone, quotes intact."""
    text = clean_text((seed / "article.txt").read_text(encoding="utf-8"))
    labels = json.loads((seed / "labels.json").read_text(encoding="utf-8"))
    left = [line for line in labels["boilerplate_lines"] if line in text]
    caption_left = labels["photo_caption_starts"] in text
    missing = [q["text"] for q in labels["direct_quotes"] if q["text"] not in text]
    headline = labels["headline"] in text
    ok = not left and not caption_left and not missing
    print(
        f"seed: boilerplate left {len(left)}/{len(labels['boilerplate_lines'])}, "
        f"caption left {caption_left}, quotes intact "
        f"{len(labels['direct_quotes']) - len(missing)}/{len(labels['direct_quotes'])}, "
        f"headline kept {headline} -> {'OK' if ok else 'FAIL'}"
    )
    for line in left:
        print(f"  boilerplate survived: {line}")
    for quote in missing:
        print(f"  quote lost: {quote}")
    return {
        "ok": ok,
        "boilerplate_left": len(left),
        "caption_left": caption_left,
        "quotes_missing": len(missing),
    }


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("folder", type=Path, help="the article_extraction benchmark folder")
    parser.add_argument("--seed", type=Path, help="the seed story folder (default: ../seed)")
    parser.add_argument("--worst", type=int, default=0, help="list the N worst pages by F1")
    args = parser.parse_args(argv)
    root: Path = args.folder
    ground_truth = json.loads((root / "ground-truth.json").read_text(encoding="utf-8"))
    truth = {key: item.get("articleBody") or "" for key, item in ground_truth.items()}

    scorer_ok = check_reference_outputs(root, truth)

    predicted: dict[str, str] = {}
    timings: list[float] = []
    for key, item in ground_truth.items():
        html = gzip.decompress((root / "html" / f"{key}.html.gz").read_bytes()).decode("utf-8")
        start = time.perf_counter()
        predicted[key] = extract_article(html, item.get("url"))
        timings.append(time.perf_counter() - start)
    metrics = score(truth, predicted)
    median_ms = statistics.median(timings) * 1000
    print(f"{_line('broadsheet extract', metrics)}  median {median_ms:.1f} ms/page")
    print(
        f"published for comparison: trafilatura 2.0.0 F1 0.958, rs_trafilatura 0.970 (best), "
        f"readability-lxml 0.922; pages: {len(truth)}"
    )
    if args.worst:
        by_f1 = []
        for key in truth:
            tp, fp, fn = page_counts(truth[key], predicted[key])
            p, r = _precision(tp, fp, fn), _recall(tp, fp, fn)
            by_f1.append((2 * p * r / (p + r) if p + r else 0.0, p, r, key))
        for f1, p, r, key in sorted(by_f1)[: args.worst]:
            print(f"  {f1:.3f} P={p:.3f} R={r:.3f} {key[:16]} {ground_truth[key].get('url')}")

    summary: dict[str, object] = {
        "pages": len(truth),
        "f1": round(metrics["f1"], 4),
        "precision": round(metrics["precision"], 4),
        "recall": round(metrics["recall"], 4),
        "accuracy": round(metrics["accuracy"], 4),
        "median_ms": round(median_ms, 2),
        "scorer_matches_published": scorer_ok,
    }
    seed = args.seed or root.parent / "seed"
    if (seed / "article.txt").exists():
        summary["seed"] = check_seed(seed)
    print(json.dumps(summary))
    return 0 if scorer_ok else 1


if __name__ == "__main__":
    sys.exit(main())
