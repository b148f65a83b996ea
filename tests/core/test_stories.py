"""Stories: the labelled set is grouped as its labels say, incrementally as in one go."""

from __future__ import annotations

import random
from datetime import UTC, datetime

import numpy as np
import pytest

from tests.storyset import found_pairs, load, precision_recall, true_pairs
from tui.core.models import ParsedEntry, ParsedFeed
from tui.core.quotes import find_quotes
from tui.core.stories import Doc, group, update_stories
from tui.core.stories.candidates import MAX_SHARING, candidate_pairs
from tui.core.stories.shingles import EMPTY, signatures
from tui.core.stories.summary import Version, summarize_story

SET = load()


def _docs(versions):
    return [Doc(v.id, v.title, v.html, v.time) for v in versions]


@pytest.mark.parametrize("part", ["tune", "held_out"])
def test_each_part_of_the_story_set_is_grouped_as_labelled(part):
    versions = [v for v in SET if v.part == part]
    stories = group(_docs(versions))
    precision, recall = precision_recall(
        found_pairs(stories, [v.id for v in versions]), true_pairs(versions)
    )
    assert precision >= 0.95
    assert recall >= 0.85


def test_near_misses_stay_apart_from_the_story_they_resemble():
    import json

    from tests.storyset import SET_FILE

    events = json.loads(SET_FILE.read_text("utf-8"))["events"]
    near = {e["id"]: e["near"] for e in events if "near" in e}
    assert len(near) >= 8
    stories = group(_docs(SET))
    story_of = {v.id: stories.get(v.id, -v.id) for v in SET}
    for miss, resembled in near.items():
        theirs = {story_of[v.id] for v in SET if v.event == resembled}
        ours = {story_of[v.id] for v in SET if v.event == miss}
        assert not theirs & ours, f"{miss} joined {resembled}"


def test_a_copy_under_another_address_is_the_same_story():
    copies = [v for v in SET if v.event == "library-reopens"]
    assert len(copies) == 2 and copies[0].link != copies[1].link
    stories = group(_docs(copies))
    assert stories[copies[0].id] == stories[copies[1].id]


def test_articles_further_apart_than_the_window_are_never_one_story():
    first, copy = [v for v in SET if v.event == "library-reopens"]
    late = Doc(copy.id, copy.title, copy.html, first.time + 73 * 3600)
    assert group([Doc(first.id, first.title, first.html, first.time), late]) == {}


def test_unrelated_articles_make_few_candidate_pairs():
    rng = random.Random(7)
    vocabulary = [f"w{n}" for n in range(5000)]
    texts = [" ".join(rng.choices(vocabulary, k=300)) for _ in range(2000)]
    pairs = candidate_pairs(signatures(texts)[0])
    assert len(pairs) < 200  # of 1,999,000 possible


def _entry(version, shift):
    return ParsedEntry(
        title=version.title,
        link=version.link,
        guid=version.link,
        published=datetime.fromtimestamp(version.time + shift, UTC),
        summary_html=version.html,
    )


def test_grouping_on_each_refresh_finds_what_grouping_at_once_finds(store):
    now = datetime.now(UTC)
    shift = int(now.timestamp()) - max(v.time for v in SET) - 3600
    feeds = {url: store.add_feed(url) for url in dict.fromkeys(v.feed for v in SET)}
    ordered = sorted(SET, key=lambda v: v.time)
    ids: dict[int, int] = {}
    # Three refreshes, each storing what the feeds had published by then.
    for batch in (ordered[:20], ordered[20:38], ordered[38:]):
        for url, feed in feeds.items():
            carried = [v for v in batch if v.feed == url]
            if carried:
                store.apply_feed_update(
                    feed.id,
                    ParsedFeed("F", entries=tuple(_entry(v, shift) for v in carried)),
                    now=now,
                )
        update_stories(store, now=now)
        for article in store.articles(limit=1000):
            ids[article.id] = next(v.id for v in SET if v.link == article.link)
    stored = {ids[a.id]: a.story for a in store.articles(limit=1000) if a.story is not None}
    at_once = group(_docs(SET))
    assert found_pairs(stored, list(ids.values())) == found_pairs(at_once, list(ids.values()))
    assert stored


