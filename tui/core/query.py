"""The query language shared by `/` search, rules and saved searches.

A query is terms that must all match (``-term`` must not):

    election                 a word in the title or the text (case and accents ignored)
    "harbour council"        a phrase
    title:crypto             a word in the title; text: in the text only
    author:Bot               the author's name contains it; feed: the feed's URL or name
    /crypto|nft/i            a regular expression over title and text; title:/.../ etc.

A bad field or regular expression raises :class:`QueryError` with one line that names
it. Regular expressions whose nested repetition could run for ever (``(a+)+``) are
refused, and each is matched against at most :data:`MAX_TEXT` characters.
"""

from __future__ import annotations

import html
import re
import unicodedata
from dataclasses import dataclass, field

from .errors import BroadsheetError

try:  # Python 3.11 keeps the regex parser here; it is what re.compile itself uses.
    import re._parser as _sre_parse  # type: ignore[import-not-found]
except ImportError:  # pragma: no cover
    import sre_parse as _sre_parse  # type: ignore[no-redef]

FIELDS = ("title", "author", "feed", "text")
MAX_TEXT = 20_000
"""Characters of an article's text a regular expression reads."""
_TOKEN = re.compile(
    r"""\s*(?P<neg>-)?(?:(?P<field>[A-Za-z_]+):)?
        (?:/(?P<re>(?:\\.|[^/\\])*)/(?P<flags>[a-z]*)(?=\s|$)
          |"(?P<phrase>[^"]*)"
          |(?P<word>[^\s]+))""",
    re.VERBOSE,
)
_WORD = re.compile(r"\w+")
_TAGS = re.compile(r"<[^>]*>")


class QueryError(BroadsheetError):
    """A query that cannot be understood; the message names the problem."""


@dataclass(frozen=True, slots=True)
class Term:
    field: str | None
    """One of :data:`FIELDS`, or None for title and text."""
    words: tuple[str, ...] = ()
    """Folded words that must appear in this order (one word, or a phrase)."""
    pattern: re.Pattern[str] | None = None
    negated: bool = False

    def fts(self) -> str | None:
        """The FTS5 query for a word or phrase term in the title, the text or either
        (the search index answers those, as it does `/`); None for the others."""
        if self.pattern is not None or not self.words or self.field in ("author", "feed"):
            return None
        column = {"title": "title : ", "text": "body : "}.get(self.field or "", "")
        return column + '"' + " ".join(self.words) + '"'


@dataclass(frozen=True, slots=True)
class Query:
    source: str
    terms: tuple[Term, ...] = field(default_factory=tuple)

    @property
    def needs_text(self) -> bool:
        return any(t.pattern is not None and t.field in (None, "text") for t in self.terms)

    def fts(self) -> str | None:
        """An FTS5 query that every match satisfies (its words), or None if it has none."""
        parts = [t.fts() for t in self.terms if not t.negated and t.fts()]
        return " AND ".join(p for p in parts if p) or None


def parse_query(text: str, *, allow_empty: bool = False) -> Query:
    """Read a query; raise :class:`QueryError` naming what is wrong. A query with no
    term (only punctuation) is an error unless ``allow_empty`` (it then matches nothing)."""
    terms = []
    position = 0
    source = text.strip()
    while position < len(source):
        match = _TOKEN.match(source, position)
        if not match or match.end() == position:
            raise QueryError(f"cannot read the query from {source[position:]!r}")
        position = match.end()
        name = match.group("field")
        if name is not None:
            name = name.lower()
            if name not in FIELDS:
                raise QueryError(
                    f"unknown field {name + ':'!r} in {source!r}; use title:, author:, "
                    "feed: or text:"
                )
        negated = bool(match.group("neg"))
        if match.group("re") is not None:
            terms.append(Term(name, (), _compile(match.group("re"), match.group("flags")), negated))
            continue
        value = match.group("phrase") if match.group("phrase") is not None else match.group("word")
        if name in ("author", "feed"):
            words = (value.casefold(),)
        else:
            words = tuple(fold(w) for w in _WORD.findall(value))
        if not words or not words[0]:
            if name is not None:
                raise QueryError(f"{name}: needs a word or a /regular expression/")
            continue
        terms.append(Term(name, words, None, negated))
    terms.sort(key=_cost)
    if not terms and not allow_empty:
        raise QueryError("an empty query matches nothing; give a word, a field or a /regex/")
    return Query(source, tuple(terms))


def fold(word: str) -> str:
    """A word as search compares it: case and accents ignored (as the search index)."""
    decomposed = unicodedata.normalize("NFKD", word.casefold())
    return "".join(c for c in decomposed if not unicodedata.combining(c))


def plain(html_text: str) -> str:
    """An article's HTML as the text a regular expression reads: tags gone, entities
    decoded, every run of white space one space."""
    return " ".join(html.unescape(_TAGS.sub(" ", html_text)).split())


def _compile(pattern: str, flags: str) -> re.Pattern[str]:
    unknown = set(flags) - {"i"}
    if unknown:
        raise QueryError(f"/{pattern}/{flags}: unknown flag {sorted(unknown)[0]!r} (only i)")
    pattern = pattern.replace("\\/", "/")
    try:
        parsed = _sre_parse.parse(pattern)
    except re.error as exc:
        raise QueryError(f"bad regular expression /{pattern}/: {exc}") from None
    if _nested_repeat(parsed, inside=False):
        raise QueryError(
            f"/{pattern}/ repeats a repetition (like (a+)+), which can take for ever; simplify it"
        )
    return re.compile(pattern, re.IGNORECASE if "i" in flags else 0)


_REPEATS = {_sre_parse.MAX_REPEAT, _sre_parse.MIN_REPEAT}


def _nested_repeat(parsed: object, *, inside: bool) -> bool:
    """Whether an unbounded repetition sits inside another repetition."""
    for op, value in parsed:  # type: ignore[attr-defined]
        if op in _REPEATS:
            _, high, body = value
            unbounded = high == _sre_parse.MAXREPEAT or high > 100
            if (inside and unbounded) or _nested_repeat(body, inside=inside or unbounded):
                return True
        elif op is _sre_parse.SUBPATTERN:
            if _nested_repeat(value[-1], inside=inside):
                return True
        elif op is _sre_parse.BRANCH and any(
            _nested_repeat(branch, inside=inside) for branch in value[1]
        ):
            return True
    return False


def _cost(term: Term) -> int:
    """Cheap terms first: a rule on a feed skips every other feed's text."""
    if term.field in ("feed", "author"):
        return 0
    if term.pattern is None or term.field == "title":
        return 1
    return 2


_COMBINING = re.compile(r"[\u0300-\u036f]")


def folded(text: str) -> str:
    """Accents dropped, as the search index does (ASCII text is left as it is)."""
    if text.isascii():
        return text
    return _COMBINING.sub("", unicodedata.normalize("NFKD", text))
