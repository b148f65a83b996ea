"""Evaluate Broadsheet's summary methods with ROUGE on the shared news samples.

    python scripts/eval_summaries.py /path/to/eval/summarization [--tune] [--methods a,b]

Needs ``rouge-score`` (a development dependency). Scores are rouge-score's F-measure x 100
with the Porter stemmer, for ROUGE-1, ROUGE-2 and ROUGE-Lsum (summary and reference
sentences on separate lines, as rouge-score expects), macro-averaged:

* CNN/DM (50, journalists' highlights): each method picks 3 sentences of ``article``;
  the reference is the highlights, one per line. "Lead-3 (FRANK lines)" is the first
  three of the dataset's own ``article_lines``, the README's reference baseline
  (40.8 / 17.1 / 36.8).
* BBC (150, extractive references): each method picks as many sentences as the reference
  has from the article body, with the title given; the reference is the dataset's
  reference sentences, one per line (Lead-k reproduces 62.6 / 49.1 / 61.3).
* XSum (50, one-sentence abstractive references, for information): 1 sentence each.

Every sample is split in two halves by a hash of its id: "dev" (used by ``--tune`` to
choose the ``combined`` method's weights, together with the 24 GUM Wikinews articles and
their one-sentence human summaries from ``../sentence_boundaries``) and "test" (never used
for tuning). The tables
show the test half, the dev half and all items, each followed by the default method's mean
(R1 + R2 + RLsum) / 3 gain over the dataset's own Lead-k lines and its per-article
wins/losses/ties on each half. ``--tune`` also prints the gains of the default's fixed
weights on both halves (over Lead-k of the summarizer's own sentences), so a default not
tuned on a half is checked on it. Times are the median milliseconds per
article for each method on the CNN/DM and BBC articles, and on 1,000-word articles (CNN/DM
articles cut to their first 1,000 words). The last line printed is a JSON summary.
"""

from __future__ import annotations

import argparse
import dataclasses
import hashlib
import itertools
import json
import statistics
import sys
import time
from dataclasses import dataclass
from pathlib import Path

import numpy as np
from rouge_score import rouge_scorer

from tui.core.sentences import split_sentences
from tui.core.summarize import DEFAULT_METHOD, METHODS, summarize, summary_sentences
from tui.core.summarize.combined import (
    DEFAULT_WEIGHTS,
    CombinedWeights,
    select_from_features,
    sentence_features,
)

KEYS = ("rouge1", "rouge2", "rougeLsum")
_scorer = rouge_scorer.RougeScorer(list(KEYS), use_stemmer=True)


@dataclass(frozen=True)
class Item:
    dataset: str
    id: str
    article: str
    reference: str
    """Reference sentences, one per line."""
    count: int
    title: str | None = None
    lead_lines: tuple[str, ...] = ()
    """The dataset's own sentence split, for the reference Lead-k."""

    @property
    def half(self) -> str:
        digest = hashlib.sha1(self.id.encode()).digest()
        return "dev" if digest[0] % 2 == 0 else "test"


def load(folder: Path) -> list[Item]:
    items = []
    frank = folder / "cnndm_xsum_frank"
    for line in (frank / "cnndm_frank_sample.jsonl").read_text(encoding="utf-8").splitlines():
        row = json.loads(line)
        reference = "\n".join(part.strip() for part in row["reference"].split(" . "))
        items.append(
            Item(
                "cnndm", row["id"], row["article"], reference, 3, None, tuple(row["article_lines"])
            )
        )
    for line in (frank / "xsum_frank_sample.jsonl").read_text(encoding="utf-8").splitlines():
        row = json.loads(line)
        items.append(
            Item(
                "xsum",
                row["id"],
                row["article"],
                row["reference"],
                1,
                None,
                tuple(row["article_lines"]),
            )
        )
    bbc = folder / "bbc_news_summary" / "bbc_news_summary_sample150.jsonl"
    for line in bbc.read_text(encoding="utf-8").splitlines():
        row = json.loads(line)
        sentences = row["article_sentences"]
        indices = row["summary_sentence_indices"]
        reference = "\n".join(sentences[i] for i in indices)
        items.append(
            Item(
                "bbc",
                row["id"],
                row["article"],
                reference,
                len(indices),
                row["title"],
                tuple(sentences),
            )
        )
    return items


