"""Fuzzing with Hypothesis: the parser, the extractor, sentences, quotes, summaries, names.

Brief here (a few seconds each, as CI runs them); ``python scripts/fuzz.py --examples N``
runs the same properties longer. ``BROADSHEET_FUZZ_EXAMPLES`` sets the count.
"""

from __future__ import annotations

import html
import os
import re
import string
from datetime import UTC, datetime, timedelta
from email.utils import format_datetime
from html import escape as html_escape
from pathlib import Path
from xml.sax.saxutils import escape as xml_escape
from xml.sax.saxutils import quoteattr

from hypothesis import HealthCheck, event, given, settings
from hypothesis import strategies as st

from tests.text_samples import ALL_SENTENCES
from tui.core.errors import BroadsheetError
from tui.core.export import ExportItem, write_export
from tui.core.export.files import export_filename
from tui.core.extract import _article_paragraphs, clean_text, extract_article
from tui.core.models import Article
from tui.core.parse import parse_feed
from tui.core.parse.fast import fast_parse
from tui.core.quotes import find_quotes
from tui.core.sentences import sentence_spans
from tui.core.summarize import summarize
from tui.core.textsafe import strip_controls


def fuzz(examples: int) -> settings:
    """``examples`` in CI, or what ``BROADSHEET_FUZZ_EXAMPLES`` asks for."""
    wanted = int(os.environ.get("BROADSHEET_FUZZ_EXAMPLES", "0")) or examples
    return settings(
        max_examples=wanted,
        deadline=None,
        suppress_health_check=[
            HealthCheck.too_slow,
            HealthCheck.data_too_large,
            HealthCheck.function_scoped_fixture,
        ],
    )


# -- text ------------------------------------------------------------------------------

NEWS_WORDS = (
    "The council voted on Tuesday to build a new bridge over the river and the mayor "
    "said it would open next year Mr. Smith Dr. Jones Gen. Lee U.S. D.C. Inc. Co. Jan. "
    "3.5 million 9:30 a.m. p.m. No. 4 e.g. i.e. St. Louis www.example.com ada@example.org "
    "police officials confirmed that three people were hurt but nobody died"
).split()
PUNCTUATION = [".", ",", "!", "?", "…", "...", ":", ";", "—", "-", "(", ")", "'", "’"]
QUOTE_MARKS = ['"', "“", "”", "‘", "’", "«", "»", "„"]
SPEAKERS = ["Lena Varga", "the mayor", "Tom Reed", "a spokeswoman", "Smith", "officials"]
VERBS = ["said", "says", "told reporters", "added", "asked", "warned"]

# Any character a document may hold as text (XML 1.0 allows no C0 but tab and line
# ends, and no U+FFFE/U+FFFF); surrogates cannot be encoded at all.
xml_text = st.text(
    st.characters(
        blacklist_categories=("Cs",),
        blacklist_characters="\ufffe\uffff",
        min_codepoint=0x20,
    )
    | st.sampled_from("\t\n"),
    max_size=30,
)


@st.composite
def news_text(draw, *, min_sentences: int = 1, max_sentences: int = 8) -> str:
    """News-like English with quotations, abbreviations and paragraphs, plus strays."""
    sentences = []
    for _ in range(draw(st.integers(min_sentences, max_sentences))):
        words = " ".join(draw(st.lists(st.sampled_from(NEWS_WORDS), min_size=1, max_size=12)))
        kind = draw(st.integers(0, 6))
        if kind == 0:
            speaker, verb = draw(st.sampled_from(SPEAKERS)), draw(st.sampled_from(VERBS))
            sentence = f"“{words.capitalize()},” {speaker} {verb}."
        elif kind == 1:
            speaker = draw(st.sampled_from(SPEAKERS))
            sentence = f'{speaker.capitalize()} said: "{words}."'
        elif kind == 2:
            sentence = draw(st.sampled_from(ALL_SENTENCES))
        elif kind == 3:
            sentence = draw(xml_text)
        else:
            end = draw(st.sampled_from(PUNCTUATION + QUOTE_MARKS + [""]))
            sentence = words.capitalize() + end
        sentences.append(sentence)
        sentences.append(draw(st.sampled_from([" ", " ", " ", "\n", "\n\n", "  ", "\t"])))
    return "".join(sentences)


