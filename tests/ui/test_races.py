"""Things a quick user or a slow web site can do to the reader, and what must not happen."""

from __future__ import annotations

from tests.ui.conftest import build_app, settle
from tui.widgets.article_list import ArticleList
from tui.widgets.feed_list import FeedList
from tui.widgets.reading_pane import ReadingPane


async def test_an_empty_feed_clears_the_summary_and_quotes(library, tmp_path):
    app = build_app(library, tmp_path)
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(app, pilot)
        articles = app.screen.query_one(ArticleList)
        articles.focus()
        articles.highlighted = next(
            i for i, a in enumerate(articles.articles) if a.title.startswith("Council")
        )
        await pilot.press("enter")
        await settle(app, pilot)
        pane = app.screen.query_one(ReadingPane)
        assert pane.query_one("#article-summary").display
        assert pane.query_one("#article-quotes").display
        feeds = app.screen.query_one(FeedList)
        broken = next(f.id for f in feeds.feeds.values() if f.title == "Broken Feed")
        feeds.highlighted = [o.id for o in feeds.options].index(f"feed:{broken}")
        await settle(app, pilot)
        assert "No articles here yet." in pane.plain_text
        assert not pane.query_one("#article-summary").display
        assert not pane.query_one("#article-quotes").display
        assert "Mayor" not in str(pane.query_one("#article-quotes").render())
