"""Text is never silently changed: feed -> parse -> archive -> ``show`` and exports.

Property tests (Hypothesis) start from real sentences in nine scripts (tests/text_samples.py)
and slip between their characters what a feed may carry: characters that spell words
(ZWNJ, ZWJ, LRM, RLM, combining marks, variation selectors, no-break spaces) and what
can harm a terminal (controls, escape sequences, bidi overrides). What comes out must
be the text that went in, less exactly the documented removals (tui/core/textsafe.py):

- escape sequences, C0 controls other than tab and newline, DEL and C1 controls
  (in RSS and Atom a C1 character is first read as cp1252, as feedparser does);
- in titles, the bidi embeddings, overrides and isolates; a title is one line;
- runs of ASCII white space collapse to one space, as HTML and one-line fields do.

``BROADSHEET_FUZZ_EXAMPLES`` sets the number of examples (scripts/fuzz.py runs more).
"""

from __future__ import annotations

import argparse
import contextlib
import io
import json
import os
import re
import uuid
from datetime import UTC, datetime
from html import escape as html_escape
from xml.sax.saxutils import escape as xml_escape

import pytest
from feedparser.html import _cp1252
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tests.text_samples import (
    ALL_SENTENCES,
    BIDI,
    C1,
    CONTROLS,
    ESCAPES,
    KEPT,
    LAYOUT,
    SENTENCES,
)
from tui.commands import Context, cmd_show
from tui.core.config import load_config
from tui.core.export import parse_front_matter, write_export
from tui.core.parse import parse_feed
from tui.core.reading import export_item, read_article
from tui.core.store import ArticleFilter

EXAMPLES = int(os.environ.get("BROADSHEET_FUZZ_EXAMPLES", "40"))
FUZZ = settings(
    max_examples=EXAMPLES,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)

_ASCII_RUNS = re.compile("[ \t\n]+")
_C0 = re.compile("[\x00-\x08\x0b-\x1f\x7f]")
_C1 = re.compile("[\x80-\x9f]")
_BIDI = re.compile("[" + "".join(BIDI) + "]")


# -- what a feed may carry ---------------------------------------------------------------


@st.composite
def fed_text(draw, *, removable: bool = True) -> str:
    """One to three real sentences with characters slipped between their characters."""
    sentences = draw(st.lists(st.sampled_from(ALL_SENTENCES), min_size=1, max_size=3))
    pieces = list(" ".join(sentences))
    extras = st.sampled_from(KEPT)
    if removable:
        extras = st.one_of(
            extras, *(st.sampled_from(group) for group in (CONTROLS, C1, ESCAPES, BIDI, LAYOUT))
        )
    for extra in draw(st.lists(extras, max_size=6)):
        pieces.insert(draw(st.integers(0, len(pieces))), extra)
    return "".join(pieces)


def as_read(text: str, fmt: str) -> str:
    """What reading the feed keeps: no escapes or controls; cp1252 for C1 in XML feeds."""
    for sequence in ESCAPES:
        text = text.replace(sequence, "")
    if fmt != "json":
        text = text.translate(_cp1252)
    return _C1.sub("", _C0.sub("", text))


def expected_title(raw: str, fmt: str) -> str:
    # One line, trimmed of any white space at both ends. feedparser (and the fast path
    # with it) trims before it reads C1 as cp1252, and NEL (U+0085) is white space.
    if fmt != "json":
        raw = raw.strip()
    return _ASCII_RUNS.sub(" ", _BIDI.sub("", as_read(raw, fmt))).strip()


def expected_paragraph(raw: str, fmt: str) -> str:
    return _ASCII_RUNS.sub(" ", as_read(raw, fmt)).strip(" ")


def feed_document(fmt: str, title: str, paragraphs: list[str], guid: str) -> bytes:
    body = "".join(f"<p>{html_escape(p, quote=False)}</p>" for p in paragraphs)
    if fmt == "json":
        item = {"id": guid, "title": title, "content_html": body}
        document = {"version": "https://jsonfeed.org/version/1.1", "title": "F", "items": [item]}
        return json.dumps(document).encode()
    if fmt == "atom":
        return (
            '<?xml version="1.0" encoding="utf-8"?>'
            '<feed xmlns="http://www.w3.org/2005/Atom"><title>F</title><id>urn:f</id>'
            f"<entry><id>{guid}</id><title>{xml_escape(title)}</title>"
            f'<content type="html">{xml_escape(body)}</content></entry></feed>'
        ).encode()
    return (
        '<?xml version="1.0" encoding="utf-8"?><rss version="2.0"><channel><title>F</title>'
        "<link>http://f.example/</link><description>d</description>"
        f"<item><guid>{guid}</guid><title>{xml_escape(title)}</title>"
        f"<description>{xml_escape(body)}</description></item></channel></rss>"
    ).encode()


