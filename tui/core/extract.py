"""HTML -> readable plain text.

Feed bodies (``clean_text``) and whole article pages (``extract_article``) are turned
into paragraphs separated by blank lines. Scripts, styles, navigation and figure
captions are dropped, and so are the boilerplate lines that survive markup-level
cleaning: subscribe and sign-in prompts, photo captions and credits, share, "read more"
and related-links lines, advertisement labels and cookie notices (``strip_boilerplate``).
Everything that comes out is terminal-safe.

Page extraction uses trafilatura, imported on first use so that starting the CLI or
the app does not pay for it.
"""

from __future__ import annotations

import functools
import re
from types import ModuleType
from typing import Any

from .boilerplate import strip_boilerplate
from .htmltext import SPACES as _SPACES
from .htmltext import html_paragraphs
from .textsafe import strip_controls

_HTML_HINT = re.compile(r"<\s*(?:p|br|div|a|span|em|strong|b|i|ul|ol|li|h\d|img|html|body)\b", re.I)


def looks_like_html(text: str) -> bool:
    """Whether ``text`` carries HTML markup (a common tag near its start)."""
    return bool(_HTML_HINT.search(text[:4096]))


def html_to_paragraphs(html: str) -> list[str]:
    """The text of ``html`` as a list of paragraphs."""
    return html_paragraphs(strip_controls(html))


_WORD = re.compile(r"\w+")
_EMPTY_CELLS = re.compile(r"(?:\s*\|)+\s*$")


# --- Plain text and feed bodies ---------------------------------------------------------

_LINE_END = re.compile(r"[.!?…:)\"”’»]$")


def _block_lines(block: str) -> list[str]:
    """A plain-text block's lines joined into paragraphs, less standalone boilerplate lines.

    Text copied from a browser keeps a caption or a paywall prompt on its own line inside
    a block; a line counts as standalone when it starts the block or follows a line that
    ended a sentence, and ends a sentence itself (or the block).
    """
    lines = [_SPACES.sub(" ", line).strip() for line in block.split("\n")]
    lines = [line for line in lines if line]
    runs: list[list[str]] = [[]]
    for index, line in enumerate(lines):
        starts = index == 0 or bool(_LINE_END.search(lines[index - 1]))
        ends = index == len(lines) - 1 or bool(_LINE_END.search(line))
        if starts and ends and len(lines) > 1 and not strip_boilerplate([line]):
            runs.append([])
            continue
        runs[-1].append(line)
    return [" ".join(run) for run in runs if run]


def text_to_paragraphs(text: str) -> list[str]:
    """Plain text split on blank lines, each paragraph's lines joined."""
    text = strip_controls(text)
    blocks = re.split(r"\n\s*\n", text)
    return [paragraph for block in blocks if block.strip() for paragraph in _block_lines(block)]


def clean_text(body: str) -> str:
    """Readable text of an HTML or plain-text body: paragraphs separated by blank lines."""
    paragraphs = html_to_paragraphs(body) if looks_like_html(body) else text_to_paragraphs(body)
    return _SURROGATES.sub("", "\n\n".join(strip_boilerplate(paragraphs)))


# --- Whole pages ------------------------------------------------------------------------

_TITLE_SOURCES = re.compile(
    r"<title[^>]*>(.*?)</title>"
    r"|<meta\s[^>]*?(?:property|name)=[\"'](?:og:title|twitter:title)[\"'][^>]*>"
    r"|<h1[^>]*>(.*?)</h1>",
    re.IGNORECASE | re.DOTALL,
)
_CONTENT_ATTR = re.compile(r"content=[\"']([^\"']*)[\"']", re.IGNORECASE)
_TAGS = re.compile(r"<[^>]*>")
# A time, a numeric date, or a month name next to a year: "9:30", "11/19/2019",
# "March 14, 2031".
_DATE_HINT = re.compile(
    r"\b\d{1,2}:\d\d\b|\b\d{1,4}[/.-]\d{1,2}[/.-]\d{2,4}\b"
    r"|\b(?:jan|feb|mar|apr|may|jun|jul|aug|sep|oct|nov|dec)[a-z]*\.?\s+(?:\d{1,2},?\s+)?"
    r"(?:1[89]|20)\d\d\b",
    re.IGNORECASE,
)
_BODY_HINT = re.compile(r"article|body|content|entry|main|post|text|story", re.IGNORECASE)
_NOT_BODY_HINT = re.compile(
    r"comment|related|sidebar|footer|promo|share|social|widget|sponsor|newsletter|teaser|recirc",
    re.IGNORECASE,
)
# Below this many words, precision mode probably kept a notice rather than the article.
_SHORT_ARTICLE_WORDS = 50
_SURROGATES = re.compile(r"[\ud800-\udfff]")
_BINARY_CHARS = re.compile(r"[\x00-\x08\x0e-\x1f\x7f\ufffd]")


