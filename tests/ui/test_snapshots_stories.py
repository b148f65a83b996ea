"""SVG snapshots of a story with its sources and of the rules dialog (update with
`pytest --snapshot-update`, then review)."""

from __future__ import annotations

from tests.ui.conftest import settle
from tests.ui.test_reading_less import app_for, open_all_articles, outlets  # noqa: F401
from tui.widgets.article_list import ArticleList


def test_a_story_with_its_sources(outlets, tmp_path, snap_compare):  # noqa: F811
    app = app_for(outlets, tmp_path)

    async def run_before(pilot) -> None:
        await open_all_articles(app, pilot)
        article_list = app.screen.query_one(ArticleList)
        article_list.highlighted = next(
            i for i, o in enumerate(article_list.options) if "+2 " in str(o.prompt)
        )
        await pilot.press("enter")
        await settle(app, pilot)

    assert snap_compare(app, terminal_size=(140, 40), run_before=run_before)


def test_the_rules_dialog(outlets, tmp_path, snap_compare):  # noqa: F811
    from tests.ui.conftest import read_store

    with read_store(outlets) as store:
        store.add_rule("title:/crypto|nft/i", "hide")
        store.add_rule("feed:https://wire.example/rss text:/election/", "tag:politics")
    app = app_for(outlets, tmp_path, '[[rules]]\nquery = "author:Bot"\naction = "read"\n')

    async def run_before(pilot) -> None:
        await settle(app, pilot)
        await pilot.press("K")
        await settle(app, pilot)

    assert snap_compare(app, terminal_size=(120, 30), run_before=run_before)
