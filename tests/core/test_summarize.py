"""Summaries: every method offline, article order, the length asked for, clear errors."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from importlib import resources

import numpy as np
import pytest

from tui.core.errors import BroadsheetError
from tui.core.models import Summary
from tui.core.sentences import split_sentences
from tui.core.summarize import (
    DEFAULT_METHOD,
    METHODS,
    SummaryError,
    summarize,
    summary_sentences,
)

TITLE = "Harbor city votes to rebuild flooded sea wall"

ARTICLE = """\
The Port Elling city council voted 7-2 on Tuesday to rebuild the sea wall that failed during \
last month's storm, committing $48.5 million to the project.

The wall collapsed on Oct. 3 when waves 4.2 meters high struck the harbor at about 2 a.m. \
Water flooded more than 300 homes near the docks. No one was killed.

Mayor Ana Ruiz said the new sea wall would be built to withstand a storm twice as strong. \
"We cannot ask families to live behind a wall we know will fail," she said.

Engineers from Hale & Co. estimate the rebuilt wall will take two years to finish. \
Work on the first section starts in March. The harbor will stay open during construction.

Council member Dr. Tom Brandt voted against the plan. He said the city should move homes away \
from the docks instead of rebuilding the wall. "The sea is rising," he said. "Walls only buy time."

Residents can comment on the design at a public meeting on Jan. 12. The council will vote on \
the final design in February.

The city will pay for the sea wall with a bond and a grant from the state. Taxes are not \
expected to rise, the mayor said.
"""


def _in_article_order(summary: Summary) -> bool:
    positions = [ARTICLE.index(sentence) for sentence in summary.sentences]
    return positions == sorted(positions)


@pytest.mark.parametrize("method", METHODS)
def test_every_method_gives_sentences_of_the_article_in_order(method):
    summary = summarize(ARTICLE, method=method, sentences=3, title=TITLE)
    assert summary.method == method
    assert len(summary.sentences) == 3
    assert len(set(summary.sentences)) == 3
    article_sentences = split_sentences(ARTICLE)
    assert all(sentence in article_sentences for sentence in summary.sentences)
    assert _in_article_order(summary)


def test_the_default_summary_leads_with_the_news():
    summary = summarize(ARTICLE, title=TITLE)
    assert summary.method == DEFAULT_METHOD
    assert len(summary.sentences) == 3
    assert summary.sentences[0].startswith("The Port Elling city council voted 7-2")
    # Abbreviations and decimals do not cut a sentence short.
    assert all(len(sentence.split()) >= 5 for sentence in summary.sentences)


def test_sentence_count_is_honoured():
    for count in (1, 2, 5):
        assert len(summarize(ARTICLE, sentences=count).sentences) == count


def test_ratio_is_a_share_of_the_sentences():
    total = len(split_sentences(ARTICLE))
    assert len(summarize(ARTICLE, ratio=0.5).sentences) == round(total * 0.5)
    assert len(summarize(ARTICLE, ratio=0.01).sentences) == 1
    assert len(summarize(ARTICLE, ratio=1.0).sentences) == total


def test_short_text_comes_back_whole():
    text = "The bridge reopened on Monday. Traffic was light."
    for method in ("combined", "lexrank", "edmundson"):
        summary = summarize(text, method=method, sentences=3)
        assert summary.sentences == ("The bridge reopened on Monday.", "Traffic was light.")


def test_empty_text_has_an_empty_summary():
    assert summarize("").sentences == ()
    assert summarize("  \n\n  ", method="lexrank").sentences == ()


def test_unknown_method_is_a_clear_error():
    with pytest.raises(SummaryError) as raised:
        summarize(ARTICLE, method="magic")
    assert isinstance(raised.value, BroadsheetError)
    assert "magic" in raised.value.message
    for name in METHODS:
        assert name in raised.value.message


@pytest.mark.parametrize(
    "arguments",
    [{"sentences": 0}, {"ratio": 0.0}, {"ratio": 1.5}, {"sentences": 2, "ratio": 0.5}],
)
def test_impossible_lengths_are_clear_errors(arguments):
    with pytest.raises(SummaryError):
        summarize(ARTICLE, **arguments)


def test_every_method_runs_without_nltk_data(tmp_path):
    """No method may look NLTK data up: NLTK_DATA points at an empty folder and any
    lookup fails loudly."""
    script = f"""
