"""Exports and digests: parsed back, hostile titles, overwrite rules, failures that lose nothing."""

from __future__ import annotations

import errno
import json
import os
import re
import shutil
import subprocess
import sys
import tempfile
from dataclasses import replace
from datetime import UTC, datetime, timedelta, timezone
from pathlib import Path

import pytest

from tui.core import export
from tui.core.export import (
    ExportError,
    ExportItem,
    digest_filename,
    export_filename,
    parse_front_matter,
    render_digest,
    render_json,
    render_markdown,
    slugify,
    write_atomically,
    write_digest,
    write_export,
)
from tui.core.models import Article, Quote, Summary

try:  # an extra cross-check when PyYAML happens to be installed; never required
    import yaml
except ImportError:  # pragma: no cover - depends on the environment
    yaml = None

SAVED = datetime(2024, 5, 2, 8, 0, 0, tzinfo=UTC)
PUBLISHED = datetime(2024, 5, 1, 12, 30, 15, tzinfo=UTC)


def make_article(**changes) -> Article:
    values = dict(
        id=7,
        feed_id=1,
        feed_title="Example News",
        feed_url="https://example.com/feed.xml",
        title="Council approves the new bridge",
        link="https://example.com/bridge",
        author="Jane Reporter",
        published=PUBLISHED,
        bookmarked=True,
    )
    values.update(changes)
    return Article(**values)


def make_item(**changes) -> ExportItem:
    item_fields = {"summary", "quotes", "note", "text", "tags", "saved"}
    article_changes = {k: changes.pop(k) for k in list(changes) if k not in item_fields}
    values = dict(
        article=make_article(**article_changes),
        summary=Summary("lexrank", ("The council voted 7-2.", "Work starts in June.")),
        quotes=(
            Quote("We have waited long enough", 10, 36, "Mayor Ann Lee"),
            Quote("nobody asked us", 50, 65, None),
        ),
        note="Check the budget figures.",
        tags=("local", "transport"),
        saved=SAVED,
    )
    values.update(changes)
    return ExportItem(**values)


# -- an independent, strict reader of the YAML we promise ------------------------------

_YAML_ESCAPES = {
    "0": "\0", "a": "\a", "b": "\b", "t": "\t", "\t": "\t", "n": "\n", "v": "\v",
    "f": "\f", "r": "\r", "e": "\x1b", " ": " ", '"': '"', "/": "/", "\\": "\\",
    "N": "\x85", "_": "\xa0", "L": "\u2028", "P": "\u2029",
}  # fmt: skip
_HEX_ESCAPES = {"x": 2, "u": 4, "U": 8}


def _yaml_printable(char: str) -> bool:
    code = ord(char)
    return (
        code in (0x09, 0x85)
        or 0x20 <= code <= 0x7E
        or 0xA0 <= code <= 0xD7FF
        or (0xE000 <= code <= 0xFFFD and code != 0xFEFF)
        or 0x10000 <= code <= 0x10FFFF
    )


def _read_double_quoted(raw: str, at: int) -> tuple[str, int]:
    """Decode a YAML double-quoted scalar starting at ``raw[at]``; return it and the end."""
    assert raw[at] == '"', raw
    out: list[str] = []
    i = at + 1
    while True:
        char = raw[i]
        assert _yaml_printable(char), f"unprintable {char!r} in {raw!r}"
        if char == '"':
            return "".join(out), i + 1
        if char != "\\":
            out.append(char)
            i += 1
            continue
        code = raw[i + 1]
        if code in _YAML_ESCAPES:
            out.append(_YAML_ESCAPES[code])
            i += 2
        elif code in _HEX_ESCAPES:
            digits = raw[i + 2 : i + 2 + _HEX_ESCAPES[code]]
            assert re.fullmatch(r"[0-9A-Fa-f]+", digits) and len(digits) == _HEX_ESCAPES[code]
            value = int(digits, 16)
            assert not 0xD800 <= value <= 0xDFFF, "surrogate escape"
            out.append(chr(value))
            i += 2 + len(digits)
        else:
            raise AssertionError(f"bad escape \\{code} in {raw!r}")