def rouge(reference: str, summary: list[str]) -> tuple[float, float, float]:
    scores = _scorer.score(reference, "\n".join(" ".join(s.split()) for s in summary))
    return tuple(100 * scores[key].fmeasure for key in KEYS)  # type: ignore[return-value]


def mean(rows: list[tuple[float, float, float]]) -> tuple[float, float, float]:
    return tuple(statistics.fmean(column) for column in zip(*rows, strict=True))  # type: ignore[return-value]


def run_methods(items: list[Item], methods: list[str]) -> dict[str, dict[str, list]]:
    """{method: {item id: (scores, milliseconds)}}."""
    results: dict[str, dict[str, list]] = {}
    for method in methods:
        per_item = {}
        for item in items:
            start = time.perf_counter()
            summary = summarize(item.article, method=method, sentences=item.count, title=item.title)
            elapsed = (time.perf_counter() - start) * 1000
            per_item[item.id] = [rouge(item.reference, list(summary.sentences)), elapsed]
        results[method] = per_item
    return results


def thousand_word_articles(items: list[Item]) -> list[str]:
    """1,000-word texts: each CNN/DM article followed by the next ones (paragraphs apart)
    until 1,000 words, cut at the sentence that reaches 1,000 words."""
    articles = [item.article for item in items if item.dataset == "cnndm"]
    texts = []
    for first in range(len(articles)):
        sentences: list[str] = []
        words = 0
        for article in articles[first:] + articles[:first]:
            for sentence in split_sentences(article):
                sentences.append(sentence)
                words += len(sentence.split())
                if words >= 1000:
                    break
            if words >= 1000:
                break
            sentences.append("\n\n")
        texts.append(" ".join(sentences).replace(" \n\n ", "\n\n"))
    return texts


def time_methods(texts: list[str], methods: list[str], repeat: int = 3) -> dict[str, float]:
    timings = {}
    for method in methods:
        summarize(texts[0], method=method)  # imports and caches
        samples = []
        for _ in range(repeat):
            for text in texts:
                start = time.perf_counter()
                summarize(text, method=method)
                samples.append((time.perf_counter() - start) * 1000)
        timings[method] = statistics.median(samples)
    return timings


def load_gum(folder: Path) -> list[Item]:
    """The 24 GUM Wikinews articles with their one-sentence human summaries (tuning only).

    The body skips the headline and dateline paragraphs; the headline is the title."""
    path = folder.parent / "sentence_boundaries" / "gum_wikinews_sbd.jsonl"
    if not path.exists():
        return []
    items = []
    for line in path.read_text(encoding="utf-8").splitlines():
        row = json.loads(line)
        body = "\n\n".join(" ".join(paragraph) for paragraph in row["paragraphs"][2:])
        items.append(Item("gum", row["id"], body, row["human_summary"], 1, row["title"]))
    return items


TUNING_GRID = {
    "centrality": [0.0, 0.25, 0.5, 0.75],
    "position_decay": [0.5, 0.75, 1.0, 1.5],
    "long": [0.0, 0.3, 0.6],
    "quote": [0.0, 0.3],
    "redundancy": [0.0, 0.3, 0.6],
}
"""Searched with ``position = 1``, ``title = 0.25``, ``short = 0.5`` held fixed."""


