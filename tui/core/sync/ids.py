"""Item ids in both of the Google Reader API's forms.

A server hands out ``tag:google.com,2005:reader/item/<16 hex digits>`` in item
contents and a signed 64-bit decimal in ``stream/items/ids``; both name the same
item. We keep the decimal one (it fits SQLite's INTEGER) and send the long form,
which every server accepts in ``i=``.
"""

from __future__ import annotations

LONG_PREFIX = "tag:google.com,2005:reader/item/"
_BITS = 64


def parse_item_id(value: str | int) -> int:
    """Either form -> the signed 64-bit decimal id; ValueError for anything else."""
    if isinstance(value, int):
        number = value
    else:
        text = value.strip()
        if text.startswith(LONG_PREFIX):
            hex_part = text[len(LONG_PREFIX) :]
            if not hex_part or len(hex_part) > 16:
                raise ValueError(f"not an item id: {value!r}")
            number = int(hex_part, 16)
        else:
            number = int(text, 10)
    if not -(2 ** (_BITS - 1)) <= number < 2**_BITS:
        raise ValueError(f"item id out of range: {value!r}")
    return number - 2**_BITS if number >= 2 ** (_BITS - 1) else number


def long_item_id(item_id: int) -> str:
    """The ``tag:google.com,...`` form of an id, 16 hex digits as servers write it."""
    return f"{LONG_PREFIX}{item_id % 2**_BITS:016x}"
