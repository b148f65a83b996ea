"""The `broadsheet` command end to end: a subprocess against the loopback feed server."""

from __future__ import annotations

import gzip
import json
import socket
import uuid
import zlib
from datetime import UTC, datetime
from email.utils import format_datetime
from pathlib import Path

import pytest

from tests.feedserver import small_rss

WELCOME = "broadsheet:welcome"


def unique(name: str) -> str:
    return f"{name}-{uuid.uuid4().hex[:8]}"


def rss(title: str, items: list[tuple[str, str]], *, link: str = "https://example.org/") -> str:
    """An RSS 2.0 document with (guid, title) items and HTML bodies."""
    body = "".join(
        f"<item><title>{t}</title><link>{link}{g}</link><guid>{g}</guid>"
        f"<pubDate>Tue, 24 Nov 2026 0{i % 10}:00:00 +0000</pubDate>"
        f"<description><![CDATA[<p>Body of {t}.</p><p>Second paragraph.</p>]]></description>"
        "</item>"
        for i, (g, t) in enumerate(items)
    )
    return (
        f'<?xml version="1.0"?><rss version="2.0"><channel><title>{title}</title>'
        f"<link>{link}</link><description>d</description>{body}</channel></rss>"
    )


def assert_one_clean_line(stderr: str) -> None:
    lines = stderr.strip().splitlines()
    assert len(lines) == 1, stderr
    assert "Traceback" not in stderr
    assert lines[0].startswith("broadsheet: ")


def test_a_fresh_data_dir_offline_has_the_welcome_feed(cli, data_dir):
    result = cli("feeds", "--json")
    assert result.code == 0, result.stderr
    feeds = result.json()
    assert [f["url"] for f in feeds] == [WELCOME]
    assert feeds[0]["title"] == "Welcome to Broadsheet"
    assert feeds[0]["unread"] == feeds[0]["total"] == 4
    assert {"url", "title", "unread", "total", "last_status", "last_error", "last_checked"} <= set(
        feeds[0]
    )
    articles = cli("articles", "--json").json()
    sample = next(a for a in articles if "ferry" in a["title"])
    text = cli("show", str(sample["id"])).stdout
    assert "The ferry is not a luxury for the island" in text
    assert (data_dir / "broadsheet.sqlite3").exists()


def test_add_lists_and_shows_a_feed(cli, feed_server):
    path = unique("news") + ".xml"
    feed_server.set_route(path, rss("Daily News", [("a1", "First story"), ("a2", "Second story")]))
    url = feed_server.url(path)

    added = cli("add", url, "--tag", "daily")
    assert added.code == 0, added.stderr
    assert "Daily News" in added.stdout and "2 articles" in added.stdout

    feeds = {f["url"]: f for f in cli("feeds", "--json").json()}
    assert feeds[url]["title"] == "Daily News"
    assert feeds[url]["last_status"] == "200"
    assert feeds[url]["unread"] == 2
    assert feeds[url]["tags"] == ["daily"]

    articles = cli("articles", "--feed", url, "--json").json()
    assert [a["title"] for a in articles] == ["Second story", "First story"]  # newest first
    first = articles[-1]
    assert {
        "id",
        "feed",
        "feed_url",
        "title",
        "link",
        "author",
        "published",
        "read",
        "bookmarked",
    } <= set(first)
    assert first["feed"] == "Daily News" and first["feed_url"] == url
    assert first["published"] == "2026-11-24T00:00:00Z"
    assert first["link"] == "https://example.org/a1"

    shown = cli("show", str(first["id"]))
    assert shown.code == 0
    assert "Body of First story.\n\nSecond paragraph." in shown.stdout
    assert "<p>" not in shown.stdout

    table = cli("articles", "--feed", url)
    assert "First story" in table.stdout and str(first["id"]) in table.stdout

    again = cli("add", url)
    assert again.code == 0 and "Already subscribed" in again.stdout


