"""Evaluate ``tui.core.quotes.find_quotes`` on PolNeAR train and dev and on the seed story.

Usage::

    python scripts/eval_quotes.py PATH/TO/shared/eval [--only train|dev] [--folds K] [--errors N]

One command prints, in order: PolNeAR train (840 articles, the set the rules and
weights are developed and tuned on), train again with the learned speaker ranker
cross-validated (``--folds K``, default 5: re-trained on the other folds' articles
and scored on each held-out fold, so the gap to the fitted figure shows), PolNeAR
dev (84 articles, the check that they generalise: look at it after tuning, not
during), the seed story, and the speed.
``--errors N`` lists N misses of each kind on train (``--errors-on dev`` to list
dev's, once tuning is over).

Scoring follows ``eval/quotes/README.md`` ("How Broadsheet's quote detection is
scored"):

- Gold quotes per article: the full content of every ``direct`` attribution (its
  content spans joined with a space) plus every stretch of three or more ``\\w+``
  tokens between double quotation marks inside a ``mixed`` attribution's content.
  Each carries its attribution's source text as the speaker. Stretches are the
  outermost ones: straight marks pair with straight, curly with curly (an excerpt
  in straight quotes may hold curly ones), and a closing curly mark with nothing
  open opens a stretch (the ``”Fear. …”`` typo the README mentions).
- Match: for each gold quote, the unused prediction with the highest token Jaccard
  (lower-cased ``\\w+`` sets), if at least 0.5. Micro P/R/F1 over all articles.
- Exact: a matched pair whose spans are equal once quotation marks, white space and
  edge punctuation are trimmed from both.
- Speaker accuracy (headline) over matched quotes whose gold speaker is not a bare
  pronoun (he, she, they, it, I, we, you, ... and the relative who, which, that) or
  empty: the gold speaker's last word (skipping the, a, an, of, s), lower-cased, is
  one of the predicted speaker's words. Also printed: strict (normalised strings
  equal) and containment (either normalised string contains the other). The
  headline is the README's rule; strict is low by design because the gold source
  is the span as written ("he", "Clinton", "Flynn, a top Trump surrogate,") while
  predictions resolve pronouns and surnames to full names.

The seed story: the labelled boilerplate lines and the photo caption are removed the
way extraction would remove them, then the 4 labelled quotes must be found (token
Jaccard >= 0.5; the number whose text equals the label exactly is printed too) with
the right speakers (same last-word rule) and the reported-speech passage must not be
a quote. The same check on the text with its boilerplate left in is printed as well.

The last line of output is one JSON summary.
"""

from __future__ import annotations

import argparse
import gzip
import json
import re
import statistics
import sys
import time
from collections.abc import Callable
from pathlib import Path

from tui.core.quotes import find_quotes

WORD = re.compile(r"\w+")
OPEN_D = '"\u201c\u201e'
CLOSE_D = '"\u201d'
STOP = {"the", "a", "an", "of", "s"}
PRONOUNS = {
    "he",
    "she",
    "they",
    "it",
    "i",
    "we",
    "you",
    "him",
    "her",
    "them",
    "his",
    "their",
    "us",
    "me",
    "who",
    "which",
    "that",
}
TRIM = " \t\n\"'\u201c\u201d\u2018\u2019\u201e.,;:!?"


def tokens(text: str) -> set[str]:
    return {w.lower() for w in WORD.findall(text)}


def jaccard(a: set[str], b: set[str]) -> float:
    if not a and not b:
        return 0.0
    return len(a & b) / len(a | b)


def trimmed(text: str, start: int, end: int) -> tuple[int, int]:
    while start < end and text[start] in TRIM:
        start += 1
    while end > start and text[end - 1] in TRIM:
        end -= 1
    return start, end