def _read_value(raw: str):
    if raw == "null":
        return None
    if raw in ("true", "false"):
        return raw == "true"
    if re.fullmatch(r"-?[1-9]\d*|0", raw):
        return int(raw)
    if re.fullmatch(r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ", raw):
        return datetime.strptime(raw, "%Y-%m-%dT%H:%M:%SZ").replace(tzinfo=UTC)
    if raw.startswith('"'):
        value, end = _read_double_quoted(raw, 0)
        assert end == len(raw), f"trailing text after scalar: {raw!r}"
        return value
    assert raw.startswith("[") and raw.endswith("]"), f"not a value we emit: {raw!r}"
    items, i = [], 1
    while raw[i] != "]":
        value, i = _read_double_quoted(raw, i)
        items.append(value)
        if raw[i] == ",":
            assert raw[i + 1] == " "
            i += 2
    assert i == len(raw) - 1
    return items


def strict_front_matter(text: str) -> tuple[dict, str]:
    """Front matter as a dict and the body after it; fails on anything unexpected."""
    lines = text.split("\n")
    assert lines[0] == "---"
    end = lines.index("---", 1)
    fields = {}
    for line in lines[1:end]:
        key, sep, raw = line.partition(": ")
        assert sep and re.fullmatch(r"[a-z_]+", key), line
        assert key not in fields, f"duplicate key {key}"
        fields[key] = _read_value(raw)
    if yaml is not None:
        assert yaml.safe_load("\n".join(lines[1:end])) == fields
    return fields, "\n".join(lines[end + 1 :])


def no_temp_files(folder: Path) -> bool:
    return not [p for p in folder.iterdir() if p.name.startswith(".broadsheet-")]


def tree(root: Path) -> set[str]:
    return {str(p.relative_to(root)) for p in root.rglob("*")}


# -- Markdown and JSON read back ---------------------------------------------------------


def test_markdown_front_matter_reads_back():
    item = make_item(text="First paragraph.\n\nSecond paragraph.")
    fields, body = strict_front_matter(render_markdown(item))
    assert fields == {
        "title": "Council approves the new bridge",
        "feed": "Example News",
        "feed_url": "https://example.com/feed.xml",
        "link": "https://example.com/bridge",
        "author": "Jane Reporter",
        "published": datetime(2024, 5, 1, 12, 30, 15, tzinfo=UTC),
        "saved": SAVED,
        "tags": ["local", "transport"],
        "bookmarked": True,
        "note": "Check the budget figures.",
        "broadsheet_id": 7,
    }
    assert parse_front_matter(render_markdown(item)) == fields
    assert body.index("# Council approves the new bridge") < body.index("## Summary")
    assert "The council voted 7-2. Work starts in June." in body
    assert "- \u201cWe have waited long enough\u201d \u2014 Mayor Ann Lee" in body
    assert "- \u201cnobody asked us\u201d\n" in body
    assert "## Note\n\nCheck the budget figures." in body
    assert body.rstrip().endswith("## Full text\n\nFirst paragraph.\n\nSecond paragraph.")
    assert "<https://example.com/bridge>" in body


def test_full_text_and_empty_sections_are_left_out_unless_given():
    item = make_item(summary=None, quotes=(), note="", text=None, author=None, link=None)
    fields, body = strict_front_matter(render_markdown(item))
    assert fields["author"] is None and fields["link"] is None and fields["note"] == ""
    for heading in ("## Summary", "## Quotes", "## Note", "## Full text"):
        assert heading not in body
    assert json.loads(render_json(item))["text"] is None


def test_json_carries_the_same_fields():
    item = make_item(text="Body text.")
    data = json.loads(render_json(item))
    fields, _ = strict_front_matter(render_markdown(item))
    for key, value in fields.items():
        expected = value.strftime("%Y-%m-%dT%H:%M:%SZ") if isinstance(value, datetime) else value
        assert data[key] == expected, key
    assert data["id"] == 7
    assert data["summary"] == {
        "method": "lexrank",
        "sentences": ["The council voted 7-2.", "Work starts in June."],
    }
    assert data["quotes"] == [
        {
            "text": "We have waited long enough",
            "speaker": "Mayor Ann Lee",
            "start": 10,
            "end": 36,
            "pieces": [{"start": 10, "end": 36}],
        },
        {
            "text": "nobody asked us",
            "speaker": None,
            "start": 50,
            "end": 65,
            "pieces": [{"start": 50, "end": 65}],
        },
    ]
    assert data["text"] == "Body text."


def test_a_broken_quotation_is_listed_as_its_pieces():
    words = "“We have waited long enough,” Mayor Ann Lee said. “The bus comes next year.”"
    start, end = 1, len(words) - 1
    quote = Quote(
        words[start:end], start, end, "Mayor Ann Lee", pieces=((1, 28), (words.index("The"), end))
    )
    item = make_item(quotes=(quote,), text=words)
    markdown = render_markdown(item)
    assert (
        "- “We have waited long enough,” … “The bus comes next year.” — Mayor Ann Lee" in markdown
    )
    assert "Lee said" not in markdown.split("## Quotes", 1)[1].split("\n\n")[1]
    (data,) = json.loads(render_json(item))["quotes"]
    assert [words[p["start"] : p["end"]] for p in data["pieces"]] == [
        "We have waited long enough,",
        "The bus comes next year.",
    ]


def test_times_are_utc_whatever_zone_they_come_in():
    eastern = timezone(timedelta(hours=-5))
    item = make_item(published=datetime(2024, 5, 1, 22, 0, tzinfo=eastern), saved=None)
    fields, _ = strict_front_matter(render_markdown(item))
    assert fields["published"] == datetime(2024, 5, 2, 3, 0, tzinfo=UTC)
    assert export_filename(item, "md").startswith("2024-05-02-")
    assert item.saved is not None and item.saved.tzinfo is not None
    assert abs(datetime.now(UTC) - item.saved) < timedelta(minutes=1)


HOSTILE_TEXT = [
    'He said: "no" # not a comment',
    "- starts like a list",
    "[starts like a flow sequence]",
    "{starts: like a mapping}",
    "* star",
    "&anchor",
    "!tag",
    "%directive",
    "@reserved",
    "`backtick`",
    "|literal",
    ">folded",
    "? key",
    "'single' and \\ backslash",
    "yes",
    "null",
    "123",
    "2024-01-01",
    "line one\nline two\r\nline three",
    "before\n---\nafter\n...\n---",
    "---",
    "tab\there",
    "\u00e9t\u00e9 \u5317\u4eac \U0001f600 \u0627\u0644\u0639\u0631\u0628\u064a\u0629",
    "\x1b]0;pwned\x07\x1b[31mred\x1b[0m bell\x07 nul\x00 del\x7f c1\x85\x9b",
    "line\u2028separator\u2029and\ufeffbom",
    "lone \udc80 surrogate",
    "",
]


@pytest.mark.parametrize("hostile", HOSTILE_TEXT)
def test_front_matter_is_valid_for_any_title_and_note(hostile):
    item = make_item(title=hostile, note=hostile, author=hostile, feed_title=hostile)
    text = render_markdown(item)
    fields, _ = strict_front_matter(text)
    assert fields == parse_front_matter(text)
    for key in ("title", "note", "author", "feed"):
        assert not re.search(r"[\x00-\x08\x0b-\x1f\x7f-\x9f\ud800-\udfff]", fields[key] or "")
    if hostile.strip():
        assert "\n" not in fields["title"]
    if "line two" in hostile:
        assert fields["note"] == "line one\nline two\nline three"
    if hostile.startswith("He said"):
        assert fields["title"] == hostile
    data = json.loads(render_json(item))
    assert data["title"] == fields["title"] and data["note"] == fields["note"]
    text.encode("utf-8")  # no lone surrogates survive


def test_no_terminal_control_sequences_anywhere():
    evil = "\x1b]52;c;cm0gLXJmIH4=\x07\x1b[2Jboom\x9b31m"
    item = make_item(
        title=evil,
        author=evil,
        feed_title=evil,
        note=evil,
        text=evil,
        summary=Summary(evil, (evil,)),
        quotes=(Quote(evil, 0, 1, evil),),
        tags=(evil,),
    )
    outputs = [
        render_markdown(item),
        render_json(item),
        render_digest([item], fmt="md", title=evil, generated=SAVED),
        render_digest([item], fmt="json", title=evil, generated=SAVED),
    ]
    for output in outputs:
        assert not re.search(r"[\x00-\x08\x0b-\x1f\x7f-\x9f]", output)
        assert "boom" in output


def test_markdown_body_does_not_turn_feed_text_into_html_or_structure():
    item = make_item(
        title="<script>alert(1)</script> C#",
        summary=Summary("m", ("# Not a heading <img src=x onerror=alert(1)>",)),
        text="1. not a list\n---\n    not code",
        link="javascript:alert(1)",
    )
    _, body = strict_front_matter(render_markdown(item))
    assert not re.search(r"(?<!\\)<[a-z/]", body), "raw HTML tag"
    assert "# \\<script>alert(1)\\</script> C\\#" in body
    assert "\\# Not a heading" in body
    assert "1\\. not a list\n\\---\nnot code" in body
    assert "(javascript:" not in body and "<javascript:" not in body


# -- file names -------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("title", "slug"),
    [
        ("Hello, World!", "hello-world"),
        ("Don\u2019t Panic: It's Fine", "dont-panic-its-fine"),
        ("Stra\u00dfe in M\u00fcnchen", "strasse-in-munchen"),
        ("\u00c6r\u00f8sk\u00f8bing", "aeroskobing"),
        ("\u0141\u00f3d\u017a", "lodz"),
        ("\u0110\u00e0 N\u1eb5ng", "da-nang"),
        ("\u00de\u00f3r\u00f0ur", "thordur"),
        ("Caf\u00e9 cr\u00e8me br\u00fbl\u00e9e", "cafe-creme-brulee"),
        ("\u041f\u0440\u0438\u0432\u0435\u0442, \u043c\u0438\u0440", "privet-mir"),
        ("\u0391\u03b8\u03ae\u03bd\u03b1", "athina"),
        ("\uff26\uff55\uff4c\uff4c\uff57\uff49\uff44\uff54\uff48 \ufb01le", "fullwidth-file"),
        ("../../etc/passwd", "etc-passwd"),
        ("a/b\\c", "a-b-c"),
        ("aux.txt", "aux-txt"),
        ("CON", "con-article"),
        ("nul", "nul-article"),
        ("COM1", "com1-article"),
        ("....", ""),
        ("----", ""),
        ("\U0001f600\U0001f389", ""),
        ("\u0645\u0631\u062d\u0628\u0627 \u0628\u0627\u0644\u0639\u0627\u0644\u0645", ""),
        ("\u05e9\u05dc\u05d5\u05dd \u05e2\u05d5\u05dc\u05dd", ""),
    ],
)
def test_slugify(title, slug):
    assert slugify(title) == slug