def test_add_follows_a_web_page_to_its_feed(cli, feed_server):
    feed_path = unique("blog") + ".atom"
    page_path = unique("blog") + ".html"
    feed_server.set_route(
        feed_path,
        '<?xml version="1.0" encoding="utf-8"?><feed xmlns="http://www.w3.org/2005/Atom">'
        "<title>A Blog</title><id>urn:blog</id><updated>2026-11-20T10:00:00Z</updated>"
        '<entry><title>Post one</title><id>urn:p1</id><link href="/p1"/>'
        "<updated>2026-11-20T10:00:00Z</updated><summary>Hello</summary></entry></feed>",
        content_type="application/atom+xml",
    )
    feed_server.set_route(
        page_path,
        "<!doctype html><html><head><title>A Blog</title>"
        f'<link rel="alternate" type="application/atom+xml" href="/{feed_path}"></head>'
        "<body><h1>A Blog</h1></body></html>",
        content_type="text/html; charset=utf-8",
    )
    result = cli("add", feed_server.url(page_path))
    assert result.code == 0, result.stderr
    assert "Found the feed" in result.stdout
    urls = [f["url"] for f in cli("feeds", "--json").json()]
    assert feed_server.url(feed_path) in urls
    assert feed_server.url(page_path) not in urls


@pytest.mark.parametrize(
    ("route", "body", "content_type", "message"),
    [
        (
            "page",
            "<html><head><title>No feed</title></head><body>hi</body></html>",
            "text/html",
            "does not announce a feed",
        ),
        ("missing", None, None, "404"),
    ],
)
def test_add_errors_are_one_line_and_subscribe_nothing(
    cli, feed_server, route, body, content_type, message
):
    path = unique(route)
    if body is not None:
        feed_server.set_route(path, body, content_type=content_type)
    result = cli("add", feed_server.url(path))
    assert result.code == 1
    assert_one_clean_line(result.stderr)
    assert message in result.stderr
    assert [f["url"] for f in cli("feeds", "--json").json()] == [WELCOME]


def test_add_over_https_trusts_the_system_authorities_only(cli, feed_server, tls_server):
    url = tls_server.url("files/http/sample.xml")
    refused = cli("add", url)
    assert refused.code == 1
    assert_one_clean_line(refused.stderr)
    assert "certificate" in refused.stderr

    # OpenSSL reads SSL_CERT_FILE as the system's bundle: now the server's CA is trusted.
    trusted = {"SSL_CERT_FILE": str(tls_server.ca_file)}
    added = cli("add", url, env=trusted)
    assert added.code == 0, added.stderr
    assert url in [f["url"] for f in cli("feeds", "--json").json()]

    # The same context for an https hop an http address redirects to.
    moved = unique("moved") + ".xml"
    feed_server.set_route(moved, b"", status=302, headers={"Location": url + "?via=redirect"})
    via = cli("add", feed_server.url(moved), env=trusted)
    assert via.code == 0, via.stderr


def test_add_refuses_urls_that_are_not_http(cli):
    result = cli("add", "file:///etc/passwd")
    assert result.code == 1
    assert_one_clean_line(result.stderr)
    assert "passwd" not in cli("feeds", "--json").stdout.replace("file:///etc/passwd", "")


def test_second_refresh_is_conditional_and_adds_nothing(cli, feed_server):
    paths = [unique("cond") + ".xml" for _ in range(3)]
    for n, path in enumerate(paths):
        feed_server.set_route(
            path, rss(f"Feed {n}", [(f"{n}-{i}", f"Story {i}") for i in range(5)])
        )
        assert cli("add", feed_server.url(path)).code == 0

    feed_server.reset()
    first = cli("refresh", "--json", "--force")
    assert first.code == 0, first.stderr
    report = first.json()
    assert report["feeds"] == 4  # three feeds and the bundled welcome feed
    assert report["new_articles"] == 0  # add already stored them
    assert report["not_modified"] == 4  # the bundled feed is unchanged too
    assert report["errors"] == []
    conditional = [r for r in feed_server.requests if r.path.lstrip("/") in paths]
    assert len(conditional) == 3
    assert all(r.status == 304 and "if-none-match" in r.headers for r in conditional)
    assert all("Broadsheet/" in r.headers["user-agent"] for r in conditional)

    # A feed that changes brings exactly its new item.
    feed_server.set_route(
        paths[0], rss("Feed 0", [("0-new", "Fresh")] + [(f"0-{i}", f"Story {i}") for i in range(5)])
    )
    second = cli("refresh", "--json", "--force").json()
    assert second["updated"] == 1 and second["not_modified"] == 3
    assert second["new_articles"] == 1
    titles = [
        a["title"] for a in cli("articles", "--feed", feed_server.url(paths[0]), "--json").json()
    ]
    assert titles.count("Fresh") == 1 and len(titles) == 6