# -- feeds: the fast path and feedparser agree -------------------------------------------

urls = st.builds(
    "{}://{}.example/{}".format,
    st.sampled_from(["http", "https"]),
    st.sampled_from(["news", "blog", "a-b"]),
    st.text(string.ascii_lowercase + string.digits + "-_/.?=&%", max_size=12),
)
dates = st.datetimes(
    min_value=datetime(1980, 1, 1), max_value=datetime(2090, 1, 1), timezones=st.just(UTC)
)


@st.composite
def html_fragment(draw) -> str:
    """A little HTML: text in paragraphs, inline markup, links, line breaks."""
    parts = []
    for _ in range(draw(st.integers(0, 4))):
        text = html_escape(draw(xml_text | st.sampled_from(ALL_SENTENCES)), quote=False)
        wrap = draw(st.sampled_from(["p", "b", "em", "a", "br", "", "div"]))
        if wrap == "a":
            parts.append(f"<a href={quoteattr(draw(urls))}>{text}</a>")
        elif wrap == "br":
            parts.append(f"{text}<br/>")
        elif wrap:
            parts.append(f"<{wrap}>{text}</{wrap}>")
        else:
            parts.append(text)
    return "".join(parts)


def element(name: str, value: str | None) -> str:
    return "" if value is None else f"<{name}>{xml_escape(value)}</{name}>"


@st.composite
def rss_document(draw) -> bytes:
    items = []
    for n in range(draw(st.integers(0, 4))):
        fields = [
            element("title", draw(st.none() | xml_text)),
            element("link", draw(st.none() | urls)),
            element("guid", draw(st.none() | st.just(f"guid-{n}") | xml_text)),
            element("description", draw(st.none() | html_fragment() | xml_text)),
            element("pubDate", draw(st.none() | dates.map(format_datetime))),
            element("author", draw(st.none() | st.just("ada@example.org (Ada Lovelace)"))),
            *(element("category", c) for c in draw(st.lists(xml_text, max_size=2))),
        ]
        if draw(st.booleans()):
            content = draw(html_fragment()).replace("]]>", "]]&gt;")
            fields.append(f"<content:encoded><![CDATA[{content}]]></content:encoded>")
        items.append("<item>" + "".join(draw(st.permutations(fields))) + "</item>")
    channel = (
        element("title", draw(xml_text))
        + element("link", draw(urls))
        + element("description", draw(xml_text))
    )
    return (
        '<?xml version="1.0" encoding="utf-8"?>\n<rss version="2.0" '
        'xmlns:content="http://purl.org/rss/1.0/modules/content/"><channel>'
        f"{channel}{''.join(items)}</channel></rss>"
    ).encode()


@st.composite
def atom_text(draw, name: str) -> str:
    kind = draw(st.sampled_from(["text", "html", None]))
    value = draw(html_fragment()) if kind == "html" else draw(xml_text)
    attribute = f' type="{kind}"' if kind else ""
    return f"<{name}{attribute}>{xml_escape(value)}</{name}>"