def _normal_words(text: str) -> str:
    return " ".join(_WORD.findall(text.lower()))


def _page_titles(html: str) -> list[str]:
    """The page's <title>, og:title / twitter:title and <h1> texts, as lowercase words."""
    titles = []
    for match in _TITLE_SOURCES.finditer(html[:300_000]):
        if match.group(1) is not None:
            raw = match.group(1)
        elif match.group(2) is not None:
            raw = match.group(2)
        else:
            content = _CONTENT_ATTR.search(match.group(0))
            raw = content.group(1) if content else ""
        words = _normal_words(_TAGS.sub(" ", raw))
        if words:
            titles.append(words)
        if len(titles) >= 8:
            break
    return titles


def _drop_heading_lines(paragraphs: list[str], titles: list[str]) -> list[str]:
    """Leading lines that repeat the page title, or give only a date and time."""
    start = 0
    while start < min(len(paragraphs), 3):
        line = paragraphs[start]
        words = _normal_words(line)
        if not words:
            start += 1
            continue
        repeats_title = len(words.split()) >= 2 and any(
            f" {words} " in f" {title} " for title in titles
        )
        dateline = (
            len(words.split()) <= 12
            and bool(_DATE_HINT.search(line))
            and not line.rstrip().endswith((".", "!", "?", '"', "”"))
        )
        if not (repeats_title or dateline):
            break
        start += 1
    return paragraphs[start:]


def _looks_binary(text: str) -> bool:
    sample = text[:4096]
    odd = len(_BINARY_CHARS.findall(sample))
    return odd >= 8 and odd > len(sample) * 0.1


@functools.cache
def _trafilatura() -> ModuleType:
    """trafilatura (heavy: imported on first use), told to leave the text's characters be.

    Its line cleaning drops every character ``str.isprintable`` refuses, which takes
    ZWNJ and ZWJ out of Persian, Indic and emoji text, and LRM and RLM out of Hebrew and
    Arabic; and it NFC-normalises what it returns, which rewrites Hindi nukta letters.
    Both are replaced: only what lxml cannot hold is removed (``strip_controls`` has
    already taken the terminal's dangers out), and nothing is normalised. It also
    escapes a table cell's "|" as "\\|" for Markdown, a backslash the page never had in
    plain text: cells keep their characters. Versions without these functions are left
    alone (tests/core/test_text_integrity.py and tests/test_fuzz.py notice).
    """
    import trafilatura
    from trafilatura import baseline, core, utils, xml

    for module in (utils, baseline):
        if hasattr(module, "remove_control_characters"):
            module.remove_control_characters = _xml_safe
    if hasattr(core, "normalize_unicode"):
        core.normalize_unicode = _as_is
    if hasattr(xml, "_escape_cell"):
        xml._escape_cell = _cell_as_is
    if hasattr(utils, "line_processing") and hasattr(utils.line_processing, "cache_clear"):
        utils.line_processing.cache_clear()
    return trafilatura


# What XML 1.0 cannot carry: C0 controls but tab and line ends, lone surrogates, U+FFFE/F.
_NOT_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]")


def _xml_safe(text: str) -> str:
    return _NOT_XML.sub("", text)


def _as_is(text: str, *args: object) -> str:
    return text


def _cell_as_is(text: str, in_cell: bool = True) -> str:
    # A line break inside a cell would end the row: it becomes a space, as before.
    return text.replace("\n", " ") if in_cell else text


def _trafilatura_paragraphs(tree: Any, url: str | None, *, precision: bool) -> list[str]:
    trafilatura = _trafilatura()
    text = trafilatura.extract(
        tree,  # trafilatura works on its own copy of the tree
        url=url,
        output_format="txt",
        include_comments=False,
        include_tables=True,
        include_images=False,
        include_links=False,
        favor_precision=precision,
        favor_recall=not precision,
        deduplicate=False,
        with_metadata=False,
    )
    paragraphs = []
    for line in (text or "").split("\n"):
        line = _SPACES.sub(" ", line).strip()
        if line.startswith("- "):
            line = "• " + line[2:]
        if line.startswith("|"):  # a table row, "| a | b |"
            if not _WORD.search(line):
                continue  # of empty cells
        else:
            # A stray empty cell after prose leaves its separators behind: "said. |  |".
            line = _EMPTY_CELLS.sub("", line)
        if line:
            paragraphs.append(line)
    return paragraphs