def test_a_failing_feed_keeps_its_articles_and_the_others_carry_on(cli, feed_server):
    good, bad = unique("good") + ".xml", unique("bad") + ".xml"
    feed_server.set_route(good, rss("Good", [("g1", "Good one")]))
    feed_server.set_route(bad, rss("Bad", [("b1", "Bad one"), ("b2", "Bad two")]))
    assert cli("add", feed_server.url(good)).code == 0
    assert cli("add", feed_server.url(bad)).code == 0

    feed_server.set_route(bad, "oops", status=500, content_type="text/plain")
    feed_server.set_route(good, rss("Good", [("g1", "Good one"), ("g2", "Good two")]))
    result = cli("refresh", "--json", "--force")
    assert result.code == 1
    assert_one_clean_line(result.stderr)
    assert feed_server.url(bad) in result.stderr and "500" in result.stderr
    report = result.json()
    assert report["failed"] == 1 and report["new_articles"] == 1
    assert report["errors"] == [
        {"url": feed_server.url(bad), "error": report["errors"][0]["error"]}
    ]

    feeds = {f["url"]: f for f in cli("feeds", "--json").json()}
    assert feeds[feed_server.url(bad)]["total"] == 2  # nothing lost
    assert feeds[feed_server.url(bad)]["last_status"] == "500"
    assert "500" in feeds[feed_server.url(bad)]["last_error"]
    assert feeds[feed_server.url(good)]["total"] == 2
    listing = cli("feeds")
    assert "500" in listing.stdout


def test_a_dead_server_fails_every_feed_with_one_line(cli, data_dir):
    with socket.socket() as probe:  # a port nobody listens on
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    opml = data_dir.parent / "dead.opml"
    outlines = "".join(
        f'<outline type="rss" text="Dead {i}" xmlUrl="http://127.0.0.1:{port}/f{i}.xml"/>'
        for i in range(5)
    )
    opml.write_text(f'<?xml version="1.0"?><opml version="2.0"><body>{outlines}</body></opml>')
    assert cli("import-opml", str(opml)).code == 0
    result = cli("refresh", "--json")
    assert result.code == 1
    assert_one_clean_line(result.stderr)
    assert "5 of 6 feeds failed" in result.stderr
    report = result.json()
    assert report["failed"] == 5
    assert all("connect" in e["error"] for e in report["errors"])
    feeds = {f["url"]: f for f in cli("feeds", "--json").json()}
    assert feeds[WELCOME]["total"] == 4  # the bundled feed still works offline
    assert all(f["last_error"] for url, f in feeds.items() if url != WELCOME)


def test_opml_import_and_export_round_trip(cli, data_dir, feed_server):
    opml = data_dir.parent / "subs.opml"
    opml.write_text(
        '<?xml version="1.0"?><opml version="2.0"><head><title>x</title></head><body>'
        '<outline text="Tech"><outline type="rss" text="One" xmlUrl="https://one.example/rss"/>'
        "</outline>"
        '<outline type="rss" text="Two" xmlUrl="https://two.example/atom"/></body></opml>'
    )
    result = cli("import-opml", str(opml))
    assert result.code == 0 and "Imported 2 feeds" in result.stdout
    assert "1 already" not in result.stdout
    assert "already subscribed" in cli("import-opml", str(opml)).stdout

    exported = cli("export-opml")
    assert exported.code == 0
    assert 'xmlUrl="https://one.example/rss"' in exported.stdout
    assert 'category="Tech"' in exported.stdout
    assert WELCOME not in exported.stdout

    target = data_dir.parent / "out" / "subs.opml"
    assert cli("export-opml", str(target)).code == 0
    assert target.read_text().count("<outline") == 2