import json, sys
import nltk.data

def refuse(*args, **kwargs):
    raise AssertionError(f"NLTK data lookup: {{args}}")

nltk.data.find = refuse
nltk.data.load = refuse
from tui.core.summarize import METHODS, summarize
text = {ARTICLE!r}
out = {{m: len(summarize(text, method=m, sentences=2, title="Wall").sentences) for m in METHODS}}
print(json.dumps(out))
"""
    env = {**os.environ, "NLTK_DATA": str(tmp_path), "HOME": str(tmp_path)}
    result = subprocess.run(
        [sys.executable, "-c", script], capture_output=True, text=True, env=env, timeout=60
    )
    assert result.returncode == 0, result.stderr
    assert json.loads(result.stdout) == dict.fromkeys(METHODS, 2)


# A photo caption that the page ran into the story's first sentence, with no full stop.
CAPTIONED = """\
Volunteers carry sandbags along the flooded high street on Sunday morning \
The river burst its banks at Millbrook after three days of heavy rain, forcing 200 people \
from their homes. Emergency crews worked through the night to shore up the old stone bridge.

Rescuers in boats reached families on the upper floors of houses near the mill. \
The town hall has opened as a shelter for those who cannot return home tonight.

Forecasters expect more rain on Tuesday but say the worst of the flooding is over. \
Officials urged drivers to stay away from the valley roads until the water drops.
"""


def test_a_caption_run_into_a_sentence_is_cut_off():
    caption = "Volunteers carry sandbags along the flooded high street on Sunday morning"
    lead = "The river burst its banks at Millbrook after three days of heavy rain"
    sentences = summary_sentences(CAPTIONED)
    assert sentences[0] == caption
    assert sentences[1].startswith(lead)
    for method in ("combined", "lead"):
        summary = summarize(CAPTIONED, method=method, sentences=2)
        assert all(
            CAPTIONED[start:end] == sentence
            for sentence, (start, end) in zip(summary.sentences, summary.spans, strict=True)
        )
    # The default keeps the news lead as a sentence of its own, never glued to the caption.
    summary = summarize(CAPTIONED, sentences=2)
    assert any(sentence.startswith(lead) for sentence in summary.sentences)
    assert not any(caption in s and lead in s for s in summary.sentences)


@pytest.mark.parametrize(
    "sentence",
    [
        "She starred alongside him in The Godfather and later in several stage plays.",
        "The minister told The Times that the budget would balance by next spring.",
        "Fans queued overnight to see Catching Fire The sequel opens in cinemas this week.",
        "Results improved in grade A subjects across the region for a third year running.",
        "He joined the club in 2011 The fee was never disclosed by either side.",
    ],
)
def test_only_clear_run_ons_are_cut(sentence):
    pieces = summary_sentences(sentence)
    if sentence.startswith("He joined"):
        # A number, then "The" and a lower-case word: two sentences.
        assert pieces == [
            "He joined the club in 2011",
            "The fee was never disclosed by either side.",
        ]
    else:
        # "in The", "told The", "Fire The sequel" after a capitalised word, "A" in the
        # middle of a phrase: one sentence each.
        assert pieces == [sentence]


def test_summary_sentences_agree_with_the_splitter_on_ordinary_text():
    assert summary_sentences(ARTICLE) == split_sentences(ARTICLE)


@pytest.mark.timeout(30)
@pytest.mark.parametrize("text", ["in The a " * 33000, "one two three four The a b c " * 12000])
def test_a_huge_text_without_full_stops_is_summarised_promptly(text):
    # One 300 KB "sentence" full of candidate cuts: each used to rescan the text before
    # it (54 s); a hostile page must not pin the article worker.
    summary = summarize(text, sentences=2)
    assert summary.sentences
    assert all(
        text[start:end] == sentence
        for sentence, (start, end) in zip(summary.sentences, summary.spans, strict=True)
    )


# --- headline, datelines, bylines and page furniture ----------------------------------

HEADED = f"""\
{TITLE}