def test_slugify_cuts_long_titles_at_a_word_boundary():
    slug = slugify("word " * 100, max_length=40)
    assert len(slug) <= 40 and slug.endswith("word") and not slug.endswith("-")
    assert len(slugify("x" * 300)) == 80


HOSTILE_TITLES = [
    "../../etc/passwd",
    "..",
    ".",
    "/absolute/path",
    "CON",
    "NUL",
    "aux.txt",
    "a/b\\c",
    "nul\x00byte",
    "x" * 300,
    "long words " * 40,
    "\U0001f600\U0001f680\U0001f389",
    "\u0645\u0631\u062d\u0628\u0627 \u0628\u0627\u0644\u0639\u0627\u0644\u0645",
    "\u05e9\u05dc\u05d5\u05dd \u05e2\u05d5\u05dc\u05dd",
    "\u202eevil\u202dtxt.exe",
    "....",
    "-----",
    "",
    "   ",
    "\x1b[31m\x1b]0;x\x07",
    "C:\\Windows\\system32",
    "~/.bashrc",
]
_SAFE_NAME = re.compile(r"\d{4}-\d\d-\d\d-[a-z0-9]+(?:-[a-z0-9]+)*\.(?:md|json)")


@pytest.mark.parametrize("title", HOSTILE_TITLES)
def test_hostile_titles_give_safe_names_inside_the_folder(tmp_path, title):
    folder = tmp_path / "exports"
    item = make_item(title=title, id=42)
    for fmt in ("md", "json"):
        name = export_filename(item, fmt)
        assert _SAFE_NAME.fullmatch(name), name
        assert len(name) <= export.MAX_FILENAME
        path = write_export(item, folder, fmt=fmt)
        assert path.parent == folder.resolve() and path.name == name
    assert tree(tmp_path) == {"exports", *(f"exports/{p.name}" for p in folder.iterdir())}
    if not slugify(title):
        assert name == "2024-05-01-article-42.json"