@st.composite
def atom_document(draw) -> bytes:
    entries = []
    for n in range(draw(st.integers(0, 4))):
        fields = [
            f"<id>urn:entry:{n}</id>",
            draw(atom_text("title")),
            f'<link rel="alternate" href={quoteattr(draw(urls))}/>',
            f"<updated>{draw(dates).isoformat()}</updated>",
            draw(st.just("") | atom_text("summary")),
            draw(st.just("") | atom_text("content")),
            draw(st.just("") | st.just("<author><name>Ada Lovelace</name></author>")),
            draw(st.just("") | xml_text.map(lambda t: f"<category term={quoteattr(t)}/>")),
        ]
        entries.append("<entry>" + "".join(draw(st.permutations(fields))) + "</entry>")
    return (
        '<?xml version="1.0" encoding="utf-8"?>\n<feed xmlns="http://www.w3.org/2005/Atom">'
        f"{draw(atom_text('title'))}<id>urn:feed</id>"
        f"<updated>{draw(dates).isoformat()}</updated>"
        f'<link rel="alternate" href={quoteattr(draw(urls))}/>{"".join(entries)}</feed>'
    ).encode()


def outcome(document: bytes, fast: bool) -> object:
    try:
        return parse_feed(document, {"content-type": "application/xml"}, BASE, fast=fast)
    except BroadsheetError as exc:
        return (type(exc).__name__, exc.message)


BASE = "https://feeds.example/feed.xml"


@fuzz(60)
@given(document=rss_document() | atom_document())
def test_the_fast_path_and_feedparser_agree_on_well_formed_feeds(document):
    assert fast_parse(document, "application/xml", BASE) is not None, "fast path declined"
    assert outcome(document, fast=True) == outcome(document, fast=False)


# -- the extractor ---------------------------------------------------------------------

TAGS = (
    "p div span a article main section nav footer aside header h1 h2 ul li table tr td "
    "figure figcaption script style pre blockquote b i"
).split()
CLASSES = ["", "content", "article-body", "sidebar", "ad", "related", "comment", "share"]


@st.composite
def page_tree(draw, depth: int = 0) -> str:
    parts = []
    for _ in range(draw(st.integers(0, 4 if depth < 3 else 1))):
        if depth < 4 and draw(st.integers(0, 2)) == 0:
            tag, css = draw(st.sampled_from(TAGS)), draw(st.sampled_from(CLASSES))
            attribute = f' class="{css}"' if css else ""
            parts.append(f"<{tag}{attribute}>{draw(page_tree(depth + 1))}</{tag}>")
        elif draw(st.booleans()):
            parts.append(html_escape(draw(news_text(max_sentences=4)), quote=False))
        else:
            parts.append(draw(st.sampled_from(["<br>", "<img src=x.jpg>", "<hr>", "&nbsp;"])))
    return "".join(parts)


@st.composite
def web_page(draw) -> str:
    body = draw(page_tree())
    if draw(st.booleans()):  # now and then, markup that is not quite HTML
        body = draw(st.text(max_size=200)) + body
    title = html_escape(draw(xml_text), quote=False)
    return f"<!doctype html><html><head><title>{title}</title></head><body>{body}</body></html>"


_UNSAFE = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f]")
_SPACE_OR_BULLET = re.compile(r"[\s•]+")
_LAYOUT = re.compile(r"[\s•|]+")
"""What extraction lays text out with: white space, list bullets, table cell separators."""


def is_subsequence(short: str, long: str) -> bool:
    remaining = iter(long)
    return all(char in remaining for char in short)


@fuzz(60)
@given(page=web_page())
def test_the_extractor_never_fails_and_only_keeps_the_pages_text(page):
    text = extract_article(page, "https://news.example/story")
    assert isinstance(text, str)
    assert not _UNSAFE.search(text)
    # The blanket ``except`` in extract_article would hide a crash: call the inside.
    paragraphs = _article_paragraphs(strip_controls(page), "https://news.example/story")
    # Nothing invented: each paragraph reads, in order, from the page's own characters.
    source = _SPACE_OR_BULLET.sub("", html.unescape(page))
    # (Table cells, even stray ones, come out between "|" separators.)
    for paragraph in paragraphs:
        assert is_subsequence(_LAYOUT.sub("", paragraph), source), paragraph
    body = clean_text(page)
    assert isinstance(body, str) and not _UNSAFE.search(body)


# -- sentences, quotes, summaries ------------------------------------------------------