def tune(items: list[Item], gum: list[Item], half: str = "dev") -> CombinedWeights:
    """Grid search of the combined method's weights on one half of the data.

    Tuning data: the ``half`` halves of CNN/DM, BBC and XSum, and all of GUM; the gains
    of the choice on the other half are printed too (``half="test"`` is the cross-check
    of the default, which was tuned on "dev"). For each point of :data:`TUNING_GRID` we
    compute the mean (R1 + R2 + RLsum) / 3 gain over Lead-k per dataset. The choice
    maximises the CNN/DM gain averaged over the point and its one-step neighbours in the
    grid (a flat region, not a lucky spike), among points that also gain on BBC and GUM."""
    dev = [item for item in items if item.half == half] + gum
    held_out = [item for item in items if item.half != half]
    prepared, prepared_held_out = [], []
    for group, target in ((dev, prepared), (held_out, prepared_held_out)):
        for item in group:
            units = summary_sentences(item.article)
            target.append((item, units, sentence_features(units, item.title)))
    cache: dict[tuple[str, tuple[int, ...]], float] = {}

    def objective(weights: CombinedWeights | None, data: list | None = None) -> dict[str, float]:
        totals: dict[str, list[float]] = {}
        for item, units, features in prepared if data is None else data:
            if len(units) <= item.count:
                chosen: tuple[int, ...] = tuple(range(len(units)))
            elif weights is None:
                chosen = tuple(range(item.count))
            else:
                chosen = tuple(select_from_features(features, item.count, weights))
            key = (item.id, chosen)
            if key not in cache:
                cache[key] = sum(rouge(item.reference, [units[i] for i in chosen])) / 3
            totals.setdefault(item.dataset, []).append(cache[key])
        return {name: statistics.fmean(values) for name, values in totals.items()}

    lead = objective(None)
    names = list(TUNING_GRID)
    fixed = {"position": 1.0, "title": 0.25, "short": 0.5}
    gains: dict[tuple, dict[str, float]] = {}
    for values in itertools.product(*(TUNING_GRID[name] for name in names)):
        weights = dataclasses.replace(
            DEFAULT_WEIGHTS, **fixed, **dict(zip(names, values, strict=True))
        )
        result = objective(weights)
        gains[values] = {name: result[name] - lead[name] for name in result}

    def neighbours(values: tuple) -> list[tuple]:
        found = [values]
        for position, name in enumerate(names):
            grid = TUNING_GRID[name]
            index = grid.index(values[position])
            for other in (index - 1, index + 1):
                if 0 <= other < len(grid):
                    changed = list(values)
                    changed[position] = grid[other]
                    found.append(tuple(changed))
        return found

    best_values, best_score = None, float("-inf")
    for values, gain in gains.items():
        if gain["bbc"] <= 0 or gain.get("gum", 0.0) < 0:
            continue
        smoothed = statistics.fmean(gains[v]["cnndm"] for v in neighbours(values))
        if smoothed > best_score:
            best_values, best_score = values, smoothed
    assert best_values is not None
    chosen = dataclasses.replace(
        DEFAULT_WEIGHTS, **fixed, **dict(zip(names, best_values, strict=True))
    )
    print(f"{half} Lead-k: { {k: round(v, 2) for k, v in lead.items()} }", file=sys.stderr)
    print(
        f"{half} gains of the choice: { {k: round(v, 2) for k, v in gains[best_values].items()} }",
        file=sys.stderr,
    )
    print(f"neighbourhood CNN/DM gain: {best_score:.2f}", file=sys.stderr)
    lead_held_out = objective(None, prepared_held_out)
    held_out_gain = {
        name: round(value - lead_held_out[name], 2)
        for name, value in objective(chosen, prepared_held_out).items()
    }
    print(f"gains of the choice on the held-out half: {held_out_gain}", file=sys.stderr)
    # The default's fixed weights, checked on both halves (no tuning on either).
    for label, data, baseline in (
        (f"{half} (tuning) half", None, lead),
        ("held-out half", prepared_held_out, lead_held_out),
    ):
        default_gain = {
            name: round(value - baseline[name], 2)
            for name, value in objective(DEFAULT_WEIGHTS, data).items()
        }
        print(f"gains of the default weights on the {label}: {default_gain}", file=sys.stderr)
    return chosen


TITLE_GRID = (0.0, 0.5, 1.0, 1.5, 2.0, 3.0, 4.0, 5.0, 6.0, 8.0)


