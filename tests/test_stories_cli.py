"""`broadsheet stories` and the story fields of `articles --json`, end to end: three
outlets' feeds served on loopback carry rewritten copies of the same events."""

from __future__ import annotations

import time

import pytest

from tests.storyset import feeds_rss, load

SET = load()


@pytest.fixture
def outlets(feed_server):
    """The story set's feeds on the loopback server; returns set feed URL -> served URL."""
    served = {}
    for feed, document in feeds_rss(SET, ending=int(time.time()) - 3600).items():
        path = "/outlets/" + feed.split("/")[2] + ".xml"
        feed_server.set_route(path, document)
        served[feed] = feed_server.url(path)
    return served


def test_stories_groups_the_outlets_copies_with_one_summary(cli, outlets):
    for url in outlets.values():
        assert cli("add", url).code == 0
    result = cli("stories", "--since", "30d", "--json")
    assert result.code == 0, result.stderr
    stories = result.json()
    articles = {a["link"]: a for a in cli("articles", "--limit", "500", "--json").json()}
    by_link = {v.link: v for v in SET}
    ferry = [
        s for s in stories if {by_link[v["link"]].event for v in s["versions"]} == {"ferry-vote"}
    ]
    assert len(ferry) == 1
    story = ferry[0]
    assert set(story) >= {"id", "title", "articles", "feeds", "first_seen", "summary"}
    assert len(story["articles"]) == 3
    assert sorted(story["feeds"]) == sorted(outlets[v.feed] for v in SET if v.event == "ferry-vote")
    assert 1 <= len(story["summary"]["sentences"]) <= 3
    assert set(story["summary"]["from"]) <= set(story["articles"])
    # The near miss two days later is a story of its own, never part of this one.
    fares = {articles[v.link]["id"] for v in SET if v.event == "ferry-fares"}
    assert not fares & set(story["articles"])
    # Each article of the story says so in `articles --json`, with its length.
    for version in (v for v in SET if v.event == "ferry-vote"):
        listed = articles[version.link]
        assert listed["story"] == story["id"]
        assert listed["words"] == len(version.text.split())
        assert listed["reading_minutes"] >= 1
    lone = next(v for v in SET if v.event == "museum-exhibition")
    assert articles[lone.link]["story"] is None


def test_stories_in_plain_text_name_the_sources_and_a_bad_duration_is_one_line(cli, outlets):
    for url in outlets.values():
        cli("add", url)
    result = cli("stories", "--since", "30d")
    assert result.code == 0
    assert "Council saves Arran Point ferry with £1.2m subsidy  (+2 sources)" in result.stdout
    bad = cli("stories", "--since", "soon")
    assert bad.code == 1
    assert bad.stderr.count("\n") == 1 and "--since" in bad.stderr


def test_the_digest_shows_each_story_once_with_every_feed_that_carried_it(cli, outlets, tmp_path):
    for url in outlets.values():
        cli("add", url)
    target = tmp_path / "digest.json"
    result = cli("digest", "--since", "30d", "--format", "json", "--to", str(target))
    assert result.code == 0, result.stderr
    digest = __import__("json").loads(target.read_text("utf-8"))
    by_link = {v.link: v for v in SET}
    ferry = [
        s
        for s in digest["stories"]
        if {by_link[v["link"]].event for v in s["versions"]} == {"ferry-vote"}
    ]
    assert len(ferry) == 1 and len(ferry[0]["articles"]) == 3
    assert len(ferry[0]["feeds"]) == 3 and ferry[0]["summary"]
    in_stories = {a for s in digest["stories"] for a in s["articles"]}
    listed = [a["id"] for f in digest["feeds"] for a in f["articles"]]
    assert not in_stories & set(listed)  # each article once
    assert len(in_stories) + len(listed) == digest["count"]
    markdown = tmp_path / "digest.md"
    assert cli("digest", "--since", "30d", "--to", str(markdown)).code == 0
    text = markdown.read_text("utf-8")
    assert "## Stories" in text and "3 versions from" in text
