"""Feed text must never be able to drive the user's terminal."""

from __future__ import annotations

import pytest

from tui.core.textsafe import one_line, strip_controls


@pytest.mark.parametrize(
    ("hostile", "shown"),
    [
        ("\x1b]0;pwned\x07Title", "Title"),  # OSC: window title
        ("\x1b]52;c;cm0gLXJmIH4=\x1b\\Copy", "Copy"),  # OSC 52: clipboard write
        ("\x1b[2J\x1b[HClear", "Clear"),  # CSI: clear screen
        ("red\x1b[31m text\x1b[0m", "red text"),
        ("bell\x07", "bell"),
        ("c1\x9b31mcsi\x85nel", "c131mcsinel"),  # C1 bytes removed one by one
        ("nul\x00byte\x7f", "nulbyte"),
        ("unterminated \x1b]8;;http://evil\x07link", "unterminated link"),
    ],
)
def test_escape_sequences_and_controls_are_removed(hostile, shown):
    assert strip_controls(hostile) == shown
    assert "\x1b" not in one_line(hostile)


def test_newlines_and_tabs_survive_but_carriage_returns_become_newlines():
    assert strip_controls("a\tb\r\nc\rd\n") == "a\tb\nc\nd\n"


def test_one_line_collapses_white_space():
    assert one_line("  Breaking:\n\n news\t today ") == "Breaking: news today"
    assert one_line(None) == ""


def test_markup_like_text_is_left_as_characters():
    # Markup is handled by never interpolating into markup, not by mangling titles.
    assert (
        one_line("[bold]x[/] [link=file:///etc/passwd]y") == "[bold]x[/] [link=file:///etc/passwd]y"
    )


def test_non_latin_text_round_trips():
    text = "Москва · 東京 · القاهرة · Zürich — “quoted” €"
    assert strip_controls(text) == text