def test_hostile_titles_print_as_plain_characters(cli, feed_server):
    path = unique("hostile") + ".xml"
    feed_server.set_route(
        path,
        rss(
            "[bold red]Evil[/] feed",
            [
                ("h1", "[link=file:///etc/passwd]click[/link] &#x1b;]0;pwned&#x07;"),
                ("h2", "[@click=app.quit]q[/] \u009b31m"),
            ],
        ),
    )
    assert cli("add", feed_server.url(path)).code == 0
    for args in (("articles",), ("feeds",), ("articles", "--json"), ("feeds", "--json")):
        out = cli(*args).stdout
        assert "\x1b" not in out and "\x07" not in out and "\u009b" not in out
    table = cli("articles").stdout
    assert "[link=file:///etc/passwd]click[/link]" in table
    assert "[@click=app.quit]q[/]" in table
    assert "[bold red]Evil[/] feed" in cli("feeds").stdout


def test_show_reads_html_and_text_files(cli, tmp_path):
    page = tmp_path / "page.html"
    page.write_text(
        "<html><head><meta charset='utf-8'><script>var x=1;</script></head><body>"
        "<nav>Home | World</nav><article><p>Zürich said “yes”.</p><p>Second.</p></article>"
        "</body></html>",
        encoding="utf-8",
    )
    shown = cli("show", str(page))
    assert shown.code == 0
    assert shown.stdout == "Zürich said “yes”.\n\nSecond.\n"
    note = tmp_path / "note.txt"
    note.write_text("Plain text\nwrapped.\n\nNext paragraph.\n")
    assert cli("show", str(note)).stdout == "Plain text wrapped.\n\nNext paragraph.\n"
    packed = tmp_path / "page.html.gz"
    packed.write_bytes(gzip.compress(page.read_bytes()))
    assert cli("show", str(packed)).stdout == shown.stdout


def _zeros_packed() -> bytes:
    packer = zlib.compressobj(9, zlib.DEFLATED, 16 + zlib.MAX_WBITS)
    chunk = bytes(1024 * 1024)
    return b"".join(packer.compress(chunk) for _ in range(60)) + packer.flush()


@pytest.mark.parametrize(
    ("name", "content", "message"),
    [
        ("photo.png", lambda: b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + bytes(200), "not a text"),
        ("broken.gz", lambda: b"\x1f\x8b\x08\x00garbage", "cannot be unpacked"),
        ("bomb.html.gz", _zeros_packed, "unpacks to more than 50 MB"),
    ],
)
def test_show_refuses_files_it_cannot_read_as_text(cli, tmp_path, name, content, message):
    path = tmp_path / name
    path.write_bytes(content())
    for command in ("show", "summary", "quotes"):
        result = cli(command, str(path))
        assert result.code == 1
        assert_one_clean_line(result.stderr)
        assert message in result.stderr


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (("show", "999999"), "no article with id 999999"),
        (("show", "/nonexistent/file.html"), "no such article id, URL or file"),
        (("remove", "https://not.subscribed/feed"), "not subscribed"),
        (("import-opml", "/nonexistent.opml"), "cannot read"),
        (("refresh", "--feed", "https://not.subscribed/feed"), "not subscribed"),
    ],
)
def test_domain_errors_exit_1_with_one_line(cli, args, message):
    result = cli(*args)
    assert result.code == 1
    assert_one_clean_line(result.stderr)
    assert message in result.stderr


@pytest.mark.parametrize(
    "args", [("frobnicate",), ("articles", "--limit", "zero"), ("add",), ("feeds", "--bogus")]
)
def test_usage_errors_exit_2(cli, args):
    result = cli(*args)
    assert result.code == 2
    assert "usage:" in result.stderr


def test_a_broken_config_file_is_one_line(cli):
    cli.config.write_text("[fetch]\nper_host = 'lots'\n")
    result = cli("feeds")
    assert result.code == 1
    assert_one_clean_line(result.stderr)
    assert "fetch.per_host" in result.stderr


def test_data_dir_flag_wins_over_the_environment(cli, tmp_path):
    elsewhere = tmp_path / "elsewhere"
    assert cli("--data-dir", str(elsewhere), "feeds").code == 0
    assert (elsewhere / "broadsheet.sqlite3").exists()


def test_remove_unsubscribes(cli, feed_server):
    path = unique("gone") + ".xml"
    feed_server.set_route(path, small_rss("Going"))
    assert cli("add", feed_server.url(path)).code == 0
    result = cli("remove", feed_server.url(path))
    assert result.code == 0 and "Unsubscribed" in result.stdout
    assert [f["url"] for f in cli("feeds", "--json").json()] == [WELCOME]