def extract_article(html: str, url: str | None = None) -> str:
    """The main text of a whole web page, as paragraphs separated by blank lines.

    Navigation, advertisements, related links, comments, newsletter boxes, cookie banners
    and scripts go; so do the boilerplate lines of ``strip_boilerplate`` and a leading
    repeat of the headline. Never raises: a page with no article text gives "".
    """
    try:
        if isinstance(html, bytes | bytearray):
            html = bytes(html).decode("utf-8", errors="replace")
        if not isinstance(html, str) or not html.strip() or _looks_binary(html):
            return ""
        html = strip_controls(html)
        if not looks_like_html(html):
            return clean_text(html)
        paragraphs = _article_paragraphs(html, url)
    except Exception:  # any failure of the parsers on a hostile page means "no article"
        return ""
    return _SURROGATES.sub("", strip_controls("\n\n".join(paragraphs)))


def _article_paragraphs(html: str, url: str | None) -> list[str]:
    """Trafilatura in precision mode; then, when that leaves almost nothing (a page whose
    text it took for boilerplate), its recall mode if that finds a real article; then
    the sentences of a plain walk over the markup."""
    trafilatura = _trafilatura()
    titles = _page_titles(html)

    def cleaned(paragraphs: list[str]) -> list[str]:
        return strip_boilerplate(_drop_heading_lines(paragraphs, titles))

    tree = trafilatura.load_html(html)
    best: list[str] = []
    if tree is not None:
        best = cleaned(_trafilatura_paragraphs(tree, url, precision=True))
        found = _word_count(best)
        if found < _SHORT_ARTICLE_WORDS:
            recall = cleaned(_trafilatura_paragraphs(tree, url, precision=False))
            if _word_count(recall) >= max(_SHORT_ARTICLE_WORDS, 2 * found):
                best = recall
        if best:
            best += _continued_body(tree, best)
    if not best:
        best = [p for p in cleaned(html_to_paragraphs(html)) if _sentence_like(p)]
    return best


def _continued_body(tree: Any, paragraphs: list[str]) -> list[str]:
    """Article paragraphs that the extractor left out because the page splits its body
    into several containers of the same class (typically between full-width ads).

    The container of the first extracted paragraph must carry a body-like class name (as
    in Readability's class hints); every other element with exactly that class and mostly
    prose in it contributes its paragraphs, in document order, after the extracted ones.
    """
    first = next((p for p in paragraphs if len(_WORD.findall(p)) >= 10), None)
    if first is None:
        return []
    try:
        import lxml.html  # a dependency of trafilatura, already loaded by it

        key = _normal_words(first)[:80]
        start = next(
            (p for p in tree.iter("p") if _normal_words(p.text_content()).startswith(key)), None
        )
        container = start.getparent() if start is not None else None
        if container is None:
            return []
        name = _class_of(container)
        if not _BODY_HINT.search(name) or _NOT_BODY_HINT.search(name):
            return []
        seen = {_normal_words(p) for p in paragraphs}
        extra: list[str] = []
        for other in tree.iter(container.tag):
            if other is container or _class_of(other) != name:
                continue
            markup = lxml.html.tostring(other, encoding="unicode")
            found = [p for p in html_to_paragraphs(markup) if _normal_words(p) not in seen]
            prose = [p for p in found if len(_WORD.findall(p)) >= 15]
            if _word_count(prose) >= 60 and 2 * len(prose) >= len(found):
                extra += found
                seen.update(_normal_words(p) for p in found)
    except Exception:  # an odd tree keeps what the extractor found
        return []
    return strip_boilerplate(extra)


def _class_of(element: Any) -> str:
    value = element.get("class")
    return " ".join(value.split()) if isinstance(value, str) else ""


def _sentence_like(paragraph: str) -> bool:
    """Not a menu item: several words, or a line that ends like a sentence."""
    return len(_WORD.findall(paragraph)) >= 6 or paragraph.rstrip().endswith((".", "!", "?"))


def _word_count(paragraphs: list[str]) -> int:
    return sum(len(_WORD.findall(p)) for p in paragraphs)


_META_CHARSET = re.compile(rb"""<meta[^>]+charset=["']?([A-Za-z0-9_.:-]+)""", re.IGNORECASE)


def decode_document(data: bytes, content_type: str | None) -> str:
    """Bytes to text using the declared charset (header, then <meta>), else UTF-8."""
    candidates: list[str] = []
    if content_type and "charset=" in content_type.lower():
        candidates.append(content_type.lower().split("charset=")[-1].split(";")[0].strip(" \"'"))
    match = _META_CHARSET.search(data[:4096])
    if match:
        candidates.append(match.group(1).decode("ascii"))
    candidates.append("utf-8")
    for charset in candidates:
        try:
            return data.decode(charset)
        except (LookupError, UnicodeDecodeError):
            continue
    return data.decode("utf-8", "replace")