def test_file_name_takes_the_published_date_else_the_saved_date():
    assert export_filename(make_item(), "md") == "2024-05-01-council-approves-the-new-bridge.md"
    undated = make_item(published=None, title="No date")
    assert export_filename(undated, "json") == "2024-05-02-no-date.json"


def test_unknown_format_is_a_clear_error(tmp_path):
    with pytest.raises(ExportError, match="unknown export format 'pdf'"):
        write_export(make_item(), tmp_path, fmt="pdf")
    with pytest.raises(ExportError, match="overwrite"):
        write_export(make_item(), tmp_path, overwrite="clobber")
    assert export_filename(make_item(), "Markdown").endswith(".md")


def test_a_name_that_would_leave_the_folder_is_refused(tmp_path, monkeypatch):
    folder = tmp_path / "exports"
    for bad in ("../escaped.md", "..", "sub/dir.md"):
        monkeypatch.setattr(export, "export_filename", lambda item, fmt, bad=bad: bad)
        with pytest.raises(ExportError, match="outside the export folder"):
            write_export(make_item(), folder)
    assert tree(tmp_path) == {"exports"}


# -- overwrite rules --------------------------------------------------------------------


def test_the_same_article_updates_its_own_file_in_place(tmp_path):
    first = write_export(make_item(note="first"), tmp_path)
    second = write_export(make_item(note="second"), tmp_path)
    assert first == second
    assert strict_front_matter(second.read_text())[0]["note"] == "second"
    assert sorted(p.name for p in tmp_path.iterdir()) == [first.name]