def test_refresh_shows_progress_only_on_a_terminal(cli, data_dir, feed_server):
    import os
    import pty
    import subprocess
    import sys

    path = unique("progress") + ".xml"
    feed_server.set_route(path, small_rss("Progress", 2))
    assert cli("add", feed_server.url(path)).code == 0
    assert "Refreshing" not in cli("refresh").stderr  # piped: no progress line

    leader, follower = pty.openpty()
    env = {**os.environ, "BROADSHEET_HOME": str(data_dir)}
    completed = subprocess.run(
        [sys.executable, "-m", "tui", "--config", str(cli.config), "refresh", "--force"],
        stdout=subprocess.PIPE,
        stderr=follower,
        stdin=subprocess.DEVNULL,
        env=env,
        timeout=60,
    )
    os.close(follower)
    shown = b""
    while True:
        try:
            chunk = os.read(leader, 4096)
        except OSError:
            break
        if not chunk:
            break
        shown += chunk
    os.close(leader)
    assert completed.returncode == 0
    assert b"Refreshing" in shown and b"2/2 feeds" in shown
    assert b"2 feeds: " in completed.stdout


def test_quotes_of_the_welcome_story_with_speakers(cli, tmp_path):
    articles = cli("articles", "--json").json()
    story = next(a for a in articles if "ferry" in a["title"])
    result = cli("quotes", str(story["id"]), "--json")
    assert result.code == 0, result.stderr
    quotes = result.json()
    text = cli("show", str(story["id"])).stdout
    body = text.split("\n\n", 1)[1]  # after the header block
    speakers = [q["speaker"] for q in quotes]
    assert speakers[0].startswith("Mayor Ingrid Solberg")
    assert any(s.startswith("Margaret Oyelaran") for s in speakers)
    assert speakers[-1].startswith("Councillor Thomas Arkwright")  # "he said", resolved
    first = quotes[0]
    assert first["text"].startswith("The ferry is not a luxury")
    assert first["end"] > first["start"]
    assert all(q["text"] in body for q in quotes)

    page = tmp_path / "story.html"
    page.write_text(
        "<html><body><article><p>“We will rebuild the pier by spring,” said Harbour Master "
        "Ana Lopes. She added that the work would cost £2 million.</p>"
        "<p>Lopes said: “Nobody will lose their mooring.”</p></article></body></html>"
    )
    from_file = cli("quotes", str(page), "--json").json()
    assert [(q["text"], q["speaker"]) for q in from_file] == [
        ("We will rebuild the pier by spring,", "Harbour Master Ana Lopes"),
        ("Nobody will lose their mooring.", "Harbour Master Ana Lopes"),  # surname resolved
    ]


def test_bookmarks_with_notes_round_trip(cli, feed_server):
    path = unique("keep") + ".xml"
    feed_server.set_route(path, rss("Keepers", [("k1", "Keep me"), ("k2", "And me")]))
    assert cli("add", feed_server.url(path)).code == 0
    ids = {
        a["title"]: a["id"]
        for a in cli("articles", "--feed", feed_server.url(path), "--json").json()
    }
    assert cli("bookmark", str(ids["Keep me"]), "--note", "for the [bold]weekend[/]").code == 0
    assert cli("bookmark", str(ids["And me"])).code == 0
    listed = {b["title"]: b for b in cli("bookmarks", "--json").json()}
    assert listed["Keep me"]["note"] == "for the [bold]weekend[/]"
    assert listed["Keep me"]["bookmarked"] and listed["Keep me"]["bookmarked_at"]
    assert {"id", "feed", "feed_url", "link", "published", "read"} <= set(listed["And me"])
    assert "for the [bold]weekend[/]" in cli("bookmarks").stdout
    assert [a["title"] for a in cli("articles", "--bookmarked", "--json").json()] == [
        "And me",
        "Keep me",
    ]

    removed = cli("remove", feed_server.url(path))
    assert removed.code == 0 and "kept its 2 bookmarked articles" in removed.stdout
    assert len(cli("bookmarks", "--json").json()) == 2  # removal keeps bookmarks

    assert cli("unbookmark", str(ids["And me"])).code == 0
    again = cli("unbookmark", str(ids["And me"]))
    assert again.code == 1 and "not bookmarked" in again.stderr
    assert [b["title"] for b in cli("bookmarks", "--json").json()] == ["Keep me"]
    missing = cli("bookmark", "999999")
    assert missing.code == 1 and "no article with id 999999" in missing.stderr