# -- the archive and the commands ----------------------------------------------------------


@pytest.fixture
def ctx(tmp_path):
    """The CLI's context on a real archive; pages are never fetched (min_words = 0)."""
    config_file = tmp_path / "config.toml"
    config_file.write_text("export_full_text = true\n[full_text]\nmin_words = 0\n")
    context = Context(load_config(config_file, tmp_path / "home", {}))
    yield context
    context.close()


def store_entry(ctx, document: bytes, fast: bool) -> int:
    """Parse ``document``, keep it in the archive as a new feed; its article's id."""
    store = ctx.store
    feed = store.add_feed(f"http://f.example/{uuid.uuid4().hex}")
    store.apply_feed_update(feed.id, parse_feed(document, {}, fast=fast), now=datetime.now(UTC))
    [article] = store.articles(ArticleFilter(feed_id=feed.id))
    return article.id


def show(ctx, article_id: int) -> str:
    out = io.StringIO()
    with contextlib.redirect_stdout(out):
        assert cmd_show(ctx, argparse.Namespace(target=str(article_id))) == 0
    return out.getvalue()


def export(ctx, article_id: int, folder, fmt: str) -> str:
    reading = read_article(ctx.store, article_id, ctx.config, fetch=False)
    item = export_item(ctx.store, reading, ctx.config)
    return write_export(item, folder, fmt=fmt).read_text(encoding="utf-8")


# -- the properties -----------------------------------------------------------------------


@FUZZ
@given(
    fmt=st.sampled_from(["rss", "atom", "json"]),
    fast=st.booleans(),
    title=fed_text(),
    paragraphs=st.lists(fed_text(), min_size=1, max_size=3),
)
def test_text_round_trips_through_the_archive_to_show_and_exports(
    ctx, tmp_path, fmt, fast, title, paragraphs
):
    want_title = expected_title(title, fmt)
    want_body = [expected_paragraph(p, fmt) for p in paragraphs]
    want_body = [p for p in want_body if p.strip()]
    guid = uuid.uuid4().hex
    article_id = store_entry(ctx, feed_document(fmt, title, paragraphs, guid), fast)

    shown = show(ctx, article_id)
    if want_title:
        assert shown.split("\n", 1)[0] == want_title
    text = "\n\n".join(want_body)
    assert shown.endswith("\n" + text + "\n")

    as_json = json.loads(export(ctx, article_id, tmp_path / "json", "json"))
    assert as_json["title"] == (want_title or "Untitled")
    assert as_json["text"] == text
    markdown = export(ctx, article_id, tmp_path / "md", "md")
    assert parse_front_matter(markdown)["title"] == (want_title or "Untitled")
    assert markdown.rstrip("\n").endswith(text)


@pytest.mark.parametrize("language", sorted(SENTENCES))
def test_every_language_comes_out_of_show_as_it_went_in(ctx, language):
    """The plain case, one language at a time: nothing slipped in, nothing may change."""
    for sentence in SENTENCES[language]:
        for fmt, fast in (("rss", True), ("atom", False), ("json", True)):
            document = feed_document(fmt, sentence, [sentence], uuid.uuid4().hex)
            shown = show(ctx, store_entry(ctx, document, fast))
            assert shown.split("\n", 1)[0] == sentence.strip()
            assert shown.endswith("\n" + sentence + "\n")


def test_a_persian_title_keeps_its_zero_width_non_joiner(ctx):
    title = "کتاب\u200cها"
    document = feed_document("rss", title, [f"من این {title} را خواندم."], "p1")
    shown = show(ctx, store_entry(ctx, document, True))
    assert shown.startswith(title + "\n")
    assert "\u200c" in shown.split("\n", 1)[0]


def test_a_web_page_keeps_the_characters_that_spell_its_words(ctx, tmp_path):
    """``show FILE`` (and so ``show URL`` and a teaser's page) goes through extraction."""
    paragraphs = "".join(
        f"<p>{html_escape(' '.join(SENTENCES[language] * 3), quote=False)}</p>"
        for language in sorted(SENTENCES)
    )
    page = tmp_path / "page.html"
    page.write_text(
        '<!doctype html><html><head><meta charset="utf-8"><title>Many scripts</title></head>'
        f"<body><nav><a href='/'>Home</a></nav><article><h1>Many scripts</h1>{paragraphs}"
        "</article><footer>© Example</footer></body></html>",
        encoding="utf-8",
    )
    shown = show_target(ctx, str(page))
    for sentence in ALL_SENTENCES:
        assert sentence.strip() in shown, sentence
    assert "Home" not in shown and "© Example" not in shown  # still an extraction


def show_target(ctx, target: str) -> str:
    out = io.StringIO()
    with contextlib.redirect_stdout(out):
        assert cmd_show(ctx, argparse.Namespace(target=target)) == 0
    return out.getvalue()
