"""Rules, saved searches, `mark --older-than` and `undo`, end to end through the CLI."""

from __future__ import annotations

import time
from email.utils import formatdate
from html import escape

import pytest

ITEMS = [
    # (title, author, text, hours ago)
    ("NFT marketplace raises $40m", "Deal desk", "Investors piled into tokens again.", 1),
    ("Crypto exchange fined", "Deal desk", "The regulator fined the exchange.", 2),
    ("Harbour council keeps the ferry", "Maeve Lyle", "The election of a new chair waits.", 3),
    ("Weekly weather roundup", "WeatherBot", "Rain, then sun, then rain.", 30),
    ("Election count goes to a recount", "Maeve Lyle", "The election was close.", 60),
    ("Library reopens after restoration", "Ann Oduya", "A mosaic was found.", 100),
]


def rss(items, title="Town Crier") -> str:
    now = time.time()
    entries = "".join(
        f"<item><title>{escape(t)}</title><link>https://crier.example/{n}</link>"
        f"<guid>https://crier.example/{n}</guid><author>{escape(a)}</author>"
        f"<pubDate>{formatdate(now - hours * 3600)}</pubDate>"
        f"<description>{escape(f'<p>{text}</p>')}</description></item>"
        for n, (t, a, text, hours) in enumerate(items)
    )
    return (
        '<?xml version="1.0" encoding="utf-8"?>\n<rss version="2.0"><channel>'
        f"<title>{title}</title><link>https://crier.example/</link><description>d</description>"
        f"{entries}</channel></rss>"
    )


@pytest.fixture
def crier(feed_server):
    feed_server.set_route("/crier.xml", rss(ITEMS))
    return feed_server.url("/crier.xml")


def listed(cli, *extra):
    result = cli("articles", "--limit", "100", "--json", *extra)
    assert result.code == 0, result.stderr
    # The welcome feed's articles are there too; these tests are about the served feeds.
    return {a["title"]: a for a in result.json() if a["feed_url"].startswith("http")}


def test_rules_hide_mark_read_and_tag_new_articles(cli, crier):
    assert cli("rules", "add", "title:/crypto|nft/i", "--action", "hide").code == 0
    assert cli("rules", "add", "author:Bot", "--action", "read").code == 0
    tag = cli("rules", "add", f"feed:{crier} text:/election/", "--action", "tag:politics")
    assert tag.code == 0
    rules = cli("rules", "list", "--json").json()
    assert [(r["query"], r["action"]) for r in rules] == [
        ("title:/crypto|nft/i", "hide"),
        ("author:Bot", "read"),
        (f"feed:{crier} text:/election/", "tag:politics"),
    ]
    assert cli("add", crier).code == 0
    shown = listed(cli)
    assert "NFT marketplace raises $40m" not in shown
    assert "Crypto exchange fined" not in shown
    assert shown["Weekly weather roundup"]["read"] is True
    assert shown["Harbour council keeps the ferry"]["read"] is False
    assert shown["Harbour council keeps the ferry"]["tags"] == ["politics"]
    assert shown["Election count goes to a recount"]["tags"] == ["politics"]
    assert shown["Library reopens after restoration"]["tags"] == []
    # Hidden articles are kept: the filter shows them.
    everything = listed(cli, "--hidden")
    assert everything["Crypto exchange fined"]["hidden"] is True
    assert len(everything) == len(ITEMS)


def test_a_rule_applies_to_articles_of_later_refreshes_not_earlier_ones(cli, crier, feed_server):
    cli("add", crier)
    assert cli("rules", "add", "author:Bot", "--action", "read").code == 0
    assert listed(cli)["Weekly weather roundup"]["read"] is False  # it came before the rule
    feed_server.set_route(
        "/crier.xml", rss([*ITEMS, ("Pollen forecast", "WeatherBot", "High.", 0)])
    )
    assert cli("refresh", "--force").code == 0
    shown = listed(cli)
    assert shown["Pollen forecast"]["read"] is True
    assert shown["Weekly weather roundup"]["read"] is False


@pytest.mark.parametrize(
    ("query", "action", "named"),
    [
        ("title:/(unclosed/", "hide", "bad regular expression"),
        ("tilte:crypto", "hide", "unknown field 'tilte:'"),
        ("/(a+)+$/", "hide", "repeats a repetition"),
        ("crypto", "delete", "use hide, read or tag:NAME"),
    ],
)
def test_a_bad_rule_is_one_line_naming_the_problem(cli, query, action, named):
    result = cli("rules", "add", query, "--action", action)
    assert result.code == 1
    assert result.stderr.count("\n") == 1 and named in result.stderr
    assert "Traceback" not in result.stderr
    assert cli("rules", "list", "--json").json() == []


