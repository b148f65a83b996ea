"""Article extraction from whole pages, and boilerplate removal on pages and feed bodies."""

from __future__ import annotations

import random
import subprocess
import sys
import time
from pathlib import Path

import pytest

from tui.core.boilerplate import strip_boilerplate
from tui.core.extract import clean_text, extract_article

PAGES = Path(__file__).resolve().parent.parent / "data" / "pages"
NEWS_PAGE = (PAGES / "news_page.html").read_text(encoding="utf-8")
NEWS_TEXT = (PAGES / "news_page.txt").read_text(encoding="utf-8").rstrip("\n")


def paragraphs(text: str) -> list[str]:
    return text.split("\n\n") if text else []


def test_news_page_keeps_only_the_article_paragraphs_in_order():
    text = extract_article(NEWS_PAGE, "https://ledger.example/news/sea-wall")
    assert text == NEWS_TEXT
    got = paragraphs(text)
    assert len(got) == 6
    assert got[0].startswith("The town council of Port Callow voted")
    assert got[-1].startswith("The regional government has promised")
    # A real sentence that merely contains "subscribe" survives.
    assert any(p.startswith("Residents who subscribe to the town's flood alert") for p in got)
    for gone in (
        "Harbour town votes",  # the headline, shown apart from the body
        "We use cookies",
        "Accept all cookies",
        "By clicking “Accept all cookies”, you agree to the storing of cookies on your device.",
        "Advertisement",
        "Sponsored",
        "Subscribe to our newsletter",
        "Sign in",
        "Photo:",
        "Waves break over",  # figcaption
        "Read more",
        "Related",
        "Fishing fleet",
        "Share",
        "Facebook",
        "seagull77",
        "About time!",
        "Tags:",
        "Most read",
        "Ferry timetable",
        "All rights reserved",
        "JSON-LD",
        "dataLayer",
        "Like this story",
    ):
        assert gone not in text, gone


def test_quotes_in_the_page_survive_intact():
    text = extract_article(NEWS_PAGE)
    assert "“We cannot ask people to sandbag their front doors every winter,” said Mayor" in text
    assert "“tie our hands for twenty years.”" in text


def test_a_body_split_by_full_width_ads_is_read_to_the_end():
    # The story sits in three containers of the same class with ad rows between them;
    # a single-container extractor stops after the first three paragraphs.
    html = (PAGES / "split_body.html").read_text(encoding="utf-8")
    expected = (PAGES / "split_body.txt").read_text(encoding="utf-8").rstrip("\n")
    text = extract_article(html, "https://post.example/islands/night-ferry")
    assert text == expected
    assert len(paragraphs(text)) == 9
    assert "Most popular" not in text and "Bridge tolls" not in text


def test_page_without_an_article_gives_nothing():
    html = (PAGES / "no_article.html").read_text(encoding="utf-8")
    assert extract_article(html, "https://ledger.example/login") == ""


@pytest.mark.parametrize(
    "garbage",
    [
        "",
        "   \n\t ",
        random.Random(4).randbytes(20_000).decode("latin-1"),
        random.Random(5).randbytes(20_000).decode("utf-8", errors="replace"),
        "\x00\x01\x02" * 1000,
        "<<<<>>>><p",
        "<!-- <p>never closed",
        "<html><body><p>" + "<div>" * 20_000,
        "<div>" * 5_000 + "deep" + "</div>" * 5_000,
        "<?xml version='1.0' encoding='latin-1'?><html><body></body></html>",
        "<p>lone \ud800 surrogate</p>",
    ],
)
def test_garbage_never_raises_and_gives_safe_text(garbage):
    text = extract_article(garbage)
    assert isinstance(text, str)
    assert "\x00" not in text and "\x1b" not in text
    text.encode("utf-8")  # no lone surrogates