{ARTICLE}"""


@pytest.mark.parametrize("method", METHODS)
def test_a_text_that_opens_with_its_headline_never_summarises_it(method):
    summary = summarize(HEADED, method=method, sentences=3)
    assert len(summary.sentences) == 3
    assert not any(TITLE in sentence for sentence in summary.sentences)
    assert summary_sentences(HEADED)[0].startswith("The Port Elling city council")


def test_sentences_that_repeat_the_given_title_are_left_out():
    repeated = "Harbor city votes to rebuild its flooded sea wall.\n\n" + ARTICLE
    for text in (repeated, HEADED):
        sentences = summarize(text, title=TITLE, ratio=1.0).sentences
        assert not any("votes to rebuild" in sentence for sentence in sentences)
        assert sentences[0].startswith("The Port Elling city council voted 7-2")


def test_a_first_line_that_ends_a_sentence_is_no_headline():
    text = "The ferry sailed at noon.\n\nIt reached the island by two. Crowds cheered."
    assert summarize(text, ratio=1.0).sentences[0] == "The ferry sailed at noon."


@pytest.mark.parametrize(
    ("dateline", "story"),
    [
        ("WASHINGTON (AP) — ", "The Senate passed the harbor bill on Friday by 61 votes to 39."),
        ("LONDON, England (CNN) -- ", "Rail fares will rise by 4 percent in January, it said."),
        ("(CNN)", "The French prosecutor leading the inquiry spoke to reporters on Monday."),
        ("KELDMOUTH — ", "The council of the harbour town voted to keep its ferry running."),
    ],
)
def test_the_dateline_is_left_out_of_the_first_sentence(dateline, story):
    text = dateline + story + " " + ARTICLE
    summary = summarize(text, ratio=1.0)
    assert summary.sentences[0] == story
    start, end = summary.spans[0]
    assert text[start:end] == story


def test_a_bracket_that_is_no_news_service_stays():
    text = "Smith (pictured) won the race for the third year running. " + ARTICLE
    assert summarize(text, ratio=1.0).sentences[0].startswith("Smith (pictured) won")


FURNISHED = """\
By Jane Doe and Tom Roe, Staff Writers

PUBLISHED: 10:32 EST, 12 March 2015 | UPDATED: 11:02 EST, 12 March 2015

The Port Elling city council voted 7-2 on Tuesday to rebuild the sea wall that failed \
during last month's storm, committing $48.5 million to the project.

Scroll down for video

Water flooded more than 300 homes near the docks. Click here to read our guide to flood \
insurance. No one was killed.

Scroll down for video Engineers from Hale & Co. estimate the rebuilt wall will take two \
years to finish.

Share this article