def tune_title(items: list[Item], gum: list[Item]) -> float:
    """Choose the learned method's headline weight on the titled articles marked for
    tuning (the BBC dev half and GUM Wikinews), and show the BBC test half beside it.

    Prints mean R1 per weight; returns the weight with the best tuning mean."""
    from tui.core.summarize import learned

    bbc = [item for item in items if item.dataset == "bbc"]
    groups = {
        "BBC dev": [item for item in bbc if item.half == "dev"],
        "GUM": gum,
        "BBC test (check)": [item for item in bbc if item.half == "test"],
    }
    print(f"{'weight':>8}" + "".join(f"{name:>18}" for name in groups) + f"{'tuning mean':>14}")
    shipped = learned.TITLE_WEIGHT
    chosen, best = shipped, -1.0
    try:
        for weight in TITLE_GRID:
            learned.TITLE_WEIGHT = weight
            r1 = {}
            for name, group in groups.items():
                scored = run_methods(group, ["learned"])["learned"]
                r1[name] = mean([scores for scores, _ms in scored.values()])[0]
            tuning = (r1["BBC dev"] + r1["GUM"]) / 2
            if tuning > best + 1e-9:
                chosen, best = weight, tuning
            print(f"{weight:>8}" + "".join(f"{r1[n]:>18.2f}" for n in groups) + f"{tuning:>14.2f}")
    finally:
        learned.TITLE_WEIGHT = shipped
    print(f"best on tuning: {chosen} (shipped: {shipped})")
    return chosen


def versus_lead(
    items: list[Item], scores: dict[str, tuple[float, float, float]]
) -> dict[str, tuple[float, int, int, int]]:
    """Per half: the mean (R1 + R2 + RLsum) / 3 gain of ``scores`` over the dataset's own
    Lead-k lines, and the articles won, lost and tied (within 0.01)."""
    found = {}
    for half in ("test", "dev", "all"):
        diffs = [
            (sum(scores[item.id]) - sum(rouge(item.reference, list(item.lead_lines[: item.count]))))
            / 3
            for item in items
            if half == "all" or item.half == half
        ]
        found[half] = (
            statistics.fmean(diffs),
            sum(1 for diff in diffs if diff > 0.01),
            sum(1 for diff in diffs if diff < -0.01),
            sum(1 for diff in diffs if abs(diff) <= 0.01),
        )
    return found


# --- CNN/DM at scale and the seed story -------------------------------------------------

LARGE_METHODS = ("learned", "combined")
FACT_SHARE = 0.7
BOOTSTRAP_ROUNDS = 1000


def interval(values: np.ndarray, rounds: int = BOOTSTRAP_ROUNDS) -> tuple[float, float]:
    """A 95% bootstrap interval of the mean of ``values`` (resampling articles)."""
    generator = np.random.default_rng(0)
    means = values[generator.integers(0, len(values), (rounds, len(values)))].mean(axis=1)
    low, high = np.percentile(means, [2.5, 97.5])
    return float(low), float(high)