def test_an_unchanged_export_leaves_the_file_alone(tmp_path):
    path = write_export(make_item(), tmp_path)
    before = path.stat()
    assert write_export(make_item(), tmp_path) == path
    after = path.stat()
    assert (before.st_ino, before.st_mtime_ns) == (after.st_ino, after.st_mtime_ns)


def test_a_different_article_with_the_same_name_gets_a_number(tmp_path):
    mine = write_export(make_item(), tmp_path)
    other = make_item(id=8, link="https://example.com/other-bridge", note="other")
    second = write_export(other, tmp_path)
    assert second.name == mine.name.replace(".md", "-2.md")
    assert strict_front_matter(mine.read_text())[0]["broadsheet_id"] == 7
    # Each keeps updating its own file afterwards.
    assert write_export(replace(other, note="again"), tmp_path) == second
    assert write_export(make_item(note="mine again"), tmp_path) == mine
    assert strict_front_matter(second.read_text())[0]["note"] == "again"
    assert len(list(tmp_path.iterdir())) == 2


def test_same_id_from_another_archive_is_not_the_same_article(tmp_path):
    write_export(make_item(), tmp_path)
    stranger = make_item(link="https://elsewhere.example/bridge")
    assert write_export(stranger, tmp_path).name.endswith("-2.md")


