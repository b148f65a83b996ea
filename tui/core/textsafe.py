"""Make untrusted text safe to show in a terminal."""

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
_CONTROL_CHARS_AND_NEWLINES = re.compile(r"[\x00-\x1f\x7f-\x9f]")
_SPACES = re.compile(r"\s+")


def strip_controls(text: str) -> str:
    """Remove escape sequences and control characters, keeping newlines and tabs.

    Carriage returns become newlines so Windows line ends survive as line breaks.
    """
    if not text:
        return ""
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    return _CONTROL_CHARS.sub("", _ESCAPE_SEQUENCE.sub("", text))


def one_line(text: str | None) -> str:
    """Terminal-safe text on a single line with runs of white space collapsed."""
    if not text:
        return ""
    text = _CONTROL_CHARS_AND_NEWLINES.sub(" ", _ESCAPE_SEQUENCE.sub("", text))
    return _SPACES.sub(" ", text).strip()