All rights reserved.
"""


@pytest.mark.parametrize("method", ["learned", "lead", "combined"])
def test_bylines_timestamps_and_page_furniture_are_never_summary_sentences(method):
    sentences = summarize(FURNISHED, method=method, ratio=1.0).sentences
    assert sentences == (
        "The Port Elling city council voted 7-2 on Tuesday to rebuild the sea wall that failed "
        "during last month's storm, committing $48.5 million to the project.",
        "Water flooded more than 300 homes near the docks.",
        "No one was killed.",
        "Engineers from Hale & Co. estimate the rebuilt wall will take two years to finish.",
    )


def test_a_sentence_opening_with_by_is_no_byline():
    text = "By Tuesday the water had gone down. " + ARTICLE
    assert summarize(text, ratio=1.0).sentences[0] == "By Tuesday the water had gone down."


@pytest.mark.timeout(30)
@pytest.mark.parametrize(
    "text",
    ["a-" * 50_000 + "a (CNN) -- story", "A" * 100_000 + " (x", "By " + "A. " * 30_000 + "!"],
)
def test_hostile_openings_do_not_stall_the_clean_up(text):
    # The dateline and byline patterns look at the start of a 100 KB "sentence".
    assert summarize(text + " " + ARTICLE, sentences=2).sentences


# --- the learned scorer ---------------------------------------------------------------


def test_numpy_trees_walk_every_tree_to_its_leaf():
    from tui.core.summarize.trees import forest_from_lightgbm

    def leaf(value):
        return {"leaf_value": value}

    def split(feature, threshold, left, right):
        return {
            "split_feature": feature,
            "threshold": threshold,
            "decision_type": "<=",
            "left_child": left,
            "right_child": right,
        }

    # Tree 1: x0 <= 1 ? (x1 <= 5 ? 1 : 2) : 3; tree 2: a single leaf, 10.
    dump = {
        "tree_info": [
            {"tree_structure": split(0, 1.0, split(1, 5.0, leaf(1.0), leaf(2.0)), leaf(3.0))},
            {"tree_structure": leaf(10.0)},
        ]
    }
    forest = forest_from_lightgbm(dump)
    rows = np.array([[0.0, 5.0], [1.0, 6.0], [1.5, 0.0], [-3.0, -3.0]])
    assert forest.predict(rows).tolist() == [11.0, 12.0, 13.0, 11.0]
    assert forest.predict(np.zeros((0, 2))).tolist() == []


def test_the_shipped_scorer_says_what_it_learned_from_and_fits_the_code():
    from tui.core.summarize.learned import FEATURE_NAMES, MODEL_FILE, load_scorer

    scorer = load_scorer()
    assert len(scorer.forest.roots) > 10
    assert len(scorer.salience) > 1000
    assert scorer.forest.feature.max() < len(FEATURE_NAMES)
    with resources.files("tui.core.summarize").joinpath(MODEL_FILE).open("rb") as file:
        meta = json.loads(np.load(file)["meta"].tobytes())
    assert "cnndm_large/train.jsonl.gz" in meta["trained_on"]
    assert meta["command"].startswith("python scripts/train_summarizer.py")


def test_the_learned_summary_skips_sentences_that_repeat_a_chosen_one():
    repeat = (
        "The Port Elling city council voted 7-2 on Tuesday to rebuild the sea wall that "
        "failed during last month's storm, committing $48.5 million to the project, officials said."
    )
    text = ARTICLE.replace("\n\nThe wall collapsed", f" {repeat}\n\nThe wall collapsed", 1)
    summary = summarize(text, sentences=3)
    assert sum("voted 7-2 on Tuesday" in sentence for sentence in summary.sentences) == 1


def test_the_reader_starts_without_loading_numpy_or_the_scorer():
    code = (
        "import sys, tui.app, tui.__main__\n"
        "print(sorted(m for m in sys.modules if m == 'numpy' or m.endswith('learned')))\n"
    )
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True)
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == "[]"


def test_the_learned_summary_still_gives_the_count_asked_for_when_all_sentences_are_alike():
    text = " ".join(f"Ferry number {n} sailed to the island on time today." for n in range(8))
    summary = summarize(text, sentences=3)
    assert len(summary.sentences) == 3
    assert _positions_in(text, summary) == sorted(_positions_in(text, summary))


def _positions_in(text: str, summary: Summary) -> list[int]:
    return [start for start, _ in summary.spans]


def test_the_headline_steers_the_learned_summary_to_the_sentences_it_names():
    title = "Bond and state grant will pay for new sea wall"
    without = summarize(ARTICLE, sentences=3).sentences
    with_title = summarize(ARTICLE, sentences=3, title=title).sentences
    assert not any("new sea wall" in sentence for sentence in without)
    assert any("new sea wall" in sentence for sentence in with_title)