def test_summary_of_an_article_a_file_and_a_page(cli, feed_server, tmp_path):
    story = next(a for a in cli("articles", "--json").json() if "ferry" in a["title"])
    result = cli("summary", str(story["id"]), "--json")
    assert result.code == 0, result.stderr
    summary = result.json()
    assert summary["method"] and len(summary["sentences"]) == 3
    text = cli("show", str(story["id"])).stdout
    positions = [text.index(sentence) for sentence in summary["sentences"]]
    assert positions == sorted(positions)  # in the article's order
    assert (
        len(cli("summary", str(story["id"]), "--sentences", "1", "--json").json()["sentences"]) == 1
    )
    lead = cli("summary", str(story["id"]), "--method", "lead", "--json").json()
    # The first sentence, without its dateline ("KELDMOUTH — ").
    assert lead["sentences"][0].startswith("The council of the harbour town of Keldmouth")
    bad = cli("summary", str(story["id"]), "--method", "magic")
    assert bad.code == 1 and "unknown summary method" in bad.stderr

    note = tmp_path / "note.txt"
    note.write_text("One sentence here. Another one follows. A third closes it.\n")
    assert len(cli("summary", str(note), "--json").json()["sentences"]) == 3

    path = unique("page") + ".html"
    feed_server.set_route(
        path,
        "<html><body><nav>Menu</nav><article><p>The bridge opened on Monday. Crowds came early."
        "</p><p>Traffic fell by half, the council said.</p></article></body></html>",
        content_type="text/html",
    )
    page = cli("summary", feed_server.url(path), "--sentences", "2", "--json")
    assert page.code == 0, page.stderr
    assert "Menu" not in " ".join(page.json()["sentences"])


def _front_matter(text: str) -> dict[str, object]:
    assert text.startswith("---\n")
    block = text[4 : text.index("\n---\n", 4)]
    fields = {}
    for line in block.splitlines():
        key, _, value = line.partition(": ")
        fields[key] = (
            json.loads(value)
            if value[:1] in '"[{' or value in ("null", "true", "false") or value.isdigit()
            else value
        )
    return fields


def test_export_writes_safe_files_that_read_back(cli, feed_server, tmp_path):
    path = unique("export") + ".xml"
    feed_server.set_route(
        path,
        rss("Exports", [("e1", "../../etc/passwd"), ("e2", "Zürich: “quotes” &amp; [bold]x[/]")]),
    )
    assert cli("add", feed_server.url(path)).code == 0
    ids = {
        a["title"]: a["id"]
        for a in cli("articles", "--feed", feed_server.url(path), "--json").json()
    }
    cli("bookmark", str(ids["../../etc/passwd"]), "--note", 'a "note": with # and ---')
    folder = tmp_path / "exports"
    result = cli("export", *map(str, ids.values()), "--to", str(folder))
    assert result.code == 0, result.stderr
    files = sorted(folder.iterdir())
    assert len(files) == 2 and all(f.parent == folder for f in files)
    assert all(f.name == f.name.lower() and f.name.isascii() and len(f.name) <= 80 for f in files)
    fields = {(_front_matter(f.read_text())["title"]): _front_matter(f.read_text()) for f in files}
    kept = fields["../../etc/passwd"]
    assert kept["note"] == 'a "note": with # and ---'
    assert kept["bookmarked"] is True
    assert fields["Zürich: “quotes” & [bold]x[/]"]["link"] == "https://example.org/e2"
    # Exporting again updates the same files instead of piling up copies.
    again = cli("export", *map(str, ids.values()), "--to", str(folder))
    assert again.code == 0 and sorted(folder.iterdir()) == files
    fresh = cli(
        "export", str(ids["../../etc/passwd"]), "--to", str(folder), "--overwrite", "suffix"
    )
    assert fresh.code == 0 and fresh.stdout.strip().endswith("-2.md")
    Path(fresh.stdout.strip()).unlink()

    as_json = cli("export", str(ids["../../etc/passwd"]), "--to", str(folder), "--format", "json")
    data = json.loads(Path(as_json.stdout.strip()).read_text())
    assert data["title"] == "../../etc/passwd" and data["note"] == 'a "note": with # and ---'

    blocked = tmp_path / "not-a-folder"
    blocked.write_text("I am a file")
    failed = cli("export", str(ids["../../etc/passwd"]), "--to", str(blocked / "sub"))
    assert failed.code == 1
    assert_one_clean_line(failed.stderr)
    assert blocked.read_text() == "I am a file"