def test_bytes_and_none_are_tolerated():
    assert extract_article(random.Random(6).randbytes(5_000)) == ""  # type: ignore[arg-type]
    assert extract_article(None) == ""  # type: ignore[arg-type]
    assert "Port Callow" in extract_article(NEWS_PAGE.encode("utf-8"))  # type: ignore[arg-type]


def test_a_short_html_snippet_still_gives_its_text():
    sentence = "The bridge reopens on Monday after repairs, the council said."
    assert extract_article(f"<html><body><p>{sentence}</p></body></html>") == sentence


def test_a_pipe_in_a_table_cell_comes_out_as_it_is_written():
    """trafilatura escapes a cell's "|" as "\\|" for Markdown tables: in plain text
    that backslash would be a character the page never had (found by tests/test_fuzz.py)."""
    page = (
        "<html><body><article><p>The council published the vote, row by row.</p><table>"
        "<tr><td>Ayes | Noes</td><td>12 | 9</td></tr><tr><td>Path</td><td>C:\\|D:</td></tr>"
        "</table></article></body></html>"
    )
    text = extract_article(page)
    assert "Ayes | Noes | 12 | 9" in text
    assert "Path | C:\\|D:" in text  # a backslash the page has stays


def test_plain_text_input_goes_through_clean_text():
    text = "First paragraph of a plain note.\n\nSubscribe now\n\nSecond paragraph."
    assert extract_article(text) == "First paragraph of a plain note.\n\nSecond paragraph."


def test_huge_page_finishes_quickly():
    script = "<script>var blob = '" + "x" * 1_500_000 + "';</script>"
    links = "".join(f"<li><a href='/n/{i}'>Other story number {i}</a></li>" for i in range(8_000))
    comments = "".join(
        f"<div class='comment'><p>Comment {i}: I disagree with the council.</p></div>"
        for i in range(4_000)
    )
    page = NEWS_PAGE.replace("</head>", script + "</head>").replace(
        "<main>", f"<nav><ul>{links}</ul></nav><main>"
    )
    page = page.replace("</main>", f"<section class='comments'>{comments}</section></main>")
    assert len(page) > 2_000_000
    start = time.perf_counter()
    text = extract_article(page)
    assert time.perf_counter() - start < 10
    assert text == NEWS_TEXT


def test_terminal_escapes_are_removed_and_markup_stays_literal():
    hostile = (
        "Officials \x1b]0;pwned\x07said the \x1b[31mred\x1b[0m zone \x9b2Jwill close "
        "[bold red]tonight[/] at [link=file:///etc/passwd]nine[/link], and the "
        "\x1b]52;c;cm0gLXJmIH4=\x07clipboard stays untouched."
    )
    page = NEWS_PAGE.replace(
        "<p>The vote was 7 to 2.", f"<p>{hostile}</p>\n    <p>The vote was 7 to 2."
    )
    text = extract_article(page)
    assert (
        "Officials said the red zone 2Jwill close [bold red]tonight[/] at "
        "[link=file:///etc/passwd]nine[/link], and the clipboard stays untouched."
    ) in paragraphs(text)
    assert not any(ch in text for ch in "\x1b\x07\x9b")


def test_character_references_cannot_smuggle_escapes():
    page = NEWS_PAGE.replace("The vote was 7 to 2.", "The vote was &#27;[2J7 to 2&#155;.")
    text = extract_article(page)
    assert "\x1b" not in text and "\x9b" not in text
    assert "7 to 2" in text


# --- strip_boilerplate ---------------------------------------------------------------

