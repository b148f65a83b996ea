"""Sentence splitting on news text: what a reader sees as one sentence stays one."""

from __future__ import annotations

import os
import subprocess
import sys

import pytest

from tui.core.sentences import SentenceTokenizer, sentence_spans, split_sentences


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        pytest.param(
            "Sen. Maria Ortiz met Gov. Tom Reyes in Albany. Dr. Lee joined them.",
            ["Sen. Maria Ortiz met Gov. Tom Reyes in Albany.", "Dr. Lee joined them."],
            id="titles",
        ),
        pytest.param(
            "Mr. and Mrs. Hale live on St. Mark's Place. Their son works at Acme Inc. in Ohio.",
            [
                "Mr. and Mrs. Hale live on St. Mark's Place.",
                "Their son works at Acme Inc. in Ohio.",
            ],
            id="titles-and-company-mid-sentence",
        ),
        pytest.param(
            "The deal was signed with Briggs & Co. It closes on Jan. 4. Shares rose.",
            ["The deal was signed with Briggs & Co.", "It closes on Jan. 4.", "Shares rose."],
            id="abbreviation-ends-sentence",
        ),
        pytest.param(
            "She moved to the U.S. in 2009. He stayed in the U.K. What now?",
            ["She moved to the U.S. in 2009.", "He stayed in the U.K.", "What now?"],
            id="country-abbreviations",
        ),
        pytest.param(
            "The U.S. Senate voted. Talks in Washington D.C. The vote was close.",
            ["The U.S. Senate voted.", "Talks in Washington D.C.", "The vote was close."],
            id="abbreviation-before-name-vs-new-sentence",
        ),
        pytest.param(
            "Fruit, e.g. apples, i.e. the red ones, etc. sold out. "
            "Bring bags, boxes, etc. The shop opens soon.",
            [
                "Fruit, e.g. apples, i.e. the red ones, etc. sold out.",
                "Bring bags, boxes, etc.",
                "The shop opens soon.",
            ],
            id="latin-abbreviations",
        ),
        pytest.param(
            "At 6 a.m. Mr. Park opened the shop. He closed it at 9 p.m. The street was empty.",
            [
                "At 6 a.m. Mr. Park opened the shop.",
                "He closed it at 9 p.m.",
                "The street was empty.",
            ],
            id="times",
        ),
        pytest.param(
            "The hearing starts at 10 a.m. Friday in court. It may last a week.",
            ["The hearing starts at 10 a.m. Friday in court.", "It may last a week."],
            id="time-before-weekday",
        ),
        pytest.param(
            "J. R. R. Tolkien met C.S. Lewis. George W. Bush was not there.",
            ["J. R. R. Tolkien met C.S. Lewis.", "George W. Bush was not there."],
            id="initials",
        ),
        pytest.param(
            "We won, you and I. Did you see Albert I. Jones?",
            ["We won, you and I.", "Did you see Albert I. Jones?"],
            id="pronoun-i-versus-initial",
        ),
        pytest.param(
            "Profit rose 3.5% to $1.2 million. It was 0.8 points higher. Costs fell to $10.50.",
            [
                "Profit rose 3.5% to $1.2 million.",
                "It was 0.8 points higher.",
                "Costs fell to $10.50.",
            ],
            id="decimals-and-money",
        ),
        pytest.param(
            "He finished No. 2 on p. 14 of the list. No. The rest did not.",
            ["He finished No. 2 on p. 14 of the list.", "No.", "The rest did not."],
            id="number-abbreviations",
        ),
        pytest.param(
            'He said "no." Then he left.',
            ['He said "no."', "Then he left."],
            id="quote-ends-sentence",
        ),
        pytest.param(
            '"Stop!" she said. "Why me?" Ms. Vega asked. Nobody answered.',
            ['"Stop!" she said.', '"Why me?" Ms. Vega asked.', "Nobody answered."],
            id="quote-inside-sentence",
        ),
        pytest.param(
            "“We are done.” The team left. (It rained.) Fans stayed.",
            ["“We are done.”", "The team left.", "(It rained.)", "Fans stayed."],
            id="curly-quotes-and-brackets",
        ),
        pytest.param(
            "Is it over? Yes! Really?! It is.",
            ["Is it over?", "Yes!", "Really?!", "It is."],
            id="questions-and-exclamations",
        ),
        pytest.param(
            "She works at Yahoo! in London.",
            ["She works at Yahoo! in London."],
            id="exclamation-in-a-name",
        ),
        pytest.param(
            "I waited... Then I left. It was ... well, odd. He paused . . . and went on.",
            [
                "I waited...",
                "Then I left.",
                "It was ... well, odd.",
                "He paused . . . and went on.",
            ],
            id="ellipses",
        ),
        pytest.param(
            "See https://example.com/news/a.html. Write to desk@example.org. Thanks.",
            ["See https://example.com/news/a.html.", "Write to desk@example.org.", "Thanks."],
            id="urls-and-emails",
        ),
        pytest.param(
            "The firm grew fast.Then it stalled.",
            ["The firm grew fast.", "Then it stalled."],
            id="glued-sentences",
        ),
        pytest.param(
            "1. Turn it off. 2. Wait a minute. 3. Turn it on.",
            ["1. Turn it off.", "2. Wait a minute.", "3. Turn it on."],
            id="numbered-list",
        ),
    ],
)
def test_splits_news_sentences(text, expected):
    assert split_sentences(text) == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        pytest.param(
            "کتاب‌ها را خواندم. بعد به خانه رفتم. او گفت چرا؟ من نمی‌دانم.",
            ["کتاب‌ها را خواندم.", "بعد به خانه رفتم.", "او گفت چرا؟", "من نمی‌دانم."],
            id="persian-period-and-question-mark",
        ),
        pytest.param(
            "هل ذهبت إلى المدرسة؟ نعم ذهبت. شكرا.",
            ["هل ذهبت إلى المدرسة؟", "نعم ذهبت.", "شكرا."],
            id="arabic",
        ),
        pytest.param(
            "मैं घर गया। वह स्कूल गई। क्या तुम आओगे? हाँ।",
            ["मैं घर गया।", "वह स्कूल गई।", "क्या तुम आओगे?", "हाँ।"],
            id="hindi-danda",
        ),
        pytest.param(
            "北京是中国的首都。上海是最大的城市！你去过吗？我没有。",
            ["北京是中国的首都。", "上海是最大的城市！", "你去过吗？", "我没有。"],
            id="chinese-without-spaces",
        ),
        pytest.param(
            "東京は日本の首都です。「大阪も大きい。」と彼は言った。",
            ["東京は日本の首都です。", "「大阪も大きい。」と彼は言った。"],
            id="japanese-quotation-with-its-attribution",
        ),
        pytest.param(
            "The U.S. 北京 office opened. Then we left.",
            ["The U.S. 北京 office opened.", "Then we left."],
            id="latin-abbreviation-before-a-caseless-word",
        ),
    ],
)
def test_splits_scripts_without_letter_case(text, expected):
    """Summaries of Persian, Arabic, Hindi, Chinese and Japanese articles choose among
    sentences, not whole paragraphs."""
    assert split_sentences(text) == expected
    assert [text[a:b] for a, b in sentence_spans(text)] == expected