@fuzz(150)
@given(text=news_text(max_sentences=12))
def test_the_sentence_splitter_loses_no_text(text):
    spans = sentence_spans(text)
    covered = set()
    previous_end = 0
    for start, end in spans:
        assert previous_end <= start < end <= len(text)
        assert not text[start].isspace() and not text[end - 1].isspace()
        covered.update(range(start, end))
        previous_end = end
    lost = [i for i, char in enumerate(text) if not char.isspace() and i not in covered]
    assert not lost, [text[i] for i in lost]


@fuzz(100)
@given(text=news_text(max_sentences=10))
def test_quotes_are_valid_spans_of_the_text(text):
    previous_end = 0
    for quote in find_quotes(text):
        assert 0 <= quote.start < quote.end <= len(text)
        assert quote.text == text[quote.start : quote.end]
        assert quote.start >= previous_end, "quotes overlap or are out of order"
        previous_end = quote.end
        piece_end = quote.start
        for start, end in quote.spans():
            assert piece_end <= start < end <= quote.end
            piece_end = end


@fuzz(60)
@given(
    text=news_text(min_sentences=1, max_sentences=14),
    count=st.integers(1, 5),
    method=st.sampled_from(["learned", "combined", "lead", "lexrank", "luhn"]),
    title=st.none() | st.sampled_from(NEWS_WORDS).map(str.capitalize),
)
def test_a_summary_is_sentences_of_the_text_in_order(text, count, method, title):
    summary = summarize(text, method=method, sentences=count, title=title)
    assert len(summary.sentences) == len(summary.spans) <= count
    previous_end = 0
    for sentence, (start, end) in zip(summary.sentences, summary.spans, strict=True):
        assert previous_end <= start < end <= len(text)
        assert sentence == text[start:end]
        previous_end = end
    event(f"{len(summary.sentences)} sentences")


# -- export file names -----------------------------------------------------------------

WINDOWS_FORBIDDEN = set('<>:"/\\|?*') | {chr(c) for c in range(32)}
WINDOWS_DEVICES = {"con", "prn", "aux", "nul", "conin$", "conout$"} | {
    f"{name}{n}" for name in ("com", "lpt") for n in [*range(10), "¹", "²", "³"]
}
hostile_titles = st.one_of(
    st.text(max_size=300),
    st.sampled_from(
        ["..", ".", "CON", "nul.txt", "com1", "LPT9", "../../etc/passwd", "a/b\\c", "   ", "-"]
    ),
    st.sampled_from(ALL_SENTENCES),
    st.text(st.sampled_from('./\\:*?"<>| \x00\x1b.-_~'), max_size=40),
)


def valid_everywhere(name: str) -> bool:
    """A file name Windows, macOS and Linux all accept as one ordinary entry."""
    stem = name.split(".", 1)[0].lower().rstrip(" ")
    return (
        name not in ("", ".", "..")
        and len(name.encode("utf-8")) <= 255
        and len(name.encode("utf-16-le")) // 2 <= 255
        and not WINDOWS_FORBIDDEN.intersection(name)
        and not name.endswith((".", " "))
        and stem not in WINDOWS_DEVICES
    )


@fuzz(150)
@given(
    title=hostile_titles,
    article_id=st.integers(1, 2**62),
    published=st.none() | dates,
    fmt=st.sampled_from(["md", "json"]),
)
def test_export_file_names_are_valid_everywhere_and_stay_in_the_folder(
    tmp_path_factory, title, article_id, published, fmt
):
    article = Article(article_id, 1, "Feed", "https://f.example/", title, published=published)
    item = ExportItem(article, saved=datetime(2030, 1, 2, tzinfo=UTC) + timedelta(0))
    name = export_filename(item, fmt)
    assert valid_everywhere(name), name
    folder = tmp_path_factory.mktemp("exports")
    written = write_export(item, folder, fmt=fmt)
    assert written.parent == folder and valid_everywhere(written.name)
    assert [p.name for p in Path(folder).iterdir()] == [written.name]
