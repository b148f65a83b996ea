"""A corpus of hostile and broken feeds refreshed together with good ones, end to end.

Every case must end with a clear message or safe content, within the configured
timeouts, without touching the other feeds, and nothing from the user's disk or
terminal control sequence may come out.
"""

from __future__ import annotations

import json
import resource
import time
import uuid
from pathlib import Path

import pytest

from tests.feedserver import small_rss

FEEDS = Path(__file__).parent / "data" / "feeds" / "ours"
SECRET = "BROADSHEET-SECRET-" + uuid.uuid4().hex


def rss(items: str, *, title: str = "Hostile", head: str = "") -> str:
    return (
        f'<?xml version="1.0" encoding="utf-8"?>{head}<rss version="2.0"><channel>'
        f"<title>{title}</title><link>https://h.example/</link><description>d</description>"
        f"{items}</channel></rss>"
    )


def item(title: str, guid: str, **extra: str) -> str:
    fields = "".join(f"<{k}>{v}</{k}>" for k, v in extra.items())
    return f"<item><title>{title}</title><guid>{guid}</guid>{fields}</item>"


@pytest.fixture
def corpus(feed_server, tmp_path):
    """Serve every case under a fresh prefix; return {case: url} and the expectations."""
    secret_file = tmp_path / "secret.txt"
    secret_file.write_text(SECRET)
    prefix = f"hostile-{uuid.uuid4().hex[:6]}"
    laughs = "".join(f'<!ENTITY l{i} "{f"&l{i - 1};" * 10}">' for i in range(1, 10))
    cases: dict[str, tuple[bytes | str, dict]] = {
        "markup": (
            rss(
                item(
                    "[/] [bold red]x[/] [link=file:///etc/passwd]y[/link]",
                    "m1",
                    author="[@click=app.quit]q[/]",
                    description="&lt;p&gt;[bold]body[/bold] [@click=app.quit]&lt;/p&gt;",
                )
            ),
            {},
        ),
        "escapes": (
            rss(
                item(
                    "Title \u009b31m with C1 \u0007 bell",
                    "e1",
                    description="&lt;p&gt;&amp;#27;]0;pwned&amp;#7; text&lt;/p&gt;",
                )
            ),
            {},
        ),
        "billion-laughs": (
            rss(item("&l9;", "b1"), head=f'<!DOCTYPE rss [<!ENTITY l0 "ha">{laughs}]>'),
            {},
        ),
        "quadratic": (
            rss(
                item("&big;" * 2000, "q1"),
                head=f'<!DOCTYPE rss [<!ENTITY big "{"x" * 100_000}">]>',
            ),
            {},
        ),
        "xxe": (
            rss(
                item("&secret;", "x1"),
                head=f'<!DOCTYPE rss [<!ENTITY secret SYSTEM "file://{secret_file}">]>',
            ),
            {},
        ),
        "html-page": (
            "<!doctype html><html><body><p>Hello</p></body></html>",
            {"content_type": "text/html"},
        ),
        "empty-200": ("", {}),
        "not-found": ("missing", {"status": 404, "content_type": "text/plain"}),
        "gone": ("gone", {"status": 410, "content_type": "text/plain"}),
        "rate-limited": (
            "slow down",
            {"status": 429, "content_type": "text/plain", "headers": {"Retry-After": "120"}},
        ),
        "server-error": ("oops", {"status": 500, "content_type": "text/plain"}),
        "unavailable": ("later", {"status": 503, "content_type": "text/plain"}),
        "huge": (rss(item("big", "h1", description="x" * 3_500_000)), {}),
        "huge-item-ok": (rss(item("one big item", "hi1", description="y" * 1_000_000)), {}),
        "sparse": ((FEEDS / "sparse-items.rss").read_bytes(), {}),
        "dates": ((FEEDS / "dates.rss").read_bytes(), {}),
        "truncated": ((FEEDS / "truncated.rss").read_bytes(), {}),
        "cyrillic": ((FEEDS / "cyrillic-1251.rss").read_bytes(), {}),
        "big5": ((FEEDS / "big5.rss").read_bytes(), {}),
        "shift-jis": (
            (FEEDS / "shift_jis.atom").read_bytes(),
            {"content_type": "application/atom+xml"},
        ),
        "utf16": ((FEEDS / "utf16.atom").read_bytes(), {"content_type": "application/atom+xml"}),
        "wrong-charset": (
            rss(item("Zürich café", "w1")).encode("utf-8"),
            {"content_type": "application/rss+xml; charset=iso-8859-1"},
        ),
        "links": (
            rss(
                item("js link", "l1", link="javascript:alert(1)")
                + item("data link", "l2", link="data:text/html,hi")
                + item("file link", "l3", link="file:///etc/passwd")
            ),
            {},
        ),
        "duplicates": (rss(item("first", "d") + item("second copy", "d")), {}),
    }
    urls = {}
    for name, (body, options) in cases.items():
        path = f"{prefix}/{name}"
        feed_server.set_route(path, body, **options)
        urls[name] = feed_server.url(path)
    # Routes the server provides itself.
    urls["gzip-bomb"] = feed_server.url("gzip-bomb")
    urls["trickle"] = feed_server.url("trickle")
    urls["hang"] = feed_server.url("hang")
    urls["redirect-loop"] = feed_server.url("loop")
    urls["redirect-chain"] = feed_server.url("chain/11")
    for n in range(5):
        path = f"{prefix}/good-{n}"
        feed_server.set_route(path, small_rss(f"Good {n}", 3))
        urls[f"good-{n}"] = feed_server.url(path)
    return urls