def quoted_stretches(text: str, start: int, end: int) -> list[tuple[int, int]]:
    """Outermost stretches between double quotation marks inside text[start:end]; a
    mark just outside the span counts. Straight marks pair with straight ones and
    curly with curly, so an excerpt in straight quotes may hold curly ones; a
    closing curly mark with nothing open opens (the ”Fear. …” typo)."""
    marks = OPEN_D + CLOSE_D
    if start > 0 and text[start - 1] in marks:
        start -= 1
    if end < len(text) and text[end] in marks:
        end += 1
    out = []
    stack: list[tuple[bool, int]] = []
    for i in range(start, end):
        ch = text[i]
        if ch not in marks:
            continue
        straight = ch == '"'
        same = [k for k, (st, _) in enumerate(stack) if st == straight]
        closes = ch in CLOSE_D and (ch != '"' or same)
        if closes and same:
            k = same[-1]
            open_at = stack[k][1]
            del stack[k:]
            if not stack:
                out.append((open_at + 1, i))
        else:
            stack.append((straight, i))
    return out


def gold_quotes(article: dict) -> list[dict]:
    text = article["text"]
    gold = []
    for att in article["attributions"]:
        qtype = att["quote_type"]
        speaker = " ".join(s["text"] for s in att["source"])
        if qtype == "direct":
            spans = att["content"]
            gold.append(
                {
                    "text": " ".join(s["text"] for s in spans),
                    "start": spans[0]["start"],
                    "end": spans[-1]["end"],
                    "speaker": speaker,
                    "kind": "direct",
                }
            )
        elif qtype == "mixed":
            for span in att["content"]:
                for s, e in quoted_stretches(text, span["start"], span["end"]):
                    if len(WORD.findall(text[s:e])) >= 3:
                        gold.append(
                            {
                                "text": text[s:e],
                                "start": s,
                                "end": e,
                                "speaker": speaker,
                                "kind": "mixed",
                            }
                        )
    gold.sort(key=lambda g: g["start"])
    return gold


def match(gold: list[dict], pred: list) -> list[tuple[int, int, float]]:
    """Greedy per gold quote: the unused prediction with the best Jaccard >= 0.5
    (ties broken by distance, for words quoted twice)."""
    used: set[int] = set()
    pairs = []
    pred_tokens = [tokens(p.text) for p in pred]
    for gi, g in enumerate(gold):
        gt = tokens(g["text"])
        best, best_key = -1, (0.0, 0)
        for pi, pt in enumerate(pred_tokens):
            if pi in used:
                continue
            # ties (the same words quoted twice) go to the nearer prediction
            key = (jaccard(gt, pt), -abs(pred[pi].start - g["start"]))
            if key > best_key or best < 0:
                best, best_key = pi, key
        best_j = best_key[0]
        if best >= 0 and best_j >= 0.5:
            used.add(best)
            pairs.append((gi, best, best_j))
    return pairs


def norm(s: str | None) -> str:
    return " ".join(w.lower() for w in WORD.findall(s or ""))


def head_word(speaker: str) -> str | None:
    words = [w.lower() for w in WORD.findall(speaker)]
    words = [w for w in words if w not in STOP]
    return words[-1] if words else None


def speaker_ok(gold: str, pred: str | None) -> dict[str, bool]:
    head = head_word(gold)
    pwords = {w.lower() for w in WORD.findall(pred or "")}
    g, p = norm(gold), norm(pred)
    return {
        "last_word": head is not None and head in pwords,
        "strict": bool(p) and g == p,
        "contains": bool(p) and bool(g) and (g in p or p in g),
    }


def is_pronoun(speaker: str) -> bool:
    return norm(speaker) in PRONOUNS or not norm(speaker)


def prf(tp: int, n_pred: int, n_gold: int) -> tuple[float, float, float]:
    p = tp / n_pred if n_pred else 0.0
    r = tp / n_gold if n_gold else 0.0
    f = 2 * p * r / (p + r) if p + r else 0.0
    return p, r, f