BOILERPLATE = [
    "Subscribe to our newsletter",
    "Subscribe now for just $1 a week",
    "Sign in to continue reading",
    "Already a subscriber? Log in here.",
    "Already have an account? Sign in",
    "Create a free account to unlock premium articles.",
    "You have reached your limit of free articles this month.",
    "Get the morning briefing delivered to your inbox every weekday.",
    "Sign up for our daily newsletter",
    "Photo: Jane Doe/Agency",
    "Image credit: City Archives",
    "Photograph: Tom Vale for the Ledger",
    "(AP Photo/Sam Reed)",
    "Getty Images",
    "Protesters gather outside the court on Monday. (Lena Ortiz/AFP via Getty Images)",
    "Firefighters at the scene on Friday. (Photo by Ken Amory/Reuters)",
    "The rover's view of the crater rim. (NASA/JPL-Caltech)",
    "Crowds on the quay at dawn. (Courtesy of the Harbour Museum)",
    "© 2031 Example Media. All rights reserved.",
    "Share this article",
    "Share on Facebook Share on Twitter Email",
    "Facebook Twitter WhatsApp Email Print",
    "Like this story? Share it with a friend!",
    "Follow us on Twitter and Instagram.",
    "Read more: Council announces new bus routes",
    "READ MORE: Ten things to know about the budget",
    "Related: Storm season, in pictures",
    "See also: Our guide to the election",
    "Advertisement",
    "ADVERTISEMENT",
    "Story continues below advertisement",
    "We use cookies to give you the best experience on our website.",
    "By continuing to use this site you agree to our use of cookies.",
    "Accept all cookies",
    "By clicking “Accept all cookies”, you agree to the storing of cookies on your device.",
    "12 Comments",
    "Leave a comment",
    "Updated at 4:35 p.m.",
    "Tags: politics, budget, council",
    "Reporting by Ann Lee; Editing by Bob Marr",
    "Sam Reed contributed reporting from Lisbon.",
    "5 min read",
    "Updated Nov. 19, 2031",
    "Posted 3 hours ago",
    "(Reporting by Ann Lee in Oslo; writing by Bob Marr)",
    "Additional reporting by Joseph Hudak",
    "Email Mara Quill at mquill@ledger.example or follow her @maraquill.",
    "Copyright 2031 Example Media",
    "Ten storms that changed the coast [PICTURES]",
    "Log in here",
    "Register now for free",
    "Stay informed: get our weekly newsletter in your inbox.",
]

ARTICLE_SENTENCES = [
    "More than 4,000 residents subscribe to the flood alert service, the council said.",
    "She said she would never subscribe to a newspaper again after the price rose.",
    "Customers who sign in to the bank's app will see the new fees from Monday.",
    "The regulator said the site's cookie banner broke the law and fined the company.",
    "“Share the road,” the minister said, “and nobody gets hurt.”",
    "The photo, taken in 1972, shows the harbour before the wall was built.",
    "Read the full report and you will see why the engineers were worried, he said.",
    "Advertising revenue fell by 12 percent in the third quarter.",
    "Comments from residents at the meeting were mostly angry.",
    "He urged readers to subscribe to his newsletter, which now has 10,000 readers.",
    "Related costs, such as legal fees, are not included in the estimate.",
    "Updated figures will be published in March, the statistics office said.",
    "Photographers were kept behind a fence during the ceremony.",
    "The agency said its sources, including Reuters and AFP, confirmed the figures.",
    "Follow-up inspections found no further damage.",
    "Six in ten adults approve of the plan, according to a new poll (AP/NORC).",
    "The family released a statement (photo evidence was not included).",
    "The court heard from the widow (credited by police with raising the alarm) on Monday.",
    "Register to vote by October 10.",
    "Login problems plagued the tax site on Monday.",
    "Open banking rules give fintech firms free access to account data.",
    "The paper will put exclusive content behind a paywall from May.",
    "Voters must sign up to receive ballots by mail, officials said.",
    "Like many small papers, the Gazette launched a newsletter last year.",
    "“Our newsletter is free for everyone,” the editor said.",
    "Contact tracing apps were promoted on Twitter by the ministry.",
    "Published in 1998, the novel sold a million copies.",
    "Research by the university found the wall was too low.",
    "Copyright law in the EU changed in 2019.",
    "Pictures by local children were hung in the town hall during the festival.",
    "The basic subscription now costs $9.99, up from $8.99.",
    "[Reuters]",
]