@pytest.mark.parametrize("fmt", ["md", "json"])
def test_suffix_mode_always_picks_a_new_name(tmp_path, fmt):
    names = [write_export(make_item(), tmp_path, fmt=fmt, overwrite="suffix").name for _ in "abc"]
    stem = "2024-05-01-council-approves-the-new-bridge"
    assert names == [f"{stem}.{fmt}", f"{stem}-2.{fmt}", f"{stem}-3.{fmt}"]


@pytest.mark.parametrize("fmt", ["md", "json"])
def test_files_that_are_not_our_exports_are_never_touched(tmp_path, fmt):
    name = export_filename(make_item(), fmt)
    (tmp_path / name).write_text("my own notes\n")
    (tmp_path / name.replace(f".{fmt}", f"-2.{fmt}")).mkdir()
    outside = tmp_path / "outside.txt"
    outside.write_text("keep\n")
    (tmp_path / name.replace(f".{fmt}", f"-3.{fmt}")).symlink_to(outside)
    path = write_export(make_item(), tmp_path, fmt=fmt)
    assert path.name == name.replace(f".{fmt}", f"-4.{fmt}")
    assert (tmp_path / name).read_text() == "my own notes\n"
    assert outside.read_text() == "keep\n"
    assert write_export(make_item(note="changed"), tmp_path, fmt=fmt) == path


def test_json_export_updates_its_own_file(tmp_path):
    path = write_export(make_item(), tmp_path, fmt="json")
    assert write_export(make_item(note="new"), tmp_path, fmt="json") == path
    assert json.loads(path.read_text())["note"] == "new"


def test_an_updated_file_keeps_its_permissions(tmp_path):
    path = write_export(make_item(), tmp_path)
    path.chmod(0o600)
    write_export(make_item(note="new"), tmp_path)
    assert path.stat().st_mode & 0o777 == 0o600


def test_new_files_follow_the_umask(tmp_path):
    old = os.umask(0o022)
    try:
        path = write_export(make_item(), tmp_path)
    finally:
        os.umask(old)
    assert path.stat().st_mode & 0o777 == 0o644


# -- determinism ------------------------------------------------------------------------


def test_same_input_gives_identical_bytes(tmp_path):
    item = make_item(text="Full text.")
    a = write_export(item, tmp_path / "a", fmt="md").read_bytes()
    b = write_export(make_item(text="Full text."), tmp_path / "b", fmt="md").read_bytes()
    assert a == b
    assert render_json(item) == render_json(make_item(text="Full text."))
    items = digest_items()
    for fmt in ("md", "json"):
        first = render_digest(items, fmt=fmt, title="Daily", generated=SAVED)
        again = render_digest(items[::-1], fmt=fmt, title="Daily", generated=SAVED)
        assert first == again


# -- digests ----------------------------------------------------------------------------


def digest_items() -> list[ExportItem]:
    def at(hour: int) -> datetime:
        return datetime(2024, 5, 1, hour, tzinfo=UTC)

    return [
        make_item(id=1, feed_id=2, feed_title="zeta", title="Zeta old", published=at(1)),
        make_item(id=2, feed_id=1, feed_title="Alpha", title="Alpha older", published=at(2)),
        make_item(id=3, feed_id=2, feed_title="zeta", title="Zeta new", published=at(9)),
        make_item(id=4, feed_id=3, feed_title="beta", title="Beta only", published=None),
        make_item(id=5, feed_id=1, feed_title="Alpha", title="Alpha newest", published=at(5)),
    ]


