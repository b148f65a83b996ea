"""A quotation broken by its attribution is shown as its pieces in the reading pane."""

from __future__ import annotations

from tests.ui.conftest import build_app, settle
from tui.widgets.article_list import ArticleList
from tui.widgets.reading_pane import ReadingPane

FIRST = "This bridge joins two halves of one town,"
SECOND = "We waited forty years for it."
BETWEEN = "said Mayor Lena Varga."


async def open_council_story(app, pilot) -> ReadingPane:
    await settle(app, pilot)
    articles = app.screen.query_one(ArticleList)
    articles.focus()
    articles.highlighted = next(
        i for i, a in enumerate(articles.articles) if a.title.startswith("Council")
    )
    await pilot.press("enter")
    await settle(app, pilot)
    return app.screen.query_one(ReadingPane)


def quoted_stretches(pane: ReadingPane) -> list[str]:
    """The stretches of the article text drawn in the quotation style (italic)."""
    body = pane.query_one("#article-body").render()
    return [body.plain[s.start : s.end] for s in body.spans if getattr(s.style, "italic", False)]


async def test_the_quote_list_shows_the_pieces_without_the_attribution(library, tmp_path):
    app = build_app(library, tmp_path)
    async with app.run_test(size=(120, 40)) as pilot:
        pane = await open_council_story(app, pilot)
        listing = str(pane.query_one("#article-quotes").render())
        assert f"Mayor Lena Varga: “{FIRST}” … “{SECOND}”" in listing
        assert BETWEEN not in listing


async def test_only_the_pieces_are_highlighted_in_the_text(library, tmp_path):
    app = build_app(library, tmp_path)
    async with app.run_test(size=(120, 40)) as pilot:
        pane = await open_council_story(app, pilot)
        marked = quoted_stretches(pane)
        assert FIRST in marked and SECOND in marked
        assert not any("Lena Varga" in stretch for stretch in marked)
