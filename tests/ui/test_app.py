"""The reader window, driven by Textual's Pilot against a real data dir."""

from __future__ import annotations

from tests.ui.conftest import build_app, settle
from tui.app import BroadsheetApp
from tui.widgets.article_list import ArticleList
from tui.widgets.feed_list import FeedList
from tui.widgets.reading_pane import ReadingPane


def body_text(app: BroadsheetApp) -> str:
    return app.screen.query_one(ReadingPane).plain_text


async def test_first_start_offline_opens_on_the_bundled_welcome_feed(data_dir, tmp_path):
    app = build_app(data_dir, tmp_path)
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(app, pilot)
        feeds = app.screen.query_one(FeedList)
        prompts = [str(option.prompt) for option in feeds.options]
        assert "All articles" in prompts[0]
        assert any("Welcome to Broadsheet" in prompt for prompt in prompts)

        articles = app.screen.query_one(ArticleList)
        titles = [article.title for article in articles.articles]
        assert "Harbour town votes to keep its ferry after a night of debate" in titles
        assert articles.articles[0].read is False

        articles.focus()
        await pilot.press("enter")
        await settle(app, pilot)
        text = body_text(app)
        assert "Harbour town votes to keep its ferry" in text
        assert "The ferry is not a luxury for the island" in text
        assert "<p>" not in text  # HTML is turned into paragraphs, not shown raw
        # The gist first, then who said what, above the text.
        assert "Summary\n• The council of the harbour town of Keldmouth" in text
        assert "Quotes\nMayor Ingrid Solberg: “The ferry" in text
        assert "Subscribe to our newsletter" not in text  # boilerplate is gone
        assert articles.articles[0].read is True


async def test_keys_move_between_articles_and_reading_marks_read(data_dir, tmp_path):
    app = build_app(data_dir, tmp_path)
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(app, pilot)
        articles = app.screen.query_one(ArticleList)
        articles.focus()
        await pilot.press("j", "j", "enter")
        await settle(app, pilot)
        assert articles.highlighted == 2
        assert "Add your feeds" in body_text(app)
        assert [a.read for a in articles.articles] == [False, False, True, False]
        await pilot.press("k", "enter")
        await settle(app, pilot)
        assert "everything works from the keyboard" in body_text(app)
        await pilot.press("q")
    # Read state is in the archive, not just on screen.
    from tui.core.store import Store

    with Store(app.config.database_path) as store:
        assert sorted(a.title for a in store.articles() if a.read) == [
            "Add your feeds",
            "The keys: everything works from the keyboard",
        ]


def marked_spans(app: BroadsheetApp) -> tuple[str, list]:
    """The article text and its spans drawn on a background of their own."""
    body = app.screen.query_one(ReadingPane).query_one("#article-body").render()
    marked = [span for span in body.spans if getattr(span.style, "background", None) is not None]
    return body.plain, marked


def marked_sentences(app: BroadsheetApp) -> list[str]:
    plain, spans = marked_spans(app)
    return [plain[span.start : span.end] for span in spans]


async def open_first_article(app: BroadsheetApp, pilot, *keys: str) -> None:
    """Wait for the reader, open the first article, then press ``keys``."""
    await settle(app, pilot)
    app.screen.query_one(ArticleList).focus()
    await pilot.press("enter", *keys)
    await settle(app, pilot)


async def test_h_marks_the_summary_sentences_in_the_text_and_is_remembered(data_dir, tmp_path):
    app = build_app(data_dir, tmp_path)
    async with app.run_test(size=(120, 40)) as pilot:
        await open_first_article(app, pilot)
        assert marked_sentences(app) == []
        await pilot.press("H")
        await settle(app, pilot)
        marked = marked_sentences(app)
        summary = body_text(app).split("Summary\n", 1)[1].split("\n\n", 1)[0]
        assert len(marked) == summary.count("• ") >= 2
        for sentence in marked:  # each marked stretch is one of the summary's sentences
            assert " ".join(sentence.split())[:40] in summary
        await pilot.press("q")
    again = build_app(data_dir, tmp_path)
    async with again.run_test(size=(120, 40)) as pilot:
        await open_first_article(again, pilot)
        assert len(marked_sentences(again)) == len(marked)  # still on after a restart
        await pilot.press("H")
        await settle(again, pilot)
        assert marked_sentences(again) == []


async def test_summary_marks_follow_the_theme(data_dir, tmp_path):
    app = build_app(data_dir, tmp_path)
    async with app.run_test(size=(120, 40)) as pilot:
        await open_first_article(app, pilot, "H")
        before = marked_spans(app)[1][0].style.background
        app.theme = "textual-light"
        await settle(app, pilot)
        assert marked_spans(app)[1][0].style.background != before
