"""Article bodies -> stable 64-bit hashes of their content words and word pairs.

Grouping stories shingles thousands of articles on every refresh, so words are found
and hashed on the raw UTF-8 bytes of the feed's HTML in a few NumPy passes, instead of
one Python object per word (and no HTML parse): tags are skipped, entities dropped,
ASCII letters lower-cased. A word hashes by its first eight bytes and its length, so
"government" and "governments" meet, as a light stemmer would have them. The hashes
are the same in every process, so sketches kept in the archive stay comparable.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np

MAX_BYTES = 4000
"""How much of an article's HTML is read: the lead and the first paragraphs say which
event it is; the rest adds cost, not evidence."""
_MAX_TAG = 2000
"""A '<' with no '>' this close is text, not a tag."""
_CHUNK = 128
"""Texts hashed together: their temporaries stay in the CPU's cache (one pass over all
10,000 at once spent most of its time faulting in fresh pages)."""

# Function words carry no news; a pair of them ("of the") would make every article
# look alike.
STOP_WORDS = frozenset(
    """a about after again against all also am an and any are as at be because been
    before being between both but by can could did do does doing down during each few
    for from further had has have having he her here hers him his how i if in into is it
    its itself just me more most my no nor not now of off on once only or other our ours
    out over own same she should so some such than that the their theirs them then there
    these they this those through to too under until up very was we were what when where
    which while who whom why will with would you your said says say told according new
    one two year years last week monday tuesday wednesday thursday friday saturday sunday
    s t mr mrs ms dr""".split()
)


def _tables() -> tuple[np.ndarray, np.ndarray]:
    lower = np.arange(256, dtype=np.uint8)
    lower[ord("A") : ord("Z") + 1] += 32
    word = np.zeros(256, dtype=bool)
    word[ord("0") : ord("9") + 1] = True
    word[ord("a") : ord("z") + 1] = True
    word[0x80:] = True  # the bytes of non-ASCII letters (punctuation is masked apart)
    return lower, word


_LOWER, _IS_WORD = _tables()


def hash_words(texts: Sequence[str]) -> tuple[np.ndarray, np.ndarray]:
    """Every word of every text (HTML or plain) as a uint64, and its text's index."""
    if not texts:
        return np.zeros(0, np.uint64), np.zeros(0, np.int64)
    hashes: list[np.ndarray] = []
    docs: list[np.ndarray] = []
    for start in range(0, len(texts), _CHUNK):
        found, doc = _hash_chunk(texts[start : start + _CHUNK])
        hashes.append(found)
        docs.append(doc + start)
    return np.concatenate(hashes), np.concatenate(docs)


def _hash_chunk(texts: Sequence[str]) -> tuple[np.ndarray, np.ndarray]:
    pieces = [text.encode("utf-8", "replace")[:MAX_BYTES] for text in texts]
    ends_of_texts = np.cumsum(np.fromiter((len(p) + 1 for p in pieces), np.int64, len(pieces)))
    raw = np.frombuffer(b"\n".join(pieces) + b"\n" + bytes(8), dtype=np.uint8)
    # np.take: 2.5 times faster than indexing a table with an array of bytes.
    data = np.take(_LOWER, raw)
    word = np.take(_IS_WORD, data)
    word[-8:] = False
    _mask_tags(raw, word)
    _mask_punctuation(raw, word)
    edges = np.diff(word.view(np.int8), prepend=np.int8(0))
    starts = np.flatnonzero(edges == 1)
    ends = np.flatnonzero(edges == -1)
    # Entities (&amp; &#8217;) leave a word behind; drop it.
    entity = (raw[starts - 1] == ord("&")) | (raw[starts - 1] == ord("#"))
    starts, ends = starts[~entity], ends[~entity]
    lengths = np.minimum(ends - starts, 8).astype(np.uint64)
    # Each word's first eight bytes as one little-endian uint64: a view of the bytes at
    # every offset (unaligned reads), then the bytes past the word's end masked off.
    eights = np.ndarray((len(data) - 7,), np.dtype("<u8"), data.data, 0, (1,))
    with np.errstate(over="ignore"):
        packed = eights[starts] & (np.uint64(2**64 - 1) >> ((8 - lengths) * np.uint64(8)))
    hashes = _mix(packed ^ (np.minimum(ends - starts, 255).astype(np.uint64) << np.uint64(56)))
    doc = np.searchsorted(ends_of_texts, starts, side="right")
    return hashes, doc


SIGNATURE = 64
"""MinHash values per article (one permutation, split into this many buckets)."""
_BUCKET_SHIFT = np.uint64(64 - 6)
_VALUE_MASK = np.uint64((1 << 58) - 1)
EMPTY = np.uint64(2**64 - 1)
"""A bucket no word pair fell into; never counts as a match."""