def load_polnear(root: Path, compartment: str) -> list[dict]:
    """PolNeAR articles of one compartment: dev is plain JSONL, train gzipped."""
    folder = root / "quotes" / "polnear"
    plain = folder / f"polnear_{compartment}.jsonl"
    if plain.exists():
        lines = plain.read_text(encoding="utf-8").splitlines()
    else:
        with gzip.open(folder / f"polnear_{compartment}.jsonl.gz", "rt", encoding="utf-8") as f:
            lines = f.read().splitlines()
    return [json.loads(line) for line in lines if line.strip()]


def score(
    articles: list[dict], finder: Callable[[str], list] = find_quotes, show_errors: int = 0
) -> dict:
    """The README's figures for ``finder`` on ``articles``."""
    n_gold = n_pred = tp = exact = 0
    spk = {"last_word": 0, "strict": 0, "contains": 0}
    spk_n = 0
    times = []
    errors: dict[str, list[str]] = {"fp": [], "fn": [], "speaker": []}
    for art in articles:
        text = art["text"]
        gold = gold_quotes(art)
        t0 = time.perf_counter()
        pred = finder(text)
        times.append((time.perf_counter() - t0) * 1000)
        for q in pred:
            assert text[q.start : q.end] == q.text, (art["id"], q)
        pairs = match(gold, pred)
        n_gold += len(gold)
        n_pred += len(pred)
        tp += len(pairs)
        matched_pred = {pi for _, pi, _ in pairs}
        matched_gold = {gi for gi, _, _ in pairs}
        for gi, pi, _ in pairs:
            g, p = gold[gi], pred[pi]
            if trimmed(text, g["start"], g["end"]) == trimmed(text, p.start, p.end):
                exact += 1
            if is_pronoun(g["speaker"]):
                continue
            spk_n += 1
            ok = speaker_ok(g["speaker"], p.speaker)
            for k, v in ok.items():
                spk[k] += v
            if not ok["last_word"]:
                errors["speaker"].append(
                    f"{art['id']}: gold={g['speaker']!r} pred={p.speaker!r} quote={p.text[:70]!r}"
                )
        for pi, p in enumerate(pred):
            if pi not in matched_pred:
                ctx = text[max(0, p.start - 60) : p.end + 40].replace("\n", "|")
                errors["fp"].append(f"{art['id']}: {ctx!r}  speaker={p.speaker!r}")
        for gi, g in enumerate(gold):
            if gi not in matched_gold:
                ctx = text[max(0, g["start"] - 60) : g["end"] + 40].replace("\n", "|")
                errors["fn"].append(f"{art['id']} [{g['kind']}]: {ctx!r}")
    counts = {
        "articles": len(articles),
        "gold": n_gold,
        "predicted": n_pred,
        "matched": tp,
        "exact": exact,
        "speaker_n": spk_n,
        "speaker_right": spk["last_word"],
        "speaker_strict_n": spk["strict"],
        "speaker_contains_n": spk["contains"],
    }
    result = figures(counts, statistics.median(times) if times else 0.0)
    if show_errors:
        for kind, items in errors.items():
            print(f"--- {kind} ({len(items)})")
            for line in items[:show_errors]:
                print("  ", line)
    return result


def cross_validate(articles: list[dict], k: int) -> dict:
    """Train figures with the speaker ranker re-trained K times, each time on the
    other folds' articles and scored on the held-out fold: what the ranker does on
    articles it has not seen, next to the figures of the weights fitted on all."""
    import train_quote_speakers as trainer

    per_article = trainer.examples(articles)
    totals: dict[str, float] = {}
    times: list[float] = []
    for held in trainer.folds(len(articles), k):
        weights = [float(w) for w in trainer.fit(trainer.train_part(per_article, held))]
        res = score(
            [articles[i] for i in held],
            lambda text, w=weights: find_quotes(text, speaker_weights=w),
        )
        times.append(res["median_ms"])
        for key in ("articles", "gold", "predicted", "matched", "exact", "speaker_n"):
            totals[key] = totals.get(key, 0) + res[key]
        for key in ("speaker_right", "speaker_strict_n", "speaker_contains_n"):
            totals[key] = totals.get(key, 0) + res[key]
    return figures(totals, statistics.median(times))


