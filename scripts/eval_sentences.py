"""Evaluate Broadsheet's sentence splitter on the shared sentence-boundary data.

    python scripts/eval_sentences.py /path/to/eval/sentence_boundaries [--compare]

Prints the accuracy on pySBD's 48 English "Golden Rules" (exact list match after
stripping, with the failing rules) and boundary precision, recall and F1 on the GUM
Wikinews articles: each paragraph's gold sentences are joined with single spaces, the
gold boundaries are the end offsets of every sentence but the last, and the splitter's
are found the same way (trailing whitespace stripped); micro-averaged over paragraphs.
Also prints the median time to split a 1,000-word text. ``--compare`` runs pysbd and
nupunkt too when they are installed. The last line printed is a JSON summary.
"""

from __future__ import annotations

import argparse
import json
import statistics
import sys
import time
from collections.abc import Callable
from pathlib import Path

from tui.core.sentences import split_sentences

Splitter = Callable[[str], list[str]]


def golden_rules(path: Path, split: Splitter) -> tuple[int, int, list[str]]:
    rules = json.loads((path / "pysbd_golden_rules_en.json").read_text(encoding="utf-8"))
    failures = []
    for rule in rules:
        got = [s.strip() for s in split(rule["text"]) if s.strip()]
        if got != rule["expected_sentences"]:
            failures.append(f"{rule['rule']}) {rule['title']}: {got}")
    return len(rules) - len(failures), len(rules), failures


def _ends(paragraph: str, sentences: list[str]) -> set[int]:
    """End offsets of all sentences but the last, located in ``paragraph``."""
    ends = set()
    position = 0
    for sentence in sentences:
        sentence = sentence.strip()
        if not sentence:
            continue
        found = paragraph.find(sentence, position)
        if found < 0:  # a splitter that changed the text: fall back to counting
            found = position
        position = found + len(sentence)
        ends.add(position)
    ends.discard(len(paragraph.rstrip()))
    return ends


def wikinews(path: Path, split: Splitter) -> dict[str, float]:
    true_positive = predicted = gold = 0
    for line in (path / "gum_wikinews_sbd.jsonl").read_text(encoding="utf-8").splitlines():
        document = json.loads(line)
        for sentences in document["paragraphs"]:
            paragraph = " ".join(sentences)
            gold_ends = _ends(paragraph, sentences)
            got_ends = _ends(paragraph, split(paragraph))
            true_positive += len(gold_ends & got_ends)
            predicted += len(got_ends)
            gold += len(gold_ends)
    precision = true_positive / predicted if predicted else 0.0
    recall = true_positive / gold if gold else 0.0
    f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
    return {"precision": precision, "recall": recall, "f1": f1, "boundaries": gold}


def speed(path: Path, split: Splitter) -> float:
    """Median milliseconds to split a 1,000-word text built from the Wikinews articles."""
    texts = []
    for line in (path / "gum_wikinews_sbd.jsonl").read_text(encoding="utf-8").splitlines():
        texts.append(json.loads(line)["text"])
    words = " ".join(texts).split(" ")
    samples = []
    for offset in range(0, len(words) - 1000, 500):
        text = " ".join(words[offset : offset + 1000])
        samples.append(text)
    timings = []
    for _ in range(3):
        for text in samples:
            start = time.perf_counter()
            split(text)
            timings.append((time.perf_counter() - start) * 1000)
    return statistics.median(timings)


def _others() -> dict[str, Splitter]:
    splitters: dict[str, Splitter] = {}
    try:
        import pysbd

        segmenter = pysbd.Segmenter(language="en", clean=False)
        splitters["pysbd"] = segmenter.segment
    except ImportError:
        print("pysbd is not installed; skipped", file=sys.stderr)
    try:
        import nupunkt

        splitters["nupunkt"] = nupunkt.sent_tokenize
    except ImportError:
        print("nupunkt is not installed; skipped", file=sys.stderr)
    return splitters


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("folder", type=Path, help="the shared sentence_boundaries folder")
    parser.add_argument("--compare", action="store_true", help="also run pysbd and nupunkt")
    args = parser.parse_args(argv)

    splitters: dict[str, Splitter] = {"broadsheet": split_sentences}
    if args.compare:
        splitters.update(_others())
    results = {}
    for name, split in splitters.items():
        passed, total, failures = golden_rules(args.folder, split)
        scores = wikinews(args.folder, split)
        milliseconds = speed(args.folder, split)
        results[name] = {
            "golden_rules": f"{passed}/{total}",
            "golden_accuracy": round(passed / total, 3),
            "wikinews_precision": round(scores["precision"], 3),
            "wikinews_recall": round(scores["recall"], 3),
            "wikinews_f1": round(scores["f1"], 3),
            "ms_per_1000_words": round(milliseconds, 2),
        }
        print(f"== {name}")
        print(f"golden rules: {passed}/{total} ({passed / total:.1%})")
        for failure in failures:
            print(f"  failed {failure}")
        print(
            f"wikinews ({scores['boundaries']} boundaries): P {scores['precision']:.3f} "
            f"R {scores['recall']:.3f} F1 {scores['f1']:.3f}"
        )
        print(f"median time for 1,000 words: {milliseconds:.2f} ms")
    print(json.dumps(results))
    return 0


if __name__ == "__main__":
    sys.exit(main())