def evaluate_large(path: Path, limit: int | None) -> dict:
    """ROUGE of Lead-3 and of :data:`LARGE_METHODS` on ``cnndm_large/eval.jsonl.gz``, with
    bootstrap intervals, the paired gain over Lead-3 and per-article wins/ties/losses.

    Every method chooses 3 of the same sentences (the tokenised splitter, then the
    reader's clean-up of datelines, bylines and page furniture). "Lead-3" is the first
    three of them; "Lead-3 (plain split)" the first three with no clean-up, as the data's
    README measures it (38.4 / 16.6 / 34.8)."""
    from summary_data import read_pairs

    from tui.core.summarize import _choose
    from tui.core.summarize.units import Unit

    rows: dict[str, list[tuple[float, float, float]]] = {"lead-3 (plain split)": [], "lead-3": []}
    rows.update({method: [] for method in LARGE_METHODS})
    count = 0
    for pair in read_pairs(path, limit):
        reference = "\n".join(pair.highlights)
        rows["lead-3 (plain split)"].append(rouge(reference, list(pair.lead_sentences)))
        sentences = list(pair.sentences)
        rows["lead-3"].append(rouge(reference, sentences[:3]))
        units = [Unit(text, 0, 0, 0) for text in sentences]
        for method in LARGE_METHODS:
            if len(sentences) <= 3:
                picked = sentences
            else:
                picked = [sentences[i] for i in sorted(_choose(method, units, 3, None))]
            rows[method].append(rouge(reference, picked))
        count += 1
    arrays = {name: np.array(values) for name, values in rows.items()}
    lead = arrays["lead-3"]
    print(
        f"\n== CNN/DM eval ({count} articles), 3 sentences: R1 / R2 / RLsum F x 100, "
        "95% bootstrap interval of R1"
    )
    report: dict = {"articles": count}
    for name, values in arrays.items():
        r1, r2, rl = values.mean(axis=0)
        low, high = interval(values[:, 0])
        line = f"{name:<22}{r1:6.2f} /{r2:6.2f} /{rl:6.2f}   R1 [{low:.2f}, {high:.2f}]"
        entry = {
            "rouge": [round(r1, 2), round(r2, 2), round(rl, 2)],
            "r1_95": [round(low, 2), round(high, 2)],
        }
        if name in LARGE_METHODS:
            gain = values[:, 0] - lead[:, 0]
            g_low, g_high = interval(gain)
            wins = int((gain > 0.01).sum())
            losses = int((gain < -0.01).sum())
            ties = len(gain) - wins - losses
            line += (
                f"   vs Lead-3: R1 {gain.mean():+.2f} [{g_low:+.2f}, {g_high:+.2f}], "
                f"R2 {(values[:, 1] - lead[:, 1]).mean():+.2f}, "
                f"RLsum {(values[:, 2] - lead[:, 2]).mean():+.2f}; "
                f"articles won/tied/lost {wins}/{ties}/{losses}"
            )
            entry["vs_lead3"] = {
                "r1": round(float(gain.mean()), 2),
                "r1_95": [round(g_low, 2), round(g_high, 2)],
                "won_tied_lost": [wins, ties, losses],
            }
        print(line)
        report[name] = entry
    return report