def test_a_story_summary_takes_no_repeats_and_lists_each_quote_once_with_its_sources():
    versions = [v for v in SET if v.event == "minister-resigns"]
    said = "made an error of judgement"
    made = [Version(v.id, v.feed, v.title, v.text, tuple(find_quotes(v.text))) for v in versions]
    summary = summarize_story(made)
    assert 1 <= len(summary.sentences) <= 3
    assert len(set(summary.sentences)) == len(summary.sentences)
    assert set(summary.articles) <= {v.id for v in versions}
    quoted = [q for q in summary.quotes if q.text == said]
    assert len(quoted) == 1
    assert list(quoted[0].articles) == [v.id for v in versions if said in v.text]
    assert len(quoted[0].feeds) == len({v.feed for v in versions if said in v.text})


def test_short_items_that_differ_by_a_number_are_not_one_story_but_copies_are():
    items = [
        Doc(n, f"Synced story {n}", f"<p>Body of synced story {n}. It has words enough.</p>", 0)
        for n in range(1, 4)
    ]
    assert group(items) == {}
    copy = Doc(9, items[0].title, items[0].body, 3600)
    assert group([items[0], copy]) == {1: 1, 9: 1}


def test_new_articles_find_the_same_candidates_as_a_full_pass():
    rng = random.Random(11)
    vocabulary = [f"w{n}" for n in range(800)]
    texts = [" ".join(rng.choices(vocabulary, k=120)) for _ in range(300)]
    texts += [" ".join(t.split()[10:]) for t in rng.sample(texts, 60)]  # rewrites, later
    found = signatures(texts)[0]
    every = {tuple(p) for p in candidate_pairs(found).tolist()}
    for new_from in (50, 299, 330):
        meeting = {tuple(p) for p in candidate_pairs(found, new_from=new_from).tolist()}
        assert meeting == {p for p in every if p[1] >= new_from}
    assert len(every) >= 60


def test_new_articles_meet_old_ones_as_a_full_pass_does_past_a_stock_phrase():
    rng = random.Random(5)
    vocabulary = [f"w{n}" for n in range(800)]
    footer = "Sign readers morning briefing newsletter weekday stories inbox delivered free"
    texts = [" ".join(rng.choices(vocabulary, k=120)) for _ in range(300)]
    texts = [f"{t} {footer}" if n % 3 == 0 else t for n, t in enumerate(texts)]
    texts += [" ".join(t.split()[10:]) for t in rng.sample(texts, 60)]
    found = signatures(texts)[0]
    _, counts = np.unique(found[found != EMPTY], return_counts=True)
    assert counts.max() > MAX_SHARING  # the footer's pairs are in that many sketches
    every = {tuple(p) for p in candidate_pairs(found).tolist()}
    for new_from in (50, 200, 299):
        meeting = {tuple(p) for p in candidate_pairs(found, new_from=new_from).tolist()}
        assert meeting == {p for p in every if p[1] >= new_from}


@pytest.mark.parametrize("gone_by", ["removing its feed", "retention"])
def test_an_article_gone_between_refreshes_is_compared_with_no_later_one(store, gone_by):
    now = datetime.now(UTC)
    versions = [v for v in SET if v.event == "minister-resigns"]
    shift = int(now.timestamp()) - max(v.time for v in versions) - 3600
    feeds = [store.add_feed(f"https://outlet{n}.example/feed") for n in range(len(versions))]
    unrelated = next(v for v in SET if v.event != "minister-resigns")

    def refresh(feed, *carried):
        entries = tuple(_entry(v, shift) for v in carried)
        store.apply_feed_update(feed.id, ParsedFeed("F", entries=entries), now=now)
        return update_stories(store, now=now)

    refresh(feeds[0], versions[0])
    store.apply_feed_update(  # the newest, so that retention keeps it
        feeds[0].id,
        ParsedFeed("F", entries=(_entry(unrelated, int(now.timestamp()) - unrelated.time - 60),)),
        now=now,
    )
    update_stories(store, now=now)
    gone = next(a for a in store.articles(limit=10) if a.title == versions[0].title)
    if gone_by == "retention":
        store.set_read([gone.id])
        assert store.prune_feed(feeds[0].id, now=now, max_per_feed=1) == 1
    else:
        store.remove_feed(feeds[0].id)
    report = refresh(feeds[1], versions[1])
    assert report.joined == 0 and report.compared_with == (gone_by == "retention")
    # Grouping goes on from what is left: the next versions find the one still there.
    refresh(feeds[2], versions[2])
    refresh(feeds[3], versions[3])
    kept = {a.title: a.story for a in store.articles(limit=10)}
    assert kept[versions[1].title] is not None
    assert kept[versions[1].title] == kept[versions[2].title] == kept[versions[3].title]
