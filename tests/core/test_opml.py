"""OPML in and out."""

from __future__ import annotations

import pytest

from tui.core.errors import OPMLError
from tui.core.models import Feed
from tui.core.opml import read_opml, write_opml

NESTED = b"""<?xml version="1.0" encoding="UTF-8"?>
<opml version="1.0"><head><title>Mine</title></head><body>
  <outline type="rss" xmlUrl="https://example.com/feed.xml" title="Example" />
  <outline text="Blogs" title="ignored for folders">
    <outline xmlUrl="https://blogs.example.com/john.rss" title="John" type="rss" />
    <outline text="friends">
      <outline xmlUrl="https://blogs.example.com/mike.rss" text="Mike" type="rss" />
    </outline>
  </outline>
  <outline xmlUrl="https://example.com/feed.xml" title="duplicate" />
  <outline xmlUrl="file:///etc/passwd" title="not a web feed" />
  <outline xmlUrl="https://bbc.example/rss" category="world,/uk/" />
</body></opml>"""


def test_folders_and_categories_become_tags():
    outlines = read_opml(NESTED)
    assert [(o.url, o.title, o.tags) for o in outlines] == [
        ("https://example.com/feed.xml", "Example", ()),
        ("https://blogs.example.com/john.rss", "John", ("Blogs",)),
        ("https://blogs.example.com/mike.rss", "Mike", ("Blogs", "friends")),
        ("https://bbc.example/rss", "", ("world", "uk")),
    ]


@pytest.mark.parametrize(
    "data",
    [
        b"<opml><body><outline",
        b"<rss version='2.0'/>",
        b'<?xml version="1.0"?><!DOCTYPE opml [<!ENTITY a "aaaa">]><opml><body/></opml>',
    ],
    ids=["truncated", "not opml", "entities"],
)
def test_bad_files_give_a_clear_error(data):
    with pytest.raises(OPMLError):
        read_opml(data)


def test_a_file_without_a_body_has_no_feeds():
    assert read_opml(b"<opml version='1.0'><head/></opml>") == []


def test_written_opml_reads_back_the_same():
    feeds = [
        Feed(1, "https://a.example/feed", "A & B <news>", tags=("tech", "daily")),
        Feed(2, "https://b.example/atom", "", site_url="https://b.example/"),
        Feed(3, "broadsheet:welcome", "Welcome"),
    ]
    back = read_opml(write_opml(feeds).encode())
    assert [(o.url, o.title, o.tags) for o in back] == [
        ("https://a.example/feed", "A & B <news>", ("tech", "daily")),
        ("https://b.example/atom", "https://b.example/atom", ()),
    ]