def test_rules_test_changes_nothing_and_apply_is_undone_exactly(cli, crier):
    cli("add", crier)
    before = listed(cli)
    library = before["Library reopens after restoration"]["id"]
    assert cli("mark", str(library), "--read").code == 0
    tried = cli("rules", "test", "title:/weather|library/i", "--json").json()
    assert tried["matches"] == 2
    assert listed(cli)["Weekly weather roundup"]["read"] is False  # nothing changed

    cli("rules", "add", "title:/weather|library/i", "--action", "read")
    applied = cli("rules", "apply")
    assert applied.code == 0 and "1 articles changed" in applied.stdout
    assert listed(cli)["Weekly weather roundup"]["read"] is True
    undone = cli("undo")
    assert undone.code == 0 and "rules apply" in undone.stdout
    after = listed(cli)
    assert after["Weekly weather roundup"]["read"] is False  # back to unread
    assert after["Library reopens after restoration"]["read"] is True  # was read before
    assert {t: a["read"] for t, a in after.items()} == {
        **{t: a["read"] for t, a in before.items()},
        "Library reopens after restoration": True,
    }
    assert cli("undo").code == 1  # nothing left to undo


def test_rules_from_the_settings_file_are_listed_and_applied(cli, crier):
    cli.config.write_text('[[rules]]\nquery = "author:Bot"\naction = "hide"\n')
    cli("add", crier)
    cli("rules", "apply")
    assert "Weekly weather roundup" not in listed(cli)
    rules = cli("rules", "list", "--json").json()
    assert rules == [{"id": "config:1", "query": "author:Bot", "action": "hide", "from": "config"}]
    cli.config.write_text('[[rules]]\nquery = "nope:x"\naction = "hide"\n')
    result = cli("rules", "list")
    assert result.code == 1 and "config: rule 1: unknown field 'nope:'" in result.stderr


def test_mark_older_than_then_undo_restores_which_were_read(cli, crier):
    cli("add", crier)
    before = listed(cli)
    recount = before["Election count goes to a recount"]["id"]
    cli("mark", str(recount), "--read")
    result = cli("mark", "--older-than", "1d", "--read", "--feed", crier)
    assert result.code == 0 and "Marked 2 articles read" in result.stdout
    shown = listed(cli)
    old = {t for t, a in shown.items() if a["read"]}
    assert old == {
        "Weekly weather roundup",
        "Election count goes to a recount",
        "Library reopens after restoration",
    }
    assert cli("undo").code == 0
    shown = listed(cli)
    assert {t for t, a in shown.items() if a["read"]} == {"Election count goes to a recount"}
    bad = cli("mark", "--older-than", "soon", "--read")
    assert bad.code == 1 and "--older-than 'soon'" in bad.stderr


def test_mark_older_than_one_feed_only(cli, crier, feed_server):
    feed_server.set_route("/other.xml", rss(ITEMS[:4], title="Other"))
    cli("add", crier)
    cli("add", feed_server.url("/other.xml"))
    result = cli("mark", "--older-than", "1d", "--read", "--feed", crier)
    assert "Marked 3 articles read" in result.stdout
    read = [a for a in cli("articles", "--limit", "100", "--json").json() if a["read"]]
    read = [a for a in read if a["feed_url"].startswith("http")]
    assert {a["feed_url"] for a in read} == {crier}


def test_saved_searches_list_their_counts_and_articles(cli, crier):
    cli("add", crier)
    assert cli("saved", "add", "votes", "election -recount").code == 0
    assert cli("saved", "add", "desk", 'author:"deal desk"').code == 0
    saved = {s["name"]: s for s in cli("saved", "list", "--json").json()}
    assert saved["votes"] == {
        "name": "votes",
        "query": "election -recount",
        "unread": 1,
        "total": 1,
    }
    assert saved["desk"]["total"] == 2
    titles = [a["title"] for a in cli("articles", "--saved", "desk", "--json").json()]
    assert titles == ["NFT marketplace raises $40m", "Crypto exchange fined"]
    # The same language works in a search.
    searched = cli("articles", "--search", "title:/^crypto/i", "--json").json()
    assert [a["title"] for a in searched] == ["Crypto exchange fined"]
    assert cli("saved", "remove", "desk").code == 0
    missing = cli("articles", "--saved", "desk")
    assert missing.code == 1 and "no saved search named 'desk'" in missing.stderr


def test_rules_apply_to_what_a_sync_brings(cli, data_dir):
    from tests.greader_server import GReaderServer
    from tests.test_sync_cli import setup

    with GReaderServer(page_limit=200) as server:
        server.add_user("ana", "app-password")
        stream = server.add_feed("https://news.example/rss", "News")
        server.add_items(stream, 3, title="Crypto weekly")
        server.add_items(stream, 2, title="Harbour notes")
        cli.data_dir = str(data_dir)
        assert setup(cli, server).returncode == 0
        assert cli("rules", "add", "title:crypto", "--action", "hide").code == 0
        assert cli("sync").code == 0
    titles = [a["title"] for a in listed(cli).values()]
    assert titles and all("Harbour" in t for t in titles)
    hidden = [a for a in listed(cli, "--hidden").values() if a["hidden"]]
    assert len(hidden) == 3