def figures(counts: dict, median_ms: float) -> dict:
    """Rates from counts (micro over articles), counts kept for summing folds."""
    p, r, f = prf(counts["matched"], counts["predicted"], counts["gold"])
    ep, er, ef = prf(counts["exact"], counts["predicted"], counts["gold"])
    n = counts["speaker_n"]
    return {
        **counts,
        "precision": round(p, 4),
        "recall": round(r, 4),
        "f1": round(f, 4),
        "exact_precision": round(ep, 4),
        "exact_recall": round(er, 4),
        "exact_f1": round(ef, 4),
        "speaker_accuracy": round(counts["speaker_right"] / n, 4) if n else 0.0,
        "speaker_strict": round(counts["speaker_strict_n"] / n, 4) if n else 0.0,
        "speaker_contains": round(counts["speaker_contains_n"] / n, 4) if n else 0.0,
        "median_ms": round(median_ms, 3),
    }


def print_figures(name: str, res: dict) -> None:
    print(
        f"{name}: {res['articles']} articles, {res['gold']} gold quotes, "
        f"{res['predicted']} predicted"
    )
    print(f"  Jaccard>=0.5  P {res['precision']:.3f}  R {res['recall']:.3f}  F1 {res['f1']:.3f}")
    print(
        f"  exact span    P {res['exact_precision']:.3f}  R {res['exact_recall']:.3f}  "
        f"F1 {res['exact_f1']:.3f}"
    )
    print(
        f"  speaker accuracy on {res['speaker_n']} matched non-pronoun quotes: "
        f"{res['speaker_accuracy']:.3f} (headline: gold last word in predicted)  "
        f"strict {res['speaker_strict']:.3f}  contains {res['speaker_contains']:.3f}"
    )


def strip_boilerplate(text: str, labels: dict) -> str:
    drop = set(labels.get("boilerplate_lines", []))
    caption = labels.get("photo_caption_starts")
    lines = []
    for line in text.splitlines():
        if line.strip() in drop:
            continue
        if caption and line.startswith(caption):
            continue
        lines.append(line)
    cleaned = "\n".join(lines)
    return re.sub(r"\n{3,}", "\n\n", cleaned).strip()


def eval_seed(root: Path) -> dict:
    seed = root / "seed"
    labels = json.loads((seed / "labels.json").read_text(encoding="utf-8"))
    raw = (seed / "article.txt").read_text(encoding="utf-8")
    result = seed_check(strip_boilerplate(raw, labels), labels, verbose=True)
    with_boilerplate = seed_check(raw, labels, verbose=False)
    result["with_boilerplate"] = {
        k: with_boilerplate[k] for k in ("quotes_found", "speakers_right", "extra")
    }
    return result


def seed_check(text: str, labels: dict, verbose: bool) -> dict:
    pred = find_quotes(text)
    found = 0
    exact = 0
    speakers = 0
    lines = []
    used: set[int] = set()
    for want in labels["direct_quotes"]:
        wt = tokens(want["text"])
        best, best_j = -1, 0.0
        for i, q in enumerate(pred):
            j = jaccard(wt, tokens(q.text))
            if i not in used and j > best_j:
                best, best_j = i, j
        if best >= 0 and best_j >= 0.5:
            used.add(best)
            found += 1
            q = pred[best]
            exact += q.text == want["text"]
            ok = speaker_ok(want["speaker"], q.speaker)["last_word"]
            speakers += ok
            lines.append(f"  {'ok ' if ok else 'BAD'} {q.text!r} <- {q.speaker!r}")
        else:
            lines.append(f"  MISSING {want['text']!r}")
    reported = 0
    for passage in labels.get("not_direct_quotes", []):
        head = passage.split(" (")[0]
        ht = tokens(head)
        if any(jaccard(ht, tokens(q.text)) >= 0.5 for q in pred):
            reported += 1
            lines.append(f"  WRONG: reported speech given as a quote: {head[:60]!r}")
    extra = len(pred) - len(used)
    for i, q in enumerate(pred):
        if i not in used:
            lines.append(f"  extra {q.text!r} <- {q.speaker!r}")
    if verbose:
        print("\n".join(lines))
    return {
        "quotes_found": found,
        "texts_exact": exact,
        "quotes_labelled": len(labels["direct_quotes"]),
        "speakers_right": speakers,
        "reported_speech_as_quote": reported,
        "extra": extra,
    }