def seed_check(folder: Path) -> dict:
    """The seed story as the reader summarises a saved page: its summary, whether the
    headline is in it, and how many labelled key facts it carries. A fact is carried when
    at least :data:`FACT_SHARE` of its content words and numbers are in the summary, the
    words compared as ROUGE compares them (lower case, Porter stems), so that "escalating"
    counts for "escalation"."""
    from nltk.stem import porter
    from rouge_score import tokenize

    from tui.core.extract import clean_text
    from tui.core.summarize.terms import stop_words

    stemmer = porter.PorterStemmer()

    def words(text: str) -> set[str]:
        plain = text.replace("\u2019s", "").replace("'s", "")
        return {
            stemmer.stem(w)
            for w in tokenize.tokenize(plain, None)
            if w not in stop_words() and len(w) > 1
        }

    seed = folder.parent / "seed"
    labels = json.loads((seed / "labels.json").read_text(encoding="utf-8"))
    summary = summarize(clean_text((seed / "article.txt").read_text(encoding="utf-8")))
    have = words(" ".join(summary.sentences))
    carried = []
    for fact in labels["key_facts_a_summary_should_carry"]:
        wanted = words(fact)
        carried.append(len(wanted & have) >= FACT_SHARE * len(wanted))
    headline = any(labels["headline"] in sentence for sentence in summary.sentences)
    print("\n== seed story, default summary")
    for sentence in summary.sentences:
        print(f"  • {sentence}")
    print(
        f"headline in the summary: {headline}; key facts carried: {sum(carried)}/{len(carried)} "
        f"({', '.join('yes' if c else 'no' for c in carried)})"
    )
    return {"headline_in_summary": headline, "key_facts": [sum(carried), len(carried)]}


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("folder", type=Path, help="the shared summarization folder")
    parser.add_argument(
        "--tune", action="store_true", help="grid-search the combined weights on dev"
    )
    parser.add_argument(
        "--tune-half", default="dev", choices=("dev", "test"), help="the half --tune uses"
    )
    parser.add_argument(
        "--tune-title", action="store_true", help="choose the learned method's headline weight"
    )
    parser.add_argument("--methods", default=",".join(METHODS), help="comma-separated methods")
    parser.add_argument(
        "--large-limit", type=int, help="evaluate only the first N of the 8,763 CNN/DM pairs"
    )
    parser.add_argument("--skip-large", action="store_true", help="skip the 8,763 CNN/DM pairs")
    args = parser.parse_args(argv)

    items = load(args.folder)
    if args.tune:
        print(tune(items, load_gum(args.folder), args.tune_half))
        return 0
    if args.tune_title:
        tune_title(items, load_gum(args.folder))
        return 0
    methods = [m for m in args.methods.split(",") if m]
    results = run_methods(items, methods)

    report: dict[str, dict] = {}
    for dataset, label in (
        ("cnndm", "CNN/DM 50, 3 sentences"),
        ("bbc", "BBC 150, k sentences"),
        ("xsum", "XSum 50, 1 sentence"),
    ):
        subset = [item for item in items if item.dataset == dataset]
        print(f"\n== {label}: ROUGE-1 / ROUGE-2 / ROUGE-Lsum F x 100")
        print(f"{'method':<22}{'test half':>20}{'dev half':>20}{'all':>20}")
        rows: dict[str, dict[str, list]] = {}
        lead_name = "lead-1" if dataset == "xsum" else ("lead-k" if dataset == "bbc" else "lead-3")
        reference_rows = {
            item.id: rouge(item.reference, list(item.lead_lines[: item.count])) for item in subset
        }
        rows[f"{lead_name} (dataset lines)"] = {
            half: [reference_rows[i.id] for i in subset if half == "all" or i.half == half]
            for half in ("test", "dev", "all")
        }
        for method in methods:
            rows[method] = {
                half: [results[method][i.id][0] for i in subset if half == "all" or i.half == half]
                for half in ("test", "dev", "all")
            }
        report[dataset] = {}
        for name, halves in rows.items():
            cells = []
            for half in ("test", "dev", "all"):
                r1, r2, rl = mean(halves[half])
                cells.append(f"{r1:5.1f} /{r2:5.1f} /{rl:5.1f}")
                report[dataset].setdefault(name, {})[half] = [
                    round(r1, 1),
                    round(r2, 1),
                    round(rl, 1),
                ]
            marker = " *" if name == DEFAULT_METHOD else ""
            print(f"{name + marker:<22}" + "".join(f"{cell:>20}" for cell in cells))
        if DEFAULT_METHOD in methods:
            check = versus_lead(subset, {i.id: results[DEFAULT_METHOD][i.id][0] for i in subset})
            report[dataset]["default_vs_lead"] = {
                half: {"gain": round(gain, 2), "wins": w, "losses": lo, "ties": t}
                for half, (gain, w, lo, t) in check.items()
            }
            print(
                f"{DEFAULT_METHOD} vs {lead_name} (dataset lines), mean gain and wins/losses/ties: "
                + ", ".join(
                    f"{half} {gain:+.2f} ({w}/{lo}/{t})" for half, (gain, w, lo, t) in check.items()
                )
            )

    print("\n== median milliseconds per article (CNN/DM + BBC as given; 1,000-word CNN/DM cuts)")
    texts = thousand_word_articles(items)
    long_timings = time_methods(texts, methods)
    report["ms_per_article"] = {}
    report["ms_per_1000_words"] = {}
    for method in methods:
        timings = [results[method][i.id][1] for i in items if i.dataset in ("cnndm", "bbc")]
        median = statistics.median(timings)
        report["ms_per_article"][method] = round(median, 2)
        report["ms_per_1000_words"][method] = round(long_timings[method], 2)
        print(f"{method:<12}{median:8.2f} ms{long_timings[method]:10.2f} ms ({len(texts)} texts)")
    report["seed"] = seed_check(args.folder)
    large = args.folder / "cnndm_large" / "eval.jsonl.gz"
    if not args.skip_large and large.exists():
        report["cnndm_large"] = evaluate_large(large, args.large_limit)
    print(json.dumps(report))
    return 0


if __name__ == "__main__":
    sys.exit(main())
