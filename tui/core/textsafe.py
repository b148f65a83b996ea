"""Make untrusted text safe to show in a terminal, and change nothing else.

What is removed, and only that (the README's "Text" section says the same):

- escape sequences (CSI, OSC, DCS and the rest) as a whole;
- C0 controls other than tab and newline, DEL, and the C1 controls; a carriage
  return becomes a newline (a Windows line end one newline);
- in one-line fields (titles, feed names, authors, links), the bidi embeddings and
  overrides U+202A-U+202E and isolates U+2066-U+2069: one unclosed override turns
  the rest of a list row around. Line breaks and runs of spaces and tabs there become
  one space, and the field is trimmed of white space at both ends (as feedparser
  trims every field).

Everything else is kept as it came, in particular what spells words in many
scripts: ZWJ and ZWNJ (Persian «کتاب‌ها», Indic conjuncts, emoji sequences), LRM,
RLM and ALM, combining marks, variation selectors, emoji tag sequences, no-break
and ideographic spaces. Nothing is normalised (NFC would rewrite Hindi nukta letters).
"""

from __future__ import annotations

import re

# ESC-introduced sequences: CSI (ESC [ ... final), OSC/DCS/SOS/PM/APC strings up to
# BEL or ST, and two-byte escapes. Removing the whole sequence, not just ESC, keeps
# leftovers such as "[31m" out of titles. C1 bytes are removed one by one below rather
# than as sequence introducers: mis-decoded cp1252 text is full of them.
_ESCAPE_SEQUENCE = re.compile(
    r"""
    \x1b\[[0-?]*[ -/]*[@-~]?                    # CSI
    | \x1b[\]PX^_].*?(?:\x07|\x1b\\|\x9c|$)     # OSC, DCS, SOS, PM, APC
    | \x1b[ -/]*[0-~]?                          # other escapes
    """,
    re.VERBOSE | re.DOTALL,
)
# C0 controls except tab and newline, DEL, and the C1 range.
_CONTROL_CHARS = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f]")
# On one line: the same, less the white space that becomes a space below.
_LINE_CONTROLS = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f]")
BIDI_CONTROLS = re.compile("[\u202a-\u202e\u2066-\u2069]")
"""Embeddings, overrides and isolates: removed from one-line fields only."""
# Spaces, tabs, line ends and the Unicode line and paragraph separators. No-break and
# ideographic spaces are text, not layout, and stay.
_LINE_SPACES = re.compile("[ \t\n\r\u2028\u2029]+")


def strip_controls(text: str) -> str:
    """Remove escape sequences and control characters, keeping newlines and tabs.

    Carriage returns become newlines so Windows line ends survive as line breaks.
    """
    if not text:
        return ""
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    return _CONTROL_CHARS.sub("", _ESCAPE_SEQUENCE.sub("", text))


def one_line(text: str | None) -> str:
    """Terminal-safe text on a single line with runs of white space collapsed.

    For titles and other one-line fields: the bidi embeddings, overrides and isolates
    go too.
    """
    if not text:
        return ""
    text = _LINE_CONTROLS.sub("", _ESCAPE_SEQUENCE.sub("", text))
    return _LINE_SPACES.sub(" ", BIDI_CONTROLS.sub("", text)).strip()