def test_the_hostile_corpus_refreshes_safely_beside_good_feeds(cli, corpus, data_dir):
    # read_timeout: the loopback server (threads in the test process) answers ~30 feeds
    # at once, and on a loaded two-core machine took longer than 1 s for one of them.
    cli.config.write_text(
        "[fetch]\nread_timeout = 3\ntotal_timeout = 6\nmax_bytes = 3000000\n"
        "concurrency = 16\nper_host = 16\n[parse]\ntimeout = 10\n"
    )
    opml = data_dir.parent / "hostile.opml"
    outlines = "".join(
        f'<outline type="rss" text="{name}" xmlUrl="{url}"/>' for name, url in corpus.items()
    )
    opml.write_text(f'<?xml version="1.0"?><opml version="2.0"><body>{outlines}</body></opml>')
    assert cli("import-opml", str(opml)).code == 0

    started = time.monotonic()
    result = cli("refresh", "--json", timeout=120)
    elapsed = time.monotonic() - started
    assert elapsed < 6 + 10 + 15, "the refresh must end within the configured timeouts"
    peak_mb = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024
    assert peak_mb < 1024
    assert result.code == 1  # some feeds failed, and that is reported
    assert result.stderr.count("\n") == 1 and "Traceback" not in result.stderr
    report = result.json()
    errors = {e["url"]: e["error"] for e in report["errors"]}
    by_name = {name: errors.get(url) for name, url in corpus.items()}

    for name in ("gzip-bomb", "huge"):
        assert "limit" in by_name[name], name
    for name in ("trickle", "hang"):
        assert "within" in by_name[name] or "longer than" in by_name[name], name
    assert "redirect" in by_name["redirect-loop"] and "redirect" in by_name["redirect-chain"]
    assert "web page" in by_name["html-page"]
    assert "empty" in by_name["empty-200"]
    assert "404" in by_name["not-found"] and "410" in by_name["gone"]
    assert "retry after" in by_name["rate-limited"] and "500" in by_name["server-error"]
    for name in (
        "markup",
        "escapes",
        "billion-laughs",
        "quadratic",
        "xxe",
        "sparse",
        "dates",
        "truncated",
        "cyrillic",
        "big5",
        "shift-jis",
        "utf16",
        "wrong-charset",
        "links",
        "duplicates",
        "huge-item-ok",
        *(f"good-{n}" for n in range(5)),
    ):
        assert by_name[name] is None, f"{name}: {by_name[name]}"

    feeds = {f["url"]: f for f in cli("feeds", "--json").json()}
    assert feeds[corpus["gone"]]["gone"] is True
    assert all(feeds[corpus[f"good-{n}"]]["total"] == 3 for n in range(5))

    listing = cli("articles", "--json", "--limit", "500")
    everything = listing.stdout + cli("articles", "--limit", "500").stdout
    assert SECRET not in everything
    assert "\x1b" not in everything and "\x07" not in everything and "\x9b" not in everything
    articles = json.loads(listing.stdout)
    by_feed: dict[str, list[dict]] = {}
    for article in articles:
        by_feed.setdefault(article["feed_url"], []).append(article)
    markup = by_feed[corpus["markup"]][0]
    assert markup["title"] == "[/] [bold red]x[/] [link=file:///etc/passwd]y[/link]"
    assert markup["author"] == "[@click=app.quit]q[/]"
    links = {a["title"]: a["link"] for a in by_feed[corpus["links"]]}
    assert links == {"js link": None, "data link": None, "file link": None}
    assert [a["title"] for a in by_feed[corpus["duplicates"]]] == ["first"]
    assert "x" * 1000 not in by_feed[corpus["quadratic"]][0]["title"]  # never expanded
    assert any(
        "Москва" in a["title"]
        or "Россия" in a["title"]
        or any("\u0400" <= ch <= "\u04ff" for ch in a["title"])
        for a in by_feed[corpus["cyrillic"]]
    )
    wrong = by_feed[corpus["wrong-charset"]][0]["title"]
    assert wrong in ("Zürich café", "ZÃ¼rich cafÃ©")  # kept readable one way or the other
    for article in by_feed[corpus["escapes"]]:
        shown = cli("show", str(article["id"])).stdout
        assert "\x1b" not in shown and "pwned" in shown  # the text stays, the escape goes