def bench(root: Path) -> float:
    """Median ms per call on PolNeAR texts trimmed or padded to about 1,000 words."""
    path = root / "quotes" / "polnear" / "polnear_dev.jsonl"
    texts = [json.loads(line)["text"] for line in path.read_text(encoding="utf-8").splitlines()]
    samples = []
    for t in texts:
        while len(t.split()) < 1000:
            t = t + "\n\n" + t
        words = t.split(" ")
        samples.append(" ".join(words[:1000]))
    times = []
    for _ in range(3):
        for t in samples:
            t0 = time.perf_counter()
            find_quotes(t)
            times.append((time.perf_counter() - t0) * 1000)
    return statistics.median(times)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("eval_dir", type=Path, help="the shared/eval folder")
    parser.add_argument(
        "--only",
        choices=("train", "dev"),
        help="score one compartment (tune with --only train; dev is the check)",
    )
    parser.add_argument(
        "--folds",
        type=int,
        default=5,
        help="cross-validate the learned speaker ranker on train in K folds (0: skip)",
    )
    parser.add_argument("--errors", type=int, default=0, help="show N errors of each kind")
    parser.add_argument(
        "--errors-on",
        choices=("train", "dev"),
        default="train",
        help="which compartment --errors lists (default train: tuning looks at train only)",
    )
    args = parser.parse_args(argv)
    root: Path = args.eval_dir
    if not (root / "quotes").is_dir():
        parser.error(f"{root} has no quotes/ folder")

    summary: dict = {}
    for compartment in ("train", "dev"):
        if args.only and args.only != compartment:
            continue
        articles = load_polnear(root, compartment)
        shown = args.errors if args.errors_on == compartment else 0
        res = score(articles, show_errors=shown)
        print_figures(f"PolNeAR {compartment}", res)
        summary[f"polnear_{compartment}"] = res
        if compartment == "train" and args.folds > 1:
            res = cross_validate(articles, args.folds)
            print_figures(f"PolNeAR train, {args.folds}-fold cross-validation of the ranker", res)
            summary["polnear_train_cv"] = res
    if args.only:
        print(json.dumps(summary, sort_keys=True))
        return 0
    print("Seed story:")
    seed = eval_seed(root)
    print(
        f"  {seed['quotes_found']}/{seed['quotes_labelled']} quotes, "
        f"{seed['speakers_right']} with the right speaker, "
        f"{seed['reported_speech_as_quote']} reported-speech passages as quotes, "
        f"{seed['extra']} extra; {seed['texts_exact']} texts equal to the label"
    )
    wb = seed["with_boilerplate"]
    print(
        f"  with the boilerplate left in: {wb['quotes_found']} quotes, "
        f"{wb['speakers_right']} right speakers, {wb['extra']} extra"
    )
    ms = bench(root)
    print(
        f"Speed: median {summary['polnear_dev']['median_ms']:.2f} ms per PolNeAR dev article, "
        f"{ms:.2f} ms per 1,000-word article"
    )
    summary.update({"seed": seed, "ms_per_1000_words": round(ms, 3)})
    print(json.dumps(summary, sort_keys=True))
    return 0


if __name__ == "__main__":
    sys.exit(main())