def signatures(texts: Sequence[str], lead_width: int = 40) -> tuple[np.ndarray, np.ndarray]:
    """Each text's MinHash signature and its lead, in one pass over the words.

    The signature (``len(texts) x SIGNATURE`` uint64) is over the text's pairs of
    neighbouring content words: two texts agree in a bucket about as often as the share
    of word pairs they have in common (their Jaccard similarity). The lead is its first
    ``lead_width`` content words as a row of :func:`word_rows`.
    """
    out = np.full((len(texts), SIGNATURE), EMPTY, dtype=np.uint64)
    leads = np.full((len(texts), lead_width), EMPTY, dtype=np.uint64)
    for start in range(0, len(texts), _CHUNK):
        chunk = texts[start : start + _CHUNK]
        hashes, doc = _hash_chunk(chunk)
        keep = ~is_stop(hashes)
        hashes, doc = hashes[keep], doc[keep]
        _fill_rows(leads[start : start + len(chunk)], hashes, doc)
        same = doc[1:] == doc[:-1]
        with np.errstate(over="ignore"):
            pairs = _mix(hashes[:-1] * np.uint64(0x9E3779B97F4A7C15) + hashes[1:])[same]
        slots = doc[:-1][same] * SIGNATURE + (pairs >> _BUCKET_SHIFT).astype(np.int64)
        np.minimum.at(out[start : start + len(chunk)].reshape(-1), slots, pairs & _VALUE_MASK)
    return out, _distinct(leads)


def word_rows(texts: Sequence[str], width: int) -> np.ndarray:
    """The first ``width`` distinct content words of each text (a headline) as a row
    of hashes, :data:`EMPTY` where a text has fewer."""
    rows = np.full((len(texts), width), EMPTY, dtype=np.uint64)
    hashes, doc = hash_words(texts)
    keep = ~is_stop(hashes)
    _fill_rows(rows, hashes[keep], doc[keep])
    return _distinct(rows)


def _fill_rows(rows: np.ndarray, hashes: np.ndarray, doc: np.ndarray) -> None:
    """Put each text's first hashes in its row (``doc`` is sorted)."""
    if not len(doc):
        return
    first = np.searchsorted(doc, doc)
    rank = np.arange(len(doc)) - first
    fits = rank < rows.shape[1]
    rows[doc[fits], rank[fits]] = hashes[fits]


def _distinct(rows: np.ndarray) -> np.ndarray:
    """Each row sorted, with repeats turned into :data:`EMPTY` (which sorts last)."""
    rows = np.sort(rows, axis=1)
    repeat = np.zeros(rows.shape, dtype=bool)
    repeat[:, 1:] = rows[:, 1:] == rows[:, :-1]
    rows[repeat] = EMPTY
    return np.sort(rows, axis=1)


def _mask_tags(raw: np.ndarray, word: np.ndarray) -> None:
    """Mark everything from a '<' to its '>' as not words."""
    opens = np.flatnonzero(raw == ord("<"))
    if not len(opens):
        return
    closes = np.flatnonzero(raw == ord(">"))
    at = np.searchsorted(closes, opens)
    found = at < len(closes)
    opens, close = opens[found], closes[at[found]]
    near = close - opens < _MAX_TAG
    opens, close = opens[near], close[near]
    depth = np.zeros(len(raw) + 1, np.int16)
    depth[opens] = 1  # each '<' once; several may end at one '>'
    np.add.at(depth, close + 1, -1)
    word &= np.cumsum(depth[:-1], dtype=np.int16) == 0


def _mask_punctuation(raw: np.ndarray, word: np.ndarray) -> None:
    """Mark the UTF-8 bytes of common punctuation as not part of a word: curly quotes,
    dashes and ellipses (U+2000-U+207F) and Latin-1's signs and spaces (U+0080-U+00BF)."""
    lead = np.flatnonzero((raw[:-2] == 0xE2) & ((raw[1:-1] == 0x80) | (raw[1:-1] == 0x81)))
    for step in range(3):
        word[lead + step] = False
    latin = np.flatnonzero((raw[:-1] == 0xC2) & (raw[1:] < 0xC0))
    word[latin] = False
    word[latin + 1] = False


def _mix(values: np.ndarray) -> np.ndarray:
    """A 64-bit finaliser (splitmix64), so nearby inputs give unrelated hashes."""
    with np.errstate(over="ignore"):
        values = (values ^ (values >> np.uint64(30))) * np.uint64(0xBF58476D1CE4E5B9)
        values = (values ^ (values >> np.uint64(27))) * np.uint64(0x94D049BB133111EB)
        return values ^ (values >> np.uint64(31))


_STOPS: tuple[np.ndarray, np.ndarray] | None = None
_BITS = 16


def is_stop(hashes: np.ndarray) -> np.ndarray:
    """Which hashes are stop words: a bitmap first, an exact check only for its hits."""
    global _STOPS
    if _STOPS is None:
        # Sorted for the binary search; a repeat does no harm. (Not np.unique: its
        # first call imports numpy.ma, 25 ms of a refresh's grouping.)
        stops = np.sort(hash_words([" ".join(sorted(STOP_WORDS))])[0])
        bitmap = np.zeros(1 << _BITS, dtype=bool)
        bitmap[stops & np.uint64((1 << _BITS) - 1)] = True
        _STOPS = (stops, bitmap)
    stops, bitmap = _STOPS
    maybe = bitmap[hashes & np.uint64((1 << _BITS) - 1)]
    result = np.zeros(len(hashes), dtype=bool)
    hits = np.flatnonzero(maybe)
    if len(hits):
        at = np.searchsorted(stops, hashes[hits]).clip(0, len(stops) - 1)
        result[hits] = stops[at] == hashes[hits]
    return result