def test_digest_json_groups_by_feed_alphabetically_newest_first():
    data = json.loads(render_digest(digest_items(), fmt="json", title="Daily", generated=SAVED))
    assert data["title"] == "Daily" and data["generated"] == "2024-05-02T08:00:00Z"
    assert data["count"] == 5
    assert [(g["feed"], [a["title"] for a in g["articles"]]) for g in data["feeds"]] == [
        ("Alpha", ["Alpha newest", "Alpha older"]),
        ("beta", ["Beta only"]),
        ("zeta", ["Zeta new", "Zeta old"]),
    ]
    article = data["feeds"][0]["articles"][0]
    assert article["summary"]["sentences"] == ["The council voted 7-2.", "Work starts in June."]
    assert article["quotes"][0]["speaker"] == "Mayor Ann Lee"
    assert "saved" not in article


def test_digest_markdown_has_front_matter_feeds_summaries_and_quotes():
    text = render_digest(digest_items(), fmt="md", title="Daily: May", generated=SAVED)
    fields, body = strict_front_matter(text)
    assert fields == {
        "title": "Daily: May",
        "generated": SAVED,
        "articles": 5,
        "feeds": ["Alpha", "beta", "zeta"],
    }
    headings = [line for line in body.split("\n") if line.startswith("#")]
    assert headings == [
        "# Daily: May",
        "## Alpha",
        "### Alpha newest",
        "### Alpha older",
        "## beta",
        "### Beta only",
        "## zeta",
        "### Zeta new",
        "### Zeta old",
    ]
    assert body.count("- \u201cWe have waited long enough\u201d \u2014 Mayor Ann Lee") == 5
    assert body.count("> **Note:** Check the budget figures.") == 5
    assert "5 articles from 3 feeds" in body


def test_an_empty_digest_is_still_a_document():
    fields, body = strict_front_matter(
        render_digest([], fmt="md", title="Nothing", generated=SAVED)
    )
    assert fields["articles"] == 0 and fields["feeds"] == []
    assert "No articles." in body
    assert json.loads(render_digest([], fmt="json", title="x", generated=SAVED))["feeds"] == []


def test_write_digest_replaces_a_named_file_or_numbers_it(tmp_path):
    target = tmp_path / "digest.md"
    target.write_text("old digest\n")
    assert write_digest(digest_items(), target, generated=SAVED) == target.resolve()
    assert strict_front_matter(target.read_text())[0]["articles"] == 5
    kept = write_digest([], target, generated=SAVED, overwrite="suffix")
    assert kept.name == "digest-2.md"
    assert strict_front_matter(target.read_text())[0]["articles"] == 5
    in_folder = write_digest([], tmp_path, fmt="json", generated=SAVED)
    assert in_folder.name == digest_filename(SAVED, "json") == "2024-05-02-digest.json"
    again = write_digest([], tmp_path, fmt="json", generated=SAVED)
    assert again.name == "2024-05-02-digest-2.json"
    assert no_temp_files(tmp_path)


# -- failures lose nothing --------------------------------------------------------------


def _is_root() -> bool:
    return hasattr(os, "geteuid") and os.geteuid() == 0


@pytest.mark.skipif(sys.platform == "win32", reason="POSIX permissions")
def test_a_read_only_folder_gives_one_clear_message_and_keeps_the_old_file(tmp_path):
    # Root ignores permission bits, so as root the export runs with the effective uid
    # of "nobody" (restored afterwards) in a folder nobody may write: a real EACCES.
    as_root = _is_root()  # asked once: under the borrowed uid the answer changes
    base = Path(tempfile.mkdtemp(dir="/tmp")) if as_root else tmp_path
    try:
        base.chmod(0o755)
        folder = base / "exports"
        old = write_export(make_item(note="old"), folder)
        folder.chmod(0o555)
        try:
            if as_root:
                os.seteuid(65534)
            try:
                with pytest.raises(ExportError) as update:
                    write_export(make_item(note="new"), folder)
                with pytest.raises(ExportError) as new:
                    write_export(make_item(id=99, title="Another"), folder)
            finally:
                if as_root:
                    os.seteuid(0)
        finally:
            folder.chmod(0o755)
        assert update.value.message == f"cannot write {old}: {export.files._REASONS[errno.EACCES]}"
        assert "\n" not in new.value.message and "permission denied" in new.value.message
        assert strict_front_matter(old.read_text())[0]["note"] == "old"
        assert [p.name for p in folder.iterdir()] == [old.name]
    finally:
        if base != tmp_path:
            shutil.rmtree(base)


