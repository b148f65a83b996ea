"""The one HTML-to-text walk, in its two layouts: whole pages and one-line fields."""

from __future__ import annotations

from tui.core.htmltext import INLINE, html_inline, html_paragraphs

MARKUP = (
    "<nav>Home</nav><h1>Rain &amp; wind</h1><p>Storms  due\n<b>tonight</b>.</p>"
    "<ul><li>Ferries stop</li></ul><script>alert(1)</script><pre>a\n  b</pre>"
)


def test_a_page_keeps_its_paragraphs_and_drops_furniture():
    assert html_paragraphs(MARKUP) == [
        "Rain & wind",
        "Storms due tonight.",
        "• Ferries stop",
        "a\n  b",
    ]


def test_a_field_keeps_every_word_but_scripts():
    assert html_paragraphs(MARKUP, INLINE) == [
        "Home",
        "Rain & wind",
        "Storms due tonight.",
        "Ferries stop",
        "a b",
    ]
    assert html_inline("Caf&eacute;<br>Ol&eacute;<td>x</td>") == "Café Olé x"