def test_a_paragraph_break_always_ends_a_sentence():
    text = "Breaking news\n\nThe storm hit the coast at dawn\n\nMore follows."
    assert split_sentences(text) == [
        "Breaking news",
        "The storm hit the coast at dawn",
        "More follows.",
    ]


def test_a_single_line_break_does_not_end_a_sentence():
    assert split_sentences("The mayor said the\nroad would reopen. It did.") == [
        "The mayor said the\nroad would reopen.",
        "It did.",
    ]


def test_spans_index_the_original_text():
    text = '  "Go home," he said.   She did!\n\n\n  Next day  it rained.  '
    spans = sentence_spans(text)
    assert [text[start:end] for start, end in spans] == [
        '"Go home," he said.',
        "She did!",
        "Next day  it rained.",
    ]
    assert spans == sorted(spans)


def test_empty_and_blank_text_have_no_sentences():
    assert split_sentences("") == []
    assert split_sentences(" \n\n \t ") == []
    assert sentence_spans("") == []


def test_text_without_punctuation_is_one_sentence():
    assert split_sentences("no full stop here") == ["no full stop here"]


def test_sumy_tokenizer_interface():
    tokenizer = SentenceTokenizer()
    assert tokenizer.to_sentences("Dr. Ruiz spoke. Crowds cheered.") == (
        "Dr. Ruiz spoke.",
        "Crowds cheered.",
    )
    assert tokenizer.to_words("Trump's U.S.-based firm, founded in 1999, can't stop!") == (
        "Trump",
        "U",
        "S",
        "based",
        "firm",
        "founded",
        "in",
        "can't",
        "stop",
    )


def test_sumy_plaintext_parser_runs_offline(tmp_path):
    """Sumy's own parser with our tokenizer never looks for NLTK data."""
    script = (
        "from sumy.parsers.plaintext import PlaintextParser\n"
        "from tui.core.sentences import SentenceTokenizer\n"
        "doc = PlaintextParser.from_string('Mr. Hill left. He came back.\\n\\nIt rained.', "
        "SentenceTokenizer()).document\n"
        "print(len(doc.sentences), len(doc.paragraphs))\n"
    )
    env = {**os.environ, "NLTK_DATA": str(tmp_path), "HOME": str(tmp_path)}
    result = subprocess.run(
        [sys.executable, "-c", script], capture_output=True, text=True, env=env, timeout=60
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.split() == ["3", "2"]


def test_a_thousand_word_article_splits_quickly():
    paragraph = (
        "Sen. Ortiz said the U.S. economy grew 2.5% in the quarter. "
        '"It is a good start," she said. Analysts at Acme Inc. were less sure... '
        "Markets closed at 4 p.m. Traders went home. "
    )
    text = "\n\n".join([paragraph] * 30)  # about 1,000 words
    assert 900 < len(text.split()) < 1200
    # Speed is measured by benchmarks/text.py; here, that a long text splits correctly.
    assert len(split_sentences(text)) == 30 * 5