def test_digest_groups_recent_articles_by_feed(cli, feed_server, tmp_path):
    path = unique("digest") + ".xml"
    now = format_datetime(datetime.now(UTC))
    feed_server.set_route(
        path,
        '<?xml version="1.0"?><rss version="2.0"><channel><title>Fresh News</title>'
        "<link>https://fresh.example/</link><description>d</description>"
        f"<item><title>Fresh one</title><guid>f1</guid><pubDate>{now}</pubDate>"
        "<description>&lt;p&gt;“It is new,” said Ada Lovelace. Nothing else.&lt;/p&gt;"
        "</description>"
        "</item></channel></rss>",
    )
    assert cli("add", feed_server.url(path)).code == 0
    target = tmp_path / "digest.md"
    result = cli("digest", "--since", "2h", "--to", str(target))
    assert result.code == 0, result.stderr
    digest = target.read_text()
    assert "Fresh News" in digest and "Fresh one" in digest
    assert "Ada Lovelace" in digest
    # "The last two hours" means what arrived in them: the bundled welcome feed too.
    assert digest.index("Fresh News") < digest.index("Welcome to Broadsheet")
    as_json = cli("digest", "--since", "2h", "--to", str(tmp_path / "d.json"), "--format", "json")
    assert as_json.code == 0
    data = json.loads((tmp_path / "d.json").read_text())
    assert [f["feed"] for f in data["feeds"]] == ["Fresh News", "Welcome to Broadsheet"]
    assert cli("digest", "--since", "2h", "--bookmarked").code == 1  # nothing to write
    bad = cli("digest", "--since", "soon")
    assert bad.code == 1 and "--since" in bad.stderr


def test_retention_runs_after_a_refresh(cli, feed_server):
    path = unique("retain") + ".xml"
    feed_server.set_route(path, rss("Retained", [(f"r{i}", f"Story {i}") for i in range(6)]))
    assert cli("add", feed_server.url(path)).code == 0
    cli.config.write_text(
        f'[retention]\nmax_per_feed = 0\n[retention.per_feed."{feed_server.url(path)}"]\n'
        "max_per_feed = 2\n"
    )
    ids = [a["id"] for a in cli("articles", "--feed", feed_server.url(path), "--json").json()]
    assert cli("bookmark", str(ids[-1])).code == 0
    result = cli("refresh", "--json", "--force")
    assert result.code == 0, result.stderr
    assert result.json()["removed_by_retention"] == 0  # unread articles are kept by default
    cli.config.write_text(
        cli.config.read_text().replace("[retention]\n", "[retention]\nunread = true\n")
    )
    result = cli("refresh", "--json", "--force")
    assert result.json()["removed_by_retention"] == 3
    left = cli("articles", "--feed", feed_server.url(path), "--json").json()
    assert [a["id"] for a in left] == [ids[0], ids[1], ids[-1]]  # newest two + the bookmark
    cli.config.write_text("[retention]\nkeep_days = -3\n")
    bad = cli("feeds")
    assert bad.code == 1 and "retention.keep_days" in bad.stderr


def test_quotes_shows_a_broken_quotation_as_its_pieces(cli, tmp_path):
    story = tmp_path / "story.txt"
    story.write_text(
        "The harbour reopened on Monday.\n\n"
        "“We will not lose another winter,” said Harbour Master Ana Lopes, “and the town "
        "will not pay for this pier a third time.”\n"
    )
    plain = cli("quotes", str(story))
    assert plain.code == 0, plain.stderr
    assert plain.stdout.strip() == (
        "Harbour Master Ana Lopes: “We will not lose another winter,” … “and the town will "
        "not pay for this pier a third time.”"
    )
    (quote,) = cli("quotes", str(story), "--json").json()
    text = cli("show", str(story)).stdout
    assert [text[p["start"] : p["end"]] for p in quote["pieces"]] == [
        "We will not lose another winter,",
        "and the town will not pay for this pier a third time.",
    ]
    assert text[quote["start"] : quote["end"]] == quote["text"]  # the joined span stays