@pytest.mark.parametrize("line", BOILERPLATE)
def test_boilerplate_lines_go(line):
    assert strip_boilerplate(["Article text comes first.", line]) == ["Article text comes first."]


@pytest.mark.parametrize("sentence", ARTICLE_SENTENCES)
def test_article_sentences_that_mention_trigger_words_stay(sentence):
    assert strip_boilerplate([sentence]) == [sentence]


def test_a_related_heading_takes_its_links_with_it():
    paragraphs_in = [
        "The council met on Thursday.",
        "You may also like",
        "Fishing fleet stays in port",
        "• Five walks along the coast",
        "The vote was close, officials said.",
        "Related: Storm damage, in pictures",
        "• Ferry timetable changes",
        "The work starts in June.",
    ]
    assert strip_boilerplate(paragraphs_in) == [
        "The council met on Thursday.",
        "The vote was close, officials said.",
        "The work starts in June.",
    ]


def test_click_to_tweet_suffix_is_trimmed():
    assert strip_boilerplate(["Small steps beat big plans.Click To Tweet"]) == [
        "Small steps beat big plans."
    ]


# --- clean_text on feed bodies and copied text -----------------------------------------

# Written for this test in the shape of a story as a reader's browser copied it: the
# caption and the paywall prompts sit on their own lines inside one block.
COPIED_STORY = "\n".join(
    [
        "Lighthouse keepers return as storms batter the northern coast",
        "",
        "Coastguard volunteers haul a lifeboat up the slipway at Ravensby on Oct. 2, 2031. "
        "The station was closed for most of the summer after a fire in its boathouse. "
        "(Ola Brandt/AFP/Getty Images/TNS)",
        "Subscribe Now Pick the plan that fits how you read.",
        "Start Free Account Read 5 premium stories every month for FREE!",
        "Already a Subscriber? Current print subscriber? Activate your complimentary Digital "
        "account.",
        "",
        "Three lighthouses on the northern coast will be staffed again this winter, the "
        "maritime agency said, after a run of storms knocked out automated beacons.",
        "",
        "Agency director Hanne Vik called the decision a “temporary but necessary step” and "
        "said keepers would stay until spring.",
        "",
        "“Automation works until the power goes and the sea comes over the rocks,” Vik told "
        "reporters on Monday.",
        "",
        "Fishermen welcomed the move. Local skipper Jon Aas said earlier this month that the "
        "beacons “should never have been left alone in the first place.”",
        "",
    ]
)


def test_copied_story_loses_caption_and_prompts_but_keeps_quotes():
    text = clean_text(COPIED_STORY)
    got = paragraphs(text)
    assert got[0] == "Lighthouse keepers return as storms batter the northern coast"
    assert got[1].startswith("Three lighthouses on the northern coast")
    assert len(got) == 5
    for gone in ("Coastguard volunteers", "Subscribe Now", "Start Free Account", "Already a"):
        assert gone not in text
    for quote in (
        "temporary but necessary step",
        "Automation works until the power goes and the sea comes over the rocks,",
        "should never have been left alone in the first place.",
    ):
        assert quote in text


def test_wrapped_plain_text_is_not_mistaken_for_prompts():
    text = "The council said readers could\nsubscribe to the alerts for free\nfrom next week."
    assert clean_text(text) == (
        "The council said readers could subscribe to the alerts for free from next week."
    )


def test_feed_html_body_loses_prompts_and_credits():
    body = (
        "<p>The ferry will run twice a day from April.</p>"
        "<p><img src='x.jpg'></p><p>Photo: Harbour Authority</p>"
        "<p><a href='/subscribe'>Subscribe to our newsletter</a></p>"
        "<p>Tickets go on sale next week.</p>"
    )
    assert clean_text(body) == (
        "The ferry will run twice a day from April.\n\nTickets go on sale next week."
    )


def test_importing_extract_does_not_import_trafilatura():
    code = "import sys, tui.core.extract\nprint('trafilatura' in sys.modules)\n"
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True)
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == "False"