def test_a_folder_that_is_really_a_file_gives_a_clear_message(tmp_path):
    blocker = tmp_path / "Documents"
    blocker.write_text("not a folder\n")
    with pytest.raises(ExportError, match="not a folder"):
        write_export(make_item(), blocker)
    with pytest.raises(ExportError, match="a part of the path is a file, not a folder"):
        write_export(make_item(), blocker / "Broadsheet")
    with pytest.raises(ExportError, match="not a folder"):
        write_digest([], blocker / "digest.md")
    assert blocker.read_text() == "not a folder\n"


@pytest.mark.parametrize("new_article", [False, True])
def test_a_full_disk_loses_nothing(tmp_path, monkeypatch, new_article):
    old = write_export(make_item(note="old"), tmp_path)

    def full(fd):
        raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC))

    monkeypatch.setattr(os, "fsync", full)
    item = make_item(id=8, title="Another") if new_article else make_item(note="new")
    with pytest.raises(ExportError, match="no space left on device$") as failure:
        write_export(item, tmp_path)
    assert failure.value.message.startswith("cannot write ")
    assert [p.name for p in tmp_path.iterdir()] == [old.name]
    assert strict_front_matter(old.read_text())[0]["note"] == "old"


def test_a_failed_rename_keeps_the_old_file_and_removes_the_temporary_one(tmp_path, monkeypatch):
    old = write_export(make_item(note="old"), tmp_path)

    def broken(src, dst):
        raise OSError(errno.EIO, "Input/output error")

    monkeypatch.setattr(os, "replace", broken)
    with pytest.raises(ExportError, match="input/output error"):
        write_export(make_item(note="new"), tmp_path)
    assert [p.name for p in tmp_path.iterdir()] == [old.name]
    assert strict_front_matter(old.read_text())[0]["note"] == "old"


def test_write_atomically_onto_a_folder_fails_cleanly(tmp_path):
    target = tmp_path / "taken"
    target.mkdir()
    (target / "inside.txt").write_text("safe\n")
    with pytest.raises(ExportError, match="a folder is in the way"):
        write_atomically(target, "new\n")
    assert (target / "inside.txt").read_text() == "safe\n"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["taken"]


def test_write_atomically_replaces_and_creates(tmp_path):
    target = tmp_path / "deep" / "er" / "file.opml"
    write_atomically(target, "one\n")
    write_atomically(target, "two \u00e9\n")
    assert target.read_bytes() == "two \u00e9\n".encode()
    assert no_temp_files(target.parent)


CRASH = """
import os, sys
from pathlib import Path
from tui.core.export import write_atomically

def crash(fd):
    os._exit(17)  # the process dies after writing, before the rename

os.fsync = crash
write_atomically(Path(sys.argv[1]), "NEW " * 250_000)
"""


def test_a_crash_mid_write_leaves_the_old_file_whole(tmp_path):
    target = tmp_path / "note.md"
    write_atomically(target, "OLD\n")
    done = subprocess.run([sys.executable, "-c", CRASH, str(target)], timeout=30)
    assert done.returncode == 17
    assert target.read_text() == "OLD\n"
    # Nothing can clean up after a killed process: what is left is a hidden temp file.
    leftovers = [p.name for p in tmp_path.iterdir() if p != target]
    assert all(name.startswith(".broadsheet-") for name in leftovers)
