"""Finding a page's feed, and turning HTML into readable text."""

from __future__ import annotations

from tui.core.discover import find_feed_links
from tui.core.extract import clean_text


def test_feed_links_are_found_resolved_and_ranked():
    page = b"""<html><head><base href="https://site.example/blog/">
      <link rel="stylesheet" href="/s.css">
      <link rel="alternate" type="application/atom+xml" href="atom.xml">
      <link rel="Alternate home" type="application/rss+xml; charset=utf-8" href="/rss">
      <link rel="alternate" type="application/rss+xml" href="javascript:alert(1)">
      <link rel="alternate" type="text/html" href="/fr/">
    </head><body></body></html>"""
    assert find_feed_links(page, "https://site.example/blog/post") == [
        "https://site.example/rss",
        "https://site.example/blog/atom.xml",
    ]


def test_a_page_without_feed_links_yields_none():
    assert find_feed_links(b"<html><head><title>x</title></head></html>", "https://x/") == []


def test_html_becomes_paragraphs_without_scripts_or_captions():
    html = """<div><p>First <b>bold</b> paragraph &amp; more.</p>
      <script>document.write("evil")</script><style>p{}</style>
      <figure><img src="a.jpg"><figcaption>Photo: Agency</figcaption></figure>
      <p>Second<br>line</p><ul><li>one</li><li>two</li></ul>
      <nav>Home | News</nav></div>"""
    assert clean_text(html) == "First bold paragraph & more.\n\nSecond\n\nline\n\n• one\n\n• two"


def test_plain_text_keeps_paragraphs_and_loses_escapes():
    text = "Para one\nwraps here.\n\n\x1b]0;x\x07Para two [bold]literal[/]\n"
    assert clean_text(text) == "Para one wraps here.\n\nPara two [bold]literal[/]"