STORY_HTML = (
    "<html><head><title>Pier</title></head><body><nav>Home | News</nav><article>"
    "<p>The harbour's old pier reopened on Monday after eight months of repairs.</p>"
    "<p>“We will not lose another winter,” said Harbour Master Ana Lopes.</p>"
    "<p>Work on the sea wall begins in the spring, according to the council.</p>"
    "<p>Lopes added: “The town paid for this pier twice.”</p></article>"
    "<aside>Subscribe to our newsletter</aside></body></html>"
)


@pytest.mark.parametrize("source", ["html-file", "text-file", "url"])
def test_summary_and_quotes_from_files_and_pages(cli, feed_server, tmp_path, source):
    if source == "html-file":
        target = tmp_path / "story.html"
        target.write_text(STORY_HTML)
    elif source == "text-file":
        target = tmp_path / "story.txt"
        target.write_text(
            "The harbour's old pier reopened on Monday after eight months of repairs.\n\n"
            "“We will not lose another winter,” said Harbour Master Ana Lopes.\n\n"
            "Work on the sea wall begins in the spring, according to the council.\n\n"
            "Lopes added: “The town paid for this pier twice.”\n"
        )
    else:
        path = unique("story") + ".html"
        feed_server.set_route(path, STORY_HTML, content_type="text/html; charset=utf-8")
        target = feed_server.url(path)
    quotes = cli("quotes", str(target), "--json")
    assert quotes.code == 0, quotes.stderr
    assert [(q["text"], q["speaker"]) for q in quotes.json()] == [
        ("We will not lose another winter,", "Harbour Master Ana Lopes"),
        ("The town paid for this pier twice.", "Harbour Master Ana Lopes"),
    ]
    text = cli("show", str(target)).stdout
    assert "Subscribe" not in text and "Home | News" not in text
    for quote in quotes.json():
        assert text[quote["start"] : quote["end"]] == quote["text"]
    summary = cli("summary", str(target), "--sentences", "2", "--json")
    assert summary.code == 0, summary.stderr
    sentences = summary.json()["sentences"]
    assert len(sentences) == 2 and all(s in text for s in sentences)


def test_refresh_skips_feeds_that_are_not_due_unless_forced(cli, feed_server):
    plain, cached, broken, ttl = (unique(n) + ".xml" for n in ("plain", "cached", "broken", "ttl"))
    feed_server.set_route(plain, small_rss("Plain", 1))
    feed_server.set_route(
        ttl,
        small_rss("With TTL", 1).replace(b"<description>For", b"<ttl>240</ttl><description>For"),
    )
    feed_server.set_route(cached, small_rss("Cached", 1), headers={"Cache-Control": "max-age=7200"})
    feed_server.set_route(broken, small_rss("Broken", 1))
    for path in (plain, cached, broken, ttl):
        assert cli("add", feed_server.url(path)).code == 0
    feed_server.reset()
    polite = cli("refresh", "--json")
    assert polite.code == 0 and polite.json()["skipped"] == 5  # just added: nothing is due
    # Only this test's feeds: the server is shared by the worker's tests, and a request
    # another test's process sent just before it ended may still be recorded now.
    mine = {"/" + path for path in (plain, cached, broken, ttl)}
    assert [r.path for r in feed_server.requests if r.path.split("?", 1)[0] in mine] == []

    feed_server.set_route(broken, "down", status=503, content_type="text/plain")
    assert cli("refresh", "--json", "--force").code == 1
    feeds = {f["url"]: f for f in cli("feeds", "--json").json()}

    def wait(path: str) -> float:
        feed = feeds[feed_server.url(path)]
        due = datetime.fromisoformat(feed["next_check"].replace("Z", "+00:00"))
        checked = datetime.fromisoformat(feed["last_checked"].replace("Z", "+00:00"))
        return (due - checked).total_seconds() / 60

    assert wait(plain) == 30  # the default interval
    assert wait(cached) == 120  # Cache-Control: max-age=7200
    assert wait(ttl) == 240  # <ttl>240</ttl>
    assert feeds[feed_server.url(broken)]["failures"] == 1
    assert wait(broken) == 60  # Retry-After 120 s, but one failure doubles the interval
    assert "in 2h" in cli("feeds").stdout
